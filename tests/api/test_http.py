"""HTTP conventions: JSON errors, limits, headers, health, a free event loop."""
import threading
import time

import requests

from conftest import assert_error, url


def test_healthz_reports_database():
    r = requests.get(url("/healthz"), timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    # A single server is no Galera node (tests/cluster/ shows a node).
    assert body["cluster"] is None


def test_unknown_route_is_json_404():
    r = requests.get(url("/api/v1/no/such/thing"), timeout=10)
    assert_error(r, 404, "not_found")
    assert_error(requests.post(url("/no/such/thing"), timeout=10), 404,
                 "not_found")


def test_unknown_page_is_the_not_found_page():
    # A person's browser gets a page, not JSON, outside the API.
    r = requests.get(url("/no/such/thing"), timeout=10)
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.headers["Cache-Control"] == "no-store"
    assert "未找到该页面" in r.text
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_wrong_method_is_json_405_with_allow():
    r = requests.put(url("/healthz"), timeout=10)
    assert_error(r, 405, "method_not_allowed")
    assert "GET" in r.headers["Allow"]


def test_body_must_be_json():
    r = requests.post(url("/api/v1/accounts"), data="login=x",
                      headers={"Content-Type":
                               "application/x-www-form-urlencoded"},
                      timeout=10)
    assert_error(r, 415, "unsupported_media_type")


def test_malformed_json_is_400():
    r = requests.post(url("/api/v1/accounts"), data='{"login": ',
                      headers={"Content-Type": "application/json"},
                      timeout=10)
    assert_error(r, 400, "bad_json")


def test_json_must_be_an_object():
    r = requests.post(url("/api/v1/accounts"), json=["a"], timeout=10)
    assert_error(r, 400, "bad_json")


def test_duplicate_keys_rejected():
    r = requests.post(url("/api/v1/accounts"),
                      data='{"login":"a","login":"b"}',
                      headers={"Content-Type": "application/json"},
                      timeout=10)
    assert_error(r, 400, "bad_json")


def test_invalid_utf8_rejected():
    r = requests.post(url("/api/v1/accounts"),
                      data=b'{"login":"\xc3\x28"}',
                      headers={"Content-Type": "application/json"},
                      timeout=10)
    assert_error(r, 400, "bad_json")


def test_oversized_body_is_json_413():
    big = '{"name":"' + "x" * (70 * 1024) + '"}'
    r = requests.post(url("/api/v1/accounts"), data=big,
                      headers={"Content-Type": "application/json"},
                      timeout=10)
    assert_error(r, 413, "payload_too_large")


def test_oversized_headers_are_refused_and_the_server_lives_on():
    try:
        r = requests.get(url("/healthz"), headers={"X-Big": "a" * 9000},
                         timeout=10)
        assert r.status_code >= 400
    except requests.exceptions.ConnectionError:
        pass                    # Kore closes the connection: also a refusal
    assert requests.get(url("/healthz"), timeout=10).status_code == 200


def test_overlong_query_is_414():
    # Our bound (1 KiB of query) sits below Kore's own 2000-byte URI limit,
    # so this answer is ours, in JSON; beyond 2000 bytes Kore answers 414.
    r = requests.get(url("/api/v1/calendar/deadline?from=" + "1" * 1500),
                     timeout=10)
    assert_error(r, 414, "uri_too_long")
    r = requests.get(url("/api/v1/calendar/deadline?from=" + "1" * 2500),
                     timeout=10)
    assert r.status_code == 414


def test_security_headers_and_no_hsts_over_http():
    r = requests.get(url("/healthz"), timeout=10)
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in r.headers


def test_slow_query_does_not_stall_the_event_loop():
    """SELECT SLEEP(2) holds a pool thread; /healthz on the same worker
    must still answer while it runs."""
    sleepers = []
    results = {}

    def sleep(i):
        r = requests.get(url("/api/v1/debug/sleep"), timeout=30)
        results[i] = (r.status_code, r.json().get("worker"), time.time())

    for i in range(4):
        t = threading.Thread(target=sleep, args=(i,))
        t.start()
        sleepers.append(t)
    time.sleep(0.3)

    health = []
    for _ in range(10):
        r = requests.get(url("/healthz"), timeout=30)
        assert r.status_code == 200
        health.append((r.json()["worker"], time.time()))
        # Every answer arrives while every slow query is still running.
        assert all(t.is_alive() for t in sleepers)

    for t in sleepers:
        t.join()
    assert all(code == 200 for code, _, _ in results.values())
    sleep_workers = {w for _, w, _ in results.values()}
    health_workers = {w for w, _ in health}
    assert sleep_workers & health_workers, (sleep_workers, health_workers)
    first_sleep_done = min(t for _, _, t in results.values())
    assert max(t for _, t in health) < first_sleep_done
