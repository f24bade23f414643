/*
 * The reporter's operations, Kore-free: a challenge, a submission, a
 * session opened with the receipt code, the case as the reporter sees
 * it, evidence.  Each runs inside the caller's transaction.  The client
 * address reaches here only to key the rate limits, as keyed hashes
 * (src/ratelimit); it is stored nowhere.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attachment/attachment.h"
#include "config.h"
#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "db/db.h"
#include "ratelimit/ratelimit.h"
#include "tipoff/tipoff.h"
#include "tipoff/tipoff_case.h"

/* Every address shares this key: the overall limits. */
#define TIPOFF_ALL	"*"

/*
 * Checks a per-address and an overall limit; 1 to go on, 0 throttled
 * (*retry set), -1 error.
 */
static int
tipoff_limits(struct db *db, const char *bucket, const char *client,
    int window, int max, int total, struct ratelimit_key *ik,
    struct ratelimit_key *ak, int *retry)
{
	int	r;

	if (!ratelimit_key(bucket, client, ik) ||
	    !ratelimit_key(bucket, TIPOFF_ALL, ak))
		return (-1);
	r = ratelimit_check(db, ik, window, max, retry);
	if (r == 1)
		r = ratelimit_check(db, ak, window, total, retry);
	return (r);
}

static int
tipoff_hit(struct db *db, const struct ratelimit_key *ik,
    const struct ratelimit_key *ak)
{
	return (ratelimit_hit(db, ik) && ratelimit_hit(db, ak));
}

enum tipoff_result
tipoff_ops_challenge(struct db *db, const char *client,
    struct tipoff_challenge_out *out)
{
	struct ratelimit_key	ik;
	uint8_t			id[16], salt[TIPOFF_SALT_LEN];
	int			r;

	memset(out, 0, sizeof(*out));
	/* Only per address: the overall bound is the submissions'. */
	if (!ratelimit_key("tipoff_challenge", client, &ik))
		return (TIPOFF_ERROR);
	r = ratelimit_check(db, &ik, vcp_conf.tipoff_submit_window,
	    vcp_conf.tipoff_challenge_max, &out->retry_after);
	if (r < 0)
		return (TIPOFF_ERROR);
	if (r == 0)
		return (TIPOFF_THROTTLED);
	if (!ratelimit_hit(db, &ik) || !crypto_random(id, sizeof(id)) ||
	    !crypto_random(salt, sizeof(salt)))
		return (TIPOFF_ERROR);
	(void)crypto_b64url(id, sizeof(id), out->id, sizeof(out->id));
	crypto_hex(salt, sizeof(salt), out->salt);
	out->difficulty = vcp_conf.tipoff_pow_difficulty;
	if (!tipoff_store_challenge_new(db, out->id, salt, out->difficulty,
	    vcp_conf.tipoff_challenge_ttl, out->expires_at,
	    sizeof(out->expires_at)))
		return (TIPOFF_ERROR);
	return (TIPOFF_OK);
}

/* Spends the challenge and checks the nonce against it. */
static enum tipoff_result
tipoff_proof(struct db *db, const struct tipoff_in *in)
{
	struct tipoff_challenge	c;
	int			r;

	if ((r = tipoff_store_challenge_take(db, in->challenge, &c)) < 0)
		return (TIPOFF_ERROR);
	if (r == 0)
		return (TIPOFF_POW_UNKNOWN);
	if (c.used)
		return (TIPOFF_POW_USED);
	if (c.expired)
		return (TIPOFF_POW_EXPIRED);
	if (!tipoff_pow_ok(c.salt, in->nonce, c.difficulty))
		return (TIPOFF_POW_WRONG);
	return (TIPOFF_OK);
}

