/*
 * The working-day calendar.  Each year with data has a table of 366 day
 * kinds; a year is "loaded" only when its State Council notice was, and
 * a computation that has to classify a day of a year not loaded fails
 * and names that year rather than guessing from weekdays.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"

#define CAL_N_MAX		3660
#define CAL_FILE_MAX		(64 * 1024)
#define CAL_LINES_MAX		1000
#define CAL_RANGE_MAX		31

struct cal_year {
	int		year;
	int		loaded;
	unsigned char	kind[366];
};

struct calendar {
	struct cal_year	*years[CAL_YEAR_MAX - CAL_YEAR_MIN + 1];
};

/* Howard Hinnant's days_from_civil / civil_from_days. */
static int32_t
cal_days_from_civil(int y, int m, int d)
{
	int		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((int32_t)(era * 146097 + (int)doe - 719468));
}

void
cal_date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	int		era;
	unsigned	doe, yoe, doy, mp;
	int		yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

static int
cal_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
cal_mdays(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };

	if (m == 2 && cal_leap(y))
		return (29);
	return (days[m - 1]);
}

int
cal_date_from_ymd(int y, int m, int d, int32_t *out)
{
	if (y < CAL_YEAR_MIN || y > CAL_YEAR_MAX || m < 1 || m > 12 ||
	    d < 1 || d > cal_mdays(y, m))
		return (0);
	*out = cal_days_from_civil(y, m, d);
	return (1);
}

static int
cal_digits(const char *s, size_t n, int *out)
{
	size_t	i;
	int	v;

	v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return (1);
}

int
cal_date_parse(const char *s, size_t len, int32_t *out)
{
	int	y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return (0);
	if (!cal_digits(s, 4, &y) || !cal_digits(s + 5, 2, &m) ||
	    !cal_digits(s + 8, 2, &d))
		return (0);
	return (cal_date_from_ymd(y, m, d, out));
}

void
cal_date_format(int32_t day, char buf[11])
{
	int	y, m, d;

	cal_date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		(void)snprintf(buf, 11, "0000-00-00");
		return;
	}
	(void)snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

int
cal_date_weekday(int32_t day)
{
	int	w;

	w = (int)((day + 4) % 7);
	return (w < 0 ? w + 7 : w);
}

/* China Standard Time is UTC+8 all year: no daylight saving since 1991. */
int32_t
cal_date_today_cst(time_t now)
{
	long long	t;

	t = (long long)now + 8 * 3600;
	if (t >= 0)
		return ((int32_t)(t / 86400));
	return ((int32_t)((t - 86399) / 86400));
}

struct calendar *
calendar_new(void)
{
	return (calloc(1, sizeof(struct calendar)));
}

void
calendar_free(struct calendar *cal)
{
	size_t	i;

	if (cal == NULL)
		return;
	for (i = 0; i < sizeof(cal->years) / sizeof(cal->years[0]); i++)
		free(cal->years[i]);
	free(cal);
}

static struct cal_year *
cal_year_get(struct calendar *cal, int year)
{
	struct cal_year	**slot;

	if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
		return (NULL);
	slot = &cal->years[year - CAL_YEAR_MIN];
	if (*slot == NULL) {
		if ((*slot = calloc(1, sizeof(**slot))) == NULL)
			return (NULL);
		(*slot)->year = year;
	}
	return (*slot);
}

int
calendar_add_year(struct calendar *cal, int year)
{
	struct cal_year	*y;

	if ((y = cal_year_get(cal, year)) == NULL)
		return (0);
	y->loaded = 1;
	return (1);
}

static int
cal_day_of_year(int32_t day, int *year)
{
	int	y, m, d;
	int32_t	jan1;

	cal_date_to_ymd(day, &y, &m, &d);
	*year = y;
	jan1 = cal_days_from_civil(y, 1, 1);
	return ((int)(day - jan1));
}

int
calendar_mark(struct calendar *cal, int32_t day, enum cal_kind kind)
{
	struct cal_year	*y;
	int		year, doy;

	doy = cal_day_of_year(day, &year);
	if ((y = cal_year_get(cal, year)) == NULL)
		return (0);
	y->kind[doy] = (unsigned char)kind;
	return (1);
}

