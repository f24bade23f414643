"""nginx in front of Kore: every defect of Kore's own HTTP layer is closed
by the proxy, nginx's own refusals are JSON, and the client's address
survives the hop (X-Real-IP, believed only from trusted_proxies).

Each test of the first kind fails when pointed at Kore directly (KORE
instead of BASE): that is the defect it guards against.
"""
import http.client
import json
import os
import resource
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse

import pytest
import requests

from conftest import BASE, KORE, STRONG, TOP, sql, unique, url

HOST, PORT = urllib.parse.urlsplit(BASE).hostname, \
    urllib.parse.urlsplit(BASE).port
KORE_PORT = urllib.parse.urlsplit(KORE).port
# Long enough for any honest answer; a request Kore leaves hanging (60 s
# body timeout, or never) runs into it and fails the test.
WAIT = 20


def connect(port=PORT, source=None):
    s = socket.create_connection((HOST, port), timeout=WAIT,
                                 source_address=(source, 0) if source
                                 else None)
    return s


def read_response(f, head=False):
    """One HTTP/1.1 answer from a buffered socket file: (status, headers,
    body).  Raises if the connection ends before the answer does."""
    line = f.readline()
    if not line:
        raise ConnectionError("connection closed without an answer")
    status = int(line.split()[1])
    headers = {}
    while True:
        h = f.readline()
        if not h:
            raise ConnectionError("connection closed inside the headers")
        if h in (b"\r\n", b"\n"):
            break
        k, v = h.decode("latin-1").split(":", 1)
        headers[k.strip().lower()] = v.strip()
    n = 0 if head else int(headers.get("content-length", "0"))
    body = f.read(n)
    if len(body) != n:
        raise ConnectionError("connection closed inside the body")
    return status, headers, body


def assert_json_error(answer, status, code):
    st, headers, body = answer
    assert st == status, (st, headers, body[:200])
    assert headers["content-type"] == "application/json; charset=utf-8"
    err = json.loads(body)
    assert set(err) == {"error"}
    assert err["error"]["code"] == code, err
    assert err["error"]["message"]
    return err


def exchange(data, port=PORT, answers=1):
    """Sends raw bytes, returns the answers that follow."""
    s = connect(port)
    try:
        s.sendall(data)
        f = s.makefile("rb")
        return [read_response(f) for _ in range(answers)]
    finally:
        s.close()


def request(method, path, headers=(), body=b""):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % HOST]
    lines += ["%s: %s" % h for h in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# --- Kore's defects, answered by nginx -------------------------------------

def test_bytes_after_a_body_do_not_hang_the_request():
    # Kore counts the extra bytes into the body: the request hangs until
    # its 60 s body timeout and the remaining length underflows.
    body = b"{}"
    data = request("POST", "/api/v1/accounts",
                   [("Content-Type", "application/json"),
                    ("Content-Length", len(body))], body) + b"garbage" * 50
    first, second = exchange(data, answers=2)
    assert_json_error(first, 422, "validation")
    # What follows the body is read as the next request, and refused.
    assert_json_error(second, 400, "bad_request")


def test_body_over_the_limit_is_refused_with_json_413():
    size = 16 * 1024 * 1024
    data = request("POST", "/api/v1/accounts",
                   [("Content-Type", "application/json"),
                    ("Content-Length", size)])
    s = connect()
    try:
        s.sendall(data + b"{" + b" " * 65536)
        f = s.makefile("rb")
        assert_json_error(read_response(f), 413, "payload_too_large")
    finally:
        s.close()


def test_chunked_body_over_the_limit_is_refused_with_json_413():
    # Without a length the limit is counted as the body arrives.
    s = connect()
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)

    def send():
        try:
            s.sendall(request("POST", "/api/v1/accounts",
                              [("Content-Type", "application/json"),
                               ("Transfer-Encoding", "chunked")]))
            for _ in range(16 * 16):
                s.sendall(chunk)
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass                # refused before the end: the point

    t = threading.Thread(target=send)
    t.start()
    try:
        f = s.makefile("rb")
        assert_json_error(read_response(f), 413, "payload_too_large")
    finally:
        s.shutdown(socket.SHUT_RDWR)
        t.join()
        s.close()


