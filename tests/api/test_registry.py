"""Exports of the public register, the badge, and a sweep of every public
endpoint for data the public must never see (SPEC §5)."""
import csv
import io
import os

import requests
from lxml import etree

from conftest import TOP, assert_error, logged_in, url
from test_filing import NEVER_PUBLIC, filed, good_form

NEVER_EXTRA = ["依据 GB/T 22239", "%PDF", "v1:"]


def a_filed_platform():
    op = logged_in("operator")
    f = filed(op)
    return op, f


def test_csv_export():
    _, f = a_filed_platform()
    r = requests.get(url("/api/v1/registry.csv"), timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    mine = [x for x in rows if x["filing_number"] == f["filing_number"]]
    assert len(mine) == 1
    assert mine[0]["sponsor_type"] == "individual"
    assert mine[0]["publish_urls"] == "https://src.example.com/bulletins"
    assert mine[0]["social_accounts"] == "微信:某某安全响应中心"


def test_csv_neutralises_formulas():
    op = logged_in("operator")
    form = good_form(name="=HYPERLINK(\"http://evil\")")
    f = filed_with(op, form)
    text = requests.get(url("/api/v1/registry.csv"),
                        timeout=30).content.decode("utf-8-sig")
    row = [x for x in csv.DictReader(io.StringIO(text))
           if x["filing_number"] == f["filing_number"]][0]
    assert row["platform_name"].startswith("'=")


def filed_with(op, form):
    from test_filing import attach
    r = op.post("/api/v1/filings", json={"form": form})
    assert r.status_code == 201, r.text
    fid = r.json()["filing"]["id"]
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(op, fid, kind).status_code == 201
    assert op.post("/api/v1/filings/%d/submit" % fid).status_code == 200
    r = logged_in("reviewer").post("/api/v1/filings/%d/decision" % fid,
                                   json={"decision": "approve"})
    assert r.status_code == 200, r.text
    return r.json()["filing"]


def test_xml_export_validates_against_the_schema():
    _, f = a_filed_platform()
    r = requests.get(url("/api/v1/registry.xml"), timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/xml; charset=utf-8"
    with open(os.path.join(TOP, "schema", "registry.xsd"), "rb") as fh:
        schema = etree.XMLSchema(etree.fromstring(fh.read()))
    doc = etree.fromstring(r.content)
    schema.assertValid(doc)
    ns = {"r": "urn:vcp:registry:1"}
    numbers = doc.xpath("//r:filing/@number", namespaces=ns)
    assert f["filing_number"] in numbers
    assert int(doc.get("count")) == len(numbers)
    # The schema is real: a record without its platform fails it.
    bad = etree.fromstring(r.content)
    first = bad.find("r:filing", ns)
    first.remove(first.find("r:platform", ns))
    assert not schema.validate(bad)


def test_atom_feed():
    _, f = a_filed_platform()
    r = requests.get(url("/api/v1/registry/feed.atom"), timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    doc = etree.fromstring(r.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = doc.xpath("//a:entry/a:title/text()", namespaces=ns)
    assert any(f["filing_number"] in t for t in titles)
    assert doc.xpath("/a:feed/a:updated/text()", namespaces=ns)
    ids = doc.xpath("//a:entry/a:id/text()", namespaces=ns)
    assert len(ids) == len(set(ids))


def test_badge():
    _, f = a_filed_platform()
    r = requests.get(url("/api/v1/registry/%s/badge" % f["filing_number"]),
                     timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert f["filing_number"] in r.text and r.text.startswith("<a href=")
    assert_error(requests.get(url("/api/v1/registry/NOPE/badge"),
                              timeout=10), 404, "not_found")


def test_no_public_endpoint_shows_what_the_public_must_not_see():
    op, f = a_filed_platform()
    number = f["filing_number"]
    public = ["/api/v1/registry", "/api/v1/registry?per_page=100",
              "/api/v1/registry?q=" + number,
              "/api/v1/registry/" + number,
              "/api/v1/registry/%s/badge" % number,
              "/api/v1/registry.csv", "/api/v1/registry.xml",
              "/api/v1/registry/feed.atom"]
    for path in public:
        r = requests.get(url(path), timeout=30)
        assert r.status_code == 200, path
        text = r.content.decode("utf-8", "replace")
        for secret in NEVER_PUBLIC + NEVER_EXTRA:
            assert secret not in text, (path, secret)
    # A draft never appears anywhere public.
    d = op.post("/api/v1/filings", json={"form": good_form(
        name="草稿平台-不应公开")}).json()["filing"]
    for path in public:
        assert "草稿平台-不应公开" not in requests.get(
            url(path), timeout=30).content.decode("utf-8", "replace")
    assert d["status"] == "draft"
