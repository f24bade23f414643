"""The portal on a Galera cluster behind nginx with TLS (docs/operations.md,
"What the cluster test shows"): filings submitted and approved at once
through both app hosts on two nodes while one node is killed and brought
back; every acknowledged write on all three nodes, filing numbers unique
and without gaps, every event delivered to each ministry by the two
daemons; TLS, the secure cookie and the client's address at the front.
"""
import http.client
import json
import os
import re
import ssl
import threading
import time

import pytest
import requests

from conftest import STRONG, Client, unique

FILINGS = int(os.environ.get("VCP_CLUSTER_FILINGS", "200"))
THREADS = 8
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# Answers that say nothing was done, or nothing is known: try again.
AGAIN = (500, 502, 503, 504)


def form():
    return {
        "platform": {
            "name": "集群测试漏洞收集平台" + unique(""),
            "homepage": "https://src.example.com",
            "icp": "京ICP备12345678号-1",
            "publish_urls": ["https://src.example.com/bulletins"],
            "social_accounts": [{"app": "微信", "account": "某某安全响应中心"}],
            "online_date": "2027-03-01",
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


def persist(c, method, path, want, **kw):
    """One write, tried again while the answer is a 5xx or the connection
    fails.  Returns (answer, whether an earlier try's outcome is
    unknown)."""
    unknown = False
    for _ in range(240):
        try:
            r = c.req(method, path, **kw)
        except requests.ConnectionError:
            unknown = True
            time.sleep(0.25)
            continue
        if r.status_code in want or r.status_code not in AGAIN:
            return r, unknown
        # 503 is "nothing was done"; 500 may be a commit cut short.
        unknown = unknown or r.status_code != 503
        time.sleep(0.25)
    raise AssertionError("%s %s: no answer but %d" % (method, path,
                                                      r.status_code))


def lifecycle(op, rv, acked):
    """One filing from draft to its number, as a client that retries
    would; records what the portal acknowledged."""
    r, _ = persist(op, "POST", "/api/v1/filings", (201,),
                   json={"form": form()})
    assert r.status_code == 201, r.text
    fid = r.json()["filing"]["id"]
    acked["created"].append(fid)
    for kind in ("mlps_certificate", "commitment_letter"):
        r, unknown = persist(op, "POST", "/api/v1/filings/%d/attachments"
                             % fid, (201,), data=PDF,
                             params={"kind": kind},
                             headers={"Content-Type": "application/pdf"})
        assert r.status_code == 201 or (unknown and r.status_code == 409), \
            r.text
    key = "submit-" + unique()
    r, _ = persist(op, "POST", "/api/v1/filings/%d/submit" % fid, (200,),
                   headers={"Idempotency-Key": key})
    assert r.status_code == 200, r.text
    r, unknown = persist(rv, "POST", "/api/v1/filings/%d/decision" % fid,
                         (200,), json={"decision": "approve"})
    if r.status_code == 409 and unknown:
        # An approval whose answer was lost: what did it do?
        r, _ = persist(rv, "GET", "/api/v1/filings/%d" % fid, (200,))
        assert r.json()["filing"]["status"] == "filed", r.text
    else:
        assert r.status_code == 200, r.text
    f = r.json()["filing"]
    assert f["status"] == "filed" and f["filing_number"], f
    acked["filed"][fid] = f["filing_number"]


def test_tls_front_redirects_and_sends_hsts(cluster):
    r = requests.get(cluster.plain + "/api/v1/registry", timeout=10,
                     allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"] == cluster.base + "/api/v1/registry"
    r = requests.get(cluster.base + "/healthz", verify=cluster.ca,
                     timeout=10)
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    assert r.json()["cluster"]["wsrep_local_state_comment"] == "Synced"
    assert r.json()["cluster"]["wsrep_cluster_size"] == 3
    # nginx's own refusals carry it too.
    r = requests.get(cluster.base + "/" + "x" * 2100, verify=cluster.ca,
                     timeout=10)
    assert r.status_code == 414
    assert "Strict-Transport-Security" in r.headers
    # Only the cluster's CA vouches for the front.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(cluster.base + "/healthz", timeout=10)


def test_session_cookie_is_secure(cluster):
    login = unique("op")
    c = Client(cluster)
    r = c.req("POST", "/api/v1/accounts",
              json={"login": login, "password": STRONG, "name": "运营者"})
    assert r.status_code == 201, r.text
    r = c.login(login)
    cookies = r.headers["Set-Cookie"]
    session = [p for p in re.split(r",\s*(?=vcp_)", cookies)
               if p.startswith("vcp_session=")]
    assert session and "Secure" in session[0].split("; "), cookies
    # Both hosts know the session: it lives in the cluster.
    for h in ("a", "b"):
        r = c.s.get(cluster.host[h] + "/api/v1/session", timeout=10,
                    cookies={"vcp_session": c.s.cookies["vcp_session"]})
        assert r.status_code == 200, (h, r.text)


def register_from(cluster, source, headers=None, host=None):
    """Registers an account over a connection from `source`, through
    nginx (TLS) or straight to an app host; returns the client address
    its audit record holds."""
    body = json.dumps({"login": unique("ip"), "password": STRONG,
                       "name": "测试运营者"})
    hdrs = dict({"Content-Type": "application/json"}, **(headers or {}))
    if host is None:
        ctx = ssl.create_default_context(cafile=cluster.ca)
        c = http.client.HTTPSConnection(
            "127.0.0.1", int(cluster.env["HTTPS_PORT"]), timeout=30,
            source_address=(source, 0), context=ctx)
    else:
        c = http.client.HTTPConnection(
            cluster.env["HOST_" + host.upper()],
            int(cluster.env["KORE_PORT"]), timeout=30,
            source_address=(source, 0))
    try:
        c.request("POST", "/api/v1/accounts", body=body, headers=hdrs)
        r = c.getresponse()
        got = json.loads(r.read())
        assert r.status == 201, got
    finally:
        c.close()
    # The record is appended to audit_queue and sealed into audit_log by
    # a vcpnotifyd within a tenth of a second or so.
    for _ in range(100):
        rows = cluster.sql(3, "SELECT client FROM audit_log WHERE action ="
                           " 'account.register' AND object = 'account:%d'"
                           % got["account"]["id"])
        if rows:
            break
        time.sleep(0.1)
    assert len(rows) == 1
    return rows[0][0]


def test_the_portal_sees_the_client_only_through_nginx(cluster):
    assert register_from(cluster, "127.0.0.2") == "127.0.0.2"
    # A client cannot name itself through the front...
    assert register_from(cluster, "127.0.0.3",
                         {"X-Real-IP": "10.9.8.7"}) == "127.0.0.3"
    # ...nor by going round it: on the app host's own link, from an
    # address that is not nginx's, the header is ignored.
    other = cluster.env["OTHER_A"]
    assert register_from(cluster, other, {"X-Real-IP": "10.9.8.7"},
                         host="a") == other


class Watch(threading.Thread):
    """Reads the register from one host, straight, until told to stop."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.answers = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                code = requests.get(self.url, timeout=10).status_code
            except requests.RequestException as e:
                code = repr(e)
            self.answers.append(code)
            time.sleep(0.2)


def health(cluster, h):
    try:
        return requests.get(cluster.host[h] + "/healthz",
                            timeout=10).status_code
    except requests.RequestException:
        return None


@pytest.fixture(scope="module")
def load(cluster):
    """The load: FILINGS filings through nginx by THREADS clients, with
    node NODE_A (host a's) killed and brought back while it runs."""
    ops, rvs = [], []
    for _ in range(THREADS):
        op = Client(cluster)
        login = unique("op")
        r = op.req("POST", "/api/v1/accounts",
                   json={"login": login, "password": STRONG, "name": "运营者"})
        assert r.status_code == 201, r.text
        op.login(login)
        ops.append(op)
        rv = Client(cluster)
        login = unique("rev")
        p = cluster.vcpctl("account", "add", "--role", "reviewer",
                           "--login", login, "--name", "审核人员",
                           stdin=STRONG + "\n")
        assert p.returncode == 0, p.stderr
        rv.login(login)
        rvs.append(rv)

    acked = {"created": [], "filed": {}, "errors": []}
    todo = list(range(FILINGS))
    lock = threading.Lock()

    def worker(t):
        while True:
            with lock:
                if not todo:
                    return
                todo.pop()
            try:
                lifecycle(ops[t], rvs[t], acked)
            except Exception as e:      # reported by the test
                acked["errors"].append(repr(e))

    watch = Watch(cluster.host["b"] + "/api/v1/registry")
    watch.start()
    threads = [threading.Thread(target=worker, args=(t,), daemon=True)
               for t in range(THREADS)]
    for t in threads:
        t.start()

    def wait_filed(n):
        until = time.time() + 300
        while len(acked["filed"]) < n and time.time() < until and \
                any(t.is_alive() for t in threads):
            time.sleep(0.1)

    out = {"acked": acked, "while_out": [], "after": None}
    wait_filed(FILINGS // 4)
    node = cluster.node_of["a"]
    cluster.run("kill-node", str(node))
    out["killed_at"] = len(acked["filed"])
    # Host a's node is gone: host a answers 503 and nginx passes it by.
    for _ in range(5):
        out["while_out"].append(health(cluster, "a"))
        time.sleep(0.3)
    wait_filed(FILINGS // 2)
    out["restarted_at"] = len(acked["filed"])
    cluster.run("start-node", str(node))
    until = time.time() + 60
    while health(cluster, "a") != 200 and time.time() < until:
        time.sleep(0.2)
    out["after"] = health(cluster, "a")
    for t in threads:
        t.join(timeout=600)
    watch.stop.set()
    watch.join()
    out["watch"] = watch.answers
    return out


def test_load_runs_through_a_node_killed_and_back(cluster, load):
    acked = load["acked"]
    assert acked["errors"] == []
    assert len(acked["filed"]) == FILINGS
    # The kill fell inside the load, and so did the return.
    assert load["killed_at"] < FILINGS and load["restarted_at"] < FILINGS
    assert load["while_out"] and set(load["while_out"]) == {503}, \
        load["while_out"]
    assert load["after"] == 200
    # The other host served the register all along.
    assert load["watch"] and set(load["watch"]) == {200}, \
        [a for a in load["watch"] if a != 200][:5]


def test_every_acknowledged_write_is_on_every_node(cluster, load):
    acked = load["acked"]
    for node in (1, 2, 3):
        rows = cluster.sql(node, "SELECT id, COALESCE(filing_number, '')"
                           " FROM filing")
        have = {int(i): n for i, n in rows}
        assert set(acked["created"]) <= set(have), node
        for fid, number in acked["filed"].items():
            assert have[fid] == number, (node, fid)
        reg = {n for (n,) in cluster.sql(node, "SELECT filing_number FROM"
                                         " registry")}
        assert set(acked["filed"].values()) <= reg, node


def test_no_approval_is_half_committed(cluster, load):
    # Each approval's history, number, register entry and events
    # committed together or not at all, on every node.
    for node in (1, 2, 3):
        assert cluster.sql(node, """
            SELECT h.filing_id FROM filing_history h
            JOIN filing f ON f.id = h.filing_id
            LEFT JOIN registry r ON r.filing_id = f.id
            WHERE h.event = 'approved'
              AND (f.filing_number IS NULL OR r.filing_id IS NULL)""") == []
        assert cluster.sql(node, """
            SELECT n.subject_id FROM notification n
            JOIN filing f ON f.id = n.subject_id
            WHERE n.subject = 'filing' AND n.event = 'filed'
              AND f.filing_number IS NULL""") == []


def test_filing_numbers_are_unique_and_without_gaps(cluster, load):
    numbers = [n for (n,) in cluster.sql(
        3, "SELECT filing_number FROM filing WHERE filing_number IS NOT"
        " NULL")]
    assert len(numbers) == len(set(numbers)) >= FILINGS
    by_year = {}
    for n in numbers:
        _, year, seq, _ = n.split("-")
        by_year.setdefault(year, []).append(int(seq))
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), year


def delivered(cluster):
    """Waits until the outbox is empty; returns each recipient's rows."""
    until = time.time() + 180
    while time.time() < until:
        left = cluster.sql(3, "SELECT COUNT(*) FROM notification WHERE"
                           " status <> 'delivered'")[0][0]
        if left == "0":
            break
        time.sleep(0.5)
    assert left == "0", "%s events not delivered" % left
    rows = {}
    for rcpt, event_id in cluster.sql(3, "SELECT recipient, event_id FROM"
                                      " notification"):
        rows.setdefault(rcpt, set()).add(event_id)
    return rows


def test_every_event_reaches_each_ministry(cluster, load):
    rows = delivered(cluster)
    filed = set(load["acked"]["filed"])
    for rcpt in ("mps", "cac"):
        got = requests.get(cluster.receiver(rcpt) + "/_events",
                           timeout=30).json()
        ids = {e["event_id"] for e in got["events"]}
        assert ids == rows[rcpt], rcpt
        assert filed <= {e["filing_id"] for e in got["events"]
                         if e["event"] == "filed"}, rcpt
        assert got["rejected"] == 0
    # Both daemons did their share.
    senders = {s for (s,) in cluster.sql(
        3, "SELECT DISTINCT delivered_by FROM notification")}
    assert len(senders) == 2, senders


def test_each_event_is_delivered_once(cluster, load):
    # Each event is recorded once per receiver (by its event id).  A claim
    # is a write that certification arbitrates, so two daemons never hold
    # one row at once; but the daemon on the node killed during the load
    # may have sent a batch whose results it could not record, and after
    # its lease the other daemon sends those again: at most one batch,
    # all of them events the receiver already has.
    rows = delivered(cluster)
    for rcpt in ("mps", "cac"):
        got = requests.get(cluster.receiver(rcpt) + "/_events",
                           timeout=30).json()
        ids = [e["event_id"] for e in got["events"]]
        assert len(ids) == len(set(ids)) and set(ids) == rows[rcpt]
        dups = [e["event_id"] for e in got["duplicates"]]
        assert len(dups) <= 500, (rcpt, len(dups))
        assert set(dups) <= set(ids), rcpt


def test_a_host_whose_node_is_not_synced_is_passed_over(cluster, load):
    # After the load: a node that leaves Synced (here desynced on
    # purpose, as a donor is) makes its host's /healthz 503, and the
    # front sends readers to the other host.
    node = cluster.node_of["b"]
    cluster.sql(node, "SET GLOBAL wsrep_desync = ON")
    try:
        r = requests.get(cluster.host["b"] + "/healthz", timeout=10)
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "5"
        body = r.json()
        assert body["database"] == "not_synced"
        assert body["cluster"]["wsrep_local_state"] != 4
        assert body["cluster"]["wsrep_local_state_comment"] == \
            "Donor/Desynced"
        for _ in range(6):
            r = requests.get(cluster.base + "/healthz", verify=cluster.ca,
                             timeout=10)
            assert r.status_code == 200, r.text
    finally:
        cluster.sql(node, "SET GLOBAL wsrep_desync = OFF")
    until = time.time() + 30
    while health(cluster, "b") != 200 and time.time() < until:
        time.sleep(0.2)
    assert health(cluster, "b") == 200
