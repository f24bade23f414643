"""The outcomes of a verified tip-off (issue 10, phase 3): a rectification
ordered by a due date, the revocation of the linked filing, a referral
to one ministry through the outbox; who may record them, and when."""
import datetime
import json
import os
import subprocess

import requests
from lxml import etree

from conftest import TOP, VCPCTL, assert_error, logged_in, sql, url, vcpctl
from test_delivery import (daemon, received, receivers,  # noqa: F401
                           stop, wait_delivered)
from test_filing import filed
from test_notify import feed, feed_end
from test_tipoff import Reporter, report
from test_tipoff_cases import submitted

Q = "/api/v1/review/tipoffs"
NS = {"n": "urn:vcp:notification:1"}


def future(days=30):
    return (datetime.datetime.utcnow() + datetime.timedelta(
        hours=8, days=days)).strftime("%Y-%m-%d")


def verified(staff, source, **kw):
    """A case submitted, taken by staff and verified; its id and receipt."""
    rep = Reporter(source)
    tid, out = submitted(rep, **kw)
    r = staff.post(Q + "/%d/assignment" % tid)
    assert r.status_code == 200, r.text
    r = staff.post(Q + "/%d/status" % tid, json={"status": "verified"})
    assert r.status_code == 200, r.text
    return tid, rep, out


def test_rectification_with_a_due_date_and_what_the_reporter_sees():
    rev = logged_in("reviewer")
    tid, rep, out = verified(rev, "127.0.0.170")
    path = Q + "/%d/outcomes" % tid
    err = assert_error(rev.post(path, json={"kind": "rectification",
                                            "reasons": "首页未展示编号"}),
                       422, "validation")
    assert err["fields"]["due_on"]["code"] == "required"
    today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)
             ).strftime("%Y-%m-%d")
    err = assert_error(rev.post(path, json={
        "kind": "rectification", "reasons": "x", "due_on": today}),
        422, "validation")
    assert err["fields"]["due_on"]["code"] == "format"
    err = assert_error(rev.post(path, json={"kind": "fine", "reasons": "x"}),
                       422, "validation")
    assert "kind" in err["fields"]
    due = future()
    r = rev.post(path, json={"kind": "rectification", "due_on": due,
                             "reasons": "责令张三在期限内整改首页。"})
    assert r.status_code == 201, r.text
    o = r.json()["outcome"]
    assert o["kind"] == "rectification" and o["due_on"] == due
    assert o["ministry"] is None and o["login"]
    # Sealed at rest: the reasons may name people.
    assert sql("SELECT LEFT(reasons, 3) FROM tipoff_outcome WHERE id = %d"
               % o["id"]) == [["v1:"]]
    case = rev.get(Q + "/%d" % tid).json()["tipoff"]
    assert [x["id"] for x in case["outcomes"]] == [o["id"]]
    assert case["outcomes"][0]["reasons"] == "责令张三在期限内整改首页。"
    assert sql("SELECT COUNT(*) FROM audit_log WHERE action ="
               " 'review.tipoff.outcome' AND object = 'tipoff:%d'"
               " AND outcome = 'ok'" % tid) == [["1"]]
    # The reporter learns that action followed, not which, nor why.
    assert rep.open(out["receipt_code"]).status_code == 201
    mine = rep.req("GET", "/api/v1/tipoffs/mine").json()["tipoff"]
    assert mine["status"] == "verified" and mine["action_taken"] is True
    assert "张三" not in str(mine) and "rectification" not in str(mine)


