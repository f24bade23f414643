/*
 * MariaDB access through prepared statements only.  Every value reaches
 * the server as a bound parameter; no SQL is ever built from input.
 *
 * Results are buffered (mysql_stmt_store_result) so a statement can be
 * re-executed while the caller still walks the rows of another, and every
 * column is fetched as text: the store layer converts, which keeps this
 * file small and the binding rules in one place.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "config.h"
#include "db/db.h"

#define DB_PARAMS_MAX		64
#define DB_COLS_MAX		64
/*
 * Prepared statements are kept per connection, found by the address of
 * their SQL text.  A connection holds about a hundred; walking one list
 * of them (each entry several KiB, the link far from the key) cost a
 * cache miss per entry on every statement, 2 % of a worker's time on the
 * write path (issue 12).
 */
#define DB_STMT_BUCKETS		64
#define DB_COL_INITIAL		64

struct db_col {
	char		*buf;
	unsigned long	cap;
	unsigned long	len;
	my_bool		isnull;
	my_bool		error;
};

struct db_stmt {
	const char		*sql;
	struct db_stmt		*next;
	MYSQL_STMT		*stmt;
	struct db		*db;
	unsigned int		nparams;
	MYSQL_BIND		params[DB_PARAMS_MAX];
	long long		ints[DB_PARAMS_MAX];
	unsigned long		lens[DB_PARAMS_MAX];
	my_bool			nulls[DB_PARAMS_MAX];
	unsigned int		ncols;
	MYSQL_BIND		binds[DB_COLS_MAX];
	struct db_col		cols[DB_COLS_MAX];
	int			has_result;
};

struct db {
	MYSQL			*my;
	struct db_stmt		*stmts[DB_STMT_BUCKETS];
	unsigned int		err;
	int			broken;
	int			in_txn;		/* db_begin, not yet ended */
	int			doomed;		/* rolled back by the server */
	char			clock[32];	/* db_clock_hold, or "" */
};

struct db *
db_connect(const struct vcp_config *c, int flags, char *err, size_t errlen)
{
	struct db	*db;
	unsigned int	timeout;
	unsigned long	cflags;
	const char	*user, *pass;
	my_bool		off;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if ((db->my = mysql_init(NULL)) == NULL) {
		free(db);
		(void)snprintf(err, errlen, "mysql_init failed");
		return (NULL);
	}

	timeout = (unsigned int)c->db_timeout;
	off = 0;
	(void)mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	(void)mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &timeout);
	(void)mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	(void)mysql_options(db->my, MYSQL_OPT_RECONNECT, &off);
	(void)mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Strict mode and UTC for every session, whatever the server says. */
	(void)mysql_options(db->my, MYSQL_INIT_COMMAND,
	    "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
	    "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
	    "NO_ENGINE_SUBSTITUTION', time_zone='+00:00',"
	    " tx_isolation='READ-COMMITTED'");

	if (flags & DB_ADMIN) {
		user = c->db_admin_user;
		pass = c->db_admin_password;
	} else {
		user = c->db_user;
		pass = c->db_password;
	}
	cflags = CLIENT_FOUND_ROWS;
	if (flags & DB_MULTI)
		cflags |= CLIENT_MULTI_STATEMENTS;

	if (mysql_real_connect(db->my, NULL, user, pass, c->db_name, 0,
	    c->db_socket, cflags) == NULL) {
		(void)snprintf(err, errlen, "connect to %s as %s: %s",
		    c->db_socket, user, mysql_error(db->my));
		mysql_close(db->my);
		free(db);
		return (NULL);
	}
	return (db);
}

static void
db_stmt_free(struct db_stmt *st)
{
	unsigned int	i;

	for (i = 0; i < st->ncols; i++)
		free(st->cols[i].buf);
	if (st->stmt != NULL)
		(void)mysql_stmt_close(st->stmt);
	free(st);
}

void
db_close(struct db *db)
{
	struct db_stmt	*st, *next;
	size_t		i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_STMT_BUCKETS; i++) {
		for (st = db->stmts[i]; st != NULL; st = next) {
			next = st->next;
			db_stmt_free(st);
		}
	}
	mysql_close(db->my);
	free(db);
}

/*
 * Remember the last error; a lost connection marks the handle broken so
 * the pool throws it away and opens a new one for the next job.
 */
