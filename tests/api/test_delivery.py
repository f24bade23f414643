"""vcpnotifyd and the receivers: every event arrives, verified, in order,
through receivers that fail, a daemon killed with -9, and two daemons."""
import concurrent.futures
import os
import signal
import subprocess
import time

import pytest
import requests

from conftest import (STRONG, TOP, VAR, Client, logged_in, make_account,
                      register, sql, unique)
from test_filing import attach, good_form

NOTIFYD = os.environ.get("VCPNOTIFYD", "build/vcpnotifyd")
PORTS = {"mps": int(os.environ.get("VCP_MPS_PORT", "18911")),
         "cac": int(os.environ.get("VCP_CAC_PORT", "18912"))}


def receiver_url(rcpt, path):
    return "http://127.0.0.1:%d%s" % (PORTS[rcpt], path)


@pytest.fixture(scope="module", autouse=True)
def receivers():
    procs = []
    for rcpt, port in PORTS.items():
        procs.append(subprocess.Popen([
            "/usr/bin/python3", os.path.join(TOP, "scripts", "receiver.py"),
            "--port", str(port), "--recipient", rcpt,
            "--cert", os.path.join(VAR, "keys", "sign.crt"),
            "--schema", os.path.join(TOP, "schema", "notification.xsd")]))
    for rcpt in PORTS:
        for _ in range(100):
            try:
                requests.get(receiver_url(rcpt, "/_events"), timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
    yield
    for p in procs:
        p.terminate()
        p.wait()


def mode(rcpt, m):
    requests.post(receiver_url(rcpt, "/_control"), json={"mode": m},
                  timeout=5).raise_for_status()


def received(rcpt):
    return requests.get(receiver_url(rcpt, "/_events"), timeout=10).json()


def daemon():
    return subprocess.Popen([NOTIFYD], stderr=subprocess.DEVNULL)


def stop(p, sig=signal.SIGTERM):
    p.send_signal(sig)
    p.wait(timeout=30)


def wait_delivered(timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if sql("SELECT COUNT(*) FROM notification WHERE status = 'pending'"
               ) == [["0"]]:
            return
        time.sleep(0.3)
    raise AssertionError("outbox not drained: %s" % sql(
        "SELECT COUNT(*), MAX(last_error) FROM notification"
        " WHERE status = 'pending'"))


def expected_events(since_id=0):
    # Not the synthetic rows of test_feed_order.py: never sent.
    rows = sql("SELECT event_id, recipient, subject_id, seq FROM notification"
               " WHERE id > %d AND event_id NOT LIKE 'feedfeed-%%'"
               % since_id)
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}


def last_id():
    return int(sql("SELECT COALESCE(MAX(id), 0) FROM notification")[0][0])


class Burst:
    """Files, changes and deregisters platforms: three events each."""

    def __init__(self):
        self.op = Client()
        self.op.login(register())
        self.rv = Client()
        self.rv.login(make_account("reviewer"))

    def one(self, _):
        op, rv = self.op, self.rv
        f = op.post("/api/v1/filings", json={"form": good_form()}).json()[
            "filing"]
        fid = f["id"]
        for kind in ("mlps_certificate", "commitment_letter"):
            assert attach(op, fid, kind).status_code == 201
        assert op.post("/api/v1/filings/%d/submit" % fid).status_code == 200
        assert rv.post("/api/v1/filings/%d/decision" % fid,
                       json={"decision": "approve"}).status_code == 200
        r = op.post("/api/v1/filings/%d/changes" % fid, json={
            "changed_on": "2025-09-05",
            "changes": {"platform": {"name": "变更" + unique("")}}})
        assert r.status_code == 201, r.text
        cid = r.json()["change"]["id"]
        assert rv.post("/api/v1/filings/%d/changes/%d/decision" % (fid, cid),
                       json={"decision": "approve"}).status_code == 200
        assert op.post("/api/v1/filings/%d/deregistration" % fid,
                       json={"ended_on": "2025-10-01"}).status_code == 200


def burst(events):
    workers = [Burst() for _ in range(6)]
    n = (events + 2) // 3
    with concurrent.futures.ThreadPoolExecutor(len(workers)) as ex:
        list(ex.map(lambda i: workers[i % len(workers)].one(i), range(n)))


def check_all_arrived(since_id):
    want = expected_events(since_id)
    for rcpt in PORTS:
        got = received(rcpt)
        firsts = {e["event_id"]: e for e in got["events"]}
        mine = {eid for (eid, r) in want if r == rcpt}
        missing = mine - set(firsts)
        assert not missing, (rcpt, len(missing))
        # Duplicates are copies of events it already had.
        for d in got["duplicates"]:
            assert d["event_id"] in firsts
        # Per filing, events arrive in sequence order.
        last = {}
        for e in got["events"]:
            if e["event_id"] not in mine:
                continue
            assert e["sequence"] > last.get(e["filing_id"], 0), e
            last[e["filing_id"]] = e["sequence"]
        assert got["rejected"] == 0


def test_an_approval_arrives_once_at_each_receiver():
    start = last_id()
    d = daemon()
    try:
        Burst().one(0)
        wait_delivered(60)
    finally:
        stop(d)
    want = expected_events(start)
    assert len(want) == 6          # filed, changed, deregistered x 2
    for rcpt in PORTS:
        got = received(rcpt)
        ids = [e["event_id"] for e in got["events"]]
        for (eid, r) in want:
            if r == rcpt:
                assert ids.count(eid) == 1
        assert not [x for x in got["duplicates"]
                    if (x["event_id"], rcpt) in want]


def test_a_receiver_down_for_a_while_gets_everything_in_order():
    start = last_id()
    mode("mps", "fail")
    mode("cac", "hang")             # no answer: the daemon's time-out
    d = daemon()
    try:
        for i in range(4):
            Burst().one(i)
        time.sleep(4)
        mode("cac", "close")        # connections dropped without an answer
        time.sleep(2)
        pending = sql("SELECT COUNT(*), MAX(attempts), MAX(last_error) FROM"
                      " notification WHERE status = 'pending' AND id > %d"
                      % start)[0]
        assert int(pending[0]) > 0 and int(pending[1]) >= 1
        rows = logged_in("reviewer").get(
            "/api/v1/notifications", params={"status": "pending"}).json()[
            "notifications"]
        assert any(r["last_error"] for r in rows)
        mode("mps", "ok")
        mode("cac", "ok")
        wait_delivered(120)
    finally:
        mode("mps", "ok")
        mode("cac", "ok")
        stop(d)
    check_all_arrived(start)


def test_kill_9_during_a_burst_loses_nothing():
    start = last_id()
    burst(1000)
    assert len(expected_events(start)) >= 2000
    d = daemon()
    time.sleep(1.0)
    stop(d, signal.SIGKILL)
    d = daemon()
    try:
        wait_delivered(300)
    finally:
        stop(d)
    check_all_arrived(start)


def test_two_daemons_share_the_work_without_sending_twice():
    start = last_id()
    burst(1000)
    before = {r: len(received(r)["duplicates"]) for r in PORTS}
    a, b = daemon(), daemon()
    try:
        wait_delivered(300)
    finally:
        stop(a)
        stop(b)
    check_all_arrived(start)
    for r in PORTS:
        assert len(received(r)["duplicates"]) == before[r]
    # Both daemons did some of the work.
    owners = sql("SELECT COUNT(DISTINCT delivered_by) FROM notification"
                 " WHERE id > %d" % start)
    assert owners == [["2"]]


def test_two_daemons_on_one_backlog_keep_each_subject_in_order(tmp_path):
    """Small batches make the two daemons interleave on every subject:
    each claims with a lease written by an UPDATE, so neither sends a row
    the other holds, and a subject's next event is claimable only once the
    previous one is acknowledged."""
    start = last_id()
    burst(300)
    with open(os.path.join(VAR, "vcp.conf")) as f:
        conf = f.read()
    cfg = tmp_path / "vcp.conf"
    cfg.write_text(conf + "\nnotify_batch 7\n")
    env = dict(os.environ, VCP_CONFIG=str(cfg))
    before = {r: len(received(r)["duplicates"]) for r in PORTS}
    ds = [subprocess.Popen([NOTIFYD], env=env, stderr=subprocess.DEVNULL)
          for _ in range(2)]
    try:
        wait_delivered(300)
    finally:
        for d in ds:
            stop(d)
    check_all_arrived(start)
    for r in PORTS:
        assert len(received(r)["duplicates"]) == before[r]
    rows = sql("SELECT subject_id, recipient, seq, delivered_by,"
               " DATE_FORMAT(delivered_at, '%%Y%%m%%d%%H%%i%%s%%f')"
               " FROM notification WHERE id > %d AND subject = 'filing'"
               " ORDER BY subject_id, recipient, seq" % start)
    assert len(rows) >= 600
    assert len({r[3] for r in rows}) == 2
    # Each row was acknowledged no earlier than the one before it.
    for a, b in zip(rows, rows[1:]):
        if a[:2] == b[:2]:
            assert int(b[2]) == int(a[2]) + 1 and b[4] >= a[4], (a, b)
    assert sql("SELECT COUNT(*) FROM notification WHERE id > %d"
               " AND lease_owner IS NOT NULL" % start) == [["0"]]


def test_a_tampered_payload_is_rejected_by_the_receiver():
    op = logged_in("operator")
    from test_filing import filed
    start = int(sql("SELECT COALESCE(MAX(position), 0) FROM notification"
                    " WHERE recipient = 'mps'")[0][0])
    f = filed(op)
    obs = logged_in("observer_mps")
    ev = [e for e in obs.get("/api/v1/feed", params={
        "after": start, "limit": 500}).json()["events"]
        if e["filing_id"] == f["id"]]
    xml = ev[-1]["payload"].encode()
    before = received("mps")["rejected"]
    bad = xml.replace(b"https://src.example.com",
                      b"https://evil.example.com")
    assert bad != xml
    r = requests.post(receiver_url("mps", "/"), data=bad, timeout=10,
                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 400
    assert received("mps")["rejected"] == before + 1
    # The untouched payload passes the same check.
    r = requests.post(receiver_url("mps", "/"), data=xml, timeout=10,
                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 200
    assert r.json()["accepted"] == etree_event_id(xml)


def etree_event_id(xml):
    from lxml import etree
    return etree.fromstring(xml).get("eventId")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   capture_output=True)


def make_pki(d):
    """A CA, a server certificate for 127.0.0.1 and a client certificate."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=test ministry CA", "-keyout", "ca.key",
            "-out", "ca.crt", cwd=d)
    with open(os.path.join(d, "san.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    for name, cn in (("server", "127.0.0.1"), ("client", "vcp portal")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn,
                "-keyout", name + ".key", "-out", name + ".csr", cwd=d)
        extra = ["-extfile", "san.cnf"] if name == "server" else []
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-out", name + ".crt", *extra, cwd=d)


def test_client_certificate_tls(tmp_path):
    d = str(tmp_path)
    make_pki(d)
    port = PORTS["mps"] + 10
    rx = subprocess.Popen([
        "/usr/bin/python3", os.path.join(TOP, "scripts", "receiver.py"),
        "--port", str(port), "--recipient", "mps",
        "--cert", os.path.join(VAR, "keys", "sign.crt"),
        "--schema", os.path.join(TOP, "schema", "notification.xsd"),
        "--tls-cert", os.path.join(d, "server.crt"),
        "--tls-key", os.path.join(d, "server.key"),
        "--client-ca", os.path.join(d, "ca.crt")])
    base = open(os.environ["VCP_CONFIG"]).read()

    def config(with_client_cert):
        lines = [l for l in base.splitlines()
                 if not l.startswith("notify_mps_url")]
        lines += ["notify_mps_url https://127.0.0.1:%d/" % port,
                  "notify_ca_file " + os.path.join(d, "ca.crt")]
        if with_client_cert:
            lines += ["notify_client_cert " + os.path.join(d, "client.crt"),
                      "notify_client_key " + os.path.join(d, "client.key")]
        path = os.path.join(d, "vcp-%d.conf" % with_client_cert)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return dict(os.environ, VCP_CONFIG=path)

    try:
        time.sleep(1)
        start = last_id()
        Burst().one(0)
        want = {eid for (eid, r) in expected_events(start) if r == "mps"}
        # Without a client certificate the ministry refuses the handshake.
        subprocess.run([NOTIFYD, "--once"], env=config(False), timeout=120,
                       stderr=subprocess.DEVNULL)
        left = sql("SELECT COUNT(*), MAX(last_error) FROM notification"
                   " WHERE recipient = 'mps' AND status = 'pending'"
                   " AND id > %d" % start)[0]
        assert int(left[0]) > 0 and left[1] != "NULL"
        sql("UPDATE notification SET next_try_at = NOW(6)"
            " WHERE status = 'pending'")
        deadline = time.time() + 120
        while time.time() < deadline:
            subprocess.run([NOTIFYD, "--once"], env=config(True),
                           timeout=120, stderr=subprocess.DEVNULL)
            got = {e["event_id"] for e in requests.get(
                "https://127.0.0.1:%d/_events" % port, timeout=10,
                verify=os.path.join(d, "ca.crt"),
                cert=(os.path.join(d, "client.crt"),
                      os.path.join(d, "client.key"))).json()["events"]}
            if want <= got:
                break
            sql("UPDATE notification SET next_try_at = NOW(6)"
                " WHERE status = 'pending'")
            time.sleep(0.5)
        assert want <= got
    finally:
        rx.terminate()
        rx.wait()
