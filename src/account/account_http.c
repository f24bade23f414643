/*
 * Registration, login, logout and "who am I".  Login failures look the
 * same whether the login exists or not, take the same time (a dummy
 * Argon2 verification stands in for a missing account), and are
 * throttled as OWASP's "Slow Down Online Guessing Attacks with Device
 * Cookies" describes: a browser that has logged in to an account before
 * holds a signed device cookie and is throttled on its own, so that
 * failures from elsewhere cannot lock its owner out; every other client
 * is throttled per login and per address.  Registrations are throttled
 * per address, which bounds how fast "login taken" can be probed.
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/account.h"
#include "config.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "domain/account_rules.h"
#include "domain/field.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "http/api.h"
#include "ratelimit/ratelimit.h"

#define SESSION_COOKIE	"vcp_session"

/*
 * vcp_device = "<account id>.<issued>.<nonce>.<mac>": the nonce tells
 * one device from another (each is locked out on its own), issued (Unix
 * seconds) bounds its life, and the MAC binds it to the account's id and
 * login, so a later account that takes the same login inherits nothing.
 */
#define DEVICE_AGE		(180 * 86400)
#define DEVICE_SKEW		300
#define DEVICE_NONCE		16
#define DEVICE_NONCE_B64	22
#define DEVICE_KEY_LABEL	"vcp device cookie v1"

static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;
static char		dummy_hash[256];

static void
dummy_init(void)
{
	(void)password_hash("not a password", 14, vcp_conf.argon2_t,
	    vcp_conf.argon2_m, dummy_hash, sizeof(dummy_hash));
}

static json_t *
account_json(int64_t id, const char *login, const char *role,
    const char *name)
{
	return (json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id,
	    "login", login, "role", role, "name", name));
}

static void
account_too_many(struct api_call *call, int retry, const char *message)
{
	(void)snprintf(call->retry_after, sizeof(call->retry_after), "%d",
	    retry);
	api_error(call, 429, "too_many_attempts", message);
}

static void
account_login_taken(struct api_call *call)
{
	/* Keep the attempt's row: it counts against the address. */
	call->keep_on_error = 1;
	api_error_fields(call, 409, "login_taken", "该登录名已被使用",
	    json_pack("{s:{s:s,s:s}}", "login", "code", "taken",
	    "message", "该登录名已被使用"));
}

