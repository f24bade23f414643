"""How the portal reads a request: ids with one spelling, an optional
body that may be left out, the headers Kore would refuse answered in JSON,
and correction requests that must point at a field of the form."""
import datetime
import json
import socket
import urllib.parse

import requests

from conftest import assert_error, logged_in, sql, url
from test_filing import PNG, attach, create, filed, submitted

HOST, PORT = urllib.parse.urlsplit(url("/")).hostname, \
    urllib.parse.urlsplit(url("/")).port


def raw(method, path, headers=(), body=b""):
    """One request as bytes, sent as given (no Content-Length added):
    returns (status, headers, parsed JSON body or None)."""
    lines = [b"%s %s HTTP/1.1" % (method.encode(), path.encode()),
             b"Host: %s" % HOST.encode(), b"Connection: close"]
    for k, v in headers:
        lines.append(k.encode() + b": " +
                     (v if isinstance(v, bytes) else v.encode()))
    data = b"\r\n".join(lines) + b"\r\n\r\n" + body
    with socket.create_connection((HOST, PORT), timeout=20) as s:
        s.sendall(data)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    head, _, payload = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, json.loads(payload) if payload else None


def assert_raw_error(answer, status, code):
    st, hdrs, body = answer
    assert st == status, answer
    assert hdrs["content-type"] == "application/json; charset=utf-8"
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body


def session_headers(client):
    return [("Cookie", "vcp_session=" + client.s.cookies["vcp_session"]),
            ("X-CSRF-Token", client.csrf)]


def test_an_id_has_one_spelling(operator):
    fid = create(operator)["id"]
    base = "/api/v1/filings/"
    assert operator.get(base + str(fid)).status_code == 200
    for spelling in ("+%d" % fid, "0%d" % fid, "%%20%d" % fid,
                     "%d%%20" % fid, "%%2B%d" % fid, "%d.0" % fid,
                     "0", "-1", "9223372036854775808",
                     "99999999999999999999"):
        assert_error(operator.get(base + spelling), 404, "not_found")
        assert_error(operator.put(base + spelling, json={
            "version": 1, "form": {}}), 404, "not_found")
    # No trailing slash, no empty segment.
    assert_error(operator.get(base + "%d/" % fid), 404, "not_found")
    assert_error(operator.get("/api/v1//filings/%d" % fid), 404,
                 "not_found")
    # The largest id is an id (of no filing).
    assert_error(operator.get(base + "9223372036854775807"), 404,
                 "not_found")


def test_the_issues_spellings_of_five_are_refused():
    # The spellings the issue names, next to filing 5 itself, which its
    # owner reads: made this operator's, after as many drafts as it takes.
    op = logged_in()
    while int(sql("SELECT COALESCE(MAX(id), 0) FROM filing")[0][0]) < 5:
        create(op)
    sql("UPDATE filing SET owner_id = %d WHERE id = 5" % op.account["id"])
    assert op.get("/api/v1/filings/5").json()["filing"]["id"] == 5
    for spelling in ("+5", "05", "%205", "5%20", "0",
                     "9223372036854775808"):
        assert_error(op.get("/api/v1/filings/" + spelling), 404,
                     "not_found")


def test_ids_of_attachments_changes_and_notifications(operator):
    fid = create(operator)["id"]
    r = attach(operator, fid, "other", data=PNG, ctype="image/png")
    assert r.status_code == 201, r.text
    aid = r.json()["attachment"]["id"]
    path = "/api/v1/filings/%d/attachments/" % fid
    got = operator.get(path + str(aid))
    assert got.status_code == 200
    # The download's name is made by the portal, never the upload's.
    assert got.headers["Content-Disposition"] == \
        'attachment; filename="attachment-%d.png"' % aid
    for spelling in ("+%d" % aid, "0%d" % aid, "%%20%d" % aid):
        assert_error(operator.get(path + spelling), 404, "not_found")
        assert_error(operator.delete(path + spelling), 404, "not_found")
    assert operator.get(path + str(aid)).status_code == 200

    change = {"changed_on": "2026-01-01",
              "changes": {"platform": {"name": "新名称"}}}
    for spelling in ("+1", "01", "%201"):
        assert_error(operator.put("/api/v1/filings/%d/changes/%s" % (
            fid, spelling), json=change), 404, "not_found")
    supervisor = logged_in("supervisor")
    assert_error(supervisor.post("/api/v1/notifications/+1/retry"), 404,
                 "not_found")
    assert_error(supervisor.post("/api/v1/notifications/01/retry"), 404,
                 "not_found")


def test_query_numbers_have_one_spelling():
    for q in ("page=01", "page=+1", "per_page=%2010"):
        assert_error(requests.get(url("/api/v1/registry?" + q), timeout=10),
                     422, "validation")
    assert requests.get(url("/api/v1/registry?page=1"),
                        timeout=10).status_code == 200
    assert_error(requests.get(url("/api/v1/calendar/deadline?from="
                                  "2026-01-05&workdays=05"), timeout=10),
                 422, "validation")


