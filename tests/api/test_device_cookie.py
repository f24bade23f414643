"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
Cookies") and the registration limit per address.

Nobody who knows a login may lock its owner out: failures from unknown
clients lock only unknown clients (per login and per address), a browser
that logged in to the account before keeps logging in, and its own
failures lock only its own cookie.
"""
import concurrent.futures
import hashlib
import os

import requests
from requests.adapters import HTTPAdapter

from conftest import (STRONG, VAR, Client, assert_error, register, sql,
                      unique, url)

SESSION = "/api/v1/session"
WRONG = "Wr0ng-Passw0rd!"
FAIL_MAX = 5        # login_fail_max in scripts/test.sh
PROBE = "127.0.0.43"


class SourceAddress(HTTPAdapter):
    """Connects from another loopback address, so that the portal sees
    another client address."""

    def __init__(self, address, **kw):
        self.address = address
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kw)


def from_address(address):
    s = requests.Session()
    s.mount("http://", SourceAddress(address))
    return s


def setting(name):
    path = os.environ.get("VCP_CONFIG", VAR + "/vcp.conf")
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and parts[0] == name:
                return int(parts[1])
    raise KeyError(name)


def set_cookies(r):
    return r.raw.headers.getlist("Set-Cookie")


def device_cookie(client):
    return client.s.cookies.get("vcp_device", path=SESSION)


def attempt(login, password, device=None, session=None):
    s = session or requests
    cookies = {"vcp_device": device} if device is not None else None
    return s.post(url(SESSION), timeout=30, cookies=cookies,
                  json={"login": login, "password": password})


def lock_untrusted(login):
    """An attacker without a device cookie spends every attempt."""
    for _ in range(FAIL_MAX):
        assert_error(attempt(login, WRONG), 401, "invalid_credentials")
    r = attempt(login, STRONG)
    assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0


def test_login_issues_a_device_cookie_for_the_session_route_only():
    login = register()
    c = Client()
    r = c.login(login)
    assert r.status_code == 201, r.text
    cookies = {h.split("=", 1)[0]: h for h in set_cookies(r)}
    assert set(cookies) == {"vcp_session", "vcp_device"}
    dev = cookies["vcp_device"]
    assert "; Path=/api/v1/session;" in dev
    assert "Max-Age=15552000" in dev      # 180 days
    assert "HttpOnly" in dev and "SameSite=Strict" in dev
    assert "Secure" not in dev            # plain HTTP in development
    first = device_cookie(c)
    assert first and first.startswith("%d." % c.account["id"])
    # Every login gives the browser a new cookie, with a nonce of its own.
    assert c.login(login).status_code == 201
    assert device_cookie(c) != first
    assert first.split(".")[2] != device_cookie(c).split(".")[2]


def test_a_known_device_logs_in_while_unknown_clients_are_locked_out():
    login = register()
    victim = Client()
    assert victim.login(login).status_code == 201
    assert victim.delete(SESSION).status_code == 204

    lock_untrusted(login)

    # A fresh browser is locked out like the attacker ...
    r = Client().login(login)
    assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0
    # ... but the victim's browser, known from an earlier login, is not.
    r = victim.login(login)
    assert r.status_code == 201, r.text
    assert victim.get(SESSION).json()["account"]["login"] == login


def test_a_forged_altered_or_foreign_device_cookie_counts_as_none():
    login = register()
    other = register()
    c = Client()
    assert c.login(login).status_code == 201
    good = device_cookie(c)
    o = Client()
    assert o.login(other).status_code == 201
    foreign = device_cookie(o)
    lock_untrusted(login)

    ident, issued, nonce, mac = good.split(".")
    flip = "A" if mac[0] != "A" else "B"
    forged = [
        "%s.%s.%s.%s" % (ident, issued, nonce, flip + mac[1:]),   # MAC
        "%s.%s.%s.%s" % (ident, int(issued) + 1, nonce, mac),    # time
        "%s.%s.%s.%s" % (ident, issued, nonce[::-1], mac),       # nonce
        "%s.%s.%s.%s" % (foreign.split(".")[0], issued, nonce, mac),
        "0%s" % good,                   # the same numbers, spelled otherwise
        foreign,                        # valid, but for another account
        "%s.%s.%s.%s" % (ident, issued, nonce, ""),
        "garbage",
    ]
    for value in forged:
        r = attempt(login, STRONG, device=value)
        assert_error(r, 429, "too_many_attempts")
    # The genuine cookie still passes: only it was trusted.
    assert attempt(login, STRONG, device=good).status_code == 201


def test_a_device_cookie_does_not_pass_to_a_new_account_with_the_same_login():
    login = register()
    c = Client()
    assert c.login(login).status_code == 201
    old = device_cookie(c)
    sql("DELETE FROM account WHERE login = '%s'" % login)
    register(login)
    lock_untrusted(login)
    assert_error(attempt(login, STRONG, device=old), 429,
                 "too_many_attempts")


def test_failures_with_a_device_cookie_lock_only_that_cookie():
    login = register()
    laptop, phone = Client(), Client()
    assert laptop.login(login).status_code == 201
    assert phone.login(login).status_code == 201

    for _ in range(FAIL_MAX):
        assert_error(laptop.login(login, WRONG), 401, "invalid_credentials")
    r = laptop.login(login)
    assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0

    # Neither the account's other device nor unknown clients are locked.
    assert phone.login(login).status_code == 201
    assert Client().login(login).status_code == 201


def test_throttle_keys_are_keyed_hashes():
    login = register()
    for _ in range(2):
        assert_error(attempt(login, WRONG), 401, "invalid_credentials")
    rows = {r[0] for r in sql("SELECT HEX(key_hash) FROM rate_event")}
    assert rows
    # Plain hashes of a login or an address can be reversed by trying
    # every login or IPv4 address; none may be stored.
    for text in ("login:" + login, "login\n" + login, login,
                 "ip:127.0.0.1", "ip\n127.0.0.1", "127.0.0.1"):
        digest = hashlib.sha256(text.encode()).hexdigest().upper()
        assert digest not in rows


def test_registrations_are_limited_per_address():
    limit = setting("register_max")
    taken = register()
    # Probing a taken login counts like any registration.  It comes from
    # another loopback address, so the rest of the suite (127.0.0.1) is
    # not held back.
    body = {"login": taken, "password": STRONG, "name": "探测者"}

    def probe(count):
        with from_address(PROBE) as s:
            return [s.post(url("/api/v1/accounts"), json=body,
                           timeout=30).status_code for _ in range(count)]

    shares = [limit // 8 + (i < limit % 8) for i in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = [c for part in pool.map(probe, shares) for c in part]
    assert codes == [409] * limit

    with from_address(PROBE) as s:
        r = s.post(url("/api/v1/accounts"), timeout=30, json={
            "login": unique("op"), "password": STRONG, "name": "某公司"})
    err = assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0
    assert "fields" not in err
    # Other addresses are not held back.
    register()
    rows = {r[0] for r in sql("SELECT HEX(key_hash) FROM rate_event")}
    assert len(rows) >= 2
    for text in (PROBE, "register\n" + PROBE, "register:" + PROBE):
        assert hashlib.sha256(text.encode()).hexdigest().upper() not in rows
