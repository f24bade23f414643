"""The public register answered on the event loop from each worker's
snapshot, as production runs it (registry_refresh 1, two workers, the
optimised module with the real sandbox), beside the main suite's portal,
which looks at the version before every answer (registry_refresh 0).

A publish reaches every worker within about a second: the tests poll for
it and never assert a time.  Once both have the same version, the two
portals must give the same bytes for every public read.
"""
import csv
import io
import os
import re
import time
import urllib.parse

import pytest
import requests

from conftest import KORE, logged_in, sql
from test_filing import good_form
from test_registry import filed_with
from test_sandbox import Kore

PORT = int(os.environ.get("VCP_LOOP_PORT", "18895"))
BASE = "http://127.0.0.1:%d" % PORT


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """The Kore, and a kept-alive connection to each of its workers.

    An idle Kore worker keeps the accept lock; it lets it go only when it
    is full, so with room for 3 connections each, the next ones reach the
    other worker."""
    k = Kore(str(tmp_path_factory.mktemp("loop")), port=PORT, workers=2,
             settings="registry_refresh 1\n", max_connections=3)
    held, worker = [], {}
    for _ in range(6):
        s = requests.Session()
        w = s.get(BASE + "/healthz", timeout=10).json()["worker"]
        held.append(s)
        worker.setdefault(w, s)
        if len(worker) == 2:
            break
    assert len(worker) == 2, worker
    k.workers = worker
    yield k
    for s in held:
        s.close()
    k.stop()


def settled(k, timeout=30):
    """Polls each worker until it answers from the register's version."""
    want = int(sql("SELECT version FROM registry_meta")[0][0])
    end = time.time() + timeout
    for w, s in k.workers.items():
        while True:
            h = s.get(BASE + "/healthz", timeout=5).json()
            assert h["worker"] == w
            if h["registry"] is not None and h["registry"]["version"] >= want:
                break
            assert time.time() < end, "worker %d has %r, not %d" % (
                w, h["registry"], want)
            time.sleep(0.05)
    return want


def each(k, path, **kw):
    """The answer of every worker."""
    return [s.get(BASE + path, timeout=30, **kw) for s in k.workers.values()]


def loop_get(k, path, **kw):
    first = None
    for r in each(k, path, **kw):
        if first is None:
            first = r
        else:
            assert r.status_code == first.status_code, path
            assert r.content == first.content or path.endswith(".xml"), path
    return first


def test_a_publish_reaches_every_worker(loop):
    op = logged_in("operator")
    f = filed_with(op, good_form(name="事件循环" + "安全中心"))
    number = f["filing_number"]
    settled(loop)
    for r in each(loop, "/api/v1/registry/" + number):
        assert r.status_code == 200, r.text
        assert r.json()["record"]["filing_number"] == number
        assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert loop_get(loop, "/api/v1/registry/NOPE-1").status_code == 404
    # What the worker holds is shown to monitoring.
    for h in each(loop, "/healthz"):
        reg = h.json()["registry"]
        assert reg["records"] >= 1 and reg["bytes"] > 0


def test_a_record_published_again_is_replaced_not_added(loop):
    """A worker reads only the records published since its snapshot and
    keeps the rest: a revoked platform is found as revoked, once, by
    every worker, and no record is lost or counted twice."""
    op = logged_in("operator")
    f = filed_with(op, good_form(name="增量更新" + "安全中心"))
    number = f["filing_number"]
    settled(loop)
    before = [h.json()["registry"]["records"] for h in each(loop, "/healthz")]
    r = logged_in("supervisor").post(
        "/api/v1/filings/%d/revocation" % f["id"],
        json={"reasons": "经核查存在违规收集行为"})
    assert r.status_code == 200, r.text
    settled(loop)
    after = [h.json()["registry"]["records"] for h in each(loop, "/healthz")]
    assert after == before
    want = int(sql("SELECT COUNT(*) FROM registry")[0][0])
    assert after == [want] * len(after)
    for r in each(loop, "/api/v1/registry/" + number):
        assert r.json()["record"]["status"] == "revoked"
    q = "/api/v1/registry?q=" + urllib.parse.quote("增量更新")
    for status, n in (("revoked", 1), ("filed", 0)):
        for r in each(loop, q + "&status=" + status):
            found = [i["filing_number"] for i in r.json()["items"]]
            assert found.count(number) == n, (status, found)


