/*
 * Registration, login, logout and "who am I".  Login failures look the
 * same whether the login exists or not, take the same time (a dummy
 * Argon2 verification stands in for a missing account), and are counted
 * per login and per client address to slow guessing down.
 */

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "config.h"
#include "db/db.h"
#include "domain/account_rules.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "http/api.h"

#define SESSION_COOKIE	"vcp_session"

static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;
static char		dummy_hash[256];

static void
dummy_init(void)
{
	(void)password_hash("not a password", 14, vcp_conf.argon2_t,
	    vcp_conf.argon2_m, dummy_hash, sizeof(dummy_hash));
}

static void
field_error(json_t *fields, const char *name, const char *code,
    const char *message)
{
	json_object_set_new(fields, name, json_pack("{s:s,s:s}",
	    "code", code, "message", message));
}

static json_t *
account_json(int64_t id, const char *login, const char *role,
    const char *name)
{
	return (json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id,
	    "login", login, "role", role, "name", name));
}

int
account_register_prepare(struct api_call *call)
{
	json_t			*fields;
	const char		*login, *pw, *name;
	size_t			llen, plen, nlen;
	enum account_check	c;
	enum validate_result	v;

	fields = json_object();
	if (api_str(call->in, "login", &login, &llen, 1, fields)) {
		if ((c = account_login_check(login, llen)) != ACCOUNT_OK)
			field_error(fields, "login", account_check_code(c),
			    account_check_message(c));
	}
	if (api_str(call->in, "name", &name, &nlen, 1, fields)) {
		v = validate_text(name, nlen, ACCOUNT_NAME_MAX, 0);
		if (v != VALIDATE_OK)
			field_error(fields, "name", validate_code(v),
			    validate_message(v));
	}
	if (api_str(call->in, "password", &pw, &plen, 1, fields)) {
		c = account_password_check(pw, plen, login);
		if (c != ACCOUNT_OK)
			field_error(fields, "password", account_check_code(c),
			    account_check_message(c));
	}
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "提交的信息有误，请按提示修改", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

void
account_register(struct api_call *call, struct db *db)
{
	char		login[ACCOUNT_LOGIN_MAX + 1], hash[256];
	const char	*pw, *name;
	int64_t		id;
	int		r;

	(void)snprintf(login, sizeof(login), "%s",
	    json_string_value(json_object_get(call->in, "login")));
	account_login_fold(login);
	pw = json_string_value(json_object_get(call->in, "password"));
	name = json_string_value(json_object_get(call->in, "name"));

	if (!password_hash(pw, strlen(pw), vcp_conf.argon2_t,
	    vcp_conf.argon2_m, hash, sizeof(hash))) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	r = account_store_create(db, login, "operator", name, hash, &id);
	if (r < 0) {
		api_internal(call, db, "account create");
		return;
	}
	if (r == 0) {
		api_error_fields(call, 409, "login_taken", "该登录名已被使用",
		    json_pack("{s:{s:s,s:s}}", "login", "code", "taken",
		    "message", "该登录名已被使用"));
		return;
	}
	api_object(call, "account", id);
	api_reply(call, 201, json_pack("{s:o}", "account",
	    account_json(id, login, "operator", name)));
}

int
session_create_prepare(struct api_call *call)
{
	json_t		*fields;
	const char	*s;
	size_t		len;

	fields = json_object();
	if (api_str(call->in, "login", &s, &len, 1, fields) &&
	    len > ACCOUNT_LOGIN_MAX)
		field_error(fields, "login", "too_long", "登录名过长");
	if (api_str(call->in, "password", &s, &len, 1, fields) &&
	    len > ACCOUNT_PASSWORD_MAX * 4)
		field_error(fields, "password", "too_long", "密码过长");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation",
		    "请输入登录名和密码", fields);
		return (0);
	}
	json_decref(fields);
	return (1);
}

static void
throttle_key(const char *kind, const char *value, uint8_t *out)
{
	char	buf[160];
	int	n;

	n = snprintf(buf, sizeof(buf), "%s:%s", kind, value);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	crypto_sha256(buf, (size_t)n, out);
}

