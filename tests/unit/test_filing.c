#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "attachment/attachment.h"
#include "domain/attachment.h"
#include "domain/calendar.h"
#include "domain/change_state.h"
#include "domain/decision.h"
#include "domain/field.h"
#include "domain/filing_form.h"
#include "domain/filing_state.h"
#include "review/review.h"

static int32_t
D(const char *s)
{
	int32_t	d;

	assert_true(cal_date_parse(s, strlen(s), &d));
	return (d);
}

/* Every (status, event) pair: the allowed ones lead where they should,
 * every other one is refused. */
static void
test_transitions(void **state)
{
	static const struct {
		enum filing_status	from;
		enum filing_event	ev;
		enum filing_status	to;
	} allowed[] = {
		{ FILING_DRAFT, EV_EDIT, FILING_DRAFT },
		{ FILING_DRAFT, EV_SUBMIT, FILING_SUBMITTED },
		{ FILING_CORRECTION, EV_EDIT, FILING_CORRECTION },
		{ FILING_CORRECTION, EV_SUBMIT, FILING_SUBMITTED },
		{ FILING_SUBMITTED, EV_APPROVE, FILING_FILED },
		{ FILING_SUBMITTED, EV_CORRECT, FILING_CORRECTION },
		{ FILING_SUBMITTED, EV_REJECT, FILING_REJECTED },
		{ FILING_FILED, EV_CHANGE, FILING_FILED },
		{ FILING_FILED, EV_DEREGISTER, FILING_DEREGISTERED },
		{ FILING_FILED, EV_REVOKE, FILING_REVOKED },
	};
	enum filing_status	to;
	size_t			i;
	int			s, e, want, nallowed;

	(void)state;
	nallowed = 0;
	for (s = 0; s < FILING_STATUS_MAX; s++) {
		for (e = 0; e < EV_EVENT_MAX; e++) {
			want = -1;
			for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]);
			    i++) {
				if ((int)allowed[i].from == s &&
				    (int)allowed[i].ev == e)
					want = (int)allowed[i].to;
			}
			if (want < 0) {
				assert_false(filing_transition(s, e, &to));
				continue;
			}
			nallowed++;
			assert_true(filing_transition(s, e, &to));
			assert_int_equal(to, want);
		}
	}
	assert_int_equal(nallowed, 10);
	/* ends are ends: nothing leaves rejected, deregistered, revoked */
	for (e = 0; e < EV_EVENT_MAX; e++) {
		assert_false(filing_transition(FILING_REJECTED, e, &to));
		assert_false(filing_transition(FILING_DEREGISTERED, e, &to));
		assert_false(filing_transition(FILING_REVOKED, e, &to));
	}
	assert_int_equal(filing_status_parse("correction_requested"),
	    FILING_CORRECTION);
	assert_int_equal(filing_status_parse("nonsense"), -1);
	assert_true(filing_is_public(FILING_DEREGISTERED));
	assert_false(filing_is_public(FILING_SUBMITTED));
	assert_false(filing_is_public(FILING_DRAFT));
}

static void
test_filing_numbers(void **state)
{
	char	n[FILING_NUMBER_MAX], bad[FILING_NUMBER_MAX];
	size_t	i;
	char	c;

	(void)state;
	assert_true(filing_number_format("VCP", 2026, 123, n, sizeof(n)));
	assert_int_equal(strncmp(n, "VCP-2026-000123-", 16), 0);
	assert_true(filing_number_check("VCP", n));
	/* every single-digit typo is caught */
	for (i = 4; i < strlen(n) - 2; i++) {
		if (n[i] == '-')
			continue;
		for (c = '0'; c <= '9'; c++) {
			if (c == n[i])
				continue;
			memcpy(bad, n, sizeof(bad));
			bad[i] = c;
			assert_false(filing_number_check("VCP", bad));
		}
	}
	/* and swapping two neighbouring digits */
	memcpy(bad, n, sizeof(bad));
	bad[13] = n[14];
	bad[14] = n[13];
	if (bad[13] != bad[14])
		assert_false(filing_number_check("VCP", bad));
	assert_false(filing_number_check("XYZ", n));
	assert_false(filing_number_check("VCP", "VCP-2026-000123"));
	assert_false(filing_number_format("VCP", 2026, 0, n, sizeof(n)));
	assert_false(filing_number_format("VCP", 2026, 1000000, n, sizeof(n)));
	assert_false(filing_number_format("VCP", 2026, 1, n, 10));
}

