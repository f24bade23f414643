"""The audit chain against forgers: a database writer without the audit key
cannot recompute a row, and a holder of the key cannot rewrite history
before a checkpoint that MPS and CAC keep as witnesses."""
import hashlib
import hmac
import os
import subprocess
import time

import pytest
import requests

from conftest import VAR, register, sql, unique, vcpctl
from test_delivery import daemon, receivers, received, stop  # noqa: F401

ROW = ("SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'),"
       " COALESCE(actor_id, 0), COALESCE(actor_role, ''), action, object,"
       " outcome, status, client, HEX(prev_hash), HEX(hash),"
       " COALESCE(key_id, '') FROM audit_log")


def key():
    with open(os.path.join(VAR, "keys", "audit.key"), "rb") as f:
        return f.read()


def canon(r):
    out = b""
    for v in r[:9]:
        b = v.encode()
        out += b"%d:%s," % (len(b), b)
    return out


def link(r, prev, k=None):
    data = canon(r) + prev
    if k is None:
        return hashlib.sha256(data).digest()
    return hmac.new(k, data, hashlib.sha256).digest()


def head_mac(k, last_id, last_hash, first):
    msg = ("head:%d:%s:%d" % (last_id, last_hash.hex(), first)).encode()
    return hmac.new(k, msg, hashlib.sha256).digest()


class Snapshot:
    """Keeps audit rows from an id on, the head and the checkpoints, so a
    test can forge freely and put everything back."""

    def __init__(self, from_id):
        self.t = "audit_snap_" + unique()
        self.from_id = from_id
        sql("CREATE TABLE %s_log AS SELECT * FROM audit_log WHERE id >= %d;"
            " CREATE TABLE %s_head AS SELECT * FROM audit_head;"
            " CREATE TABLE %s_cp AS SELECT * FROM audit_checkpoint"
            % (self.t, from_id, self.t, self.t))

    def restore(self):
        sql("DELETE FROM audit_log WHERE id >= %d;"
            " INSERT INTO audit_log SELECT * FROM %s_log;"
            " DELETE FROM audit_head; INSERT INTO audit_head"
            " SELECT * FROM %s_head;"
            " DELETE FROM audit_checkpoint; INSERT INTO audit_checkpoint"
            " SELECT * FROM %s_cp;"
            " DROP TABLE %s_log, %s_head, %s_cp"
            % ((self.from_id,) + (self.t,) * 6))


def newest():
    return sql(ROW + " ORDER BY id DESC LIMIT 1")[0]


def verify(*files):
    return vcpctl("audit", "verify", *files)


def forged(rid, statements):
    """Runs a forgery, verifies, puts everything back; returns the report."""
    snap = Snapshot(rid - 1)
    try:
        sql(statements)
        p = verify()
        assert p.returncode == 1, p.stdout + p.stderr
        return p.stdout
    finally:
        snap.restore()


def test_a_database_writer_cannot_recompute_a_row():
    register()
    register()
    r = newest()
    rid = int(r[0])
    # The forgery that passed before: edit the newest row, recompute its
    # plain SHA-256 link and the head.
    edit = list(r)
    edit[6] = "forged"
    h = link(edit, bytes.fromhex(r[9])).hex()
    out = forged(rid, "UPDATE audit_log SET outcome = 'forged', hash = X'%s'"
                 " WHERE id = %d; UPDATE audit_head SET last_hash = X'%s'"
                 % (h, rid, h))
    assert "BROKEN" in out
    # Nor may a keyed row pass for one written before the key existed.
    out = forged(rid, "UPDATE audit_log SET key_id = NULL WHERE id = %d"
                 % (rid - 1))
    assert "row %d is not keyed" % (rid - 1) in out, out
    # Nor the whole log, head included, as if no key had ever been used.
    out = forged(rid, "UPDATE audit_head SET mac = NULL, first_keyed = NULL")
    assert "head carries no MAC" in out, out
    # Nor the newest row dropped with the head moved back.
    prev = sql("SELECT id, HEX(hash) FROM audit_log WHERE id = %d"
               % (rid - 1))[0]
    out = forged(rid, "DELETE FROM audit_log WHERE id = %d; UPDATE audit_head"
                 " SET last_id = %s, last_hash = X'%s'"
                 % (rid, prev[0], prev[1]))
    assert "head was altered" in out, out
    assert verify().returncode == 0


def deliver_checkpoints():
    d = daemon()
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            if sql("SELECT COUNT(*) FROM notification WHERE subject = 'audit'"
                   " AND status = 'pending'") == [["0"]]:
                return
            time.sleep(0.3)
        raise AssertionError("checkpoint not delivered")
    finally:
        stop(d)


