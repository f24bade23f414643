"""The tip-off channel, the regulators' side (issue 10, phase 2a): the
tip-off queue, a case's handling (audited reads, assignment, statuses,
notes apart from messages, filing links, duplicates, evidence), and who
may call every tip-off route."""
import hashlib

import requests

from conftest import assert_error, logged_in, sql, url
from test_filing import filed
from test_tipoff import PNG, Reporter, report

Q = "/api/v1/review/tipoffs"


def submitted(rep, **kw):
    r = rep.submit(report(**kw))
    assert r.status_code == 201, r.text
    out = r.json()
    tid = sql("SELECT id FROM tipoff WHERE reference = '%s'"
              % out["reference"])[0][0]
    return int(tid), out


def reads_of(tid, action="review.tipoff.read"):
    return sql("SELECT actor_id, actor_role, client FROM audit_log"
               " WHERE action = '%s' AND object = 'tipoff:%d'"
               " AND outcome = 'ok'" % (action, tid))


def test_a_tip_off_from_queue_to_verified():
    rep = Reporter("127.0.0.150")
    tid, out = submitted(rep, category="number_not_shown")
    assert rep.open(out["receipt_code"]).status_code == 201
    r = rep.req("POST", "/api/v1/tipoffs/mine/evidence?filename=a.png",
                data=PNG, headers={"Content-Type": "image/png"})
    assert r.status_code == 201, r.text
    aid = r.json()["evidence"]["id"]

    rev = logged_in("reviewer")
    r = rev.get(Q)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["targets"] == {"answer_workdays": 5, "decision_workdays": 30}
    rows = [x for x in body["queue"] if x["tipoff_id"] == tid]
    assert len(rows) == 1
    row = rows[0]
    assert row["reference"] == out["reference"]
    assert row["status"] == "new" and row["category"] == "number_not_shown"
    assert row["assigned_to"] is None and row["answered"] is False
    assert row["platform"]["name"] == "某漏洞平台"
    assert row["age_workdays"] == 0
    assert row["answer_overdue"] is False
    assert row["decision_overdue"] is False
    # A target past the loaded calendar is null, never a guess.
    assert row["answer_due"] or row["deadline_pending"]
    if row["answer_due"] and row["decision_due"]:
        assert row["decision_due"] > row["answer_due"]
    # Oldest first.
    got = [x["received_at"] for x in body["queue"]]
    assert got == sorted(got)
    # Filters: by category, by status.
    r = rev.get(Q + "?category=number_not_shown")
    assert all(x["category"] == "number_not_shown" for x in r.json()["queue"])
    assert tid in [x["tipoff_id"] for x in r.json()["queue"]]
    r = rev.get(Q + "?category=other")
    assert tid not in [x["tipoff_id"] for x in r.json()["queue"]]
    r = rev.get(Q + "?status=verified")
    assert tid not in [x["tipoff_id"] for x in r.json()["queue"]]
    err = assert_error(rev.get(Q + "?status=pending"), 422, "validation")
    assert "status" in err["fields"]

    # Reading is audited, with who and which case.
    r = rev.get(Q + "/%d" % tid)
    assert r.status_code == 200, r.text
    case = r.json()["tipoff"]
    assert case["submission"]["description"] == report()["description"]
    assert case["status"] == "new"
    assert [e["id"] for e in case["evidence"]] == [aid]
    reads = reads_of(tid)
    assert len(reads) == 1
    assert int(reads[0][0]) == rev.account["id"]
    assert reads[0][1] == "reviewer" and reads[0][2] != ""

    # Before taking it, the reviewer may not act on it.
    assert_error(rev.post(Q + "/%d/notes" % tid, json={"body": "x"}), 403,
                 "not_assigned")
    r = rev.post(Q + "/%d/assignment" % tid)
    assert r.status_code == 200, r.text
    case = r.json()["tipoff"]
    assert case["status"] == "in_review"
    assert case["assigned_to"] == rev.account["id"]
    # Another reviewer cannot take it from them.
    other = logged_in("reviewer")
    assert_error(other.post(Q + "/%d/assignment" % tid), 409,
                 "already_assigned")
    assert_error(other.post(Q + "/%d/status" % tid,
                            json={"status": "verified"}), 403, "not_assigned")

    r = rev.post(Q + "/%d/notes" % tid, json={"body": "内部：先核实首页。"})
    assert r.status_code == 201, r.text
    r = rev.post(Q + "/%d/messages" % tid,
                 json={"body": "已受理，请补充截图的时间。"})
    assert r.status_code == 201, r.text
    assert r.json()["message"]["author"] == "regulator"

    # The reporter reads the message, never the note, and replies.
    mine = rep.req("GET", "/api/v1/tipoffs/mine").json()["tipoff"]
    bodies = [m["body"] for m in mine["messages"]]
    assert bodies == ["已受理，请补充截图的时间。"]
    assert "内部" not in r.text + str(mine)
    r = rep.req("POST", "/api/v1/tipoffs/mine/messages",
                json={"body": "截图为昨日。"})
    assert r.status_code == 201, r.text
    assert mine["status"] == "in_review"

    case = rev.get(Q + "/%d" % tid).json()["tipoff"]
    assert [n["body"] for n in case["notes"]] == ["内部：先核实首页。"]
    assert [m["author"] for m in case["messages"]] == ["regulator",
                                                       "reporter"]
    assert case["first_answer_at"] is not None
    assert len(reads_of(tid)) == 2
    # The note is sealed at rest.
    assert sql("SELECT LEFT(body, 3) FROM tipoff_note WHERE tipoff_id = %d"
               % tid) == [["v1:"]]

    # Evidence, opened whole for staff (zero bytes and all), audited.
    r = rev.get(Q + "/%d/evidence/%d" % (tid, aid))
    assert r.status_code == 200, r.text
    assert r.content == PNG
    assert r.headers["Content-Type"] == "image/png"
    assert hashlib.sha256(r.content).hexdigest() == \
        hashlib.sha256(PNG).hexdigest()
    assert len(reads_of(tid, "review.tipoff.evidence")) == 1
    assert_error(rev.get(Q + "/%d/evidence/999999999" % tid), 404,
                 "not_found")

    # Decided: verified, where outcomes will start; then no more changes.
    err = assert_error(rev.post(Q + "/%d/status" % tid,
                                json={"status": "closed"}), 422, "validation")
    assert err["fields"]["reason"]["code"] == "required"
    r = rev.post(Q + "/%d/status" % tid, json={"status": "verified"})
    assert r.status_code == 200, r.text
    assert r.json()["tipoff"]["status"] == "verified"
    assert r.json()["tipoff"]["decided_at"] is not None
    assert_error(rev.post(Q + "/%d/status" % tid,
                          json={"status": "unfounded"}), 409, "invalid_state")
    assert rep.req("GET", "/api/v1/tipoffs/mine").json()[
        "tipoff"]["status"] == "verified"
    assert tid not in [x["tipoff_id"] for x in rev.get(Q).json()["queue"]]
    r = rev.get(Q + "?status=verified")
    assert tid in [x["tipoff_id"] for x in r.json()["queue"]]
    assert_error(rev.get(Q + "/999999999"), 404, "not_found")


