/*
 * vcpctl: the administrator's command.  It reads the same settings file
 * as the server and connects as the migration user, since it creates
 * regulator accounts, loads holiday notices and changes the schema.
 *
 *	vcpctl migrate
 *	vcpctl account add --role ROLE --login NAME [--name TEXT] < password
 *	vcpctl calendar load FILE
 *	vcpctl calendar status
 *	vcpctl calendar import-notice [--dry-run] FILE|-
 *	vcpctl audit verify [CHECKPOINT.xml ...]
 *	vcpctl audit checkpoint
 *	vcpctl audit seal
 *	vcpctl receipts purge [--before YYYY-MM-DD]
 *	vcpctl tipoff import [--category NAME] < message
 *	vcpctl tipoffs purge [--before YYYY-MM-DD]
 *	vcpctl notifications list [--status pending|delivered|rejected]
 *	vcpctl notifications resend ID
 *	vcpctl cert
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>
#include <mysqld_error.h>

#include "account/account.h"
#include "audit/audit.h"
#include "calendar/calendar_store.h"
#include "config.h"
#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "crypto/sign.h"
#include "db/db.h"
#include "deadline.h"
#include "domain/account_rules.h"
#include "domain/calendar.h"
#include "domain/id.h"
#include "domain/notice.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "filing/filing.h"
#include "notify/notify.h"
#include "tipoff/tipoff_intake.h"

#define FILE_MAX		(1024 * 1024)
#define MIGRATIONS_MAX		256
/* How long a migration waits for another one to finish. */
#define MIGRATE_WAIT		300

static const char	*sql_mig_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT UNSIGNED NOT NULL PRIMARY KEY,"
    " name VARCHAR(128) NOT NULL,"
    " sha256 CHAR(64) CHARACTER SET ascii NOT NULL,"
    " applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB";
/*
 * One migration at a time, across hosts and Galera nodes alike: a named
 * lock of the server is each node's own, so the lock is a row, taken by
 * inserting it.  Two inserts on two nodes conflict on the key, locally
 * or at certification, and exactly one commits.  A row left by a
 * migration that died is taken over once it is older than any real run.
 */
static const char	*sql_mig_lock_table =
    "CREATE TABLE IF NOT EXISTS schema_migration_lock ("
    " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
    " owner VARCHAR(128) NOT NULL,"
    " taken_at DATETIME(6) NOT NULL) ENGINE=InnoDB";
static const char	*sql_mig_lock =
    "INSERT INTO schema_migration_lock (id, owner, taken_at)"
    " VALUES (1, ?, NOW(6))";
static const char	*sql_mig_stale =
    "DELETE FROM schema_migration_lock"
    " WHERE id = 1 AND taken_at < NOW(6) - INTERVAL 30 MINUTE";
static const char	*sql_mig_unlock =
    "DELETE FROM schema_migration_lock WHERE id = 1 AND owner = ?";
static const char	*sql_mig_get =
    "SELECT sha256 FROM schema_migrations WHERE version = ?";
static const char	*sql_mig_put =
    "INSERT INTO schema_migrations (version, name, sha256, applied_at)"
    " VALUES (?, ?, ?, NOW(6))";

static void
usage(void)
{
	fprintf(stderr,
	    "usage: vcpctl migrate\n"
	    "       vcpctl account add --role ROLE --login NAME [--name TEXT]"
	    "  (password on stdin)\n"
	    "       vcpctl calendar load FILE\n"
	    "       vcpctl calendar status\n"
	    "       vcpctl calendar import-notice [--dry-run] FILE|-\n"
	    "       vcpctl audit verify [CHECKPOINT.xml ...]\n"
	    "       vcpctl audit checkpoint\n"
	    "       vcpctl audit seal\n"
	    "       vcpctl receipts purge [--before YYYY-MM-DD]\n"
	    "       vcpctl tipoff import [--category NAME] < message\n"
	    "       vcpctl tipoffs purge [--before YYYY-MM-DD]\n"
	    "       vcpctl notifications list"
	    " [--status pending|delivered|rejected]\n"
	    "       vcpctl notifications resend ID\n"
	    "       vcpctl cert\n"
	    "       vcpctl seed --owner LOGIN FILINGS [DRAFTS]"
	    "  (an empty database only)\n");
	exit(2);
}

static struct db *
connect_admin(int flags)
{
	struct db	*db;
	char		err[512];

	if ((db = db_connect(&vcp_conf, DB_ADMIN | flags, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "vcpctl: %s\n", err);
		exit(2);
	}
	return (db);
}

/* Reads at most max bytes; a larger input is refused, not cut. */
static char *
read_stream(FILE *fp, const char *label, size_t max, size_t *len)
{
	char	*buf;
	size_t	n;

	if ((buf = malloc(max + 1)) == NULL)
		return (NULL);
	n = fread(buf, 1, max + 1, fp);
	if (ferror(fp)) {
		fprintf(stderr, "vcpctl: %s: %s\n", label, strerror(errno));
		free(buf);
		return (NULL);
	}
	if (n > max) {
		fprintf(stderr, "vcpctl: %s: larger than %zu bytes\n", label,
		    max);
		free(buf);
		return (NULL);
	}
	buf[n] = '\0';
	*len = n;
	return (buf);
}

static char *
read_bounded(const char *path, size_t max, size_t *len)
{
	FILE	*fp;
	char	*buf;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "vcpctl: %s: %s\n", path, strerror(errno));
		return (NULL);
	}
	buf = read_stream(fp, path, max, len);
	(void)fclose(fp);
	return (buf);
}

