/*
 * The settings file: a flat "key value" list.  Secrets are not written
 * inline but read from files (key_file), so the settings file itself can
 * be world-readable and the secrets kept at mode 0600.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define CONFIG_LINE_MAX		1024

struct vcp_config	vcp_conf;

enum config_type { CONF_STR, CONF_INT, CONF_BOOL, CONF_SECRET, CONF_NETS,
    CONF_MMDD };

struct config_key {
	const char		*name;
	enum config_type	type;
	size_t			off;
	size_t			len;
	long			min;
	long			max;
};

#define STR(n)		{ #n, CONF_STR, offsetof(struct vcp_config, n), \
			    sizeof(((struct vcp_config *)0)->n), 0, 0 }
#define SECRET(k, n)	{ k, CONF_SECRET, offsetof(struct vcp_config, n), \
			    sizeof(((struct vcp_config *)0)->n), 0, 0 }
#define INT(n, lo, hi)	{ #n, CONF_INT, offsetof(struct vcp_config, n), \
			    sizeof(int), lo, hi }
#define BOOL(n)		{ #n, CONF_BOOL, offsetof(struct vcp_config, n), \
			    sizeof(int), 0, 1 }
#define MMDD(n)		{ #n, CONF_MMDD, offsetof(struct vcp_config, n), \
			    sizeof(int), 0, 0 }
#define NETS(n)		{ #n, CONF_NETS, offsetof(struct vcp_config, n), \
			    sizeof(struct netaddr_list), 0, 0 }

static const struct config_key config_keys[] = {
	STR(db_socket),
	STR(db_name),
	STR(db_user),
	SECRET("db_password_file", db_password),
	STR(db_admin_user),
	SECRET("db_admin_password_file", db_admin_password),
	INT(db_threads, 1, 64),
	INT(db_queue_max, 16, 100000),
	INT(db_timeout, 1, 3600),
	INT(session_idle, 60, 86400),
	INT(session_max, 300, 604800),
	BOOL(cookie_secure),
	NETS(trusted_proxies),
	INT(calendar_refresh, 0, 3600),
	INT(registry_refresh, 0, 60),
	MMDD(calendar_warn_from),
	INT(login_fail_max, 1, 1000),
	INT(login_fail_ip_max, 1, 100000),
	INT(login_fail_window, 10, 86400),
	INT(register_max, 1, 100000),
	INT(register_window, 10, 86400),
	INT(argon2_t, 1, 10),
	INT(argon2_m, 1024, 1048576),
	BOOL(debug_sleep),
	INT(worker_watchdog, 0, 3600),
	STR(audit_key_file),
	INT(audit_checkpoint_interval, 0, 604800),
	STR(schema_dir),
	STR(assets_dir),
	STR(data_key_file),
	STR(filing_prefix),
	STR(public_base_url),
	STR(sign_key_file),
	STR(sign_cert_file),
	STR(notify_mps_url),
	STR(notify_cac_url),
	STR(notify_client_cert),
	STR(notify_client_key),
	STR(notify_ca_file),
	INT(notify_timeout, 1, 600),
	INT(notify_batch, 1, 1000),
	INT(notify_lease, 1, 3600),
	INT(notify_backoff_max, 1, 86400),
	INT(notify_stale_after, 60, 604800),
	INT(tipoff_pow_difficulty, 0, 32),
	INT(tipoff_challenge_ttl, 60, 3600),
	INT(tipoff_challenge_max, 1, 100000),
	INT(tipoff_submit_max, 1, 100000),
	INT(tipoff_submit_total_max, 1, 10000000),
	INT(tipoff_submit_window, 10, 86400),
	INT(tipoff_code_fail_max, 1, 100000),
	INT(tipoff_code_fail_total_max, 1, 10000000),
	INT(tipoff_code_fail_window, 10, 86400),
	INT(tipoff_session_max, 60, 86400),
	INT(tipoff_evidence_max, 0, 100),
	INT(tipoff_evidence_size, 1024, 4194304),
	INT(tipoff_retention_days, 183, 36500),
	INT(tipoff_answer_days, 1, 365),
	INT(tipoff_decide_days, 1, 365),
	{ NULL, CONF_STR, 0, 0, 0, 0 }
};

static void
config_defaults(struct vcp_config *c)
{
	memset(c, 0, sizeof(*c));
	(void)snprintf(c->db_socket, sizeof(c->db_socket),
	    "var/run/mysqld.sock");
	(void)snprintf(c->db_name, sizeof(c->db_name), "vcp");
	(void)snprintf(c->db_user, sizeof(c->db_user), "vcp_app");
	(void)snprintf(c->db_admin_user, sizeof(c->db_admin_user),
	    "vcp_admin");
	(void)snprintf(c->schema_dir, sizeof(c->schema_dir), "schema");
	(void)snprintf(c->assets_dir, sizeof(c->assets_dir), "build/assets");
	(void)snprintf(c->data_key_file, sizeof(c->data_key_file),
	    "var/keys/data.key");
	(void)snprintf(c->filing_prefix, sizeof(c->filing_prefix), "VCP");
	(void)snprintf(c->public_base_url, sizeof(c->public_base_url),
	    "http://127.0.0.1:8888");
	(void)snprintf(c->sign_key_file, sizeof(c->sign_key_file),
	    "var/keys/sign.key");
	(void)snprintf(c->sign_cert_file, sizeof(c->sign_cert_file),
	    "var/keys/sign.crt");
	c->notify_timeout = 10;
	c->notify_batch = 500;
	c->notify_lease = 60;
	c->notify_backoff_max = 3600;
	c->notify_stale_after = 3600;
	/*
	 * 2^17 hashes expected: about a second for a browser's WebCrypto
	 * (130,000 SHA-256 a second measured in batches), 0.07 s in Python.
	 */
	c->tipoff_pow_difficulty = 17;
	c->tipoff_challenge_ttl = 600;
	c->tipoff_challenge_max = 60;
	c->tipoff_submit_max = 5;
	c->tipoff_submit_total_max = 500;
	c->tipoff_submit_window = 3600;
	c->tipoff_code_fail_max = 10;
	c->tipoff_code_fail_total_max = 1000;
	c->tipoff_code_fail_window = 3600;
	c->tipoff_session_max = 1800;
	c->tipoff_evidence_max = 10;
	c->tipoff_evidence_size = 4 * 1024 * 1024 - 1024;
	c->tipoff_retention_days = 730;
	/* Working days: a first answer within a week, a decision within
	 * six (the ten-day filing review, and time to ask the platform). */
	c->tipoff_answer_days = 5;
	c->tipoff_decide_days = 30;
	c->db_threads = 8;
	c->db_queue_max = 4096;
	c->db_timeout = 30;
	c->session_idle = 1800;
	c->session_max = 43200;
	c->cookie_secure = 0;
	c->calendar_refresh = 5;
	c->registry_refresh = 1;
	c->calendar_warn_from = 1101;
	c->login_fail_max = 5;
	c->login_fail_ip_max = 100;
	c->login_fail_window = 900;
	c->register_max = 10;
	c->register_window = 3600;
	/* OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane. */
	c->argon2_t = 2;
	c->argon2_m = 19456;
	c->debug_sleep = 0;
	c->worker_watchdog = 30;
	(void)snprintf(c->audit_key_file, sizeof(c->audit_key_file),
	    "var/keys/audit.key");
	c->audit_checkpoint_interval = 3600;
}

