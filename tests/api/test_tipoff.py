"""The tip-off channel, the reporter's side (issue 10, phase 1): proof of
work, submission, receipt code, reporter session, evidence, the signed
acknowledgement, rate limits, and no client address left anywhere."""
import datetime
import glob
import hashlib
import json
import os
import struct
import subprocess
import tempfile
import uuid

import requests
from requests.adapters import HTTPAdapter

from conftest import VAR, assert_error, logged_in, sql, url, vcpctl

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = datetime.date.today().isoformat()


class SourceAdapter(HTTPAdapter):
    def __init__(self, source, **kw):
        self.source = source
        super().__init__(**kw)

    def init_poolmanager(self, *a, **kw):
        kw["source_address"] = (self.source, 0)
        super().init_poolmanager(*a, **kw)


class Reporter:
    """A browser at a loopback address of its own (its own rate limits,
    and an address that can be searched for afterwards)."""

    def __init__(self, source="127.0.0.66"):
        self.s = requests.Session()
        self.s.mount("http://", SourceAdapter(source))
        self.csrf = None

    def req(self, method, path, **kw):
        headers = kw.pop("headers", {})
        if self.csrf and method not in ("GET", "HEAD"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.s.request(method, url(path), headers=headers,
                              timeout=30, **kw)

    def challenge(self):
        r = self.req("GET", "/api/v1/tipoffs/challenge")
        assert r.status_code == 200, r.text
        return r.json()

    def submit(self, body, proof=True):
        if proof:
            c = self.challenge()
            body = dict(body, challenge=c["id"], nonce=solve(c))
        return self.req("POST", "/api/v1/tipoffs", json=body)

    def open(self, code):
        r = self.req("POST", "/api/v1/tipoffs/session", json={"code": code})
        if r.status_code == 201:
            self.csrf = r.json()["csrf_token"]
        return r


def leading_zero_bits(h):
    n = 0
    for b in h:
        if b == 0:
            n += 8
            continue
        while not b & 0x80:
            n += 1
            b <<= 1
        break
    return n


def solve(c):
    """SHA-256(salt || nonce as 8 bytes big-endian) with difficulty
    leading zero bits."""
    salt = bytes.fromhex(c["salt"])
    base = hashlib.sha256(salt)
    n = 0
    while True:
        h = base.copy()
        h.update(struct.pack(">Q", n))
        if leading_zero_bits(h.digest()) >= c["difficulty"]:
            return n
        n += 1


def wrong_nonce(c):
    salt = bytes.fromhex(c["salt"])
    n = 0
    while leading_zero_bits(hashlib.sha256(
            salt + struct.pack(">Q", n)).digest()) >= c["difficulty"]:
        n += 1
    return n


def report(**kw):
    b = {"category": "unfiled_platform",
         "platform": {"name": "某漏洞平台", "url": "https://vulns.example.cn/"},
         "description": "该平台未经备案即收集漏洞。\n多次发布未修复的漏洞。",
         "occurred_on": TODAY}
    b.update(kw)
    return b


def canonical(body):
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def certificate(tmp):
    p = vcpctl("cert")
    assert p.returncode == 0, p.stderr
    path = os.path.join(tmp, "cert.pem")
    with open(path, "w") as f:
        f.write(p.stdout)
    return path


def xmlsec_verify(xml, cert):
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(xml)
    try:
        return subprocess.run(["xmlsec1", "--verify", "--pubkey-cert-pem",
                               cert, f.name], capture_output=True).returncode
    finally:
        os.unlink(f.name)


def test_anonymous_flow_end_to_end():
    rep = Reporter("127.0.0.66")
    tag = uuid.uuid4().hex[:8]
    phone = "137%08d" % (uuid.uuid4().int % 10**8)
    body = report(contact={"name": "举报人" + tag, "phone": phone,
                           "email": "r%s@example.cn" % tag},
                  platform={"name": "平台" + tag,
                            "url": "https://v%s.example.cn/" % tag},
                  description="多次发布未修复的漏洞" + tag)
    r = rep.submit(body)
    assert r.status_code == 201, r.text
    out = r.json()
    code, ref = out["receipt_code"], out["reference"]
    assert len(code) == 16 and code.isdigit()
    assert ref.startswith("TO-%d-" % datetime.date.today().year)
    assert out["submission_sha256"] == hashlib.sha256(
        canonical(body)).hexdigest()
    assert code not in out["acknowledgement"]

    # At rest: no code, no text, no contact in clear.
    dump = subprocess.run(
        ["mariadb-dump", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uroot", "--skip-extended-insert", "vcp"],
        capture_output=True, check=True).stdout
    for clear in (code, tag, phone):
        assert clear.encode() not in dump, clear

    assert rep.open(code).status_code == 201
    set_cookie = rep.s.cookies
    assert "vcp_session" not in set_cookie
    r = rep.req("GET", "/api/v1/tipoffs/mine")
    assert r.status_code == 200, r.text
    mine = r.json()["tipoff"]
    assert mine["reference"] == ref and mine["status"] == "new"
    assert mine["messages"] == [] and mine["evidence"] == []

    # A regulator's answer, inserted through the store as phase 2 will.
    tid = sql("SELECT id FROM tipoff WHERE reference = '%s'" % ref)[0][0]
    r = rep.req("POST", "/api/v1/tipoffs/mine/messages",
                json={"body": "补充：平台仍在运营。"})
    assert r.status_code == 201, r.text
    r = rep.req("POST", "/api/v1/tipoffs/mine/evidence?filename=shot.png",
                data=PNG, headers={"Content-Type": "image/png"})
    assert r.status_code == 201, r.text
    assert r.json()["evidence"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    stored = sql("SELECT LEFT(content, 3) FROM attachment"
                 " WHERE owner_type = 'tipoff' AND owner_id = %s" % tid)
    assert stored == [["v1:"]]
    mine = rep.req("GET", "/api/v1/tipoffs/mine").json()["tipoff"]
    assert [m["body"] for m in mine["messages"]] == ["补充：平台仍在运营。"]
    assert mine["messages"][0]["author"] == "reporter"
    assert [e["filename"] for e in mine["evidence"]] == ["shot.png"]

    r = rep.req("GET", "/api/v1/tipoffs/mine/acknowledgement")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/xml")
    xml = r.content
    assert code.encode() not in xml
    assert ref.encode() in xml and out["submission_sha256"].encode() in xml
    with tempfile.TemporaryDirectory() as tmp:
        cert = certificate(tmp)
        assert xmlsec_verify(xml, cert) == 0
        assert xmlsec_verify(xml.replace(b"unfiled_platform", b"other"),
                             cert) != 0

    # No address of the reporter anywhere: database and logs.
    dump = subprocess.run(
        ["mariadb-dump", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uroot", "--skip-extended-insert", "vcp"],
        capture_output=True, check=True).stdout
    assert b"127.0.0.66" not in dump
    for f in glob.glob(os.path.join(VAR, "log", "*")):
        with open(f, "rb") as fh:
            assert b"127.0.0.66" not in fh.read(), f
    audit = sql("SELECT action, client, actor_role FROM audit_log"
                " WHERE action LIKE 'tipoff.%'")
    assert audit and all(row[1] == "" for row in audit), audit

    r = rep.req("DELETE", "/api/v1/tipoffs/session")
    assert r.status_code == 204
    assert_error(rep.req("GET", "/api/v1/tipoffs/mine"), 401,
                 "unauthenticated")


def test_proof_missing_reused_expired_and_wrong():
    rep = Reporter("127.0.0.67")
    assert_error(rep.submit(report(), proof=False), 400, "pow_required")
    c = rep.challenge()
    assert set(c) >= {"id", "salt", "difficulty"}
    body = dict(report(), challenge=c["id"], nonce=wrong_nonce(c))
    assert_error(rep.req("POST", "/api/v1/tipoffs", json=body), 403,
                 "pow_wrong")
    # A wrong proof spends the challenge too.
    body["nonce"] = solve(c)
    assert_error(rep.req("POST", "/api/v1/tipoffs", json=body), 403,
                 "pow_used")
    c = rep.challenge()
    body = dict(report(), challenge=c["id"], nonce=solve(c))
    assert rep.req("POST", "/api/v1/tipoffs", json=body).status_code == 201
    assert_error(rep.req("POST", "/api/v1/tipoffs", json=body), 403,
                 "pow_used")
    body["challenge"] = "A" * 22
    assert_error(rep.req("POST", "/api/v1/tipoffs", json=body), 403,
                 "pow_unknown")
    c = rep.challenge()
    sql("UPDATE tipoff_challenge SET expires_at = NOW(6) - INTERVAL 1 SECOND"
        " WHERE id = '%s'" % c["id"])
    body = dict(report(), challenge=c["id"], nonce=solve(c))
    assert_error(rep.req("POST", "/api/v1/tipoffs", json=body), 403,
                 "pow_expired")


def test_submission_is_validated():
    rep = Reporter("127.0.0.68")
    r = rep.submit(report(category="spam", occurred_on="2999-01-01",
                          description="\x01",
                          platform={"name": "", "url": "ftp://x"},
                          contact={"phone": "12", "email": "nope"}))
    e = assert_error(r, 422, "validation")
    assert set(e["fields"]) == {"category", "occurred_on", "description",
                                "platform.name", "platform.url",
                                "contact.phone", "contact.email"}, e
    r = rep.submit(report(platform={"filing_number": "VCP-2026-999999-0"}))
    e = assert_error(r, 422, "validation")
    assert e["fields"]["platform.filing_number"]["code"] == "not_found"


def test_submissions_are_rate_limited():
    rep = Reporter("127.0.0.69")
    statuses = []
    for _ in range(12):
        r = rep.submit(report())
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) > 0
            assert_error(r, 429, "too_many_attempts")
            break
    assert statuses[-1] == 429 and 201 in statuses, statuses
    sql("DELETE FROM rate_event")


def test_wrong_codes_are_throttled_and_look_the_same():
    rep = Reporter("127.0.0.70")
    answers = set()
    for code in ("0000000000000000", "12", "abcdefghijklmnop",
                 "9999999999999999"):
        r = rep.open(code)
        e = assert_error(r, 401, "invalid_code")
        answers.add((r.status_code, e["message"], r.text))
    assert len(answers) == 1
    r = None
    for _ in range(20):
        r = rep.open("1111111111111111")
        if r.status_code == 429:
            break
    assert_error(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0
    # Overall: other addresses add up until everyone is held.
    held = False
    for i in range(71, 100):
        other = Reporter("127.0.0.%d" % i)
        for _ in range(3):
            r = other.open("2222222222222222")
            if r.status_code == 429:
                held = True
                break
        if held:
            break
    assert held
    sql("DELETE FROM rate_event")


def test_evidence_is_judged_by_content_and_limited():
    rep = Reporter("127.0.0.101")
    code = rep.submit(report()).json()["receipt_code"]
    assert rep.open(code).status_code == 201
    path = "/api/v1/tipoffs/mine/evidence"
    assert_error(rep.req("POST", path, data=b"MZ\x90\x00" * 20,
                         headers={"Content-Type": "application/pdf"}),
                 415, "unsupported_file_type")
    assert_error(rep.req("POST", path, data=PDF,
                         headers={"Content-Type": "image/png"}),
                 415, "type_mismatch")
    assert rep.req("POST", path, data=PDF, headers={
        "Content-Type": "application/pdf"}).status_code == 201
    # Without the CSRF token a write is refused.
    assert_error(rep.req("POST", path, data=PDF, headers={
        "Content-Type": "application/pdf", "X-CSRF-Token": "x"}),
        403, "csrf")


def test_staff_and_reporter_sessions_do_not_mix():
    staff = logged_in("reviewer")
    for m, p in (("GET", "/api/v1/tipoffs/mine"),
                 ("GET", "/api/v1/tipoffs/mine/acknowledgement"),
                 ("POST", "/api/v1/tipoffs/mine/messages"),
                 ("DELETE", "/api/v1/tipoffs/session")):
        kw = {"json": {"body": "x"}} if m == "POST" else {}
        assert_error(staff.req(m, p, **kw), 401, "unauthenticated")
    rep = Reporter("127.0.0.102")
    code = rep.submit(report()).json()["receipt_code"]
    assert rep.open(code).status_code == 201
    token = rep.s.cookies.get("vcp_tipoff")
    assert token
    # The reporter's cookie, sent where staff routes are, opens nothing.
    r = requests.get(url("/api/v1/session"), timeout=30,
                     cookies={"vcp_tipoff": token})
    assert_error(r, 401, "unauthenticated")
    r = requests.get(url("/api/v1/review/queue"), timeout=30,
                     cookies={"vcp_session": token})
    assert_error(r, 401, "unauthenticated")


def test_reporter_cookie_is_scoped():
    rep = Reporter("127.0.0.103")
    code = rep.submit(report()).json()["receipt_code"]
    r = rep.open(code)
    c = r.headers["Set-Cookie"]
    assert c.startswith("vcp_tipoff=")
    for part in ("Path=/api/v1/tipoffs", "HttpOnly", "SameSite=Strict"):
        assert part in c, c
    assert r.headers["Referrer-Policy"] == "no-referrer"
    sql("DELETE FROM rate_event")
