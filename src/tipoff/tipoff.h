#ifndef VCP_TIPOFF_H
#define VCP_TIPOFF_H

/*
 * The tip-off channel (Art. 9), the reporter's side: a proof of work
 * before an anonymous submission, the submission sealed at rest with a
 * receipt code kept only as a keyed Argon2id hash, a reporter session of
 * its own, and a signed acknowledgement.  Kore-free but for the routes
 * (tipoff_http.c).
 */

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "crypto/crypto.h"

struct db;
struct api_call;
struct api_principal;

#define TIPOFF_SALT_LEN		16
#define TIPOFF_CHALLENGE_ID	22	/* base64url of 16 random bytes */
#define TIPOFF_CODE_LEN		16	/* decimal digits */
#define TIPOFF_REF_RANDOM	10	/* base32 characters: 50 bits */
#define TIPOFF_REF_MAX		24
#define TIPOFF_TEXT_MAX		5000	/* characters of what happened */
#define TIPOFF_MESSAGE_MAX	5000
#define TIPOFF_NAME_MAX		100
#define TIPOFF_NONCE_MAX	9007199254740991LL	/* 2^53 - 1 */

/* tipoff_rules.c: what needs no database */
int		tipoff_pow_bits(const uint8_t *, uint64_t);
int		tipoff_pow_ok(const uint8_t *, uint64_t, int);
int		tipoff_category_valid(const char *);
extern const char *const	tipoff_categories[];
int		tipoff_reference_format(int, const uint8_t *, char *, size_t);
int		tipoff_reference_valid(const char *);
int		tipoff_code_make(char[TIPOFF_CODE_LEN + 1]);
int		tipoff_code_valid(const char *, size_t);
int		tipoff_code_hash(const char *, size_t, int, int,
		    uint8_t[CRYPTO_SHA256_LEN]);
int		tipoff_date_valid(const char *, size_t, const char *);
char		*tipoff_canonical(const json_t *);

/* tipoff_ack.c: the signed acknowledgement */
char		*tipoff_ack_build(const char *, const char *, const char *,
		    const json_t *, const char *, size_t *);

/* tipoff_store.c: the SQL */
struct tipoff_challenge {
	uint8_t		salt[TIPOFF_SALT_LEN];
	int		difficulty;
	int		used;
	int		expired;
};

int	tipoff_store_challenge_new(struct db *, const char *, const uint8_t *,
	    int, int, char *, size_t);
int	tipoff_store_challenge_take(struct db *, const char *,
	    struct tipoff_challenge *);
int	tipoff_store_filing_id(struct db *, const char *, int64_t *);
int	tipoff_store_insert(struct db *, const char *, const uint8_t *,
	    const char *, int64_t, const char *, const char *, const char *,
	    const char *, int64_t *);
int	tipoff_store_by_receipt(struct db *, const uint8_t *, int64_t *);
int	tipoff_store_lock(struct db *, int64_t);
int	tipoff_store_show(struct db *, int64_t, json_t **);
int	tipoff_store_ack(struct db *, int64_t, char **);
int	tipoff_store_message_add(struct db *, int64_t, const char *,
	    int64_t, const char *, int64_t *, char *, size_t);
int	tipoff_store_messages(struct db *, int64_t, json_t *);
int	tipoff_store_session_new(struct db *, const uint8_t *, int64_t,
	    const char *, int, char *, size_t);
int	tipoff_store_session_delete(struct db *, const uint8_t *);
int	tipoff_session_resolve(struct db *, const uint8_t *,
	    struct api_principal *);

/* tipoff_ops.c: the operations, Kore-free */
enum tipoff_result {
	TIPOFF_OK = 0,
	TIPOFF_ERROR,			/* database or system */
	TIPOFF_THROTTLED,		/* a rate limit: retry_after set */
	TIPOFF_POW_UNKNOWN,		/* no such challenge */
	TIPOFF_POW_USED,		/* the challenge was spent */
	TIPOFF_POW_EXPIRED,
	TIPOFF_POW_WRONG,		/* the nonce does not solve it */
	TIPOFF_NO_FILING,		/* no filing has that number */
	TIPOFF_BAD_CODE,		/* no case has that receipt code */
	TIPOFF_TOO_MANY_FILES
};

/* A submission as decoded: the canonical object and its parts. */
struct tipoff_in {
	const char	*client;	/* only for the rate limits' keys */
	const char	*challenge;
	uint64_t	nonce;
	const char	*category;
	const char	*filing_number;	/* or NULL */
	json_t		*submission;	/* canonical form (borrowed) */
};

struct tipoff_receipt {
	int64_t		id;
	char		reference[TIPOFF_REF_MAX];
	char		code[TIPOFF_CODE_LEN + 1];
	char		received_at[32];
	char		sha256[65];
	char		*ack;		/* malloc'd */
	int		retry_after;
};

struct tipoff_challenge_out {
	char		id[TIPOFF_CHALLENGE_ID + 1];
	char		salt[TIPOFF_SALT_LEN * 2 + 1];
	int		difficulty;
	char		expires_at[32];
	int		retry_after;
};

struct tipoff_session_out {
	int64_t		id;
	char		token[CRYPTO_TOKEN_B64];
	char		csrf[CRYPTO_TOKEN_B64];
	char		expires_at[32];
	int		retry_after;
};

enum tipoff_result	tipoff_ops_challenge(struct db *, const char *,
			    struct tipoff_challenge_out *);
enum tipoff_result	tipoff_ops_submit(struct db *, const struct tipoff_in *,
			    struct tipoff_receipt *);
enum tipoff_result	tipoff_ops_file(struct db *, const struct tipoff_in *,
			    struct tipoff_receipt *);
enum tipoff_result	tipoff_ops_open(struct db *, const char *,
			    const char *, size_t, struct tipoff_session_out *);
enum tipoff_result	tipoff_ops_view(struct db *, int64_t, json_t **);
enum tipoff_result	tipoff_ops_evidence(struct db *, int64_t,
			    const char *, const char *, const unsigned char *,
			    size_t, json_t **);

/* tipoff_http.c: the routes, and the form's checks the staff's share */
json_t	*tipoff_decode(json_t *, json_t *);
void	tipoff_challenge(struct api_call *, struct db *);
int	tipoff_submit_prepare(struct api_call *);
void	tipoff_submit(struct api_call *, struct db *);
int	tipoff_session_prepare(struct api_call *);
void	tipoff_session_create(struct api_call *, struct db *);
void	tipoff_session_delete(struct api_call *, struct db *);
void	tipoff_mine(struct api_call *, struct db *);
int	tipoff_message_prepare(struct api_call *);
void	tipoff_message(struct api_call *, struct db *);
int	tipoff_evidence_prepare(struct api_call *);
void	tipoff_evidence(struct api_call *, struct db *);
void	tipoff_acknowledgement(struct api_call *, struct db *);

#endif
