"""What MariaDB Galera requires of the schema and the code ("Galera
cluster known limitations"), checked on the migrated database and the
sources, so a new migration or query cannot break the cluster unseen."""
import os
import re

from conftest import TOP, sql


def test_every_table_is_innodb_with_a_primary_key():
    tables = sql("SELECT table_name, engine FROM information_schema.tables"
                 " WHERE table_schema = 'vcp' AND table_type = 'BASE TABLE'")
    assert len(tables) > 20
    # Only InnoDB is replicated.
    assert [t for t, e in tables if e != "InnoDB"] == []
    keyed = {t for (t,) in sql(
        "SELECT table_name FROM information_schema.table_constraints"
        " WHERE table_schema = 'vcp' AND constraint_type = 'PRIMARY KEY'")}
    # Without one, DELETE is unsupported and rows differ in order.
    assert sorted({t for t, _ in tables} - keyed) == []


def test_no_named_or_table_locks():
    # Each node's own: they coordinate nothing across the cluster.
    bad = re.compile(r"\b(GET_LOCK|RELEASE_LOCK|IS_FREE_LOCK|IS_USED_LOCK)"
                     r"\s*\(|\bLOCK\s+TABLES?\b")
    found = []
    for top in ("src", "schema"):
        for d, _, files in os.walk(os.path.join(TOP, top)):
            for f in files:
                if f.endswith((".c", ".h", ".sql")):
                    text = open(os.path.join(d, f), errors="replace").read()
                    found += ["%s/%s" % (d, f)] if bad.search(text) else []
    assert found == []