static struct calendar *
load_calendar(void)
{
	struct calendar	*cal;
	int32_t		d;

	/* a small notice of our own: 2023-01 with the New Year holiday */
	cal = calendar_new();
	assert_true(calendar_add_year(cal, 2023));
	assert_true(calendar_add_year(cal, 2025));
	for (d = D("2023-01-01"); d <= D("2023-01-02"); d++)
		assert_true(calendar_mark(cal, d, CAL_HOLIDAY));
	for (d = D("2025-10-01"); d <= D("2025-10-08"); d++)
		assert_true(calendar_mark(cal, d, CAL_HOLIDAY));
	assert_true(calendar_mark(cal, D("2025-09-28"), CAL_WORKDAY));
	assert_true(calendar_mark(cal, D("2025-10-11"), CAL_WORKDAY));
	return (cal);
}

static void
test_review_flags(void **state)
{
	struct calendar		*cal;
	struct review_flags	f;
	int			missing;
	char			buf[11];

	(void)state;
	cal = load_calendar();
	/* the spec's example, seen on the day after receipt */
	assert_true(filing_review_flags(cal, D("2025-09-26"), D("2025-12-01"),
	    D("2025-09-29"), &f, &missing));
	cal_date_format(f.deadline, buf);
	assert_string_equal(buf, "2025-10-16");
	assert_int_equal(f.workdays_left, 8);
	assert_false(f.overdue);
	assert_false(f.online_before_filing);
	/* two working days past the deadline */
	assert_true(filing_review_flags(cal, D("2025-09-26"), D("2025-12-01"),
	    D("2025-10-20"), &f, &missing));
	assert_true(f.overdue);
	assert_int_equal(f.workdays_left, -2);
	/* already online when applying */
	assert_true(filing_review_flags(cal, D("2025-09-26"), D("2025-09-01"),
	    D("2025-09-26"), &f, &missing));
	assert_true(f.online_before_filing);
	/* online before the measures, filed within the grace period:
	 * 2023-01-01 + 10 working days is 2023-01-16 */
	assert_true(filing_review_flags(cal, D("2023-01-16"), D("2022-06-01"),
	    D("2023-01-16"), &f, &missing));
	assert_false(f.online_before_filing);
	assert_true(filing_review_flags(cal, D("2023-01-17"), D("2022-06-01"),
	    D("2023-01-17"), &f, &missing));
	assert_true(f.online_before_filing);
	calendar_free(cal);
}

static void
test_change_deadline(void **state)
{
	struct calendar	*cal;
	int32_t		deadline;
	int		late, missing;
	char		buf[11];

	(void)state;
	cal = load_calendar();
	/* 2025-09-05 + 30 days is a holiday; the deadline moves to 10-09 */
	assert_true(filing_change_late(cal, D("2025-09-05"), D("2025-10-09"),
	    &deadline, &late, &missing));
	cal_date_format(deadline, buf);
	assert_string_equal(buf, "2025-10-09");
	assert_false(late);
	assert_true(filing_change_late(cal, D("2025-09-05"), D("2025-10-10"),
	    &deadline, &late, &missing));
	assert_true(late);
	assert_false(filing_change_late(cal, D("2025-12-20"), D("2026-01-30"),
	    &deadline, &late, &missing));
	assert_int_equal(missing, 2026);
	calendar_free(cal);
}

static void
test_form_and_masks(void **state)
{
	json_t	*form, *errors, *rec;
	char	out[64];

	(void)state;
	form = json_pack("{s:{s:s,s:[s,i]},s:{s:s,s:s}}",
	    "platform", "homepage", "https://a.example.com/x",
	    "publish_urls", "https://a.example.com", 5,
	    "sponsor", "type", "individual", "id_number", "110105194912310021");
	errors = json_object();
	assert_false(filing_form_check(form, FORM_DRAFT, 20261122, errors,
	    NULL));
	assert_non_null(json_object_get(errors, "platform.publish_urls[1]"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    errors, "sponsor.id_number"), "code")), "checksum");
	assert_null(json_object_get(errors, "platform.name"));
	json_decref(errors);
	errors = json_object();
	assert_false(filing_form_check(form, FORM_COMPLETE, 20261122, errors,
	    NULL));
	assert_non_null(json_object_get(errors, "platform.name"));
	assert_non_null(json_object_get(errors, "rules.publication"));
	json_decref(errors);

	rec = filing_public_record(form, "VCP-2026-000001-5", "filed",
	    "2026-11-22", NULL);
	assert_null(json_object_get(json_object_get(rec, "sponsor"),
	    "id_number"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    rec, "platform"), "homepage")), "https://a.example.com/x");
	json_decref(rec);
	json_decref(form);

	filing_mask("sponsor.id_number", "11010519491231002X", out,
	    sizeof(out));
	assert_string_equal(out, "1101**********002X");
	filing_mask("principal.mobile", "13812345678", out, sizeof(out));
	assert_string_equal(out, "138****5678");
	filing_mask("contact.email", "zhangsan@example.com", out, sizeof(out));
	assert_string_equal(out, "z***@example.com");
}

