/*
 * A call's work on a pool thread: the session and role check, the CSRF
 * token, the Idempotency-Key, then the route's work in a transaction
 * with its audit record, retried on deadlock.  No Kore here: the
 * dispatcher (api.c) queues api_run and writes the answer it leaves.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "db/db.h"
#include "domain/role.h"
#include "http/api.h"
#include "log.h"
#include "http/idempotency.h"

/*
 * Who a session token belongs to, and where attempts are recorded: app.c
 * registers src/account's resolver and src/audit's log, so that the HTTP
 * layer imports neither.
 */
static api_session_fn	api_session_resolve;
static api_session_fn	api_reporter_resolve;
static api_record_fn	api_record;

void
api_set_session_resolver(api_session_fn fn)
{
	api_session_resolve = fn;
}

void
api_set_reporter_resolver(api_session_fn fn)
{
	api_reporter_resolve = fn;
}

void
api_set_recorder(api_record_fn fn)
{
	api_record = fn;
}

static int
api_is_write(enum api_method method)
{
	return (method != API_GET && method != API_HEAD);
}

/*
 * The session check, on the pool thread.  Returns 0 with an answer set.
 * A staff route takes only the staff cookie and a reporter's route only
 * the reporter's, so neither session can stand in for the other.
 */
static int
api_authorize(struct api_call *call, struct db *db)
{
	api_session_fn	resolve;
	const uint8_t	*token;
	int		r, has, reporter;

	reporter = call->route->flags.reporter;
	resolve = reporter ? api_reporter_resolve : api_session_resolve;
	has = reporter ? call->has_reporter_token : call->has_token;
	token = reporter ? call->reporter_token : call->token;
	if (!has) {
		api_error(call, 401, "unauthenticated", reporter ?
		    "请先输入受理码" : "请先登录");
		return (0);
	}
	if (resolve == NULL) {
		vcp_log(LOG_ERR, "no session resolver registered");
		api_error(call, 500, "internal", "服务器内部错误，请稍后重试");
		return (0);
	}
	/* The call's transaction opens with the check: one round trip. */
	r = resolve(db, token, &call->who);
	if (r < 0) {
		api_internal(call, db, "session");
		return (0);
	}
	if (r == 0) {
		api_error(call, 401, "unauthenticated", reporter ?
		    "查询已失效，请重新输入受理码" : "登录已失效，请重新登录");
		return (0);
	}
	if (!reporter && !(call->who.role & (int)call->route->roles.role_bits)) {
		api_error(call, 403, "forbidden", "当前账号无权执行此操作");
		return (0);
	}
	/*
	 * A cookie is sent by the browser whoever made the page; the CSRF
	 * token is only known to our own pages, so every write needs both.
	 */
	if (api_is_write(call->method) &&
	    !crypto_equal(call->csrf, call->who.csrf, sizeof(call->csrf))) {
		api_error(call, 403, "csrf", "缺少或错误的 CSRF 令牌");
		return (0);
	}
	return (1);
}

/*
 * The session check and its verdict: a refusal leaves no transaction
 * open, so that its audit record commits on its own.
 */
static int
api_check(struct api_call *call, struct db *db)
{
	if (api_authorize(call, db))
		return (1);
	if (db_in_txn(db))
		(void)db_rollback(db);
	return (0);
}

/*
 * The call's audit record.  commit 0: on its own, outside any
 * transaction.  commit 1: the last write of the call's transaction and
 * its COMMIT, in one round trip; on failure the caller rolls back.
 */
static int
api_audit(struct api_call *call, struct db *db, int commit)
{
	struct api_record	e;
	const char		*outcome;
	json_t			*err;

	memset(&e, 0, sizeof(e));
	e.actor_id = call->who.account_id;
	e.actor_role = call->who.role ? role_name(call->who.role) :
	    call->route->flags.reporter ? "reporter" : NULL;
	e.action = call->route->action;
	e.object = call->object;
	e.status = call->status;
	/* A tip-off's reporter leaves no address behind, not even here. */
	e.client = call->route->flags.anon ? NULL : call->client;
	outcome = "ok";
	if (call->status >= 400) {
		err = json_object_get(json_object_get(call->out, "error"),
		    "code");
		outcome = json_is_string(err) ? json_string_value(err) :
		    "error";
	}
	e.outcome = outcome;
	e.commit = commit;
	/*
	 * The record is one insert (audit_append queues it for the sealer):
	 * outside the call's transaction it commits on its own.
	 */
	if (api_record == NULL || !api_record(db, &e)) {
		/* A commit that lost to another transaction runs again. */
		if (!commit || !db_retryable(db))
			vcp_log(LOG_ERR, "audit append failed: %u",
			    db_errno(db));
		return (0);
	}
	return (1);
}