static char *
read_file(const char *path, size_t *len)
{
	return (read_bounded(path, FILE_MAX, len));
}

static void
sha256_hex(const void *p, size_t len, char out[65])
{
	uint8_t		h[CRYPTO_SHA256_LEN];

	crypto_sha256(p, len, h);
	crypto_hex(h, sizeof(h), out);
}

static int
cli_audit(struct db *db, const char *action, const char *object)
{
	struct audit_entry	e;

	memset(&e, 0, sizeof(e));
	e.actor_role = "system";
	e.action = action;
	e.object = object;
	e.outcome = "ok";
	e.status = 0;
	e.client = "vcpctl";
	return (audit_append(db, &e));
}

static int
simple(struct db *db, const char *sql)
{
	struct db_stmt	*st;
	int		ok;

	if ((st = db_prepare(db, sql)) == NULL || !db_execute(st))
		return (0);
	ok = 1;
	while (db_fetch(st) == 1)
		;
	db_reset(st);
	return (ok);
}

static int
migration_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* NNN_name.sql, NNN from 001. */
static int
migration_name(const char *name, unsigned int *version)
{
	size_t	len;

	len = strlen(name);
	if (len < 9 || len > 120 || strcmp(name + len - 4, ".sql"))
		return (0);
	if (name[0] < '0' || name[0] > '9' || name[1] < '0' ||
	    name[1] > '9' || name[2] < '0' || name[2] > '9' || name[3] != '_')
		return (0);
	*version = (unsigned int)((name[0] - '0') * 100 +
	    (name[1] - '0') * 10 + (name[2] - '0'));
	return (*version > 0);
}

static int
migration_apply(struct db *db, const char *dir, const char *name,
    unsigned int version)
{
	struct db_stmt	*st;
	char		path[512], sum[65];
	char		*sql;
	size_t		len;
	int		r;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((sql = read_file(path, &len)) == NULL)
		return (0);
	sha256_hex(sql, len, sum);

	if ((st = db_prepare(db, sql_mig_get)) == NULL)
		goto dberr;
	db_bind_i64(st, 0, version);
	if (!db_execute(st) || (r = db_fetch(st)) < 0)
		goto dberr;
	if (r == 1) {
		r = strcmp(db_col_str(st, 0, NULL), sum) == 0;
		db_reset(st);
		free(sql);
		if (!r)
			fprintf(stderr, "vcpctl: %s changed after it was "
			    "applied; add a new migration instead\n", name);
		return (r);
	}
	db_reset(st);

	printf("applying %s\n", name);
	if (!db_exec_script(db, sql, len)) {
		fprintf(stderr, "vcpctl: %s: %s\n", name, db_error(db));
		free(sql);
		return (0);
	}
	free(sql);
	if ((st = db_prepare(db, sql_mig_put)) == NULL)
		goto dberr_nofree;
	db_bind_i64(st, 0, version);
	db_bind_str(st, 1, name);
	db_bind_str(st, 2, sum);
	if (!db_execute(st))
		goto dberr_nofree;
	return (1);

dberr:
	free(sql);
dberr_nofree:
	fprintf(stderr, "vcpctl: migration %s: %s\n", name, db_error(db));
	return (0);
}

static int
grants_apply(struct db *db, const char *dir)
{
	char		path[512], user[160], *sql, *out, *p, *q;
	size_t		len, ulen, n;
	int		ok;

	for (p = vcp_conf.db_user; *p != '\0'; p++) {
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9') &&
		    *p != '_') {
			fprintf(stderr, "vcpctl: db_user must be [a-z0-9_]\n");
			return (0);
		}
	}
	(void)snprintf(path, sizeof(path), "%s/grants.sql", dir);
	if ((sql = read_file(path, &len)) == NULL)
		return (0);
	ulen = (size_t)snprintf(user, sizeof(user), "'%s'@'localhost'",
	    vcp_conf.db_user);
	if ((out = malloc(len * 2 + 4096)) == NULL) {
		free(sql);
		return (0);
	}
	n = 0;
	for (p = sql; (q = strstr(p, "@APP@")) != NULL; p = q + 5) {
		memcpy(out + n, p, (size_t)(q - p));
		n += (size_t)(q - p);
		memcpy(out + n, user, ulen);
		n += ulen;
	}
	memcpy(out + n, p, strlen(p));
	n += strlen(p);
	ok = db_exec_script(db, out, n);
	if (!ok)
		fprintf(stderr, "vcpctl: grants: %s\n", db_error(db));
	free(out);
	free(sql);
	return (ok);
}