static void
test_attachment_sniff(void **state)
{
	(void)state;
	assert_string_equal(attachment_sniff((const unsigned char *)
	    "%PDF-1.7", 8), "application/pdf");
	assert_string_equal(attachment_sniff((const unsigned char *)
	    "\x89PNG\r\n\x1a\n", 8), "image/png");
	assert_string_equal(attachment_sniff((const unsigned char *)
	    "\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_null(attachment_sniff((const unsigned char *)"%PDF", 4));
	assert_null(attachment_sniff((const unsigned char *)"GIF89a", 6));
	assert_null(attachment_sniff((const unsigned char *)"", 0));
	assert_true(attachment_type_matches("application/pdf",
	    "application/pdf"));
	assert_true(attachment_type_matches("Image/PNG; q=1", "image/png"));
	assert_false(attachment_type_matches("image/jpeg", "image/png"));
	assert_false(attachment_type_matches("image/pngx", "image/png"));
	assert_true(attachment_kind_valid("commitment_letter"));
	assert_false(attachment_kind_valid("passport"));
}

/* Correction items must point at a place of the form. */
static void
test_form_paths(void **state)
{
	static const char	*good[] = {
		"platform.name", "platform.homepage", "platform.icp",
		"platform.online_date", "platform.publish_urls",
		"platform.publish_urls[0]", "platform.publish_urls[1]",
		"platform.publish_urls[19]", "platform.social_accounts",
		"platform.social_accounts[0]", "platform.social_accounts[3].app",
		"platform.social_accounts[19].account",
		"sponsor.name", "sponsor.type", "sponsor.id_number",
		"principal.name", "principal.mobile", "principal.email",
		"contact.name", "contact.mobile", "contact.email",
		"rules.collection", "rules.classification",
		"rules.user_verification", "mlps.certificate_number",
		"mlps.level", "management.description",
		"attachments.mlps_certificate", "attachments.commitment_letter",
		"attachments.management", "attachments.other",
	};
	static const char	*bad[] = {
		"", "no.such", "platform", "platform.", ".name",
		"platform.nam", "platform.namex", "platform.name.x",
		"platform.name[0]", "Platform.name", "platform.Name",
		"platform..name", "sponsor.mobile", "mlps.description",
		"platform.publish_urls[20]", "platform.publish_urls[01]",
		"platform.publish_urls[-1]", "platform.publish_urls[+1]",
		"platform.publish_urls[]", "platform.publish_urls[1",
		"platform.publish_urls[ 1]", "platform.publish_urls[1].app",
		"platform.publish_urls[1][2]",
		"platform.publish_urls[99999999999999999999999]",
		"platform.social_accounts[0].name",
		"platform.social_accounts[0].app.x",
		"platform.social_accounts.app", "platform.social_accounts[20]",
		"attachments", "attachments.", "attachments.photo",
		"attachments.other.x", "form.platform.name", " platform.name",
		"platform.name ",
	};
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (!filing_form_path_valid(good[i]))
			fail_msg("refused \"%s\"", good[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (filing_form_path_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

/* The change's table, pair by pair, as for the filing. */
static void
test_change_transitions(void **state)
{
	static const struct {
		enum change_status	from;
		enum change_event	ev;
		enum change_status	to;
	} allowed[] = {
		{ CHANGE_SUBMITTED, CHANGE_EV_APPROVE, CHANGE_APPROVED },
		{ CHANGE_SUBMITTED, CHANGE_EV_CORRECT, CHANGE_CORRECTION },
		{ CHANGE_SUBMITTED, CHANGE_EV_REJECT, CHANGE_REJECTED },
		{ CHANGE_CORRECTION, CHANGE_EV_RESUBMIT, CHANGE_SUBMITTED },
	};
	enum change_status	to;
	size_t			i;
	int			s, e, want, nallowed;

	(void)state;
	nallowed = 0;
	for (s = 0; s < CHANGE_STATUS_MAX; s++) {
		for (e = 0; e < CHANGE_EV_MAX; e++) {
			want = -1;
			for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]);
			    i++) {
				if ((int)allowed[i].from == s &&
				    (int)allowed[i].ev == e)
					want = (int)allowed[i].to;
			}
			if (want < 0) {
				assert_false(change_transition(s, e, &to));
				continue;
			}
			nallowed++;
			assert_true(change_transition(s, e, &to));
			assert_int_equal(to, want);
		}
	}
	assert_int_equal(nallowed, 4);
	/* the names are the database's */
	for (s = 0; s < CHANGE_STATUS_MAX; s++)
		assert_int_equal(change_status_parse(change_status_name(s)), s);
	assert_string_equal(change_status_name(CHANGE_CORRECTION),
	    "correction_requested");
	assert_int_equal(change_status_parse("draft"), -1);
	assert_string_equal(change_status_name(CHANGE_STATUS_MAX), "unknown");
	assert_string_equal(change_event_name(CHANGE_EV_RESUBMIT), "resubmit");
}

/*
 * One table maps a decision to what it does: each effect's event is one
 * its case's state machine allows from "submitted", leading where the
 * decision says, and only an approval tells the ministries.
 */
static void
test_decision_effects(void **state)
{
	static const struct {
		enum decision	d;
		int		filing_to, change_to;
		const char	*fh, *ch, *fn, *cn;
	} want[] = {
		{ DECISION_APPROVE, FILING_FILED, CHANGE_APPROVED,
		    "approved", "change_approved", "filed", "changed" },
		{ DECISION_CORRECT, FILING_CORRECTION, CHANGE_CORRECTION,
		    "correction_requested", "change_correction_requested",
		    NULL, NULL },
		{ DECISION_REJECT, FILING_REJECTED, CHANGE_REJECTED,
		    "rejected", "change_rejected", NULL, NULL },
	};
	const struct decision_effect	*f, *c;
	enum filing_status		fto;
	enum change_status		cto;
	size_t				i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		f = decision_effect(DECISION_FILING, want[i].d);
		c = decision_effect(DECISION_CHANGE, want[i].d);
		assert_non_null(f);
		assert_non_null(c);
		assert_true(filing_transition(FILING_SUBMITTED, f->event,
		    &fto));
		assert_int_equal(fto, want[i].filing_to);
		assert_true(change_transition(CHANGE_SUBMITTED, c->event,
		    &cto));
		assert_int_equal(cto, want[i].change_to);
		assert_string_equal(f->history, want[i].fh);
		assert_string_equal(c->history, want[i].ch);
		if (want[i].fn == NULL) {
			assert_null(f->notice);
			assert_null(c->notice);
		} else {
			assert_string_equal(f->notice, want[i].fn);
			assert_string_equal(c->notice, want[i].cn);
		}
		assert_int_equal(decision_parse(decision_name(want[i].d)),
		    want[i].d);
	}
	assert_null(decision_effect(DECISION_CASE_MAX, DECISION_APPROVE));
	assert_null(decision_effect(DECISION_FILING, DECISION_MAX));
	assert_int_equal(decision_parse("Approve"), -1);
	assert_int_equal(decision_parse(NULL), -1);
}

/* The code of one field's error in a decision's input, or NULL. */
static const char *
decision_code(const char *json, const char *field)
{
	static char	code[32];
	json_t		*in, *fields;
	const char	*c;
	int		ok;

	in = json_loads(json, 0, NULL);
	assert_non_null(in);
	fields = json_object();
	ok = decision_check(in, fields);
	assert_int_equal(ok, json_object_size(fields) == 0);
	c = json_string_value(json_object_get(json_object_get(fields, field),
	    "code"));
	(void)snprintf(code, sizeof(code), "%s", c != NULL ? c : "");
	json_decref(fields);
	json_decref(in);
	return (code[0] != '\0' ? code : NULL);
}

static void
test_decision_input(void **state)
{
	struct decision_input	d;
	json_t			*in, *items;
	char			*text;
	int			i;

	(void)state;
	assert_null(decision_code("{\"decision\":\"approve\"}", "decision"));
	assert_string_equal(decision_code("{}", "decision"), "format");
	assert_string_equal(decision_code("{\"decision\":\"maybe\"}",
	    "decision"), "format");
	/* a correction lists what to correct */
	assert_string_equal(decision_code("{\"decision\":\"correct\"}",
	    "items"), "required");
	assert_string_equal(decision_code("{\"decision\":\"correct\","
	    "\"items\":[]}", "items"), "required");
	assert_string_equal(decision_code("{\"decision\":\"correct\","
	    "\"items\":[{\"field\":\"platform.name\"}]}", "items"), "format");
	assert_string_equal(decision_code("{\"decision\":\"correct\","
	    "\"items\":[{\"field\":\"a\",\"problem\":\"b\",\"x\":1}]}",
	    "items"), "format");
	assert_string_equal(decision_code("{\"decision\":\"correct\","
	    "\"items\":[{\"field\":\"a\",\"problem\":\"b\\u0001\"}]}",
	    "items"), "control_char");
	assert_null(decision_code("{\"decision\":\"correct\","
	    "\"items\":[{\"field\":\"platform.name\",\"problem\":\"太短\"}]}",
	    "items"));
	/* 51 items are too many */
	items = json_array();
	for (i = 0; i < DECISION_ITEMS_MAX + 1; i++)
		json_array_append_new(items, json_pack("{s:s,s:s}",
		    "field", "a.b", "problem", "c"));
	in = json_pack("{s:s,s:o}", "decision", "correct", "items", items);
	text = json_dumps(in, JSON_COMPACT);
	assert_string_equal(decision_code(text, "items"), "required");
	free(text);
	/* a rejection gives reasons, as text XML can carry */
	assert_string_equal(decision_code("{\"decision\":\"reject\"}",
	    "reasons"), "required");
	assert_string_equal(decision_code("{\"decision\":\"reject\","
	    "\"reasons\":\"\\ufffe\"}", "reasons"), "bad_character");
	assert_null(decision_code("{\"decision\":\"reject\","
	    "\"reasons\":\"材料不实\\n第二行\"}", "reasons"));
	/* decoded as given: items and reasons are kept as they came */
	assert_true(decision_decode(in, &d));
	assert_int_equal(d.decision, DECISION_CORRECT);
	assert_ptr_equal(d.items, json_object_get(in, "items"));
	assert_null(d.reasons);
	json_object_set_new(in, "decision", json_string("nope"));
	assert_false(decision_decode(in, &d));
	json_decref(in);
}

static void
test_field_errors(void **state)
{
	json_t	*fields, *v;

	(void)state;
	fields = json_object();
	field_error(fields, "a.b", "required", "此项为必填项");
	/* the first problem of a field stands */
	field_error(fields, "a.b", "format", "格式错误");
	v = json_object_get(fields, "a.b");
	assert_int_equal(json_object_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(v, "code")),
	    "required");
	assert_string_equal(json_string_value(json_object_get(v, "message")),
	    "此项为必填项");
	v = json_string("ok");
	assert_true(field_text(fields, "r", v, 10, "请填写"));
	json_decref(v);
	assert_null(json_object_get(fields, "r"));
	assert_false(field_text(fields, "r", NULL, 10, "请填写"));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(fields, "r"), "message")), "请填写");
	v = json_string("12345678901");
	assert_false(field_text(fields, "s", v, 10, "请填写"));
	json_decref(v);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(fields, "s"), "code")), "too_long");
	json_decref(fields);
}

