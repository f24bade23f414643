/*
 * The State Council General Office's yearly notice of holidays, read as
 * published, into the calendar calendar_parse() reads from
 * schema/calendar/YYYY.txt.
 *
 * The text is decoded to code points, full-width forms folded to ASCII and
 * whitespace dropped; each code point keeps its place in the original, so
 * an error quotes the sentence as published.  Lines before the numbered
 * items (title, document number, addressees, introduction) and after them
 * (closing paragraphs, office, date) are recognised, and checked where they
 * name a year.  Every sentence of the items must be read, and everything it
 * states checked against the calendar: a notice this code cannot read
 * whole is refused, never guessed at.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/notice.h"

#define NP_QUOTE_MAX	240
#define NP_RANGES_MAX	8
#define NP_LIST_MAX	16
#define NP_RANGE_MAX	31

struct np_char {
	uint32_t	c;	/* the code point, folded */
	uint32_t	off;	/* its first byte in the original */
	uint32_t	end;	/* one past its last byte */
};

struct np_span {
	const struct np_char	*v;
	size_t			n;
};

struct np_cur {
	const struct np_char	*v;
	size_t			i;
	size_t			n;
};

struct np_dates {
	int32_t		d[NP_LIST_MAX];
	size_t		n;
};

struct np {
	const char		*src;
	struct cal_notice	*out;
	size_t			cap;
	char			*err;
	size_t			errlen;
	int			year;
	/* The item being read. */
	int			item;
	char			name[CAL_NAME_MAX + 1];
	int32_t			lo[NP_RANGES_MAX];
	int32_t			hi[NP_RANGES_MAX];
	size_t			nranges;
	size_t			first_entry;
	int			no_adjust;
	/* What an error quotes. */
	struct np_span		quote;
	/* The date a date without its year or month continues. */
	int			ly;
	int			lm;
	int			have_last;
};

enum np_state { NP_TITLE, NP_TITLE2, NP_HEAD, NP_ITEMS, NP_CLOSING };

static const char *const np_wd_zh[] = { "星期日", "星期一", "星期二", "星期三",
    "星期四", "星期五", "星期六" };
static const char *const np_wd_en[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };

static int	np_fail(struct np *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* One code point of UTF-8; refuses overlong forms and surrogates. */
static int
np_utf8(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	uint32_t	c, min;
	size_t		k, n;

	c = s[*i];
	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return (1);
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else
		return (0);
	if (*i + n >= len)
		return (0);
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[*i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	*i += n + 1;
	return (1);
}

/* Full-width ASCII and the dashes of ranges, as the parser reads them. */
static uint32_t
np_fold(uint32_t c)
{
	if (c >= 0xff01 && c <= 0xff5e)
		return (c - 0xfee0);
	switch (c) {
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2015:
	case 0x2212:
		return ('-');
	case 0x301c:
		return ('~');
	case 0xff61:
		return (0x3002);
	case 0xff64:
		return (0x3001);
	default:
		return (c);
	}
}

static int
np_space(uint32_t c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
	    c == '\f' || c == 0xa0 || c == 0x3000 ||
	    (c >= 0x2000 && c <= 0x200b) || c == 0x202f || c == 0x205f ||
	    c == 0xfeff);
}

static void
np_vmsg(struct np *p, const char *fmt, va_list ap)
{
	const struct np_char	*v;
	char			quote[NP_QUOTE_MAX + 8], name[96];
	size_t			a, b, n, k;

	name[0] = '\0';
	if (p->item > 0)
		(void)snprintf(name, sizeof(name), "item %d (%s): ", p->item,
		    p->name);
	quote[0] = '\0';
	if (p->quote.n > 0) {
		v = p->quote.v;
		a = v[0].off;
		b = v[p->quote.n - 1].end;
		n = b - a;
		if (n > NP_QUOTE_MAX) {
			n = NP_QUOTE_MAX;
			/* Never cut inside a character. */
			while (n > 0 &&
			    ((unsigned char)p->src[a + n] & 0xc0) == 0x80)
				n--;
		}
		for (k = 0; k < n; k++) {
			quote[k] = p->src[a + k];
			if (quote[k] == '\n' || quote[k] == '\r' ||
			    quote[k] == '\t')
				quote[k] = ' ';
		}
		quote[k] = '\0';
		if (n < b - a)
			(void)strcat(quote, "…");
	}
	k = (size_t)snprintf(p->err, p->errlen, "%s%s%s%s", name,
	    quote[0] != '\0' ? "\"" : "", quote,
	    quote[0] != '\0' ? "\": " : "");
	if (k < p->errlen)
		(void)vsnprintf(p->err + k, p->errlen - k, fmt, ap);
}

static int
np_fail(struct np *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	np_vmsg(p, fmt, ap);
	va_end(ap);
	return (0);
}

static void
np_quote(struct np *p, const struct np_char *v, size_t n)
{
	p->quote.v = v;
	p->quote.n = n;
}

/* Matches the UTF-8 literal s at the cursor and moves past it. */
static int
np_lit(struct np_cur *c, const char *s)
{
	size_t		i, k, len;
	uint32_t	cp;

	len = strlen(s);
	for (i = 0, k = c->i; i < len; k++) {
		if (!np_utf8((const unsigned char *)s, len, &i, &cp))
			return (0);
		if (k >= c->n || c->v[k].c != cp)
			return (0);
	}
	c->i = k;
	return (1);
}

static int
np_peek(const struct np_cur *c, const char *s)
{
	struct np_cur	t;

	t = *c;
	return (np_lit(&t, s));
}

static int
np_end(const struct np_cur *c)
{
	return (c->i >= c->n);
}

/* Whether the rest of the cursor is exactly s. */
static int
np_rest_is(const struct np_cur *c, const char *s)
{
	struct np_cur	t;

	t = *c;
	return (np_lit(&t, s) && np_end(&t));
}

static int
np_num(struct np_cur *c, int *v)
{
	size_t	start;
	int	n;

	n = 0;
	start = c->i;
	while (c->i < c->n && c->v[c->i].c >= '0' && c->v[c->i].c <= '9') {
		if (c->i - start >= 4)
			return (0);
		n = n * 10 + (int)(c->v[c->i].c - '0');
		c->i++;
	}
	if (c->i == start)
		return (0);
	*v = n;
	return (1);
}

static int
np_cn_digit(uint32_t c)
{
	static const struct {
		uint32_t	c;
		int		v;
	} d[] = {
		{ 0x3007, 0 }, { 0x25cb, 0 }, { 0x96f6, 0 }, { 'O', 0 },
		{ 0x4e00, 1 }, { 0x4e8c, 2 }, { 0x4e24, 2 }, { 0x4e09, 3 },
		{ 0x56db, 4 }, { 0x4e94, 5 }, { 0x516d, 6 }, { 0x4e03, 7 },
		{ 0x516b, 8 }, { 0x4e5d, 9 },
	};
	size_t	i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		if (d[i].c == c)
			return (d[i].v);
	}
	return (-1);
}

