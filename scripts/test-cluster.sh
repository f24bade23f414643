#!/bin/sh
# make test-cluster (and the end of make test): tests/cluster/ against the
# topology of scripts/cluster.sh, built and taken down by the tests
# themselves.  Ends with one line "N passed, N failed"; exits non-zero on
# any failure.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh

PORT=${VCP_TEST_PORT:-18888}
OUT=$(mktemp -d /tmp/vcp-test-cluster.XXXXXX)
# The tests stop their cluster themselves; this catches a pytest that was
# killed before it could.
cleanup() {
	sh scripts/cluster.sh stop "$OUT/cluster" > /dev/null 2>&1 || true
	rm -rf "$OUT"
}
trap cleanup EXIT INT TERM
# The database servers run as mysql, who must reach their directories.
chmod 755 "$OUT"

echo "== cluster tests"
VCP_TOP=$TOP VCP_CLUSTER_DIR=$OUT/cluster VCP_CLUSTER_PORT=${VCP_CLUSTER_PORT:-$((PORT + 30))} \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider \
    --junit-xml="$OUT/junit.xml" ${VCP_CLUSTER_PYTEST:-tests/cluster}
counts=$(junit_counts "$OUT/junit.xml")
set -- $counts
echo "$1 passed, $2 failed"
[ "$2" -eq 0 ]
