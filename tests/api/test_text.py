"""Text on its way to the XML outputs (issue 7, items 2 and 4).

Every text input refuses what XML 1.0 cannot carry; rows that hold such
characters from before are left out of the XML exports instead of breaking
them, and never become a notification; and the longest text allowed, in
4-byte characters, comes out whole and valid UTF-8 from every output."""
import csv
import io
import json
import os
import re
import time

import requests
from lxml import etree

from conftest import (TOP, assert_error, logged_in, register, sql, unique,
                      url, Client)
from test_delivery import daemon, receiver_url, receivers, stop  # noqa: F401
from test_filing import attach, create, filed, good_form, submitted

AWKWARD = {"U+0001": "\x01", "U+0008": "\x08", "U+000B": "\x0b",
           "U+001F": "\x1f", "U+FFFE": "\ufffe", "U+FFFF": "\uffff"}
REFUSED = {"control_char", "bad_character"}

FORM_FIELDS = [
    "platform.name", "platform.homepage", "platform.icp",
    "platform.publish_urls[0]", "platform.social_accounts[0].app",
    "platform.social_accounts[0].account", "platform.online_date",
    "sponsor.name", "sponsor.type", "sponsor.id_number",
    "principal.name", "principal.mobile", "principal.email",
    "contact.name", "contact.mobile", "contact.email",
    "rules.collection", "rules.verification", "rules.notification",
    "rules.publication", "rules.user_verification", "rules.classification",
    "mlps.certificate_number", "management.description"]
# Fields whose shape admits such a character: refused for the character
# itself.  The others (digits, dates, fixed words) refuse it as a format.
CHARACTER_CHECKED = [
    f for f in FORM_FIELDS if f.split(".")[-1] in (
        "name", "homepage", "publish_urls[0]", "app", "account", "email",
        "collection", "verification", "notification", "publication",
        "user_verification", "classification", "description")]
MULTILINE = ["rules.collection", "rules.verification", "rules.notification",
             "rules.publication", "rules.user_verification",
             "rules.classification", "management.description"]

NS_REG = {"r": "urn:vcp:registry:1"}
NS_ATOM = {"a": "http://www.w3.org/2005/Atom"}
NS_N = {"n": "urn:vcp:notification:1"}


def at(form, path):
    """The container and key that a path like "a.b[0].c" names."""
    node = form
    parts = re.findall(r"[^.\[\]]+", path)
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    return node, int(parts[-1]) if parts[-1].isdigit() else parts[-1]