/* 一 to 九十九, as items and dates are numbered. */
static int
np_cn_num(struct np_cur *c, int *v)
{
	int	a, b;

	a = c->i < c->n ? np_cn_digit(c->v[c->i].c) : -1;
	if (a > 0)
		c->i++;
	if (c->i < c->n && c->v[c->i].c == 0x5341) {	/* 十 */
		c->i++;
		b = c->i < c->n ? np_cn_digit(c->v[c->i].c) : -1;
		if (b > 0)
			c->i++;
		*v = (a > 0 ? a : 1) * 10 + (b > 0 ? b : 0);
		return (1);
	}
	if (a <= 0)
		return (0);
	*v = a;
	return (1);
}

/* 星期一 … 星期日 (or 星期天), 周一 … 周日: 0 is Sunday. */
static int
np_weekday(struct np_cur *c, int *wd)
{
	static const char *const days[] = { "日", "一", "二", "三", "四",
	    "五", "六", "天" };
	struct np_cur	t;
	int		i;

	t = *c;
	if (!np_lit(&t, "星期") && !np_lit(&t, "周") && !np_lit(&t, "礼拜"))
		return (0);
	for (i = 0; i < 8; i++) {
		if (np_lit(&t, days[i])) {
			*wd = i % 7;
			*c = t;
			return (1);
		}
	}
	return (0);
}

static int
np_is_weekend(int32_t day)
{
	int	wd;

	wd = cal_date_weekday(day);
	return (wd == 0 || wd == 6);
}

static const char *
np_fmt(int32_t day, char buf[11])
{
	cal_date_format(day, buf);
	return (buf);
}

static int
np_in_ranges(const struct np *p, int32_t day)
{
	size_t	i;

	for (i = 0; i < p->nranges; i++) {
		if (day >= p->lo[i] && day <= p->hi[i])
			return (1);
	}
	return (0);
}

/* Distance from a day to the item's holidays; 0 inside. */
static int32_t
np_distance(const struct np *p, int32_t day)
{
	int32_t	best, d;
	size_t	i;

	best = INT32_MAX;
	for (i = 0; i < p->nranges; i++) {
		if (day >= p->lo[i] && day <= p->hi[i])
			return (0);
		d = day < p->lo[i] ? p->lo[i] - day : day - p->hi[i];
		if (d < best)
			best = d;
	}
	return (best);
}

/*
 * The year of a month and day the text gives without one: the year that
 * puts the day nearest the item's holidays (the 元旦 item of a notice
 * speaks of the December before without naming it), else the notice's.
 */
static int
np_year_of(const struct np *p, int m, int d)
{
	int32_t	day, dist, best;
	int	y, besty;

	if (p->nranges == 0)
		return (p->year);
	besty = p->year;
	best = INT32_MAX;
	for (y = p->year - 1; y <= p->year + 1; y++) {
		if (!cal_date_from_ymd(y, m, d, &day))
			continue;
		dist = np_distance(p, day);
		if (dist < best || (dist == best && y == p->year)) {
			best = dist;
			besty = y;
		}
	}
	return (besty);
}

