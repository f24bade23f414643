#ifndef VCP_LOG_H
#define VCP_LOG_H

#include <syslog.h>

/*
 * Logging for the Kore-free code: to standard error by default (vcpctl,
 * vcpnotifyd, unit tests); the Kore module points it at kore_log.  Never
 * pass personal data.
 */
void	vcp_log(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	vcp_log_sink(void (*)(int, const char *));

#endif
