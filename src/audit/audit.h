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

/* A row's hash as a witness saw it (a checkpoint). */
struct audit_mark {
	uint64_t	id;
	uint8_t		hash[32];
	char		source[256];
};

int		audit_init(const char *, char *, size_t);
const char	*audit_key_id(void);
int		audit_append(struct db *, const struct audit_entry *);
int		audit_append_commit(struct db *, const struct audit_entry *);
int64_t		audit_seal(struct db *, char *, size_t);
int		audit_verify(struct db *, struct audit_mark *, size_t,
		    uint64_t *, char *, size_t);

/* audit_checkpoint.c */
int		audit_checkpoint(struct db *, int, int, uint64_t *);
int		audit_checkpoint_marks(struct db *, struct audit_mark **,
		    size_t *);
int		audit_checkpoint_read(const char *, size_t, uint64_t *,
		    uint8_t[32]);

#endif