/* What every attachment must be, whoever owns it. */
static void
test_attachment_ops(void **state)
{
	const char	*type;
	char		name[210];

	(void)state;
	type = NULL;
	assert_int_equal(attachment_ops_check((const unsigned char *)
	    "%PDF-1.7", 8, "application/pdf", &type), ATTACHMENT_OK);
	assert_string_equal(type, "application/pdf");
	assert_int_equal(attachment_ops_check((const unsigned char *)
	    "%PDF-1.7", 8, "image/png", &type), ATTACHMENT_MISMATCH);
	assert_int_equal(attachment_ops_check((const unsigned char *)
	    "GIF89a", 6, "image/gif", &type), ATTACHMENT_UNSUPPORTED);
	assert_string_equal(attachment_extension("image/png"), "png");
	assert_string_equal(attachment_extension("application/pdf"), "pdf");
	assert_string_equal(attachment_extension("image/jpeg"), "jpg");
	assert_true(attachment_ops_filename_ok("等保证明 2025.pdf"));
	assert_false(attachment_ops_filename_ok(""));
	assert_false(attachment_ops_filename_ok("../etc/passwd"));
	assert_false(attachment_ops_filename_ok("a\\b.pdf"));
	assert_false(attachment_ops_filename_ok("a\"b.pdf"));
	assert_false(attachment_ops_filename_ok("a\nb.pdf"));
	memset(name, 'x', ATTACHMENT_NAME_MAX);
	name[ATTACHMENT_NAME_MAX] = '\0';
	assert_true(attachment_ops_filename_ok(name));
	name[ATTACHMENT_NAME_MAX] = 'x';
	name[ATTACHMENT_NAME_MAX + 1] = '\0';
	assert_false(attachment_ops_filename_ok(name));
}

