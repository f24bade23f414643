#ifndef VCP_API_H
#define VCP_API_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account/account.h"
#include "crypto/crypto.h"
#include "db/pool.h"

struct actor;
struct db;
struct http_request;
struct api_call;

/* Route flags. */
#define API_AUTH	0x01	/* a valid session with one of .roles */
#define API_JSON	0x02	/* the request body is a JSON object */
#define API_AUDIT	0x04	/* state-changing: every outcome is audited */
#define API_NODB	0x08	/* answered on the event loop, no job */
#define API_RAW		0x10	/* the request body is raw bytes (uploads) */
#define API_IDEM	0x20	/* honours an Idempotency-Key header */

#define API_RAW_MAX		(10 * 1024 * 1024)

#define API_PARAMS_MAX		4
#define API_PARAM_LEN		128
#define API_BODY_DEFAULT	(64 * 1024)
#define API_QUERY_MAX		1024

struct api_route {
	int		method;
	const char	*pattern;
	int		flags;
	int		roles;
	const char	*action;
	int		(*prepare)(struct api_call *);
	void		(*exec)(struct api_call *, struct db *);
};

struct api_principal {
	int64_t		account_id;
	int		role;
	char		login[72];
	char		csrf[CRYPTO_TOKEN_B64];
};

struct api_call {
	struct pool_job		job;
	struct http_request	*req;
	const struct api_route	*route;
	int			method;
	int			inflight;

	char			params[API_PARAMS_MAX][API_PARAM_LEN];
	char			query[API_QUERY_MAX + 1];
	json_t			*in;
	unsigned char		*raw;
	size_t			raw_len;
	char			content_type[64];

	int			has_token;
	uint8_t			token[CRYPTO_TOKEN_LEN];
	char			csrf[CRYPTO_TOKEN_B64];
	char			device[ACCOUNT_DEVICE_LEN];
	char			client[64];
	char			idem_key[129];

	struct api_principal	who;

	int			status;
	json_t			*out;
	char			*set_cookie;	/* one per line */
	unsigned char		*raw_out;
	size_t			raw_out_len;
	char			raw_type[64];
	char			disposition[300];
	char			retry_after[16];
	char			object[128];
	int			keep_on_error;
	void			*data;
	void			(*data_free)(void *);
};

void		api_reply(struct api_call *, int, json_t *);
void		api_error(struct api_call *, int, const char *, const char *);
void		api_error_fields(struct api_call *, int, const char *,
		    const char *, json_t *);
void		api_internal(struct api_call *, struct db *, const char *);
void		api_object(struct api_call *, const char *, int64_t);
void		api_actor(const struct api_call *, struct actor *);
int		api_query(struct api_call *, const char *, char *, size_t);
void		api_set_cookie(struct api_call *, const char *);
void		api_reply_raw(struct api_call *, const char *, unsigned char *,
		    size_t, const char *);

/* JSON input helpers: each records a field error in *fields. */
int		api_str(json_t *, const char *, const char **, size_t *,
		    int, json_t *);

int		api_dispatch(struct http_request *);
const struct api_route	*api_routes(void);

#endif
