#ifndef VCP_WATCHDOG_H
#define VCP_WATCHDOG_H

void	watchdog_start(int);
void	watchdog_stop(void);

#endif
