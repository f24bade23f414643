"""Fixtures for the HTTP tests: a real Kore with the module, a real MariaDB.

scripts/test.sh starts both and passes their whereabouts in the environment.
"""
import os
import subprocess
import uuid

import pytest
import requests

# nginx, which every test talks to, and Kore behind it, for the few tests
# that must show what reaches Kore directly.
BASE = os.environ.get("VCP_BASE", "http://127.0.0.1:18888")
KORE = os.environ.get("VCP_KORE", "http://127.0.0.1:18889")
VAR = os.environ.get("VCP_VAR", "")
VCPCTL = os.environ.get("VCPCTL", "build/vcpctl")
TOP = os.environ.get("VCP_TOP", ".")

STRONG = "Str0ng-Passw0rd!"


def url(path):
    return BASE + path


def sql(statement, seal=True):
    """Runs SQL as the database superuser (tests only), returns rows.

    A request's audit record reaches audit_log when the sealer links it
    (vcpnotifyd does, every round); a statement about the audit tables
    lets vcpctl seal what has committed first, as a test means "after
    the requests it made"."""
    if seal and "audit_" in statement:
        p = vcpctl("audit", "seal")
        assert p.returncode in (0, 1), p.stderr
    out = subprocess.run(
        ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uroot", "-N", "-B", "vcp", "-e", statement],
        check=True, capture_output=True, text=True)
    return [line.split("\t") for line in out.stdout.splitlines()]


def vcpctl(*args, stdin=None):
    return subprocess.run([VCPCTL, *args], input=stdin, capture_output=True,
                          text=True, env=dict(os.environ))


def unique(prefix="u"):
    return prefix + uuid.uuid4().hex[:10]


class Client:
    """A browser-like client: keeps the cookie and sends the CSRF token."""

    def __init__(self):
        self.s = requests.Session()
        self.csrf = None
        self.account = None

    def req(self, method, path, **kw):
        headers = kw.pop("headers", {})
        if self.csrf and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.s.request(method, url(path), headers=headers,
                              timeout=30, **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, **kw):
        return self.req("POST", path, **kw)

    def put(self, path, **kw):
        return self.req("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.req("DELETE", path, **kw)

    def login(self, login, password=STRONG):
        r = self.post("/api/v1/session",
                      json={"login": login, "password": password})
        if r.status_code == 201:
            self.csrf = r.json()["csrf_token"]
            self.account = r.json()["account"]
        return r


def register(login=None, password=STRONG, name="测试运营者"):
    login = login or unique("op")
    r = requests.post(url("/api/v1/accounts"), timeout=30,
                      json={"login": login, "password": password,
                            "name": name})
    assert r.status_code == 201, r.text
    return login


def make_account(role, login=None, password=STRONG):
    login = login or unique(role[:3])
    p = vcpctl("account", "add", "--role", role, "--login", login,
               "--name", "监管人员", stdin=password + "\n")
    assert p.returncode == 0, p.stderr
    return login


def logged_in(role="operator"):
    c = Client()
    login = register() if role == "operator" else make_account(role)
    r = c.login(login)
    assert r.status_code == 201, r.text
    return c


def assert_error(r, status, code):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def operator():
    return logged_in("operator")