def test_reads_are_the_portals_bytes(loop):
    op = logged_in("operator")
    a = filed_with(op, good_form(name="比对甲平台漏洞收集"))
    b = filed_with(op, good_form(name="比对乙平台漏洞收集"))
    settled(loop)
    paths = ["/api/v1/registry", "/api/v1/registry?per_page=100",
             "/api/v1/registry?q=" + urllib.parse.quote("比对"),
             "/api/v1/registry?q=" + urllib.parse.quote("对乙"),
             "/api/v1/registry?q=SRC.EXAMPLE.COM&per_page=3&page=2",
             "/api/v1/registry?q=" + a["filing_number"],
             "/api/v1/registry?q=" + a["filing_number"].lower(),
             "/api/v1/registry?status=filed&per_page=1&page=2",
             "/api/v1/registry?status=revoked",
             "/api/v1/registry?page=100000",
             "/api/v1/registry?q=%E4%B8%8D%E5%AD%98%E5%9C%A8",
             "/api/v1/registry?page=0",
             "/api/v1/registry/" + b["filing_number"],
             "/api/v1/registry/%s/badge" % b["filing_number"],
             "/api/v1/registry/feed.atom",
             "/api/v1/registry.csv",
             "/api/v1/calendar/deadline?from=2025-09-26&workdays=10",
             "/api/v1/calendar/years"]
    for path in paths:
        mine = loop_get(loop, path)
        theirs = requests.get(KORE + path, timeout=30)
        assert mine.status_code == theirs.status_code, path
        assert mine.content == theirs.content, path
        assert (mine.headers["Content-Type"] ==
                theirs.headers["Content-Type"]), path


def test_search_finds_chinese_substrings_by_status_and_page(loop):
    op = logged_in("operator")
    mark = "检索" + str(int(time.time() * 1000) % 100000)
    ids = [filed_with(op, good_form(name=mark + "平台%d号" % i))
           for i in range(3)]
    settled(loop)
    q = urllib.parse.quote(mark)
    path = "/api/v1/registry?q=%s&per_page=2" % q
    body = loop_get(loop, path).json()
    assert body["total"] == 3 and len(body["items"]) == 2
    # Newest first: the last filed comes first.
    assert body["items"][0]["filing_number"] == ids[2]["filing_number"]
    last = loop_get(loop, path + "&page=2").json()
    assert [i["filing_number"] for i in last["items"]] == [
        ids[0]["filing_number"]]
    past = loop_get(loop, path + "&page=3").json()
    assert past["items"] == [] and past["total"] == 3
    one = loop_get(loop, "/api/v1/registry?q=" + urllib.parse.quote(
        mark[-3:] + "平台1")).json()
    assert [i["filing_number"] for i in one["items"]] == [
        ids[1]["filing_number"]]
    path = "/api/v1/registry?q=%s&status=" % q
    assert loop_get(loop, path + "revoked").json()["total"] == 0
    assert loop_get(loop, path + "filed").json()["total"] == 3


def test_exports_stream_the_register(loop):
    op = logged_in("operator")
    f = filed_with(op, good_form(name="导出流式平台"))
    settled(loop)
    r = loop_get(loop, "/api/v1/registry.csv")
    assert r.status_code == 200
    assert r.headers.get("Transfer-Encoding") == "chunked"
    assert "Content-Length" not in r.headers
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    mine = [x for x in rows if x["filing_number"] == f["filing_number"]]
    assert len(mine) == 1 and mine[0]["platform_name"] == "导出流式平台"
    # Every record of the register, each once, oldest filing first.
    numbers = [x["filing_number"] for x in rows]
    assert len(numbers) == len(set(numbers)) == int(
        sql("SELECT COUNT(*) FROM registry")[0][0])
    assert numbers[-1] == f["filing_number"]

    x = loop_get(loop, "/api/v1/registry.xml")
    theirs = requests.get(KORE + "/api/v1/registry.xml", timeout=30)
    strip = re.compile(rb'generated="[^"]*"')
    assert strip.sub(b"", x.content) == strip.sub(b"", theirs.content)
    for h in [s.head(BASE + "/api/v1/registry.xml", timeout=10)
              for s in loop.workers.values()]:
        assert h.status_code == 200 and h.content == b""


def test_the_feed_shows_new_events(loop):
    op = logged_in("operator")
    f = filed_with(op, good_form(name="订阅源平台"))
    settled(loop)
    text = loop_get(loop, "/api/v1/registry/feed.atom").text
    assert f["filing_number"] in text and "订阅源平台" in text
