#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/notice.h"

/* Run from the repository's root, as scripts/test.sh does. */
#define FIXTURES	"tests/fixtures/notices"
#define SCHEMA		"schema/calendar"

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	size_t	n;

	if ((fp = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	buf = malloc(NOTICE_TEXT_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, NOTICE_TEXT_MAX, fp);
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return (buf);
}

static char *
fixture(int year)
{
	char	path[128];

	snprintf(path, sizeof(path), FIXTURES "/%d.txt", year);
	return (slurp(path, NULL));
}

/* The text with its first `from` replaced by `to`. */
static char *
edit(const char *text, const char *from, const char *to)
{
	const char	*at;
	char		*out;
	size_t		a, b, c;

	if ((at = strstr(text, from)) == NULL)
		fail_msg("\"%s\" is not in the text", from);
	a = (size_t)(at - text);
	b = strlen(from);
	c = strlen(to);
	out = malloc(strlen(text) - b + c + 1);
	assert_non_null(out);
	memcpy(out, text, a);
	memcpy(out + a, to, c);
	strcpy(out + a + c, at + b);
	return (out);
}

/* Parses and writes; the written text must read back the same. */
static char *
parse_write(const char *text, struct cal_notice *n)
{
	struct cal_notice	back;
	char			err[1024], *out;
	size_t			len, i;

	if (!notice_parse(text, strlen(text), n, err, sizeof(err)))
		fail_msg("refused: %s", err);
	out = notice_format(n, &len);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	if (!calendar_parse(out, len, &back, err, sizeof(err)))
		fail_msg("the written calendar does not load: %s\n%s", err, out);
	assert_int_equal(back.nyears, n->nyears);
	assert_int_equal(back.years[0], n->years[0]);
	assert_int_equal(back.nentries, n->nentries);
	for (i = 0; i < n->nentries; i++) {
		assert_int_equal(back.entries[i].day, n->entries[i].day);
		assert_int_equal(back.entries[i].kind, n->entries[i].kind);
		assert_string_equal(back.entries[i].name, n->entries[i].name);
	}
	calendar_notice_free(&back);
	return (out);
}

static void
refused(const char *text, const char *quote, const char *why)
{
	struct cal_notice	n;
	char			err[1024];

	if (notice_parse(text, strlen(text), &n, err, sizeof(err))) {
		calendar_notice_free(&n);
		fail_msg("accepted, expected a refusal quoting \"%s\"", quote);
	}
	assert_null(n.entries);
	if (strstr(err, quote) == NULL)
		fail_msg("the error does not quote \"%s\": %s", quote, err);
	if (why != NULL && strstr(err, why) == NULL)
		fail_msg("the error does not say \"%s\": %s", why, err);
}

static int32_t
D(const char *s)
{
	int32_t	d;

	if (!cal_date_parse(s, strlen(s), &d))
		fail_msg("bad date in test: %s", s);
	return (d);
}

/* The kind the notice gives a day, or -1 when it gives none. */
static int
kind(const struct cal_notice *n, const char *day)
{
	size_t	i;

	for (i = 0; i < n->nentries; i++) {
		if (n->entries[i].day == D(day))
			return ((int)n->entries[i].kind);
	}
	return (-1);
}

static void
test_every_notice_since_2008_parses(void **state)
{
	struct cal_notice	n;
	char			*text, *out;
	int			y;

	(void)state;
	for (y = 2008; y <= 2026; y++) {
		text = fixture(y);
		out = parse_write(text, &n);
		assert_int_equal(n.nyears, 1);
		assert_int_equal(n.years[0], y);
		/* Seven festivals, every year: at least their first days. */
		assert_true(n.nentries >= 7);
		calendar_notice_free(&n);
		free(out);
		free(text);
	}
}

static void
test_recent_notices_give_the_schema_calendars(void **state)
{
	struct cal_notice	n;
	char			path[128], *text, *out, *want;
	int			y;

	(void)state;
	for (y = 2023; y <= 2026; y++) {
		text = fixture(y);
		out = parse_write(text, &n);
		snprintf(path, sizeof(path), SCHEMA "/%d.txt", y);
		want = slurp(path, NULL);
		assert_string_equal(out, want);
		calendar_notice_free(&n);
		free(want);
		free(out);
		free(text);
	}
}

/* The phrasings of 2008 and 2009: 其中…为法定节假日, 公休日调至. */
static void
test_moved_rest_days(void **state)
{
	struct cal_notice	n;
	char			*text, *out;

	(void)state;
	text = fixture(2008);
	out = parse_write(text, &n);
	/* 元旦 begins in December 2007; 12月29日 is that December's. */
	assert_int_equal(kind(&n, "2007-12-29"), CAL_WORKDAY);
	assert_int_equal(kind(&n, "2007-12-31"), CAL_HOLIDAY);
	/* 国庆节: the moved weekend is worked though 上班 is not said. */
	assert_int_equal(kind(&n, "2008-09-27"), CAL_WORKDAY);
	assert_int_equal(kind(&n, "2008-09-28"), CAL_WORKDAY);
	assert_int_equal(kind(&n, "2008-09-29"), CAL_HOLIDAY);
	/* 端午节: a Sunday inside the holiday moved to the Monday. */
	assert_int_equal(kind(&n, "2008-06-08"), CAL_HOLIDAY);
	assert_int_equal(kind(&n, "2008-06-09"), CAL_HOLIDAY);
	assert_int_equal(kind(&n, "2008-06-10"), -1);
	calendar_notice_free(&n);
	free(out);
	free(text);

	text = fixture(2009);
	out = parse_write(text, &n);
	/* 10月3日（星期六）公休日及中秋节分别调至10月5日、10月6日 */
	assert_int_equal(kind(&n, "2009-10-03"), CAL_HOLIDAY);
	assert_int_equal(kind(&n, "2009-09-27"), CAL_WORKDAY);
	assert_int_equal(kind(&n, "2009-10-10"), CAL_WORKDAY);
	assert_string_equal(n.entries[n.nentries - 1].name, "国庆节、中秋节");
	calendar_notice_free(&n);
	free(out);
	free(text);
}

static void
test_other_phrasings(void **state)
{
	struct cal_notice	n;
	char			*text, *out;

	(void)state;
	/* 4月5日放假，4月7日（星期一）补休 */
	text = fixture(2014);
	out = parse_write(text, &n);
	assert_int_equal(kind(&n, "2014-04-05"), CAL_HOLIDAY);
	assert_int_equal(kind(&n, "2014-04-06"), -1);
	assert_int_equal(kind(&n, "2014-04-07"), CAL_HOLIDAY);
	/* 1月1日放假1天 */
	assert_int_equal(kind(&n, "2014-01-01"), CAL_HOLIDAY);
	calendar_notice_free(&n);
	free(out);
	free(text);

	/* 1月1日放假，与周末连休: the weekend is a weekend already. */
	text = fixture(2016);
	out = parse_write(text, &n);
	assert_non_null(strstr(out, "\nholiday 2016-01-01 元旦\n"));
	assert_non_null(strstr(out, "\nholiday 2016-05-01 2016-05-02 劳动节\n"));
	calendar_notice_free(&n);
	free(out);
	free(text);

	/* 2月20日（星期六）、21日（星期日）上班: the month carries on. */
	text = fixture(2010);
	out = parse_write(text, &n);
	assert_int_equal(kind(&n, "2010-02-21"), CAL_WORKDAY);
	assert_int_equal(kind(&n, "2010-09-25"), CAL_WORKDAY);
	calendar_notice_free(&n);
	free(out);
	free(text);

	/* 2011年12月31日（星期六）上班, before 2012年1月1日至3日. */
	text = fixture(2012);
	out = parse_write(text, &n);
	assert_int_equal(kind(&n, "2011-12-31"), CAL_WORKDAY);
	calendar_notice_free(&n);
	free(out);
	free(text);

	/* 鼓励…安排职工在除夕（2月9日）休息 is advice: 02-09 stays a Friday. */
	text = fixture(2024);
	out = parse_write(text, &n);
	assert_int_equal(kind(&n, "2024-02-09"), -1);
	calendar_notice_free(&n);
	free(out);
	free(text);
}

/* ASCII punctuation, any whitespace, a split title, other numbering. */
static void
test_forms_of_the_same_text(void **state)
{
	struct cal_notice	n;
	char			*text, *want, *out, *t1, *t2, *t3;
	char			*w;
	const char		*r;
	size_t			i;
	static const char *const fw[][2] = {
		{ "，", "," }, { "：", ":" }, { "（", "(" }, { "）", ")" },
		{ "；", ";" },
	};

	(void)state;
	text = fixture(2026);
	want = parse_write(text, &n);
	calendar_notice_free(&n);

	/* Every full-width mark as ASCII, spaces and CRLF everywhere. */
	t1 = malloc(strlen(text) * 4 + 1);
	assert_non_null(t1);
	for (r = text, w = t1; *r != '\0'; ) {
		for (i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
			if (!strncmp(r, fw[i][0], strlen(fw[i][0])))
				break;
		}
		if (i < sizeof(fw) / sizeof(fw[0])) {
			*w++ = fw[i][1][0];
			*w++ = ' ';
			r += strlen(fw[i][0]);
		} else if (*r == '\n') {
			*w++ = '\r';
			*w++ = '\n';
			memcpy(w, "\xe3\x80\x80 ", 4);	/* an ideographic space */
			w += 4;
			r++;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	out = parse_write(t1, &n);
	assert_string_equal(out, want);
	calendar_notice_free(&n);
	free(out);

	/* The title in two lines, as gov.cn sets it; 第一、 numbering. */
	t2 = edit(text, "关于2026年部分", "关于2026年\n部分");
	t3 = edit(t2, "一、元旦", "第一、元旦");
	out = parse_write(t3, &n);
	assert_string_equal(out, want);
	calendar_notice_free(&n);
	free(out);
	free(t3);
	free(t2);

	/* Xinhua's lead line before the addressees. */
	t2 = edit(text, "国务院办公厅关于2026年部分节假日安排的通知\n",
	    "新华社北京11月4日电 国务院办公厅关于2026年部分节假日安排的通知，"
	    "全文如下：\n");
	out = parse_write(t2, &n);
	assert_string_equal(out, want);
	calendar_notice_free(&n);
	free(out);
	free(t2);

	/* An item's sentences on lines of their own. */
	t2 = edit(text, "共9天。", "共9天。\n");
	out = parse_write(t2, &n);
	assert_string_equal(out, want);
	calendar_notice_free(&n);
	free(out);
	free(t2);

	free(t1);
	free(want);
	free(text);
}

static void
test_altered_notices_are_refused(void **state)
{
	char	*text, *t;

	(void)state;
	text = fixture(2026);

	/* A wrong weekday: 2026-01-01 is a Thursday. */
	t = edit(text, "1月1日（周四）", "1月1日（周五）");
	refused(t, "1月1日（周五）至3日（周六）放假调休，共3天。",
	    "2026-01-01 is a Thursday");
	free(t);
	t = edit(text, "23日（农历正月初七、周一）", "23日（农历正月初七、周二）");
	refused(t, "至23日（农历正月初七、周二）", "is a Monday");
	free(t);

	/* A wrong count: 2月15日 to 23日 is nine days. */
	t = edit(text, "共9天", "共8天");
	refused(t, "放假调休，共8天。", "is 9 days, the text says 8");
	free(t);

	/* A working day on a weekday. */
	t = edit(text, "5月9日（周六）上班", "5月8日（周五）上班");
	refused(t, "5月8日（周五）上班。", "Saturday or Sunday");
	free(t);

	/* A sentence no notice has used. */
	t = edit(text, "5月9日（周六）上班。", "5月9日（周六）上班。5月6日（周三）"
	    "弹性休息。");
	refused(t, "5月6日（周三）弹性休息。", "cannot read");
	free(t);
	t = edit(text, "三、清明节", "注：如有变动另行通知。\n三、清明节");
	refused(t, "注：如有变动另行通知。", "cannot read");
	free(t);

	/* A title of the wrong year. */
	t = edit(text, "关于2026年", "关于2027年");
	refused(t, "国办发明电〔2025〕7号", "2027");
	free(t);
	t = edit(text, "国办发明电〔2025〕7号\n", "");
	free(text);
	text = t;
	t = edit(text, "关于2026年", "关于2027年");
	refused(t, "现将2026年元旦", "title names 2027");
	free(t);

	/* An item after the closing, and a date out of the year. */
	t = edit(text, "2025年11月4日", "2025年11月4日\n八、元旦：1月1日放假。");
	refused(t, "八、元旦：1月1日放假。", "after the closing");
	free(t);
	t = edit(text, "9月20日（周日）", "2027年9月19日（周日）");
	refused(t, "2027年9月19日", "outside the notice's year");
	free(t);
	t = edit(text, "一、元旦：", "一、");
	refused(t, "一、1月1日", "festival");
	free(t);
	t = edit(text, "二、春节", "三、春节");
	refused(t, "三、春节", "item 3 follows item 1");
	free(t);
	free(text);

	/* The older phrasings are checked as well. */
	text = fixture(2008);
	t = edit(text, "两个公休日调至9月29日", "三个公休日调至9月29日");
	refused(t, "三个公休日", "3 rest days but lists 2");
	free(t);
	t = edit(text, "调至9月29日（星期一）、30日（星期二）",
	    "调至9月29日（星期一）、10月4日（星期六）");
	refused(t, "10月4日（星期六）", "not a weekday of the holiday");
	free(t);
	t = edit(text, "5月3日（星期六）为公休日", "5月2日（星期五）为公休日");
	refused(t, "5月2日（星期五）为公休日", "not a weekend day");
	free(t);
	free(text);

	text = fixture(2016);
	t = edit(text, "三、清明节：4月4日放假", "三、清明节：4月6日放假");
	refused(t, "4月6日放假，与周末连休。", "not next to a weekend");
	free(t);
	t = edit(text, "5月2日（星期一）补休", "5月7日（星期六）补休");
	refused(t, "5月7日（星期六）补休。", "must be a weekday");
	free(t);
	free(text);

	text = fixture(2025);
	t = edit(text, "放假1天，不调休。", "放假1天，不调休。1月4日（周六）上班。");
	refused(t, "1月4日（周六）上班。", "不调休");
	free(t);
	free(text);

	/* Not a notice at all. */
	refused("year 2027\nholiday 2027-01-01 元旦\n", "year 2027", "title");
	refused("国务院办公厅关于2027年部分节假日安排的通知\n\xff\n", "",
	    "not UTF-8");
	refused("国务院办公厅关于2027年部分节假日安排的通知\n", "", "no numbered");
}

static void
test_write_without_names(void **state)
{
	struct cal_notice	n;
	char			err[256], *out;
	size_t			len;
	static const char	text[] = "year 2030\nholiday 2030-01-01\n"
	    "holiday 2030-01-02\nworkday 2030-01-05\nyear 2031\n";

	(void)state;
	if (!calendar_parse(text, strlen(text), &n, err, sizeof(err)))
		fail_msg("%s", err);
	out = notice_format(&n, &len);
	assert_string_equal(out, "year 2030\nyear 2031\n"
	    "holiday 2030-01-01 2030-01-02\nworkday 2030-01-05\n");
	free(out);
	calendar_notice_free(&n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_notice_since_2008_parses),
		cmocka_unit_test(test_recent_notices_give_the_schema_calendars),
		cmocka_unit_test(test_moved_rest_days),
		cmocka_unit_test(test_other_phrasings),
		cmocka_unit_test(test_forms_of_the_same_text),
		cmocka_unit_test(test_altered_notices_are_refused),
		cmocka_unit_test(test_write_without_names),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
