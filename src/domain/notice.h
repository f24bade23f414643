#ifndef VCP_NOTICE_H
#define VCP_NOTICE_H

#include <stddef.h>

/*
 * The State Council General Office's yearly notice of holidays
 * (国务院办公厅关于YYYY年部分节假日安排的通知), read as published, into the
 * calendar the notice files of schema/calendar/ describe.  Pure: no I/O.
 */

#define NOTICE_TEXT_MAX		(256 * 1024)

struct cal_notice;

int	notice_parse(const char *, size_t, struct cal_notice *, char *,
	    size_t);
char	*notice_format(const struct cal_notice *, size_t *);

#endif