def test_revocation_revokes_the_linked_filing_naming_the_tip_off():
    op = logged_in("operator")
    f = filed(op)
    sup = logged_in("supervisor")
    tid, _, out = verified(sup, "127.0.0.171")
    path = Q + "/%d/outcomes" % tid
    body = {"kind": "revocation", "reasons": "查证属实：未备案即收集。"}
    # Not linked yet: nothing to revoke.
    assert_error(sup.post(path, json=body), 409, "no_filing")
    r = sup.put(Q + "/%d/filing" % tid,
                json={"filing_number": f["filing_number"]})
    assert r.status_code == 200, r.text
    # A reviewer, even the assignee, does not revoke.
    rev = logged_in("reviewer")
    tid2, _, _ = verified(rev, "127.0.0.172")
    assert_error(rev.post(Q + "/%d/outcomes" % tid2, json=body), 403,
                 "forbidden")

    r = sup.post(path, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["outcome"]["filing_number"] == f["filing_number"]
    rec = requests.get(url("/api/v1/registry/" + f["filing_number"]),
                       timeout=10).json()["record"]
    assert rec["status"] == "revoked"
    hist = sup.get("/api/v1/filings/%d" % f["id"]).json()["filing"][
        "history"]
    assert hist[-1]["event"] == "revoked"
    assert hist[-1]["detail"]["tipoff"] == out["reference"]
    # Revoked already: a second revocation is refused, nothing recorded.
    assert_error(sup.post(path, json=body), 409, "filing_not_filed")
    assert sql("SELECT COUNT(*) FROM tipoff_outcome WHERE tipoff_id = %d"
               % tid) == [["1"]]


def test_outcomes_refused_before_verified_and_for_other_roles():
    rev = logged_in("reviewer")
    rep = Reporter("127.0.0.173")
    tid, _ = submitted(rep)
    body = {"kind": "referral", "ministry": "mps", "reasons": "x"}
    path = Q + "/%d/outcomes" % tid
    assert rev.post(Q + "/%d/assignment" % tid).status_code == 200
    assert_error(rev.post(path, json=body), 409, "invalid_state")
    assert rev.post(Q + "/%d/status" % tid,
                    json={"status": "verified"}).status_code == 200
    # Another reviewer: not theirs.
    assert_error(logged_in("reviewer").post(path, json=body), 403,
                 "not_assigned")
    for role in ("operator", "admin", "observer_mps", "observer_cac"):
        assert_error(logged_in(role).post(path, json=body), 403, "forbidden")
    assert requests.post(url(path), json=body, timeout=10
                         ).status_code in (401, 403)
    err = assert_error(rev.post(path, json={"kind": "referral",
                                            "reasons": "x"}),
                       422, "validation")
    assert err["fields"]["ministry"]["code"] == "required"
    assert sql("SELECT COUNT(*) FROM tipoff_outcome WHERE tipoff_id = %d"
               % tid) == [["0"]]


def schema():
    with open(os.path.join(TOP, "schema", "notification.xsd"), "rb") as f:
        return etree.XMLSchema(etree.fromstring(f.read()))


def test_a_referral_arrives_signed_at_that_ministry_only():
    rev = logged_in("reviewer")
    tid, _, out = verified(rev, "127.0.0.174",
                           contact={"name": "李四", "phone": "13800000000"})
    start = {m: feed_end(m) for m in ("mps", "cac")}
    r = rev.post(Q + "/%d/outcomes" % tid, json={
        "kind": "referral", "ministry": "mps",
        "reasons": "涉嫌非法出售漏洞信息，移送公安机关。"})
    assert r.status_code == 201, r.text
    rows = sql("SELECT event_id, recipient, event FROM notification"
               " WHERE subject = 'tipoff' AND subject_id = %d" % tid)
    assert len(rows) == 1 and rows[0][1:] == ["mps", "referred"]
    eid = rows[0][0]

    d = daemon()
    try:
        wait_delivered(120)
    finally:
        stop(d)
    # The receiver accepts only what verifies and validates.
    got = [e for e in received("mps")["events"] if e["event_id"] == eid]
    assert len(got) == 1 and got[0]["subject"] == "tipoff"
    assert not [e for e in received("cac")["events"]
                if e["event_id"] == eid]
    doc = etree.fromstring(got[0]["payload"].encode())
    assert schema().validate(doc), schema().error_log
    ref = doc.find("n:tipoffReferral", NS)
    assert ref.get("reference") == out["reference"]
    assert ref.get("ministry") == "mps"
    assert ref.get("reporterContact") == "on_file"
    assert ref.find("n:reasons", NS).text.startswith("涉嫌非法出售")
    assert ref.find("n:platform/n:name", NS).text == report()[
        "platform"]["name"]
    assert ref.find("n:description", NS).text == report()["description"]
    # The contact details themselves are never sent.
    assert "李四" not in got[0]["payload"]
    assert "13800000000" not in got[0]["payload"]

    # In the feed of observer_mps, not of observer_cac.
    def mine(body):
        items = [v for v in body.values() if isinstance(v, list)][0]
        return [i for i in items if i.get("event_id") == eid]

    seen = mine(feed("observer_mps", start["mps"]))
    assert len(seen) == 1
    assert seen[0]["subject"] == "tipoff" and seen[0]["subject_id"] == tid
    assert not mine(feed("observer_cac", start["cac"]))


def test_purge_of_an_old_case_with_outcomes():
    rev = logged_in("reviewer")
    tid, _, _ = verified(rev, "127.0.0.175")
    r = rev.post(Q + "/%d/outcomes" % tid, json={
        "kind": "rectification", "due_on": future(), "reasons": "整改"})
    assert r.status_code == 201, r.text
    sql("UPDATE tipoff SET received_at = UTC_TIMESTAMP(6) - INTERVAL 900 DAY,"
        " decided_at = UTC_TIMESTAMP(6) - INTERVAL 800 DAY WHERE id = %d"
        % tid)
    p = vcpctl("tipoffs", "purge")
    assert p.returncode == 0, p.stderr
    assert sql("SELECT COUNT(*) FROM tipoff WHERE id = %d" % tid) == [["0"]]
    assert sql("SELECT COUNT(*) FROM tipoff_outcome WHERE tipoff_id = %d"
               % tid) == [["0"]]


def test_the_readme_walk_through_of_a_tip_off(tmp_path):
    """The README's curl sequence, run as written against this server."""
    with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
        text = f.read()
    text = text[text.index("### A tip-off, from submission to answer"):]
    block = text[text.index("```sh\n") + 6:]
    block = block[:block.index("```")]
    login = "readme%d" % os.getpid()
    block = (block.replace("H=http://127.0.0.1:8888", "H=" + url(""))
             .replace("build/vcpctl", os.path.abspath(VCPCTL))
             .replace("wang.wu", login))
    p = subprocess.run(["sh", "-e", "-c", block], cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    # curl ends no answer with a newline: the last one is the reporter's.
    mine = json.loads(p.stdout[p.stdout.rindex('{"tipoff"'):])["tipoff"]
    assert [m["body"] for m in mine["messages"]] == ["已受理，我们正在核查。"]
    assert mine["status"] == "in_review"