static void
db_note(struct db *db, unsigned int e)
{
	db->err = e;
	/*
	 * A deadlock, or on a Galera cluster a transaction aborted by a
	 * write set from another node, has rolled the whole transaction
	 * back already: the session is out of it, and every statement
	 * after would commit on its own.  Nothing more runs, and COMMIT
	 * fails, until the caller rolls back or begins anew.
	 */
	if (e == ER_LOCK_DEADLOCK && db->in_txn)
		db->doomed = 1;
	if (e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST ||
	    e == CR_CONNECTION_ERROR || e == CR_COMMANDS_OUT_OF_SYNC ||
	    e == ER_CONNECTION_KILLED)
		db->broken = 1;
}

int
db_alive(struct db *db)
{
	return (db != NULL && !db->broken);
}

int
db_ping(struct db *db)
{
	if (mysql_ping(db->my) != 0) {
		db_note(db, mysql_errno(db->my));
		return (0);
	}
	return (1);
}

unsigned int
db_errno(struct db *db)
{
	return (db->err);
}

/*
 * Deadlocks and lock wait time-outs: the transaction may simply be rerun.
 * On a Galera cluster a write set that loses certification to another
 * node's is a deadlock too (1213), at any statement or at COMMIT.
 */
int
db_retryable(struct db *db)
{
	return (db->err == ER_LOCK_DEADLOCK ||
	    db->err == ER_LOCK_WAIT_TIMEOUT);
}

/*
 * The server is there but serves no queries: a Galera node that is not
 * part of the primary component, or still joining (1047, "WSREP has not
 * yet prepared node for application use"), or the connection is gone.
 * Nothing was done; another host, or a later try, can do it.
 */
int
db_unavailable(struct db *db)
{
	return (db == NULL || db->broken || db->err == ER_UNKNOWN_COM_ERROR);
}

/*
 * After a failed transaction: rolls it back and says whether to run it
 * again from its start (*tries counts the runs).  Only a retryable
 * failure leaves nothing behind to trip over; a short random pause lets
 * the transaction that won finish before this one runs again.
 */
int
db_again(struct db *db, int *tries)
{
	struct timespec	nap;
	int		retry;

	retry = db_retryable(db);
	if (!db_rollback(db) || !retry || ++*tries >= DB_TRIES)
		return (0);
	nap.tv_sec = 0;
	nap.tv_nsec = (long)(1 + random() % (5 * *tries)) * 1000000L;
	(void)nanosleep(&nap, NULL);
	return (1);
}

const char *
db_error(struct db *db)
{
	return (mysql_error(db->my));
}

static int
db_simple(struct db *db, const char *sql)
{
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0) {
		db_note(db, mysql_errno(db->my));
		return (0);
	}
	return (1);
}

/*
 * A statement of a transaction ran outside it: the server ended the
 * transaction without saying so to us (on a Galera cluster, a write set
 * from another node can abort a transaction between two statements, and
 * the error may go to a command that carries none).  The statement has
 * committed on its own; nothing more may, so the rest is refused as for
 * a deadlock and the caller runs the whole transaction again.
 */
static int
db_lost_txn(struct db *db)
{
	if (!db->in_txn || (db->my->server_status & SERVER_STATUS_IN_TRANS))
		return (0);
	db->doomed = 1;
	db->err = ER_LOCK_DEADLOCK;
	return (1);
}

/* Refuses a statement of a transaction the server has rolled back. */
static int
db_doomed(struct db *db)
{
	if (!db->doomed)
		return (0);
	db->err = ER_LOCK_DEADLOCK;
	return (1);
}

int
db_begin(struct db *db)
{
	/* What failed before belongs to another transaction. */
	db->err = 0;
	db->doomed = 0;
	db->in_txn = db_simple(db, "START TRANSACTION");
	return (db->in_txn);
}

/*
 * The transaction a statement just run opened (a procedure that ends with
 * START TRANSACTION, schema/024_session_check.sql), taken as db_begin's:
 * 0 when the server says none is open.
 */
int
db_began(struct db *db)
{
	db->err = 0;
	db->doomed = 0;
	db->in_txn = (db->my->server_status & SERVER_STATUS_IN_TRANS) != 0;
	return (db->in_txn);
}

int
db_in_txn(struct db *db)
{
	return (db->in_txn);
}

/* A failed COMMIT leaves the transaction to the caller's rollback. */
int
db_commit(struct db *db)
{
	if (db_doomed(db) || !db_simple(db, "COMMIT"))
		return (0);
	db->in_txn = 0;
	return (1);
}

int
db_rollback(struct db *db)
{
	db->doomed = 0;
	db->in_txn = 0;
	return (db_simple(db, "ROLLBACK"));
}

