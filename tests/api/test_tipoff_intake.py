"""The tip-off channel's other ways in, retention and statistics (issue 10,
phase 2b): a call recorded by staff, an e-mail piped to vcpctl, the purge
that never reaches the last six months, public counts without text."""
import csv
import datetime
import io
import os
import random
import subprocess
import uuid
from email.message import EmailMessage

import requests

from conftest import VAR, VCPCTL, assert_error, logged_in, sql, url, vcpctl
from test_tipoff import PDF, TODAY, Reporter, report

STATS = "/api/v1/tipoffs/stats"


def dump():
    return subprocess.run(
        ["mariadb-dump", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uroot", "--skip-extended-insert", "vcp"],
        capture_output=True, check=True).stdout


def phone_body(**kw):
    b = report(received_on=TODAY, category="number_not_shown",
               description="来电称该平台首页未标明备案编号。" + uuid.uuid4().hex)
    b.update(kw)
    return b


def import_mail(raw, *args):
    return subprocess.run([VCPCTL, "tipoff", "import", *args], input=raw,
                          capture_output=True, env=dict(os.environ))


def mail(sender, text, attachments=()):
    m = EmailMessage()
    m["From"] = "举报人 <%s>" % sender
    m["To"] = "tipoff@portal.example.cn"
    m["Subject"] = "举报某平台违规收集漏洞"
    m.set_content(text)
    for data, maintype, subtype, name in attachments:
        m.add_attachment(data, maintype=maintype, subtype=subtype,
                         filename=name)
    return bytes(m)


def parse(out):
    return dict(line.split(" ", 1) for line in out.decode().splitlines())


def test_phone_intake_gives_a_code_the_caller_can_use():
    phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
    for role in ("reviewer", "supervisor"):
        staff = logged_in(role)
        body = phone_body(contact={"name": "来电人", "phone": phone})
        r = staff.post("/api/v1/review/tipoffs/intake", json=body)
        assert r.status_code == 201, r.text
        out = r.json()
        code, ref = out["receipt_code"], out["reference"]
        assert len(code) == 16 and code.isdigit()
        assert out["channel"] == "phone"
        assert code not in out["acknowledgement"]
        assert sql("SELECT channel, status FROM tipoff WHERE reference = '%s'"
                   % ref) == [["phone", "new"]]

        caller = Reporter("127.0.0.71")
        assert caller.open(code).status_code == 201
        r = caller.req("GET", "/api/v1/tipoffs/mine")
        assert r.status_code == 200, r.text
        assert r.json()["tipoff"]["reference"] == ref
    # What was said and the caller's number are sealed.
    d = dump()
    assert phone.encode() not in d
    assert body["description"].encode() not in d
    assert sql("SELECT COUNT(*) FROM audit_log WHERE action ="
               " 'tipoffs.intake' AND outcome = 'ok'")[0][0] != "0"


def test_phone_intake_is_staff_only_and_checked():
    for role in ("operator", "admin", "observer_mps"):
        r = logged_in(role).post("/api/v1/review/tipoffs/intake", json=phone_body())
        assert_error(r, 403, r.json()["error"]["code"])
    r = requests.post(url("/api/v1/review/tipoffs/intake"), json=phone_body(),
                      timeout=30)
    assert r.status_code == 401, r.text
    staff = logged_in("reviewer")
    r = staff.post("/api/v1/review/tipoffs/intake",
                   json=phone_body(received_on="2999-01-01", channel="web"))
    e = assert_error(r, 422, "validation")
    assert set(e["fields"]) == {"received_on", "channel"}


def test_mail_import_files_text_evidence_and_a_sealed_sender():
    sender = "whistle-%s@example.org" % uuid.uuid4().hex[:10]
    tag = uuid.uuid4().hex
    raw = mail(sender, "平台 vulns.example.cn 未备案，仍在收集漏洞。" + tag,
               [(PDF, "application", "pdf", "证据.pdf"),
                (b"plain words", "application", "octet-stream", "x.bin")])
    p = import_mail(raw, "--category", "unfiled_platform")
    assert p.returncode == 0, p.stderr
    out = parse(p.stdout)
    ref, code = out["reference"], out["receipt_code"]
    assert out["evidence"] == "1" and out["refused"] == "1"
    assert code.encode() not in p.stderr
    rows = sql("SELECT id, channel, category FROM tipoff WHERE reference ="
               " '%s'" % ref)
    assert rows[0][1:] == ["email", "unfiled_platform"]
    tid = rows[0][0]
    assert sql("SELECT media_type FROM attachment WHERE owner_type ="
               " 'tipoff' AND owner_id = %s" % tid) == [["application/pdf"]]
    assert sql("SELECT COUNT(*) FROM audit_log WHERE action ="
               " 'tipoffs.import' AND object = 'tipoff:%s'" % tid) == [["1"]]
    d = dump()
    for clear in (sender, tag, code):
        assert clear.encode() not in d, clear
    # The reporter follows it up with the code like anyone else.
    rep = Reporter("127.0.0.72")
    assert rep.open(code).status_code == 201
    mine = rep.req("GET", "/api/v1/tipoffs/mine").json()["tipoff"]
    assert mine["reference"] == ref and len(mine["evidence"]) == 1
    # No +extension in the address, or one that is no category: other.
    for ext in ("", "spam"):
        p = import_mail(mail(sender, "再次举报。"), "--category", ext)
        assert p.returncode == 0, p.stderr
        assert sql("SELECT category FROM tipoff WHERE reference = '%s'"
                   % parse(p.stdout)["reference"]) == [["other"]]


def test_mail_import_refuses_what_is_not_a_message():
    assert import_mail(b"just some words, no headers\n").returncode == 1
    big = b"From: a@example.org\nSubject: x\n\n" + b"x" * (25 * 1024 * 1024)
    p = import_mail(big)
    assert p.returncode == 1 and b"larger" in p.stderr
    m = EmailMessage()
    m["From"] = "a@example.org"
    m.set_content(PDF, maintype="application", subtype="pdf")
    assert import_mail(bytes(m)).returncode == 1
    assert import_mail(b"").returncode == 1


def new_case(staff, **kw):
    r = staff.post("/api/v1/review/tipoffs/intake", json=phone_body(**kw))
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    return sql("SELECT id FROM tipoff WHERE reference = '%s'" % ref)[0][0]


def age(tid, status, received_days, decided_days):
    decided = ("UTC_TIMESTAMP(6) - INTERVAL %d DAY" % decided_days
               if decided_days is not None else "NULL")
    sql("UPDATE tipoff SET status = '%s', received_at = UTC_TIMESTAMP(6)"
        " - INTERVAL %d DAY, decided_at = %s WHERE id = %s"
        % (status, received_days, decided, tid))


def exists(tid):
    return sql("SELECT COUNT(*) FROM tipoff WHERE id = %s" % tid) == [["1"]]


def received_in(month, stats):
    for m in stats["months"]:
        if m["month"] == month:
            return m["received"]["total"]
    return 0


def test_purge_keeps_six_months_and_deletes_old_closed_cases():
    staff = logged_in("reviewer")
    p = import_mail(mail("old-%s@example.org" % uuid.uuid4().hex[:8],
                         "很久以前的举报。", [(PDF, "application", "pdf",
                                                "a.pdf")]))
    assert p.returncode == 0, p.stderr
    old = sql("SELECT id FROM tipoff WHERE reference = '%s'"
              % parse(p.stdout)["reference"])[0][0]
    sql("INSERT INTO tipoff_message (tipoff_id, author, body, created_at)"
        " VALUES (%s, 'regulator', 'x', NOW(6))" % old)
    age(old, "closed", 900, 800)
    recent = new_case(staff)
    age(recent, "verified", 100, 90)       # received within six months
    kept = new_case(staff)
    age(kept, "unfounded", 300, 100)       # decided within retention
    open_ = new_case(staff)
    age(open_, "in_review", 900, None)     # never decided
    month = (datetime.datetime.utcnow() - datetime.timedelta(days=900)
             + datetime.timedelta(hours=8)).strftime("%Y-%m")
    before = received_in(month, requests.get(url(STATS), timeout=30).json())

    p = vcpctl("tipoffs", "purge")
    assert p.returncode == 0, p.stderr
    assert not exists(old)
    assert exists(recent) and exists(kept) and exists(open_)
    assert sql("SELECT COUNT(*) FROM attachment WHERE owner_type = 'tipoff'"
               " AND owner_id = %s" % old) == [["0"]]
    assert sql("SELECT COUNT(*) FROM tipoff_message WHERE tipoff_id = %s"
               % old) == [["0"]]
    assert sql("SELECT COUNT(*) FROM audit_log WHERE action ="
               " 'tipoffs.purge_case' AND object = 'tipoff:%s'" % old) == [["1"]]
    # The purged case still counts in its month's statistics.
    after = received_in(month, requests.get(url(STATS), timeout=30).json())
    assert after == before

    tomorrow = (datetime.date.today() +
                datetime.timedelta(days=1)).isoformat()
    p = vcpctl("tipoffs", "purge", "--before", tomorrow)
    assert p.returncode == 0, p.stderr
    assert not exists(kept)
    assert exists(recent) and exists(open_)
    assert vcpctl("tipoffs", "purge", "--before", "soon").returncode == 1


def beijing_month():
    return (datetime.datetime.utcnow() +
            datetime.timedelta(hours=8)).strftime("%Y-%m")


def month_of(stats, month):
    for m in stats["months"]:
        if m["month"] == month:
            return m
    return {"received": {"total": 0, "by_category": {}},
            "decided": {"total": 0, "by_status": {}, "by_category": {}}}


def test_stats_count_without_text():
    month = beijing_month()
    r = requests.get(url(STATS), timeout=30)
    assert r.status_code == 200, r.text
    m0 = month_of(r.json(), month)
    staff = logged_in("supervisor")
    secret = "统计不应出现的文字" + uuid.uuid4().hex
    name = "未备案平台" + uuid.uuid4().hex[:6]
    a = new_case(staff, category="illegal_handling", description=secret,
                 platform={"name": name, "url": "https://x.example.cn/"})
    new_case(staff, category="illegal_handling")
    sql("UPDATE tipoff SET status = 'unfounded', decided_at ="
        " UTC_TIMESTAMP(6) WHERE id = %s" % a)
    # What was done about a case counts too (by kind, never its reasons).
    sql("INSERT INTO tipoff_outcome (tipoff_id, kind, due_on, reasons,"
        " account_id, created_at) VALUES (%s, 'rectification', '2027-01-01',"
        " 'v1:sealed', %d, UTC_TIMESTAMP(6))" % (a, staff.account["id"]))

    r = requests.get(url(STATS), timeout=30)
    assert r.status_code == 200
    js = r.json()
    m1 = month_of(js, month)
    cat = "illegal_handling"
    assert m1["received"]["total"] - m0["received"]["total"] == 2
    assert (m1["received"]["by_category"].get(cat, 0) -
            m0["received"]["by_category"].get(cat, 0)) == 2
    assert (m1["decided"]["by_status"].get("unfounded", 0) -
            m0["decided"]["by_status"].get("unfounded", 0)) == 1
    act0 = m0.get("action", {}).get("by_kind", {}).get("rectification", 0)
    assert m1["action"]["by_kind"]["rectification"] - act0 == 1
    assert secret not in r.text and name not in r.text

    c = requests.get(url(STATS + ".csv"), timeout=30)
    assert c.status_code == 200
    assert c.headers["Content-Type"].startswith("text/csv")
    assert secret not in c.text and name not in c.text
    rows = list(csv.DictReader(io.StringIO(c.text)))
    assert set(rows[0]) == {"month", "measure", "category", "status",
                            "count"}
    got = sum(int(x["count"]) for x in rows
              if x["month"] == month and x["measure"] == "received")
    assert got == m1["received"]["total"]
    got = sum(int(x["count"]) for x in rows if x["month"] == month and
              x["measure"] == "decided" and x["status"] == "unfounded")
    assert got == m1["decided"]["by_status"]["unfounded"]
