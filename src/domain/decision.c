/*
 * Review decisions: their names, the input each needs (checked into a
 * fields object), and one table of what each does to a filing or to a
 * change: the state-machine event, the history entry, and the event the
 * ministries receive.
 */

#include <string.h>

#include "domain/change_state.h"
#include "domain/decision.h"
#include "domain/field.h"
#include "domain/filing_form.h"
#include "domain/filing_state.h"
#include "domain/validate.h"

static const char	*names[DECISION_MAX] = {
	"approve", "correct", "reject"
};

static const struct decision_effect	effects[DECISION_CASE_MAX]
    [DECISION_MAX] = {
	[DECISION_FILING] = {
		[DECISION_APPROVE] = { EV_APPROVE, "approved", "filed" },
		[DECISION_CORRECT] = { EV_CORRECT, "correction_requested",
		    NULL },
		[DECISION_REJECT] = { EV_REJECT, "rejected", NULL },
	},
	[DECISION_CHANGE] = {
		[DECISION_APPROVE] = { CHANGE_EV_APPROVE, "change_approved",
		    "changed" },
		[DECISION_CORRECT] = { CHANGE_EV_CORRECT,
		    "change_correction_requested", NULL },
		[DECISION_REJECT] = { CHANGE_EV_REJECT, "change_rejected",
		    NULL },
	},
};

int
decision_parse(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < DECISION_MAX; i++) {
		if (!strcmp(names[i], s))
			return (i);
	}
	return (-1);
}

const char *
decision_name(enum decision d)
{
	if ((int)d < 0 || d >= DECISION_MAX)
		return ("unknown");
	return (names[d]);
}

const struct decision_effect *
decision_effect(enum decision_case c, enum decision d)
{
	if ((int)c < 0 || c >= DECISION_CASE_MAX || (int)d < 0 ||
	    d >= DECISION_MAX)
		return (NULL);
	return (&effects[c][d]);
}

/* A correction lists 1 to 50 items, each naming a field and its problem. */
static void
decision_items(const json_t *items, json_t *fields)
{
	enum validate_result	v;
	json_t			*it;
	const char		*f, *p;
	size_t			i;

	if (!json_is_array(items) || json_array_size(items) < 1 ||
	    json_array_size(items) > DECISION_ITEMS_MAX) {
		field_error(fields, "items", "required",
		    "补正须列出1至50项，每项指明字段及问题");
		return;
	}
	json_array_foreach(items, i, it) {
		f = json_string_value(json_object_get(it, "field"));
		p = json_string_value(json_object_get(it, "problem"));
		if (!json_is_object(it) || json_object_size(it) != 2 ||
		    f == NULL || p == NULL)
			v = VALIDATE_EMPTY;
		else if ((v = validate_text(f, strlen(f), 96, 0)) ==
		    VALIDATE_OK)
			v = validate_text(p, strlen(p), 500, 1);
		if (v == VALIDATE_EMPTY) {
			field_error(fields, "items", "format", "每项须为 "
			    "{\"field\": 字段, \"problem\": 问题说明}");
			return;
		}
		if (v != VALIDATE_OK) {
			field_error(fields, "items", validate_code(v),
			    validate_message(v));
			return;
		}
		/* The operator is pointed there: it must exist. */
		if (!filing_form_path_valid(f)) {
			field_error(fields, "items", "unknown_field", "字段须为"
			    "表单中的字段，如 platform.publish_urls[0]");
			return;
		}
	}
}

/*
 * Checks a decision's input ({"decision", "items" | "reasons"}) into
 * fields.  Returns 1 when it may be taken.
 */
int
decision_check(const json_t *in, json_t *fields)
{
	int	d;

	d = decision_parse(json_string_value(json_object_get(in,
	    "decision")));
	if (d < 0)
		field_error(fields, "decision", "format",
		    "须为 approve、correct 或 reject");
	else if (d == DECISION_CORRECT)
		decision_items(json_object_get(in, "items"), fields);
	else if (d == DECISION_REJECT)
		(void)field_text(fields, "reasons", json_object_get(in,
		    "reasons"), 2000, "驳回须说明理由");
	return (json_object_size(fields) == 0);
}

/* The input of a decision that passed decision_check.  0 if it did not. */
int
decision_decode(const json_t *in, struct decision_input *d)
{
	int	v;

	if ((v = decision_parse(json_string_value(json_object_get(in,
	    "decision")))) < 0)
		return (0);
	d->decision = v;
	d->items = json_object_get(in, "items");
	d->reasons = json_object_get(in, "reasons");
	return (1);
}
