/*
 * Checkpoints of the audit chain: the newest row's id and hash, recorded
 * here and sent, signed, to MPS and CAC through the outbox.  The
 * ministries' copies are the witnesses that make a rewrite of the log
 * before a checkpoint visible even to someone who holds the audit key
 * and can write to the database (vcpctl audit verify FILE...).
 *
 * Taken on demand (vcpctl audit checkpoint) and by vcpnotifyd every
 * audit_checkpoint_interval seconds, after sealing the queue
 * (audit_seal).  A write on the head (turn + 1) comes first: its row lock
 * orders daemons on one node and certification between Galera nodes, so
 * that any number of daemons on any number of hosts take one checkpoint
 * per interval between them.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "audit/audit.h"
#include "crypto/crypto.h"
#include "crypto/sign.h"
#include "db/db.h"
#include "notify/notify.h"

static const char	*sql_turn =
    "UPDATE audit_head SET turn = turn + 1 WHERE id = 1";
static const char	*sql_head =
    "SELECT h.last_id, HEX(h.last_hash), l.key_id,"
    " DATE_FORMAT(NOW(6), '%Y-%m-%dT%H:%i:%sZ')"
    " FROM audit_head h LEFT JOIN audit_log l ON l.id = h.last_id"
    " WHERE h.id = 1";
static const char	*sql_last =
    "SELECT audit_id, created_at > NOW(6) - INTERVAL ? SECOND"
    " FROM audit_checkpoint ORDER BY id DESC LIMIT 1";
static const char	*sql_insert =
    "INSERT INTO audit_checkpoint (audit_id, hash, created_at)"
    " VALUES (?, UNHEX(?), NOW(6))";
static const char	*sql_marks =
    "SELECT id, audit_id, HEX(hash) FROM audit_checkpoint WHERE id > ?"
    " ORDER BY id LIMIT 1000";

struct audit_tip {
	uint64_t	row;
	char		hash[65];
	char		key_id[9];
	char		now[32];
};

/* Takes the head's turn and reads it; 1, or 0 on error. */
static int
audit_tip(struct db *db, struct audit_tip *t)
{
	struct db_stmt	*st;
	const char	*kid;

	if ((st = db_prepare(db, sql_turn)) == NULL || !db_execute(st))
		return (0);
	if ((st = db_prepare(db, sql_head)) == NULL || !db_execute(st) ||
	    db_fetch(st) != 1)
		return (0);
	t->row = (uint64_t)db_col_i64(st, 0);
	(void)snprintf(t->hash, sizeof(t->hash), "%s",
	    db_col_str(st, 1, NULL));
	kid = db_col_str(st, 2, NULL);
	(void)snprintf(t->key_id, sizeof(t->key_id), "%s",
	    kid != NULL ? kid : "");
	(void)snprintf(t->now, sizeof(t->now), "%s", db_col_str(st, 3, NULL));
	db_reset(st);
	return (1);
}

/* 1 when a checkpoint is due: none yet, or the last is old and stale. */
static int
audit_due(struct db *db, const struct audit_tip *t, int interval, int *due)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_last)) == NULL)
		return (0);
	db_bind_i64(st, 0, interval);
	if (!db_execute(st))
		return (0);
	if ((r = db_fetch(st)) < 0)
		return (0);
	*due = r == 0 || ((uint64_t)db_col_i64(st, 0) != t->row &&
	    db_col_i64(st, 1) == 0);
	db_reset(st);
	return (1);
}

