/*
 * The working-day calendar as every pool thread of a worker sees it: one
 * immutable snapshot, reference counted, replaced when the version in
 * calendar_meta moves (vcpctl calendar load bumps it).  The version is
 * looked at no more often than calendar_refresh seconds, so a deadline
 * costs no query in the common case.
 */

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "calendar/calendar_store.h"
#include "config.h"
#include "domain/calendar.h"

struct calsnap {
	struct calendar		*cal;
	uint64_t		version;
	int			refs;
};

static pthread_mutex_t	calcache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calsnap	*calcache_cur;
static time_t		calcache_checked;
static int		calcache_loaded;

static void
calcache_release(struct calsnap *s)
{
	if (--s->refs == 0) {
		calendar_free(s->cal);
		free(s);
	}
}

static void
calcache_install(struct calendar *cal, uint64_t version)
{
	struct calsnap	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		calendar_free(cal);
		return;
	}
	s->cal = cal;
	s->version = version;
	s->refs = 1;
	if (calcache_cur != NULL)
		calcache_release(calcache_cur);
	calcache_cur = s;
}

static int
calcache_refresh(struct db *db)
{
	struct calendar	*cal;
	uint64_t	version;
	time_t		now;
	int		stale;

	now = time(NULL);
	pthread_mutex_lock(&calcache_lock);
	stale = !calcache_loaded || now - calcache_checked >=
	    vcp_conf.calendar_refresh;
	pthread_mutex_unlock(&calcache_lock);
	if (!stale)
		return (1);

	if (!calendar_store_version(db, &version))
		return (0);
	pthread_mutex_lock(&calcache_lock);
	if (calcache_loaded && calcache_cur != NULL &&
	    calcache_cur->version == version) {
		calcache_checked = now;
		pthread_mutex_unlock(&calcache_lock);
		return (1);
	}
	pthread_mutex_unlock(&calcache_lock);

	if (!calendar_store_load(db, &cal))
		return (0);
	pthread_mutex_lock(&calcache_lock);
	if (calcache_cur == NULL || calcache_cur->version <= version)
		calcache_install(cal, version);
	else
		calendar_free(cal);
	calcache_checked = now;
	calcache_loaded = 1;
	pthread_mutex_unlock(&calcache_lock);
	return (1);
}

/*
 * Returns the current snapshot with a reference held, and its calendar
 * in *cal (NULL when no notice was ever loaded); NULL on a database error.
 */
struct calsnap *
calcache_get(struct db *db, const struct calendar **cal)
{
	struct calsnap	*s;

	*cal = NULL;
	if (!calcache_refresh(db))
		return (NULL);
	pthread_mutex_lock(&calcache_lock);
	if ((s = calcache_cur) != NULL) {
		s->refs++;
		*cal = s->cal;
	}
	pthread_mutex_unlock(&calcache_lock);
	return (s);
}

void
calcache_put(struct calsnap *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&calcache_lock);
	calcache_release(s);
	pthread_mutex_unlock(&calcache_lock);
}