/* Returns 1 with the lock held, 0 on a database error or time-out. */
static int
migration_lock(struct db *db, const char *owner)
{
	struct db_stmt	*st;
	struct timespec	nap;
	int		i;

	for (i = 0; i < MIGRATE_WAIT * 4; i++) {
		if ((st = db_prepare(db, sql_mig_lock)) == NULL)
			return (0);
		db_bind_str(st, 0, owner);
		if (db_execute(st))
			return (1);
		if (db_errno(db) != ER_DUP_ENTRY && !db_retryable(db))
			return (0);
		if (i == 0)
			fprintf(stderr, "vcpctl: another migration is running;"
			    " waiting\n");
		if ((st = db_prepare(db, sql_mig_stale)) == NULL ||
		    (!db_execute(st) && !db_retryable(db)))
			return (0);
		nap.tv_sec = 0;
		nap.tv_nsec = 250000000L;
		(void)nanosleep(&nap, NULL);
	}
	fprintf(stderr, "vcpctl: gave up waiting for the other migration\n");
	return (0);
}

static void
migration_unlock(struct db *db, const char *owner)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_mig_unlock)) == NULL)
		return;
	db_bind_str(st, 0, owner);
	(void)db_execute(st);
}

static int
cmd_migrate(void)
{
	struct db	*db;
	struct dirent	*de;
	DIR		*d;
	char		*names[MIGRATIONS_MAX], host[64], owner[128];
	uint8_t		nonce[8];
	char		nhex[17];
	unsigned int	version;
	size_t		n, i;
	int		ok;

	if (gethostname(host, sizeof(host)) != 0)
		(void)snprintf(host, sizeof(host), "?");
	host[sizeof(host) - 1] = '\0';
	if (!crypto_random(nonce, sizeof(nonce)))
		memset(nonce, 0, sizeof(nonce));
	crypto_hex(nonce, sizeof(nonce), nhex);
	(void)snprintf(owner, sizeof(owner), "%s:%ld:%s", host,
	    (long)getpid(), nhex);
	db = connect_admin(DB_MULTI);
	if (!simple(db, sql_mig_table) || !simple(db, sql_mig_lock_table) ||
	    !migration_lock(db, owner)) {
		fprintf(stderr, "vcpctl: %s\n", db_error(db));
		db_close(db);
		return (2);
	}
	if ((d = opendir(vcp_conf.schema_dir)) == NULL) {
		fprintf(stderr, "vcpctl: %s: %s\n", vcp_conf.schema_dir,
		    strerror(errno));
		db_close(db);
		return (2);
	}
	n = 0;
	while ((de = readdir(d)) != NULL && n < MIGRATIONS_MAX) {
		if (migration_name(de->d_name, &version))
			names[n++] = strdup(de->d_name);
	}
	(void)closedir(d);
	qsort(names, n, sizeof(names[0]), migration_cmp);

	ok = 1;
	for (i = 0; i < n; i++) {
		if (ok && migration_name(names[i], &version))
			ok = migration_apply(db, vcp_conf.schema_dir,
			    names[i], version);
		free(names[i]);
	}
	if (ok)
		ok = grants_apply(db, vcp_conf.schema_dir);
	migration_unlock(db, owner);
	db_close(db);
	if (ok)
		printf("schema up to date\n");
	return (ok ? 0 : 1);
}

static int
read_password(char *buf, size_t len)
{
	size_t	n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return (0);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return (1);
}

static int
cmd_account_add(int argc, char **argv)
{
	struct db		*db;
	const char		*role, *login_arg, *name;
	char			login[ACCOUNT_LOGIN_MAX + 1], pw[1024];
	char			hash[256], object[64];
	enum account_check	c;
	int64_t			id;
	int			i, r, tries;

	role = login_arg = name = NULL;
	for (i = 0; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--role"))
			role = argv[i + 1];
		else if (!strcmp(argv[i], "--login"))
			login_arg = argv[i + 1];
		else if (!strcmp(argv[i], "--name"))
			name = argv[i + 1];
		else
			usage();
	}
	if (i != argc || role == NULL || login_arg == NULL)
		usage();
	if (!role_parse(role)) {
		fprintf(stderr, "vcpctl: unknown role '%s' (operator, "
		    "reviewer, supervisor, admin, observer_mps, "
		    "observer_cac)\n", role);
		return (1);
	}
	if ((c = account_login_check(login_arg, strlen(login_arg))) !=
	    ACCOUNT_OK) {
		fprintf(stderr, "vcpctl: login: %s\n",
		    account_check_message(c));
		return (1);
	}
	(void)snprintf(login, sizeof(login), "%s", login_arg);
	account_login_fold(login);
	if (name == NULL)
		name = login;
	if (validate_text(name, strlen(name), ACCOUNT_NAME_MAX, 0) !=
	    VALIDATE_OK) {
		fprintf(stderr, "vcpctl: --name: not a valid name\n");
		return (1);
	}
	if (!read_password(pw, sizeof(pw))) {
		fprintf(stderr, "vcpctl: no password on standard input\n");
		return (1);
	}
	if ((c = account_password_check(pw, strlen(pw), login)) !=
	    ACCOUNT_OK) {
		fprintf(stderr, "vcpctl: password: %s\n",
		    account_check_message(c));
		return (1);
	}
	r = password_hash(pw, strlen(pw), vcp_conf.argon2_t,
	    vcp_conf.argon2_m, hash, sizeof(hash));
	explicit_bzero(pw, sizeof(pw));
	if (!r) {
		fprintf(stderr, "vcpctl: password hashing failed\n");
		return (2);
	}

	db = connect_admin(0);
	tries = 0;
	do {
		r = -1;
		if (!db_begin(db))
			continue;
		r = account_store_create(db, login, role, name, hash, &id);
		if (r == 1) {
			(void)snprintf(object, sizeof(object),
			    "account:%" PRId64, id);
			if (!cli_audit(db, "account.create", object) ||
			    !db_commit(db))
				r = -1;
		}
	} while (r < 0 && db_again(db, &tries));
	if (r != 1)
		(void)db_rollback(db);
	db_close(db);
	if (r == 0) {
		fprintf(stderr, "vcpctl: login '%s' is taken\n", login);
		return (1);
	}
	if (r < 0) {
		fprintf(stderr, "vcpctl: database error\n");
		return (2);
	}
	printf("account %" PRId64 " created: %s (%s)\n", id, login, role);
	return (0);
}

