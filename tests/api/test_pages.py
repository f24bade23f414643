"""The pages over plain HTTP: static files by content hash with a year of
caching and their types, compressed, and so the register's pages when
asked; pages never cached and under the
strict policy; the tip-off pages, like the tip-off routes, leave no line
in nginx's access log; every shell page answers."""
import gzip
import json
import os
import re
import time
import urllib.parse

import requests

from conftest import VAR, TOP, url

SHELLS = ["/", "/tipoff", "/tipoff/follow", "/account/register",
          "/account/login", "/operator", "/operator/filings/1", "/review",
          "/review/filings/1", "/review/tipoffs", "/review/tipoffs/1",
          "/review/outbox"]


def manifest():
    with open(os.path.join(TOP, "build", "assets", "manifest.json")) as f:
        return json.load(f)


def test_static_files_by_hash_cached_for_a_year():
    m = manifest()
    for logical, ctype in (("portal.css", "text/css; charset=utf-8"),
                           ("portal.js", "text/javascript; charset=utf-8"),
                           ("pow-worker.js",
                            "text/javascript; charset=utf-8")):
        name = m[logical]
        assert re.fullmatch(r"[a-z-]+-[0-9a-f]{16}\.(css|js)", name)
        r = requests.get(url("/assets/" + name), timeout=10,
                         headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200
        assert r.headers["Content-Type"] == ctype
        assert r.headers["Cache-Control"] == \
            "public, max-age=31536000, immutable"
        with open(os.path.join(TOP, "build", "assets", name), "rb") as f:
            data = f.read()
        assert r.content == data
        if len(data) > 1024:
            assert r.headers.get("Content-Encoding") == "gzip"
    # Only the hashed names: the logical one, and anything else, is 404.
    r = requests.get(url("/assets/portal.css"), timeout=10)
    assert r.status_code == 404
    r = requests.get(url("/assets/manifest.json"), timeout=10)
    assert r.status_code == 404


def test_every_page_answers_under_the_strict_policy():
    css = manifest()["portal.css"]
    for path in SHELLS + ["/register", "/register?q=%E5%B9%B3%E5%8F%B0"]:
        r = requests.get(url(path), timeout=10)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        assert r.headers["Cache-Control"] == "no-store"
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.text.startswith("<!DOCTYPE html>")
        assert 'lang="zh-CN"' in r.text and "/assets/" + css in r.text
        # No inline script or style anywhere (the policy would block it).
        assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), path
        assert "<style" not in r.text and " style=" not in r.text, path


def test_register_page_query_errors_are_shown_not_refused():
    r = requests.get(url("/register?q=" + "长" * 65), timeout=10)
    assert r.status_code == 200
    assert "govuk-error-summary" in r.text and "检索词须为1至64个字符" in r.text
    r = requests.get(url("/register?page=x&status=nope"), timeout=10)
    assert r.status_code == 200


def test_record_page_of_an_unknown_number_is_404_with_the_box():
    r = requests.get(url("/register/VCP-2026-999999-0"), timeout=10)
    assert r.status_code == 404
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'id="verify-number"' in r.text
    r = requests.get(url("/verify?number=%20VCP-2026-999999-0%20"),
                     timeout=10, allow_redirects=False)
    assert r.status_code == 404 and 'value="VCP-2026-999999-0"' in r.text


def test_tipoff_pages_leave_no_access_log_line():
    log = os.path.join(VAR, "log", "nginx-access.log")
    marker = "/register?q=marker%d" % time.time_ns()
    for path in ("/tipoff", "/tipoff/follow", "/tipoff?x=1", marker):
        requests.get(url(path), timeout=10)
    # nginx writes its line when the answer is sent; the marker was last.
    for _ in range(50):
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if marker in text:
            break
        time.sleep(0.1)
    assert marker in text
    assert "GET /tipoff" not in text


def test_record_page_follows_the_register():
    # Pages are kept per register version: a change shows at once.
    from test_registry import a_filed_platform
    op, f = a_filed_platform()
    path = "/register/" + f["filing_number"]
    r = requests.get(url(path), timeout=10)
    assert r.status_code == 200 and "已备案" in r.text
    assert requests.get(url(path), timeout=10).text == r.text
    r = op.post("/api/v1/filings/%d/deregistration" % f["id"],
                json={"ended_on": "2025-06-30"})
    assert r.status_code == 200, r.text
    r = requests.get(url(path), timeout=10)
    assert "已注销" in r.text and "2025-06-30" in r.text
    r = requests.get(url("/register?status=deregistered&q=" +
                         f["filing_number"]), timeout=10)
    assert f["filing_number"] in r.text


def test_register_pages_are_sent_gzipped_when_asked():
    # They hold no secret, so a compressed answer leaks none (BREACH).
    from test_registry import a_filed_platform
    _, f = a_filed_platform()
    name = f["form"]["platform"]["name"]
    for path in ("/register/" + f["filing_number"],
                 "/register?q=" + urllib.parse.quote(name[:4])):
        plain = requests.get(url(path), timeout=10,
                             headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200, path
        assert "Content-Encoding" not in plain.headers, path
        assert "accept-encoding" in plain.headers["Vary"].lower(), path
        # Rendered once, then kept whole and gzipped for the version.
        for _ in range(2):
            r = requests.get(url(path), timeout=10, stream=True,
                             headers={"Accept-Encoding": "gzip, br"})
            raw = r.raw.read()
        assert r.headers["Content-Encoding"] == "gzip", path
        assert "accept-encoding" in r.headers["Vary"].lower(), path
        assert gzip.decompress(raw) == plain.content, path
        assert len(raw) * 2 < len(plain.content), path
        r = requests.get(url(path), timeout=10,
                         headers={"Accept-Encoding": "gzip;q=0, br"})
        assert "Content-Encoding" not in r.headers, path
        assert r.content == plain.content, path
