#!/bin/sh
# make run: the portal in the foreground on http://127.0.0.1:8888.
# Ctrl-C stops Kore, then MariaDB; the data stays in var/.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh

VAR=$TOP/var
mkdir -p "$VAR/log" "$VAR/run"
sh scripts/db.sh start "$VAR"
write_config "$VAR"
prepare_db "$VAR" build/vcpctl
kore_conf "$VAR" 8888 ./build/vcp.so

stop() {
	trap - INT TERM EXIT
	if [ -n "${KPID:-}" ]; then
		kill -TERM "$KPID" 2>/dev/null || true
		wait "$KPID" 2>/dev/null || true
	fi
	sh scripts/db.sh stop "$VAR"
	echo "stopped"
}
trap stop INT TERM EXIT

export VCP_CONFIG=$VAR/vcp.conf
kore -c "$VAR/kore.conf" -f -n -r &
KPID=$!
if wait_http http://127.0.0.1:8888/healthz 30; then
	echo "portal: http://127.0.0.1:8888  (Ctrl-C stops it)"
fi
wait "$KPID" || true