static void
tipoff_now(char *out, size_t len)
{
	time_t		now;
	struct tm	tm;

	now = time(NULL);
	(void)gmtime_r(&now, &tm);
	(void)strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * A new case.  The challenge is spent whatever the outcome, so the
 * caller keeps the transaction on a refusal of the proof.
 */
enum tipoff_result
tipoff_ops_submit(struct db *db, const struct tipoff_in *in,
    struct tipoff_receipt *out)
{
	struct ratelimit_key	ik, ak;
	enum tipoff_result	res;
	int			r;

	memset(out, 0, sizeof(*out));
	r = tipoff_limits(db, "tipoff_submit", in->client,
	    vcp_conf.tipoff_submit_window, vcp_conf.tipoff_submit_max,
	    vcp_conf.tipoff_submit_total_max, &ik, &ak, &out->retry_after);
	if (r < 0)
		return (TIPOFF_ERROR);
	if (r == 0)
		return (TIPOFF_THROTTLED);
	if ((res = tipoff_proof(db, in)) != TIPOFF_OK)
		return (res);
	/* A valid proof counts, whatever follows. */
	if (!tipoff_hit(db, &ik, &ak))
		return (TIPOFF_ERROR);
	return (tipoff_ops_file(db, in, out));
}

/*
 * Files a case whatever the way in (the web form, a phone call recorded
 * by staff, an e-mail): reference, receipt code, sealed content and the
 * signed acknowledgement.  No limits or proof here: the caller's.
 */
enum tipoff_result
tipoff_ops_file(struct db *db, const struct tipoff_in *in,
    struct tipoff_receipt *out)
{
	uint8_t			rnd[TIPOFF_REF_RANDOM], hash[CRYPTO_SHA256_LEN];
	uint8_t			digest[CRYPTO_SHA256_LEN];
	char			*canon, *content, *ack;
	char			dbtime[32];
	size_t			acklen;
	int64_t			filing;
	int			r, ok;

	filing = 0;
	if (in->filing_number != NULL) {
		r = tipoff_store_filing_id(db, in->filing_number, &filing);
		if (r < 0)
			return (TIPOFF_ERROR);
		if (r == 0)
			return (TIPOFF_NO_FILING);
	}

	tipoff_now(out->received_at, sizeof(out->received_at));
	(void)snprintf(dbtime, sizeof(dbtime), "%.10s %.8s", out->received_at,
	    out->received_at + 11);
	if (!crypto_random(rnd, sizeof(rnd)) ||
	    !tipoff_reference_format(atoi(out->received_at), rnd,
	    out->reference, sizeof(out->reference)) ||
	    !tipoff_code_make(out->code) ||
	    !tipoff_code_hash(out->code, TIPOFF_CODE_LEN, vcp_conf.argon2_t,
	    vcp_conf.argon2_m, hash))
		return (TIPOFF_ERROR);
	if ((canon = tipoff_canonical(in->submission)) == NULL)
		return (TIPOFF_ERROR);
	crypto_sha256(canon, strlen(canon), digest);
	crypto_hex(digest, sizeof(digest), out->sha256);
	content = seal(canon, strlen(canon));
	free(canon);
	out->ack = tipoff_ack_build(out->reference, out->received_at,
	    in->category, json_object_get(in->submission, "platform"),
	    out->sha256, &acklen);
	ack = out->ack != NULL ? seal(out->ack, acklen) : NULL;
	ok = content != NULL && ack != NULL &&
	    tipoff_store_insert(db, out->reference, hash, in->category, filing,
	    content, out->sha256, ack, dbtime, &out->id);
	free(content);
	free(ack);
	explicit_bzero(hash, sizeof(hash));
	return (ok ? TIPOFF_OK : TIPOFF_ERROR);
}

/*
 * Opens a reporter session with a receipt code.  Every wrong code, well
 * formed or not, costs the same Argon2 hash and gets the same answer,
 * and counts against the address and against everyone.
 */
enum tipoff_result
tipoff_ops_open(struct db *db, const char *client, const char *code,
    size_t len, struct tipoff_session_out *out)
{
	struct ratelimit_key	ik, ak;
	uint8_t			hash[CRYPTO_SHA256_LEN], token[CRYPTO_TOKEN_LEN];
	uint8_t			csrf[CRYPTO_TOKEN_LEN], th[CRYPTO_SHA256_LEN];
	int			r, valid;

	memset(out, 0, sizeof(*out));
	r = tipoff_limits(db, "tipoff_code", client,
	    vcp_conf.tipoff_code_fail_window, vcp_conf.tipoff_code_fail_max,
	    vcp_conf.tipoff_code_fail_total_max, &ik, &ak, &out->retry_after);
	if (r < 0)
		return (TIPOFF_ERROR);
	if (r == 0)
		return (TIPOFF_THROTTLED);
	valid = tipoff_code_valid(code, len);
	if (!tipoff_code_hash(valid ? code : "0000000000000000",
	    TIPOFF_CODE_LEN, vcp_conf.argon2_t, vcp_conf.argon2_m, hash))
		return (TIPOFF_ERROR);
	r = tipoff_store_by_receipt(db, hash, &out->id);
	if (r < 0)
		return (TIPOFF_ERROR);
	if (r == 0 || !valid) {
		if (!tipoff_hit(db, &ik, &ak))
			return (TIPOFF_ERROR);
		return (TIPOFF_BAD_CODE);
	}
	if (!crypto_random(token, sizeof(token)) ||
	    !crypto_random(csrf, sizeof(csrf)))
		return (TIPOFF_ERROR);
	(void)crypto_b64url(token, sizeof(token), out->token,
	    sizeof(out->token));
	(void)crypto_b64url(csrf, sizeof(csrf), out->csrf, sizeof(out->csrf));
	crypto_sha256(token, sizeof(token), th);
	if (!tipoff_store_session_new(db, th, out->id, out->csrf,
	    vcp_conf.tipoff_session_max, out->expires_at,
	    sizeof(out->expires_at)))
		return (TIPOFF_ERROR);
	return (TIPOFF_OK);
}

static struct attachment_owner
tipoff_owner(int64_t id)
{
	struct attachment_owner	o;

	o.type = "tipoff";
	o.id = id;
	return (o);
}

/* The case as its reporter sees it: status, messages, evidence. */
enum tipoff_result
tipoff_ops_view(struct db *db, int64_t id, json_t **out)
{
	struct attachment_owner	o;
	json_t			*messages, *evidence;
	int			acted;

	if (tipoff_store_show(db, id, out) != 1)
		return (TIPOFF_ERROR);
	acted = 0;
	messages = json_array();
	evidence = json_array();
	o = tipoff_owner(id);
	json_object_set_new(*out, "messages", messages);
	json_object_set_new(*out, "evidence", evidence);
	if (!tipoff_store_messages(db, id, messages) ||
	    !attachment_store_list(db, &o, evidence) ||
	    !tipoff_outcome_any(db, id, &acted)) {
		json_decref(*out);
		*out = NULL;
		return (TIPOFF_ERROR);
	}
	/*
	 * Only that action followed a verified report: not which, nor the
	 * reasons, which may name people (docs/design.md).
	 */
	json_object_set_new(*out, "action_taken", json_boolean(acted));
	return (TIPOFF_OK);
}

/* data: checked by content already (attachment_ops_check); sealed here. */
enum tipoff_result
tipoff_ops_evidence(struct db *db, int64_t id, const char *filename,
    const char *type, const unsigned char *data, size_t len, json_t **view)
{
	struct attachment_owner	o;
	struct attachment_in	in;
	char			hex[ATTACHMENT_SHA256_HEX];
	int64_t			aid;

	*view = NULL;
	if (tipoff_store_lock(db, id) != 1)
		return (TIPOFF_ERROR);
	memset(&in, 0, sizeof(in));
	in.kind = "evidence";
	in.filename = filename;
	in.media_type = type;
	in.data = data;
	in.len = len;
	in.sealed = 1;
	o = tipoff_owner(id);
	switch (attachment_ops_add(db, &o, vcp_conf.tipoff_evidence_max, &in,
	    &aid, hex)) {
	case ATTACHMENT_OK:
		break;
	case ATTACHMENT_TOO_MANY:
		return (TIPOFF_TOO_MANY_FILES);
	default:
		return (TIPOFF_ERROR);
	}
	*view = json_pack("{s:I,s:s,s:s,s:I,s:s}", "id", (json_int_t)aid,
	    "media_type", type, "filename", filename, "size", (json_int_t)len,
	    "sha256", hex);
	return (*view != NULL ? TIPOFF_OK : TIPOFF_ERROR);
}
