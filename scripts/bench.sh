#!/bin/sh
# make bench: the read figures of issue 12, each against a Kore
# hello-world module measured in the same run on the same machine (wrk,
# 2 threads, 64 connections, medians of 3), on a register it seeds itself
# (BENCH_FILINGS filed filings, 10,000 by default, and BENCH_DRAFTS
# drafts).  Then every executable tests/bench/*.sh, which print rows of
# their own in the same format (bench_row, scripts/common.sh).
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh

DUR=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNECTIONS:-64}
FILINGS=${BENCH_FILINGS:-10000}
DRAFTS=${BENCH_DRAFTS:-9000}
MIXED=${BENCH_MIXED:-1000000}
KPORT=${BENCH_PORT:-18891}
HPORT=$((KPORT - 1))
KORE=http://127.0.0.1:$KPORT
HELLO=http://127.0.0.1:$HPORT
VAR=$(mktemp -d /tmp/vcp-bench.XXXXXX)
mkdir -p "$VAR/log" "$VAR/run" "$VAR/hello/run" "$VAR/hello/log"
PIDS=""
KPID=""
START=$(date +%s)

cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	sh scripts/db.sh stop "$VAR" > /dev/null 2>&1 || true
	rm -rf "$VAR"
}
# A signal (a reader that went away, too: PIPE) ends the run, after the
# cleanup, so that no receiver or server it started outlives it.
trap cleanup EXIT
trap 'exit 1' INT TERM PIPE HUP

cc -std=c99 -D_GNU_SOURCE $(cat /usr/share/kore/features) -O2 -fPIC \
    -shared -o "$VAR/hello.so" tests/bench/hello.c

sh scripts/db.sh start "$VAR" production > /dev/null
write_config "$VAR"
prepare_db "$VAR" build/vcpctl
echo "Bench-Passw0rd!" | VCP_CONFIG=$VAR/vcp.conf build/vcpctl account add \
    --role operator --login benchop > /dev/null
t0=$(date +%s)
VCP_CONFIG=$VAR/vcp.conf build/vcpctl seed --owner benchop "$FILINGS" \
    "$DRAFTS"
echo "seeded $FILINGS filed filings and $DRAFTS drafts in" \
    "$(($(date +%s) - t0)) s"

kore_conf "$VAR" "$KPORT" ./build/vcp.so
kore_conf "$VAR/hello" "$HPORT" "$VAR/hello.so"
sed -i 's|route\t\t^/.\*$\tvcp_dispatch|route\t\t^/.*$\thello|' \
    "$VAR/hello/kore.conf"
sed -i '/accesslog/d' "$VAR/hello/kore.conf" "$VAR/kore.conf"

VCP_CONFIG=$VAR/vcp.conf kore -c "$VAR/kore.conf" -f -n -r -q \
    > "$VAR/log/kore.log" 2>&1 &
KPID=$!
PIDS="$PIDS $KPID"
kore -c "$VAR/hello/kore.conf" -f -n -r -q > "$VAR/hello/kore.log" 2>&1 &
PIDS="$PIDS $!"
wait_http "$KORE/healthz" 30
wait_http "$HELLO/" 30

sqlq() {
	mariadb --no-defaults -S "$VAR/run/mysqld.sock" -uroot -N -B vcp \
	    -e "$1"
}