/*
 * Loads a calendar read from a notice file: nothing changes when every
 * year of it was loaded from the same text (sum), else its years are
 * replaced and the load audited, in one transaction.
 */
static int
calendar_load_notice(const char *label, const struct cal_notice *n,
    const char *sum)
{
	struct db	*db;
	char		object[64];
	size_t		i;
	int		ok, computed, tries;

	db = connect_admin(0);
	if (calendar_store_same(db, n, sum)) {
		printf("%s: already loaded\n", label);
		db_close(db);
		return (0);
	}
	(void)snprintf(object, sizeof(object), "calendar:%d", n->years[0]);
	tries = 0;
	do {
		ok = db_begin(db) && calendar_store_save(db, n, sum) &&
		    cli_audit(db, "calendar.load", object) &&
		    deadline_after_load(db, "vcpctl", &computed) &&
		    db_commit(db);
	} while (!ok && db_again(db, &tries));
	if (!ok) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		(void)db_rollback(db);
	} else {
		printf("loaded %s:", label);
		for (i = 0; i < n->nyears; i++)
			printf(" %d", n->years[i]);
		printf(" (%zu days)\n", n->nentries);
		printf("pending deadlines computed: %d\n", computed);
	}
	db_close(db);
	return (ok ? 0 : 2);
}

