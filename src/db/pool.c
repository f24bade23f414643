/*
 * A worker's pool of database threads: jobs queued from the event loop,
 * each run on a free thread with its own connection, and handed back to
 * the event loop through an eventfd.  Stopped at worker teardown.
 */

#include <sys/eventfd.h>

#include <kore/kore.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "config.h"
#include "db/db.h"
#include "db/pool.h"

#define POOL_EVENT_TYPE		100

TAILQ_HEAD(pool_queue, pool_job);

static struct pool_queue	pool_todo = TAILQ_HEAD_INITIALIZER(pool_todo);
static struct pool_queue	pool_done = TAILQ_HEAD_INITIALIZER(pool_done);
static pthread_mutex_t		pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t		pool_cond = PTHREAD_COND_INITIALIZER;
static int			pool_queued;
static int			pool_stopping;
static pthread_t		*pool_tids;
static int			pool_nthreads;
static int			pool_efd = -1;
static struct kore_event	pool_evt;

int				pool_worker_id;

static void	*pool_thread(void *);
static void	pool_wakeup(void *, int);

void
pool_start(void)
{
	pthread_t	tid;
	int		i;

	pool_worker_id = worker != NULL ? worker->id : 0;
	if (mysql_library_init(0, NULL, NULL) != 0)
		fatal("mysql_library_init failed");

	if ((pool_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		fatal("eventfd: %s", errno_s);

	pool_evt.type = POOL_EVENT_TYPE;
	pool_evt.flags = 0;
	pool_evt.handle = pool_wakeup;
	kore_platform_event_level_read(pool_efd, &pool_evt);

	pool_tids = kore_calloc((size_t)vcp_conf.db_threads, sizeof(*pool_tids));
	for (i = 0; i < vcp_conf.db_threads; i++) {
		if (pthread_create(&tid, NULL, pool_thread, NULL) != 0)
			fatal("pthread_create: %s", errno_s);
		pool_tids[pool_nthreads++] = tid;
	}
}

/*
 * At worker teardown: the threads finish the job in hand and end, before
 * Kore unloads the module their code lives in.  Returns 0 when one did
 * not end within the database time-out (the caller then leaves at once).
 */
int
pool_stop(void)
{
	struct timespec	until;
	int		i, ok;

	pthread_mutex_lock(&pool_lock);
	pool_stopping = 1;
	pthread_cond_broadcast(&pool_cond);
	pthread_mutex_unlock(&pool_lock);

	(void)clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += vcp_conf.db_timeout + 1;
	ok = 1;
	for (i = 0; i < pool_nthreads; i++) {
		if (pthread_timedjoin_np(pool_tids[i], NULL, &until) != 0)
			ok = 0;
	}
	return (ok);
}

/* Returns 0 when the queue is full: the caller answers 503. */
int
pool_submit(struct pool_job *job)
{
	pthread_mutex_lock(&pool_lock);
	if (pool_queued >= vcp_conf.db_queue_max) {
		pthread_mutex_unlock(&pool_lock);
		return (0);
	}
	pool_queued++;
	TAILQ_INSERT_TAIL(&pool_todo, job, list);
	pthread_cond_signal(&pool_cond);
	pthread_mutex_unlock(&pool_lock);
	return (1);
}

int
pool_backlog(void)
{
	int	n;

	pthread_mutex_lock(&pool_lock);
	n = pool_queued;
	pthread_mutex_unlock(&pool_lock);
	return (n);
}

static struct db *
pool_connection(struct db *db)
{
	char		err[512];

	if (db != NULL && db_alive(db))
		return (db);
	db_close(db);
	if ((db = db_connect(&vcp_conf, 0, err, sizeof(err))) == NULL)
		kore_log(LOG_ERR, "database: %s", err);
	return (db);
}

static void *
pool_thread(void *arg)
{
	struct pool_job		*job;
	struct db		*db;
	u_int64_t		one;

	(void)arg;
	(void)mysql_thread_init();
	db = NULL;
	one = 1;

	for (;;) {
		pthread_mutex_lock(&pool_lock);
		while (!pool_stopping &&
		    (job = TAILQ_FIRST(&pool_todo)) == NULL)
			pthread_cond_wait(&pool_cond, &pool_lock);
		if (pool_stopping) {
			pthread_mutex_unlock(&pool_lock);
			break;
		}
		TAILQ_REMOVE(&pool_todo, job, list);
		pthread_mutex_unlock(&pool_lock);

		db = pool_connection(db);
		db_clock_drop(db);
		job->run(job, db);
		/*
		 * A transaction a job left open would be the next job's (the
		 * session check opens one, and the dispatcher then works in
		 * it): rolled back here, so none outlives its call.
		 */
		if (db != NULL && db_alive(db) && db_in_txn(db)) {
			kore_log(LOG_ERR, "pool: a job left its transaction open");
			(void)db_rollback(db);
		}
		if (db != NULL && !db_alive(db)) {
			db_close(db);
			db = NULL;
		}

		pthread_mutex_lock(&pool_lock);
		TAILQ_INSERT_TAIL(&pool_done, job, list);
		pool_queued--;
		pthread_mutex_unlock(&pool_lock);

		while (write(pool_efd, &one, sizeof(one)) == -1 &&
		    errno == EINTR)
			;
	}

	db_close(db);
	mysql_thread_end();
	return (NULL);
}

static void
pool_wakeup(void *arg, int error)
{
	struct pool_queue	ready;
	struct pool_job		*job;
	u_int64_t		n;

	(void)arg;
	(void)error;
	while (read(pool_efd, &n, sizeof(n)) == -1 && errno == EINTR)
		;

	TAILQ_INIT(&ready);
	pthread_mutex_lock(&pool_lock);
	TAILQ_CONCAT(&ready, &pool_done, list);
	pthread_mutex_unlock(&pool_lock);

	while ((job = TAILQ_FIRST(&ready)) != NULL) {
		TAILQ_REMOVE(&ready, job, list);
		job->done(job);
	}
}
