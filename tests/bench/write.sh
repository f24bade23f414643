#!/bin/sh
# The write path's figures (issue 12), run by scripts/bench.sh after its
# read figures, or by hand against a running portal:
#   BENCH_KORE  the portal's Kore, e.g. http://127.0.0.1:18891
#   BENCH_VAR   its var dir (vcp.conf, the database's socket)
# It measures full filing submissions (8 operators, each on its own
# connection: a draft, two 64 KiB attachments, submit), approvals (8
# reviewers) and delivery from a 5,000-event backlog to a receiver that
# answers at once (nginx: it reads the body, then 200), and prints
# name | value | target | met?.  BENCH_FLOWS sets the submissions per
# operator (default 150).  No vcpnotifyd of the portal's own should run
# meanwhile: it would deliver the backlog too.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
KORE=${BENCH_KORE:?BENCH_KORE: the portal Kore base URL}
BVAR=${BENCH_VAR:?BENCH_VAR: the portal var dir}
FLOWS=${BENCH_FLOWS:-150}
OPS=8
BACKLOG=5000
RPORT=${BENCH_RECEIVER_PORT:-18893}
W=$(mktemp -d /tmp/vcp-write.XXXXXX)
PIDS=""
TAG=$(date +%s)

cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
# A signal (a reader that went away, too: PIPE) ends the run, after the
# cleanup, so that no receiver or server it started outlives it.
trap cleanup EXIT
trap 'exit 1' INT TERM PIPE HUP

export VCP_CONFIG=$BVAR/vcp.conf
db() {
	mariadb --no-defaults -S "$BVAR/run/mysqld.sock" -uroot -N -B vcp \
	    -e "$1"
}
now() {
	date +%s.%N
}
rate() {
	awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%d", n / (b - a) }'
}
row() {
	printf '%-46s | %8s | %8s | %s\n' "$1" "$2" "$3" \
	    "$(awk -v v="$2" -v t="$4" 'BEGIN { print v >= t ? "yes" : "no" }')"
}

# account ROLE N: a new account, logged in; prints "token csrf".
account() {
	login=wb$1$TAG$2
	printf 'Str0ng-Passw0rd!\n' | build/vcpctl account add --role "$1" \
	    --login "$login" --name 基准 > /dev/null
	curl -s -D "$W/h" -o "$W/b" -H 'Content-Type: application/json' \
	    -d "{\"login\":\"$login\",\"password\":\"Str0ng-Passw0rd!\"}" \
	    "$KORE/api/v1/session"
	printf '%s %s\n' \
	    "$(sed -n 's/^[Ss]et-[Cc]ookie: vcp_session=\([^;]*\).*/\1/p' "$W/h")" \
	    "$(sed -n 's/.*"csrf_token": *"\([^"]*\)".*/\1/p' "$W/b")"
}

# run MODE: one wrk per account in $W/acct.MODE, each to its own marker;
# prints the wall time taken.
run() {
	i=0
	t0=$(now)
	wp=""
	while read -r tok csrf; do
		i=$((i + 1))
		WB_MODE=$1 WB_COOKIE=$tok WB_CSRF=$csrf WB_COUNT=$FLOWS \
		    WB_TAG=$TAG-$i WB_OUT=$W/ids.$i WB_IN=$W/todo.$i \
		    WB_DONE=$W/done.$1.$i WB_FIFO=$W/fifo wrk -t1 -c1 -d600s \
		    -s tests/bench/write.lua "$KORE" > /dev/null &
		wp="$wp $!"
	done < "$W/acct.$1"
	PIDS="$PIDS $wp"
	# Each load generator writes a line to the FIFO when it is done: a
	# blocking read takes nothing from the machine measured, where
	# polling (a pipeline, then sleep(1) 50 times a second) took from a
	# tenth to 3 % of it.
	k=1
	while [ "$k" -le "$i" ] && read -r _ <&3; do
		k=$((k + 1))
	done
	t1=$(now)
	for p in $wp; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	echo "$t0 $t1"
}

# What the machine spent on a phase: CPU clock ticks of the database
# server, of Kore (parent and workers) and of all the machine's cores
# but idle time, so that a rate can be read as the CPU one operation
# costs and set beside what the target leaves of the machine's cores.
ticks() {
	for p in "$@"; do
		awk '{ print $14 + $15 }' "/proc/$p/stat" 2> /dev/null || true
	done | awk '{ n += $1 } END { print n + 0 }'
}
cpu_mark() {
	kp=$(cat "$BVAR/run/kore.pid" 2> /dev/null || true)
	# Kore's pids are words to split.
	# shellcheck disable=SC2046,SC2086
	printf '%s %s %s\n' "$(ticks "$(cat "$BVAR/run/mysqld.pid")")" \
	    "$(ticks $kp $(cat /proc/"$kp"/task/*/children 2> /dev/null))" \
	    "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)"
}
# cpu_report WHAT N TARGET "MARK0" "MARK1": the CPU per operation.
cpu_report() {
	awk -v what="$1" -v n="$2" -v t="$3" -v a="$4" -v b="$5" \
	    -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		if (n == 0)
			exit
		ms = 1000 / hz / n
		printf "  CPU per %s: database %.2f ms, portal %.2f ms," \
		    " whole machine %.2f ms (%d/s leaves %.2f ms on %d" \
		    " cores)\n", what, (y[1] - x[1]) * ms, (y[2] - x[2]) * ms,
		    (y[3] - x[3]) * ms, t, 1000 * cores / t, cores
	}'
}

ok() {
	cat "$W"/done."$1".* | awk '{ n += $1 } END { print n + 0 }'
}
errs() {
	cat "$W"/done."$1".* | awk '{ n += $2 } END { print n + 0 }'
}

# Opened read-write, so that neither end waits for the other to open it.
mkfifo "$W/fifo"
exec 3<> "$W/fifo"

for i in $(seq $OPS); do
	account operator "$i" >> "$W/acct.flow"
	account reviewer "$i" >> "$W/acct.approve"
done

c0=$(cpu_mark)
set -- $(run flow)
c1=$(cpu_mark)
subs=$(ok flow)
row "filing submissions/s (8 operators, 2x64 KiB)" \
    "$(rate "$subs" "$1" "$2")" 600 600
cpu_report submission "$subs" 600 "$c0" "$c1"
[ "$(errs flow)" -eq 0 ] || echo "  ($(errs flow) submissions failed)"

# Each reviewer approves an equal share of what was submitted.
cat "$W"/ids.* > "$W/submitted"
for i in $(seq $OPS); do
	awk -v i="$i" -v n=$OPS 'NR % n == i % n' "$W/submitted" > "$W/todo.$i"
done
c0=$(cpu_mark)
set -- $(run approve)
c1=$(cpu_mark)
row "approvals/s (8 reviewers)" "$(rate "$(ok approve)" "$1" "$2")" 500 500
cpu_report approval "$(ok approve)" 500 "$c0" "$c1"
[ "$(errs approve)" -eq 0 ] || echo "  ($(errs approve) approvals failed)"

# Delivery: a receiver that answers at once, a backlog of 5,000 events (the
# approvals' own and copies of one signed payload, four events in sequence
# for each of 1,250 subjects of their own, two recipients each), one
# vcpnotifyd pointed at the receiver.
mkdir -p "$W/ngx/logs"
cat > "$W/ngx/nginx.conf" <<NGX
daemon off;
worker_processes 1;
pid $W/ngx/nginx.pid;
error_log $W/ngx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/ngx; proxy_temp_path $W/ngx;
	fastcgi_temp_path $W/ngx; uwsgi_temp_path $W/ngx; scgi_temp_path $W/ngx;
	# The front reads each body whole (as a receiver would) and hands it
	# to a server block that answers 200 at once; a bare "return 200"
	# answers before the body is read and makes clients wait on a
	# lingering close.
	upstream ok { server 127.0.0.1:$((RPORT + 1)); keepalive 64; }
	server {
		listen 127.0.0.1:$RPORT;
		location / {
			proxy_pass http://ok;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
		}
	}
	server { listen 127.0.0.1:$((RPORT + 1)); location / { return 200; } }
}
NGX
PATH=$PATH:/usr/sbin nginx -q -p "$W/ngx/" -c "$W/ngx/nginx.conf" &
PIDS="$PIDS $!"
i=0
until curl -sf -o /dev/null -d x "http://127.0.0.1:$RPORT/mps"; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "the receiver did not start (ports $RPORT, $((RPORT + 1)))"
		exit 1
	fi
	sleep 0.1
