#!/bin/sh
# A private MariaDB under a directory of ours: no system service, no
# network (unix socket only), no password prompts.
#
#	db.sh start DIR [fast|production]
#				initialise on first use, start, create users
#				(fast: no flushing, for throwaway data;
#				production: the sizes docs/operations.md gives)
#	db.sh stop DIR
#	db.sh users DIR		create the users on a server already running
#				with its socket at DIR/run (scripts/cluster.sh)
set -eu

cmd=$1
dir=$(cd "$2" 2>/dev/null && pwd || (mkdir -p "$2" && cd "$2" && pwd))
mode=${3:-durable}
data=$dir/mysql
run=$dir/run
sock=$run/mysqld.sock
pid=$run/mysqld.pid
log=$dir/log
sec=$dir/secrets
me=$(id -un)

PATH=$PATH:/usr/sbin:/usr/bin

client() {
	mariadb --no-defaults -S "$sock" -uroot "$@"
}

# db_alive PID: PID is this datadir's mariadbd, and not a zombie.  A pid
# file outlives its server after a crash or kill -9: by then its pid may
# name anything else, or a zombie not yet reaped.
db_alive() {
	case "$1" in
	''|*[!0-9]*)	return 1 ;;
	esac
	# The state follows the command name, which is in parentheses and
	# may itself hold spaces or parentheses.
	st=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null) ||
	    return 1
	case "$st" in
	''|Z|X)	return 1 ;;
	esac
	args=$(tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null) || return 1
	printf '%s\n' "$args" | head -1 |
	    grep -q -E '(^|/)(mariadbd|mysqld)$' &&
	    printf '%s\n' "$args" | grep -q -x -F -e "--datadir=$data"
}

# db_pid: the pid of this datadir's running server, or nothing.
db_pid() {
	[ -f "$pid" ] || return 0
	p=$(cat "$pid" 2>/dev/null) || return 0
	if db_alive "$p"; then
		echo "$p"
	fi
}

db_stop() {
	p=$(db_pid)
	if [ -n "$p" ]; then
		kill "$p" 2>/dev/null || true
		i=0
		while db_alive "$p" && [ $i -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
	fi
	rm -f "$pid"
}

secret() {
	f=$sec/$1.pw
	if [ ! -s "$f" ]; then
		(umask 077 && head -c 24 /dev/urandom | base64 |
		    tr -d '/+=\n' > "$f")
	fi
	cat "$f"
}

db_start() {
	mkdir -p "$run" "$log" "$sec"
	chmod 700 "$sec"
	if [ ! -d "$data/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$data" \
		    --user="$me" --auth-root-authentication-method=socket \
		    --auth-root-socket-user="$me" --skip-test-db \
		    > "$log/install.log" 2>&1 || {
			cat "$log/install.log" >&2
			exit 1
		}
	fi
	if [ -n "$(db_pid)" ]; then
		:
	else
		rm -f "$pid"
		extra="--innodb-buffer-pool-size=128M"
		case "$mode" in
		fast)
			extra="$extra --innodb-flush-log-at-trx-commit=0
			    --sync-binlog=0 --innodb-doublewrite=0" ;;
		production)
			# docs/operations.md "MariaDB": a 64 KiB attachment is
			# four pages and as much redo; with the defaults
			# (128 MiB pool, 96 MiB redo log) a run of uploads
			# keeps the page cleaner flushing and submissions
			# fell by a quarter (issue 12's write figures).
			extra="--innodb-buffer-pool-size=1G
			    --innodb-log-file-size=1G --innodb-io-capacity=2000" ;;
		esac
		extra="$extra ${VCP_DB_EXTRA:-}"
		# shellcheck disable=SC2086
		mariadbd --no-defaults --datadir="$data" --socket="$sock" \
		    --pid-file="$pid" --skip-networking --user="$me" \
		    --log-error="$log/mariadb.err" \
		    --character-set-server=utf8mb4 \
		    --collation-server=utf8mb4_unicode_ci \
		    --default-time-zone=+00:00 \
		    --max-connections=500 \
		    $extra > /dev/null 2>&1 &
		i=0
		until client -e 'SELECT 1' > /dev/null 2>&1; do
			i=$((i + 1))
			if [ $i -gt 300 ]; then
				echo "db: MariaDB did not start" >&2
				tail -20 "$log/mariadb.err" >&2
				exit 1
			fi
			sleep 0.1
		done
	fi
	db_users
}

db_users() {
	mkdir -p "$sec"
	chmod 700 "$sec"
	app=$(secret app)
	adm=$(secret admin)
	client <<SQL
CREATE DATABASE IF NOT EXISTS vcp
    CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'vcp_admin'@'localhost' IDENTIFIED BY '$adm';
ALTER USER 'vcp_admin'@'localhost' IDENTIFIED BY '$adm';
GRANT ALL PRIVILEGES ON vcp.* TO 'vcp_admin'@'localhost' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'vcp_app'@'localhost' IDENTIFIED BY '$app';
ALTER USER 'vcp_app'@'localhost' IDENTIFIED BY '$app';
SQL
}

case "$cmd" in
start)	db_start ;;
stop)	db_stop ;;
users)	db_users ;;
*)	echo "usage: db.sh start|stop|users DIR [fast|production]" >&2; exit 2 ;;
esac
