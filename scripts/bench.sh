#!/bin/sh
# make bench: requests per second of portal endpoints, each as a ratio to
# a Kore hello-world module measured in the same run on the same machine.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh

DUR=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-64}
VAR=$(mktemp -d /tmp/vcp-bench.XXXXXX)
mkdir -p "$VAR/log" "$VAR/run" "$VAR/hello/run" "$VAR/hello/log"
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	sh scripts/db.sh stop "$VAR" > /dev/null 2>&1 || true
	rm -rf "$VAR"
}
trap cleanup EXIT INT TERM

cc -std=c99 -D_GNU_SOURCE $(cat /usr/share/kore/features) -O2 -fPIC \
    -shared -o "$VAR/hello.so" tests/bench/hello.c

sh scripts/db.sh start "$VAR" > /dev/null
write_config "$VAR"
prepare_db "$VAR" build/vcpctl
kore_conf "$VAR" 18891 ./build/vcp.so
kore_conf "$VAR/hello" 18890 "$VAR/hello.so"
sed -i 's|route\t\t^/.\*$\tvcp_dispatch|route\t\t^/.*$\thello|' \
    "$VAR/hello/kore.conf"
sed -i '/accesslog/d' "$VAR/hello/kore.conf" "$VAR/kore.conf"

VCP_CONFIG=$VAR/vcp.conf kore -c "$VAR/kore.conf" -f -n -r -q \
    > "$VAR/log/kore.log" 2>&1 &
PIDS="$PIDS $!"
kore -c "$VAR/hello/kore.conf" -f -n -r -q > "$VAR/hello/kore.log" 2>&1 &
PIDS="$PIDS $!"
wait_http http://127.0.0.1:18891/healthz 30
wait_http http://127.0.0.1:18890/ 30

rps() {
	wrk -t2 -c"$CONNS" -d"${DUR}s" "$1" 2>/dev/null |
	    awk '/^Requests\/sec:/ { printf "%d", $2 }'
}

base=$(rps http://127.0.0.1:18890/)
echo "hello-world (Kore, same settings): $base req/s"
printf '%-58s %10s %8s\n' endpoint req/s ratio
for path in \
    "/api/v1/calendar/deadline?from=2025-09-26&workdays=10" \
    "/healthz" \
    "/no/such/route"; do
	r=$(rps "http://127.0.0.1:18891$path")
	printf '%-58s %10s %8s\n' "$path" "$r" \
	    "$(awk -v a="$r" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
done