def test_duplicates_filing_links_and_reassignment():
    rep = Reporter("127.0.0.151")
    first, _ = submitted(rep)
    second, _ = submitted(rep)
    sup = logged_in("supervisor")
    rev = logged_in("reviewer")

    # A supervisor assigns to a reviewer, and only to regulators.
    r = sup.post(Q + "/%d/assignment" % second,
                 json={"account_id": rev.account["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["tipoff"]["assigned_to"] == rev.account["id"]
    op = logged_in("operator")
    err = assert_error(sup.post(Q + "/%d/assignment" % first,
                                json={"account_id": op.account["id"]}),
                       422, "validation")
    assert err["fields"]["account_id"]["code"] == "not_regulator"
    # An old case, never answered: both targets are past (2025's
    # calendar is loaded), and the age counts working days.
    sql("UPDATE tipoff SET received_at = '2025-03-03 02:00:00'"
        " WHERE id = %d" % first)
    row = [x for x in rev.get(Q).json()["queue"]
           if x["tipoff_id"] == first][0]
    assert row["receipt_date"] == "2025-03-03"
    assert row["answer_due"] == "2025-03-10"
    assert row["answer_overdue"] is True
    assert row["decision_overdue"] is True
    assert row["age_workdays"] is None or row["age_workdays"] > 200
    assert rev.get(Q).json()["queue"][0]["received_at"] <= \
        row["received_at"]
    # A reviewer assigns nobody but themselves.
    assert_error(rev.post(Q + "/%d/assignment" % first,
                          json={"account_id": sup.account["id"]}),
                 403, "forbidden")

    # Linking a filing: the number must exist.
    f = filed(op)
    err = assert_error(rev.put(Q + "/%d/filing" % second,
                               json={"filing_number": "VCP-2026-999999-0"}),
                       422, "validation")
    assert err["fields"]["filing_number"]["code"] == "not_found"
    r = rev.put(Q + "/%d/filing" % second,
                json={"filing_number": f["filing_number"]})
    assert r.status_code == 200, r.text
    assert r.json()["tipoff"]["filing_id"] == f["id"]
    row = [x for x in rev.get(Q).json()["queue"]
           if x["tipoff_id"] == second][0]
    assert row["platform"]["filing_number"] == f["filing_number"]
    assert row["platform"]["filing_id"] == f["id"]

    # Duplicates: not of itself, not of an unknown case, closed as one.
    for other, code in ((second, "self"), (999999999, "not_found")):
        err = assert_error(rev.post(Q + "/%d/duplicate" % second,
                                    json={"duplicate_of": other}),
                           422, "validation")
        assert err["fields"]["duplicate_of"]["code"] == code
    err = assert_error(rev.post(Q + "/%d/status" % second,
                                json={"status": "closed",
                                      "reason": "duplicate"}),
                       422, "validation")
    assert err["fields"]["reason"]["code"] == "use_duplicate"
    r = rev.post(Q + "/%d/duplicate" % second, json={"duplicate_of": first})
    assert r.status_code == 200, r.text
    t = r.json()["tipoff"]
    assert t["status"] == "closed" and t["close_reason"] == "duplicate"
    assert t["duplicate_of"] == first
    # A duplicate is no original: point at the first one instead.
    third, _ = submitted(rep)
    err = assert_error(sup.post(Q + "/%d/duplicate" % third,
                                json={"duplicate_of": second}),
                       422, "validation")
    assert err["fields"]["duplicate_of"]["code"] == "duplicate"
    # A supervisor closes a new case as spam without taking it.
    r = sup.post(Q + "/%d/status" % third,
                 json={"status": "closed", "reason": "spam"})
    assert r.status_code == 200, r.text
    assert r.json()["tipoff"]["close_reason"] == "spam"
    r = sup.get(Q + "?status=closed")
    ids = [x["tipoff_id"] for x in r.json()["queue"]]
    assert second in ids and third in ids
    # Closed cases are not taken again.
    assert_error(sup.post(Q + "/%d/assignment" % third), 409,
                 "invalid_state")
    sql("DELETE FROM rate_event")


def staff_routes(tid):
    base = Q + "/%d" % tid
    return [("GET", Q, None),
            ("GET", base, None),
            ("POST", base + "/assignment", {}),
            ("POST", base + "/status", {"status": "verified"}),
            ("POST", base + "/notes", {"body": "x"}),
            ("POST", base + "/messages", {"body": "x"}),
            ("PUT", base + "/filing", {"filing_number": "x"}),
            ("POST", base + "/duplicate", {"duplicate_of": 1}),
            ("POST", base + "/outcomes", {"kind": "rectification",
                                          "due_on": "2099-12-31",
                                          "reasons": "x"}),
            ("GET", base + "/evidence/1", None)]


REPORTER_ROUTES = [("GET", "/api/v1/tipoffs/mine", None),
                   ("GET", "/api/v1/tipoffs/mine/acknowledgement", None),
                   ("POST", "/api/v1/tipoffs/mine/messages", {"body": "x"}),
                   ("DELETE", "/api/v1/tipoffs/session", None)]


def call(client, method, path, body):
    kw = {"json": body} if body is not None else {}
    return client.req(method, path, **kw)


class Anonymous:
    def req(self, method, path, **kw):
        return requests.request(method, url(path), timeout=30, **kw)


def test_who_may_call_every_tip_off_route():
    rep = Reporter("127.0.0.152")
    tid, out = submitted(rep)
    assert rep.open(out["receipt_code"]).status_code == 201
    routes = staff_routes(tid)
    before = len(reads_of(tid))

    # Operators, admins and observers: 403 on every staff route.
    for role in ("operator", "admin", "observer_mps", "observer_cac"):
        c = logged_in(role)
        for m, p, b in routes:
            assert_error(call(c, m, p, b), 403, "forbidden")
        # ... and staff sessions open no reporter route.
        for m, p, b in REPORTER_ROUTES:
            assert_error(call(c, m, p, b), 401, "unauthenticated")
    # Anonymous: 401 on staff routes and reporter routes alike.
    for m, p, b in routes + REPORTER_ROUTES:
        assert_error(call(Anonymous(), m, p, b), 401, "unauthenticated")
    # A reporter's session opens no staff route, however it is sent.
    token = rep.s.cookies.get("vcp_tipoff")
    for name in ("vcp_tipoff", "vcp_session"):
        for m, p, b in routes:
            kw = {"json": b} if b is not None else {}
            r = requests.request(m, url(p), cookies={name: token},
                                 headers={"X-CSRF-Token": rep.csrf},
                                 timeout=30, **kw)
            assert_error(r, 401, "unauthenticated")
    # The reporter's own routes take the reporter's session.
    for m, p, b in REPORTER_ROUTES[:3]:
        assert call(rep, m, p, b).status_code in (200, 201)
    # Public: the challenge and the submission (with a proof).
    assert Anonymous().req("GET", "/api/v1/tipoffs/challenge"
                           ).status_code == 200
    assert_error(Anonymous().req("POST", "/api/v1/tipoffs", json={}),
                 400, "pow_required")
    # Reviewers and supervisors reach every staff route (refusals here
    # are the case's rules, never the role's).
    for role in ("reviewer", "supervisor"):
        c = logged_in(role)
        for m, p, b in routes:
            r = call(c, m, p, b)
            assert r.status_code not in (401, 403) or \
                r.json()["error"]["code"] == "not_assigned", (role, p, r.text)
    # Nobody refused read the case.
    assert len(reads_of(tid)) == before + 2
    sql("DELETE FROM rate_event")