done
pending=$(db "SELECT COUNT(*) FROM notification WHERE status = 'pending'")
extra=$(((BACKLOG - pending) / 4))
if [ "$extra" -gt 0 ]; then
	db "CREATE TEMPORARY TABLE wb_n (n INT PRIMARY KEY);
	    INSERT INTO wb_n SELECT seq FROM seq_1_to_$extra;
	    SET @p = (SELECT payload FROM notification ORDER BY id DESC LIMIT 1);
	    SET @base = UNIX_TIMESTAMP() * 100000;
	    INSERT INTO notification (event_id, recipient, position, subject,
	        subject_id, seq, event, payload, next_try_at, created_at)
	    SELECT UUID(), r.recipient, np.last + (s.seq - 1) * $extra + n.n,
	        'filing', @base + n.n, s.seq, 'changed', @p, NOW(6), NOW(6)
	    FROM wb_n n JOIN (SELECT 'mps' recipient UNION SELECT 'cac') r
	    JOIN seq_1_to_2 s JOIN notify_position np
	        ON np.recipient = r.recipient;
	    UPDATE notify_position SET last = last + 2 * $extra;"
fi
total=$(db "SELECT COUNT(*) FROM notification WHERE status = 'pending'")
sed -e '/^notify_mps_url/d' -e '/^notify_cac_url/d' "$BVAR/vcp.conf" \
    > "$W/vcp.conf"
printf 'notify_mps_url http://127.0.0.1:%s/mps\nnotify_cac_url http://127.0.0.1:%s/cac\n' \
    "$RPORT" "$RPORT" >> "$W/vcp.conf"
# What the requests above left to seal is not delivery's work.
build/vcpctl audit seal > /dev/null
t0=$(now)
VCP_CONFIG=$W/vcp.conf build/vcpnotifyd 2> "$W/notifyd.log" &
npid=$!
PIDS="$PIDS $npid"
end=$(($(date +%s) + 300))
while [ "$(db "SELECT COUNT(*) FROM notification WHERE status = 'pending'")" \
    -gt 0 ]; do
	if [ "$(date +%s)" -gt "$end" ]; then
		echo "delivery did not finish in 300 s:" \
		    "$(db "SELECT MAX(last_error) FROM notification
		    WHERE status = 'pending'")"
		exit 1
	fi
	sleep 0.05
done
t1=$(now)
kill -TERM "$npid"
row "delivery events/s (backlog of $total)" "$(rate "$total" "$t0" "$t1")" \
    5000 5000
