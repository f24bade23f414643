"""Accounts, sessions, CSRF and login throttling."""
import requests

from conftest import (STRONG, Client, assert_error, logged_in, make_account,
                      register, unique, url, vcpctl)


def test_register_creates_an_operator():
    login = unique("Op")
    r = requests.post(url("/api/v1/accounts"), timeout=10, json={
        "login": login, "password": STRONG, "name": "某某科技有限公司",
        "role": "admin"})
    assert r.status_code == 201, r.text
    acc = r.json()["account"]
    assert acc["login"] == login.lower()
    assert acc["role"] == "operator"      # a self-registered account is never more
    assert acc["name"] == "某某科技有限公司"
    assert "password" not in r.text and "hash" not in r.text


def test_register_reports_every_field_error_at_once():
    r = requests.post(url("/api/v1/accounts"), timeout=10, json={
        "login": "x", "password": "short", "name": ""})
    err = assert_error(r, 422, "validation")
    assert set(err["fields"]) == {"login", "password", "name"}
    assert err["fields"]["password"]["code"] == "length"


def test_register_rejects_weak_and_wrong_typed_input():
    r = requests.post(url("/api/v1/accounts"), timeout=10, json={
        "login": unique(), "password": "alllowercaseletters", "name": 5})
    err = assert_error(r, 422, "validation")
    assert err["fields"]["password"]["code"] == "weak"
    assert err["fields"]["name"]["code"] == "type"


def test_register_duplicate_login_is_409_case_insensitive():
    login = register()
    r = requests.post(url("/api/v1/accounts"), timeout=10, json={
        "login": login.upper(), "password": STRONG, "name": "另一家"})
    err = assert_error(r, 409, "login_taken")
    assert "login" in err["fields"]


def test_login_session_and_logout():
    login = register()
    c = Client()
    r = c.login(login)
    assert r.status_code == 201
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie         # plain HTTP in development
    assert len(r.json()["csrf_token"]) == 43

    me = c.get("/api/v1/session")
    assert me.status_code == 200
    assert me.json()["account"]["login"] == login
    assert me.json()["account"]["role"] == "operator"

    # A write without the CSRF token is refused even with the cookie.
    r = c.s.delete(url("/api/v1/session"), timeout=10)
    assert_error(r, 403, "csrf")
    r = c.s.delete(url("/api/v1/session"), timeout=10,
                   headers={"X-CSRF-Token": "A" * 43})
    assert_error(r, 403, "csrf")

    r = c.delete("/api/v1/session")
    assert r.status_code == 204
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    assert_error(c.get("/api/v1/session"), 401, "unauthenticated")


def test_session_token_is_stored_only_as_hash():
    c = logged_in()
    token = c.s.cookies.get("vcp_session")
    from conftest import sql
    rows = sql("SELECT HEX(token_hash) FROM session")
    assert all(token not in r[0] for r in rows)
    import base64
    import hashlib
    raw = base64.urlsafe_b64decode(token + "=")
    want = hashlib.sha256(raw).hexdigest().upper()
    assert [want] in rows


def test_forged_or_missing_cookie_is_401():
    assert_error(requests.get(url("/api/v1/session"), timeout=10),
                 401, "unauthenticated")
    r = requests.get(url("/api/v1/session"), timeout=10,
                     cookies={"vcp_session": "A" * 43})
    assert_error(r, 401, "unauthenticated")
    r = requests.get(url("/api/v1/session"), timeout=10,
                     cookies={"vcp_session": "not-base64!"})
    assert_error(r, 401, "unauthenticated")


def test_wrong_login_and_wrong_password_look_the_same():
    login = register()
    a = requests.post(url("/api/v1/session"), timeout=10,
                      json={"login": login, "password": "Wr0ng-Password"})
    b = requests.post(url("/api/v1/session"), timeout=10,
                      json={"login": unique("nobody"),
                            "password": "Wr0ng-Password"})
    assert_error(a, 401, "invalid_credentials")
    assert_error(b, 401, "invalid_credentials")
    assert a.json() == b.json()
    assert "Set-Cookie" not in a.headers


def test_failed_logins_are_throttled():
    login = register()
    for _ in range(5):
        r = requests.post(url("/api/v1/session"), timeout=10,
                          json={"login": login, "password": "Wr0ng-pass!"})
        assert r.status_code == 401
    # Even the right password is refused while the login is throttled.
    r = requests.post(url("/api/v1/session"), timeout=10,
                      json={"login": login, "password": STRONG})
    assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0


def test_expired_idle_session_is_rejected():
    from conftest import sql
    c = logged_in()
    sql("UPDATE session SET last_seen_at = NOW(6) - INTERVAL 2 HOUR,"
        " expires_at = expires_at WHERE account_id = %d"
        % c.account["id"])
    assert_error(c.get("/api/v1/session"), 401, "unauthenticated")


def test_activity_keeps_a_session_even_when_the_call_fails():
    """The check refreshes last_seen_at (at most once a minute) on its own,
    before the call's transaction: a refused or failed call still counts
    as activity, and the refresh is not held until the call commits."""
    from conftest import sql
    c = logged_in()
    aid = c.account["id"]

    def idle_seconds():
        return int(sql("SELECT TIMESTAMPDIFF(SECOND, last_seen_at, NOW(6))"
                       " FROM session WHERE account_id = %d" % aid)[0][0])

    sql("UPDATE session SET last_seen_at = NOW(6) - INTERVAL 10 MINUTE"
        " WHERE account_id = %d" % aid)
    assert idle_seconds() >= 590
    assert_error(c.get("/api/v1/filings/999999999"), 404, "not_found")
    assert idle_seconds() < 60
    # A write refused for its role refreshes it too.
    sql("UPDATE session SET last_seen_at = NOW(6) - INTERVAL 10 MINUTE"
        " WHERE account_id = %d" % aid)
    assert_error(c.post("/api/v1/filings/1/decision",
                        json={"decision": "approve"}), 403, "forbidden")
    assert idle_seconds() < 60
    # Within the minute, no write: the time stays as it was.
    sql("UPDATE session SET last_seen_at = NOW(6) - INTERVAL 30 SECOND"
        " WHERE account_id = %d" % aid)
    assert c.get("/api/v1/session").status_code == 200
    assert 29 <= idle_seconds() <= 40


def test_vcpctl_creates_regulator_accounts():
    for role in ("reviewer", "supervisor", "admin", "observer_mps",
                 "observer_cac"):
        login = make_account(role)
        c = Client()
        assert c.login(login).status_code == 201
        assert c.get("/api/v1/session").json()["account"]["role"] == role


def test_vcpctl_rejects_bad_role_and_weak_password():
    p = vcpctl("account", "add", "--role", "root", "--login", unique(),
               stdin=STRONG + "\n")
    assert p.returncode != 0 and "role" in p.stderr
    p = vcpctl("account", "add", "--role", "reviewer", "--login", unique(),
               stdin="weak\n")
    assert p.returncode != 0 and "密码" in p.stderr
    login = make_account("reviewer")
    p = vcpctl("account", "add", "--role", "reviewer", "--login", login,
               stdin=STRONG + "\n")
    assert p.returncode != 0 and "taken" in p.stderr


def test_login_input_is_bounded():
    r = requests.post(url("/api/v1/session"), timeout=10,
                      json={"login": "a" * 200, "password": STRONG})
    err = assert_error(r, 422, "validation")
    assert "login" in err["fields"]
    r = requests.post(url("/api/v1/session"), timeout=10, json={})
    err = assert_error(r, 422, "validation")
    assert set(err["fields"]) == {"login", "password"}
