"""GET /api/v1/calendar/deadline and vcpctl calendar load."""
import os
import tempfile

import requests

from conftest import assert_error, sql, url, vcpctl


def deadline(**q):
    return requests.get(url("/api/v1/calendar/deadline"), params=q,
                        timeout=10)


def test_worked_examples_from_the_spec():
    r = deadline(**{"from": "2025-09-26", "workdays": "10"})
    assert r.status_code == 200, r.text
    assert r.json() == {"from": "2025-09-26", "deadline": "2025-10-16",
                        "workdays": 10}
    r = deadline(**{"from": "2025-09-05", "days": "30"})
    assert r.json()["deadline"] == "2025-10-09"
    r = deadline(**{"from": "2026-01-15", "days": "30"})
    assert r.json()["deadline"] == "2026-02-14"


def test_working_days_skip_weekends_and_holidays():
    # Friday 2024-09-13 + 1 working day: Sat 09-14 is an adjusted working day.
    assert deadline(**{"from": "2024-09-13", "workdays": "1"}).json()[
        "deadline"] == "2024-09-14"
    # Friday 2025-05-30 + 1: the Dragon Boat holiday runs to Monday 06-02.
    assert deadline(**{"from": "2025-05-30", "workdays": "1"}).json()[
        "deadline"] == "2025-06-03"


def test_year_without_a_notice_is_422_naming_the_year():
    r = deadline(**{"from": "2026-12-20", "workdays": "10"})
    err = assert_error(r, 422, "calendar_year_missing")
    assert err["year"] == 2027
    assert "2027" in err["message"]
    r = deadline(**{"from": "2022-06-01", "days": "5"})
    assert assert_error(r, 422, "calendar_year_missing")["year"] == 2022


def test_bad_parameters_are_422_with_fields():
    err = assert_error(deadline(), 422, "validation")
    assert set(err["fields"]) == {"from", "workdays"}
    err = assert_error(deadline(**{"from": "2025-02-30", "days": "3"}),
                       422, "validation")
    assert set(err["fields"]) == {"from"}
    err = assert_error(deadline(**{"from": "2025-01-01", "days": "-1"}),
                       422, "validation")
    assert set(err["fields"]) == {"days"}
    err = assert_error(deadline(**{"from": "2025-01-01", "days": "1",
                                   "workdays": "1"}), 422, "validation")
    assert "days" in err["fields"]
    err = assert_error(deadline(**{"from": "2025-01-01",
                                   "workdays": "99999999"}),
                       422, "validation")
    assert "workdays" in err["fields"]
    r = requests.get(url("/api/v1/calendar/deadline?from=2025-01-01"
                         "&days=1&days=2"), timeout=10)
    assert_error(r, 422, "validation")


NOTICE_2027 = """# a test notice, not the State Council's
year 2027
holiday 2027-01-01 2027-01-03 元旦
workday 2027-01-09 测试调休
"""


def test_a_new_year_loads_without_a_release():
    assert deadline(**{"from": "2026-12-31", "workdays": "1"}
                    ).status_code == 422
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(NOTICE_2027)
    try:
        p = vcpctl("calendar", "load", f.name)
        assert p.returncode == 0, p.stderr
        # 2026-12-31 Thu + 1 working day: Jan 1-3 holidays, Jan 4 Monday.
        r = deadline(**{"from": "2026-12-31", "workdays": "1"})
        assert r.status_code == 200, r.text
        assert r.json()["deadline"] == "2027-01-04"
        # The adjusted Saturday counts.
        r = deadline(**{"from": "2027-01-08", "workdays": "1"})
        assert r.json()["deadline"] == "2027-01-09"
    finally:
        os.unlink(f.name)
        sql("DELETE FROM calendar_day WHERE year = 2027")
        sql("DELETE FROM calendar_year WHERE year = 2027")
        sql("UPDATE calendar_meta SET version = version + 1")
    assert deadline(**{"from": "2026-12-31", "workdays": "1"}
                    ).status_code == 422


def test_a_bad_notice_is_refused_and_changes_nothing():
    before = sql("SELECT COUNT(*), MAX(version) FROM calendar_day,"
                 " calendar_meta")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("year 2028\nholiday 2028-02-30 坏日期\n")
    try:
        p = vcpctl("calendar", "load", f.name)
        assert p.returncode != 0
        assert "2" in p.stderr          # names the line
    finally:
        os.unlink(f.name)
    assert sql("SELECT COUNT(*), MAX(version) FROM calendar_day,"
               " calendar_meta") == before