int
calendar_has_year(const struct calendar *cal, int year)
{
	if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
		return (0);
	return (cal->years[year - CAL_YEAR_MIN] != NULL &&
	    cal->years[year - CAL_YEAR_MIN]->loaded);
}

enum cal_result
calendar_is_workday(const struct calendar *cal, int32_t day, int *workday,
    int *missing)
{
	const struct cal_year	*y;
	int			year, doy, wd;

	doy = cal_day_of_year(day, &year);
	if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
		return (CAL_RANGE);
	y = cal->years[year - CAL_YEAR_MIN];
	if (y == NULL || !y->loaded) {
		if (missing != NULL)
			*missing = year;
		return (CAL_NO_DATA);
	}
	switch (y->kind[doy]) {
	case CAL_HOLIDAY:
		*workday = 0;
		break;
	case CAL_WORKDAY:
		*workday = 1;
		break;
	default:
		wd = cal_date_weekday(day);
		*workday = wd != 0 && wd != 6;
		break;
	}
	return (CAL_OK);
}

/* The day of receipt is not counted: counting starts the next day. */
enum cal_result
calendar_add_workdays(const struct calendar *cal, int32_t from, int n,
    int32_t *out, int *missing)
{
	enum cal_result	r;
	int32_t		day;
	int		counted, work;

	if (n < 0 || n > CAL_N_MAX)
		return (CAL_RANGE);
	day = from;
	for (counted = 0; counted < n; ) {
		day++;
		if ((r = calendar_is_workday(cal, day, &work, missing)) !=
		    CAL_OK)
			return (r);
		if (work)
			counted++;
	}
	*out = day;
	return (CAL_OK);
}

/*
 * N calendar days: the start day is not counted, the period ends on day
 * N, and moves to the next working day when day N is a rest day.
 */
enum cal_result
calendar_add_days(const struct calendar *cal, int32_t from, int n,
    int32_t *out, int *missing)
{
	enum cal_result	r;
	int32_t		day;
	int		work, guard;

	if (n < 0 || n > CAL_N_MAX)
		return (CAL_RANGE);
	day = from + n;
	for (guard = 0; guard < 366; guard++) {
		if ((r = calendar_is_workday(cal, day, &work, missing)) !=
		    CAL_OK)
			return (r);
		if (work) {
			*out = day;
			return (CAL_OK);
		}
		day++;
	}
	return (CAL_RANGE);
}

enum cal_result
calendar_workdays_between(const struct calendar *cal, int32_t from,
    int32_t to, int *n, int *missing)
{
	enum cal_result	r;
	int32_t		day;
	int		work;

	*n = 0;
	if (to - from > CAL_N_MAX * 2)
		return (CAL_RANGE);
	for (day = from + 1; day <= to; day++) {
		if ((r = calendar_is_workday(cal, day, &work, missing)) !=
		    CAL_OK)
			return (r);
		if (work)
			(*n)++;
	}
	return (CAL_OK);
}

/* The loaded years in ascending order, at most max of them. */
size_t
calendar_year_list(const struct calendar *cal, int *out, size_t max)
{
	size_t	i, n;

	n = 0;
	if (cal == NULL)
		return (0);
	for (i = 0; i < sizeof(cal->years) / sizeof(cal->years[0]) &&
	    n < max; i++) {
		if (cal->years[i] != NULL && cal->years[i]->loaded)
			out[n++] = cal->years[i]->year;
	}
	return (n);
}

/*
 * The year whose notice is overdue on `today`, or 0: this year's when it
 * is missing, whatever the day; next year's from warn_from (month * 100 +
 * day) on, since the State Council publishes it in November and receipts
 * from early December already count into it.  A calendar of NULL has
 * no year at all.
 */
