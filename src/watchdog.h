#ifndef VCP_WATCHDOG_H
#define VCP_WATCHDOG_H

void	watchdog_start(int);

#endif