def test_pipelined_requests_are_all_answered():
    # Kore answers the first and never the second.
    data = request("GET", "/healthz") + \
        request("GET", "/api/v1/no/such/route") + \
        request("GET", "/healthz", [("Connection", "close")])
    a, b, c = exchange(data, answers=3)
    assert a[0] == 200 and json.loads(a[2])["status"] == "ok"
    assert_json_error(b, 404, "not_found")
    assert c[0] == 200 and json.loads(c[2])["status"] == "ok"


def test_idle_connections_do_not_lock_anyone_out():
    # 2,100 connections that send nothing, or half a header, filled both
    # of Kore's workers (worker_max_connections 1024); nginx holds them.
    n = 2100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 200:
        if hard != resource.RLIM_INFINITY and hard < n + 200:
            pytest.skip("RLIMIT_NOFILE %d is too low for %d sockets"
                        % (hard, n))
        resource.setrlimit(resource.RLIMIT_NOFILE, (n + 200, hard))
    idle = []
    try:
        for i in range(n):
            s = connect()
            if i % 10 == 0:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            idle.append(s)
        r = requests.get(url("/healthz"), timeout=WAIT)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        r = requests.post(url("/api/v1/accounts"), json={}, timeout=WAIT)
        assert r.status_code == 422
    finally:
        for s in idle:
            s.close()
        if soft < n + 200:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_large_header_blocks_are_answered_not_reset():
    # Kore reset any block over its http_header_max without a word.
    one_line = exchange(request("GET", "/healthz",
                                [("X-Big", "a" * (9 * 1024))]))[0]
    assert_json_error(one_line, 431, "header_too_large")

    # Over 8 KiB in several lines: within nginx's buffers, so it is
    # served (nginx passes Kore only the headers the portal reads, and
    # Kore's limit is above what it may pass on).
    several = exchange(request("GET", "/healthz",
                               [("X-Big-%d" % i, "b" * 3000)
                                for i in range(3)]))[0]
    assert several[0] == 200 and json.loads(several[2])["status"] == "ok"

    beyond = exchange(request("GET", "/healthz",
                              [("X-Big-%d" % i, "c" * 4000)
                               for i in range(10)]))[0]
    assert_json_error(beyond, 431, "header_too_large")
    assert requests.get(url("/healthz"), timeout=WAIT).status_code == 200


def test_conflicting_content_length_is_refused():
    body = b"{}" + b" " * 30
    answer = exchange(request("POST", "/api/v1/accounts",
                              [("Content-Type", "application/json"),
                               ("Content-Length", 2),
                               ("Content-Length", len(body))], body))[0]
    assert_json_error(answer, 400, "bad_request")

    answer = exchange(request("POST", "/api/v1/accounts",
                              [("Content-Type", "application/json"),
                               ("Content-Length", 2),
                               ("Transfer-Encoding", "chunked")],
                              b"2\r\n{}\r\n0\r\n\r\n"))[0]
    assert_json_error(answer, 400, "bad_request")


def test_long_request_target_is_json_414():
    # From 2,000 bytes on Kore answers 414 itself, in plain text.
    r = requests.get(url("/api/v1/calendar/deadline?from=" + "1" * 2500),
                     timeout=WAIT)
    assert r.status_code == 414
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.json()["error"]["code"] == "uri_too_long"
    r = requests.get(url("/" + "a" * 9000), timeout=WAIT)
    assert r.status_code == 414
    assert r.json()["error"]["code"] == "uri_too_long"