int
calendar_year_due(const struct calendar *cal, int32_t today, int warn_from)
{
	int	y, m, d;

	cal_date_to_ymd(today, &y, &m, &d);
	if (cal == NULL || !calendar_has_year(cal, y))
		return (y);
	if (m * 100 + d >= warn_from && !calendar_has_year(cal, y + 1))
		return (y + 1);
	return (0);
}

/* What a case shows in place of a deadline that waits for a notice. */
void
calendar_pending_label(int year, char *buf, size_t len)
{
	(void)snprintf(buf, len, "截止日期待定（%d年放假安排尚未发布）", year);
}

/* Notice files. */

struct cal_parser {
	struct cal_notice	*n;
	size_t			cap;
	int			line;
	char			*err;
	size_t			errlen;
};

static int
cal_fail(struct cal_parser *p, const char *msg)
{
	(void)snprintf(p->err, p->errlen, "line %d: %s", p->line, msg);
	return (0);
}

static int
cal_near_year(const struct cal_notice *n, int32_t day)
{
	int32_t	first, last;
	size_t	i;

	for (i = 0; i < n->nyears; i++) {
		first = cal_days_from_civil(n->years[i], 1, 1);
		last = cal_days_from_civil(n->years[i], 12, 31);
		if (day >= first - CAL_RANGE_MAX && day <= last + CAL_RANGE_MAX)
			return (1);
	}
	return (0);
}

static int
cal_add_entry(struct cal_parser *p, int32_t day, enum cal_kind kind,
    const char *name)
{
	struct cal_entry	*e;
	size_t			i;

	if (!cal_near_year(p->n, day))
		return (cal_fail(p, "date is not within a declared year"));
	for (i = 0; i < p->n->nentries; i++) {
		if (p->n->entries[i].day == day)
			return (cal_fail(p, "date listed twice"));
	}
	if (kind == CAL_WORKDAY && cal_date_weekday(day) != 0 &&
	    cal_date_weekday(day) != 6)
		return (cal_fail(p, "an adjusted working day must be a "
		    "Saturday or Sunday"));
	if (p->n->nentries >= CAL_LINES_MAX)
		return (cal_fail(p, "too many entries"));
	if (p->n->nentries == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		e = realloc(p->n->entries, p->cap * sizeof(*e));
		if (e == NULL)
			return (cal_fail(p, "out of memory"));
		p->n->entries = e;
	}
	e = &p->n->entries[p->n->nentries++];
	e->day = day;
	e->kind = kind;
	(void)snprintf(e->name, sizeof(e->name), "%s", name);
	return (1);
}

static int
cal_name_ok(const char *s)
{
	const unsigned char	*u;
	size_t			len;

	len = strlen(s);
	if (len > CAL_NAME_MAX)
		return (0);
	for (u = (const unsigned char *)s; *u != '\0'; u++) {
		if (*u < 0x20 || *u == 0x7f)
			return (0);
	}
	return (1);
}

static size_t
cal_split(char *line, char **tok, size_t max)
{
	size_t	n;
	char	*p;

	n = 0;
	p = line;
	while (*p != '\0' && n < max) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		tok[n++] = p;
		if (n == max)
			break;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	/* The last token (a name) keeps its inner spaces. */
	return (n);
}

static int
cal_date_tok(struct cal_parser *p, const char *s, int32_t *out)
{
	if (!cal_date_parse(s, strlen(s), out))
		return (cal_fail(p, "not a valid YYYY-MM-DD date"));
	return (1);
}

static int
cal_line_year(struct cal_parser *p, char **tok, size_t n)
{
	int	y;
	size_t	i;

	if (n != 2 || strlen(tok[1]) != 4 || !cal_digits(tok[1], 4, &y) ||
	    y < CAL_YEAR_MIN || y > CAL_YEAR_MAX)
		return (cal_fail(p, "expected: year YYYY (1900-2199)"));
	for (i = 0; i < p->n->nyears; i++) {
		if (p->n->years[i] == y)
			return (cal_fail(p, "year declared twice"));
	}
	if (p->n->nyears >= CAL_YEARS_MAX)
		return (cal_fail(p, "too many years"));
	p->n->years[p->n->nyears++] = y;
	return (1);
}

