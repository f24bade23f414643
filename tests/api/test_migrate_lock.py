"""vcpctl migrate coordinates through a row, not a server's named lock
(each Galera node's own): two at once both succeed, one waiting for the
other, and a lock left by a migration that died is taken over."""
import subprocess
import threading

from conftest import VCPCTL, sql, vcpctl


def test_two_migrations_at_once_both_succeed():
    out = []

    def run():
        out.append(vcpctl("migrate"))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.returncode for p in out] == [0, 0], [p.stderr for p in out]
    assert all("schema up to date" in p.stdout for p in out)
    assert sql("SELECT COUNT(*) FROM schema_migration_lock") == [["0"]]


def test_a_lock_left_by_a_dead_migration_is_taken_over():
    sql("INSERT INTO schema_migration_lock (id, owner, taken_at)"
        " VALUES (1, 'gone:1:dead', NOW(6) - INTERVAL 31 MINUTE)")
    try:
        p = vcpctl("migrate")
        assert p.returncode == 0, p.stderr
        assert "waiting" in p.stderr
    finally:
        sql("DELETE FROM schema_migration_lock WHERE owner = 'gone:1:dead'")
    assert sql("SELECT COUNT(*) FROM schema_migration_lock") == [["0"]]


def test_a_live_lock_is_waited_for():
    sql("INSERT INTO schema_migration_lock (id, owner, taken_at)"
        " VALUES (1, 'other:2:alive', NOW(6))")
    p = subprocess.Popen([VCPCTL, "migrate"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        # It says it waits, and waits while the other holds the row.
        assert "another migration is running" in p.stderr.readline()
        assert p.poll() is None
        assert sql("SELECT owner FROM schema_migration_lock") == \
            [["other:2:alive"]]
    finally:
        sql("DELETE FROM schema_migration_lock WHERE owner = 'other:2:alive'")
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert "schema up to date" in out
