#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/calendar.h"

static struct calendar	*cal;

static int32_t
D(const char *s)
{
	int32_t	d;

	if (!cal_date_parse(s, strlen(s), &d))
		fail_msg("bad date in test: %s", s);
	return (d);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;

	if ((fp = fopen(path, "rb")) == NULL)
		return (NULL);
	buf = malloc(70000);
	*len = fread(buf, 1, 70000, fp);
	fclose(fp);
	return (buf);
}

static int
setup(void **state)
{
	struct cal_notice	n;
	const char		*dir;
	char			path[512], err[256], *text;
	size_t			len;
	int			y;

	(void)state;
	if ((dir = getenv("CALENDAR_DIR")) == NULL)
		dir = "schema/calendar";
	cal = calendar_new();
	for (y = 2023; y <= 2026; y++) {
		snprintf(path, sizeof(path), "%s/%d.txt", dir, y);
		if ((text = slurp(path, &len)) == NULL)
			return (-1);
		if (!calendar_parse(text, len, &n, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", path, err);
			free(text);
			return (-1);
		}
		free(text);
		if (!calendar_apply(cal, &n))
			return (-1);
		calendar_notice_free(&n);
	}
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return (0);
}

static void
expect_workdays(const char *from, int n, const char *want)
{
	int32_t	out;
	int	missing;
	char	buf[11];

	assert_int_equal(calendar_add_workdays(cal, D(from), n, &out,
	    &missing), CAL_OK);
	cal_date_format(out, buf);
	assert_string_equal(buf, want);
}

static void
expect_days(const char *from, int n, const char *want)
{
	int32_t	out;
	int	missing;
	char	buf[11];

	assert_int_equal(calendar_add_days(cal, D(from), n, &out, &missing),
	    CAL_OK);
	cal_date_format(out, buf);
	assert_string_equal(buf, want);
}

static void
test_worked_examples(void **state)
{
	(void)state;
	expect_workdays("2025-09-26", 10, "2025-10-16");
	expect_days("2025-09-05", 30, "2025-10-09");
	expect_days("2026-01-15", 30, "2026-02-14");
}

static void
test_counting_rules(void **state)
{
	(void)state;
	/* the day of receipt does not count, even when it is a working day */
	expect_workdays("2025-06-03", 1, "2025-06-04");
	/* receipt on a rest day: counting still starts the next day */
	expect_workdays("2025-06-01", 1, "2025-06-03");
	expect_workdays("2025-06-03", 0, "2025-06-03");
	/* an ordinary Friday + 1 is the next Monday */
	expect_workdays("2025-06-06", 1, "2025-06-09");
	/* N calendar days ending on a working day are not moved */
	expect_days("2025-06-03", 1, "2025-06-04");
	/* ending on an ordinary Saturday moves to Monday */
	expect_days("2025-06-06", 1, "2025-06-09");
	expect_days("2025-06-07", 0, "2025-06-09");
	/* the Spring Festival 2026: 02-15..02-23 off, 02-14 and 02-28 worked */
	expect_workdays("2026-02-13", 1, "2026-02-14");
	expect_workdays("2026-02-14", 1, "2026-02-24");
	/* across the year boundary into 2024's New Year */
	expect_workdays("2023-12-29", 1, "2024-01-02");
}

struct range {
	const char	*from;
	const char	*to;
};

static void
expect_kind(const char *from, const char *to, int want)
{
	int32_t	d;
	int	work, missing;

	for (d = D(from); d <= D(to); d++) {
		assert_int_equal(calendar_is_workday(cal, d, &work, &missing),
		    CAL_OK);
		if (work != want) {
			char	buf[11];

			cal_date_format(d, buf);
			fail_msg("%s: expected %s", buf,
			    want ? "working day" : "rest day");
		}
	}
}

static void
test_every_notice_entry(void **state)
{
	static const struct range holidays[] = {
		{ "2022-12-31", "2023-01-02" }, { "2023-01-21", "2023-01-27" },
		{ "2023-04-05", "2023-04-05" }, { "2023-04-29", "2023-05-03" },
		{ "2023-06-22", "2023-06-24" }, { "2023-09-29", "2023-10-06" },
		{ "2024-01-01", "2024-01-01" }, { "2024-02-10", "2024-02-17" },
		{ "2024-04-04", "2024-04-06" }, { "2024-05-01", "2024-05-05" },
		{ "2024-06-10", "2024-06-10" }, { "2024-09-15", "2024-09-17" },
		{ "2024-10-01", "2024-10-07" },
		{ "2025-01-01", "2025-01-01" }, { "2025-01-28", "2025-02-04" },
		{ "2025-04-04", "2025-04-06" }, { "2025-05-01", "2025-05-05" },
		{ "2025-05-31", "2025-06-02" }, { "2025-10-01", "2025-10-08" },
		{ "2026-01-01", "2026-01-03" }, { "2026-02-15", "2026-02-23" },
		{ "2026-04-04", "2026-04-06" }, { "2026-05-01", "2026-05-05" },
		{ "2026-06-19", "2026-06-21" }, { "2026-09-25", "2026-09-27" },
		{ "2026-10-01", "2026-10-07" },
	};
	static const char	*workdays[] = {
		"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06",
		"2023-06-25", "2023-10-07", "2023-10-08",
		"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28",
		"2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
		"2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
		"2026-09-20", "2026-10-10",
	};
	size_t	i;

	(void)state;
	for (i = 1; i < sizeof(holidays) / sizeof(holidays[0]); i++)
		expect_kind(holidays[i].from, holidays[i].to, 0);
	for (i = 0; i < sizeof(workdays) / sizeof(workdays[0]); i++)
		expect_kind(workdays[i], workdays[i], 1);
	/* 2023-01-01..02 of the first range; 2022-12-31 is in an unloaded year */
	expect_kind("2023-01-01", "2023-01-02", 0);
	/* an ordinary Saturday, Sunday and Wednesday */
	expect_kind("2025-11-22", "2025-11-23", 0);
	expect_kind("2025-11-19", "2025-11-19", 1);
}

static void
test_missing_years(void **state)
{
	int32_t	out;
	int	missing, work, n;

	(void)state;
	/* 2022-12-31 is marked by the 2023 notice, but 2022 is not loaded */
	missing = 0;
	assert_int_equal(calendar_is_workday(cal, D("2022-12-31"), &work,
	    &missing), CAL_NO_DATA);
	assert_int_equal(missing, 2022);
	assert_int_equal(calendar_add_days(cal, D("2022-12-01"), 3, &out,
	    &missing), CAL_NO_DATA);
	assert_int_equal(missing, 2022);
	assert_int_equal(calendar_add_workdays(cal, D("2026-12-20"), 10, &out,
	    &missing), CAL_NO_DATA);
	assert_int_equal(missing, 2027);
	assert_int_equal(calendar_workdays_between(cal, D("2026-12-01"),
	    D("2027-01-05"), &n, &missing), CAL_NO_DATA);
	assert_int_equal(missing, 2027);
	assert_true(calendar_has_year(cal, 2024));
	assert_false(calendar_has_year(cal, 2022));
	assert_int_equal(calendar_add_workdays(cal, D("2025-01-01"), -1, &out,
	    &missing), CAL_RANGE);
	assert_int_equal(calendar_add_days(cal, D("2025-01-01"), 3661, &out,
	    &missing), CAL_RANGE);
}

/*
 * The loaded years, and which one is overdue: this year's at any time,
 * next year's from the warning day on (2022 is marked by the 2023
 * notice but not loaded, so it is not listed).
 */
static void
test_years_and_the_overdue_one(void **state)
{
	struct calendar	*none;
	int		years[8];
	char		label[128];

	(void)state;
	assert_int_equal(calendar_year_list(cal, years, 8), 4);
	assert_int_equal(years[0], 2023);
	assert_int_equal(years[3], 2026);
	assert_int_equal(calendar_year_list(cal, years, 2), 2);
	assert_int_equal(calendar_year_list(NULL, years, 8), 0);

	assert_int_equal(calendar_year_due(cal, D("2026-10-31"), 1101), 0);
	assert_int_equal(calendar_year_due(cal, D("2026-11-01"), 1101), 2027);
	assert_int_equal(calendar_year_due(cal, D("2026-12-31"), 1101), 2027);
	assert_int_equal(calendar_year_due(cal, D("2026-12-30"), 1231), 0);
	assert_int_equal(calendar_year_due(cal, D("2026-01-01"), 101), 2027);
	/* 2025 has its successor, whatever the day */
	assert_int_equal(calendar_year_due(cal, D("2025-12-31"), 101), 0);
	/* a year without its own notice is overdue from its first day */
	assert_int_equal(calendar_year_due(cal, D("2027-01-01"), 1101), 2027);
	assert_int_equal(calendar_year_due(cal, D("2022-06-01"), 1101), 2022);
	assert_int_equal(calendar_year_due(NULL, D("2026-03-01"), 1101), 2026);
	none = calendar_new();
	assert_int_equal(calendar_year_due(none, D("2026-03-01"), 1101), 2026);
	calendar_free(none);

	calendar_pending_label(2027, label, sizeof(label));
	assert_string_equal(label, "截止日期待定（2027年放假安排尚未发布）");
}

static void
test_workdays_between(void **state)
{
	int	n, missing;

	(void)state;
	/* the same period as the first worked example */
	assert_int_equal(calendar_workdays_between(cal, D("2025-09-26"),
	    D("2025-10-16"), &n, &missing), CAL_OK);
	assert_int_equal(n, 10);
	assert_int_equal(calendar_workdays_between(cal, D("2025-10-16"),
	    D("2025-09-26"), &n, &missing), CAL_OK);
	assert_int_equal(n, 0);
	assert_int_equal(calendar_workdays_between(cal, D("2025-10-01"),
	    D("2025-10-08"), &n, &missing), CAL_OK);
	assert_int_equal(n, 0);
}

static void
test_dates(void **state)
{
	int32_t	d;
	int	y, m, dd;
	char	buf[11];

	(void)state;
	assert_true(cal_date_from_ymd(2000, 2, 29, &d));
	assert_false(cal_date_from_ymd(1900, 2, 29, &d));
	assert_true(cal_date_from_ymd(2024, 2, 29, &d));
	assert_false(cal_date_from_ymd(2025, 2, 29, &d));
	assert_false(cal_date_from_ymd(2025, 13, 1, &d));
	assert_false(cal_date_from_ymd(2200, 1, 1, &d));
	assert_true(cal_date_from_ymd(1970, 1, 1, &d));
	assert_int_equal(d, 0);
	assert_int_equal(cal_date_weekday(d), 4);
	assert_int_equal(cal_date_weekday(D("2025-10-11")), 6);
	assert_int_equal(cal_date_weekday(D("1949-10-01")), 6);
	cal_date_to_ymd(D("1949-10-01"), &y, &m, &dd);
	assert_int_equal(y * 10000 + m * 100 + dd, 19491001);
	cal_date_format(D("2024-02-29") + 1, buf);
	assert_string_equal(buf, "2024-03-01");

	assert_false(cal_date_parse("2025-1-01", 9, &d));
	assert_false(cal_date_parse("2025-02-30", 10, &d));
	assert_false(cal_date_parse("2025-02-28x", 11, &d));
	assert_false(cal_date_parse("2025-02\0-28", 10, &d));
	assert_false(cal_date_parse("2025/02/28", 10, &d));
	assert_false(cal_date_parse("+025-02-28", 10, &d));

	/* 2025-12-31T16:00:00Z is already 2026-01-01 in Beijing */
	assert_int_equal(cal_date_today_cst(1767196800), D("2026-01-01"));
	assert_int_equal(cal_date_today_cst(1767196799), D("2025-12-31"));
}

static void
expect_parse_error(const char *text, const char *needle)
{
	struct cal_notice	n;
	char			err[256];

	err[0] = '\0';
	assert_false(calendar_parse(text, strlen(text), &n, err, sizeof(err)));
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' does not mention '%s'", err, needle);
	assert_null(n.entries);
	assert_int_equal(n.nentries, 0);
}

static void
test_parser_errors(void **state)
{
	struct cal_notice	n;
	char			err[256], *big;
	const char		*good;
	size_t			i;

	(void)state;
	expect_parse_error("year 2027\nholidays 2027-01-01\n", "line 2");
	expect_parse_error("year 2027\nholiday 2027-02-30\n", "line 2");
	expect_parse_error("holiday 2027-01-01\nyear 2027\n", "line 1");
	expect_parse_error("year 2027\nholiday 2026-06-01\n", "line 2");
	expect_parse_error("year 2027\nworkday 2027-01-06\n", "Saturday");
	expect_parse_error("year 2027\nholiday 2027-01-01\n"
	    "workday 2027-01-01\n", "line 3");
	expect_parse_error("year 2027\nholiday 2027-01-05 2027-01-01\n",
	    "line 2");
	expect_parse_error("year 2027\nholiday 2027-01-01 2027-03-01\n",
	    "31 days");
	expect_parse_error("# nothing\n", "year");
	expect_parse_error("year 1800\n", "line 1");
	expect_parse_error("year 2027\nholiday 2027-01-01 "
	    "a-name-that-is-far-too-long-to-be-a-holiday-name-in-any-notice-xxxxxxx\n",
	    "line 2");

	big = malloc(70000);
	memset(big, '#', 70000);
	assert_false(calendar_parse(big, 70000, &n, err, sizeof(err)));
	for (i = 0; i < 70000; i += 2)
		big[i] = '\n';
	assert_false(calendar_parse(big, 2100, &n, err, sizeof(err)));
	assert_non_null(strstr(err, "1000"));
	free(big);

	/* the good case: CRLF, comments, a two-year file */
	good = "# x\r\nyear 2027\r\nyear 2028\r\n"
	    "holiday 2027-12-31 2028-01-01 元旦\r\nworkday 2028-01-08\r\n";
	if (!calendar_parse(good, strlen(good), &n, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(n.nyears, 2);
	assert_int_equal(n.nentries, 3);
	assert_string_equal(n.entries[0].name, "元旦");
	assert_int_equal(n.entries[2].kind, CAL_WORKDAY);
	calendar_notice_free(&n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_examples),
		cmocka_unit_test(test_counting_rules),
		cmocka_unit_test(test_every_notice_entry),
		cmocka_unit_test(test_missing_years),
		cmocka_unit_test(test_years_and_the_overdue_one),
		cmocka_unit_test(test_workdays_between),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_parser_errors),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
