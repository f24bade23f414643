#ifndef VCP_API_H
#define VCP_API_H

/*
 * The HTTP layer as the capabilities see it: the route table's types, the
 * call a handler works on, and the helpers that read its input and set its
 * answer.  None of it needs Kore (a request is an opaque pointer here);
 * only the dispatcher, api.c, speaks Kore.
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "db/pool.h"

struct actor;
struct db;
struct http_request;
struct api_call;

enum api_method {
	API_METHOD_OTHER = 0,	/* one no route uses (OPTIONS, TRACE, …) */
	API_GET,
	API_HEAD,		/* takes the GET route; no route names it */
	API_POST,
	API_PUT,
	API_DELETE,
	API_PATCH
};

/*
 * What a route asks of the dispatcher, set by name:
 *	.flags = { .auth = 1, .json = 1, .audit = 1 }
 * Bit-fields rather than an int of OR'ed constants, so that a role mask
 * can never be written where flags belong, nor the reverse.
 */
struct api_flags {
	unsigned	auth:1;		/* a valid session with one of .roles */
	unsigned	json:1;		/* the body is a JSON object */
	unsigned	optional_body:1; /* with json: no body at all is {} */
	unsigned	raw:1;		/* the body is raw bytes (uploads) */
	unsigned	audit:1;	/* state-changing: every outcome audited */
	unsigned	idem:1;		/* honours an Idempotency-Key header */
	unsigned	nodb:1;		/* answered on the event loop, no job */
	unsigned	loop:1;		/* on the event loop unless api_defer */
	unsigned	reporter:1;	/* a tip-off reporter's session */
	unsigned	anon:1;		/* audited without the client address */
	unsigned	gzip:1;		/* may answer gzipped: holds no secret */
};

/* Who may call an authenticated route: ROLE_* bits (domain/role.h). */
struct api_roles {
	unsigned	role_bits;
};
#define API_ROLES(r)	{ .role_bits = (r) }

struct api_route {
	enum api_method		method;
	const char		*pattern;	/* "/api/v1/filings/:id" */
	struct api_flags	flags;
	struct api_roles	roles;
	const char		*action;	/* the audit log's name */
	int			(*prepare)(struct api_call *);
	void			(*exec)(struct api_call *, struct db *);
};

#define API_RAW_MAX		(10 * 1024 * 1024)

#define API_PARAMS_MAX		4
#define API_PARAM_LEN		128
#define API_BODY_DEFAULT	(64 * 1024)
#define API_QUERY_MAX		1024

/* The device cookie of the login throttle (src/account), read here. */
#define API_DEVICE_COOKIE	"vcp_device"
#define API_DEVICE_LEN		128

/*
 * The tip-off reporter's session cookie (src/tipoff), apart from the
 * staff's: sent only under API_REPORTER_PATH, taken only by routes
 * flagged .reporter.
 */
#define API_REPORTER_COOKIE	"vcp_tipoff"
#define API_REPORTER_PATH	"/api/v1/tipoffs"

struct api_principal {
	int64_t		account_id;
	int		role;
	char		login[72];
	char		csrf[CRYPTO_TOKEN_B64];
	int64_t		tipoff_id;	/* a reporter's case; 0 for staff */
};

/*
 * An answer written as it is sent (api_reply_stream): fill puts up to
 * cap bytes in buf and returns how many, setting *done on the last;
 * 0 with *done unset is a failure (the connection is closed).  Runs on
 * the event loop, once the previous piece is on its way.
 */
struct api_stream {
	size_t		(*fill)(void *, unsigned char *, size_t, int *);
	void		(*free)(void *);
	void		*arg;
};

struct api_call {
	struct pool_job		job;
	struct http_request	*req;		/* opaque: only api.c opens it */
	const struct api_route	*route;
	enum api_method		method;
	int			inflight;
	int			worker;		/* the Kore worker serving it */

	char			params[API_PARAMS_MAX][API_PARAM_LEN];
	char			query[API_QUERY_MAX + 1];
	json_t			*in;
	unsigned char		*raw;
	size_t			raw_len;
	char			content_type[64];

