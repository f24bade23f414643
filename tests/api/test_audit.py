"""The audit log: every write recorded, hash-chained, append-only."""
import subprocess

import requests

from conftest import VAR, Client, register, sql, unique, url, vcpctl


def last_rows(n=5):
    return sql("SELECT id, actor_id, actor_role, action, object, outcome,"
               " status, client FROM audit_log ORDER BY id DESC LIMIT %d" % n)


def test_actions_are_audited_with_outcome():
    login = register()
    row = last_rows(1)[0]
    assert row[3] == "account.register" and row[5] == "ok"
    assert row[4].startswith("account:") and row[7] == "127.0.0.1"

    requests.post(url("/api/v1/session"), timeout=10,
                  json={"login": login, "password": "Wr0ng-Passw0rd"})
    row = last_rows(1)[0]
    assert row[3] == "session.create"
    assert row[5] == "invalid_credentials" and row[6] == "401"

    c = Client()
    c.login(login)
    row = last_rows(1)[0]
    assert (row[3], row[5], row[2]) == ("session.create", "ok", "NULL") or \
        (row[3], row[5]) == ("session.create", "ok")
    assert row[1] == str(c.account["id"])

    # A refused write is recorded too, with who tried it.
    c.s.delete(url("/api/v1/session"), timeout=10)
    row = last_rows(1)[0]
    assert (row[3], row[5], row[6]) == ("session.delete", "csrf", "403")
    assert row[1] == str(c.account["id"]) and row[2] == "operator"

    # The session check opens the call's transaction; a refusal for the
    # role, or a session that has ended, still commits its record alone.
    r = c.post("/api/v1/filings/1/decision", json={"decision": "approve"})
    assert r.status_code == 403
    row = last_rows(1)[0]
    assert (row[5], row[6], row[1]) == ("forbidden", "403",
                                        str(c.account["id"]))
    c.delete("/api/v1/session")
    r = c.post("/api/v1/filings", json={})
    assert r.status_code == 401
    row = last_rows(1)[0]
    assert (row[5], row[6]) == ("unauthenticated", "401")


def test_audit_log_holds_no_passwords_or_logins():
    login = unique("secretlogin")
    register(login)
    dump = sql("SELECT CONCAT_WS('|', action, object, outcome, client)"
               " FROM audit_log")
    assert not any(login in r[0] for r in dump)


def test_chain_verifies_and_detects_an_edited_row():
    register()
    p = vcpctl("audit", "verify")
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.startswith("OK")

    rid, outcome = sql("SELECT id, outcome FROM audit_log"
                       " ORDER BY id DESC LIMIT 1 OFFSET 1")[0]
    sql("UPDATE audit_log SET outcome = 'forged' WHERE id = %s" % rid)
    try:
        p = vcpctl("audit", "verify")
        assert p.returncode == 1
        assert "BROKEN" in p.stdout and "row %s" % rid in p.stdout
    finally:
        sql("UPDATE audit_log SET outcome = '%s' WHERE id = %s"
            % (outcome, rid))
    assert vcpctl("audit", "verify").returncode == 0


def test_chain_detects_deleted_rows():
    register()
    register()
    mid = sql("SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 1")
    rid = mid[0][0]
    backup = "audit_backup_" + unique()
    sql("CREATE TABLE %s AS SELECT * FROM audit_log WHERE id >= %s"
        % (backup, rid))
    try:
        sql("DELETE FROM audit_log WHERE id = %s" % rid)
        p = vcpctl("audit", "verify")
        assert p.returncode == 1 and "missing" in p.stdout
        # Removing the newest rows is caught by the head pointer.
        sql("DELETE FROM audit_log WHERE id >= %s" % rid)
        p = vcpctl("audit", "verify")
        assert p.returncode == 1 and "removed" in p.stdout
    finally:
        sql("INSERT INTO audit_log SELECT * FROM %s" % backup)
        sql("DROP TABLE %s" % backup)
    assert vcpctl("audit", "verify").returncode == 0


def test_application_user_cannot_rewrite_the_audit_log():
    with open(VAR + "/secrets/app.pw") as f:
        pw = f.read().strip()
    p = subprocess.run(
        ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uvcp_app", "-p" + pw, "vcp", "-e",
         "UPDATE audit_log SET outcome = 'x' WHERE id = 1"],
        capture_output=True, text=True)
    assert p.returncode != 0
    assert "denied" in p.stderr
    p = subprocess.run(
        ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uvcp_app", "-p" + pw, "vcp", "-e",
         "DELETE FROM audit_log WHERE id = 1"],
        capture_output=True, text=True)
    assert p.returncode != 0 and "denied" in p.stderr


