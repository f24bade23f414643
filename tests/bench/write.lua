-- wrk script of tests/bench/write.sh: one wrk process is one operator (or
-- reviewer) on one connection, so requests and answers alternate and a
-- filing's steps run in order.  Settings come from the environment:
--   WB_MODE    flow (draft, two 64 KiB attachments, submit) or approve
--   WB_COOKIE  the account's session token, WB_CSRF its CSRF token
--   WB_COUNT   flows to run (flow), WB_IN the filing ids to approve
--   WB_OUT     where submitted ids go (flow), WB_DONE written at the end
--   WB_FIFO    where a line tells write.sh this one is done
--   WB_TAG     makes the platforms' names unique

local mode = os.getenv("WB_MODE")
local cookie = "vcp_session=" .. os.getenv("WB_COOKIE")
local csrf = os.getenv("WB_CSRF")
local tag = os.getenv("WB_TAG") or "b"
local count = tonumber(os.getenv("WB_COUNT") or "0")
local out, ids, step, id, done, errors, finished = nil, {}, 0, nil, 0, 0, false

local head = "%PDF-1.4\n"
local tail = "\n%%EOF\n"
local pdf = head .. string.rep("0", 65536 - #head - #tail) .. tail

local form = [[{"form":{"platform":{"name":"基准漏洞收集平台%s",
"homepage":"https://src.example.com","icp":"京ICP备12345678号-1",
"publish_urls":["https://src.example.com/bulletins"],
"social_accounts":[{"app":"微信","account":"某某安全响应中心"}],
"online_date":"2027-03-01"},
"sponsor":{"name":"某某网络科技有限公司","type":"individual",
"id_number":"11010519491231002X"},
"principal":{"name":"张三","mobile":"13812345678",
"email":"zhangsan@example.com"},
"contact":{"name":"李四","mobile":"13912345678","email":"lisi@example.com"},
"rules":{"collection":"漏洞收集的范围和方式说明",
"verification":"漏洞收集的范围和方式说明",
"notification":"漏洞收集的范围和方式说明",
"publication":"漏洞收集的范围和方式说明",
"user_verification":"漏洞收集的范围和方式说明",
"classification":"漏洞收集的范围和方式说明"},
"mlps":{"certificate_number":"11010199001-00001","level":2},
"management":{"description":"依据 GB/T 22239 实施平台管理。"}}}]]

function init(args)
	if mode == "flow" then
		out = io.open(os.getenv("WB_OUT"), "w")
	else
		for line in io.lines(os.getenv("WB_IN")) do
			ids[#ids + 1] = line
		end
		count = #ids
	end
	if count == 0 then
		finish()
	end
end

function finish()
	if finished then
		return
	end
	finished = true
	if out then
		out:close()
	end
	local f = io.open(os.getenv("WB_DONE"), "w")
	f:write(done, " ", errors, "\n")
	f:close()
	-- Wakes write.sh, which reads a line per generator.
	f = io.open(os.getenv("WB_FIFO"), "w")
	f:write("done\n")
	f:close()
	wrk.thread:stop()
end

local function post(path, ctype, body)
	local h = { ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf }
	if ctype then
		h["Content-Type"] = ctype
	end
	return wrk.format("POST", path, h, body)
end

function request()
	if finished then
		return wrk.format("GET", "/healthz")
	end
	if mode == "approve" then
		return post("/api/v1/filings/" .. ids[done + errors + 1] ..
		    "/decision", "application/json", '{"decision":"approve"}')
	end
	if step == 0 then
		return post("/api/v1/filings", "application/json",
		    string.format(form, tag .. "-" .. (done + errors)))
	elseif step == 1 or step == 2 then
		return post("/api/v1/filings/" .. id .. "/attachments?kind=" ..
		    (step == 1 and "mlps_certificate" or "commitment_letter"),
		    "application/pdf", pdf)
	end
	return post("/api/v1/filings/" .. id .. "/submit", "application/json",
	    "{}")
end

local function failed(status, body)
	errors = errors + 1
	if errors <= 3 then
		io.stderr:write(mode, " step ", step, ": HTTP ", status, " ",
		    body:sub(1, 200), "\n")
	end
	step = 0
end

function response(status, headers, body)
	if finished then
		return
	end
	if mode == "approve" then
		if status == 200 then
			done = done + 1
		else
			failed(status, body)
		end
	elseif step == 0 then
		if status == 201 then
			id = body:match('"id":%s*(%d+)')
			step = 1
		else
			failed(status, body)
		end
	elseif step < 3 then
		if status == 201 then
			step = step + 1
		else
			failed(status, body)
		end
	elseif status == 200 then
		out:write(id, "\n")
		done = done + 1
		step = 0
	else
		failed(status, body)
	end
	if done + errors >= count and step == 0 then
		finish()
	end
end
