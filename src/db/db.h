#ifndef VCP_DB_H
#define VCP_DB_H

#include <stddef.h>
#include <stdint.h>

/*
 * One MariaDB connection with its cache of prepared statements.  A
 * connection belongs to one thread; nothing here is shared.  Statements
 * are keyed by the address of their SQL text, which is always a string
 * constant in the store files, so a lookup is a pointer compare.
 */

struct vcp_config;
struct db;
struct db_stmt;

#define DB_ADMIN	0x01	/* connect as the migration user */
#define DB_MULTI	0x02	/* allow multi-statement scripts */

/* Runs of a transaction that keeps losing to others (db_again). */
#define DB_TRIES	10

/* A Galera node's state as its server reports it (db_wsrep). */
struct db_wsrep {
	int		on;		/* wsrep_on: a cluster node at all */
	int		ready;		/* wsrep_ready */
	int		state;		/* wsrep_local_state, 4 = Synced */
	char		comment[32];	/* wsrep_local_state_comment */
	char		status[32];	/* wsrep_cluster_status: Primary */
	int		size;		/* wsrep_cluster_size */
};

#define DB_WSREP_SYNCED	4

struct db	*db_connect(const struct vcp_config *, int, char *, size_t);
void		db_close(struct db *);
int		db_alive(struct db *);
int		db_ping(struct db *);
unsigned int	db_errno(struct db *);
int		db_retryable(struct db *);
int		db_unavailable(struct db *);
int		db_again(struct db *, int *);
const char	*db_error(struct db *);
int		db_exec_script(struct db *, const char *, size_t);
int		db_begin(struct db *);
int		db_began(struct db *);
int		db_in_txn(struct db *);
int		db_commit(struct db *);
int		db_rollback(struct db *);
int		db_now(struct db *, char *, size_t);
void		db_clock_hold(struct db *, const char *);
void		db_clock_drop(struct db *);
int		db_wsrep(struct db *, struct db_wsrep *);

struct db_stmt	*db_prepare(struct db *, const char *);
void		db_bind_i64(struct db_stmt *, int, int64_t);
void		db_bind_str(struct db_stmt *, int, const char *);
void		db_bind_strn(struct db_stmt *, int, const char *, size_t);
void		db_bind_blob(struct db_stmt *, int, const void *, size_t);
void		db_bind_null(struct db_stmt *, int);
int		db_execute(struct db_stmt *);
int		db_execute_commit(struct db_stmt *);
int		db_fetch(struct db_stmt *);
void		db_reset(struct db_stmt *);
int		db_col_null(struct db_stmt *, int);
const char	*db_col_str(struct db_stmt *, int, size_t *);
int64_t		db_col_i64(struct db_stmt *, int);
void		db_col_copy(struct db_stmt *, int, char *, size_t);
char		*db_col_dup(struct db_stmt *, int);
uint64_t	db_affected(struct db_stmt *);
uint64_t	db_insert_id(struct db_stmt *);

#endif
