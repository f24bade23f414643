"""HEAD on a GET route: the GET's status and headers, without the body."""
import socket
import urllib.parse

import requests

from conftest import KORE, logged_in, url

SAME = ("Content-Type", "Content-Length", "Cache-Control",
        "X-Content-Type-Options", "Content-Disposition")


def same_headers(get, head):
    for h in SAME:
        assert head.headers.get(h) == get.headers.get(h), h


def test_head_answers_as_get_without_a_body():
    for path in ("/healthz", "/api/v1/registry",
                 "/api/v1/registry.csv", "/api/v1/registry/feed.atom",
                 "/api/v1/calendar/deadline?from=2025-09-26&workdays=10"):
        get = requests.get(url(path), timeout=10)
        head = requests.head(url(path), timeout=10)
        assert get.status_code == 200, (path, get.text)
        assert head.status_code == 200, path
        assert head.content == b""
        if path != "/healthz":      # names the worker, which may differ
            same_headers(get, head)
        if path.endswith(".csv"):   # streamed: its length is not known
            assert "Content-Length" not in get.headers
        elif path != "/healthz":
            assert int(head.headers["Content-Length"]) == len(get.content)


def test_head_keeps_the_gets_refusals():
    r = requests.head(url("/api/v1/session"), timeout=10)
    assert r.status_code == 401 and r.content == b""
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    r = requests.head(url("/no/such/route"), timeout=10)
    assert r.status_code == 404
    r = requests.head(url("/api/v1/calendar/deadline?from=x"), timeout=10)
    assert r.status_code == requests.get(
        url("/api/v1/calendar/deadline?from=x"), timeout=10).status_code


def test_head_with_a_session():
    c = logged_in()
    get = c.get("/api/v1/session")
    head = c.req("HEAD", "/api/v1/session")
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    same_headers(get, head)


def test_head_is_not_allowed_where_get_is_not():
    r = requests.head(url("/api/v1/accounts"), timeout=10)
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"
    # A GET route names HEAD among its methods.
    r = requests.put(url("/healthz"), timeout=10)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD"


def test_kore_sends_no_body_after_a_head():
    # nginx would drop a body after HEAD headers; Kore must not send one
    # either.  With Connection: close, everything after the headers up to
    # the end of the connection would be that body.
    p = urllib.parse.urlsplit(KORE)
    s = socket.create_connection((p.hostname, p.port), timeout=20)
    try:
        s.sendall(b"HEAD /api/v1/registry HTTP/1.1\r\nHost: x\r\n"
                  b"Connection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    head, rest = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200")
    assert int(head.lower().split(b"content-length: ")[1].split(b"\r")[0]) > 0
    assert rest == b""
