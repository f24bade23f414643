/*
 * The tip-off's state machine, pair by pair, as for filings and changes,
 * and the reasons a case may be closed for.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/tipoff_state.h"

static void
test_tipoff_transitions(void **state)
{
	static const struct {
		enum tipoff_status	from;
		enum tipoff_event	ev;
		enum tipoff_status	to;
	} allowed[] = {
		{ TIPOFF_NEW, TIPOFF_EV_TAKE, TIPOFF_IN_REVIEW },
		{ TIPOFF_NEW, TIPOFF_EV_CLOSE, TIPOFF_CLOSED },
		{ TIPOFF_IN_REVIEW, TIPOFF_EV_VERIFY, TIPOFF_VERIFIED },
		{ TIPOFF_IN_REVIEW, TIPOFF_EV_UNFOUND, TIPOFF_UNFOUNDED },
		{ TIPOFF_IN_REVIEW, TIPOFF_EV_CLOSE, TIPOFF_CLOSED },
	};
	enum tipoff_status	to;
	size_t			i;
	int			s, e, want, nallowed;

	(void)state;
	nallowed = 0;
	for (s = 0; s < TIPOFF_STATUS_MAX; s++) {
		for (e = 0; e < TIPOFF_EV_MAX; e++) {
			want = -1;
			for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]);
			    i++) {
				if ((int)allowed[i].from == s &&
				    (int)allowed[i].ev == e)
					want = (int)allowed[i].to;
			}
			if (want < 0) {
				assert_false(tipoff_transition(s, e, &to));
				continue;
			}
			nallowed++;
			assert_true(tipoff_transition(s, e, &to));
			assert_int_equal(to, want);
		}
	}
	assert_int_equal(nallowed, 5);
	/* decided cases stay decided: verified is where outcomes start */
	for (e = 0; e < TIPOFF_EV_MAX; e++) {
		assert_false(tipoff_transition(TIPOFF_VERIFIED, e, &to));
		assert_false(tipoff_transition(TIPOFF_CLOSED, e, &to));
	}
	/* the names are the database's and the API's */
	for (s = 0; s < TIPOFF_STATUS_MAX; s++)
		assert_int_equal(tipoff_status_parse(tipoff_status_name(s)), s);
	for (e = 0; e < TIPOFF_EV_MAX; e++)
		assert_int_equal(tipoff_event_parse(tipoff_event_name(e)), e);
	assert_string_equal(tipoff_status_name(TIPOFF_IN_REVIEW), "in_review");
	assert_int_equal(tipoff_status_parse("open"), -1);
	assert_int_equal(tipoff_event_parse(NULL), -1);
	assert_true(tipoff_status_open(TIPOFF_NEW));
	assert_true(tipoff_status_open(TIPOFF_IN_REVIEW));
	assert_false(tipoff_status_open(TIPOFF_VERIFIED));
}

static void
test_tipoff_close_reasons(void **state)
{
	(void)state;
	assert_true(tipoff_close_reason_valid("duplicate"));
	assert_true(tipoff_close_reason_valid("spam"));
	assert_true(tipoff_close_reason_valid("out_of_scope"));
	assert_false(tipoff_close_reason_valid("bored"));
	assert_false(tipoff_close_reason_valid(""));
	assert_false(tipoff_close_reason_valid(NULL));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_tipoff_transitions),
		cmocka_unit_test(test_tipoff_close_reasons),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