# Kore's workers (the parent's children but its key manager).
workers() {
	for c in $(cat /proc/"$KPID"/task/*/children 2>/dev/null); do
		if ! tr '\0' ' ' < /proc/"$c"/cmdline 2>/dev/null |
		    grep -q keymgr; then
			echo "$c"
		fi
	done
}

rss_kib() {
	awk -v k="$2" '$1 == k":" { print $2 }' /proc/"$1"/status
}

# Wait until every worker holds the whole register: the one that answers
# says how large it is, and each worker's memory shows when it has it (an
# idle worker keeps Kore's accept lock, so the others cannot be asked).
NUM=$(sqlq "SELECT filing_number FROM registry ORDER BY filing_id DESC
    LIMIT 1")
i=0
while [ $i -lt 1200 ]; do
	snap=$(curl -s "$KORE/healthz" |
	    sed -n 's/.*"registry":{[^}]*"bytes":\([0-9]*\).*/\1/p')
	n=0
	for w in $(workers); do
		if [ -n "$snap" ] &&
		    [ $(($(rss_kib "$w" VmRSS) * 1024)) -gt $((snap + 8388608)) ]; then
			n=$((n + 1))
		fi
	done
	[ -n "$snap" ] && [ "$n" -eq "$(workers | wc -l)" ] && break
	sleep 0.1
	i=$((i + 1))
done
sleep 2
curl -sf -o /dev/null "$KORE/api/v1/registry/$NUM"

# A wrk script that walks a list of paths (one a line in $1).
# paths_lua LIST [ENCODING]: a wrk script walking the list's paths, with
# Accept-Encoding: ENCODING when given (as a browser sends it).
paths_lua() {
	{
		echo "local paths = {"
		sed 's/.*/  "&",/' "$1"
		echo "}"
		if [ -n "${2:-}" ]; then
			echo "local h = { [\"Accept-Encoding\"] = \"$2\" }"
		else
			echo "local h = nil"
		fi
		echo "local i = math.random(#paths)"
		echo "request = function()"
		echo "  i = i % #paths + 1"
		echo "  return wrk.format(\"GET\", paths[i], h)"
		echo "end"
	} > "$1.lua"
}

# wrk_run URL-or-LIST THREADS CONNS: "req/s p99-ms"
wrk_run() {
	if [ -f "$1" ]; then
		set -- "$KORE/" "$2" "$3" "-s $1.lua"
	else
		set -- "$1" "$2" "$3" ""
	fi
	# shellcheck disable=SC2086
	wrk -t"$2" -c"$3" -d"${DUR}s" --latency $4 "$1" 2>/dev/null | awk '
	    /^Requests\/sec:/ { rps = $2 }
	    $1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		p99 = u == "us" ? v / 1000 : u == "s" ? v * 1000 : \
		    u == "m" ? v * 60000 : v
	    }
	    END { printf "%d %.2f\n", rps, p99 }'
}

# median3 CMD...: the run with the median first field of three.
median3() {
	{ "$@"; "$@"; "$@"; } | sort -n | sed -n 2p
}

row() {
	bench_row "$@"
}

# at_least VALUE MIN: ok or MISSED
at_least() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a >= b ? "ok" : "MISSED") }'
}

at_most() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? "ok" : "MISSED") }'
}

# BENCH_ONLY=write skips the read figures (the write path's alone).
if [ "${BENCH_ONLY:-}" != write ]; then
# The paths each figure walks.
sqlq "SELECT filing_number FROM registry ORDER BY RAND() LIMIT 500" \
    > "$VAR/numbers"
sed 's|.*|/api/v1/registry/&|' "$VAR/numbers" > "$VAR/record"
sed 's|.*|/api/v1/registry/&/badge|' "$VAR/numbers" > "$VAR/badge"
sed 's|.*|/register/&|' "$VAR/numbers" > "$VAR/recordpage"
cp "$VAR/recordpage" "$VAR/recordpage_gz"
# Chinese substrings of names and sponsors, hosts, numbers, a status.
{
	for q in %E5%AE%89%E5%85%A8 %E6%98%9F%E8%BE%B0 \
	    %E6%B7%B1%E5%9C%B3%E4%BA%91%E7%9B%BE %E5%93%8D%E5%BA%94 \
	    %E6%BC%8F%E6%B4%9E%E5%A5%96%E5%8A%B1 yundun src.tianwang \
	    security.jiguang1 %E7%A7%91%E6%8A%80%E9%9B%86%E5%9B%A2 \
	    %E6%9D%AD%E5%B7%9E%E6%81%92%E6%B3%B0; do
		echo "/api/v1/registry?q=$q"
		echo "/api/v1/registry?q=$q&status=filed&page=2"
	done
	head -20 "$VAR/numbers" | sed 's|.*|/api/v1/registry?q=&|'
} > "$VAR/search"
LAST=$(( (FILINGS + 19) / 20 ))
{
	echo "/api/v1/registry?page=$LAST"
	echo "/api/v1/registry?page=$((LAST - 1))"
	echo "/api/v1/registry?page=$((LAST / 2))&per_page=100"
	echo "/api/v1/registry?status=filed&page=$((LAST * 9 / 10))"
	echo "/api/v1/registry?status=revoked&page=$((FILINGS / 25 / 20))"
} > "$VAR/page"
echo "/api/v1/calendar/deadline?from=2025-09-26&workdays=10" > "$VAR/deadline"
echo "/api/v1/registry/feed.atom" > "$VAR/feed"
{
	echo "/register?q=%E5%AE%89%E5%85%A8"
	echo "/register?q=%E6%BC%8F%E6%B4%9E&status=filed&page=3"
	echo "/register?page=$((LAST / 2))"
} > "$VAR/searchpage"
cat "$VAR/record" "$VAR/badge" "$VAR/search" "$VAR/page" \
    "$VAR/deadline" "$VAR/feed" "$VAR/recordpage" "$VAR/searchpage" \
    > "$VAR/mixed"