/* Migration scripts only: run a trusted file of statements from schema/. */
int
db_exec_script(struct db *db, const char *sql, size_t len)
{
	MYSQL_RES	*res;
	int		status;

	if (mysql_real_query(db->my, sql, len) != 0) {
		db_note(db, mysql_errno(db->my));
		return (0);
	}
	do {
		if ((res = mysql_store_result(db->my)) != NULL)
			mysql_free_result(res);
		if ((status = mysql_next_result(db->my)) > 0) {
			db_note(db, mysql_errno(db->my));
			return (0);
		}
	} while (status == 0);
	return (1);
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	struct db_stmt	*st, **head;

	/*
	 * The texts are the program's static strings: their addresses,
	 * without the low bits alignment leaves alike, spread them.
	 */
	head = &db->stmts[((uintptr_t)sql >> 4) % DB_STMT_BUCKETS];
	for (st = *head; st != NULL; st = st->next) {
		if (st->sql == sql) {
			db_reset(st);
			return (st);
		}
	}

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (NULL);
	st->sql = sql;
	st->db = db;
	if ((st->stmt = mysql_stmt_init(db->my)) == NULL) {
		free(st);
		return (NULL);
	}
	if (mysql_stmt_prepare(st->stmt, sql, strlen(sql)) != 0) {
		db_note(db, mysql_stmt_errno(st->stmt));
		db_stmt_free(st);
		return (NULL);
	}
	st->nparams = mysql_stmt_param_count(st->stmt);
	if (st->nparams > DB_PARAMS_MAX) {
		db_stmt_free(st);
		return (NULL);
	}
	st->next = *head;
	*head = st;
	return (st);
}

static MYSQL_BIND *
db_param(struct db_stmt *st, int idx)
{
	MYSQL_BIND	*b;

	if (idx < 0 || (unsigned int)idx >= st->nparams)
		return (NULL);
	b = &st->params[idx];
	memset(b, 0, sizeof(*b));
	st->nulls[idx] = 0;
	b->is_null = &st->nulls[idx];
	b->length = &st->lens[idx];
	return (b);
}

void
db_bind_i64(struct db_stmt *st, int idx, int64_t v)
{
	MYSQL_BIND	*b;

	if ((b = db_param(st, idx)) == NULL)
		return;
	st->ints[idx] = v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &st->ints[idx];
}

void
db_bind_strn(struct db_stmt *st, int idx, const char *s, size_t len)
{
	MYSQL_BIND	*b;

	if ((b = db_param(st, idx)) == NULL)
		return;
	if (s == NULL) {
		db_bind_null(st, idx);
		return;
	}
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)(uintptr_t)s;
	b->buffer_length = len;
	st->lens[idx] = len;
}

void
db_bind_str(struct db_stmt *st, int idx, const char *s)
{
	db_bind_strn(st, idx, s, s == NULL ? 0 : strlen(s));
}

void
db_bind_blob(struct db_stmt *st, int idx, const void *p, size_t len)
{
	MYSQL_BIND	*b;

	if ((b = db_param(st, idx)) == NULL)
		return;
	b->buffer_type = MYSQL_TYPE_BLOB;
	b->buffer = (void *)(uintptr_t)p;
	b->buffer_length = len;
	st->lens[idx] = len;
}

void
db_bind_null(struct db_stmt *st, int idx)
{
	MYSQL_BIND	*b;

	if ((b = db_param(st, idx)) == NULL)
		return;
	b->buffer_type = MYSQL_TYPE_NULL;
	st->nulls[idx] = 1;
}

static int
db_bind_result(struct db_stmt *st, MYSQL_RES *meta)
{
	MYSQL_FIELD	*f;
	struct db_col	*c;
	unsigned int	i;
	unsigned long	want;

	st->ncols = mysql_num_fields(meta);
	if (st->ncols > DB_COLS_MAX)
		return (0);
	f = mysql_fetch_fields(meta);
	memset(st->binds, 0, sizeof(st->binds));
	for (i = 0; i < st->ncols; i++) {
		c = &st->cols[i];
		want = f[i].max_length + 1;
		if (want < DB_COL_INITIAL)
			want = DB_COL_INITIAL;
		if (c->cap < want) {
			free(c->buf);
			if ((c->buf = malloc(want)) == NULL) {
				c->cap = 0;
				return (0);
			}
			c->cap = want;
		}
		st->binds[i].buffer_type = MYSQL_TYPE_STRING;
		st->binds[i].buffer = c->buf;
		st->binds[i].buffer_length = c->cap - 1;
		st->binds[i].length = &c->len;
		st->binds[i].is_null = &c->isnull;
		st->binds[i].error = &c->error;
	}
	return (mysql_stmt_bind_result(st->stmt, st->binds) == 0);
}