static int
cmd_calendar_load(const char *path)
{
	struct cal_notice	n;
	char			*text, err[256], sum[65];
	size_t			len;
	int			r;

	if ((text = read_file(path, &len)) == NULL)
		return (1);
	if (!calendar_parse(text, len, &n, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: %s: %s\n", path, err);
		free(text);
		return (1);
	}
	sha256_hex(text, len, sum);
	free(text);
	r = calendar_load_notice(path, &n, sum);
	calendar_notice_free(&n);
	return (r);
}

/*
 * The State Council's notice as published, read into the notice file
 * format; --dry-run prints that file, else it is loaded exactly as
 * `calendar load` would load the printed file.
 */
static int
cmd_calendar_import(int argc, char **argv)
{
	struct cal_notice	n;
	const char		*path, *label;
	char			*text, *out, err[1024], sum[65];
	size_t			len, olen;
	int			i, dry, r;

	path = NULL;
	dry = 0;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry = 1;
		else if (path == NULL)
			path = argv[i];
		else
			usage();
	}
	if (path == NULL)
		usage();
	if (!strcmp(path, "-")) {
		label = "standard input";
		text = read_stream(stdin, label, NOTICE_TEXT_MAX, &len);
	} else {
		label = path;
		text = read_bounded(path, NOTICE_TEXT_MAX, &len);
	}
	if (text == NULL)
		return (2);
	if (!notice_parse(text, len, &n, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: %s: refused: %s\n", label, err);
		free(text);
		return (1);
	}
	free(text);
	out = notice_format(&n, &olen);
	calendar_notice_free(&n);
	if (out == NULL) {
		fprintf(stderr, "vcpctl: out of memory\n");
		return (2);
	}
	/* What `calendar load` reads from the printed file, byte for byte. */
	if (!calendar_parse(out, olen, &n, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: %s: refused: %s\n", label, err);
		free(out);
		return (1);
	}
	if (dry) {
		r = fwrite(out, 1, olen, stdout) == olen && fflush(stdout) == 0 ?
		    0 : 2;
	} else {
		sha256_hex(out, olen, sum);
		r = calendar_load_notice(label, &n, sum);
	}
	calendar_notice_free(&n);
	free(out);
	return (r);
}

/* Adds the checkpoints the ministries hold, each file as received. */
/*
 * The years in force and, as /healthz says it, the year whose notice is
 * overdue.  0 when none is, 1 when one is (for a cron job to mail).
 */
static int
cmd_calendar_status(void)
{
	struct calendar	*cal;
	struct db	*db;
	json_t		*st, *w;
	size_t		i;
	int		r;

	db = connect_admin(0);
	if (!calendar_store_load(db, &cal)) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		db_close(db);
		return (2);
	}
	db_close(db);
	st = calendar_status_json(cal, cal_date_today_cst(time(NULL)));
	calendar_free(cal);
	if (st == NULL)
		return (2);
	printf("loaded years:");
	for (i = 0; i < json_array_size(json_object_get(st, "years")); i++)
		printf(" %lld", (long long)json_integer_value(json_array_get(
		    json_object_get(st, "years"), i)));
	printf("\n");
	r = 0;
	if ((w = json_object_get(st, "warning")) != NULL && json_is_object(w)) {
		printf("warning: %s %lld: %s\n",
		    json_string_value(json_object_get(w, "code")),
		    (long long)json_integer_value(json_object_get(w, "year")),
		    json_string_value(json_object_get(w, "message")));
		r = 1;
	}
	json_decref(st);
	return (r);
}

static int
witness_marks(int argc, char **argv, struct audit_mark **marks, size_t *n)
{
	struct audit_mark	*tmp;
	char			*buf;
	size_t			len;
	int			i, ok;

	for (i = 0; i < argc; i++) {
		if ((buf = read_file(argv[i], &len)) == NULL)
			return (0);
		tmp = reallocarray(*marks, *n + 1, sizeof(**marks));
		if (tmp == NULL) {
			free(buf);
			return (0);
		}
		*marks = tmp;
		ok = audit_checkpoint_read(buf, len, &tmp[*n].id,
		    tmp[*n].hash);
		free(buf);
		if (!ok) {
			fprintf(stderr, "vcpctl: %s: not a checkpoint signed "
			    "by this portal\n", argv[i]);
			return (0);
		}
		(void)snprintf(tmp[*n].source, sizeof(tmp[*n].source), "%s",
		    argv[i]);
		(*n)++;
	}
	return (1);
}

/*
 * Checks the chain, its head, every checkpoint in the database and every
 * checkpoint file given (as MPS or CAC received them).
 */
static int
cmd_audit_verify(int argc, char **argv)
{
	struct audit_mark	*marks;
	struct db		*db;
	char			report[1024], err[512];
	uint64_t		count;
	size_t			n;
	int			r;

	if (argc > 0 && !sign_init(vcp_conf.sign_key_file,
	    vcp_conf.sign_cert_file, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: signing key: %s\n", err);
		return (2);
	}
	db = connect_admin(0);
	/* What has committed is checked too; an altered head stays as is. */
	(void)audit_seal(db, report, sizeof(report));
	marks = NULL;
	n = 0;
	if (!audit_checkpoint_marks(db, &marks, &n)) {
		fprintf(stderr, "vcpctl: database error\n");
		db_close(db);
		free(marks);
		return (2);
	}
	if (!witness_marks(argc, argv, &marks, &n)) {
		db_close(db);
		free(marks);
		return (2);
	}
	r = audit_verify(db, marks, n, &count, report, sizeof(report));
	db_close(db);
	free(marks);
	if (r < 0) {
		fprintf(stderr, "vcpctl: database error\n");
		return (2);
	}
	printf("%s: %s\n", r == 1 ? "OK" : "BROKEN", report);
	return (r == 1 ? 0 : 1);
}

/* A checkpoint now, whatever the interval: for MPS and CAC to keep. */
static int
cmd_audit_checkpoint(void)
{
	struct db	*db;
	char		err[512];
	uint64_t	row;
	int		r, tries;

	if (!seal_init(vcp_conf.data_key_file, err, sizeof(err)) ||
	    !sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err))) {
		fprintf(stderr, "vcpctl: %s\n", err);
		return (2);
	}
	db = connect_admin(0);
	tries = 0;
	do {
		r = -1;
		if (audit_seal(db, err, sizeof(err)) >= 0 && db_begin(db) &&
		    cli_audit(db, "audit.checkpoint", "audit"))
			r = audit_checkpoint(db, 1, 0, &row);
		if (r == 1 && !db_commit(db))
			r = -1;
	} while (r != 1 && db_again(db, &tries));
	if (r != 1) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		(void)db_rollback(db);
		db_close(db);
		return (2);
	}
	db_close(db);
	printf("checkpoint of row %llu queued for MPS and CAC\n",
	    (unsigned long long)row);
	return (0);
}

/*
 * Links every committed record waiting in the queue into the chain now,
 * as vcpnotifyd does on each round.
 */
static int
cmd_audit_seal(void)
{
	struct db	*db;
	char		report[512];
	int64_t		n;

	db = connect_admin(0);
	n = audit_seal(db, report, sizeof(report));
	db_close(db);
	if (n < 0) {
		fprintf(stderr, "vcpctl: not sealed: %s\n", report[0] != '\0' ?
		    report : "database error");
		return (report[0] != '\0' ? 1 : 2);
	}
	printf("%lld records sealed\n", (long long)n);
	return (0);
}

/* Prints the certificate receivers verify our signatures with. */
static int
cmd_cert(void)
{
	char	*pem;
	size_t	len;

	if ((pem = read_file(vcp_conf.sign_cert_file, &len)) == NULL) {
		fprintf(stderr, "vcpctl: no certificate yet: it is created "
		    "when the server first starts\n");
		return (1);
	}
	fwrite(pem, 1, len, stdout);
	free(pem);
	return (0);
}

