#!/bin/sh
# make run: the portal in the foreground on http://127.0.0.1:8888, which is
# nginx; Kore listens behind it on 127.0.0.1:8889 for nginx alone.
# Ctrl-C stops nginx, Kore, then MariaDB; the data stays in var/.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh

VAR=$TOP/var
mkdir -p "$VAR/log" "$VAR/run"
sh scripts/db.sh start "$VAR"
write_config "$VAR" \
    "notify_mps_url http://127.0.0.1:18901/" \
    "notify_cac_url http://127.0.0.1:18902/"
prepare_db "$VAR" build/vcpctl
kore_conf "$VAR" 8889 ./build/vcp.so
nginx_conf "$VAR" 8888 8889

stop() {
	trap - INT TERM EXIT
	for p in ${NPID:-} ${RPIDS:-} ${XPID:-} ${KPID:-}; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	sh scripts/db.sh stop "$VAR"
	echo "stopped"
}
trap stop INT TERM EXIT

export VCP_CONFIG=$VAR/vcp.conf
kore -c "$VAR/kore.conf" -f -n -r &
KPID=$!
if wait_http http://127.0.0.1:8889/healthz 30; then
	start_nginx "$VAR"
	XPID=$!
fi
if [ -n "${XPID:-}" ] && wait_http http://127.0.0.1:8888/healthz 30; then
	# Stand-ins for the two ministries, and the daemon that feeds them.
	RPIDS=""
	for r in mps:18901 cac:18902; do
		/usr/bin/python3 scripts/receiver.py --recipient "${r%%:*}" \
		    --port "${r##*:}" --cert "$VAR/keys/sign.crt" \
		    --schema schema/notification.xsd \
		    --log "$VAR/log/received-${r%%:*}.jsonl" &
		RPIDS="$RPIDS $!"
	done
	build/vcpnotifyd 2>> "$VAR/log/vcpnotifyd.log" &
	NPID=$!
	echo "portal: http://127.0.0.1:8888  (Ctrl-C stops it)"
	echo "events for MPS and CAC: var/log/received-{mps,cac}.jsonl"
fi
wait "$KPID" || true
