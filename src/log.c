/*
 * One logging call for code that must not know whether it runs inside
 * Kore: the module installs a sink that hands lines to kore_log, every
 * other program keeps the default, standard error.
 */

#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static void	log_stderr(int, const char *);

static void	(*log_sink)(int, const char *) = log_stderr;

static void
log_stderr(int prio, const char *line)
{
	(void)prio;
	fprintf(stderr, "%s\n", line);
}

void
vcp_log_sink(void (*sink)(int, const char *))
{
	log_sink = sink != NULL ? sink : log_stderr;
}

void
vcp_log(int prio, const char *fmt, ...)
{
	va_list	ap;
	char	line[512];

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_sink(prio, line);
}
