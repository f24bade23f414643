/*
 * A worker whose event loop has died must die whole.
 *
 * Kore's seccomp policy kills only the thread that made a forbidden
 * system call.  When that thread is the event loop, the process lives on
 * through its database threads: Kore's parent never sees it exit, never
 * replaces it, and every connection handed to it waits for ever.  The
 * event loop therefore beats once a second on a Kore timer, and a thread
 * of our own ends the process when the beat stops for longer than
 * worker_watchdog seconds, so the parent restarts the worker.  The same
 * catches an event loop stuck in a loop.
 */

#include <kore/kore.h>

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "watchdog.h"

static uint64_t		watchdog_beat;
static int		watchdog_timeout;
static int		watchdog_stopping;
static pthread_t	watchdog_tid;
static int		watchdog_running;

static uint64_t
watchdog_now(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec);
}

static void
watchdog_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	__atomic_store_n(&watchdog_beat, watchdog_now(), __ATOMIC_RELEASE);
}

static void *
watchdog_thread(void *arg)
{
	static const char	msg[] =
	    "vcp: worker event loop stopped beating; exiting so that "
	    "Kore starts a new worker\n";
	struct timespec		second;
	uint64_t		last;

	(void)arg;
	second.tv_sec = 1;
	second.tv_nsec = 0;
	for (;;) {
		(void)nanosleep(&second, NULL);
		if (__atomic_load_n(&watchdog_stopping, __ATOMIC_ACQUIRE))
			return (NULL);
		last = __atomic_load_n(&watchdog_beat, __ATOMIC_ACQUIRE);
		if (watchdog_now() - last > (uint64_t)watchdog_timeout)
			break;
	}
	/* kore_log is not ours to call from this thread: a plain write. */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) == -1)
		_exit(71);
	_exit(70);
	/* NOTREACHED */
	return (NULL);
}

/* On the event loop, from kore_worker_configure. */
void
watchdog_start(int timeout)
{
	if (timeout <= 0)
		return;
	watchdog_timeout = timeout;
	watchdog_tick(NULL, 0);
	if (kore_timer_add(watchdog_tick, 1000, NULL, 0) == NULL)
		fatal("watchdog: no timer");
	if (pthread_create(&watchdog_tid, NULL, watchdog_thread, NULL) != 0)
		fatal("watchdog: pthread_create: %s", errno_s);
	watchdog_running = 1;
}

/* At teardown, before Kore unloads the module this thread runs in. */
void
watchdog_stop(void)
{
	if (!watchdog_running)
		return;
	__atomic_store_n(&watchdog_stopping, 1, __ATOMIC_RELEASE);
	(void)pthread_join(watchdog_tid, NULL);
	watchdog_running = 0;
}