def spiked(value, ch):
    return value[:len(value) // 2] + ch + value[len(value) // 2:]


def send(client, method, path, obj):
    """JSON as raw UTF-8: escaped, a 4-byte character takes 12 bytes."""
    return client.req(method, path,
                      data=json.dumps(obj, ensure_ascii=False).encode(),
                      headers={"Content-Type": "application/json"})


def schema(name):
    with open(os.path.join(TOP, "schema", name), "rb") as fh:
        return etree.XMLSchema(etree.fromstring(fh.read()))


# -- item 2: refused at the door -------------------------------------------

def test_every_form_field_refuses_what_xml_cannot_carry(operator):
    for path in FORM_FIELDS:
        for name, ch in AWKWARD.items():
            form = good_form()
            node, key = at(form, path)
            node[key] = spiked(node[key], ch)
            err = assert_error(operator.post("/api/v1/filings",
                                             json={"form": form}),
                               422, "validation")
            assert path in err["fields"], (path, name, err)
            if path in CHARACTER_CHECKED:
                assert err["fields"][path]["code"] in REFUSED, (path, name)
    # The same form with nothing spiked is accepted: the refusals above are
    # the characters' doing.
    assert operator.post("/api/v1/filings",
                         json={"form": good_form()}).status_code == 201


def test_tab_and_newline_only_where_text_has_lines(operator):
    form = good_form()
    for path in MULTILINE:
        node, key = at(form, path)
        node[key] = "第一行\n第二行\t制表\r\n第三行"
    f = create(operator, form)
    back = operator.get("/api/v1/filings/%d" % f["id"]).json()["filing"]
    assert back["form"]["rules"] == form["rules"]
    assert back["form"]["management"] == form["management"]
    for path in ("platform.name", "sponsor.name", "principal.name",
                 "platform.social_accounts[0].account"):
        for ch in ("\t", "\n"):
            form = good_form()
            node, key = at(form, path)
            node[key] = spiked(node[key], ch)
            err = assert_error(operator.post("/api/v1/filings",
                                             json={"form": form}),
                               422, "validation")
            assert err["fields"][path]["code"] == "control_char", path


def test_lone_surrogate_escapes_are_not_json(operator):
    # jansson refuses an unpaired surrogate escape, and strict UTF-8 the
    # CESU bytes for one: such a body never reaches a field check.
    bodies = [b'{"name": "a\\ud800b"}', b'{"name": "a\\udfffb"}',
              b'{"name": "a\\ud83db"}', b'{"name": "a\xed\xa0\x80b"}']
    routes = [("POST", "/api/v1/accounts"), ("POST", "/api/v1/filings"),
              ("PUT", "/api/v1/filings/1"),
              ("POST", "/api/v1/filings/1/decision"),
              ("POST", "/api/v1/filings/1/changes"),
              ("POST", "/api/v1/filings/1/revocation"),
              ("POST", "/api/v1/filings/1/reveal")]
    for method, path in routes:
        for body in bodies:
            r = operator.req(method, path, data=body,
                             headers={"Content-Type": "application/json"})
            assert_error(r, 400, "bad_json")


def test_every_other_text_input_refuses_what_xml_cannot_carry():
    op = logged_in("operator")
    sub = submitted(op)
    fil = filed(op)
    fil2 = filed(op)
    draft = create(op)
    reviewer = logged_in("reviewer")
    supervisor = logged_in("supervisor")
    changes = "/api/v1/filings/%d/changes" % fil["id"]
    changes2 = "/api/v1/filings/%d/changes" % fil2["id"]
    r = op.post(changes2, json={"changed_on": "2025-09-05", "changes": {
        "platform": {"name": "变更后的平台" + unique("")}}})
    assert r.status_code == 201, r.text
    cid = r.json()["change"]["id"]
    r = reviewer.post("%s/%d/decision" % (changes2, cid), json={
        "decision": "correct",
        "items": [{"field": "platform.name", "problem": "名称不符"}]})
    assert r.status_code == 200, r.text

    for name, ch in AWKWARD.items():
        text = spiked("说明情况的文字", ch)
        checks = [
            (requests.post(url("/api/v1/accounts"), timeout=30, json={
                "login": unique("op"), "password": "Str0ng-Passw0rd!",
                "name": text}), "name"),
            (reviewer.post("/api/v1/filings/%d/decision" % sub["id"], json={
                "decision": "reject", "reasons": text}), "reasons"),
            (reviewer.post("/api/v1/filings/%d/decision" % sub["id"], json={
                "decision": "correct", "items": [
                    {"field": "platform.name", "problem": text}]}), "items"),
            (reviewer.post("/api/v1/filings/%d/decision" % sub["id"], json={
                "decision": "correct", "items": [
                    {"field": text, "problem": "名称不符"}]}), "items"),
            (reviewer.post("/api/v1/filings/%d/reveal" % sub["id"],
                           json={"reason": text}), "reason"),
            (supervisor.post("/api/v1/filings/%d/revocation" % fil["id"],
                             json={"reasons": text}), "reasons"),
            (op.post(changes, json={"changed_on": "2025-09-05", "changes": {
                "platform": {"name": text}}}), "platform.name"),
            (op.post(changes, json={"changed_on": "2025-09-05", "changes": {
                "rules": {"collection": text}}}), "rules.collection"),
            (op.put("%s/%d" % (changes2, cid), json={
                "changed_on": "2025-09-05",
                "changes": {"sponsor": {"name": text}}}), "sponsor.name"),
            (reviewer.post("%s/%d/decision" % (changes2, cid), json={
                "decision": "reject", "reasons": text}), "reasons"),
            (attach(op, draft["id"], "other", name=text), "filename"),
            (requests.get(url("/api/v1/registry"), params={"q": text},
                          timeout=30), "q"),
        ]
        for r, field in checks:
            err = assert_error(r, 422, "validation")
            assert field in err["fields"], (name, field, err)
        # Where the answer can say why, it names the character.
        for r, field in checks[:10]:
            code = r.json()["error"]["fields"][field]["code"]
            assert code in REFUSED, (name, field, code)

    # Nothing was decided, changed or stored on the way.
    assert op.get("/api/v1/filings/%d" % sub["id"]).json()[
        "filing"]["status"] == "submitted"
    assert op.get("/api/v1/filings/%d" % fil["id"]).json()[
        "filing"]["status"] == "filed"
    assert op.get(changes).json()["changes"] == []
    assert [c["status"] for c in op.get(changes2).json()["changes"]] == [
        "correction_requested"]
    assert sql("SELECT COUNT(*) FROM attachment WHERE owner_type ="
               " 'filing' AND owner_id = %d" % draft["id"]) == [["0"]]


# -- item 2: old rows do not poison the outputs ----------------------------

def poison(filing_id, number, where, ch):
    """A register row as a portal without the text checks could have
    written it: the character in one field of the public record."""
    rec = {"filing_number": number,
           "platform": {"name": "旧平台", "homepage": "https://old.example.com",
                        "icp": "京ICP备12345678号-1",
                        "publish_urls": ["https://old.example.com/b"],
                        "social_accounts": [{"app": "微信", "account": "旧号"}]},
           "sponsor": {"name": "旧公司", "type": "enterprise"},
           "status": "filed", "filed_on": "2020-01-02", "ended_on": None,
           "changes": []}
    node, key = at(rec, where)
    node[key] = spiked(node[key], ch)
    text = json.dumps(rec).replace("\\", "\\\\").replace("'", "\\'")
    sql("INSERT INTO registry (filing_id, filing_number, platform_name,"
        " homepage_host, sponsor_name, status, record, filed_on, updated_at)"
        " VALUES (%d, '%s', JSON_UNQUOTE(JSON_EXTRACT('%s',"
        " '$.platform.name')), 'old.example.com', '旧公司', 'filed', '%s',"
        " '2020-01-02', NOW(6))" % (filing_id, number, text, text))
    sql("INSERT INTO filing_history (filing_id, at, event)"
        " VALUES (%d, NOW(6), 'approved');"
        " UPDATE registry_meta SET version = version + 1,"
        " epoch = epoch + 1" % filing_id)


def test_old_rows_xml_cannot_carry_are_left_out_of_the_exports():
    op = logged_in("operator")
    good = filed(op)["filing_number"]
    spikes = [("platform.name", "\ufffe"), ("sponsor.name", "\x01"),
              ("platform.social_accounts[0].account", "\uffff"),
              ("platform.publish_urls[0]", "\x1f"),
              ("platform.social_accounts[0].app", "\x0b")]
    ids, bad = [], []
    try:
        for where, ch in spikes:
            fid = create(op)["id"]
            number = "VCP-2020-%06d-X" % (fid % 1000000)
            ids.append(fid)
            poison(fid, number, where, ch)
            bad.append(number)

        r = requests.get(url("/api/v1/registry.xml"), timeout=60)
        assert r.status_code == 200
        doc = etree.fromstring(r.content)
        schema("registry.xsd").assertValid(doc)
        numbers = doc.xpath("//r:filing/@number", namespaces=NS_REG)
        assert good in numbers
        assert not set(bad) & set(numbers)
        assert int(doc.get("count")) == len(numbers)

        r = requests.get(url("/api/v1/registry/feed.atom"), timeout=60)
        assert r.status_code == 200
        doc = etree.fromstring(r.content)
        titles = " ".join(doc.xpath("//a:entry/a:title/text()",
                                    namespaces=NS_ATOM))
        assert good in titles
        # An entry shows a name and a number: only the bad name is left out.
        assert bad[0] not in titles
        assert all(n in titles for n in bad[1:])

        for number in bad + [good]:
            r = requests.get(url("/api/v1/registry/%s/badge" % number),
                             timeout=30)
            assert r.status_code == 200, number
            a = etree.fromstring(r.content)
            assert a.tag == "a" and number in a.text
        # JSON carries any character: the record is still there.
        r = requests.get(url("/api/v1/registry/" + bad[0]), timeout=30)
        assert r.json()["record"]["platform"]["name"] == spiked("旧平台",
                                                                "\ufffe")
    finally:
        if ids:
            where = ",".join(str(i) for i in ids)
            sql("DELETE FROM filing_history WHERE filing_id IN (%s)"
                " AND event = 'approved'" % where)
            sql("DELETE FROM registry WHERE filing_id IN (%s);"
                " UPDATE registry_meta SET version = version + 1,"
                " epoch = epoch + 1" % where)


def test_a_form_xml_cannot_carry_makes_no_notification():
    op = logged_in("operator")
    f = submitted(op)
    fid = f["id"]
    sql("UPDATE filing SET form = JSON_SET(form, '$.rules.collection',"
        " CONCAT('规则', CONVERT(UNHEX('EFBFBE') USING utf8mb4)))"
        " WHERE id = %d" % fid)
    try:
        r = logged_in("reviewer").post("/api/v1/filings/%d/decision" % fid,
                                       json={"decision": "approve"})
        assert_error(r, 500, "internal")
        # The whole approval was undone: no number, no register entry,
        # and above all no payload that both receivers would refuse.
        assert op.get("/api/v1/filings/%d" % fid).json()[
            "filing"]["status"] == "submitted"
        assert sql("SELECT COUNT(*) FROM notification WHERE subject = 'filing' AND subject_id = %d"
                   % fid) == [["0"]]
        assert sql("SELECT COUNT(*) FROM registry WHERE filing_id = %d"
                   % fid) == [["0"]]
    finally:
        sql("UPDATE filing SET form = JSON_SET(form, '$.rules.collection',"
            " '漏洞收集的范围和方式说明') WHERE id = %d" % fid)


# -- item 4: the longest text, whole, everywhere ---------------------------

E = "\U0001F600"          # 4 bytes in UTF-8


def test_field_names_are_cut_on_a_character(operator):
    for key, shown in (("a" * 39 + E, "a" * 39), (E * 11, E * 10)):
        r = send(operator, "POST", "/api/v1/filings",
                 {"form": {"platform": {key: "x"}}})
        err = assert_error(r, 422, "validation")
        assert "platform." + shown in err["fields"], err


def test_the_longest_display_name_comes_back_whole():
    name = E * 64
    login = register(name=name)
    c = Client()
    r = c.login(login)
    assert r.status_code == 201, r.text
    r.content.decode("utf-8")
    assert r.json()["account"]["name"] == name


def longest_form():
    form = good_form()
    p = form["platform"]
    p["name"] = E * 128
    p["publish_urls"] = ["https://src.example.com/" + E * 506]  # 2048 bytes
    p["social_accounts"] = [{"app": E * 64, "account": E * 128},
                            {"app": E * 64, "account": E * 128}]
    form["sponsor"]["name"] = E * 128
    form["principal"]["name"] = E * 64
    form["contact"]["name"] = E * 64
    # One long text per version: the request body is bounded (64 KiB).
    form["rules"]["collection"] = E * 10000
    return form


def wait_delivered(fid, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if sql("SELECT COUNT(*) FROM notification WHERE subject = 'filing' AND subject_id = %d"
               " AND status <> 'delivered'" % fid) == [["0"]]:
            return
        time.sleep(0.3)
    raise AssertionError("events of filing %d not delivered" % fid)


def check_payload(xml, form, texts):
    xml.decode("utf-8")
    doc = etree.fromstring(xml)
    schema("notification.xsd").assertValid(doc)
    f = doc.find("n:filing", NS_N)
    p = form["platform"]
    assert f.findtext("n:platform/n:name", namespaces=NS_N) == p["name"]
    assert [u.text for u in f.findall("n:platform/n:publishUrl", NS_N)] == \
        p["publish_urls"]
    assert [(a.get("app"), a.text) for a in f.findall(
        "n:platform/n:socialAccount", NS_N)] == [
            (a["app"], a["account"]) for a in p["social_accounts"]]
    assert f.findtext("n:sponsor/n:name", namespaces=NS_N) == \
        form["sponsor"]["name"]
    assert f.findtext("n:principal/n:name", namespaces=NS_N) == E * 64
    assert f.findtext("n:contact/n:name", namespaces=NS_N) == E * 64
    names = [a.text for a in f.findall("n:attachment", NS_N)]
    assert E * 64 in names
    for tag, text in texts.items():
        assert f.findtext(tag, namespaces=NS_N) == text, tag


def test_the_longest_four_byte_text_comes_out_whole_everywhere():
    op = logged_in("operator")
    form = longest_form()
    r = send(op, "POST", "/api/v1/filings", {"form": form})
    assert r.status_code == 201, r.text
    fid = r.json()["filing"]["id"]
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(op, fid, kind).status_code == 201
    # As long a name as a query string (1 KiB) lets through.
    assert attach(op, fid, "other", name=E * 64).status_code == 201
    assert op.post("/api/v1/filings/%d/submit" % fid).status_code == 200
    reviewer = logged_in("reviewer")
    r = reviewer.post("/api/v1/filings/%d/decision" % fid,
                      json={"decision": "approve"})
    assert r.status_code == 200, r.text
    number = r.json()["filing"]["filing_number"]
    p = form["platform"]

    # The filing as its operator sees it.
    r = op.get("/api/v1/filings/%d" % fid)
    r.content.decode("utf-8")
    back = r.json()["filing"]["form"]
    assert back["platform"] == p
    assert back["rules"]["collection"] == E * 10000

    # The public record, alone and found by search.
    for path in ("/api/v1/registry/" + number,
                 "/api/v1/registry?q=" + number):
        r = requests.get(url(path), timeout=30)
        assert r.status_code == 200
        r.content.decode("utf-8")
        body = r.json()
        rec = body["record"] if "record" in body else body["items"][0]
        assert rec["platform"]["name"] == p["name"]
        assert rec["platform"]["publish_urls"] == p["publish_urls"]
        assert rec["platform"]["social_accounts"] == p["social_accounts"]
        assert rec["sponsor"]["name"] == form["sponsor"]["name"]

    r = requests.get(url("/api/v1/registry.csv"), timeout=60)
    rows = [x for x in csv.DictReader(io.StringIO(
        r.content.decode("utf-8-sig"), newline=""))
        if x["filing_number"] == number]
    assert len(rows) == 1
    assert rows[0]["platform_name"] == p["name"]
    assert rows[0]["sponsor_name"] == form["sponsor"]["name"]
    assert rows[0]["publish_urls"] == p["publish_urls"][0]
    assert rows[0]["social_accounts"] == " ".join(
        a["app"] + ":" + a["account"] for a in p["social_accounts"])

    r = requests.get(url("/api/v1/registry.xml"), timeout=60)
    r.content.decode("utf-8")
    doc = etree.fromstring(r.content)
    schema("registry.xsd").assertValid(doc)
    f = doc.xpath("//r:filing[@number=$n]", n=number, namespaces=NS_REG)[0]
    assert f.findtext("r:platform/r:name", namespaces=NS_REG) == p["name"]
    assert f.findtext("r:platform/r:publishUrl", namespaces=NS_REG) == \
        p["publish_urls"][0]
    assert [(a.get("app"), a.text) for a in f.findall(
        "r:platform/r:socialAccount", NS_REG)] == [
            (a["app"], a["account"]) for a in p["social_accounts"]]
    assert f.findtext("r:sponsor/r:name", namespaces=NS_REG) == \
        form["sponsor"]["name"]

    r = requests.get(url("/api/v1/registry/feed.atom"), timeout=60)
    r.content.decode("utf-8")
    doc = etree.fromstring(r.content)
    titles = doc.xpath("//a:entry/a:title/text()", namespaces=NS_ATOM)
    assert "备案：%s（%s）" % (p["name"], number) in titles

    r = requests.get(url("/api/v1/registry/%s/badge" % number), timeout=30)
    r.content.decode("utf-8")
    assert number in etree.fromstring(r.content).text

    # Each other long text in its own version, through changes: the
    # payload of each carries it whole.
    long_fields = [("rules", "verification", "n:rules/n:verification"),
                   ("rules", "notification", "n:rules/n:notification"),
                   ("rules", "publication", "n:rules/n:publication"),
                   ("rules", "user_verification",
                    "n:rules/n:userVerification"),
                   ("rules", "classification", "n:rules/n:classification"),
                   ("management", "description", "n:management")]
    versions = [{"n:rules/n:collection": E * 10000}]
    prev = ("rules", "collection")
    for group, key, tag in long_fields:
        change = {prev[0]: {prev[1]: "恢复为简短说明"}}
        change.setdefault(group, {})[key] = E * 10000
        r = send(op, "POST", "/api/v1/filings/%d/changes" % fid,
                 {"changed_on": "2025-09-05", "changes": change})
        assert r.status_code == 201, r.text
        cid = r.json()["change"]["id"]
        r = reviewer.post("/api/v1/filings/%d/changes/%d/decision"
                          % (fid, cid), json={"decision": "approve"})
        assert r.status_code == 200, r.text
        versions.append({tag: E * 10000})
        prev = (group, key)

    d = daemon()
    try:
        wait_delivered(fid)
    finally:
        stop(d)
    for rcpt in ("mps", "cac"):
        events = [row[0] for row in sql(
            "SELECT event_id FROM notification WHERE subject = 'filing' AND subject_id = %d AND"
            " recipient = '%s' ORDER BY seq" % (fid, rcpt))]
        assert len(events) == len(versions)
        for eid, texts in zip(events, versions):
            r = requests.get(receiver_url(rcpt, "/_payload/" + eid),
                             timeout=30)
            assert r.status_code == 200, (rcpt, eid)
            check_payload(r.content, form, texts)


def test_a_path_in_four_byte_characters_is_not_found(operator):
    for seg in (E * 9, "1" + E * 8, "1" * 40):
        r = operator.post("/api/v1/filings/%s/submit" % seg,
                          headers={"Idempotency-Key": "k-" + unique()})
        assert_error(r, 404, "not_found")