def test_a_record_waits_in_the_queue_until_sealed():
    """A request queues its record (one insert, no lock on the head); the
    sealer links it into the chain, and never extends a head whose MAC
    does not verify."""
    assert vcpctl("audit", "seal").returncode == 0
    register()
    assert int(sql("SELECT COUNT(*) FROM audit_queue", seal=False)[0][0]) >= 1
    head = int(sql("SELECT last_id FROM audit_head", seal=False)[0][0])
    p = vcpctl("audit", "seal")
    assert p.returncode == 0 and p.stdout.endswith(" records sealed\n")
    assert int(p.stdout.split()[0]) >= 1
    assert sql("SELECT COUNT(*) FROM audit_queue", seal=False) == [["0"]]
    row = sql("SELECT action, outcome FROM audit_log WHERE id = %d"
              % (head + 1), seal=False)
    assert row == [["account.register", "ok"]]

    mac = sql("SELECT HEX(mac) FROM audit_head", seal=False)[0][0]
    sql("UPDATE audit_head SET mac = REPEAT(X'00', 32)", seal=False)
    try:
        register()
        p = vcpctl("audit", "seal")
        assert p.returncode == 1 and "head was altered" in p.stderr
        assert int(sql("SELECT COUNT(*) FROM audit_queue",
                       seal=False)[0][0]) >= 1
    finally:
        sql("UPDATE audit_head SET mac = X'%s'" % mac, seal=False)
    assert vcpctl("audit", "seal").returncode == 0
    p = vcpctl("audit", "verify")
    assert p.returncode == 0, p.stdout + p.stderr


def test_audit_commit_refuses_outside_a_transaction():
    """A write's record and its COMMIT travel in one call; if the server
    ended the caller's transaction unseen, the call must neither queue a
    record on its own nor report a commit: it fails as a deadlock (1213),
    which makes the request run again from its start."""
    with open(VAR + "/secrets/app.pw") as f:
        pw = f.read().strip()
    call = ("CALL audit_commit(NOW(6), NULL, 'system', 'test.guard', 'x',"
            " 'ok', 0, 'test')")
    def guarded():
        return sum(int(sql("SELECT COUNT(*) FROM %s WHERE action ="
                           " 'test.guard'" % t, seal=False)[0][0])
                   for t in ("audit_queue", "audit_log"))

    before = guarded()
    p = subprocess.run(
        ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uvcp_app", "-p" + pw, "vcp", "-e", call],
        capture_output=True, text=True)
    assert p.returncode != 0 and "1213" in p.stderr, p.stderr
    assert guarded() == before
    # Inside one it queues the record and commits the transaction's work.
    p = subprocess.run(
        ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
         "-uvcp_app", "-p" + pw, "vcp", "-N", "-B", "-e",
         "START TRANSACTION; " + call + "; SELECT @@in_transaction"],
        capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "0"
    assert guarded() == before + 1


def test_every_writing_procedure_refuses_outside_a_transaction():
    """filing_create, filing_submit and filing_file write several rows for
    one call: run where the server has ended the call's transaction, they
    would commit them on their own, so they refuse first (1213, the call
    runs again) and write nothing."""
    with open(VAR + "/secrets/app.pw") as f:
        pw = f.read().strip()
    owner = sql("SELECT MIN(id) FROM account", seal=False)[0][0]
    calls = [
        "CALL filing_create(%s, '{}', NOW(6))" % owner,
        "CALL filing_submit(0, NOW(6), CURDATE(), NULL, NULL,"
        " 'application', %s, 'submitted')" % owner,
        "CALL filing_file(0, 'x', CURDATE(), NOW(6), 'n', 'h', 's', '{}',"
        " 'e', 1, 'filed', 'mps', 'd', NULL, NULL, %s, 'approved', NULL)"
        % owner,
    ]
    before = sql("SELECT (SELECT COUNT(*) FROM filing),"
                 " (SELECT COUNT(*) FROM filing_history)", seal=False)
    for call in calls:
        p = subprocess.run(
            ["mariadb", "--no-defaults", "-S", VAR + "/run/mysqld.sock",
             "-uvcp_app", "-p" + pw, "vcp", "-e", call],
            capture_output=True, text=True)
        assert p.returncode != 0 and "1213" in p.stderr, (call, p.stderr)
    assert sql("SELECT (SELECT COUNT(*) FROM filing),"
               " (SELECT COUNT(*) FROM filing_history)", seal=False) == before