static int
cmd_receipts_purge(int argc, char **argv)
{
	struct db	*db;
	const char	*before;
	char		cutoff[16], object[64];
	uint64_t	n;
	int32_t		day;
	int		ok, tries;

	before = NULL;
	if (argc == 2 && !strcmp(argv[0], "--before"))
		before = argv[1];
	else if (argc != 0)
		usage();
	if (before != NULL && !cal_date_parse(before, strlen(before), &day)) {
		fprintf(stderr, "vcpctl: --before: not a YYYY-MM-DD date\n");
		return (1);
	}
	db = connect_admin(0);
	tries = 0;
	do {
		ok = db_begin(db) && filing_store_purge_receipts(db, before,
		    cutoff, sizeof(cutoff), &n);
		(void)snprintf(object, sizeof(object), "receipts:<%s",
		    cutoff);
		ok = ok && cli_audit(db, "receipts.purge", object) &&
		    db_commit(db);
	} while (!ok && db_again(db, &tries));
	if (!ok) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		(void)db_rollback(db);
		db_close(db);
		return (2);
	}
	db_close(db);
	if (before != NULL && strcmp(cutoff, before) < 0)
		printf("kept receipts younger than six months: cutoff %s, "
		    "not %s\n", cutoff, before);
	printf("purged %llu receipts received before %s\n",
	    (unsigned long long)n, cutoff);
	return (0);
}

/*
 * One e-mail on standard input, as a mail server's delivery command
 * pipes it: filed as a tip-off.  Exit 1 for a message refused (too big,
 * not a message with a sender, no text), 2 for an error: a mail server
 * bounces the first and retries the second.  The receipt code goes to
 * standard output only, for the delivery wrapper to mail back
 * (docs/operations.md); no log sees it.
 */
static int
cmd_tipoff_import(int argc, char **argv)
{
	struct tipoff_mail		m;
	struct tipoff_mail_filed	filed;
	struct tipoff_receipt		out;
	enum tipoff_mail_result		mr;
	enum tipoff_result		r;
	struct db			*db;
	const char			*category;
	char				*buf, object[64], err[256];
	size_t				len;
	int				ok, tries;

	/*
	 * The category comes from the address the reporter wrote to
	 * (tipoff+NAME@, the mail server's extension): none, or one that
	 * is not a category, files the mail as "other" rather than lose it.
	 */
	category = "other";
	if (argc == 2 && !strcmp(argv[0], "--category")) {
		if (tipoff_category_valid(argv[1]))
			category = argv[1];
	} else if (argc != 0)
		usage();
	if ((buf = malloc(TIPOFF_MAIL_MAX + 1)) == NULL)
		return (2);
	len = fread(buf, 1, TIPOFF_MAIL_MAX + 1, stdin);
	if (ferror(stdin)) {
		fprintf(stderr, "vcpctl: stdin: %s\n", strerror(errno));
		free(buf);
		return (2);
	}
	if (len > TIPOFF_MAIL_MAX) {
		fprintf(stderr, "vcpctl: refused: the message is larger than "
		    "%d bytes\n", TIPOFF_MAIL_MAX);
		free(buf);
		return (1);
	}
	mr = tipoff_mail_parse(buf, len, &m);
	free(buf);
	if (mr != TIPOFF_MAIL_OK) {
		tipoff_mail_free(&m);
		if (mr == TIPOFF_MAIL_ERROR)
			return (2);
		fprintf(stderr, "vcpctl: refused: %s\n",
		    mr == TIPOFF_MAIL_NOT_MIME ? "not an e-mail message with "
		    "a sender" : "the message has no text");
		return (1);
	}
	/* The acknowledgement is signed as the web form's is. */
	if (!seal_init(vcp_conf.data_key_file, err, sizeof(err)) ||
	    !sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err))) {
		fprintf(stderr, "vcpctl: keys: %s\n", err);
		tipoff_mail_free(&m);
		return (2);
	}
	memset(&out, 0, sizeof(out));
	db = connect_admin(0);
	tries = 0;
	do {
		free(out.ack);
		memset(&out, 0, sizeof(out));
		ok = db_begin(db);
		r = ok ? tipoff_intake_mail(db, &m, category, &out, &filed) :
		    TIPOFF_ERROR;
		if (r == TIPOFF_OK) {
			(void)snprintf(object, sizeof(object), "tipoff:%lld",
			    (long long)out.id);
			ok = cli_audit(db, "tipoffs.import", object) &&
			    db_commit(db);
		}
	} while ((r != TIPOFF_OK || !ok) && db_again(db, &tries));
	tipoff_mail_free(&m);
	if (r != TIPOFF_OK || !ok) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		(void)db_rollback(db);
		db_close(db);
		free(out.ack);
		return (2);
	}
	db_close(db);
	printf("reference %s\nreceipt_code %s\nevidence %zu\nrefused %zu\n",
	    out.reference, out.code, filed.evidence, filed.refused);
	explicit_bzero(out.code, sizeof(out.code));
	free(out.ack);
	return (0);
}

/*
 * Deletes closed cases decided before the cutoff (today less
 * tipoff_retention_days, or --before), with their evidence, messages
 * and sessions; never one received in the last six months (2021
 * regulation Art. 5), whatever --before says.  Each case is audited.
 */