for f in record badge search page deadline feed recordpage searchpage mixed; do
	paths_lua "$VAR/$f"
done
paths_lua "$VAR/recordpage_gz" "gzip, deflate, br"

HELLO_RPS=$(median3 wrk_run "$HELLO/" 2 "$CONNS" | cut -d' ' -f1)
HELLO_P99=$( { wrk_run "$HELLO/" 1 1; wrk_run "$HELLO/" 1 1;
    wrk_run "$HELLO/" 1 1; } | awk '{ print $2 }' | sort -n | sed -n 2p)
echo
echo "hello-world (Kore, same settings): $HELLO_RPS req/s, p99 at one" \
    "connection $HELLO_P99 ms; $FILINGS filed filings, $DRAFTS drafts;" \
    "load average $(cut -d' ' -f1 /proc/loadavg)"
bench_head
row "hello-world p99, 1 connection (the floor)" "$HELLO_P99 ms" "" "" ""

# paired LIST: three runs of hello-world and the figure back to back, so
# that a change in the machine's load between them moves both: "req/s
# ratio", the medians of each.
paired() {
	for k in 1 2 3; do
		h=$(wrk_run "$HELLO/" 2 "$CONNS" | cut -d' ' -f1)
		f=$(wrk_run "$VAR/$1" 2 "$CONNS" | cut -d' ' -f1)
		echo "$f $(awk -v a="$f" -v b="$h" 'BEGIN {
		    printf "%.2f", (b > 0 ? a / b : 0) }')"
	done > "$VAR/pairs"
	echo "$(cut -d' ' -f1 "$VAR/pairs" | sort -n | sed -n 2p)" \
	    "$(cut -d' ' -f2 "$VAR/pairs" | sort -n | sed -n 2p)"
}

figure() {	# figure NAME LIST MIN-RATIO
	set -- "$1" "$2" "$3" $(paired "$2")
	row "$1" "$4 req/s" "$5" "≥ $3" "$(at_least "$5" "$3")"
}

latency() {	# latency NAME LIST: p99 at 1 connection, req/s at 64
	# (each p99 run right after one of hello-world's, whose median is
	# shown: the floor the machine's load set at the time)
	for k in 1 2 3; do
		echo "$(wrk_run "$VAR/$2" 1 1 | cut -d' ' -f2)" \
		    "$(wrk_run "$HELLO/" 1 1 | cut -d' ' -f2)"
	done > "$VAR/p99"
	p=$(cut -d' ' -f1 "$VAR/p99" | sort -n | sed -n 2p)
	h=$(cut -d' ' -f2 "$VAR/p99" | sort -n | sed -n 2p)
	row "$1 p99, 1 conn. (hello-world $h ms)" "$p ms" "" "≤ 10 ms" \
	    "$(at_most "$p" 10)"
	set -- "$1" $(paired "$2")
	row "$1, $CONNS connections" "$2 req/s" "$3" "≥ 2000 req/s" \
	    "$(at_least "$2" 2000)"
}