static void
api_reset_answer(struct api_call *call)
{
	api_reply(call, 0, NULL);
	free(call->set_cookie);
	call->set_cookie = NULL;
	call->keep_on_error = 0;
}

/*
 * Claims the call's Idempotency-Key.  Returns 1 to go on with the write,
 * 0 when the answer is set (a replay, or a refusal), -1 when the claim
 * lost to another transaction and the whole call runs again.
 */
static int
api_idem_claim(struct api_call *call, struct db *db)
{
	const unsigned char	*p;
	char			*resp, route[64];
	int			r, status, same;

	if (call->idem_key[0] == '\0')
		return (1);
	/*
	 * Ids are short ASCII.  Any other segment names nothing: the write
	 * fails as not found, and a failure is not remembered, so there is
	 * nothing to claim.  Cut to fit, it would be one character cut in
	 * two, or two segments made one, in an ASCII column.
	 */
	for (p = (const unsigned char *)call->params[0]; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7e)
			return (1);
	}
	if (strlen(call->params[0]) > 32)
		return (1);
	/* The same key on another filing is another operation. */
	(void)snprintf(route, sizeof(route), "%.24s/%.32s",
	    call->route->action, call->params[0]);
	r = idem_claim(db, call->who.account_id, call->idem_key, route,
	    &status, &resp, &same);
	if (r == 1)
		return (1);
	if (r < 0 && db_retryable(db))
		return (-1);
	(void)db_rollback(db);
	if (r < 0) {
		api_internal(call, db, "idempotency");
		return (0);
	}
	if (!same)
		api_error(call, 422, "idempotency_key_reused",
		    "该 Idempotency-Key 已用于其他操作");
	else if (status == 0)
		api_error(call, 409, "in_progress", "相同的请求正在处理");
	else
		api_reply(call, status, json_loads(resp, 0, NULL));
	free(resp);
	return (0);
}

static int
api_idem_finish(struct api_call *call, struct db *db)
{
	char	*body;
	int	ok;

	if (call->idem_key[0] == '\0')
		return (1);
	body = call->out != NULL ? json_dumps(call->out, JSON_COMPACT) : NULL;
	ok = idem_finish(db, call->who.account_id, call->idem_key,
	    call->status, body != NULL ? body : "null");
	free(body);
	return (ok);
}

/*
 * No database to work with: the node is down, or up but not serving (a
 * Galera node outside the primary component, or still joining).  Nothing
 * was done, so the client may try again, here or on another host.
 */
static void
api_unavailable(struct api_call *call)
{
	api_reset_answer(call);
	call->retry_after[0] = '5';
	call->retry_after[1] = '\0';
	api_error(call, 503, "db_unavailable", "数据库暂不可用，请稍后重试");
}

/*
 * The route's work, its Idempotency-Key and its audit record commit
 * together or not at all.  A deadlock, or on a Galera cluster a write
 * set that lost certification (at any statement or at COMMIT), leaves
 * nothing behind: the whole call runs again from the start, with a
 * fresh answer, so a retried call answers as a first one would.
 */
void
api_run(struct pool_job *job, struct db *db)
{
	struct api_call		*call;
	int			tries, audited, keep, r, lost;

	call = job->arg;
	if (db == NULL) {
		api_unavailable(call);
		return;
	}
	audited = call->route->flags.audit;
	if ((call->route->flags.auth || call->route->flags.reporter) &&
	    !api_check(call, db)) {
		if (db_unavailable(db))
			api_unavailable(call);
		else if (audited)
			(void)api_audit(call, db, 0);
		return;
	}

	tries = 0;
	lost = 0;
	do {
		api_reset_answer(call);
		/* Open already when the session check opened it. */
		if (!db_in_txn(db) && !db_begin(db))
			break;
		if ((r = api_idem_claim(call, db)) == 0)
			return;
		if (r < 0)
			continue;
		call->route->exec(call, db);
		keep = call->status < 400 || call->keep_on_error;
		if (call->status >= 500 &&
		    (db_retryable(db) || db_unavailable(db)))
			continue;
		if (!keep) {
			(void)db_rollback(db);
			if (audited && db_alive(db))
				(void)api_audit(call, db, 0);
			return;
		}
		/*
		 * No audit record, no action: the two commit together, in
		 * one round trip (the record's insert ends with the COMMIT).
		 */
		if (call->status >= 400 || api_idem_finish(call, db)) {
			if (audited ? api_audit(call, db, 1) : db_commit(db))
				return;
			/* Gone during COMMIT: done or not, nobody can say. */
			if ((lost = !db_alive(db)))
				break;
		}
	} while (db_again(db, &tries));
	if (!lost && db_unavailable(db))
		api_unavailable(call);
	else
		api_internal(call, db, "commit");
}