def test_malformed_requests_are_json_400():
    for data in (b"NOT A REQUEST\r\n\r\n",
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                 b"GET /healthz HTTP/1.1\r\n\r\n"):
        assert_json_error(exchange(data)[0], 400, "bad_request")


def test_proxy_errors_are_json_when_kore_is_away():
    # A second nginx from the same template, with no Kore behind it.
    port, kport = PORT + 2, PORT + 3
    with tempfile.TemporaryDirectory(prefix="vcp-nginx.") as d:
        subprocess.run(["sh", "-c", '. scripts/common.sh && '
                        'nginx_conf "$1" "$2" "$3"', "sh", d, str(port),
                        str(kport)], cwd=TOP, env=dict(os.environ, TOP=TOP),
                       check=True)
        p = subprocess.Popen(["/usr/sbin/nginx", "-q", "-p", d + "/",
                              "-c", d + "/nginx.conf",
                              "-e", d + "/log/nginx-error.log"],
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection((HOST, port), timeout=1).close()
                    break
                except OSError:
                    assert p.poll() is None, "nginx exited"
                    time.sleep(0.05)
            r = requests.get("http://%s:%d/healthz" % (HOST, port),
                             timeout=WAIT)
            assert r.status_code == 502
            assert r.headers["Content-Type"] == \
                "application/json; charset=utf-8"
            assert r.headers["Cache-Control"] == "no-store"
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            assert r.json()["error"]["code"] == "upstream_unavailable"
            assert r.json()["error"]["message"]
        finally:
            p.terminate()
            p.wait(timeout=WAIT)


# --- the client's address behind the proxy ---------------------------------

def register_from(port, source, headers=None):
    """Registers an account over a connection from `source`; returns the
    client address its audit record holds."""
    login = unique("ip")
    c = http.client.HTTPConnection(HOST, port, timeout=WAIT,
                                   source_address=(source, 0))
    try:
        c.request("POST", "/api/v1/accounts",
                  body=json.dumps({"login": login, "password": STRONG,
                                   "name": "测试运营者"}),
                  headers=dict({"Content-Type": "application/json"},
                               **(headers or {})))
        r = c.getresponse()
        body = json.loads(r.read())
        assert r.status == 201, body
    finally:
        c.close()
    rows = sql("SELECT client FROM audit_log WHERE action ="
               " 'account.register' AND object = 'account:%d'"
               % body["account"]["id"])
    assert len(rows) == 1
    return rows[0][0]


def test_audit_sees_the_client_behind_nginx():
    # The whole of 127/8 is this host: a client from 127.0.0.2 reaches
    # nginx, which reaches Kore from 127.0.0.1.
    assert register_from(PORT, "127.0.0.2") == "127.0.0.2"


def test_client_cannot_choose_its_address_through_nginx():
    assert register_from(PORT, "127.0.0.3",
                         {"X-Real-IP": "10.9.8.7"}) == "127.0.0.3"


def test_x_real_ip_is_ignored_from_an_untrusted_peer():
    # trusted_proxies is 127.0.0.1; 127.0.0.2 talking to Kore directly
    # is a client like any other.
    assert register_from(KORE_PORT, "127.0.0.2",
                         {"X-Real-IP": "10.9.8.7"}) == "127.0.0.2"


def test_x_real_ip_from_a_trusted_peer_must_be_an_address():
    assert register_from(KORE_PORT, "127.0.0.1",
                         {"X-Real-IP": "10.9.8.7"}) == "10.9.8.7"
    assert register_from(KORE_PORT, "127.0.0.1",
                         {"X-Real-IP": "2001:DB8:0::1"}) == "2001:db8::1"
    for bad in ("10.9.8.7, 10.0.0.1", "not-an-address", "10.9.8",
                "::1%lo", "x" * 80):
        assert register_from(KORE_PORT, "127.0.0.1",
                             {"X-Real-IP": bad}) == "127.0.0.1", bad