def test_an_optional_body_may_be_empty_or_absent(operator):
    # Content-Length: 0, with or without a type.
    r = operator.post("/api/v1/filings", data=b"")
    assert r.status_code == 201, r.text
    assert r.json()["filing"]["form"] == {}
    r = operator.post("/api/v1/filings", data=b"",
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    # No Content-Length at all (curl -X POST without -d).
    st, _, body = raw("POST", "/api/v1/filings", session_headers(operator))
    assert st == 201, body
    fid = body["filing"]["id"]
    # The same for a submission: an incomplete form, not a bare 411/415.
    err = assert_raw_error(raw("POST", "/api/v1/filings/%d/submit" % fid,
                               session_headers(operator)),
                           422, "validation")
    assert "platform.name" in err["error"]["fields"]
    r = operator.post("/api/v1/filings/%d/submit" % fid, data=b"",
                      headers={"Content-Type": "application/json"})
    assert_error(r, 422, "validation")
    # A body that is there must still be a JSON object.
    assert_error(operator.post("/api/v1/filings", data=b"[]",
                               headers={"Content-Type": "application/json"}),
                 400, "bad_json")
    assert_error(operator.post("/api/v1/filings/%d/submit" % fid,
                               data=b"x",
                               headers={"Content-Type": "text/plain"}),
                 415, "unsupported_media_type")


def test_a_required_body_left_out_is_json():
    # Kore answered a POST without Content-Length with a bare 411.
    assert_raw_error(raw("POST", "/api/v1/accounts"), 415,
                     "unsupported_media_type")
    assert_raw_error(raw("POST", "/api/v1/accounts",
                         [("Content-Type", "application/json")]),
                     400, "bad_json")
    assert_raw_error(raw("PUT", "/api/v1/filings/1"), 415,
                     "unsupported_media_type")


def test_headers_kore_refuses_are_json(operator):
    fid = create(operator)["id"]
    path = "/api/v1/filings/%d/submit" % fid
    # Kore answered these with a bare 400 before the module saw them.
    for key in ("é".encode(), b"a\tb", b"\xff\xfe"):
        assert_raw_error(raw("POST", path, session_headers(operator) +
                             [("Idempotency-Key", key)]),
                         400, "bad_idempotency_key")
    # The module's own check, for what Kore lets through.
    assert_raw_error(raw("POST", path, session_headers(operator) +
                         [("Idempotency-Key", "a b")]),
                     400, "bad_idempotency_key")
    assert_raw_error(raw("GET", "/healthz", [("Cookie", "x=é".encode())]),
                     400, "bad_request")
    assert_raw_error(raw("POST", "/api/v1/accounts",
                         [("Content-Type", b"application/json\tx")]),
                     400, "bad_request")
    # Headers the portal does not read no longer matter.
    for h in (("User-Agent", "é".encode()), ("Referer", b"a\tb"),
              ("Accept-Language", "中文".encode()), ("X-Empty", b"")):
        st, _, body = raw("GET", "/healthz", [h])
        assert st == 200 and body["status"] == "ok", (h, st, body)
    # A method Kore does not know: it answered 400, bare.
    assert_raw_error(raw("BREW", "/healthz"), 405, "method_not_allowed")


def decide(client, path, field):
    return client.post(path, json={"decision": "correct", "items": [
        {"field": field, "problem": "与证明材料不符"}]})


def test_correction_items_name_fields_of_the_form(operator):
    reviewer = logged_in("reviewer")
    f = submitted(operator)
    path = "/api/v1/filings/%d/decision" % f["id"]
    for bad in ("no.such", "platform", "platform.publish_urls[20]",
                "platform.publish_urls[01]", "sponsor.mobile",
                "attachments.photo", "platform.name "):
        err = assert_error(decide(reviewer, path, bad), 422, "validation")
        assert err["fields"]["items"]["code"] == "unknown_field", bad
    r = decide(reviewer, path, "platform.publish_urls[1]")
    assert r.status_code == 200, r.text
    assert r.json()["filing"]["status"] == "correction_requested"

    g = submitted(operator)
    r = decide(reviewer, "/api/v1/filings/%d/decision" % g["id"],
               "attachments.mlps_certificate")
    assert r.status_code == 200, r.text


def test_change_correction_items_name_fields_of_the_form(operator):
    f = filed(operator)
    cst = datetime.timezone(datetime.timedelta(hours=8))
    today = datetime.datetime.now(cst).date().isoformat()
    r = operator.post("/api/v1/filings/%d/changes" % f["id"], json={
        "changed_on": today,
        "changes": {"platform": {"homepage": "https://new.example.com"}}})
    assert r.status_code == 201, r.text
    path = "/api/v1/filings/%d/changes/%d/decision" % (
        f["id"], r.json()["change"]["id"])
    reviewer = logged_in("reviewer")
    err = assert_error(decide(reviewer, path, "no.such"), 422, "validation")
    assert err["fields"]["items"]["code"] == "unknown_field"
    r = decide(reviewer, path, "platform.homepage")
    assert r.status_code == 200, r.text
    assert r.json()["change"]["status"] == "correction_requested"
