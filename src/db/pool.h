#ifndef VCP_POOL_H
#define VCP_POOL_H

#include <sys/queue.h>

struct db;

/*
 * Database work leaves the event loop: a job runs on one of a worker's
 * pool threads, each owning one connection, and its completion comes back
 * to the event loop through an eventfd.  A free thread takes the next job,
 * so one slow query holds one thread, never the loop or the other jobs.
 */
struct pool_job {
	TAILQ_ENTRY(pool_job)	list;
	void			(*run)(struct pool_job *, struct db *);
	void			(*done)(struct pool_job *);
	void			*arg;
};

extern int	pool_worker_id;

void	pool_start(void);
int	pool_stop(void);
int	pool_submit(struct pool_job *);
int	pool_backlog(void);

#endif