	int			has_token;
	uint8_t			token[CRYPTO_TOKEN_LEN];
	int			has_reporter_token;
	uint8_t			reporter_token[CRYPTO_TOKEN_LEN];
	char			csrf[CRYPTO_TOKEN_B64];
	char			device[API_DEVICE_LEN];
	char			client[64];
	char			idem_key[129];

	struct api_principal	who;

	int			status;
	json_t			*out;
	char			*set_cookie;	/* one per line */
	unsigned char		*raw_out;
	int			raw_borrowed;	/* raw_out is not ours to free */
	size_t			raw_out_len;
	char			raw_type[64];
	char			disposition[300];
	const char		*cache;		/* Cache-Control; NULL: no-store */
	int			accept_gzip;	/* .gzip route, client takes it */
	const char		*encoding;	/* Content-Encoding, or NULL */
	char			location[512];	/* a redirect's target */
	char			retry_after[16];
	char			object[128];
	int			keep_on_error;
	int			defer;		/* loop route: to the pool */
	struct api_stream	stream;
	void			*data;
	void			(*data_free)(void *);
};

/* api_call.c: the answer, and reading the input */
void		api_reply(struct api_call *, int, json_t *);
void		api_error(struct api_call *, int, const char *, const char *);
void		api_error_fields(struct api_call *, int, const char *,
		    const char *, json_t *);
void		api_internal(struct api_call *, struct db *, const char *);
void		api_object(struct api_call *, const char *, int64_t);
void		api_actor(const struct api_call *, struct actor *);
void		api_set_cookie(struct api_call *, const char *);
void		api_reply_raw(struct api_call *, const char *, unsigned char *,
		    size_t, const char *);
void		api_reply_page(struct api_call *, int, unsigned char *, size_t);
void		api_reply_static(struct api_call *, const char *,
		    const unsigned char *, size_t, const char *);
void		api_redirect(struct api_call *, int, const char *);
int		api_param_id(struct api_call *, int, int64_t *, const char *);
int		api_str(json_t *, const char *, const char **, size_t *,
		    int, json_t *);
void		api_defer(struct api_call *);
void		api_reply_stream(struct api_call *, const char *, const char *,
		    const struct api_stream *);
void		api_call_free(struct api_call *);

/* api_url.c: paths and queries */
int		api_urldecode(const char *, size_t, char *, size_t, int);
int		api_accepts_gzip(const char *);
int		api_match(const char *, const char *,
		    char (*)[API_PARAM_LEN]);
int		api_query(struct api_call *, const char *, char *, size_t);

/* api_route.c: finding a route, and checking the table */
const struct api_route	*api_route_find(const struct api_route *,
			    enum api_method, const char *,
			    char (*)[API_PARAM_LEN], char *, size_t);
const char	*api_method_name(enum api_method);
int		api_routes_check(const struct api_route *, char *, size_t);

/* api_run.c: a call's work on a pool thread */
/*
 * A session resolver: 1 valid, 0 unknown or expired, -1 error.  It may
 * open the call's transaction in the same round trip (db_in_txn tells
 * whether it did, whatever the answer).
 */
typedef int	(*api_session_fn)(struct db *, const uint8_t *,
		    struct api_principal *);

/*
 * What the audit log keeps of an attempt (app.c hands it to src/audit).
 * The recorder writes one statement, so that a refusal's record outside
 * any transaction commits on its own.
 */
struct api_record {
	int64_t		actor_id;
	const char	*actor_role;
	const char	*action;
	const char	*object;
	const char	*outcome;
	int		status;
	const char	*client;
	int		commit;		/* the record ends the transaction */
};
typedef int	(*api_record_fn)(struct db *, const struct api_record *);

void		api_set_session_resolver(api_session_fn);
void		api_set_reporter_resolver(api_session_fn);
void		api_set_recorder(api_record_fn);
void		api_run(struct pool_job *, struct db *);

/* api.c: the Kore handler */
typedef void	(*api_page_fn)(struct api_call *);

void		api_init(api_session_fn, api_session_fn, api_record_fn);
void		api_set_missing_page(api_page_fn);
int		api_dispatch(struct http_request *);

/* src/routes.c: the table itself */
const struct api_route	*api_routes(void);

#endif
