#ifndef VCP_AUDIT_H
#define VCP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;

struct audit_entry {
	int64_t		actor_id;	/* 0: anonymous or the system */
	const char	*actor_role;	/* NULL when anonymous */
	const char	*action;
	const char	*object;
	const char	*outcome;
	int		status;
	const char	*client;
};

int	audit_append(struct db *, const struct audit_entry *);
int	audit_verify(struct db *, uint64_t *, char *, size_t);

#endif
