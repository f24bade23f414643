# Shared by run.sh, test.sh and bench.sh (sourced, not run).

# write_config VARDIR [extra settings...]: the settings file for a var dir.
write_config() {
	v=$1
	shift
	mkdir -p "$v/keys"
	chmod 700 "$v/keys"
	{
		echo "# written by scripts/common.sh; edit the script, not this"
		echo "db_socket $v/run/mysqld.sock"
		echo "db_name vcp"
		echo "db_user vcp_app"
		echo "db_password_file $v/secrets/app.pw"
		echo "db_admin_user vcp_admin"
		echo "db_admin_password_file $v/secrets/admin.pw"
		echo "schema_dir $TOP/schema"
		echo "assets_dir $TOP/build/assets"
		echo "data_key_file $v/keys/data.key"
		echo "audit_key_file $v/keys/audit.key"
		echo "sign_key_file $v/keys/sign.key"
		echo "sign_cert_file $v/keys/sign.crt"
		# nginx (nginx_conf below) connects from here and sets X-Real-IP.
		echo "trusted_proxies 127.0.0.1"
		for kv in "$@"; do
			echo "$kv"
		done
	} > "$v/vcp.conf"
}

# kore_conf VARDIR PORT MODULE [ADDRESS]: kore.conf with this run's
# address (127.0.0.1 unless given), port and paths.
kore_conf() {
	sed -e "s|bind 127.0.0.1 8889|bind ${4:-127.0.0.1} $2|" \
	    -e "s|load ./build/vcp.so|load $3|" \
	    -e "s|var/run/kore.pid|$1/run/kore.pid|" \
	    -e "s|var/log/access.log|$1/log/access.log|" \
	    "$TOP/kore.conf" > "$1/kore.conf"
}

# nginx_conf VARDIR PORT KORE_PORT: nginx.conf listening on PORT for Kore
# on KORE_PORT, its files under VARDIR.  As root, nginx's workers would
# become "nobody", who may not enter a private var dir: they stay the
# user who runs us, as MariaDB does (scripts/db.sh).
nginx_conf() {
	mkdir -p "$1/nginx" "$1/log" "$1/run"
	u=""
	if [ "$(id -u)" -eq 0 ]; then
		u="user			$(id -un) $(id -gn);"
	fi
	sed -e "s|^#user.*|$u|" \
	    -e "s|listen\(.*\)127.0.0.1:8888|listen\1127.0.0.1:$2|" \
	    -e "s|server 127.0.0.1:8889|server 127.0.0.1:$3|" \
	    "$TOP/nginx.conf" > "$1/nginx.conf"
}

# start_nginx VARDIR: nginx in the foreground of a background job (so the
# caller has its pid, as for Kore), its log in VARDIR/log/nginx.log.
start_nginx() {
	PATH=$PATH:/usr/sbin nginx -q -p "$1/" -c "$1/nginx.conf" \
	    -e "$1/log/nginx-error.log" >> "$1/log/nginx.log" 2>&1 &
}

# prepare_db VARDIR VCPCTL: schema and shipped holiday notices.
prepare_db() {
	VCP_CONFIG=$1/vcp.conf "$2" migrate > /dev/null || return 1
	for f in "$TOP"/schema/calendar/*.txt; do
		VCP_CONFIG=$1/vcp.conf "$2" calendar load "$f" > /dev/null ||
		    return 1
	done
}

# wait_http URL SECONDS
wait_http() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		if curl -sf --max-time 2 -o /dev/null "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# junit_counts FILE: "PASSED FAILED" of a pytest JUnit report ("0 1" when
# there is none: the run did not get that far).
junit_counts() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    r = ET.parse(sys.argv[1]).getroot()
    s = r if r.tag == "testsuite" else r.find("testsuite")
    t, f, e, k = (int(s.get(x, 0)) for x in ("tests", "failures", "errors", "skipped"))
    print(t - f - e - k, f + e)
except Exception:
    print(0, 1)
PY
}

# make bench's table (scripts/bench.sh, tests/bench/*.sh): one row a
# figure, columns figure, value, ratio to hello-world (or empty), target,
# and ok or MISSED.
bench_head() {
	printf '%-48s %14s %6s %20s  %s\n' figure value ratio target verdict
}

bench_row() {
	printf '%-48s %14s %6s %20s  %s\n' "$1" "$2" "$3" "$4" "$5"
}
