"""The filing lifecycle so far: draft, field errors, submission, review
queue, correction, resubmission, approval with a number, public record."""
import json
import threading

import requests

from conftest import (Client, assert_error, logged_in, sql, unique, url)

NEVER_PUBLIC = ["11010519491231002X", "13812345678", "zhangsan@example.com",
                "张三", "李四", "13912345678", "lisi@example.com",
                "漏洞收集的范围", "11010199001-00001"]


def good_form(name=None, online="2027-03-01"):
    return {
        "platform": {
            "name": name or "某某漏洞收集平台" + unique(""),
            "homepage": "https://src.example.com",
            "icp": "京ICP备12345678号-1",
            "publish_urls": ["https://src.example.com/bulletins"],
            "social_accounts": [{"app": "微信", "account": "某某安全响应中心"}],
            "online_date": online,
        },
        "sponsor": {"name": "某某网络科技有限公司", "type": "individual",
                    "id_number": "11010519491231002X"},
        "principal": {"name": "张三", "mobile": "13812345678",
                      "email": "zhangsan@example.com"},
        "contact": {"name": "李四", "mobile": "13912345678",
                    "email": "lisi@example.com"},
        "rules": {k: "漏洞收集的范围和方式说明" for k in (
            "collection", "verification", "notification", "publication",
            "user_verification", "classification")},
        "mlps": {"certificate_number": "11010199001-00001", "level": 2},
        "management": {"description": "依据 GB/T 22239 实施平台管理。"},
    }


def create(op, form=None):
    r = op.post("/api/v1/filings", json={"form": form} if form else {})
    assert r.status_code == 201, r.text
    return r.json()["filing"]


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def attach(op, fid, kind, data=PDF, ctype="application/pdf", name=None):
    params = {"kind": kind}
    if name:
        params["filename"] = name
    return op.post("/api/v1/filings/%d/attachments" % fid, data=data,
                   params=params, headers={"Content-Type": ctype})


def submitted(op, form=None):
    f = create(op, form or good_form())
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(op, f["id"], kind).status_code == 201
    r = op.post("/api/v1/filings/%d/submit" % f["id"])
    assert r.status_code == 200, r.text
    return r.json()["filing"]


def test_draft_may_be_incomplete_but_not_malformed(operator):
    f = create(operator, {"platform": {"name": "半成品平台"}})
    assert f["status"] == "draft" and f["version"] == 1
    r = operator.post("/api/v1/filings", json={"form": {
        "platform": {"homepage": "ftp://x", "icp": "ICP123"},
        "principal": {"mobile": "123"}, "bogus": {}}})
    err = assert_error(r, 422, "validation")
    assert {"platform.homepage", "platform.icp", "principal.mobile",
            "bogus"} <= set(err["fields"])


def test_sponsor_id_must_match_sponsor_type(operator):
    form = good_form()
    form["sponsor"] = {"name": "某公司", "type": "enterprise",
                       "id_number": "11010519491231002X"}
    err = assert_error(operator.post("/api/v1/filings", json={"form": form}),
                       422, "validation")
    assert "sponsor.id_number" in err["fields"]
    form["sponsor"]["id_number"] = "914403001922038216"
    assert operator.post("/api/v1/filings",
                         json={"form": form}).status_code == 201


def test_incomplete_submission_lists_every_missing_field(operator):
    f = create(operator, {"platform": {"name": "只填了名称"}})
    r = operator.post("/api/v1/filings/%d/submit" % f["id"])
    err = assert_error(r, 422, "validation")
    for path in ("platform.homepage", "sponsor.id_number", "contact.email",
                 "rules.classification", "mlps.level",
                 "management.description", "attachments.mlps_certificate",
                 "attachments.commitment_letter"):
        assert path in err["fields"], path
    assert operator.get("/api/v1/filings/%d" % f["id"]).json()[
        "filing"]["status"] == "draft"