static int
cmd_tipoffs_purge(int argc, char **argv)
{
	struct db	*db;
	const char	*before;
	char		cutoff[16], floor[16], object[64];
	json_t		*done, *v;
	size_t		i;
	int32_t		day;
	int		ok, tries;

	before = NULL;
	if (argc == 2 && !strcmp(argv[0], "--before"))
		before = argv[1];
	else if (argc != 0)
		usage();
	if (before != NULL && !cal_date_parse(before, strlen(before), &day)) {
		fprintf(stderr, "vcpctl: --before: not a YYYY-MM-DD date\n");
		return (1);
	}
	if ((done = json_array()) == NULL)
		return (2);
	db = connect_admin(0);
	tries = 0;
	do {
		(void)json_array_clear(done);
		ok = db_begin(db) && tipoff_intake_store_cutoffs(db, before,
		    vcp_conf.tipoff_retention_days, cutoff, sizeof(cutoff),
		    floor, sizeof(floor)) &&
		    tipoff_intake_store_purge(db, cutoff, floor, done);
		json_array_foreach(done, i, v) {
			(void)snprintf(object, sizeof(object), "tipoff:%lld",
			    (long long)json_integer_value(
			    json_object_get(v, "id")));
			ok = ok && cli_audit(db, "tipoffs.purge_case", object);
		}
		(void)snprintf(object, sizeof(object), "tipoffs:<%s", cutoff);
		ok = ok && cli_audit(db, "tipoffs.purge", object) &&
		    db_commit(db);
	} while (!ok && db_again(db, &tries));
	if (!ok) {
		fprintf(stderr, "vcpctl: database error: %s\n", db_error(db));
		(void)db_rollback(db);
		db_close(db);
		json_decref(done);
		return (2);
	}
	db_close(db);
	json_array_foreach(done, i, v)
		printf("purged %s\n", json_string_value(json_object_get(v,
		    "reference")));
	printf("purged %zu closed tip-offs decided before %s; kept every one "
	    "received on or after %s\n", json_array_size(done), cutoff, floor);
	json_decref(done);
	return (0);
}

static const char *
jstr(const json_t *row, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(row, key));
	return (s != NULL ? s : "-");
}

/*
 * The newest 500 outbox rows, with what a receiver answered.  Answers are
 * sealed: they are shown only where the data key can be read, and the key
 * is never created here (that would make a second, wrong key).
 */
