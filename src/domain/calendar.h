#ifndef VCP_CALENDAR_H
#define VCP_CALENDAR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Dates as day numbers (days since 1970-01-01, a Thursday) and the
 * working-day rules of the measures: which days count, when a period of
 * N working days or N calendar days ends.  Pure: no I/O, no globals.
 */

#define CAL_YEAR_MIN	1900
#define CAL_YEAR_MAX	2199

int		cal_date_from_ymd(int, int, int, int32_t *);
void		cal_date_to_ymd(int32_t, int *, int *, int *);
int		cal_date_parse(const char *, size_t, int32_t *);
void		cal_date_format(int32_t, char [11]);
int		cal_date_weekday(int32_t);
int32_t		cal_date_today_cst(time_t);

enum cal_kind { CAL_DEFAULT = 0, CAL_HOLIDAY = 1, CAL_WORKDAY = 2 };
enum cal_result { CAL_OK = 0, CAL_NO_DATA, CAL_RANGE };

struct calendar;

struct calendar	*calendar_new(void);
void		calendar_free(struct calendar *);
int		calendar_add_year(struct calendar *, int);
int		calendar_mark(struct calendar *, int32_t, enum cal_kind);
int		calendar_has_year(const struct calendar *, int);
enum cal_result	calendar_is_workday(const struct calendar *, int32_t, int *,
		    int *);
enum cal_result	calendar_add_workdays(const struct calendar *, int32_t, int,
		    int32_t *, int *);
enum cal_result	calendar_add_days(const struct calendar *, int32_t, int,
		    int32_t *, int *);
enum cal_result	calendar_workdays_between(const struct calendar *, int32_t,
		    int32_t, int *, int *);
size_t		calendar_year_list(const struct calendar *, int *, size_t);
int		calendar_year_due(const struct calendar *, int32_t, int);
void		calendar_pending_label(int, char *, size_t);

#define CAL_NAME_MAX	64
#define CAL_YEARS_MAX	16

struct cal_entry {
	int32_t		day;
	enum cal_kind	kind;
	char		name[CAL_NAME_MAX + 1];
};

struct cal_notice {
	int			years[CAL_YEARS_MAX];
	size_t			nyears;
	struct cal_entry	*entries;
	size_t			nentries;
};

int		calendar_parse(const char *, size_t, struct cal_notice *,
		    char *, size_t);
void		calendar_notice_free(struct cal_notice *);
int		calendar_apply(struct calendar *, const struct cal_notice *);

#endif