def test_save_uses_optimistic_concurrency(operator):
    f = create(operator)
    form = good_form()
    r = operator.put("/api/v1/filings/%d" % f["id"],
                     json={"version": 1, "form": form})
    assert r.status_code == 200, r.text
    assert r.json()["filing"]["version"] == 2
    # A second tab still holding version 1 must not overwrite it.
    r = operator.put("/api/v1/filings/%d" % f["id"],
                     json={"version": 1, "form": {"platform": {}}})
    assert_error(r, 409, "stale_version")
    r = operator.put("/api/v1/filings/%d" % f["id"], json={"form": form})
    assert_error(r, 422, "validation")


def test_personal_data_is_encrypted_at_rest(operator):
    f = create(operator, good_form())
    raw = sql("SELECT form FROM filing WHERE id = %d" % f["id"])[0][0]
    for secret in ("11010519491231002X", "13812345678",
                   "zhangsan@example.com"):
        assert secret not in raw
    assert '"v1:' in raw
    # The operator who entered it reads it back in clear.
    form = operator.get("/api/v1/filings/%d" % f["id"]).json()[
        "filing"]["form"]
    assert form["sponsor"]["id_number"] == "11010519491231002X"


def test_lifecycle_to_the_public_register(operator):
    f = submitted(operator)
    assert f["status"] == "submitted" and f["receipts"] == 1
    assert f["receipt_date"] and f["deadline"]
    fid = f["id"]

    reviewer = logged_in("reviewer")
    queue = reviewer.get("/api/v1/review/queue").json()["queue"]
    row = [q for q in queue if q["filing_id"] == fid][0]
    assert row["deadline"] == f["deadline"]
    assert row["resubmission"] is False and row["overdue"] is False
    assert row["online_before_filing"] is False
    assert 0 <= row["workdays_left"] <= 10

    # Regulators see personal data masked.
    seen = reviewer.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert seen["form"]["sponsor"]["id_number"] == "1101**********002X"
    assert seen["form"]["principal"]["mobile"] == "138****5678"

    # The operator cannot edit a submitted filing.
    assert_error(operator.put("/api/v1/filings/%d" % fid, json={
        "version": f["version"], "form": good_form()}), 409, "invalid_state")

    r = reviewer.post("/api/v1/filings/%d/decision" % fid, json={
        "decision": "correct", "items": [
            {"field": "mlps.certificate_number", "problem": "证书编号与附件不符"}]})
    assert r.status_code == 200, r.text
    f = r.json()["filing"]
    assert f["status"] == "correction_requested"
    assert f["decision"]["items"][0]["field"] == "mlps.certificate_number"

    mine = operator.get("/api/v1/filings/%d" % fid).json()["filing"]
    form = mine["form"]
    form["mlps"]["certificate_number"] = "11010199001-00002"
    r = operator.put("/api/v1/filings/%d" % fid,
                     json={"version": mine["version"], "form": form})
    assert r.status_code == 200, r.text
    r = operator.post("/api/v1/filings/%d/submit" % fid)
    assert r.status_code == 200 and r.json()["filing"]["receipts"] == 2
    row = [q for q in reviewer.get("/api/v1/review/queue").json()["queue"]
           if q["filing_id"] == fid][0]
    assert row["resubmission"] is True and row["kind"] == "resubmission"
    assert sql("SELECT kind FROM receipt WHERE filing_id = %d ORDER BY id"
               % fid) == [["application"], ["resubmission"]]

    r = reviewer.post("/api/v1/filings/%d/decision" % fid,
                      json={"decision": "approve"})
    assert r.status_code == 200, r.text
    f = r.json()["filing"]
    number = f["filing_number"]
    assert f["status"] == "filed" and number.startswith("VCP-")
    events = [h["event"] for h in f["history"]]
    assert events == ["created", "submitted", "correction_requested",
                      "resubmitted", "approved"]

    # Deciding twice is refused.
    assert_error(reviewer.post("/api/v1/filings/%d/decision" % fid,
                               json={"decision": "reject", "reasons": "x"}),
                 409, "invalid_state")

    pub = requests.get(url("/api/v1/registry/" + number), timeout=10)
    assert pub.status_code == 200
    rec = pub.json()["record"]
    assert rec["filing_number"] == number and rec["status"] == "filed"
    assert rec["platform"]["homepage"] == "https://src.example.com"
    assert rec["sponsor"] == {"name": "某某网络科技有限公司",
                              "type": "individual"}
    text = json.dumps(pub.json(), ensure_ascii=False)
    for secret in NEVER_PUBLIC:
        assert secret not in text

    found = requests.get(url("/api/v1/registry"), timeout=10,
                         params={"q": rec["platform"]["name"][2:8]}).json()
    assert any(i["filing_number"] == number for i in found["items"])
    by_number = requests.get(url("/api/v1/registry"), timeout=10,
                             params={"q": number}).json()
    assert by_number["total"] == 1
    text = json.dumps(requests.get(url("/api/v1/registry"),
                                   params={"per_page": 100},
                                   timeout=10).json(), ensure_ascii=False)
    for secret in NEVER_PUBLIC:
        assert secret not in text


