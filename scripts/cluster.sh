#!/bin/sh
# The production topology on one machine (docs/operations.md): three
# MariaDB Galera nodes, two app hosts (Kore + vcpnotifyd, each in its own
# network namespace behind a veth link, each on its own node), nginx in
# front terminating TLS and balancing the two, and stand-ins for the two
# ministries.  For `make cluster` and tests/cluster/.
#
#	cluster.sh start DIR [PORT]	build and start everything under DIR
#	cluster.sh stop DIR		stop everything, remove the namespaces
#	cluster.sh kill-node DIR N	kill -9 Galera node N (1-3)
#	cluster.sh start-node DIR N	bring node N back into the cluster
#	cluster.sh env DIR		the addresses, as shell assignments
#
# Ports from PORT (default 18443): nginx HTTPS PORT, plain HTTP PORT+1
# (redirects), Kore PORT+2 inside each namespace, receivers PORT+3 and
# PORT+4, node N's SQL port PORT+4+N, Galera port PORT+7+N, IST port
# PORT+10+N, SST port PORT+13+N.  Needs root (ip netns).
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. scripts/common.sh
PATH=$PATH:/usr/sbin:/usr/bin

GALERA=${VCP_GALERA:-/usr/lib/galera/libgalera_smm.so}
MODULE=${VCP_CLUSTER_MODULE:-$TOP/build/vcp.so}
VCPCTL=${VCP_CLUSTER_VCPCTL:-$TOP/build/vcpctl}
NOTIFYD=${VCP_CLUSTER_NOTIFYD:-$TOP/build/vcpnotifyd}