static int
cal_line_holiday(struct cal_parser *p, char **tok, size_t n)
{
	int32_t		from, to, day;
	const char	*name;

	if (n < 2)
		return (cal_fail(p, "expected: holiday FROM [TO] [name]"));
	if (!cal_date_tok(p, tok[1], &from))
		return (0);
	to = from;
	name = "";
	if (n >= 3 && cal_date_parse(tok[2], strlen(tok[2]), &to)) {
		if (n >= 4)
			name = tok[3];
	} else if (n >= 3) {
		if (strlen(tok[2]) == 10 && tok[2][4] == '-')
			return (cal_fail(p, "not a valid YYYY-MM-DD date"));
		to = from;
		name = tok[2];
	}
	if (to < from)
		return (cal_fail(p, "range ends before it starts"));
	if (to - from >= CAL_RANGE_MAX)
		return (cal_fail(p, "range longer than 31 days"));
	if (!cal_name_ok(name))
		return (cal_fail(p, "name too long or has control characters"));
	for (day = from; day <= to; day++) {
		if (!cal_add_entry(p, day, CAL_HOLIDAY, name))
			return (0);
	}
	return (1);
}

static int
cal_line_workday(struct cal_parser *p, char **tok, size_t n)
{
	int32_t		day;

	if (n < 2)
		return (cal_fail(p, "expected: workday DATE [name]"));
	if (!cal_date_tok(p, tok[1], &day))
		return (0);
	if (n >= 3 && !cal_name_ok(tok[2]))
		return (cal_fail(p, "name too long or has control characters"));
	return (cal_add_entry(p, day, CAL_WORKDAY, n >= 3 ? tok[2] : ""));
}

static int
cal_line(struct cal_parser *p, char *line)
{
	char	*tok[4];
	size_t	n;

	n = cal_split(line, tok, 4);
	if (n == 0 || tok[0][0] == '#')
		return (1);
	if (!strcmp(tok[0], "year"))
		return (cal_line_year(p, tok, n));
	if (p->n->nyears == 0)
		return (cal_fail(p, "a day before any 'year' line"));
	if (!strcmp(tok[0], "holiday"))
		return (cal_line_holiday(p, tok, n));
	if (!strcmp(tok[0], "workday"))
		return (cal_line_workday(p, tok, n));
	return (cal_fail(p, "unknown keyword (year, holiday, workday)"));
}

int
calendar_parse(const char *text, size_t len, struct cal_notice *out,
    char *err, size_t errlen)
{
	struct cal_parser	p;
	char			*buf, *line, *next;
	int			ok;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.n = out;
	p.err = err;
	p.errlen = errlen;
	if (len > CAL_FILE_MAX) {
		(void)snprintf(err, errlen, "file larger than 64 KiB");
		return (0);
	}
	if (memchr(text, '\0', len) != NULL) {
		(void)snprintf(err, errlen, "file contains NUL bytes");
		return (0);
	}
	if ((buf = malloc(len + 1)) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return (0);
	}
	memcpy(buf, text, len);
	buf[len] = '\0';

	ok = 1;
	for (line = buf; ok && line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (++p.line > CAL_LINES_MAX) {
			ok = cal_fail(&p, "more than 1000 lines");
			break;
		}
		ok = cal_line(&p, line);
	}
	free(buf);
	if (ok && out->nyears == 0) {
		(void)snprintf(err, errlen, "no 'year' line");
		ok = 0;
	}
	if (!ok)
		calendar_notice_free(out);
	return (ok);
}

void
calendar_notice_free(struct cal_notice *n)
{
	free(n->entries);
	memset(n, 0, sizeof(*n));
}

int
calendar_apply(struct calendar *cal, const struct cal_notice *n)
{
	size_t	i;

	for (i = 0; i < n->nyears; i++) {
		if (!calendar_add_year(cal, n->years[i]))
			return (0);
	}
	for (i = 0; i < n->nentries; i++) {
		if (!calendar_mark(cal, n->entries[i].day, n->entries[i].kind))
			return (0);
	}
	return (1);
}
