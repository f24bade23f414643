"""Nothing stored holds personal data in clear: after a walk through the
whole lifecycle, every table of the database is searched for the values."""
import subprocess

from conftest import VAR, logged_in, unique
from test_filing import attach, create, good_form

CLEAR = ["11010519491231002X", "13812345678", "zhangsan@example.com",
         "13912345678", "lisi@example.com"]


def dump():
    """Every row of every table, as the database superuser sees it."""
    out = subprocess.run(
        ["mariadb-dump", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uroot", "--skip-extended-insert", "--no-create-info", "vcp"],
        check=True, capture_output=True)
    return out.stdout.decode("utf-8", "replace")


def test_no_table_holds_personal_data_in_clear():
    op = logged_in("operator")
    f = create(op, good_form())
    for kind in ("mlps_certificate", "commitment_letter"):
        assert attach(op, f["id"], kind).status_code == 201
    # The replay store keeps the submit's answer, which carries the form.
    key = {"Idempotency-Key": "rest-" + unique()}
    a = op.post("/api/v1/filings/%d/submit" % f["id"], headers=dict(key))
    b = op.post("/api/v1/filings/%d/submit" % f["id"], headers=dict(key))
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()
    assert CLEAR[0] in a.text

    rev = logged_in("reviewer")
    assert rev.post("/api/v1/filings/%d/reveal" % f["id"],
                    json={"reason": "核实备案主体身份"}).status_code == 200
    r = rev.post("/api/v1/filings/%d/decision" % f["id"],
                 json={"decision": "approve"})
    assert r.status_code == 200, r.text
    form = good_form()
    form["contact"]["mobile"] = "13912345678"
    r = op.post("/api/v1/filings/%d/changes" % f["id"],
                json={"form": form, "changed_on": r.json()["filing"]
                      .get("filed_on")})
    text = dump()
    for v in CLEAR:
        assert v not in text, "%s stored in clear" % v