cmd=${1:-}
[ $# -ge 2 ] || { echo "usage: cluster.sh start|stop|kill-node|start-node|env DIR [ARG]" >&2; exit 2; }
[ "$cmd" = start ] && mkdir -p "$2"
D=$(cd "$2" 2>/dev/null && pwd) || { echo "cluster: no $2" >&2; exit 2; }

# The layout is fixed at start and read back by every later command.
if [ "$cmd" = start ]; then
	P=${3:-18443}
	# A /24 per host in 198.18.0.0/15, the range set aside for tests
	# (RFC 2544), so no route of the machine's own is shadowed; from the
	# port, so two clusters on one machine do not share addresses.
	A=198.18.$((P % 120 * 2))
	B=198.18.$((P % 120 * 2 + 1))
	cat > "$D/cluster.env" <<EOF
P=$P
NS_A=vcp${P}a
NS_B=vcp${P}b
HTTPS_PORT=$P
HTTP_PORT=$((P + 1))
KORE_PORT=$((P + 2))
MPS_PORT=$((P + 3))
CAC_PORT=$((P + 4))
HOST_A=$A.2
HOST_B=$B.2
PROXY_A=$A.1
PROXY_B=$B.1
OTHER_A=$A.5
NODE_A=1
NODE_B=2
EOF
fi
[ -f "$D/cluster.env" ] || { echo "cluster: no cluster in $D" >&2; exit 2; }
. "$D/cluster.env"

node_dir() { echo "$D/node$1"; }
node_sock() { echo "$D/node$1/run/mysqld.sock"; }

node_client() {
	n=$1
	shift
	mariadb --no-defaults -S "$(node_sock "$n")" -uroot "$@"
}

# mariadbd runs as mysql when we are root: the rsync state transfer
# starts its rsync daemon as the server's user, and refuses root.
db_user() {
	if [ "$(id -u)" -eq 0 ]; then
		echo mysql
	else
		id -un
	fi
}

node_conf() {
	n=$1
	d=$(node_dir "$n")
	b1=$((P + 8))
	b2=$((P + 9))
	b3=$((P + 10))
	cat > "$d/my.cnf" <<EOF
# written by scripts/cluster.sh
[mariadbd]
user=$(db_user)
socket=$d/run/mysqld.sock
pid-file=$d/run/mysqld.pid
port=$((P + 4 + n))
bind-address=127.0.0.1
log-error=$d/log/mariadb.err
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
default-time-zone=+00:00
innodb-buffer-pool-size=64M
max-connections=300
# What Galera needs (MariaDB's "Galera cluster known limitations").
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# Each commit reaches the operating system (a killed server loses none)
# and the disk once a second; a node that loses a second's commits to a
# power cut gets them back from the others when it rejoins (IST).
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$GALERA
wsrep_cluster_name=vcp$P
wsrep_cluster_address=gcomm://127.0.0.1:$b1,127.0.0.1:$b2,127.0.0.1:$b3
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$((P + 7 + n))
wsrep_provider_options="base_port=$((P + 7 + n));gmcast.listen_addr=tcp://127.0.0.1:$((P + 7 + n));ist.recv_addr=127.0.0.1:$((P + 10 + n));gcache.size=64M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((P + 13 + n))
# A read waits until this node has applied every write the cluster had
# committed when the read began: a filing created through one app host
# is there for the next request, whichever host takes it.
wsrep_sync_wait=1
wsrep_slave_threads=2
EOF
}

# node_state N: wsrep_local_state (4 is Synced), or nothing.
node_state() {
	node_client "$1" -N -B -e \
	    "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null |
	    cut -f2
}

wait_synced() {
	i=0
	until [ "$(node_state "$1")" = 4 ]; do
		i=$((i + 1))
		if [ $i -gt 1200 ]; then
			echo "cluster: node $1 did not reach Synced" >&2
			tail -30 "$(node_dir "$1")/log/mariadb.err" >&2
			return 1
		fi
		sleep 0.1
	done
}

node_pid() {
	f=$(node_dir "$1")/run/mysqld.pid
	[ -f "$f" ] || return 0
	p=$(cat "$f" 2>/dev/null) || return 0
	if [ -n "$p" ] && kill -0 "$p" 2>/dev/null &&
	    grep -q -F -e "$(node_dir "$1")/my.cnf" "/proc/$p/cmdline" \
	    2>/dev/null; then
		echo "$p"
	fi
}

# node_run N [options]: mariadbd in the background, as db.sh runs it.
node_run() {
	n=$1
	shift
	d=$(node_dir "$n")
	rm -f "$d/run/mysqld.pid"
	mariadbd --defaults-file="$d/my.cnf" --datadir="$d/mysql" "$@" \
	    > /dev/null 2>&1 &
}

node_init() {
	n=$1
	d=$(node_dir "$n")
	u=$(db_user)
	mkdir -p "$d/mysql" "$d/run" "$d/log"
	chmod 755 "$d"
	node_conf "$n"
	if [ "$n" -eq 1 ] && [ ! -d "$d/mysql/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$d/mysql" \
		    --user="$u" --auth-root-authentication-method=socket \
		    --auth-root-socket-user="$(id -un)" --skip-test-db \
		    > "$d/log/install.log" 2>&1 || {
			cat "$d/log/install.log" >&2
			return 1
		}
	fi
	chown -R "$u" "$d/mysql" "$d/run" "$d/log"
}

# A node that was killed knows its last commit only after recovery: with
# it, the node catches up by incremental transfer rather than a full copy.
node_start() {
	n=$1
	d=$(node_dir "$n")
	[ -z "$(node_pid "$n")" ] || return 0
	pos=""
	if [ -f "$d/mysql/grastate.dat" ]; then
		mariadbd --defaults-file="$d/my.cnf" --datadir="$d/mysql" \
		    --wsrep-recover --log-error="$d/log/recover.err" \
		    > /dev/null 2>&1 || true
		pos=$(sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' \
		    "$d/log/recover.err" 2>/dev/null | tail -1)
		rm -f "$d/log/recover.err"
	fi
	if [ -n "$pos" ]; then
		node_run "$n" --wsrep-start-position="$pos"
	else
		node_run "$n"
	fi
	wait_synced "$n"
}

node_kill() {
	p=$(node_pid "$1")
	[ -z "$p" ] && return 0
	kill -9 "$p"
	while kill -0 "$p" 2>/dev/null; do
		sleep 0.1
	done
}

# term_wait PID TENTHS: SIGTERM, then SIGKILL if it has not ended in time.
term_wait() {
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null || true
}

node_stop() {
	p=$(node_pid "$1")
	[ -z "$p" ] || term_wait "$p" 600
}

# ns_up NAME HOST_ADDR PROXY_ADDR: a namespace whose only link is
# a veth pair to us; its default route leads back here, where the
# ministries' stand-ins listen.
ns_up() {
	ip netns add "$1"
	ip link add "${1}0" type veth peer name "${1}1"
	ip link set "${1}1" netns "$1"
	ip addr add "$3/24" dev "${1}0"
	ip link set "${1}0" up
	ip -n "$1" addr add "$2/24" dev "${1}1"
	ip -n "$1" link set lo up
	ip -n "$1" link set "${1}1" up
	ip -n "$1" route add default via "$3"
}

ns_down() {
	ip netns list 2>/dev/null | grep -q "^$1\b" || return 0
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null || true
	done
	i=0
	while [ -n "$(ip netns pids "$1" 2>/dev/null)" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	for p in $(ip netns pids "$1" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null || true
	done
	ip link del "${1}0" 2>/dev/null || true
	ip netns del "$1"
}

# host_conf DIR NODE PROXY ADDRESS: an app host's settings, Kore's configuration.
# The keys are the cluster's (every host must hold the same ones); the
# database is the host's own node.
host_conf() {
	h=$1
	mkdir -p "$h/log" "$h/run"
	write_config "$h" "cookie_secure yes" "db_threads 6" \
	    "calendar_refresh 0" "register_max 100000" \
	    "login_fail_ip_max 100000" \
	    "public_base_url https://127.0.0.1:$HTTPS_PORT" \
	    "notify_mps_url http://$PROXY_A:$MPS_PORT/" \
	    "notify_cac_url http://$PROXY_A:$CAC_PORT/" \
	    "notify_timeout 5" "notify_lease 10" "notify_backoff_max 2" \
	    "audit_checkpoint_interval 0"
	sed -i -e "s|^db_socket .*|db_socket $(node_sock "$2")|" \
	    -e "s|^trusted_proxies .*|trusted_proxies $3|" \
	    -e "s|$h/secrets/|$(node_dir 1)/secrets/|" \
	    -e "s|$h/keys/|$D/keys/|" "$h/vcp.conf"
	kore_conf "$h" "$KORE_PORT" "$MODULE" "$4"
}

# nginx: TLS on HTTPS_PORT with HSTS, the two hosts upstream, plain HTTP
# redirected.  Derived from nginx.conf like the single host's.
nginx_cluster_conf() {
	nginx_conf "$D" "$HTTPS_PORT" "$KORE_PORT"
	hsts='add_header	Strict-Transport-Security "max-age=31536000" always;'
	sed -i \
	    -e "s|server 127.0.0.1:$KORE_PORT max_fails=0;|server $HOST_A:$KORE_PORT max_fails=1 fail_timeout=3s;\n\t\tserver $HOST_B:$KORE_PORT max_fails=1 fail_timeout=3s;|" \
	    -e "s|^\(\t*\)listen\t\t127.0.0.1:$HTTPS_PORT backlog=4096;|&\n\1ssl_certificate\t\t$D/tls/server.crt;\n\1ssl_certificate_key\t$D/tls/server.key;\n\1ssl_protocols\t\tTLSv1.2 TLSv1.3;\n\1$hsts|" \
	    -e "s|listen\t\t127.0.0.1:$HTTPS_PORT backlog=4096;|listen\t\t127.0.0.1:$HTTPS_PORT ssl backlog=4096;|" \
	    -e "s|^\(\t*\)add_header\tCache-Control no-store always;|&\n\1$hsts|" \
	    -e "s|^\(\t*\)proxy_pass\t\thttp://kore;|&\n\1# A host whose node is out answers 503 and is passed over\n\1# for fail_timeout; a read goes to the other at once,\n\1# a write is never sent twice.\n\1proxy_next_upstream\terror timeout http_503;\n\1proxy_next_upstream_tries 2;|" \
	    "$D/nginx.conf"
	# Plain HTTP: only a redirect, before the last closing brace.
	sed -i '$d' "$D/nginx.conf"
	cat >> "$D/nginx.conf" <<EOF

	server {
		listen		127.0.0.1:$HTTP_PORT;
		server_name	_;
		return		301 https://127.0.0.1:$HTTPS_PORT\$request_uri;
	}
}
EOF
}

# A CA of our own and the front's certificate, for 127.0.0.1.
tls_make() {
	t=$D/tls
	mkdir -p "$t"
	[ -f "$t/server.crt" ] && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
	    -subj "/CN=vcp cluster test CA" -keyout "$t/ca.key" \
	    -out "$t/ca.crt" > /dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
	    -keyout "$t/server.key" -out "$t/server.csr" > /dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$t/ext.cnf"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" \
	    -CAkey "$t/ca.key" -CAcreateserial -days 30 \
	    -extfile "$t/ext.cnf" -out "$t/server.crt" > /dev/null 2>&1
	chmod 600 "$t/ca.key" "$t/server.key"
}

# host_start NAME NS PROGRAM ARGS...: one of the host's programs inside its
# namespace, with its settings; its log and job file are named after it.
host_start() {
	h=$D/host$1
	ns=$2
	name=$(basename "$3")
	shift 2
	VCP_CONFIG=$h/vcp.conf setsid ip netns exec "$ns" "$@" \
	    > "$h/log/$name.log" 2>&1 &
	echo $! > "$h/run/$name.job"
}

# pid_kill FILE: ends the process FILE names, a job we started.
pid_kill() {
	[ -f "$1" ] || return 0
	p=$(cat "$1")
	rm -f "$1"
	term_wait "$p" 100
}

cluster_start() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "cluster: needs root (network namespaces)" >&2
		return 1
	fi
	if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$HTTPS_PORT/"; then
		echo "cluster: port $HTTPS_PORT is in use" >&2
		return 1
	fi
	# A start that fails half-way leaves nothing behind either.
	trap cluster_stop EXIT
	chmod 755 "$D"
	if [ "$(db_user)" = mysql ] && ! runuser -u mysql -- test -x "$D"; then
		echo "cluster: the mysql user cannot reach $D" >&2
		return 1
	fi
	mkdir -p "$D/log" "$D/run" "$D/keys"
	chmod 700 "$D/keys"
	for n in 1 2 3; do
		node_init "$n"
	done
	echo "cluster: node 1 (new cluster)"
	node_run 1 --wsrep-new-cluster
	wait_synced 1
	# Users and the schema before the others join: they arrive by
	# state transfer, as a node added later would.
	sh scripts/db.sh users "$(node_dir 1)"
	for n in 2 3; do
		echo "cluster: node $n (state transfer from the cluster)"
		node_start "$n"
	done

	ns_up "$NS_A" "$HOST_A" "$PROXY_A"
	ip addr add "$OTHER_A/24" dev "${NS_A}0"
	ns_up "$NS_B" "$HOST_B" "$PROXY_B"
	host_conf "$D/hosta" "$NODE_A" "$PROXY_A" "$HOST_A"
	host_conf "$D/hostb" "$NODE_B" "$PROXY_B" "$HOST_B"
	# Both hosts migrate at once, on two nodes, as two deployments
	# might: one applies the schema, the other waits and finds it done.
	VCP_CONFIG=$D/hosta/vcp.conf "$VCPCTL" migrate \
	    > "$D/hosta/log/migrate.log" 2>&1 &
	ma=$!
	VCP_CONFIG=$D/hostb/vcp.conf "$VCPCTL" migrate \
	    > "$D/hostb/log/migrate.log" 2>&1 &
	mb=$!
	wait "$ma" || { cat "$D/hosta/log/migrate.log" >&2; return 1; }
	wait "$mb" || { cat "$D/hostb/log/migrate.log" >&2; return 1; }
	prepare_db "$D/hosta" "$VCPCTL"

	# One after the other: the first creates the signing key and its
	# certificate, which every host must share.
	for h in a b; do
		if [ $h = a ]; then
			ns=$NS_A
			addr=$HOST_A
		else
			ns=$NS_B
			addr=$HOST_B
		fi
		host_start $h "$ns" kore -c "$D/host$h/kore.conf" -f -n -r
		if ! wait_http "http://$addr:$KORE_PORT/healthz" 60; then
			echo "cluster: app host $h did not start" >&2
			tail -20 "$D/host$h/log/kore.log" >&2
			return 1
		fi
	done
	host_start a "$NS_A" "$NOTIFYD"
	host_start b "$NS_B" "$NOTIFYD"
	# The signing certificate exists once a host has started.
	for r in mps:$MPS_PORT cac:$CAC_PORT; do
		setsid /usr/bin/python3 scripts/receiver.py \
		    --recipient "${r%%:*}" --bind "$PROXY_A" --port "${r##*:}" \
		    --cert "$D/keys/sign.crt" --schema schema/notification.xsd \
		    --log "$D/log/received-${r%%:*}.jsonl" \
		    > "$D/log/receiver-${r%%:*}.log" 2>&1 &
		echo $! > "$D/run/receiver-${r%%:*}.job"
	done
	tls_make
	nginx_cluster_conf
	PATH=$PATH:/usr/sbin setsid nginx -q -p "$D/" -c "$D/nginx.conf" \
	    -e "$D/log/nginx-error.log" >> "$D/log/nginx.log" 2>&1 &
	echo $! > "$D/run/nginx.job"
	i=0
	until curl -sf --cacert "$D/tls/ca.crt" -o /dev/null \
	    "https://127.0.0.1:$HTTPS_PORT/healthz"; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "cluster: nginx did not start" >&2
			cat "$D/log/nginx-error.log" >&2
			return 1
		fi
		sleep 0.1
	done
	trap - EXIT
	echo "cluster: https://127.0.0.1:$HTTPS_PORT/ (CA $D/tls/ca.crt)"
}

cluster_stop() {
	pid_kill "$D/run/nginx.job"
	for h in a b; do
		pid_kill "$D/host$h/run/vcpnotifyd.job"
		pid_kill "$D/host$h/run/kore.job"
	done
	ns_down "$NS_A"
	ns_down "$NS_B"
	for r in mps cac; do
		pid_kill "$D/run/receiver-$r.job"
	done
	# The last to leave is the safe one to bootstrap from next time.
	for n in 3 2 1; do
		node_stop "$n"
	done
	echo "cluster: stopped"
}

case "$cmd" in
start)		cluster_start ;;
stop)		cluster_stop ;;
kill-node)	node_kill "$3" ;;
start-node)	node_start "$3" ;;
env)		cat "$D/cluster.env" ;;
*)		echo "usage: cluster.sh start|stop|kill-node|start-node|env DIR" >&2
		exit 2 ;;
esac