/* The parenthesis after a date: weekdays are checked, labels skipped. */
static int
np_paren(struct np *p, struct np_cur *c, int32_t day)
{
	struct np_cur	part;
	char		buf[11];
	size_t		start;
	uint32_t	ch;
	int		wd;

	for (;;) {
		start = c->i;
		while (c->i < c->n && (ch = c->v[c->i].c) != ')' &&
		    ch != 0x3001 && ch != ',') {
			if (ch == '(')
				return (np_fail(p, "a parenthesis inside a "
				    "parenthesis"));
			c->i++;
		}
		if (c->i >= c->n)
			return (np_fail(p, "a parenthesis is not closed"));
		if (c->i == start)
			return (np_fail(p, "an empty part in a parenthesis"));
		part.v = c->v;
		part.i = start;
		part.n = c->i;
		if (np_weekday(&part, &wd) && np_end(&part)) {
			if (cal_date_weekday(day) != wd)
				return (np_fail(p, "%s is a %s (%s), the text "
				    "says %s", np_fmt(day, buf),
				    np_wd_en[cal_date_weekday(day)],
				    np_wd_zh[cal_date_weekday(day)],
				    np_wd_zh[wd]));
		} else {
			part.i = start;
			if (np_peek(&part, "星期") || np_peek(&part, "周") ||
			    np_peek(&part, "礼拜"))
				return (np_fail(p, "not a weekday in the "
				    "parenthesis after %s", np_fmt(day, buf)));
		}
		if (c->v[c->i].c == ')') {
			c->i++;
			return (1);
		}
		c->i++;
	}
}

/*
 * A date: [YYYY年][M月]D日, then perhaps a parenthesis.  A range's end
 * (after set) continues its start; a day without its month continues the
 * date before it in the same clause.  Returns -1, the cursor unmoved, when
 * there is no date here.
 */
static int
np_date(struct np *p, struct np_cur *c, const int32_t *after, int32_t *out)
{
	struct np_cur	t;
	char		buf[11];
	int32_t		day, first, last;
	int		n, y, m, d, ay, am, ad;

	t = *c;
	y = m = d = -1;
	for (;;) {
		if (!np_num(&t, &n))
			return (d < 0 && m < 0 && y < 0 ? -1 :
			    np_fail(p, "a date is not complete"));
		if (np_lit(&t, "年") && y < 0 && m < 0)
			y = n;
		else if (np_lit(&t, "月") && m < 0)
			m = n;
		else if (np_lit(&t, "日")) {
			d = n;
			break;
		} else if (y < 0 && m < 0)
			return (-1);
		else
			return (np_fail(p, "a date is not complete"));
	}
	if (y >= 0 && m < 0)
		return (np_fail(p, "a date has a year but no month"));
	if (after != NULL)
		cal_date_to_ymd(*after, &ay, &am, &ad);
	if (m < 0) {
		if (after != NULL) {
			y = ay;
			m = am;
		} else if (p->have_last) {
			y = p->ly;
			m = p->lm;
		} else
			return (np_fail(p, "%d日 without its month", d));
	} else if (y < 0) {
		if (after != NULL) {
			y = ay;
			if (m < am)
				y++;
		} else
			y = np_year_of(p, m, d);
	}
	if (!cal_date_from_ymd(y, m, d, &day))
		return (np_fail(p, "there is no %d年%d月%d日", y, m, d));
	if (after != NULL && day <= *after)
		return (np_fail(p, "the range ends on or before it starts"));
	(void)cal_date_from_ymd(p->year - 1, 12, 1, &first);
	(void)cal_date_from_ymd(p->year, 12, 31, &last);
	if (day < first || day > last)
		return (np_fail(p, "%s is outside the notice's year %d",
		    np_fmt(day, buf), p->year));
	p->ly = y;
	p->lm = m;
	p->have_last = 1;
	if (np_lit(&t, "(") && !np_paren(p, &t, day))
		return (0);
	*c = t;
	*out = day;
	return (1);
}

/* D、D、…: returns -1 when no date starts here. */
static int
np_dates(struct np *p, struct np_cur *c, struct np_dates *l)
{
	int	r;

	l->n = 0;
	if ((r = np_date(p, c, NULL, &l->d[0])) != 1)
		return (r);
	l->n = 1;
	while (np_lit(c, "、")) {
		if (l->n >= NP_LIST_MAX)
			return (np_fail(p, "too many dates in one list"));
		if ((r = np_date(p, c, NULL, &l->d[l->n])) != 1)
			return (r == 0 ? 0 : np_fail(p, "a date is missing "
			    "after 、"));
		l->n++;
	}
	return (1);
}

static int
np_unknown(struct np *p, const struct np_cur *c)
{
	char	rest[NP_QUOTE_MAX + 1];
	size_t	a, b, n;

	if (c->i < c->n) {
		a = c->v[c->i].off;
		b = c->v[c->n - 1].end;
		n = b - a > NP_QUOTE_MAX ? NP_QUOTE_MAX : b - a;
		while (n > 0 && n < b - a &&
		    ((unsigned char)p->src[a + n] & 0xc0) == 0x80)
			n--;
		memcpy(rest, p->src + a, n);
		rest[n] = '\0';
		return (np_fail(p, "cannot read \"%s\" (not a phrasing of "
		    "the notices since 2008)", rest));
	}
	return (np_fail(p, "cannot read this sentence (it stops short)"));
}

/* Adds a day under the item's name; a working day may be stated twice. */
static int
np_add(struct np *p, int32_t day, enum cal_kind kind)
{
	struct cal_entry	*e;
	char			buf[11];
	size_t			i;

	for (i = 0; i < p->out->nentries; i++) {
		e = &p->out->entries[i];
		if (e->day != day)
			continue;
		if (kind == CAL_WORKDAY && e->kind == CAL_WORKDAY &&
		    i >= p->first_entry)
			return (1);
		return (np_fail(p, "%s is listed twice", np_fmt(day, buf)));
	}
	if (kind == CAL_WORKDAY && p->no_adjust)
		return (np_fail(p, "the item says 不调休 but %s is a working "
		    "day", np_fmt(day, buf)));
	if (p->out->nentries == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		if ((e = realloc(p->out->entries, p->cap * sizeof(*e))) ==
		    NULL)
			return (np_fail(p, "out of memory"));
		p->out->entries = e;
	}
	e = &p->out->entries[p->out->nentries++];
	memset(e, 0, sizeof(*e));
	e->day = day;
	e->kind = kind;
	(void)snprintf(e->name, sizeof(e->name), "%s", p->name);
	return (1);
}