static int
cmd_notifications_list(int argc, char **argv)
{
	struct db	*db;
	json_t		*rows, *row, *v;
	const char	*status, *sealed;
	char		err[256], http[8], note[64], *text;
	size_t		i;
	int		can_open, ok;

	status = NULL;
	if (argc == 2 && !strcmp(argv[0], "--status"))
		status = argv[1];
	else if (argc != 0)
		usage();
	if (status != NULL && strcmp(status, "pending") &&
	    strcmp(status, "delivered") && strcmp(status, "rejected")) {
		fprintf(stderr, "vcpctl: --status: pending, delivered or "
		    "rejected\n");
		return (1);
	}
	can_open = access(vcp_conf.data_key_file, R_OK) == 0 &&
	    seal_init(vcp_conf.data_key_file, err, sizeof(err));
	db = connect_admin(0);
	rows = json_array();
	ok = notify_store_list(db, status, rows);
	db_close(db);
	if (!ok) {
		fprintf(stderr, "vcpctl: database error\n");
		json_decref(rows);
		return (2);
	}
	printf("%-9s %-4s %-9s %-4s %-13s %-9s %-5s %-4s %-20s %s\n", "ID",
	    "TO", "SUBJECT", "SEQ", "EVENT", "STATUS", "TRIES", "HTTP",
	    "CREATED", "NOTE");
	json_array_foreach(rows, i, row) {
		v = json_object_get(row, "answer_status");
		if (json_is_integer(v))
			(void)snprintf(http, sizeof(http), "%"
			    JSON_INTEGER_FORMAT, json_integer_value(v));
		else
			(void)snprintf(http, sizeof(http), "-");
		note[0] = '\0';
		v = json_object_get(row, "blocked_by");
		if (json_is_integer(v))
			(void)snprintf(note, sizeof(note), "waits behind %"
			    JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (!strcmp(jstr(row, "status"), "rejected"))
			(void)snprintf(note, sizeof(note), "holds back %"
			    JSON_INTEGER_FORMAT " later event(s)",
			    json_integer_value(json_object_get(row,
			    "blocking")));
		printf("%-9" JSON_INTEGER_FORMAT " %-4s %-9" JSON_INTEGER_FORMAT
		    " %-4" JSON_INTEGER_FORMAT " %-13s %-9s %-5"
		    JSON_INTEGER_FORMAT " %-4s %-20s %s\n",
		    json_integer_value(json_object_get(row, "id")),
		    jstr(row, "recipient"),
		    json_integer_value(json_object_get(row, "subject_id")),
		    json_integer_value(json_object_get(row, "sequence")),
		    jstr(row, "event"), jstr(row, "status"),
		    json_integer_value(json_object_get(row, "attempts")), http,
		    jstr(row, "created_at"), note);
		if ((sealed = json_string_value(json_object_get(row,
		    "answer"))) == NULL)
			continue;
		/* The stored answer is one printable line (vcpnotifyd). */
		text = can_open ? unseal(sealed) : NULL;
		printf("          answer: %s\n", text != NULL ? text :
		    "(sealed: the data key cannot be read here)");
		free(text);
	}
	json_decref(rows);
	return (0);
}

/* Like a supervisor's POST /api/v1/notifications/{id}/retry. */
static int
cmd_notifications_resend(const char *arg)
{
	struct db	*db;
	char		before[16], object[64];
	int64_t		id;
	int		r, tries;

	if (!id_parse(arg, &id)) {
		fprintf(stderr, "vcpctl: not a notification id: %s\n", arg);
		return (1);
	}
	db = connect_admin(0);
	tries = 0;
	do {
		r = -1;
		if (!db_begin(db))
			continue;
		r = notify_store_retry(db, id, before, sizeof(before));
		if (r == 1 && strcmp(before, "delivered") == 0)
			r = 2;
		if (r == 1) {
			(void)snprintf(object, sizeof(object),
			    "notification:%lld", (long long)id);
			if (!cli_audit(db, "notification.retry", object) ||
			    !db_commit(db))
				r = -1;
		}
	} while (r < 0 && db_again(db, &tries));
	if (r != 1)
		(void)db_rollback(db);
	db_close(db);
	if (r < 0) {
		fprintf(stderr, "vcpctl: database error\n");
		return (2);
	}
	if (r != 1) {
		fprintf(stderr, "vcpctl: notification %lld %s\n",
		    (long long)id,
		    r == 0 ? "does not exist" : "is already delivered");
		return (1);
	}
	printf("notification %lld (%s) is pending again, due now\n",
	    (long long)id, before);
	return (0);
}

/*
 * Made-up filings for `make bench` (src/filing/filing_seed.c), on an
 * empty database only.
 */
static int
cmd_seed(int argc, char **argv)
{
	struct db	*db;
	char		err[512];
	int64_t		filings, drafts;
	int		r;

	if (argc < 3 || argc > 4 || strcmp(argv[0], "--owner") != 0 ||
	    !id_parse_range(argv[2], 1, 1000000, &filings))
		usage();
	drafts = 0;
	if (argc == 4 && !id_parse_range(argv[3], 0, 1000000, &drafts))
		usage();
	if (!seal_init(vcp_conf.data_key_file, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: data key: %s\n", err);
		return (2);
	}
	db = connect_admin(0);
	r = filing_seed(db, argv[1], (uint32_t)filings, (uint32_t)drafts);
	if (r < 0)
		fprintf(stderr, "vcpctl: seed: the database holds filings "
		    "already\n");
	else if (r == 0)
		fprintf(stderr, "vcpctl: seed: %s\n", db_error(db));
	db_close(db);
	return (r == 1 ? 0 : 1);
}

int
main(int argc, char **argv)
{
	char	err[512];
	int	r;

	if (argc < 2)
		usage();
	if (!config_load(config_path(), &vcp_conf, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: %s\n", err);
		return (2);
	}
	if (mysql_library_init(0, NULL, NULL) != 0)
		return (2);
	/* Every command but cert writes or checks the audit chain. */
	if (strcmp(argv[1], "cert") != 0 &&
	    !audit_init(vcp_conf.audit_key_file, err, sizeof(err))) {
		fprintf(stderr, "vcpctl: audit key: %s\n", err);
		return (2);
	}

	if (!strcmp(argv[1], "migrate") && argc == 2)
		r = cmd_migrate();
	else if (argc >= 3 && !strcmp(argv[1], "account") &&
	    !strcmp(argv[2], "add"))
		r = cmd_account_add(argc - 3, argv + 3);
	else if (argc == 4 && !strcmp(argv[1], "calendar") &&
	    !strcmp(argv[2], "load"))
		r = cmd_calendar_load(argv[3]);
	else if (argc == 3 && !strcmp(argv[1], "calendar") &&
	    !strcmp(argv[2], "status"))
		r = cmd_calendar_status();
	else if (argc >= 4 && !strcmp(argv[1], "calendar") &&
	    !strcmp(argv[2], "import-notice"))
		r = cmd_calendar_import(argc - 3, argv + 3);
	else if (argc == 2 && !strcmp(argv[1], "cert"))
		r = cmd_cert();
	else if (argc >= 2 && !strcmp(argv[1], "seed"))
		r = cmd_seed(argc - 2, argv + 2);
	else if (argc >= 3 && !strcmp(argv[1], "receipts") &&
	    !strcmp(argv[2], "purge"))
		r = cmd_receipts_purge(argc - 3, argv + 3);
	else if (argc >= 3 && !strcmp(argv[1], "tipoff") &&
	    !strcmp(argv[2], "import"))
		r = cmd_tipoff_import(argc - 3, argv + 3);
	else if (argc >= 3 && !strcmp(argv[1], "tipoffs") &&
	    !strcmp(argv[2], "purge"))
		r = cmd_tipoffs_purge(argc - 3, argv + 3);
	else if (argc >= 3 && !strcmp(argv[1], "notifications") &&
	    !strcmp(argv[2], "list"))
		r = cmd_notifications_list(argc - 3, argv + 3);
	else if (argc == 4 && !strcmp(argv[1], "notifications") &&
	    !strcmp(argv[2], "resend"))
		r = cmd_notifications_resend(argv[3]);
	else if (argc >= 3 && !strcmp(argv[1], "audit") &&
	    !strcmp(argv[2], "verify"))
		r = cmd_audit_verify(argc - 3, argv + 3);
	else if (argc == 3 && !strcmp(argv[1], "audit") &&
	    !strcmp(argv[2], "checkpoint"))
		r = cmd_audit_checkpoint();
	else if (argc == 3 && !strcmp(argv[1], "audit") &&
	    !strcmp(argv[2], "seal"))
		r = cmd_audit_seal();
	else
		usage();

	mysql_library_end();
	return (r);
}