const char *
config_path(void)
{
	const char	*p;

	if ((p = getenv("VCP_CONFIG")) != NULL && *p != '\0')
		return (p);
	return ("var/vcp.conf");
}

static int
config_read_secret(const char *path, char *out, size_t len,
    char *err, size_t errlen)
{
	FILE		*fp;
	size_t		n;

	if ((fp = fopen(path, "r")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}
	n = fread(out, 1, len - 1, fp);
	(void)fclose(fp);
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return (1);
}

/*
 * MM-DD, a day that every year has (02-29 is refused: a warning that
 * starts only in leap years is not what anyone means).
 */
static int
config_mmdd(const char *val, int *out)
{
	static const int	mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			m, d;

	if (strlen(val) != 5 || val[2] != '-' ||
	    val[0] < '0' || val[0] > '9' || val[1] < '0' || val[1] > '9' ||
	    val[3] < '0' || val[3] > '9' || val[4] < '0' || val[4] > '9')
		return (0);
	m = (val[0] - '0') * 10 + (val[1] - '0');
	d = (val[3] - '0') * 10 + (val[4] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (0);
	*out = m * 100 + d;
	return (1);
}

static int
config_set(struct vcp_config *c, const struct config_key *k,
    const char *val, char *err, size_t errlen)
{
	char		*dst, *end;
	long		v;

	dst = (char *)c + k->off;
	switch (k->type) {
	case CONF_STR:
		if (strlen(val) >= k->len) {
			(void)snprintf(err, errlen, "%s: too long", k->name);
			return (0);
		}
		(void)snprintf(dst, k->len, "%s", val);
		return (1);
	case CONF_SECRET:
		return (config_read_secret(val, dst, k->len, err, errlen));
	case CONF_BOOL:
		if (!strcmp(val, "yes") || !strcmp(val, "1"))
			v = 1;
		else if (!strcmp(val, "no") || !strcmp(val, "0"))
			v = 0;
		else {
			(void)snprintf(err, errlen, "%s: yes or no", k->name);
			return (0);
		}
		*(int *)(void *)dst = (int)v;
		return (1);
	case CONF_NETS:
		if (!netaddr_list_parse(val,
		    (struct netaddr_list *)(void *)dst)) {
			(void)snprintf(err, errlen, "%s: IP addresses or "
			    "networks (a.b.c.d/n), at most %d", k->name,
			    NETADDR_LIST_MAX);
			return (0);
		}
		return (1);
	case CONF_MMDD:
		if (!config_mmdd(val, (int *)(void *)dst)) {
			(void)snprintf(err, errlen, "%s: a day as MM-DD",
			    k->name);
			return (0);
		}
		return (1);
	case CONF_INT:
		errno = 0;
		v = strtol(val, &end, 10);
		if (errno != 0 || *end != '\0' || end == val ||
		    v < k->min || v > k->max) {
			(void)snprintf(err, errlen, "%s: integer %ld..%ld",
			    k->name, k->min, k->max);
			return (0);
		}
		*(int *)(void *)dst = (int)v;
		return (1);
	}
	return (0);
}

static int
config_line(struct vcp_config *c, char *line, char *err, size_t errlen)
{
	const struct config_key	*k;
	char			*key, *val, *p;

	line[strcspn(line, "\r\n")] = '\0';
	for (key = line; *key == ' ' || *key == '\t'; key++)
		;
	if (*key == '\0' || *key == '#')
		return (1);
	for (p = key; *p != '\0' && *p != ' ' && *p != '\t'; p++)
		;
	if (*p == '\0') {
		(void)snprintf(err, errlen, "%.64s: missing value", key);
		return (0);
	}
	*p++ = '\0';
	for (val = p; *val == ' ' || *val == '\t'; val++)
		;
	for (p = val + strlen(val); p > val &&
	    (p[-1] == ' ' || p[-1] == '\t'); p--)
		p[-1] = '\0';

	for (k = config_keys; k->name != NULL; k++) {
		if (!strcmp(k->name, key))
			return (config_set(c, k, val, err, errlen));
	}
	(void)snprintf(err, errlen, "unknown setting '%.64s'", key);
	return (0);
}

int
config_load(const char *path, struct vcp_config *c, char *err,
    size_t errlen)
{
	FILE		*fp;
	char		line[CONFIG_LINE_MAX], msg[256];
	int		lineno, ok;

	config_defaults(c);
	if ((fp = fopen(path, "r")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}

	ok = 1;
	lineno = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (!config_line(c, line, msg, sizeof(msg))) {
			(void)snprintf(err, errlen, "%.200s:%d: %.200s",
			    path, lineno, msg);
			ok = 0;
			break;
		}
	}
	(void)fclose(fp);
	/* vcpnotifyd starts a send only while it still ends inside the lease. */
	if (ok && c->notify_lease <= c->notify_timeout) {
		(void)snprintf(err, errlen, "%.200s: notify_lease must be longer "
		    "than notify_timeout", path);
		ok = 0;
	}
	return (ok);
}
