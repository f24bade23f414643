"""A year whose holiday notice is missing is visible (GET
/api/v1/calendar/years, /healthz, vcpctl calendar status), and the
deadlines it holds up are not forgotten: the queue and the views say what
they wait for, and loading the year computes them, audited.

The missing year is made real rather than faked: the current year (CST),
which the suite loads from schema/calendar/, is taken out of the calendar
tables for the first test, a filing and a change are submitted through
the API as any operator would (their receipt date is today, from the
database's clock), and then the year's file is loaded back with
`vcpctl calendar load`, the very step under test.  The year is reloaded
in any case before the test ends."""
import contextlib
import datetime
import os
import subprocess
import tempfile

import requests

from conftest import TOP, VAR, logged_in, sql, url, vcpctl
from test_filing import filed, submitted

CST = datetime.timezone(datetime.timedelta(hours=8))


def today():
    return datetime.datetime.now(CST).date()


def label(year):
    return "截止日期待定（%d年放假安排尚未发布）" % year


def notice(year):
    return os.path.join(TOP, "schema", "calendar", "%d.txt" % year)


def years():
    r = requests.get(url("/api/v1/calendar/years"), timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def health_warnings():
    r = requests.get(url("/healthz"), timeout=10)
    assert r.status_code == 200, r.text
    return {w["code"]: w for w in r.json()["warnings"]}


def queue_row(reviewer, **key):
    rows = [q for q in reviewer.get("/api/v1/review/queue").json()["queue"]
            if all(q.get(k) == v for k, v in key.items())]
    assert len(rows) == 1, rows
    return rows[0]


def status_with(warn_from):
    """vcpctl calendar status under the suite's settings, with
    calendar_warn_from set to warn_from (a later line wins)."""
    with open(os.path.join(VAR, "vcp.conf"), encoding="utf-8") as f:
        conf = f.read()
    with tempfile.NamedTemporaryFile("w", suffix=".conf", dir=VAR,
                                     delete=False) as f:
        f.write(conf + "calendar_warn_from %s\n" % warn_from)
    try:
        env = dict(os.environ, VCP_CONFIG=f.name)
        return subprocess.run([os.environ.get("VCPCTL", "build/vcpctl"),
                               "calendar", "status"], capture_output=True,
                              text=True, env=env)
    finally:
        os.unlink(f.name)


@contextlib.contextmanager
def year_taken_out(year):
    """The year's notice, gone from the calendar tables as if it had never
    been loaded; loaded back from its file at the end if still missing."""
    assert os.path.exists(notice(year))
    sql("DELETE FROM calendar_day WHERE year = %d" % year)
    sql("DELETE FROM calendar_year WHERE year = %d" % year)
    sql("UPDATE calendar_meta SET version = version + 1")
    try:
        yield
    finally:
        if sql("SELECT COUNT(*) FROM calendar_year WHERE year = %d"
               % year) == [["0"]]:
            p = vcpctl("calendar", "load", notice(year))
            assert p.returncode == 0, p.stderr


def test_deadlines_wait_for_the_year_and_come_with_its_load(operator):
    # A filed platform, while the calendar is whole, to propose a change.
    base = filed(operator)
    reviewer = logged_in("reviewer")
    year = today().year
    with year_taken_out(year):
        # Received today: ten working days on cannot be counted.
        f = submitted(operator)
        assert f["status"] == "submitted"
        assert f["receipt_date"] == today().isoformat()
        assert f["deadline"] is None
        assert f["deadline_pending"] == year
        assert f["deadline_label"] == label(year)
        r = operator.post("/api/v1/filings/%d/changes" % base["id"], json={
            "changed_on": today().isoformat(),
            "changes": {"platform": {"homepage": "https://new.example.com"}}})
        assert r.status_code == 201, r.text
        ch = r.json()["change"]
        assert ch["deadline"] is None and ch["due_on"] is None
        assert ch["deadline_pending"] == year
        assert ch["deadline_label"] == label(year)
        listed = operator.get("/api/v1/filings/%d/changes" % base["id"])
        assert [c["deadline_pending"] for c in listed.json()["changes"]
                if c["id"] == ch["id"]] == [year]
        seen = reviewer.get("/api/v1/filings/%d" % f["id"]).json()["filing"]
        assert seen["deadline_pending"] == year

        # The queue marks both, with the year and the label.
        for key in ({"filing_id": f["id"], "kind": "application"},
                    {"change_id": ch["id"]}):
            row = queue_row(reviewer, **key)
            assert row["deadline"] is None
            assert row["deadline_pending"] == year
            assert row["deadline_label"] == label(year)

        # The missing year is visible everywhere, whatever the day.
        y = years()
        assert year not in y["years"]
        assert y["warning"]["code"] == "calendar_year_missing"
        assert y["warning"]["year"] == year
        assert str(year) in y["warning"]["message"]
        assert health_warnings()["calendar_year_missing"]["year"] == year
        p = vcpctl("calendar", "status")
        assert p.returncode == 1, p.stdout + p.stderr
        assert "calendar_year_missing %d" % year in p.stdout
        assert str(year) not in p.stdout.splitlines()[0]

        # The year is loaded: both deadlines are computed in the load.
        before = int(sql("SELECT COALESCE(MAX(id), 0) FROM audit_log")[0][0])
        p = vcpctl("calendar", "load", notice(year))
        assert p.returncode == 0, p.stderr
        assert "pending deadlines computed: " in p.stdout
        computed = int(p.stdout.split("pending deadlines computed: ")[1]
                       .split()[0])
        assert computed >= 2

    due = requests.get(url("/api/v1/calendar/deadline"), timeout=10, params={
        "from": f["receipt_date"], "workdays": "10"}).json()["deadline"]
    got = operator.get("/api/v1/filings/%d" % f["id"]).json()["filing"]
    assert got["deadline"] == due
    assert got["deadline_pending"] is None and got["deadline_label"] is None
    c = operator.get("/api/v1/filings/%d/changes" % base["id"]).json()[
        "changes"]
    c = [x for x in c if x["id"] == ch["id"]][0]
    assert c["deadline"] == due and c["deadline_pending"] is None
    days30 = requests.get(url("/api/v1/calendar/deadline"), timeout=10,
                          params={"from": today().isoformat(),
                                  "days": "30"}).json()
    assert c["due_on"] == days30.get("deadline") and c["late"] is False
    # The receipts hold the deadline too.
    assert sql("SELECT DATE_FORMAT(deadline, '%%Y-%%m-%%d') FROM receipt"
               " WHERE filing_id = %d AND kind = 'application'"
               % f["id"]) == [[due]]
    assert sql("SELECT DATE_FORMAT(deadline, '%%Y-%%m-%%d') FROM receipt"
               " WHERE filing_id = %d AND kind = 'change'"
               % base["id"]) == [[due]]
    for row in (queue_row(reviewer, filing_id=f["id"], kind="application"),
                queue_row(reviewer, change_id=ch["id"])):
        assert row["deadline"] == due and row["deadline_pending"] is None

    # One audit row per case, by the system, in the load's transaction:
    # right after the load's own row, nothing else in between.
    rows = sql("SELECT action, object, actor_role, outcome FROM audit_log"
               " WHERE id > %d ORDER BY id" % before)
    assert rows[0] == ["calendar.load", "calendar:%d" % year, "system",
                       "ok"]
    assert len(rows) == 1 + computed
    assert all(r[0] == "deadline.computed" and r[2:] == ["system", "ok"]
               for r in rows[1:])
    objects = [r[1] for r in rows[1:]]
    assert "filing:%d" % f["id"] in objects
    assert "change:%d" % ch["id"] in objects
    assert len(set(objects)) == len(objects)

    # Nothing is pending any more; loading again computes nothing.
    assert sql("SELECT COUNT(*) FROM filing WHERE status = 'submitted'"
               " AND deadline IS NULL") == [["0"]]
    p = vcpctl("calendar", "load", notice(year))
    assert p.returncode == 0 and "already loaded" in p.stdout


def test_years_route_healthz_and_status_name_next_year():
    t = today()
    y = years()
    assert y["years"] == sorted(y["years"])
    assert set(range(2023, t.year + 1)) <= set(y["years"])
    # The suite loads only schema/calendar/: next year's notice is not in.
    assert t.year + 1 not in y["years"]
    assert y["next_year_loaded"] is False
    # From 1 November (the default calendar_warn_from) it is overdue.
    due = t.year + 1 if (t.month, t.day) >= (11, 1) else None
    assert (y["warning"] or {}).get("year") == due
    w = health_warnings()
    assert (w.get("calendar_year_missing") or {}).get("year") == due
    if due:
        assert w["calendar_year_missing"]["message"] == \
            y["warning"]["message"]

    # vcpctl says the same, from the day its settings name.
    p = status_with(t.strftime("%m-%d"))
    assert p.returncode == 1, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "loaded years: " + " ".join(map(str, y["years"]))
    assert lines[1].startswith("warning: calendar_year_missing %d: %d年"
                               % (t.year + 1, t.year + 1))
    tomorrow = t + datetime.timedelta(days=1)
    if tomorrow.year == t.year:
        p = status_with(tomorrow.strftime("%m-%d"))
        assert p.returncode == 0, p.stdout + p.stderr
        assert p.stdout.splitlines() == [lines[0]]
    p = status_with("02-30")
    assert p.returncode == 2 and "calendar_warn_from" in p.stderr