/* Counts a registration from this address; 0 with the answer set. */
static int
account_register_allowed(struct api_call *call, struct db *db)
{
	struct ratelimit_key	rkey;
	int			r, retry;

	if (!ratelimit_key("register", call->client, &rkey)) {
		api_error(call, 500, "internal", "服务器内部错误");
		return (0);
	}
	r = ratelimit_check(db, &rkey, vcp_conf.register_window,
	    vcp_conf.register_max, &retry);
	if (r == 0) {
		account_too_many(call, retry, "注册过于频繁，请稍后再试");
		return (0);
	}
	if (r < 0 || !ratelimit_hit(db, &rkey)) {
		api_internal(call, db, "register throttle");
		return (0);
	}
	return (1);
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
	struct account	a;
	char		login[ACCOUNT_LOGIN_MAX + 1], hash[256];
	const char	*pw, *name;
	int64_t		id;
	int		r;

	(void)snprintf(login, sizeof(login), "%s",
	    json_string_value(json_object_get(call->in, "login")));
	account_login_fold(login);
	pw = json_string_value(json_object_get(call->in, "password"));
	name = json_string_value(json_object_get(call->in, "name"));

	if (!account_register_allowed(call, db))
		return;
	/*
	 * The attempt is counted whatever its outcome: 409 is what an
	 * enumeration would harvest.  A taken login is answered before the
	 * Argon2 hash, so probing costs the portal no hashing either.
	 */
	if ((r = account_store_by_login(db, login, &a)) < 0) {
		api_internal(call, db, "account create");
		return;
	}
	if (r == 1) {
		account_login_taken(call);
		return;
	}
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
		account_login_taken(call);
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

/*
 * The cookie for this account, issued at "issued" with this nonce (in
 * base64url); "" when the key cannot be had.
 */
static void
device_value(const struct account *a, int64_t issued, const char *nonce,
    char *out, size_t len)
{
	uint8_t	key[SEAL_KEY_LEN], mac[CRYPTO_SHA256_LEN];
	char	msg[256], mac64[CRYPTO_TOKEN_B64];
	int	n;

	out[0] = '\0';
	/* Newlines cannot occur in a login, so the fields cannot run on. */
	n = snprintf(msg, sizeof(msg), "%" PRId64 "\n%s\n%" PRId64 "\n%s",
	    a->id, a->login, issued, nonce);
	if (n < 0 || (size_t)n >= sizeof(msg) ||
	    !seal_derive(DEVICE_KEY_LABEL, key))
		return;
	if (crypto_hmac_sha256(key, sizeof(key), msg, (size_t)n, mac)) {
		(void)crypto_b64url(mac, sizeof(mac), mac64, sizeof(mac64));
		(void)snprintf(out, len, "%" PRId64 ".%" PRId64 ".%s.%s",
		    a->id, issued, nonce, mac64);
	}
	explicit_bzero(key, sizeof(key));
}

/*
 * Is the client's device cookie a valid one for this account?  Then its
 * nonce is copied to nonce (DEVICE_NONCE_B64 + 1 bytes).  A malformed,
 * altered, expired or foreign cookie is simply no cookie.
 */
static int
device_trusted(const char *cookie, const struct account *a, char *nonce)
{
	char		expect[ACCOUNT_DEVICE_LEN];
	const char	*p;
	char		*end;
	long long	id, issued;
	time_t		now;
	size_t		len;

	if ((len = strlen(cookie)) == 0)
		return (0);
	id = strtoll(cookie, &end, 10);
	if (end == cookie || *end != '.' || id != a->id)
		return (0);
	p = end + 1;
	issued = strtoll(p, &end, 10);
	if (end == p || *end != '.')
		return (0);
	p = end + 1;
	if (strlen(p) <= DEVICE_NONCE_B64 || p[DEVICE_NONCE_B64] != '.')
		return (0);
	now = time(NULL);
	if (issued > (long long)now + DEVICE_SKEW ||
	    issued < (long long)now - DEVICE_AGE)
		return (0);
	memcpy(nonce, p, DEVICE_NONCE_B64);
	nonce[DEVICE_NONCE_B64] = '\0';

	/* Rebuilt from its parts: only the one canonical spelling passes. */
	device_value(a, issued, nonce, expect, sizeof(expect));
	return (expect[0] != '\0' && strlen(expect) == len &&
	    crypto_equal(expect, cookie, len));
}

/* A new device cookie for this browser, with a nonce of its own. */
static void
device_issue(struct api_call *call, const struct account *a)
{
	uint8_t	raw[DEVICE_NONCE];
	char	nonce[DEVICE_NONCE_B64 + 1], value[ACCOUNT_DEVICE_LEN];
	char	buf[256];

	if (!crypto_random(raw, sizeof(raw)))
		return;
	(void)crypto_b64url(raw, sizeof(raw), nonce, sizeof(nonce));
	device_value(a, (int64_t)time(NULL), nonce, value, sizeof(value));
	if (value[0] == '\0')
		return;
	(void)snprintf(buf, sizeof(buf),
	    "%s=%s; Path=/api/v1/session; Max-Age=%d; HttpOnly;"
	    " SameSite=Strict%s", ACCOUNT_DEVICE_COOKIE, value, DEVICE_AGE,
	    vcp_conf.cookie_secure ? "; Secure" : "");
	api_set_cookie(call, buf);
}

/*
 * Returns 1 when the client may not try now (answer set).  A trusted
 * device is held only by its own failures; any other client by the
 * failures of all untrusted clients for this login, and by its address.
 */
static int
session_throttled(struct api_call *call, struct db *db, int trusted,
    const struct ratelimit_key *lkey, const struct ratelimit_key *ikey)
{
	int	r, retry;

	r = ratelimit_check(db, lkey, vcp_conf.login_fail_window,
	    vcp_conf.login_fail_max, &retry);
	if (r == 1 && !trusted)
		r = ratelimit_check(db, ikey, vcp_conf.login_fail_window,
		    vcp_conf.login_fail_ip_max, &retry);
	if (r < 0) {
		api_internal(call, db, "login throttle");
		return (1);
	}
	if (r == 1)
		return (0);
	account_too_many(call, retry, "登录失败次数过多，请稍后再试");
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
    const struct ratelimit_key *lkey)
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

	if (!ratelimit_clear(db, lkey) ||
	    !session_store_create(db, hash, a->id, csrf64,
	    vcp_conf.session_max, expires, sizeof(expires))) {
		api_internal(call, db, "session create");
		return;
	}
	call->who.account_id = a->id;
	call->who.role = role_parse(a->role);
	api_object(call, "account", a->id);
	session_cookie(call, tok64, vcp_conf.session_max);
	device_issue(call, a);
	api_reply(call, 201, json_pack("{s:o,s:s,s:s}",
	    "account", account_json(a->id, a->login, a->role, a->display_name),
	    "csrf_token", csrf64, "expires_at", expires));
}

void
session_create(struct api_call *call, struct db *db)
{
	struct account		a;
	struct ratelimit_key	lkey, ikey;
	char			login[ACCOUNT_LOGIN_MAX + 1];
	char			nonce[DEVICE_NONCE_B64 + 1];
	const char		*pw;
	size_t			plen;
	int			r, ok, trusted;

	(void)pthread_once(&dummy_once, dummy_init);
	(void)snprintf(login, sizeof(login), "%s",
	    json_string_value(json_object_get(call->in, "login")));
	account_login_fold(login);
	pw = json_string_value(json_object_get(call->in, "password"));
	plen = json_string_length(json_object_get(call->in, "password"));

	if ((r = account_store_by_login(db, login, &a)) < 0) {
		api_internal(call, db, "login");
		return;
	}
	/*
	 * A trusted device counts under its own nonce, in place of the
	 * login's counter shared by every untrusted client.
	 */
	trusted = r == 1 && device_trusted(call->device, &a, nonce);
	if (!(trusted ? ratelimit_key("device", nonce, &lkey) :
	    ratelimit_key("login", login, &lkey)) ||
	    !ratelimit_key("ip", call->client, &ikey)) {
		api_error(call, 500, "internal", "服务器内部错误");
		return;
	}
	if (session_throttled(call, db, trusted, &lkey, &ikey))
		return;

	if (r == 1) {
		ok = password_verify(a.password_hash, pw, plen) && a.active;
		api_object(call, "account", a.id);
	} else {
		(void)password_verify(dummy_hash, pw, plen);
		ok = 0;
	}
	if (ok) {
		session_open(call, db, &a, &lkey);
		return;
	}

	/* Keep the failure counters although the answer is an error. */
	if (!ratelimit_hit(db, &lkey) ||
	    (!trusted && !ratelimit_hit(db, &ikey))) {
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