/*
 * The queue's flags and order: deadlines from the receipt date, a row
 * whose year the calendar lacks says so and goes last, equal deadlines
 * keep the stores' order.
 */
static void
test_review_queue(void **state)
{
	struct calendar	*cal;
	json_t		*rows, *r;
	const char	*order[] = { "c", "a", "b", "d" };
	size_t		i;

	(void)state;
	cal = load_calendar();
	rows = json_pack("[{s:s,s:s,s:s,s:I},{s:s,s:s,s:s,s:I},"
	    "{s:s,s:s,s:n,s:I,s:b},{s:s,s:s,s:n,s:I}]",
	    "id", "a", "receipt_date", "2025-09-26",
	    "online_date", "2025-09-01", "receipts", (json_int_t)2,
	    "id", "b", "receipt_date", "2025-09-26",
	    "online_date", "2025-12-01", "receipts", (json_int_t)1,
	    "id", "d", "receipt_date", "2026-03-02", "online_date",
	    "receipts", (json_int_t)1, "late_change", 1,
	    "id", "c", "receipt_date", "2025-09-19", "online_date",
	    "receipts", (json_int_t)1);
	assert_non_null(rows);
	review_queue_flag(cal, D("2025-09-29"), rows);
	r = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(r,
	    "deadline")), "2025-10-16");
	assert_int_equal(json_integer_value(json_object_get(r,
	    "workdays_left")), 8);
	assert_true(json_is_true(json_object_get(r, "resubmission")));
	assert_true(json_is_true(json_object_get(r,
	    "online_before_filing")));
	assert_true(json_is_false(json_object_get(r, "overdue")));
	assert_true(json_is_false(json_object_get(r, "late_change")));
	r = json_array_get(rows, 1);
	assert_true(json_is_false(json_object_get(r, "resubmission")));
	assert_true(json_is_false(json_object_get(r,
	    "online_before_filing")));
	r = json_array_get(rows, 2);
	assert_true(json_is_null(json_object_get(r, "deadline")));
	assert_int_equal(json_integer_value(json_object_get(r,
	    "calendar_year_missing")), 2026);
	assert_true(json_is_true(json_object_get(r, "late_change")));
	rows = review_queue_sort(rows);
	assert_int_equal(json_array_size(rows), 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(rows, i), "id")), order[i]);
	json_decref(rows);
	rows = review_queue_sort(json_array());
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
	/* without a calendar nothing is guessed */
	rows = json_pack("[{s:s,s:I}]", "receipt_date", "2025-09-26",
	    "receipts", (json_int_t)1);
	review_queue_flag(NULL, D("2025-09-29"), rows);
	assert_true(json_is_null(json_object_get(json_array_get(rows, 0),
	    "deadline")));
	json_decref(rows);
	calendar_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_filing_numbers),
		cmocka_unit_test(test_review_flags),
		cmocka_unit_test(test_change_deadline),
		cmocka_unit_test(test_form_and_masks),
		cmocka_unit_test(test_attachment_sniff),
		cmocka_unit_test(test_form_paths),
		cmocka_unit_test(test_change_transitions),
		cmocka_unit_test(test_decision_effects),
		cmocka_unit_test(test_decision_input),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_attachment_ops),
		cmocka_unit_test(test_review_queue),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