figure "GET /api/v1/registry/{number}" record 0.6
figure "GET /api/v1/registry/{number}/badge" badge 0.6
# A browser asks for gzip, and gets the page kept gzipped (a third of
# its size); the page as it is, for a client that does not, beside it.
figure "GET /register/{number} (HTML record page, gzip)" recordpage_gz 0.6
set -- $(paired recordpage)
row "GET /register/{number} (HTML record page, identity)" "$1 req/s" "$2" \
    "" ""
latency "GET /register?q= (the HTML search page)" searchpage
latency "search ?q=" search
latency "deep ?page=N" page
figure "GET /api/v1/calendar/deadline" deadline 0.7
set -- $(paired feed)
row "feed.atom ($DRAFTS drafts in the history)" "$1 req/s" "$2" \
    "≥ 5000 req/s" "$(at_least "$1" 5000)"

# Exports: first byte and whole time (medians of 3), and the most any
# worker's resident memory grew while one ran (its peak, VmHWM, reset).
export_figures() {	# export_figures NAME PATH
	t=$( { for k in 1 2 3; do
		curl -s -o /dev/null -w '%{time_starttransfer} %{time_total}\n' \
		    "$KORE$2"
	done; } | sort -n | sed -n 2p)
	first=$(echo "$t" | awk '{ printf "%d", $1 * 1000 }')
	whole=$(echo "$t" | awk '{ printf "%d", $2 * 1000 }')
	grow=0
	for k in 1 2 3; do
		for w in $(workers); do
			echo 5 > /proc/"$w"/clear_refs
			echo "$w $(rss_kib "$w" VmRSS)"
		done > "$VAR/rss0"
		curl -s -o /dev/null "$KORE$2"
		while read -r w before; do
			g=$(( ($(rss_kib "$w" VmHWM) - before) / 1024 ))
			[ "$g" -gt "$grow" ] && grow=$g
		done < "$VAR/rss0"
	done
	row "$1 first byte" "$first ms" "" "≤ 100 ms" "$(at_most "$first" 100)"
	row "$1 whole" "$whole ms" "" "≤ 1000 ms" "$(at_most "$whole" 1000)"
	row "$1 worker memory growth" "$grow MiB" "" "≤ 32 MiB" \
	    "$(at_most "$grow" 32)"
}
export_figures "registry.csv" /api/v1/registry.csv
export_figures "registry.xml" /api/v1/registry.xml

# Worker memory over MIXED mixed requests: after a warm-up run, the most
# any worker grew by the end.
warm=$(wrk -t2 -c"$CONNS" -d"${DUR}s" -s "$VAR/mixed.lua" "$KORE/" \
    2>/dev/null | awk '/requests in/ { print $1 }')
for w in $(workers); do
	echo "$w $(rss_kib "$w" VmRSS)"
done > "$VAR/rss1"
total=$warm
while [ "$total" -lt "$MIXED" ]; do
	n=$(wrk -t2 -c"$CONNS" -d10s -s "$VAR/mixed.lua" "$KORE/" \
	    2>/dev/null | awk '/requests in/ { print $1 }')
	[ "${n:-0}" -gt 0 ] || break
	total=$((total + n))
done
grow=0
while read -r w before; do
	g=$(( $(rss_kib "$w" VmRSS) - before ))
	[ "$g" -gt "$grow" ] && grow=$g
done < "$VAR/rss1"
row "worker RSS over $total mixed requests" \
    "+$grow KiB" "" "flat (≤ 1024 KiB)" "$(at_most "$grow" 1024)"

rss=""
for w in $(workers); do
	rss="$rss $(( $(rss_kib "$w" VmRSS) / 1024 ))"
done
echo
echo "worker RSS (MiB):$rss; the register's snapshot:" \
    "$(( ${snap:-0} / 1048576 )) MiB in each worker"

fi

# The other figures of the issue, from their own scripts.
for s in tests/bench/*.sh; do
	[ -x "$s" ] || continue
	BENCH_KORE=$KORE BENCH_VAR=$VAR BENCH_HELLO_RPS=${HELLO_RPS:-} \
	    BENCH_FILINGS=$FILINGS "$s"
done
echo "whole run: $(($(date +%s) - START)) s"