static int
np_need_range(struct np *p)
{
	if (p->nranges == 0)
		return (np_fail(p, "the item must begin with its holidays"));
	return (1);
}

static int
np_count(struct np *p, int32_t from, int32_t to, int n)
{
	char	a[11], b[11];

	if (to - from + 1 != n)
		return (np_fail(p, "%s to %s is %d days, the text says %d",
		    np_fmt(from, a), np_fmt(to, b), (int)(to - from + 1), n));
	return (1);
}

/* FROM[至TO]放假[调休|公休][共N天|N天] */
static int
np_holiday(struct np *p, struct np_cur *c, int32_t from, int32_t to)
{
	char	buf[11];
	int32_t	day;
	int	n, y, m, d;

	if (!np_lit(c, "放假"))
		return (np_unknown(p, c));
	if (!np_lit(c, "调休"))
		(void)np_lit(c, "公休");
	if (!np_end(c)) {
		(void)np_lit(c, "共");
		if (!np_num(c, &n) || !np_lit(c, "天") || !np_end(c))
			return (np_unknown(p, c));
		if (!np_count(p, from, to, n))
			return (0);
	}
	if (to - from + 1 > NP_RANGE_MAX)
		return (np_fail(p, "a holiday longer than %d days",
		    NP_RANGE_MAX));
	cal_date_to_ymd(to, &y, &m, &d);
	if (y != p->year)
		return (np_fail(p, "the holiday ends on %s, not in %d",
		    np_fmt(to, buf), p->year));
	if (p->nranges >= NP_RANGES_MAX)
		return (np_fail(p, "too many holidays in one item"));
	p->lo[p->nranges] = from;
	p->hi[p->nranges] = to;
	p->nranges++;
	for (day = from; day <= to; day++) {
		if (!np_add(p, day, CAL_HOLIDAY))
			return (0);
	}
	return (1);
}

/* The last holiday, when it is one day. */
static int
np_single(struct np *p, const char *what, int32_t *day)
{
	if (!np_need_range(p))
		return (0);
	if (p->lo[p->nranges - 1] != p->hi[p->nranges - 1])
		return (np_fail(p, "%s follows a holiday of more than one day",
		    what));
	*day = p->lo[p->nranges - 1];
	return (1);
}

/* 与周末连休: a Friday or a Monday next to its weekend. */
static int
np_joined(struct np *p)
{
	char	buf[11];
	int32_t	day;
	int	wd;

	day = 0;
	if (!np_single(p, "与周末连休", &day))
		return (0);
	wd = cal_date_weekday(day);
	if (wd != 1 && wd != 5)
		return (np_fail(p, "%s is a %s, not next to a weekend",
		    np_fmt(day, buf), np_wd_en[wd]));
	return (1);
}

/* D（星期X）补休: a weekday off for a holiday that fell on a weekend. */
static int
np_substitute(struct np *p, const struct np_dates *l)
{
	char	buf[11];
	int32_t	day;
	size_t	i;

	day = 0;
	if (!np_single(p, "补休", &day))
		return (0);
	if (!np_is_weekend(day))
		return (np_fail(p, "补休 for %s, which is a %s, not a weekend "
		    "day", np_fmt(day, buf), np_wd_en[cal_date_weekday(day)]));
	for (i = 0; i < l->n; i++) {
		if (np_is_weekend(l->d[i]))
			return (np_fail(p, "补休 on %s, a %s: a substitute "
			    "rest day must be a weekday", np_fmt(l->d[i], buf),
			    np_wd_en[cal_date_weekday(l->d[i])]));
		if (!np_add(p, l->d[i], CAL_HOLIDAY))
			return (0);
	}
	return (1);
}

static int
np_workday(struct np *p, int32_t day)
{
	char	buf[11];

	if (!np_is_weekend(day))
		return (np_fail(p, "%s is a %s: an adjusted working day must be "
		    "a Saturday or Sunday", np_fmt(day, buf),
		    np_wd_en[cal_date_weekday(day)]));
	if (np_in_ranges(p, day))
		return (np_fail(p, "%s is both a holiday and a working day",
		    np_fmt(day, buf)));
	return (np_add(p, day, CAL_WORKDAY));
}

/* D、D上班 */
static int
np_workdays(struct np *p, const struct np_dates *l)
{
	size_t	i;

	if (!np_need_range(p))
		return (0);
	for (i = 0; i < l->n; i++) {
		if (!np_workday(p, l->d[i]))
			return (0);
	}
	return (1);
}

/* D为…法定节假日, D为公休日, D照常公休: days of the holiday. */
static int
np_within(struct np *p, const struct np_dates *l, int weekend)
{
	char	buf[11];
	size_t	i;

	if (!np_need_range(p))
		return (0);
	for (i = 0; i < l->n; i++) {
		if (!np_in_ranges(p, l->d[i]))
			return (np_fail(p, "%s is not within the holiday",
			    np_fmt(l->d[i], buf)));
		if (weekend && !np_is_weekend(l->d[i]))
			return (np_fail(p, "%s is a %s, not a weekend day",
			    np_fmt(l->d[i], buf),
			    np_wd_en[cal_date_weekday(l->d[i])]));
	}
	return (1);
}