/* Binds and runs a statement of a transaction not yet doomed. */
static int
db_send(struct db_stmt *st)
{
	if (db_doomed(st->db))
		return (0);
	if ((st->nparams > 0 &&
	    mysql_stmt_bind_param(st->stmt, st->params) != 0) ||
	    mysql_stmt_execute(st->stmt) != 0) {
		db_note(st->db, mysql_stmt_errno(st->stmt));
		return (0);
	}
	return (1);
}

/*
 * A CALL ends with the procedure's own status, after its rows: read it
 * (and any further result), or the connection's next command is out of
 * sync.
 */
static void
db_drain(struct db_stmt *st)
{
	int	r;

	while (mysql_stmt_more_results(st->stmt)) {
		if ((r = mysql_stmt_next_result(st->stmt)) != 0) {
			if (r > 0)
				db_note(st->db, mysql_stmt_errno(st->stmt));
			break;
		}
		(void)mysql_stmt_free_result(st->stmt);
	}
}

int
db_execute(struct db_stmt *st)
{
	MYSQL_RES	*meta;
	my_bool		on;
	int		ok;

	if (!db_send(st))
		return (0);
	if ((meta = mysql_stmt_result_metadata(st->stmt)) == NULL)
		return (!db_lost_txn(st->db));

	on = 1;
	(void)mysql_stmt_attr_set(st->stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (mysql_stmt_store_result(st->stmt) != 0) {
		mysql_free_result(meta);
		goto fail;
	}
	/* max_length is known only after store_result. */
	mysql_free_result(meta);
	meta = mysql_stmt_result_metadata(st->stmt);
	ok = meta != NULL && db_bind_result(st, meta);
	if (meta != NULL)
		mysql_free_result(meta);
	if (!ok || db_lost_txn(st->db)) {
		(void)mysql_stmt_free_result(st->stmt);
		db_drain(st);
		return (0);
	}
	st->has_result = 1;
	return (1);

fail:
	db_note(st->db, mysql_stmt_errno(st->stmt));
	return (0);
}

/*
 * A CALL of a procedure that ends the transaction with its own COMMIT
 * (schema/023_audit_commit.sql): the last write and the commit in one
 * round trip.  No result set.  The procedure refuses to run outside a
 * transaction, which stands in for db_lost_txn's check: the server's
 * status after it says no transaction whether it committed or not.
 */
int
db_execute_commit(struct db_stmt *st)
{
	if (!db_send(st))
		return (0);
	st->db->in_txn = 0;
	return (1);
}

/* Returns 1 for a row, 0 at the end, -1 on error. */
int
db_fetch(struct db_stmt *st)
{
	struct db_col	*c;
	unsigned int	i;
	int		r;
	char		*nb;

	if (!st->has_result)
		return (0);
	r = mysql_stmt_fetch(st->stmt);
	if (r == MYSQL_NO_DATA)
		return (0);
	if (r == 1) {
		db_note(st->db, mysql_stmt_errno(st->stmt));
		return (-1);
	}
	for (i = 0; i < st->ncols; i++) {
		c = &st->cols[i];
		if (c->isnull || c->len < c->cap)
			continue;
		/* Truncated: grow the buffer and fetch the column again. */
		if ((nb = realloc(c->buf, c->len + 1)) == NULL)
			return (-1);
		c->buf = nb;
		c->cap = c->len + 1;
		st->binds[i].buffer = c->buf;
		st->binds[i].buffer_length = c->len;
		if (mysql_stmt_fetch_column(st->stmt, &st->binds[i], i, 0))
			return (-1);
	}
	for (i = 0; i < st->ncols; i++) {
		c = &st->cols[i];
		if (!c->isnull)
			c->buf[c->len] = '\0';
	}
	return (1);
}

void
db_reset(struct db_stmt *st)
{
	if (st->has_result) {
		(void)mysql_stmt_free_result(st->stmt);
		st->has_result = 0;
	}
	db_drain(st);
	memset(st->params, 0, st->nparams * sizeof(st->params[0]));
}

int
db_col_null(struct db_stmt *st, int i)
{
	if (i < 0 || (unsigned int)i >= st->ncols)
		return (1);
	return (st->cols[i].isnull);
}

const char *
db_col_str(struct db_stmt *st, int i, size_t *len)
{
	if (db_col_null(st, i)) {
		if (len != NULL)
			*len = 0;
		return (NULL);
	}
	if (len != NULL)
		*len = st->cols[i].len;
	return (st->cols[i].buf);
}

int64_t
db_col_i64(struct db_stmt *st, int i)
{
	const char	*s;

	if ((s = db_col_str(st, i, NULL)) == NULL)
		return (0);
	return ((int64_t)strtoll(s, NULL, 10));
}

/* Copies a column into a fixed buffer; NULL becomes "". */
void
db_col_copy(struct db_stmt *st, int i, char *dst, size_t len)
{
	const char	*s;

	s = db_col_str(st, i, NULL);
	(void)snprintf(dst, len, "%s", s != NULL ? s : "");
}

/* A malloc'd copy of a column, or NULL for NULL (or no memory). */
char *
db_col_dup(struct db_stmt *st, int i)
{
	const char	*s;

	if ((s = db_col_str(st, i, NULL)) == NULL)
		return (NULL);
	return (strdup(s));
}

uint64_t
db_affected(struct db_stmt *st)
{
	return ((uint64_t)mysql_stmt_affected_rows(st->stmt));
}

uint64_t
db_insert_id(struct db_stmt *st)
{
	return ((uint64_t)mysql_stmt_insert_id(st->stmt));
}

/*
 * The database's clock as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC), so that
 * every host agrees on "now": the time a statement of this unit of work
 * already read (db_clock_hold), else read now.
 */
int
db_now(struct db *db, char *out, size_t len)
{
	static const char	*sql =
	    "SELECT DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f')";
	struct db_stmt		*st;

	if (db->clock[0] != '\0') {
		(void)snprintf(out, len, "%s", db->clock);
		return (1);
	}
	st = db_prepare(db, sql);
	if (st == NULL || !db_execute(st) || db_fetch(st) != 1)
		return (0);
	db_col_copy(st, 0, out, len);
	db_reset(st);
	return (1);
}

/*
 * A unit of work's clock, read by one of its statements along with what
 * it was reading (the session check reads it), so that db_now needs no
 * round trip of its own.  Held until db_clock_drop.
 */
void
db_clock_hold(struct db *db, const char *now)
{
	if (now == NULL || strlen(now) < 19 || strlen(now) >= sizeof(db->clock))
		return;
	(void)snprintf(db->clock, sizeof(db->clock), "%s", now);
}

/* The unit of work is over: the next one reads the clock again. */
void
db_clock_drop(struct db *db)
{
	if (db != NULL)
		db->clock[0] = '\0';
}

/*
 * The node's part in a Galera cluster.  SHOW answers even on a node that
 * refuses queries (outside the primary component, joining), which is
 * when it matters.  On a server that is no cluster node wsrep_on is 0
 * and the rest means nothing.
 */
int
db_wsrep(struct db *db, struct db_wsrep *w)
{
	static const char	*sql_on =
	    "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'";
	static const char	*sql_status =
	    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready',"
	    " 'wsrep_local_state', 'wsrep_local_state_comment',"
	    " 'wsrep_cluster_status', 'wsrep_cluster_size')";
	struct db_stmt		*st;
	const char		*k, *v;
	int			r;

	memset(w, 0, sizeof(*w));
	if ((st = db_prepare(db, sql_on)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		v = db_col_str(st, 1, NULL);
		w->on = v != NULL && strcasecmp(v, "ON") == 0;
	}
	db_reset(st);
	if (r < 0)
		return (0);
	if (!w->on)
		return (1);
	if ((st = db_prepare(db, sql_status)) == NULL || !db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		k = db_col_str(st, 0, NULL);
		if ((v = db_col_str(st, 1, NULL)) == NULL || k == NULL)
			continue;
		if (strcasecmp(k, "wsrep_ready") == 0)
			w->ready = strcasecmp(v, "ON") == 0;
		else if (strcasecmp(k, "wsrep_local_state") == 0)
			w->state = atoi(v);
		else if (strcasecmp(k, "wsrep_local_state_comment") == 0)
			(void)snprintf(w->comment, sizeof(w->comment), "%s", v);
		else if (strcasecmp(k, "wsrep_cluster_status") == 0)
			(void)snprintf(w->status, sizeof(w->status), "%s", v);
		else if (strcasecmp(k, "wsrep_cluster_size") == 0)
			w->size = atoi(v);
	}
	db_reset(st);
	return (r == 0);
}
