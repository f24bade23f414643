"""The pull feed follows commit order, not insert order: an event whose
transaction commits after a later event's is still read, exactly once, by
a reader that asked in between.

The transactions are held open by the test-only POST
/api/v1/debug/feed-event (on with debug_sleep), which writes a synthetic
event for both ministries (subject "audit", event id "feedfeed-…",
already delivered so vcpnotifyd never sends it) and sleeps before its
commit.  The portal runs two workers with several database threads each,
so two such requests hold two transactions at once."""
import random
import threading
import time

import requests

from conftest import assert_error, logged_in, sql, url

HOLD = 3
READERS = (("observer_mps", "mps"), ("observer_cac", "cac"))


def event_id(n):
    return "feedfeed-0000-4000-8000-%012d" % n


def post_event(n, hold, out):
    out[n] = requests.post(url("/api/v1/debug/feed-event"),
                           params={"n": n, "hold": hold}, timeout=60)


def read_on(client, after):
    """Everything after the cursor, page by page: (events, next)."""
    events = []
    while True:
        r = client.get("/api/v1/feed", params={"after": after, "limit": 500})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["next"] >= after
        if not body["events"]:
            return events, after
        events += body["events"]
        after = body["next"]


def wait_written(eid):
    """Until the held transaction has written its rows (not committed)."""
    deadline = time.time() + 30
    while time.time() < deadline:
        if sql("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;"
               " SELECT COUNT(*) FROM notification WHERE event_id = '%s'"
               % eid) == [["2"]]:
            return
        time.sleep(0.05)
    raise AssertionError("the held event was never written")


def test_an_event_that_commits_late_is_not_skipped():
    readers = {rcpt: logged_in(role) for role, rcpt in READERS}
    cursor = {rcpt: read_on(c, 0)[1] for rcpt, c in readers.items()}
    a, b = random.sample(range(1, 200000000), 2)
    out = {}

    # A writes first and holds its transaction open.
    ta = threading.Thread(target=post_event, args=(a, HOLD, out))
    ta.start()
    try:
        wait_written(event_id(a))
        # B writes later and commits at once, ahead of A: positions are
        # given to committed rows only (where they were taken at insert,
        # AUTO_INCREMENT, B would pass A and a reader could skip A).
        post_event(b, 0, out)
        seen = {}
        for rcpt, c in readers.items():
            seen[rcpt], cursor[rcpt] = read_on(c, cursor[rcpt])
    finally:
        ta.join()
    assert out[a].status_code == 200, out[a].text
    assert out[b].status_code == 200, out[b].text
    assert out[a].json() == {"event_id": event_id(a), "held": HOLD}

    for rcpt, c in readers.items():
        more, _ = read_on(c, cursor[rcpt])
        got = [e for e in seen[rcpt] + more
               if e["event_id"] in (event_id(a), event_id(b))]
        # Both, exactly once, in the order their transactions committed.
        assert [e["event_id"] for e in got] == [event_id(b), event_id(a)], \
            (rcpt, [e["event_id"] for e in got])
        assert got[0]["cursor"] < got[1]["cursor"]
        assert all(e["subject"] == "audit" and e["subject_id"] == 0
                   for e in got)
        # A reader starting over sees each once too, cursors increasing.
        every, _ = read_on(c, 0)
        cursors = [e["cursor"] for e in every]
        assert cursors == sorted(set(cursors))
        assert [e["event_id"] for e in every].count(event_id(a)) == 1

    # The synthetic rows were never pending: vcpnotifyd never sends them.
    assert sql("SELECT status, COUNT(*) FROM notification WHERE event_id"
               " IN ('%s', '%s') GROUP BY status"
               % (event_id(a), event_id(b))) == [["delivered", "4"]]


def test_the_hook_checks_its_parameters():
    for params in ({}, {"n": "0"}, {"n": "x"}, {"n": "1", "hold": "11"},
                   {"n": "-1"}):
        assert_error(requests.post(url("/api/v1/debug/feed-event"),
                                   params=params, timeout=30),
                     422, "validation")