/* A festival's name: 元旦, or a name ending in 节. */
static int
np_festival(const struct np_cur *c, size_t a, size_t b)
{
	if (b <= a)
		return (0);
	if (c->v[b - 1].c == 0x8282)			/* 节 */
		return (1);
	return (b - a == 2 && c->v[a].c == 0x5143 && c->v[a + 1].c == 0x65e6);
}

/*
 * The notices of 2008 and 2009 move weekend rest days:
 * D、D[两个]公休日[及中秋节][分别]调至D、D.  A moved day outside the
 * holiday is worked; the days it moves to are weekdays of the holiday.
 */
static int
np_transfer(struct np *p, struct np_cur *c, const struct np_dates *from)
{
	struct np_dates	to;
	char		buf[11];
	size_t		i, a, named;
	int		k, r;

	if (!np_need_range(p))
		return (0);
	k = -1;
	if ((np_cn_num(c, &k) || np_num(c, &k)) && !np_lit(c, "个"))
		return (np_unknown(p, c));
	if (!np_lit(c, "公休日"))
		return (np_unknown(p, c));
	named = 0;
	while (np_lit(c, "及")) {
		a = c->i;
		while (c->i < c->n && !np_peek(c, "及") &&
		    !np_peek(c, "分别") && !np_peek(c, "调至"))
			c->i++;
		if (!np_festival(c, a, c->i))
			return (np_unknown(p, c));
		named++;
	}
	(void)np_lit(c, "分别");
	if (!np_lit(c, "调至"))
		return (np_unknown(p, c));
	p->have_last = 0;
	if ((r = np_dates(p, c, &to)) != 1)
		return (r == 0 ? 0 : np_unknown(p, c));
	if (!np_end(c))
		return (np_unknown(p, c));
	if (k >= 0 && (size_t)k != from->n)
		return (np_fail(p, "the text says %d rest days but lists %zu",
		    k, from->n));
	if (from->n + named != to.n)
		return (np_fail(p, "%zu rest days moved to %zu days",
		    from->n + named, to.n));
	for (i = 0; i < to.n; i++) {
		if (np_is_weekend(to.d[i]) || !np_in_ranges(p, to.d[i]))
			return (np_fail(p, "a rest day is moved to %s, which "
			    "is not a weekday of the holiday",
			    np_fmt(to.d[i], buf)));
	}
	for (i = 0; i < from->n; i++) {
		if (!np_is_weekend(from->d[i]))
			return (np_fail(p, "%s is a %s, not a weekend rest day",
			    np_fmt(from->d[i], buf),
			    np_wd_en[cal_date_weekday(from->d[i])]));
		if (!np_in_ranges(p, from->d[i]) &&
		    !np_workday(p, from->d[i]))
			return (0);
	}
	return (1);
}

static int
np_clause(struct np *p, struct np_cur *c)
{
	struct np_dates	l;
	struct np_cur	t;
	int32_t		first, end;
	int		n, r;

	p->have_last = 0;
	if (np_lit(c, "其中") && np_end(c))
		return (1);
	(void)np_lit(c, "将");
	if ((r = np_date(p, c, NULL, &first)) == 0)
		return (0);
	if (r < 0) {
		if (np_lit(c, "共")) {
			if (!np_num(c, &n) || !np_lit(c, "天") || !np_end(c))
				return (np_unknown(p, c));
			if (!np_need_range(p))
				return (0);
			return (np_count(p, p->lo[p->nranges - 1],
			    p->hi[p->nranges - 1], n));
		}
		if (np_rest_is(c, "与周末连休"))
			return (np_joined(p));
		if (np_rest_is(c, "不调休")) {
			if (!np_need_range(p))
				return (0);
			if (p->out->nentries > 0 && p->out->entries[
			    p->out->nentries - 1].kind == CAL_WORKDAY)
				return (np_fail(p, "the item says 不调休 but "
				    "lists working days"));
			p->no_adjust = 1;
			return (1);
		}
		return (np_unknown(p, c));
	}
	if (np_lit(c, "至") || np_lit(c, "-") || np_lit(c, "~")) {
		while (np_lit(c, "-") || np_lit(c, "~"))
			;
		if ((r = np_date(p, c, &first, &end)) != 1)
			return (r == 0 ? 0 : np_unknown(p, c));
		return (np_holiday(p, c, first, end));
	}
	l.d[0] = first;
	l.n = 1;
	while (np_lit(c, "、")) {
		if (l.n >= NP_LIST_MAX)
			return (np_fail(p, "too many dates in one list"));
		if ((r = np_date(p, c, NULL, &l.d[l.n])) != 1)
			return (r == 0 ? 0 : np_unknown(p, c));
		l.n++;
	}
	if (l.n == 1 && np_peek(c, "放假"))
		return (np_holiday(p, c, first, first));
	if (np_rest_is(c, "补休"))
		return (np_substitute(p, &l));
	if (np_rest_is(c, "上班"))
		return (np_workdays(p, &l));
	if (np_rest_is(c, "为公休日") || np_rest_is(c, "照常公休"))
		return (np_within(p, &l, 1));
	t = *c;
	if (np_lit(&t, "为")) {
		/* 为法定节假日, 为国庆节法定节假日 */
		n = (int)t.i;
		while (t.i < t.n && !np_rest_is(&t, "法定节假日"))
			t.i++;
		if (t.i < t.n && ((size_t)n == t.i ||
		    np_festival(&t, (size_t)n, t.i)))
			return (np_within(p, &l, 0));
		return (np_unknown(p, c));
	}
	return (np_transfer(p, c, &l));
}

