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

/* Installs the tables' calendar as `version` unless a newer one is in. */
static int
calcache_reload(struct db *db, uint64_t version, time_t now)
{
	struct calendar	*cal;

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

/* 1 when the snapshot is that version, and marks it checked. */
static int
calcache_current(uint64_t version, time_t now)
{
	int	same;

	pthread_mutex_lock(&calcache_lock);
	same = calcache_loaded && calcache_cur != NULL &&
	    calcache_cur->version == version;
	if (same)
		calcache_checked = now;
	pthread_mutex_unlock(&calcache_lock);
	return (same);
}

static int
calcache_refresh(struct db *db)
{
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
	if (calcache_current(version, now))
		return (1);
	return (calcache_reload(db, version, now));
}

static struct calsnap *
calcache_ref(const struct calendar **cal)
{
	struct calsnap	*s;

	pthread_mutex_lock(&calcache_lock);
	if ((s = calcache_cur) != NULL) {
		s->refs++;
		*cal = s->cal;
	}
	pthread_mutex_unlock(&calcache_lock);
	return (s);
}

/*
 * Returns the current snapshot with a reference held, and its calendar
 * in *cal (NULL when no notice was ever loaded); NULL on a database error.
 */
struct calsnap *
calcache_get(struct db *db, const struct calendar **cal)
{
	*cal = NULL;
	if (!calcache_refresh(db))
		return (NULL);
	return (calcache_ref(cal));
}

/*
 * The same, for a deadline about to be stored empty because a year is
 * missing: the version is read under a shared lock held to the commit,
 * whatever calendar_refresh says.  A load that committed first is seen
 * (the snapshot is rebuilt); a load still to come waits for this
 * transaction, and its catch-up (src/deadline.c) then finds the case.
 * Either way no receipt is left without a deadline its year allows.
 */
struct calsnap *
calcache_get_synced(struct db *db, const struct calendar **cal)
{
	uint64_t	version;
	time_t		now;

	*cal = NULL;
	now = time(NULL);
	if (!calendar_store_version_locked(db, &version))
		return (NULL);
	if (!calcache_current(version, now) &&
	    !calcache_reload(db, version, now))
		return (NULL);
	return (calcache_ref(cal));
}

/*
 * On the event loop, which never queries: the snapshot when it was
 * looked at within calendar_refresh seconds, else NULL (the caller goes
 * to the pool, whose look refreshes it for the next calendar_refresh).
 */
struct calsnap *
calcache_peek(const struct calendar **cal)
{
	time_t	now;
	int	fresh;

	*cal = NULL;
	now = time(NULL);
	pthread_mutex_lock(&calcache_lock);
	fresh = calcache_loaded && vcp_conf.calendar_refresh > 0 &&
	    now - calcache_checked < vcp_conf.calendar_refresh;
	pthread_mutex_unlock(&calcache_lock);
	return (fresh ? calcache_ref(cal) : NULL);
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