def test_registry_pages_and_validates_parameters():
    r = requests.get(url("/api/v1/registry"), timeout=10,
                     params={"page": 1, "per_page": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["page"] == 1 and body["per_page"] == 2
    assert len(body["items"]) <= 2 and body["total"] >= len(body["items"])
    err = assert_error(requests.get(url("/api/v1/registry"), timeout=10,
                                    params={"per_page": 1000, "page": 0,
                                            "status": "draft"}),
                       422, "validation")
    assert set(err["fields"]) == {"per_page", "page", "status"}
    assert_error(requests.get(url("/api/v1/registry/VCP-2026-999999-0"),
                              timeout=10), 404, "not_found")
    assert_error(requests.get(url("/api/v1/registry/备案编号"),
                              timeout=10), 404, "not_found")


def test_reject_with_reasons(operator):
    f = submitted(operator)
    reviewer = logged_in("supervisor")
    err = assert_error(reviewer.post("/api/v1/filings/%d/decision" % f["id"],
                                     json={"decision": "reject"}),
                       422, "validation")
    assert "reasons" in err["fields"]
    r = reviewer.post("/api/v1/filings/%d/decision" % f["id"],
                      json={"decision": "reject", "reasons": "材料虚假"})
    assert r.status_code == 200
    assert r.json()["filing"]["status"] == "rejected"
    assert_error(operator.post("/api/v1/filings/%d/submit" % f["id"]),
                 409, "invalid_state")


def test_roles_are_enforced(operator):
    f = create(operator, good_form())
    other = logged_in("operator")
    # Another operator's filing does not exist for them.
    assert_error(other.get("/api/v1/filings/%d" % f["id"]), 404, "not_found")
    assert_error(other.put("/api/v1/filings/%d" % f["id"], json={
        "version": 1, "form": {}}), 404, "not_found")
    assert_error(other.post("/api/v1/filings/%d/submit" % f["id"]),
                 404, "not_found")
    # Operators do not decide; admins neither read nor decide cases.
    assert_error(operator.post("/api/v1/filings/%d/decision" % f["id"],
                               json={"decision": "approve"}),
                 403, "forbidden")
    assert_error(operator.get("/api/v1/review/queue"), 403, "forbidden")
    admin = logged_in("admin")
    assert_error(admin.get("/api/v1/filings/%d" % f["id"]), 403, "forbidden")
    assert_error(admin.post("/api/v1/filings/%d/decision" % f["id"],
                            json={"decision": "approve"}), 403, "forbidden")
    # Regulators and observers do not file.
    for role in ("reviewer", "observer_mps"):
        c = logged_in(role)
        assert_error(c.post("/api/v1/filings", json={}), 403, "forbidden")
    obs = logged_in("observer_cac")
    assert obs.get("/api/v1/filings/%d" % f["id"]).status_code == 200
    assert_error(obs.post("/api/v1/filings/%d/decision" % f["id"],
                          json={"decision": "approve"}), 403, "forbidden")
    # The public sees nothing of drafts.
    assert_error(requests.get(url("/api/v1/filings/%d" % f["id"]),
                              timeout=10), 401, "unauthenticated")
    assert f["id"] not in [i.get("filing_id") for i in requests.get(
        url("/api/v1/registry"), timeout=10).json()["items"]]


def test_concurrent_approvals_get_distinct_numbers():
    ops = [logged_in("operator") for _ in range(6)]
    ids = [submitted(op)["id"] for op in ops]
    reviewers = [logged_in("reviewer") for _ in range(3)]
    numbers = {}

    def approve(i, fid):
        r = reviewers[i % 3].post("/api/v1/filings/%d/decision" % fid,
                                  json={"decision": "approve"})
        numbers[fid] = (r.status_code, r.json().get("filing", {}).get(
            "filing_number"))

    threads = [threading.Thread(target=approve, args=(i, fid))
               for i, fid in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(code == 200 for code, _ in numbers.values()), numbers
    got = [n for _, n in numbers.values()]
    assert len(set(got)) == len(got)


def filed(op):
    f = submitted(op)
    r = logged_in("reviewer").post("/api/v1/filings/%d/decision" % f["id"],
                                   json={"decision": "approve"})
    assert r.status_code == 200, r.text
    return r.json()["filing"]


def test_deregistration_takes_effect_at_once_and_marks_late(operator):
    f = filed(operator)
    fid, number = f["id"], f["filing_number"]
    err = assert_error(operator.post(
        "/api/v1/filings/%d/deregistration" % fid,
        json={"ended_on": "2999-01-01"}), 422, "validation")
    assert "ended_on" in err["fields"]
    r = operator.post("/api/v1/filings/%d/deregistration" % fid,
                      json={"ended_on": "2025-06-30"})
    assert r.status_code == 200, r.text
    f = r.json()["filing"]
    assert f["status"] == "deregistered" and f["ended_on"] == "2025-06-30"
    assert f["history"][-1]["event"] == "deregistered"
    assert f["history"][-1]["detail"]["late"] is True
    rec = requests.get(url("/api/v1/registry/" + number), timeout=10).json()
    assert rec["record"]["status"] == "deregistered"
    assert rec["record"]["ended_on"] == "2025-06-30"
    assert sql("SELECT kind FROM receipt WHERE filing_id = %d ORDER BY id"
               " DESC LIMIT 1" % fid) == [["deregistration"]]
    # The number stays taken and the entry stays on the register.
    assert_error(operator.post("/api/v1/filings/%d/deregistration" % fid,
                               json={"ended_on": "2025-06-30"}),
                 409, "invalid_state")


def test_only_a_supervisor_revokes(operator):
    f = filed(operator)
    path = "/api/v1/filings/%d/revocation" % f["id"]
    assert_error(logged_in("reviewer").post(path, json={"reasons": "x"}),
                 403, "forbidden")
    assert_error(operator.post(path, json={"reasons": "x"}), 403, "forbidden")
    sup = logged_in("supervisor")
    assert_error(sup.post(path, json={}), 422, "validation")
    r = sup.post(path, json={"reasons": "经核查存在违规收集行为"})
    assert r.status_code == 200, r.text
    assert r.json()["filing"]["status"] == "revoked"
    rec = requests.get(url("/api/v1/registry/" + f["filing_number"]),
                       timeout=10).json()["record"]
    assert rec["status"] == "revoked"
    assert "违规" not in json.dumps(rec, ensure_ascii=False)
    found = requests.get(url("/api/v1/registry"), timeout=10,
                         params={"status": "revoked", "per_page": 100}).json()
    assert f["filing_number"] in [i["filing_number"] for i in found["items"]]


def test_attachments_are_checked_by_content(operator):
    import hashlib
    f = create(operator, good_form())
    fid = f["id"]
    r = attach(operator, fid, "mlps_certificate", name="等保证明.pdf")
    assert r.status_code == 201, r.text
    a = r.json()["attachment"]
    assert a["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert a["filename"] == "等保证明.pdf" and a["media_type"] == \
        "application/pdf"
    assert attach(operator, fid, "other", PNG, "image/png").status_code == 201
    # A text file calling itself a PDF, and a PNG calling itself a JPEG.
    assert_error(attach(operator, fid, "other", b"hello", "application/pdf"),
                 415, "unsupported_file_type")
    assert_error(attach(operator, fid, "other", PNG, "image/jpeg"),
                 415, "type_mismatch")
    assert_error(attach(operator, fid, "passport"), 422, "validation")
    assert_error(attach(operator, fid, "other", name="../../etc/passwd"),
                 422, "validation")
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    assert_error(attach(operator, fid, "other", big), 413,
                 "payload_too_large")

    path = "/api/v1/filings/%d/attachments/%d" % (fid, a["id"])
    r = operator.get(path)
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["Content-Type"] == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert logged_in("reviewer").get(path).content == PDF
    assert_error(logged_in("observer_mps").get(path), 403, "forbidden")
    assert_error(logged_in("operator").get(path), 404, "not_found")
    assert_error(requests.get(url(path), timeout=10), 401,
                 "unauthenticated")
    listed = operator.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert [x["kind"] for x in listed["attachments"]] == [
        "mlps_certificate", "other"]

    assert operator.delete(path).status_code == 204
    assert_error(operator.get(path), 404, "not_found")


def test_change_on_time_is_reviewed_and_public_after_approval(operator):
    import datetime
    f = filed(operator)
    fid, number = f["id"], f["filing_number"]
    old = requests.get(url("/api/v1/registry/" + number),
                       timeout=10).json()["record"]
    # Dates are China Standard Time, whatever the machine's zone.
    cst = datetime.timezone(datetime.timedelta(hours=8))
    today = datetime.datetime.now(cst).date().isoformat()
    path = "/api/v1/filings/%d/changes" % fid

    err = assert_error(operator.post(path, json={
        "changed_on": today, "changes": {"platform": {"homepage": "bad"}}}),
        422, "validation")
    assert "platform.homepage" in err["fields"]
    assert_error(operator.post(path, json={
        "changed_on": today,
        "changes": {"platform": {"homepage": "https://src.example.com"}}}),
        422, "no_change")

    r = operator.post(path, json={"changed_on": today, "changes": {
        "platform": {"homepage": "https://security.example.com"},
        "contact": {"mobile": "13712345678"}}})
    assert r.status_code == 201, r.text
    ch = r.json()["change"]
    assert ch["status"] == "submitted" and ch["late"] is False
    assert sorted(ch["fields"]) == ["contact.mobile", "platform.homepage"]
    assert ch["due_on"] and ch["deadline"]
    # One change at a time.
    assert_error(operator.post(path, json={"changed_on": today, "changes": {
        "platform": {"name": "又一个名字"}}}), 409, "change_pending")

    # Until approval the public record is the old one.
    cur = requests.get(url("/api/v1/registry/" + number),
                       timeout=10).json()["record"]
    assert cur == old

    reviewer = logged_in("reviewer")
    row = [q for q in reviewer.get("/api/v1/review/queue").json()["queue"]
           if q.get("change_id") == ch["id"]][0]
    assert row["kind"] == "change" and row["late_change"] is False
    # The reviewer reads the change whole, personal fields masked.
    r = reviewer.get("%s/%d" % (path, ch["id"]))
    assert r.status_code == 200, r.text
    seen = r.json()["change"]
    assert seen["form"]["platform"]["homepage"] == \
        "https://security.example.com"
    assert seen["form"]["contact"]["mobile"] == "137****5678"
    assert seen["fields"] == ch["fields"]
    mine = operator.get("%s/%d" % (path, ch["id"])).json()["change"]
    assert mine["form"]["contact"]["mobile"] == "13712345678"
    assert_error(reviewer.get("%s/999999999" % path), 404, "not_found")
    assert_error(logged_in("operator").get("%s/%d" % (path, ch["id"])),
                 404, "not_found")
    assert_error(logged_in("admin").get("%s/%d" % (path, ch["id"])),
                 403, "forbidden")

    r = reviewer.post("%s/%d/decision" % (path, ch["id"]),
                      json={"decision": "approve"})
    assert r.status_code == 200, r.text
    assert r.json()["change"]["status"] == "approved"
    rec = requests.get(url("/api/v1/registry/" + number),
                       timeout=10).json()["record"]
    assert rec["platform"]["homepage"] == "https://security.example.com"
    assert rec["changes"] == [{"changed_on": today, "approved_on": today}]
    assert "13712345678" not in json.dumps(rec)
    mine = operator.get("/api/v1/filings/%d" % fid).json()["filing"]
    assert mine["form"]["contact"]["mobile"] == "13712345678"
    assert mine["filing_number"] == number
    assert sql("SELECT kind FROM receipt WHERE filing_id = %d ORDER BY id"
               " DESC LIMIT 1" % fid) == [["change"]]


def test_late_change_is_accepted_and_marked(operator):
    f = filed(operator)
    path = "/api/v1/filings/%d/changes" % f["id"]
    r = operator.post(path, json={"changed_on": "2025-09-05", "changes": {
        "platform": {"name": "改名后的平台" + unique("")}}})
    assert r.status_code == 201, r.text
    ch = r.json()["change"]
    # 2025-09-05 + 30 days falls in the National Day holiday: 2025-10-09.
    assert ch["late"] is True and ch["due_on"] == "2025-10-09"
    reviewer = logged_in("reviewer")
    row = [q for q in reviewer.get("/api/v1/review/queue").json()["queue"]
           if q.get("change_id") == ch["id"]][0]
    assert row["late_change"] is True

    # Correction, then the operator resubmits the change.
    r = reviewer.post("%s/%d/decision" % (path, ch["id"]), json={
        "decision": "correct",
        "items": [{"field": "platform.name", "problem": "名称与ICP备案不一致"}]})
    assert r.json()["change"]["status"] == "correction_requested"
    r = operator.put("%s/%d" % (path, ch["id"]), json={
        "changed_on": "2025-09-05",
        "changes": {"platform": {"name": "更正后的平台" + unique("")}}})
    assert r.status_code == 200, r.text
    assert r.json()["change"]["receipts"] == 2
    r = reviewer.post("%s/%d/decision" % (path, ch["id"]),
                      json={"decision": "reject", "reasons": "材料不实"})
    assert r.json()["change"]["status"] == "rejected"
    lst = operator.get(path).json()["changes"]
    assert [c["status"] for c in lst] == ["rejected"]
    # Only a filed platform can change; others cannot see this one.
    assert_error(logged_in("operator").post(path, json={
        "changed_on": "2025-09-05", "changes": {"platform": {"name": "x"}}}),
        404, "not_found")


def test_regulator_reveal_is_audited(operator):
    f = submitted(operator)
    path = "/api/v1/filings/%d/reveal" % f["id"]
    reviewer = logged_in("reviewer")
    assert_error(reviewer.post(path, json={}), 422, "validation")
    r = reviewer.post(path, json={"reason": "核实主办者身份"})
    assert r.status_code == 200, r.text
    p = r.json()["personal"]
    assert p["sponsor.id_number"] == "11010519491231002X"
    assert p["contact.email"] == "lisi@example.com"
    row = sql("SELECT action, actor_id, outcome, object FROM audit_log"
              " WHERE action = 'filing.reveal' ORDER BY id DESC LIMIT 1")[0]
    assert row[0] == "filing.reveal" and row[2] == "ok"
    assert row[1] == str(reviewer.account["id"])
    assert row[3] == "filing:%d" % f["id"]
    hist = reviewer.get("/api/v1/filings/%d" % f["id"]).json()["filing"][
        "history"]
    assert hist[-1]["event"] == "personal_data_revealed"
    assert hist[-1]["detail"]["reason"] == "核实主办者身份"
    for who in (operator, logged_in("observer_mps"), logged_in("admin")):
        assert_error(who.post(path, json={"reason": "x"}), 403, "forbidden")


def test_a_retried_submit_with_the_same_key_runs_once(operator):
    f = create(operator, good_form())
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(operator, f["id"], kind).status_code == 201
    path = "/api/v1/filings/%d/submit" % f["id"]
    key = {"Idempotency-Key": "submit-" + unique()}
    a = operator.post(path, headers=dict(key))
    b = operator.post(path, headers=dict(key))
    assert a.status_code == b.status_code == 200, (a.text, b.text)
    assert a.json() == b.json()
    assert a.json()["filing"]["receipts"] == 1
    assert sql("SELECT COUNT(*) FROM receipt WHERE filing_id = %d"
               % f["id"]) == [["1"]]
    # Without the key the second submit is refused as it should be.
    assert_error(operator.post(path), 409, "invalid_state")
    # The same key on another filing is refused, not replayed.
    g = create(operator, good_form())
    assert_error(operator.post("/api/v1/filings/%d/submit" % g["id"],
                               headers=dict(key)),
                 422, "idempotency_key_reused")
    assert_error(operator.post(path, headers={"Idempotency-Key": "a b"}),
                 400, "bad_idempotency_key")
    # A failed attempt is not remembered: fixing it and retrying works.
    k2 = {"Idempotency-Key": "submit-" + unique()}
    assert_error(operator.post("/api/v1/filings/%d/submit" % g["id"],
                               headers=dict(k2)), 422, "validation")
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(operator, g["id"], kind).status_code == 201
    assert operator.post("/api/v1/filings/%d/submit" % g["id"],
                         headers=dict(k2)).status_code == 200


def test_receipt_purge_keeps_six_months():
    from conftest import vcpctl
    fid = sql("SELECT MIN(id) FROM filing")[0][0]
    for days in (400, 200, 170, 10):
        sql("INSERT INTO receipt (filing_id, kind, received_at, receipt_date,"
            " account_id) VALUES (%s, 'application', NOW(6) - INTERVAL %d DAY,"
            " DATE(NOW() + INTERVAL 8 HOUR) - INTERVAL %d DAY, 1)"
            % (fid, days, days))
    young = sql("SELECT COUNT(*) FROM receipt WHERE receipt_date >="
                " DATE(NOW() + INTERVAL 8 HOUR) - INTERVAL 6 MONTH")[0][0]
    # Asking to purge everything, far into the future, still keeps six
    # months.
    p = vcpctl("receipts", "purge", "--before", "2100-01-01")
    assert p.returncode == 0, p.stderr
    assert "kept receipts younger than six months" in p.stdout
    assert sql("SELECT COUNT(*) FROM receipt WHERE receipt_date <"
               " DATE(NOW() + INTERVAL 8 HOUR) - INTERVAL 6 MONTH") == [["0"]]
    assert sql("SELECT COUNT(*) FROM receipt WHERE receipt_date >="
               " DATE(NOW() + INTERVAL 8 HOUR) - INTERVAL 6 MONTH"
               )[0][0] == young
    assert sql("SELECT COUNT(*) FROM receipt WHERE receipt_date ="
               " DATE(NOW() + INTERVAL 8 HOUR) - INTERVAL 170 DAY") != [["0"]]
    assert vcpctl("receipts", "purge", "--before", "bad").returncode == 1


def test_a_filing_holds_at_most_twenty_attachments(operator):
    """The owner's count and the insert are one statement: the 21st file
    is refused, stores nothing, and a deleted one makes room again."""
    fid = create(operator, good_form())["id"]
    ids = []
    for _ in range(20):
        r = attach(operator, fid, "other")
        assert r.status_code == 201, r.text
        ids.append(r.json()["attachment"]["id"])
    assert_error(attach(operator, fid, "other"), 409, "too_many_attachments")
    assert sql("SELECT COUNT(*) FROM attachment WHERE owner_type = 'filing'"
               " AND owner_id = %d" % fid) == [["20"]]
    r = operator.delete("/api/v1/filings/%d/attachments/%d" % (fid, ids[0]))
    assert r.status_code == 204, r.text
    assert attach(operator, fid, "other").status_code == 201
