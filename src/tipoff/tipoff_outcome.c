/*
 * What a verified tip-off led to (its outcomes): the SQL, and the
 * referral's payload (the <tipoffReferral> element of
 * schema/notification.xsd) sent through the outbox to one ministry.
 * The reasons are sealed at rest: they may name people.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "crypto/seal.h"
#include "db/db.h"
#include "db/db_json.h"
#include "log.h"
#include "notify/notify.h"
#include "tipoff/tipoff_case.h"
#include "tipoff/tipoff_outcome.h"
#include "xml/xml_check.h"

#define TS	"'%Y-%m-%dT%H:%i:%sZ'"

static const char	*sql_add =
    "INSERT INTO tipoff_outcome (tipoff_id, kind, due_on, ministry,"
    " filing_id, reasons, account_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6))";
static const char	*sql_list =
    "SELECT o.id, o.kind, DATE_FORMAT(o.due_on, '%Y-%m-%d'), o.ministry,"
    " f.filing_number, o.reasons, o.account_id, a.login,"
    " DATE_FORMAT(o.created_at, " TS ") FROM tipoff_outcome o"
    " JOIN account a ON a.id = o.account_id"
    " LEFT JOIN filing f ON f.id = o.filing_id WHERE o.tipoff_id = ?"
    " ORDER BY o.id";
static const char	*sql_any =
    "SELECT COUNT(*) FROM tipoff_outcome WHERE tipoff_id = ?";

/* Records an outcome; the strings NULL where they do not apply. */
int
tipoff_outcome_add(struct db *db, int64_t id, const struct tipoff_outcome_in *in,
    int64_t filing, int64_t account, int64_t *oid)
{
	struct db_stmt	*st;
	char		*sealed;
	int		ok;

	if ((sealed = seal(in->reasons, strlen(in->reasons))) == NULL)
		return (0);
	ok = (st = db_prepare(db, sql_add)) != NULL;
	if (ok) {
		db_bind_i64(st, 0, id);
		db_bind_str(st, 1, in->kind);
		if (in->due_on != NULL)
			db_bind_str(st, 2, in->due_on);
		else
			db_bind_null(st, 2);
		if (in->ministry != NULL)
			db_bind_str(st, 3, in->ministry);
		else
			db_bind_null(st, 3);
		if (filing != 0)
			db_bind_i64(st, 4, filing);
		else
			db_bind_null(st, 4);
		db_bind_str(st, 5, sealed);
		db_bind_i64(st, 6, account);
		ok = db_execute(st);
	}
	free(sealed);
	if (ok)
		*oid = (int64_t)db_insert_id(st);
	return (ok);
}