def witness(tmp_path, rcpt):
    evs = [e for e in received(rcpt)["events"]
           if e["event"] == "audit_checkpoint"]
    assert evs, "no checkpoint reached %s" % rcpt
    path = tmp_path / ("%s-%s.xml" % (rcpt, evs[-1]["event_id"]))
    path.write_text(evs[-1]["payload"])
    return str(path)


def test_a_key_holder_cannot_rewrite_history_before_a_checkpoint(tmp_path):
    register()
    p = vcpctl("audit", "checkpoint")
    assert p.returncode == 0, p.stderr
    row = int(sql("SELECT audit_id FROM audit_checkpoint"
                  " ORDER BY id DESC LIMIT 1")[0][0])
    deliver_checkpoints()
    mps, cac = witness(tmp_path, "mps"), witness(tmp_path, "cac")
    p = verify(mps, cac)
    assert p.returncode == 0, p.stdout + p.stderr

    register()
    target = row - 1
    snap = Snapshot(target)
    try:
        # Someone with the key and the database rewrites an old row and
        # recomputes every later link, the head and the stored checkpoints.
        k = key()
        rows = sql(ROW + " WHERE id >= %d ORDER BY id" % target)
        prev = bytes.fromhex(rows[0][9])
        for i, r in enumerate(rows):
            r = list(r)
            if i == 0:
                r[6] = "forged"
            h = link(r, prev, k)
            sql("UPDATE audit_log SET outcome = '%s', prev_hash = X'%s',"
                " hash = X'%s' WHERE id = %s"
                % (r[6], prev.hex(), h.hex(), r[0]))
            sql("UPDATE audit_checkpoint SET hash = X'%s' WHERE audit_id = %s"
                % (h.hex(), r[0]))
            prev = h
        first = int(sql("SELECT first_keyed FROM audit_head")[0][0])
        last = int(rows[-1][0])
        sql("UPDATE audit_head SET last_hash = X'%s', mac = X'%s'"
            % (prev.hex(), head_mac(k, last, prev, first).hex()))
        # The database alone now agrees with itself ...
        assert verify().returncode == 0
        # ... but not with what the ministries were sent.
        for w in (mps, cac):
            p = verify(w)
            assert p.returncode == 1, p.stdout
            assert "checkpoint in %s" % w in p.stdout, p.stdout
    finally:
        snap.restore()
    assert verify(mps, cac).returncode == 0


def test_a_checkpoint_file_must_carry_our_signature(tmp_path):
    register()
    assert vcpctl("audit", "checkpoint").returncode == 0
    deliver_checkpoints()
    w = witness(tmp_path, "mps")
    text = open(w).read()
    bad = tmp_path / "edited.xml"
    i = text.index('hash="') + 6
    bad.write_text(text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1:])
    p = verify(str(bad))
    assert p.returncode == 2 and "not a checkpoint signed" in p.stderr


def test_the_daemon_takes_checkpoints_at_the_interval(tmp_path):
    register()
    before = int(sql("SELECT COUNT(*) FROM audit_checkpoint")[0][0])
    with open(os.path.join(VAR, "vcp.conf")) as f:
        conf = f.read()
    cfg = tmp_path / "vcp.conf"
    cfg.write_text(conf + "\naudit_checkpoint_interval 1\n")
    time.sleep(1.2)
    env = dict(os.environ, VCP_CONFIG=str(cfg))
    for _ in range(2):
        p = subprocess.run([os.environ.get("VCPNOTIFYD", "vcpnotifyd"),
                            "--once"], env=env, capture_output=True,
                           text=True, timeout=60)
        assert p.returncode == 0, p.stderr
    # The head did not move between the two runs: one checkpoint, not two.
    assert int(sql("SELECT COUNT(*) FROM audit_checkpoint")[0][0]) == \
        before + 1
    cp = sql("SELECT audit_id, HEX(hash) FROM audit_checkpoint"
             " ORDER BY id DESC LIMIT 1")[0]
    head = sql("SELECT last_id, HEX(last_hash) FROM audit_head")[0]
    assert cp == head
    assert verify().returncode == 0


@pytest.fixture(autouse=True)
def _quiet_receivers():
    # Both receivers accept; another module may have left them failing.
    for port in (os.environ.get("VCP_MPS_PORT"), os.environ.get("VCP_CAC_PORT")):
        if port:
            requests.post("http://127.0.0.1:%s/_control" % port,
                          json={"mode": "ok"}, timeout=5)