/* An item's text after its name: sentences, each of clauses. */
static int
np_body(struct np *p, const struct np_char *v, size_t n)
{
	struct np_cur	c;
	size_t		s, e, a, i;
	int		depth;

	for (s = 0; s < n; s = e + 1) {
		depth = 0;
		for (e = s; e < n; e++) {
			if (v[e].c == '(')
				depth++;
			else if (v[e].c == ')' && depth > 0)
				depth--;
			else if (depth == 0 && (v[e].c == 0x3002 ||
			    v[e].c == '.'))
				break;
		}
		if (e == s)
			continue;
		np_quote(p, v + s, e < n ? e - s + 1 : e - s);
		c.v = v;
		c.i = s;
		c.n = e;
		/* Advice (鼓励…) arranges nothing. */
		if (np_peek(&c, "鼓励"))
			continue;
		depth = 0;
		for (a = s, i = s; i <= e; i++) {
			if (i < e && v[i].c == '(')
				depth++;
			else if (i < e && v[i].c == ')' && depth > 0)
				depth--;
			else if (i == e || (depth == 0 && (v[i].c == ',' ||
			    v[i].c == ';' || v[i].c == ':'))) {
				if (i > a) {
					c.i = a;
					c.n = i;
					if (!np_clause(p, &c))
						return (0);
				}
				a = i + 1;
			}
		}
	}
	return (1);
}

/* 一、 二、 … (or 第一、, 1、): the item's number, or 0. */
static int
np_item_number(const struct np_span *l, size_t *pos)
{
	struct np_cur	c;
	int		n;

	c.v = l->v;
	c.i = 0;
	c.n = l->n;
	(void)np_lit(&c, "第");
	if (np_cn_num(&c, &n)) {
		if (!np_lit(&c, "、") && !np_lit(&c, ",") && !np_lit(&c, "."))
			return (0);
	} else if (np_num(&c, &n) && c.i <= 2) {
		if (!np_lit(&c, "、") && !np_lit(&c, "."))
			return (0);
	} else
		return (0);
	*pos = c.i;
	return (n);
}