/* The case's outcomes for staff, oldest first, the reasons opened. */
int
tipoff_outcome_list(struct db *db, int64_t id, json_t *out)
{
	struct db_stmt	*st;
	char		*reasons;
	int		r;

	if ((st = db_prepare(db, sql_list)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (0);
	while ((r = db_fetch(st)) == 1) {
		if ((reasons = unseal(db_col_str(st, 5, NULL))) == NULL) {
			r = -1;
			break;
		}
		json_array_append_new(out, json_pack(
		    "{s:I,s:s,s:o,s:o,s:o,s:s,s:I,s:s,s:s}",
		    "id", (json_int_t)db_col_i64(st, 0),
		    "kind", db_col_str(st, 1, NULL),
		    "due_on", db_col_jstr(st, 2),
		    "ministry", db_col_jstr(st, 3),
		    "filing_number", db_col_jstr(st, 4),
		    "reasons", reasons,
		    "account_id", (json_int_t)db_col_i64(st, 6),
		    "login", db_col_str(st, 7, NULL),
		    "created_at", db_col_str(st, 8, NULL)));
		explicit_bzero(reasons, strlen(reasons));
		free(reasons);
	}
	db_reset(st);
	return (r == 0);
}

/* Whether any outcome was recorded: 1 with *any set, 0 on error. */
int
tipoff_outcome_any(struct db *db, int64_t id, int *any)
{
	struct db_stmt	*st;
	int		r;

	if ((st = db_prepare(db, sql_any)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	if (!db_execute(st))
		return (0);
	if ((r = db_fetch(st)) == 1)
		*any = db_col_i64(st, 0) > 0;
	db_reset(st);
	return (r == 1);
}

static const char *
jstr(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

static void
el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	if (text != NULL)
		(void)xmlNewTextChild(parent, ns, (const xmlChar *)name,
		    (const xmlChar *)text);
}

static void
attr(xmlNodePtr n, const char *name, const char *value)
{
	if (value != NULL)
		(void)xmlNewProp(n, (const xmlChar *)name,
		    (const xmlChar *)value);
}

struct tipoff_referral {
	const json_t	*detail;	/* tipoff_case_detail's */
	const char	*reasons;
	const char	*ministry;
};

/*
 * The outbox's builder.  The reporter's contact details are never sent
 * (docs/design.md): only whether the portal holds any, so the ministry
 * may ask the regulator for them through official channels.
 */
static int
tipoff_referral_build(xmlNodePtr root, xmlNsPtr ns, void *arg)
{
	struct tipoff_referral	*ref = arg;
	const json_t		*d, *sub, *p, *c;
	xmlNodePtr		t, n;

	d = ref->detail;
	sub = json_object_get(d, "submission");
	p = json_object_get(sub, "platform");
	c = json_object_get(sub, "contact");
	t = xmlNewChild(root, ns, (const xmlChar *)"tipoffReferral", NULL);
	attr(t, "reference", jstr(d, "reference"));
	attr(t, "category", jstr(d, "category"));
	attr(t, "channel", jstr(d, "channel"));
	attr(t, "ministry", ref->ministry);
	attr(t, "reporterContact", json_object_size(c) > 0 ? "on_file" :
	    "none");
	el(t, ns, "receivedAt", jstr(d, "received_at"));
	if (jstr(d, "decided_at") != NULL)
		el(t, ns, "verifiedAt", jstr(d, "decided_at"));
	n = xmlNewChild(t, ns, (const xmlChar *)"platform", NULL);
	if (jstr(d, "filing_number") != NULL)
		el(n, ns, "filingNumber", jstr(d, "filing_number"));
	else if (jstr(p, "filing_number") != NULL)
		el(n, ns, "filingNumber", jstr(p, "filing_number"));
	el(n, ns, "name", jstr(p, "name"));
	el(n, ns, "url", jstr(p, "url"));
	el(t, ns, "description", jstr(sub, "description") != NULL ?
	    jstr(sub, "description") : "");
	el(t, ns, "occurredOn", jstr(sub, "occurred_on"));
	el(t, ns, "reasons", ref->reasons);
	return (1);
}

/*
 * Emits the referral to the one ministry, inside the transaction that
 * records the outcome.  A case holding a character XML 1.0 cannot carry
 * fails here rather than blocking the ministry's queue for ever.
 */
int
tipoff_outcome_refer(struct db *db, int64_t id, const char *ministry,
    const char *reasons)
{
	struct tipoff_referral	ref;
	struct notify_subject	subject;
	const char		*to[2];
	json_t			*detail;
	int			ok;

	if (tipoff_case_detail(db, id, &detail) != 1)
		return (0);
	if (!xml_check_json(detail)) {
		vcp_log(LOG_ERR, "referral of tip-off %lld refused: the case "
		    "holds a character XML 1.0 cannot carry", (long long)id);
		json_decref(detail);
		return (0);
	}
	ref.detail = detail;
	ref.reasons = reasons;
	ref.ministry = ministry;
	subject.type = "tipoff";
	subject.id = id;
	to[0] = ministry;
	to[1] = NULL;
	ok = notify_emit(db, &subject, "referred", to, tipoff_referral_build,
	    &ref);
	json_decref(detail);
	return (ok);
}
