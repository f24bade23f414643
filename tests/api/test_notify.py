"""Filing events for MPS and CAC: the outbox, signed payloads, the feed."""
import os

import xmlsec
from lxml import etree

from conftest import TOP, assert_error, logged_in, sql, vcpctl
from test_filing import filed

NS = {"n": "urn:vcp:notification:1",
      "ds": "http://www.w3.org/2000/09/xmldsig#"}


def certificate():
    p = vcpctl("cert")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("-----BEGIN CERTIFICATE-----")
    return p.stdout


def verify(xml_bytes, cert_pem):
    """True when the enveloped signature checks with the portal's cert."""
    doc = etree.fromstring(xml_bytes)
    node = xmlsec.tree.find_node(doc, xmlsec.constants.NodeSignature)
    ctx = xmlsec.SignatureContext()
    ctx.key = xmlsec.Key.from_memory(cert_pem.encode(),
                                     xmlsec.constants.KeyDataFormatCertPem)
    try:
        ctx.verify(node)
        return True
    except xmlsec.Error:
        return False


def schema():
    # Parsed from memory: python-xmlsec replaces libxml2's file readers.
    with open(os.path.join(TOP, "schema", "notification.xsd"), "rb") as f:
        return etree.XMLSchema(etree.fromstring(f.read()))


def feed_end(rcpt):
    """The recipient's newest feed position: a cursor before what follows."""
    return int(sql("SELECT COALESCE(MAX(position), 0) FROM notification"
                   " WHERE recipient = '%s'" % rcpt)[0][0])


def feed(role, after=0):
    c = logged_in(role)
    r = c.get("/api/v1/feed", params={"after": after, "limit": 500})
    assert r.status_code == 200, r.text
    return r.json()


def test_approval_writes_one_signed_event_per_recipient():
    op = logged_in("operator")
    start = {r: feed_end(r) for r in ("mps", "cac")}
    f = filed(op)
    rows = sql("SELECT event_id, recipient, seq, event, status FROM"
               " notification WHERE subject = 'filing' AND subject_id = %d ORDER BY recipient"
               % f["id"])
    assert sorted(r[1] for r in rows) == ["cac", "mps"]
    assert rows[0][0] == rows[1][0]                  # one event, two rows
    assert all(r[2] == "1" and r[3] == "filed" for r in rows)
    # Payloads are sealed at rest: no personal data in the table.
    raw = sql("SELECT payload FROM notification WHERE subject = 'filing' AND subject_id = %d"
              % f["id"])
    assert all("11010519491231002X" not in r[0] and r[0].startswith("v1:")
               for r in raw)

    cert = certificate()
    xsd = schema()
    for role, rcpt in (("observer_mps", "mps"), ("observer_cac", "cac")):
        body = feed(role, start[rcpt])
        assert body["recipient"] == rcpt
        ev = [e for e in body["events"] if e["filing_id"] == f["id"]]
        assert len(ev) == 1
        xml = ev[0]["payload"].encode()
        doc = etree.fromstring(xml)
        xsd.assertValid(doc)
        assert doc.get("recipient") == rcpt and doc.get("event") == "filed"
        assert doc.get("eventId") == rows[0][0]
        number = doc.find("n:filing", NS).get("number")
        assert number == f["filing_number"]
        # The full record, personal data in clear, for the ministries.
        assert doc.findtext("n:filing/n:sponsor/n:idNumber",
                            namespaces=NS) == "11010519491231002X"
        kinds = sorted(a.get("kind") for a in doc.findall(
            "n:filing/n:attachment", NS))
        assert kinds == ["commitment_letter", "mlps_certificate"]
        assert all(len(a.get("sha256")) == 64 for a in doc.findall(
            "n:filing/n:attachment", NS))
        assert verify(xml, cert)
        # A tampered payload fails the check, so the check is real.
        bad = xml.replace(b"11010519491231002X", b"11010519491231003X")
        assert bad != xml and not verify(bad, cert)


def test_every_event_kind_in_order():
    op = logged_in("operator")
    start = feed_end("mps")
    f = filed(op)
    fid = f["id"]
    r = op.post("/api/v1/filings/%d/changes" % fid, json={
        "changed_on": "2025-09-05", "changes": {"platform": {
            "homepage": "https://new.example.com"}}})
    assert r.status_code == 201, r.text
    cid = r.json()["change"]["id"]
    rv = logged_in("reviewer")
    assert rv.post("/api/v1/filings/%d/changes/%d/decision" % (fid, cid),
                   json={"decision": "approve"}).status_code == 200
    assert op.post("/api/v1/filings/%d/deregistration" % fid,
                   json={"ended_on": "2025-10-01"}).status_code == 200
    rows = sql("SELECT seq, event FROM notification WHERE subject = 'filing' AND subject_id = %d"
               " AND recipient = 'mps' ORDER BY seq" % fid)
    assert rows == [["1", "filed"], ["2", "changed"], ["3", "deregistered"]]
    ev = [e for e in feed("observer_mps", start)["events"]
          if e["filing_id"] == fid]
    assert [e["event"] for e in ev] == ["filed", "changed", "deregistered"]
    changed = etree.fromstring(ev[1]["payload"].encode())
    schema().assertValid(changed)
    assert changed.find("n:filing/n:change", NS).get("changedOn") == \
        "2025-09-05"
    assert changed.findtext("n:filing/n:platform/n:homepage",
                            namespaces=NS) == "https://new.example.com"


def test_feed_cursor_and_roles():
    op = logged_in("operator")
    start = feed_end("cac")
    filed(op)
    filed(op)
    body = feed("observer_cac", start)
    events = body["events"]
    assert len(events) >= 2 and body["next"] == events[-1]["cursor"]
    cursors = [e["cursor"] for e in events]
    assert cursors == sorted(cursors)
    later = feed("observer_cac", after=cursors[0])["events"]
    assert [e["cursor"] for e in later] == cursors[1:]
    assert feed("observer_cac", after=cursors[-1])["events"] == []
    for role in ("operator", "reviewer", "admin"):
        assert_error(logged_in(role).get("/api/v1/feed"), 403, "forbidden")
    c = logged_in("observer_mps")
    assert_error(c.get("/api/v1/feed", params={"after": "-1"}), 422,
                 "validation")


def test_regulators_see_the_outbox_and_a_supervisor_retries():
    op = logged_in("operator")
    f = filed(op)
    rv = logged_in("reviewer")
    rows = rv.get("/api/v1/notifications").json()["notifications"]
    mine = [n for n in rows if n["filing_id"] == f["id"]]
    assert len(mine) == 2
    for key in ("attempts", "last_error", "next_try_at", "delivered_at",
                "status", "event_id"):
        assert key in mine[0]
    nid = mine[0]["id"]
    assert_error(rv.post("/api/v1/notifications/%d/retry" % nid), 403,
                 "forbidden")
    sup = logged_in("supervisor")
    status = sql("SELECT status FROM notification WHERE id = %d" % nid)[0][0]
    r = sup.post("/api/v1/notifications/%d/retry" % nid)
    if status == "pending":
        assert r.status_code == 202
    else:
        assert_error(r, 409, "not_pending")
    assert_error(sup.post("/api/v1/notifications/999999999/retry"), 409,
                 "not_pending")
    assert_error(logged_in("operator").get("/api/v1/notifications"), 403,
                 "forbidden")
    assert_error(rv.get("/api/v1/notifications", params={"status": "x"}),
                 422, "validation")