/* Returns 1 when either key has too many recent failures (answer set). */
static int
session_throttled(struct api_call *call, struct db *db,
    const uint8_t *lkey, const uint8_t *ikey)
{
	int64_t		nl, ni;

	if (!account_store_failures(db, lkey, vcp_conf.login_fail_window,
	    &nl) || !account_store_failures(db, ikey,
	    vcp_conf.login_fail_window, &ni)) {
		api_internal(call, db, "login throttle");
		return (1);
	}
	if (nl < vcp_conf.login_fail_max && ni < vcp_conf.login_fail_ip_max)
		return (0);
	(void)snprintf(call->retry_after, sizeof(call->retry_after), "%d",
	    vcp_conf.login_fail_window);
	api_error(call, 429, "too_many_attempts",
	    "登录失败次数过多，请稍后再试");
	return (1);
}

static void
session_cookie(struct api_call *call, const char *token, int maxage)
{
	char	buf[256];

	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    SESSION_COOKIE, token, maxage,
	    vcp_conf.cookie_secure ? "; Secure" : "");
	api_set_cookie(call, buf);
}

static void
session_open(struct api_call *call, struct db *db, const struct account *a,
    const uint8_t *lkey)
{
	uint8_t		token[CRYPTO_TOKEN_LEN], hash[CRYPTO_SHA256_LEN];
	uint8_t		csrf[CRYPTO_TOKEN_LEN];
	char		tok64[CRYPTO_TOKEN_B64], csrf64[CRYPTO_TOKEN_B64];
	char		expires[32];

	if (!crypto_random(token, sizeof(token)) ||
	    !crypto_random(csrf, sizeof(csrf))) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	(void)crypto_b64url(token, sizeof(token), tok64, sizeof(tok64));
	(void)crypto_b64url(csrf, sizeof(csrf), csrf64, sizeof(csrf64));
	crypto_sha256(token, sizeof(token), hash);

	if (!account_store_clear_failures(db, lkey) ||
	    !session_store_create(db, hash, a->id, csrf64,
	    vcp_conf.session_max, expires, sizeof(expires))) {
		api_internal(call, db, "session create");
		return;
	}
	call->who.account_id = a->id;
	call->who.role = role_parse(a->role);
	api_object(call, "account", a->id);
	session_cookie(call, tok64, vcp_conf.session_max);
	api_reply(call, 201, json_pack("{s:o,s:s,s:s}",
	    "account", account_json(a->id, a->login, a->role, a->display_name),
	    "csrf_token", csrf64, "expires_at", expires));
}

void
session_create(struct api_call *call, struct db *db)
{
	struct account	a;
	char		login[ACCOUNT_LOGIN_MAX + 1];
	uint8_t		lkey[CRYPTO_SHA256_LEN], ikey[CRYPTO_SHA256_LEN];
	const char	*pw;
	size_t		plen;
	int		r, ok;

	(void)pthread_once(&dummy_once, dummy_init);
	(void)snprintf(login, sizeof(login), "%s",
	    json_string_value(json_object_get(call->in, "login")));
	account_login_fold(login);
	pw = json_string_value(json_object_get(call->in, "password"));
	plen = json_string_length(json_object_get(call->in, "password"));

	throttle_key("login", login, lkey);
	throttle_key("ip", call->client, ikey);
	if (session_throttled(call, db, lkey, ikey))
		return;

	if ((r = account_store_by_login(db, login, &a)) < 0) {
		api_internal(call, db, "login");
		return;
	}
	if (r == 1) {
		ok = password_verify(a.password_hash, pw, plen) && a.active;
		api_object(call, "account", a.id);
	} else {
		(void)password_verify(dummy_hash, pw, plen);
		ok = 0;
	}
	if (ok) {
		session_open(call, db, &a, lkey);
		return;
	}

	/* Keep the failure counters although the answer is an error. */
	if (!account_store_fail(db, lkey) || !account_store_fail(db, ikey)) {
		api_internal(call, db, "login failure");
		return;
	}
	call->keep_on_error = 1;
	api_error(call, 401, "invalid_credentials", "登录名或密码错误");
}

void
session_show(struct api_call *call, struct db *db)
{
	(void)db;
	api_reply(call, 200, json_pack("{s:{s:I,s:s,s:s},s:s}",
	    "account", "id", (json_int_t)call->who.account_id,
	    "login", call->who.login, "role", role_name(call->who.role),
	    "csrf_token", call->who.csrf));
}

void
session_delete(struct api_call *call, struct db *db)
{
	uint8_t		hash[CRYPTO_SHA256_LEN];

	crypto_sha256(call->token, sizeof(call->token), hash);
	if (!session_store_delete(db, hash)) {
		api_internal(call, db, "logout");
		return;
	}
	api_object(call, "account", call->who.account_id);
	session_cookie(call, "", 0);
	api_reply(call, 204, NULL);
}
