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
		echo "data_key_file $v/keys/data.key"
		echo "audit_key_file $v/keys/audit.key"
		echo "sign_key_file $v/keys/sign.key"
		echo "sign_cert_file $v/keys/sign.crt"
		for kv in "$@"; do
			echo "$kv"
		done
	} > "$v/vcp.conf"
}

# kore_conf VARDIR PORT MODULE: kore.conf with this run's port and paths.
kore_conf() {
	sed -e "s|bind 127.0.0.1 8888|bind 127.0.0.1 $2|" \
	    -e "s|load ./build/vcp.so|load $3|" \
	    -e "s|var/run/kore.pid|$1/run/kore.pid|" \
	    -e "s|var/log/access.log|$1/log/access.log|" \
	    "$TOP/kore.conf" > "$1/kore.conf"
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
