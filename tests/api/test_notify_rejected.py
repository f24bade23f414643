"""A receiver's permanent refusal: the row is rejected with the answer,
holds its filing's later events loudly (API, vcpctl, /healthz) until a
supervisor sends it again; 408, 429 and 5xx keep the back-off."""
import subprocess

import requests

from conftest import assert_error, logged_in, sql, url, vcpctl
from test_delivery import (NOTIFYD, PORTS, daemon, mode, received,  # noqa
                           receivers, stop, wait_delivered)
from test_filing import filed


def answer(rcpt, status):
    requests.post("http://127.0.0.1:%d/_control" % PORTS[rcpt],
                  json={"mode": "answer", "status": status},
                  timeout=5).raise_for_status()


def drain():
    """Delivers what earlier tests left in the outbox, receivers willing."""
    for rcpt in PORTS:
        mode(rcpt, "ok")
    d = daemon()
    try:
        wait_delivered(180)
    finally:
        stop(d)


def once():
    """One vcpnotifyd pass over the rows that are due."""
    p = subprocess.run([NOTIFYD, "--once"], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr


def due_now():
    sql("UPDATE notification SET next_try_at = NOW(6)"
        " WHERE status = 'pending'")


def row(fid, rcpt, seq):
    r = sql("SELECT id, status, attempts, answer_status, answer_body,"
            " last_error, rejected_at IS NOT NULL, event_id"
            " FROM notification WHERE subject = 'filing' AND subject_id = %d AND recipient = '%s'"
            " AND seq = %d" % (fid, rcpt, seq))
    assert len(r) == 1, r
    keys = ("id", "status", "attempts", "answer_status", "answer_body",
            "last_error", "rejected", "event_id")
    out = dict(zip(keys, r[0]))
    out["id"] = int(out["id"])
    out["attempts"] = int(out["attempts"])
    return out


def listed(client, status):
    r = client.get("/api/v1/notifications", params={"status": status})
    assert r.status_code == 200, r.text
    return {n["id"]: n for n in r.json()["notifications"]}


def health():
    r = requests.get(url("/healthz"), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def printable(text):
    return all(not (ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f) for c in text)


def test_a_refusal_is_kept_and_holds_the_filing_until_resent():
    drain()
    op = logged_in("operator")
    fid = filed(op)["id"]
    answer("mps", 400)
    answer("cac", 403)
    asked = {r: received(r)["answered"] for r in PORTS}
    try:
        once()
        m1, c1 = row(fid, "mps", 1), row(fid, "cac", 1)
        for r, code in ((m1, "400"), (c1, "403")):
            assert r["status"] == "rejected", r
            assert r["attempts"] == 1 and r["rejected"] == "1"
            assert r["answer_status"] == code
            assert r["last_error"] == "HTTP " + code
            # Sealed at rest: a receiver may quote personal data.
            assert r["answer_body"].startswith("v1:")
            assert "签名无效" not in r["answer_body"]

        # A later event of the filing waits behind the refused one, and
        # the refused one is not tried again.
        r = op.post("/api/v1/filings/%d/deregistration" % fid,
                    json={"ended_on": "2025-10-01"})
        assert r.status_code == 200, r.text
        for _ in range(2):
            due_now()
            once()
        m2 = row(fid, "mps", 2)
        assert m2["status"] == "pending" and m2["attempts"] == 0
        assert row(fid, "mps", 1)["attempts"] == 1
        assert row(fid, "cac", 1)["attempts"] == 1
        assert row(fid, "cac", 2)["attempts"] == 0
        for rcpt in PORTS:
            assert received(rcpt)["answered"] == asked[rcpt] + 1

        # Loud in the API: the answer, its status, what it holds back.
        rv = logged_in("reviewer")
        rej = listed(rv, "rejected")
        assert {m1["id"], c1["id"]} <= set(rej)
        n = rej[m1["id"]]
        assert n["status"] == "rejected" and n["answer_status"] == 400
        assert n["rejected_at"] and n["last_error"] == "HTTP 400"
        assert n["blocking"] == 1 and n["blocked_by"] is None
        text = n["answer"]
        assert text.startswith('{"error":"签名无效 signature invalid"')
        assert printable(text) and "\ufffd" in text
        assert text.endswith("\u2026") and len(text) <= 1025
        assert rej[c1["id"]]["answer_status"] == 403
        pend = listed(rv, "pending")
        assert pend[m2["id"]]["blocked_by"] == m1["id"]
        assert all(x["status"] == "rejected" for x in rej.values())

        # Loud in /healthz: 200, a count and a warning to alert on.  An
        # event waiting long counts as stale as well.
        sql("UPDATE notification SET created_at = created_at - INTERVAL 2"
            " HOUR WHERE id = %d" % m2["id"])
        h = health()
        assert h["status"] == "ok"
        assert h["notifications"]["rejected"] >= 2
        assert h["notifications"]["stale_pending"] >= 1
        codes = {w["code"]: w for w in h["warnings"]}
        assert codes["notifications_rejected"]["count"] == \
            h["notifications"]["rejected"]
        assert "notifications_stale" in codes

        # Loud in vcpctl.
        p = vcpctl("notifications", "list", "--status", "rejected")
        assert p.returncode == 0, p.stderr
        lines = p.stdout.splitlines()
        line = [l for l in lines if l.split()[0] == str(m1["id"])]
        assert line and " rejected " in line[0] and " 400 " in line[0]
        assert "holds back 1" in line[0]
        body = lines[lines.index(line[0]) + 1].strip()
        assert body.startswith('answer: {"error":"签名无效')
        assert printable(p.stdout.replace("\n", ""))
        p = vcpctl("notifications", "list", "--status", "pending")
        assert "waits behind %d" % m1["id"] in p.stdout
        assert vcpctl("notifications", "list", "--status", "x").returncode \
            == 1

        # Only a supervisor may send it again.
        assert_error(rv.post("/api/v1/notifications/%d/retry" % m1["id"]),
                     403, "forbidden")
    finally:
        for rcpt in PORTS:
            mode(rcpt, "ok")

    # The cause fixed, a supervisor sends one again, vcpctl the other.
    sup = logged_in("supervisor")
    r = sup.post("/api/v1/notifications/%d/retry" % m1["id"])
    assert r.status_code == 202, r.text
    assert r.json() == {"id": m1["id"], "status": "pending",
                        "previous": "rejected"}
    p = vcpctl("notifications", "resend", str(c1["id"]))
    assert p.returncode == 0, p.stderr
    for nid, role in ((m1["id"], "supervisor"), (c1["id"], "system")):
        assert sql("SELECT actor_role, outcome FROM audit_log WHERE"
                   " action = 'notification.retry' AND object ="
                   " 'notification:%d'" % nid) == [[role, "ok"]]
    assert row(fid, "mps", 1)["status"] == "pending"
    assert row(fid, "mps", 1)["event_id"] == m1["event_id"]

    for _ in range(20):
        once()
        if sql("SELECT COUNT(*) FROM notification WHERE subject = 'filing' AND subject_id = %d"
               " AND status <> 'delivered'" % fid) == [["0"]]:
            break
        due_now()
    for rcpt in PORTS:
        for seq in (1, 2):
            assert row(fid, rcpt, seq)["status"] == "delivered"
        got = [e for e in received(rcpt)["events"] if e["filing_id"] == fid]
        assert [e["sequence"] for e in got] == [1, 2]
        assert got[0]["event_id"] == m1["event_id"]

    # Delivered rows cannot be sent again; the counts follow the table.
    assert_error(sup.post("/api/v1/notifications/%d/retry" % m1["id"]),
                 409, "not_pending")
    p = vcpctl("notifications", "resend", str(m1["id"]))
    assert p.returncode == 1 and "already delivered" in p.stderr
    h = health()
    left = int(sql("SELECT COUNT(*) FROM notification"
                   " WHERE status = 'rejected'")[0][0])
    assert h["notifications"]["rejected"] == left
    if left == 0:
        assert "notifications_rejected" not in \
            {w["code"] for w in h["warnings"]}


def test_throttled_or_unavailable_receivers_keep_the_back_off():
    drain()
    op = logged_in("operator")
    fid = filed(op)["id"]
    try:
        answer("mps", 429)
        answer("cac", 503)
        once()
        for rcpt, code in (("mps", "429"), ("cac", "503")):
            r = row(fid, rcpt, 1)
            assert r["status"] == "pending" and r["attempts"] >= 1, r
            assert r["answer_status"] == code and r["rejected"] == "0"
            assert r["last_error"] == "HTTP " + code
        tries = {rcpt: row(fid, rcpt, 1)["attempts"] for rcpt in PORTS}
        answer("mps", 408)
        answer("cac", 408)
        due_now()
        once()
        for rcpt in PORTS:
            r = row(fid, rcpt, 1)
            assert r["status"] == "pending", r
            assert r["attempts"] > tries[rcpt]
            assert r["answer_status"] == "408"
        assert listed(logged_in("reviewer"), "rejected").get(
            row(fid, "mps", 1)["id"]) is None
    finally:
        for rcpt in PORTS:
            mode(rcpt, "ok")
    due_now()
    once()
    for rcpt in PORTS:
        r = row(fid, rcpt, 1)
        assert r["status"] == "delivered", r
        assert r["answer_status"] == "NULL"