static int
np_put(char *buf, size_t size, size_t *w, uint32_t c)
{
	char	tmp[4];
	size_t	n;

	if (c < 0x80) {
		tmp[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		tmp[0] = (char)(0xc0 | (c >> 6));
		tmp[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		tmp[0] = (char)(0xe0 | (c >> 12));
		tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		tmp[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		tmp[0] = (char)(0xf0 | (c >> 18));
		tmp[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		tmp[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		tmp[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (*w + n >= size)
		return (0);
	memcpy(buf + *w, tmp, n);
	*w += n;
	buf[*w] = '\0';
	return (1);
}

/* One numbered item: its number, its festivals' name, its sentences. */
static int
np_item(struct np *p, const struct np_char *v, size_t n, int number)
{
	struct np_span	line;
	struct np_cur	c;
	size_t		pos, a, k, w;

	p->item = number;
	p->nranges = 0;
	p->no_adjust = 0;
	p->first_entry = p->out->nentries;
	np_quote(p, v, n);
	line.v = v;
	line.n = n;
	(void)np_item_number(&line, &pos);
	c.v = v;
	c.n = n;
	for (c.i = pos; c.i < n && v[c.i].c != ':' &&
	    !(v[c.i].c >= '0' && v[c.i].c <= '9'); c.i++)
		;
	w = 0;
	p->name[0] = '\0';
	for (k = pos; k < c.i; k++) {
		if (!np_put(p->name, sizeof(p->name), &w, v[k].c))
			return (np_fail(p, "the festival's name is too long"));
	}
	for (a = pos, k = pos; k <= c.i; k++) {
		if (k < c.i && v[k].c != 0x3001)
			continue;
		if (!np_festival(&c, a, k))
			return (np_fail(p, "no festival's name before the "
			    "dates (元旦, or a name ending in 节)"));
		a = k + 1;
	}
	if (c.i < n && v[c.i].c == ':')
		c.i++;
	if (!np_body(p, v + c.i, n - c.i))
		return (0);
	np_quote(p, v, n);
	if (p->nranges == 0)
		return (np_fail(p, "the item names no holiday"));
	return (1);
}

static int
np_title(const struct np_span *l, int *year, int *complete)
{
	struct np_cur	c;
	size_t		i, start;
	int		y;

	for (i = 0; i < l->n; i++) {
		c.v = l->v;
		c.i = i;
		c.n = l->n;
		if (!np_lit(&c, "国务院办公厅关于"))
			continue;
		start = c.i;
		if (!np_num(&c, &y) || c.i - start != 4 || !np_lit(&c, "年"))
			continue;
		if (np_lit(&c, "部分节假日安排的通知"))
			*complete = 1;
		else if (np_end(&c))
			*complete = 0;
		else
			continue;
		*year = y;
		return (1);
	}
	return (0);
}

/* 国办发明电〔YYYY〕N号: issued the year before the year it arranges. */
static int
np_docno(struct np *p, const struct np_span *l)
{
	struct np_cur	c;
	int		y, n;

	c.v = l->v;
	c.i = 0;
	c.n = l->n;
	if (!np_lit(&c, "国办发明电"))
		return (-1);
	if (!(np_lit(&c, "〔") || np_lit(&c, "[") || np_lit(&c, "【") ||
	    np_lit(&c, "(")) || !np_num(&c, &y) ||
	    !(np_lit(&c, "〕") || np_lit(&c, "]") || np_lit(&c, "】") ||
	    np_lit(&c, ")")) || !np_num(&c, &n) || !np_rest_is(&c, "号"))
		return (np_fail(p, "cannot read the document number"));
	if (y != p->year - 1)
		return (np_fail(p, "the document number is of %d, but the "
		    "title names %d (a notice is issued the year before)", y,
		    p->year));
	return (1);
}

/* The years the lines before the items name: a title, 现将YYYY年…. */
static int
np_intro(struct np *p, const struct np_span *l)
{
	struct np_cur	c;
	size_t		i, start;
	int		y, complete;

	if (np_title(l, &y, &complete) && y != p->year)
		return (np_fail(p, "a title of %d in the notice of %d", y,
		    p->year));
	for (i = 0; i + 1 < l->n; i++) {
		c.v = l->v;
		c.i = i;
		c.n = l->n;
		if (!np_lit(&c, "现将"))
			continue;
		start = c.i;
		if (np_num(&c, &y) && c.i - start == 4 && np_lit(&c, "年") &&
		    y != p->year)
			return (np_fail(p, "the notice arranges %d, but its "
			    "title names %d", y, p->year));
	}
	return (1);
}

/* The date the office signed: YYYY年M月D日 or 二〇二五年十一月四日, whole. */
static int
np_sigdate(const struct np_cur *c, int *y, int *m, int *d)
{
	struct np_cur	t;
	int		k, dig;

	t = *c;
	if (np_num(&t, y) && t.i - c->i == 4 && np_lit(&t, "年")) {
		if (!np_num(&t, m) || !np_lit(&t, "月") || !np_num(&t, d) ||
		    !np_lit(&t, "日"))
			return (0);
		return (np_end(&t));
	}
	t = *c;
	for (*y = 0, k = 0; k < 4; k++, t.i++) {
		if (t.i >= t.n || (dig = np_cn_digit(t.v[t.i].c)) < 0)
			return (0);
		*y = *y * 10 + dig;
	}
	return (np_lit(&t, "年") && np_cn_num(&t, m) && np_lit(&t, "月") &&
	    np_cn_num(&t, d) && np_lit(&t, "日") && np_end(&t));
}

/* Whether a line begins the closing: paragraphs, office, date. */
static int
np_is_closing(const struct np_span *l)
{
	struct np_cur	c;
	int		y, m, d;

	c.v = l->v;
	c.i = 0;
	c.n = l->n;
	if (np_peek(&c, "节假日期间") || np_peek(&c, "鼓励") ||
	    np_peek(&c, "特此通知") || np_peek(&c, "(此件公开发布)"))
		return (1);
	if (np_lit(&c, "国务院办公厅"))
		return (!np_peek(&c, "关于"));
	return (np_sigdate(&c, &y, &m, &d));
}

static int
np_closing(struct np *p, const struct np_span *l)
{
	struct np_cur	c;
	int32_t		day;
	int		y, m, d;

	c.v = l->v;
	c.i = 0;
	c.n = l->n;
	if (np_peek(&c, "节假日期间") || np_peek(&c, "鼓励") ||
	    np_peek(&c, "特此通知") || np_rest_is(&c, "(此件公开发布)"))
		return (1);
	if (np_lit(&c, "国务院办公厅") && np_end(&c))
		return (1);
	if (!np_sigdate(&c, &y, &m, &d))
		return (np_fail(p, "not part of the notice's closing (an item "
		    "begins with its number)"));
	if (!cal_date_from_ymd(y, m, d, &day))
		return (np_fail(p, "there is no such date"));
	if (y != p->year - 1)
		return (np_fail(p, "the notice is dated in %d, but the title "
		    "names %d (a notice is issued the year before)", y,
		    p->year));
	return (1);
}

int
notice_parse(const char *text, size_t len, struct cal_notice *out, char *err,
    size_t errlen)
{
	struct np	p;
	struct np_char	*all, *item;
	struct np_span	*lines, l;
	enum np_state	st;
	uint32_t	cp;
	size_t		i, start, nall, nlines, first, nitem, k, pos;
	int		ok, y, complete, number, last;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	p.src = text;
	p.out = out;
	p.err = err;
	p.errlen = errlen;
	if (errlen > 0)
		err[0] = '\0';
	if (len > NOTICE_TEXT_MAX)
		return (np_fail(&p, "the text is larger than %d KiB",
		    NOTICE_TEXT_MAX / 1024));
	all = calloc(len + 1, sizeof(*all));
	item = calloc(len + 1, sizeof(*item));
	for (nlines = 1, i = 0; i < len; i++)
		nlines += text[i] == '\n';
	lines = calloc(nlines, sizeof(*lines));
	ok = 0;
	if (all == NULL || item == NULL || lines == NULL) {
		(void)np_fail(&p, "out of memory");
		goto done;
	}

	nall = nlines = first = 0;
	for (i = 0; i < len; ) {
		start = i;
		if (!np_utf8((const unsigned char *)text, len, &i, &cp)) {
			(void)np_fail(&p, "not UTF-8 at byte %zu", start);
			goto done;
		}
		if (cp == '\n') {
			lines[nlines].v = all + first;
			lines[nlines++].n = nall - first;
			first = nall;
			continue;
		}
		if (np_space(cp))
			continue;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			(void)np_fail(&p, "a control character at byte %zu",
			    start);
			goto done;
		}
		all[nall].c = np_fold(cp);
		all[nall].off = (uint32_t)start;
		all[nall++].end = (uint32_t)i;
	}
	lines[nlines].v = all + first;
	lines[nlines++].n = nall - first;

	st = NP_TITLE;
	nitem = 0;
	last = 0;
	for (k = 0; k < nlines; k++) {
		l = lines[k];
		if (l.n == 0)
			continue;
		np_quote(&p, l.v, l.n);
		number = st >= NP_HEAD ? np_item_number(&l, &pos) : 0;
		if (st == NP_ITEMS && (number > 0 || np_is_closing(&l))) {
			if (!np_item(&p, item, nitem, last))
				goto done;
			p.item = 0;
			np_quote(&p, l.v, l.n);
			nitem = 0;
			if (number == 0)
				st = NP_CLOSING;
		}
		switch (st) {
		case NP_TITLE:
			if (!np_title(&l, &y, &complete)) {
				(void)np_fail(&p, "the notice must begin with "
				    "its title, 国务院办公厅关于YYYY年部分节假日"
				    "安排的通知");
				goto done;
			}
			if (y <= CAL_YEAR_MIN || y > CAL_YEAR_MAX) {
				(void)np_fail(&p, "the year %d is out of range",
				    y);
				goto done;
			}
			p.year = y;
			st = complete ? NP_HEAD : NP_TITLE2;
			continue;
		case NP_TITLE2:
			if (!np_rest_is(&(struct np_cur){ l.v, 0, l.n },
			    "部分节假日安排的通知")) {
				(void)np_fail(&p, "the title is not complete");
				goto done;
			}
			st = NP_HEAD;
			continue;
		case NP_CLOSING:
			if (number > 0) {
				(void)np_fail(&p, "an item after the closing");
				goto done;
			}
			if (!np_closing(&p, &l))
				goto done;
			continue;
		case NP_HEAD:
		case NP_ITEMS:
			break;
		}
		if (number > 0) {
			if (number != last + 1) {
				(void)np_fail(&p, "item %d follows item %d",
				    number, last);
				goto done;
			}
			last = number;
			st = NP_ITEMS;
		} else if (st == NP_HEAD) {
			if (np_is_closing(&l)) {
				(void)np_fail(&p, "the closing comes before "
				    "any numbered item");
				goto done;
			}
			if (np_docno(&p, &l) == 0 || !np_intro(&p, &l))
				goto done;
			continue;
		}
		/* A line of the current item, or its continuation. */
		memcpy(item + nitem, l.v, l.n * sizeof(*item));
		nitem += l.n;
	}
	if (st == NP_ITEMS) {
		if (!np_item(&p, item, nitem, last))
			goto done;
	} else if (last == 0) {
		p.item = 0;
		p.quote.n = 0;
		(void)np_fail(&p, st == NP_TITLE ? "no title" :
		    "no numbered items");
		goto done;
	}
	out->years[0] = p.year;
	out->nyears = 1;
	ok = 1;
done:
	free(all);
	free(item);
	free(lines);
	if (!ok)
		calendar_notice_free(out);
	return (ok);
}

/* The calendar in the notice file format calendar_parse() reads. */
char *
notice_format(const struct cal_notice *n, size_t *lenp)
{
	const struct cal_entry	*e, *f;
	char			*buf, a[11], b[11];
	size_t			cap, len, i, j;
	int			r;

	cap = 128 + n->nyears * 16 + n->nentries * (48 + CAL_NAME_MAX);
	if ((buf = malloc(cap)) == NULL)
		return (NULL);
	len = 0;
	r = 0;
	if (n->nyears == 1)
		r = snprintf(buf, cap, "# 国务院办公厅关于%d年部分节假日安排的通知\n",
		    n->years[0]);
	len += (size_t)r;
	for (i = 0; i < n->nyears && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "year %d\n",
		    n->years[i]);
	for (i = 0; i < n->nentries && len < cap; i = j + 1) {
		e = &n->entries[i];
		cal_date_format(e->day, a);
		j = i;
		if (e->kind != CAL_HOLIDAY) {
			len += (size_t)snprintf(buf + len, cap - len,
			    "workday %s%s%s\n", a, e->name[0] ? " " : "",
			    e->name);
			continue;
		}
		/* A run of days of one holiday is one line. */
		while (j + 1 < n->nentries) {
			f = &n->entries[j + 1];
			if (f->kind != CAL_HOLIDAY ||
			    f->day != n->entries[j].day + 1 ||
			    f->day - e->day >= 31 || strcmp(f->name, e->name))
				break;
			j++;
		}
		if (j == i)
			len += (size_t)snprintf(buf + len, cap - len,
			    "holiday %s%s%s\n", a, e->name[0] ? " " : "",
			    e->name);
		else
			len += (size_t)snprintf(buf + len, cap - len,
			    "holiday %s %s%s%s\n", a,
			    np_fmt(n->entries[j].day, b),
			    e->name[0] ? " " : "", e->name);
	}
	if (len >= cap) {
		free(buf);
		return (NULL);
	}
	*lenp = len;
	return (buf);
}
