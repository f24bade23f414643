#ifndef VCP_DEADLINE_H
#define VCP_DEADLINE_H

struct db;

int	deadline_after_load(struct db *, const char *, int *);

#endif