static void
attr(xmlNodePtr n, const char *name, const char *value)
{
	xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* The <auditCheckpoint> element: the newest row and its link. */
static int
audit_checkpoint_build(xmlNodePtr root, xmlNsPtr ns, void *arg)
{
	const struct audit_tip	*t = arg;
	xmlNodePtr		cp;
	char			buf[32];

	cp = xmlNewChild(root, ns, (const xmlChar *)"auditCheckpoint", NULL);
	(void)snprintf(buf, sizeof(buf), "%" PRIu64, t->row);
	attr(cp, "row", buf);
	attr(cp, "hash", t->hash);
	if (t->key_id[0] != '\0')
		attr(cp, "keyId", t->key_id);
	return (1);
}

/*
 * Takes a checkpoint of the chain's head inside the caller's transaction.
 * With force, always (when the chain has rows); otherwise only when the
 * head moved and the last checkpoint is older than interval seconds.
 * Returns 1 taken (*row set), 0 not due, -1 on error.
 */
int
audit_checkpoint(struct db *db, int force, int interval, uint64_t *row)
{
	struct audit_tip	t;
	struct notify_subject	subject;
	struct db_stmt		*st;
	int			due;

	if (!audit_tip(db, &t))
		return (-1);
	due = 1;
	if (!force && !audit_due(db, &t, interval, &due))
		return (-1);
	if (!due || t.row == 0)
		return (0);
	if ((st = db_prepare(db, sql_insert)) == NULL)
		return (-1);
	db_bind_i64(st, 0, (int64_t)t.row);
	db_bind_str(st, 1, t.hash);
	if (!db_execute(st))
		return (-1);
	subject.type = "audit";
	subject.id = 0;
	if (!notify_emit(db, &subject, "audit_checkpoint", NULL,
	    audit_checkpoint_build, &t))
		return (-1);
	*row = t.row;
	return (1);
}

/* Every checkpoint recorded in the database, as marks for audit_verify. */
int
audit_checkpoint_marks(struct db *db, struct audit_mark **marks, size_t *n)
{
	struct db_stmt		*st;
	struct audit_mark	*m, *tmp;
	const char		*hex;
	size_t			cap, hexlen;
	int64_t			after;
	int			r, rows;

	*marks = NULL;
	*n = 0;
	cap = 0;
	after = 0;
	do {
		if ((st = db_prepare(db, sql_marks)) == NULL)
			return (0);
		db_bind_i64(st, 0, after);
		if (!db_execute(st))
			return (0);
		rows = 0;
		while ((r = db_fetch(st)) == 1) {
			rows++;
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				tmp = reallocarray(*marks, cap, sizeof(**marks));
				if (tmp == NULL) {
					db_reset(st);
					return (0);
				}
				*marks = tmp;
			}
			m = &(*marks)[(*n)++];
			after = db_col_i64(st, 0);
			m->id = (uint64_t)db_col_i64(st, 1);
			hex = db_col_str(st, 2, &hexlen);
			(void)crypto_unhex(hex, hexlen, m->hash,
			    sizeof(m->hash));
			(void)snprintf(m->source, sizeof(m->source),
			    "the database (checkpoint %" PRId64 ")", after);
		}
		db_reset(st);
		if (r < 0)
			return (0);
	} while (rows > 0);
	return (1);
}

/*
 * Reads a checkpoint as a ministry received it: the signature must be
 * ours and intact.  Returns 1 with *row and hash filled, 0 otherwise.
 */
int
audit_checkpoint_read(const char *buf, size_t len, uint64_t *row,
    uint8_t hash[32])
{
	xmlDocPtr	doc;
	xmlNodePtr	n;
	xmlChar		*r, *h;
	char		*end;
	int		ok;

	doc = xmlReadMemory(buf, (int)len, NULL, NULL,
	    XML_PARSE_NONET);
	if (doc == NULL)
		return (0);
	ok = 0;
	r = h = NULL;
	if (!sign_verify_doc(doc))
		goto cleanup;
	for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, (const xmlChar *)"auditCheckpoint"))
			break;
	}
	if (n == NULL)
		goto cleanup;
	r = xmlGetProp(n, (const xmlChar *)"row");
	h = xmlGetProp(n, (const xmlChar *)"hash");
	if (r == NULL || h == NULL)
		goto cleanup;
	*row = strtoull((const char *)r, &end, 10);
	ok = *end == '\0' && *row > 0 &&
	    crypto_unhex((const char *)h, strlen((const char *)h), hash, 32);
cleanup:
	xmlFree(r);
	xmlFree(h);
	xmlFreeDoc(doc);
	return (ok);
}
