"""vcpctl calendar import-notice: the State Council's notice as published."""
import os

import requests

from conftest import TOP, assert_error, sql, url, vcpctl


def fixture(year):
    with open(os.path.join(TOP, "tests/fixtures/notices/%d.txt" % year),
              encoding="utf-8") as f:
        return f.read()


def deadline(**q):
    return requests.get(url("/api/v1/calendar/deadline"), params=q,
                        timeout=10)


def calendar_state():
    return sql("SELECT (SELECT COUNT(*) FROM calendar_day),"
               " (SELECT COUNT(*) FROM calendar_year),"
               " (SELECT version FROM calendar_meta),"
               " (SELECT COUNT(*) FROM audit_log"
               "  WHERE action = 'calendar.load')")


def forget_2019():
    sql("DELETE FROM calendar_day WHERE year = 2019")
    sql("DELETE FROM calendar_year WHERE year = 2019")
    sql("UPDATE calendar_meta SET version = version + 1")


def test_dry_run_prints_what_calendar_load_reads_and_loads_nothing():
    before = calendar_state()
    p = vcpctl("calendar", "import-notice", "--dry-run", "-",
               stdin=fixture(2026))
    assert p.returncode == 0, p.stderr
    with open(os.path.join(TOP, "schema/calendar/2026.txt"),
              encoding="utf-8") as f:
        assert p.stdout == f.read()
    p = vcpctl("calendar", "import-notice", "--dry-run", "-",
               stdin=fixture(2019))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("# 国务院办公厅关于2019年部分节假日安排的通知\n"
                               "year 2019\n"
                               "holiday 2018-12-30 2019-01-01 元旦\n"
                               "workday 2018-12-29 元旦\n")
    assert calendar_state() == before


def test_the_notice_of_a_loaded_file_is_already_loaded():
    # schema/calendar/2026.txt, loaded when the suite began, is the very
    # text the 2026 notice gives.
    before = calendar_state()
    p = vcpctl("calendar", "import-notice",
               os.path.join(TOP, "tests/fixtures/notices/2026.txt"))
    assert p.returncode == 0, p.stderr
    assert "already loaded" in p.stdout
    assert calendar_state() == before


def test_importing_a_notice_loads_its_year_audited():
    r = deadline(**{"from": "2019-09-27", "workdays": "5"})
    assert assert_error(r, 422, "calendar_year_missing")["year"] == 2019
    audits = int(calendar_state()[0][3])
    try:
        p = vcpctl("calendar", "import-notice", "-", stdin=fixture(2019))
        assert p.returncode == 0, p.stderr
        assert "2019" in p.stdout
        # Fri 09-27 + 5: Sun 09-29 is worked, 10-01..07 are not.
        r = deadline(**{"from": "2019-09-27", "workdays": "5"})
        assert r.status_code == 200, r.text
        assert r.json()["deadline"] == "2019-10-10"
        # The December 2018 days of its 元旦 came with it.
        r = deadline(**{"from": "2019-01-01", "workdays": "1"})
        assert r.json()["deadline"] == "2019-01-02"
        assert sql("SELECT kind, name FROM calendar_day"
                   " WHERE day = '2018-12-29'") == [["workday", "元旦"]]
        rows = sql("SELECT actor_role, object, outcome FROM audit_log"
                   " WHERE action = 'calendar.load' ORDER BY id DESC"
                   " LIMIT 1")
        assert rows == [["system", "calendar:2019", "ok"]]
        assert int(calendar_state()[0][3]) == audits + 1
        # The same notice again changes nothing and audits nothing.
        state = calendar_state()
        p = vcpctl("calendar", "import-notice", "-", stdin=fixture(2019))
        assert p.returncode == 0, p.stderr
        assert "already loaded" in p.stdout
        assert calendar_state() == state
    finally:
        forget_2019()
    r = deadline(**{"from": "2019-09-27", "workdays": "5"})
    assert_error(r, 422, "calendar_year_missing")


def test_an_altered_notice_is_refused_with_its_sentence():
    before = calendar_state()
    text = fixture(2019).replace("9月29日（星期日）", "9月29日（星期六）")
    p = vcpctl("calendar", "import-notice", "-", stdin=text)
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "七、国庆节" not in p.stderr
    assert ("10月1日至7日放假调休，共7天。9月29日（星期六）、10月12日"
            "（星期六）上班。") not in p.stderr
    assert "9月29日（星期六）、10月12日（星期六）上班。" in p.stderr
    assert "2019-09-29 is a Sunday" in p.stderr
    text = fixture(2019).replace("共7天。2月2日", "共6天。2月2日")
    p = vcpctl("calendar", "import-notice", "-", stdin=text)
    assert p.returncode == 1
    assert "2月4日至10日放假调休，共6天。" in p.stderr
    text = fixture(2019).replace("与周末连休。\n四", "与周末连休。另行通知。\n四")
    p = vcpctl("calendar", "import-notice", "--dry-run", "-", stdin=text)
    assert p.returncode == 1
    assert "另行通知" in p.stderr
    assert p.stdout == ""
    assert calendar_state() == before
    assert sql("SELECT COUNT(*) FROM calendar_year WHERE year = 2019") == \
        [["0"]]


def test_errors_that_are_not_the_notice_exit_2():
    p = vcpctl("calendar", "import-notice", "/nonexistent/notice.txt")
    assert p.returncode == 2
    p = vcpctl("calendar", "import-notice", "-",
               stdin="国务院办公厅关于2019年部分节假日安排的通知\n"
               + "。" * (256 * 1024))
    assert p.returncode == 2
    assert "larger than" in p.stderr
    p = vcpctl("calendar", "import-notice")
    assert p.returncode == 2
