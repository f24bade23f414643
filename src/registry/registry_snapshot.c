/*
 * The public register in a worker's memory: one immutable snapshot,
 * reference counted, built on a pool thread and swapped in under a lock,
 * so the event loop answers a record, a search, a page, the badge, the
 * feed and the exports without the database.  The version in
 * registry_meta, bumped by every publish, says when to rebuild: a Kore
 * timer (app.c) queues a look (registry_snapshot_sync) on the pool every
 * registry_refresh seconds, so every
 * worker of every host converges within that; with registry_refresh 0
 * (the tests) every answer goes through the pool and looks first.  A
 * rebuild reads only the records published since the snapshot's version
 * (each carries the version its publish set) and takes the rest from the
 * snapshot it replaces; a new epoch in registry_meta (a change by other
 * means) makes it read the whole register.
 *
 * A snapshot holds each record's JSON as the store keeps it (the bytes
 * the answer carries), its fields for the search, an index of the
 * numbers, one of each status, the search's trigram index, the count the
 * XML export announces and the Atom feed, whole.
 */

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "db/db.h"
#include "domain/validate.h"
#include "log.h"
#include "registry/registry.h"
#include "registry/registry_export.h"
#include "registry/registry_index.h"

#define RSNAP_BLOCK	(1024 * 1024)

struct rsnap_block {
	struct rsnap_block	*next;
	size_t			used;
	size_t			cap;
	char			data[];
};

#define RSNAP_Q_MAX		512
#define RSNAP_CACHE		256
#define RSNAP_CACHE_BYTES	(16 * 1024 * 1024)

/* A search's answer: every matching record, in order. */
struct rsnap_result {
	enum registry_status	status;
	size_t			qlen;
	char			q[RSNAP_Q_MAX];
	size_t			bytes;
	int			refs;
	size_t			n;
	uint32_t		idx[];
};

struct registry_snapshot {
	uint64_t		version;
	uint64_t		epoch;
	int			refs;
	struct registry_entry	*ent;
	size_t			n;
	size_t			cap;
	char			**text;		/* folded search text */
	size_t			*text_len;
	unsigned char		*xml_ok;
	size_t			xml_count;
	uint32_t		*by_number;
	uint32_t		*by_status[3];
	size_t			nstatus[3];
	struct registry_index	*index;
	unsigned char		*feed;
	size_t			feed_len;
	struct rsnap_block	*blocks;
	size_t			bytes;
	pthread_mutex_t		cache_lock;
	struct rsnap_result	*cache[RSNAP_CACHE];
	size_t			cache_next;
	size_t			cache_bytes;
};

static pthread_mutex_t		rsnap_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t		rsnap_build_lock = PTHREAD_MUTEX_INITIALIZER;
static struct registry_snapshot	*rsnap_cur;

static const char	*rsnap_status_names[3] = {
	"filed", "deregistered", "revoked"
};

/* Under cache_lock: drops a reference to a search's answer. */
static void
rsnap_result_put(struct rsnap_result *r)
{
	if (r != NULL && --r->refs == 0)
		free(r);
}

static void
rsnap_free(struct registry_snapshot *s)
{
	struct rsnap_block	*b, *next;
	size_t			i;

	if (s == NULL)
		return;
	for (i = 0; i < RSNAP_CACHE; i++)
		free(s->cache[i]);
	pthread_mutex_destroy(&s->cache_lock);
	for (b = s->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(s->ent);
	free(s->text);
	free(s->text_len);
	free(s->xml_ok);
	free(s->by_number);
	free(s->by_status[0]);
	free(s->by_status[1]);
	free(s->by_status[2]);
	registry_index_free(s->index);
	free(s->feed);
	free(s);
}

/* len bytes and a NUL in the snapshot's blocks, a copy of p if given. */
static char *
rsnap_copy(struct registry_snapshot *s, const char *p, size_t len)
{
	struct rsnap_block	*b;
	size_t			cap;
	char			*out;

	b = s->blocks;
	if (b == NULL || b->cap - b->used < len + 1) {
		cap = len + 1 > RSNAP_BLOCK ? len + 1 : RSNAP_BLOCK;
		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return (NULL);
		b->next = s->blocks;
		b->used = 0;
		b->cap = cap;
		s->blocks = b;
		s->bytes += sizeof(*b) + cap;
	}
	out = b->data + b->used;
	if (p != NULL)
		memcpy(out, p, len);
	out[len] = '\0';
	b->used += len + 1;
	return (out);
}

/*
 * Whether the record's JSON, as stored, can be said in XML: its text
 * holds only characters XML 1.0 carries, and no escape stands for one it
 * cannot (jansson writes those as \b, \f or \u00XX).  The same verdict as
 * xml_check_json on the parsed record, without parsing it.
 */
static int
rsnap_xml_ok(const char *j, size_t len)
{
	size_t		i;
	unsigned long	cp;
	char		hex[5];

	if (!validate_xml_chars(j, len))
		return (0);
	for (i = 0; i + 1 < len; i++) {
		if (j[i] != '\\')
			continue;
		i++;
		if (j[i] == 'b' || j[i] == 'f')
			return (0);
		if (j[i] != 'u' || i + 4 >= len)
			continue;
		memcpy(hex, j + i + 1, 4);
		hex[4] = '\0';
		cp = strtoul(hex, NULL, 16);
		i += 4;
		/* A pair of surrogates is one character beyond U+FFFF. */
		if (cp >= 0xd800 && cp <= 0xdbff && i + 6 < len &&
		    j[i + 1] == '\\' && j[i + 2] == 'u') {
			memcpy(hex, j + i + 3, 4);
			if (strtoul(hex, NULL, 16) >= 0xdc00 &&
			    strtoul(hex, NULL, 16) <= 0xdfff) {
				i += 6;
				continue;
			}
		}
		if ((cp < 0x20 && cp != 0x09 && cp != 0x0a && cp != 0x0d) ||
		    cp == 0xfffe || cp == 0xffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
	}
	return (1);
}

static int
rsnap_status(const char *s)
{
	int	i;

	for (i = 0; i < 3; i++) {
		if (strcmp(s, rsnap_status_names[i]) == 0)
			return (i);
	}
	return (-1);
}

/* name, sponsor and host, ASCII in lower case, apart by 0x1f. */
static char *
rsnap_text(struct registry_snapshot *s, const struct registry_row *r,
    size_t *len)
{
	char	*t, *p;
	size_t	n, i;

	n = r->name_len + r->sponsor_len + r->host_len + 2;
	if ((t = rsnap_copy(s, NULL, n)) == NULL)
		return (NULL);
	memcpy(t, r->name, r->name_len);
	p = t + r->name_len;
	*p++ = 0x1f;
	memcpy(p, r->sponsor, r->sponsor_len);
	p += r->sponsor_len;
	*p++ = 0x1f;
	memcpy(p, r->host, r->host_len);
	for (i = 0; i < n; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] += 'a' - 'A';
	}
	*len = n;
	return (t);
}

/* A record with what is known of it already: whether XML carries it. */
static int
rsnap_put(struct registry_snapshot *s, const struct registry_row *r,
    int xml_ok)
{
	struct registry_entry		*e;
	void				*np;
	size_t				ncap;
	int				st;

	if (r->number == NULL || r->name == NULL || r->host == NULL ||
	    r->sponsor == NULL || r->record == NULL || r->status == NULL ||
	    r->filed_on == NULL || (st = rsnap_status(r->status)) < 0)
		return (1);
	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 1024 : s->cap * 2;
		if ((np = realloc(s->ent, ncap * sizeof(*s->ent))) == NULL)
			return (0);
		s->ent = np;
		if ((np = realloc(s->text, ncap * sizeof(*s->text))) == NULL)
			return (0);
		s->text = np;
		if ((np = realloc(s->text_len, ncap *
		    sizeof(*s->text_len))) == NULL)
			return (0);
		s->text_len = np;
		if ((np = realloc(s->xml_ok, ncap)) == NULL)
			return (0);
		s->xml_ok = np;
		s->cap = ncap;
	}
	e = &s->ent[s->n];
	e->filing_id = r->id;
	e->status = rsnap_status_names[st];
	if ((e->number = rsnap_copy(s, r->number, r->number_len)) == NULL ||
	    (e->name = rsnap_copy(s, r->name, r->name_len)) == NULL ||
	    (e->sponsor = rsnap_copy(s, r->sponsor, r->sponsor_len)) == NULL ||
	    (e->host = rsnap_copy(s, r->host, r->host_len)) == NULL ||
	    (e->filed_on = rsnap_copy(s, r->filed_on,
	    strlen(r->filed_on))) == NULL ||
	    (e->json = rsnap_copy(s, r->record, r->record_len)) == NULL ||
	    (s->text[s->n] = rsnap_text(s, r, &s->text_len[s->n])) == NULL)
		return (0);
	e->json_len = r->record_len;
	s->xml_ok[s->n] = (unsigned char)xml_ok;
	s->xml_count += s->xml_ok[s->n];
	s->nstatus[st]++;
	s->n++;
	return (1);
}

static int
rsnap_add(void *arg, const struct registry_row *r)
{
	return (rsnap_put(arg, r, rsnap_xml_ok(r->record, r->record_len)));
}

static int
rsnap_cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return ((x > y) - (x < y));
}

/*
 * Into s, which holds the records published since old was built: every
 * record of old that none of those replaces, as old has it.
 */
static int
rsnap_keep(struct registry_snapshot *s, const struct registry_snapshot *old)
{
	const struct registry_entry	*e;
	struct registry_row		r;
	int64_t				*ids;
	size_t				i, n;
	int				ok;

	n = s->n;
	if ((ids = calloc(n + 1, sizeof(*ids))) == NULL)
		return (0);
	for (i = 0; i < n; i++)
		ids[i] = s->ent[i].filing_id;
	qsort(ids, n, sizeof(*ids), rsnap_cmp_id);
	ok = 1;
	for (i = 0; ok && i < old->n; i++) {
		e = &old->ent[i];
		if (n > 0 && bsearch(&e->filing_id, ids, n, sizeof(*ids),
		    rsnap_cmp_id) != NULL)
			continue;
		memset(&r, 0, sizeof(r));
		r.id = e->filing_id;
		r.number = e->number;
		r.number_len = strlen(e->number);
		r.name = e->name;
		r.name_len = strlen(e->name);
		r.host = e->host;
		r.host_len = strlen(e->host);
		r.sponsor = e->sponsor;
		r.sponsor_len = strlen(e->sponsor);
		r.record = e->json;
		r.record_len = e->json_len;
		r.status = e->status;
		r.filed_on = e->filed_on;
		ok = rsnap_put(s, &r, old->xml_ok[i]);
	}
	free(ids);
	return (ok);
}

static int
rsnap_cmp_number(const void *a, const void *b, void *arg)
{
	const struct registry_snapshot	*s = arg;

	return (strcasecmp(s->ent[*(const uint32_t *)a].number,
	    s->ent[*(const uint32_t *)b].number));
}

/* The search's order: newest filing first, then the newest id. */
static int
rsnap_cmp_order(const void *a, const void *b, void *arg)
{
	const struct registry_snapshot	*s = arg;
	const struct registry_entry	*x, *y;
	int				c;

	x = &s->ent[*(const uint32_t *)a];
	y = &s->ent[*(const uint32_t *)b];
	if ((c = strcmp(y->filed_on, x->filed_on)) != 0)
		return (c);
	return ((y->filing_id > x->filing_id) - (y->filing_id < x->filing_id));
}

/*
 * Puts the records in the search's order.  Sorted here rather than by
 * the query: MariaDB would sort every row with its record text.
 */
static int
rsnap_order(struct registry_snapshot *s)
{
	struct registry_entry	*ent;
	uint32_t		*perm;
	char			**text;
	size_t			*tlen, i;
	unsigned char		*xml;
	int			ok;

	perm = calloc(s->n + 1, sizeof(*perm));
	ent = calloc(s->n + 1, sizeof(*ent));
	text = calloc(s->n + 1, sizeof(*text));
	tlen = calloc(s->n + 1, sizeof(*tlen));
	xml = calloc(s->n + 1, 1);
	ok = perm != NULL && ent != NULL && text != NULL && tlen != NULL &&
	    xml != NULL;
	if (ok) {
		for (i = 0; i < s->n; i++)
			perm[i] = (uint32_t)i;
		qsort_r(perm, s->n, sizeof(*perm), rsnap_cmp_order, s);
		for (i = 0; i < s->n; i++) {
			ent[i] = s->ent[perm[i]];
			text[i] = s->text[perm[i]];
			tlen[i] = s->text_len[perm[i]];
			xml[i] = s->xml_ok[perm[i]];
		}
		free(s->ent);
		free(s->text);
		free(s->text_len);
		free(s->xml_ok);
		s->ent = ent;
		s->text = text;
		s->text_len = tlen;
		s->xml_ok = xml;
		ent = NULL;
		text = NULL;
		tlen = NULL;
		xml = NULL;
	}
	free(perm);
	free(ent);
	free(text);
	free(tlen);
	free(xml);
	return (ok);
}

static int
rsnap_indexes(struct registry_snapshot *s)
{
	size_t		i, k[3];
	int		st;

	if (!rsnap_order(s) ||
	    (s->by_number = calloc(s->n + 1, sizeof(uint32_t))) == NULL)
		return (0);
	for (st = 0; st < 3; st++) {
		if ((s->by_status[st] = calloc(s->nstatus[st] + 1,
		    sizeof(uint32_t))) == NULL)
			return (0);
		k[st] = 0;
	}
	for (i = 0; i < s->n; i++) {
		s->by_number[i] = (uint32_t)i;
		st = rsnap_status(s->ent[i].status);
		s->by_status[st][k[st]++] = (uint32_t)i;
	}
	qsort_r(s->by_number, s->n, sizeof(uint32_t), rsnap_cmp_number, s);
	if ((s->index = registry_index_build((const char *const *)s->text,
	    s->text_len, (uint32_t)s->n)) == NULL)
		return (0);
	s->bytes += s->n * (sizeof(*s->ent) + sizeof(*s->text) +
	    sizeof(*s->text_len) + 1 + 2 * sizeof(uint32_t)) +
	    registry_index_size(s->index);
	return (1);
}

static int
rsnap_feed(struct registry_snapshot *s, struct db *db)
{
	json_t		*events;
	const char	*updated;
	char		now[32];
	time_t		t;
	struct tm	tm;

	events = json_array();
	if (!registry_store_events(db, events)) {
		json_decref(events);
		return (0);
	}
	t = time(NULL);
	(void)strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ",
	    gmtime_r(&t, &tm));
	updated = json_array_size(events) > 0 ? json_string_value(
	    json_object_get(json_array_get(events, 0), "at")) : now;
	s->feed = registry_atom(events, vcp_conf.public_base_url, updated,
	    &s->feed_len);
	json_decref(events);
	if (s->feed != NULL)
		s->bytes += s->feed_len;
	return (s->feed != NULL);
}

/* An empty snapshot, held once. */
static struct registry_snapshot *
rsnap_new(uint64_t version, uint64_t epoch)
{
	struct registry_snapshot	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	pthread_mutex_init(&s->cache_lock, NULL);
	s->version = version;
	s->epoch = epoch;
	s->refs = 1;
	return (s);
}

/*
 * The register at version (and epoch): from old when it is of the same
 * epoch and older, reading only what was published since, else whole.
 */
static struct registry_snapshot *
rsnap_build(struct db *db, uint64_t version, uint64_t epoch,
    const struct registry_snapshot *old)
{
	struct registry_snapshot	*s;
	uint64_t			since;

	if ((s = rsnap_new(version, epoch)) == NULL)
		return (NULL);
	since = old != NULL && old->epoch == epoch &&
	    old->version < version ? old->version : 0;
	if (!registry_store_scan(db, since, rsnap_add, s) ||
	    (since > 0 && !rsnap_keep(s, old)) || !rsnap_indexes(s) ||
	    !rsnap_feed(s, db)) {
		rsnap_free(s);
		return (NULL);
	}
	return (s);
}

/*
 * A snapshot of the given rows with no feed, for the unit tests: the
 * same building, without a database.  With old, the rows are those
 * published since old was built, and the rest comes from old.
 */
struct registry_snapshot *
registry_snapshot_make(const struct registry_snapshot *old,
    const struct registry_row *rows, size_t n)
{
	struct registry_snapshot	*s;
	size_t				i;

	if ((s = rsnap_new(0, 0)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (!rsnap_add(s, &rows[i])) {
			rsnap_free(s);
			return (NULL);
		}
	}
	if ((old != NULL && !rsnap_keep(s, old)) || !rsnap_indexes(s)) {
		rsnap_free(s);
		return (NULL);
	}
	return (s);
}

struct registry_snapshot *
registry_snapshot_acquire(void)
{
	struct registry_snapshot	*s;

	pthread_mutex_lock(&rsnap_lock);
	if ((s = rsnap_cur) != NULL)
		s->refs++;
	pthread_mutex_unlock(&rsnap_lock);
	return (s);
}

void
registry_snapshot_release(struct registry_snapshot *s)
{
	int	last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&rsnap_lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&rsnap_lock);
	if (last)
		rsnap_free(s);
}

static void
rsnap_install(struct registry_snapshot *s)
{
	struct registry_snapshot	*old;

	pthread_mutex_lock(&rsnap_lock);
	old = rsnap_cur;
	rsnap_cur = s;
	pthread_mutex_unlock(&rsnap_lock);
	registry_snapshot_release(old);
}

/*
 * On a pool thread: makes the worker's snapshot the register's current
 * version, building it if need be.  One build at a time: a thread that
 * waited for another's finds it done.
 */
int
registry_snapshot_sync(struct db *db)
{
	struct registry_snapshot	*s, *cur;
	struct timespec			t0, t1;
	uint64_t			version, epoch;
	int				ok;

	if (!registry_store_version(db, &version, &epoch))
		return (0);
	if ((cur = registry_snapshot_acquire()) != NULL &&
	    cur->version == version && cur->epoch == epoch) {
		registry_snapshot_release(cur);
		return (1);
	}
	registry_snapshot_release(cur);
	pthread_mutex_lock(&rsnap_build_lock);
	ok = 1;
	cur = registry_snapshot_acquire();
	if (cur == NULL || cur->version < version || cur->epoch != epoch) {
		(void)clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((s = rsnap_build(db, version, epoch, cur)) != NULL) {
			(void)clock_gettime(CLOCK_MONOTONIC, &t1);
			vcp_log(LOG_INFO, "registry: snapshot %llu, %zu "
			    "records, %zu bytes, %s in %ld ms",
			    (unsigned long long)version, s->n,
			    registry_snapshot_bytes(s), cur != NULL &&
			    cur->epoch == epoch ? "new records read" :
			    "read whole", (long)((t1.tv_sec - t0.tv_sec) *
			    1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
			rsnap_install(s);
		} else {
			ok = 0;
		}
	}
	registry_snapshot_release(cur);
	/*
	 * The build's garbage (the result set, the old snapshot when no
	 * reader holds it) went back to malloc in pieces of every size:
	 * hand the free pages back, or every build leaves the worker larger.
	 */
	(void)malloc_trim(0);
	pthread_mutex_unlock(&rsnap_build_lock);
	if (!ok)
		vcp_log(LOG_ERR, "registry: snapshot not built");
	return (ok);
}

/* Whether the event loop may answer from the snapshot it has. */
int
registry_snapshot_loop(void)
{
	return (vcp_conf.registry_refresh > 0);
}

/* At the worker's end, after the pool stopped. */
void
registry_snapshot_drop(void)
{
	rsnap_install(NULL);
}

const struct registry_entry *
registry_snapshot_find(const struct registry_snapshot *s, const char *number)
{
	size_t	lo, hi, mid;
	int	c;

	lo = 0;
	hi = s->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcasecmp(number, s->ent[s->by_number[mid]].number);
		if (c == 0)
			return (&s->ent[s->by_number[mid]]);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

uint64_t
registry_snapshot_version(const struct registry_snapshot *s)
{
	return (s->version);
}

size_t
registry_snapshot_count(const struct registry_snapshot *s)
{
	return (s->n);
}

/* i-th record, newest filing first. */
const struct registry_entry *
registry_snapshot_entry(const struct registry_snapshot *s, size_t i)
{
	return (&s->ent[i]);
}

size_t
registry_snapshot_xml_count(const struct registry_snapshot *s)
{
	return (s->xml_count);
}

int
registry_snapshot_xml_usable(const struct registry_snapshot *s, size_t i)
{
	return (s->xml_ok[i]);
}

const unsigned char *
registry_snapshot_feed(const struct registry_snapshot *s, size_t *len)
{
	*len = s->feed_len;
	return (s->feed);
}

size_t
registry_snapshot_bytes(const struct registry_snapshot *s)
{
	return (s->bytes + sizeof(*s));
}

static int
rsnap_match(const struct registry_snapshot *s, size_t i, const char *q,
    size_t qlen, enum registry_status st)
{
	if (st != REGISTRY_ANY && s->ent[i].status != rsnap_status_names[st])
		return (0);
	return (memmem(s->text[i], s->text_len[i], q, qlen) != NULL);
}

/*
 * Every record that answers q (folded) with status st, in order: the
 * candidates of q's rarest trigram, each looked at, and the record whose
 * number is q.  NULL when out of memory.
 */
static struct rsnap_result *
rsnap_run(const struct registry_snapshot *s, const char *q, const char *fold,
    size_t qlen, enum registry_status st)
{
	const struct registry_entry	*num;
	struct rsnap_result		*r;
	const uint32_t			*cand;
	size_t				i, n, at, numi;

	numi = s->n;
	if ((num = registry_snapshot_find(s, q)) != NULL &&
	    (st == REGISTRY_ANY || num->status == rsnap_status_names[st]))
		numi = (size_t)(num - s->ent);
	if (!registry_index_candidates(s->index, fold, qlen, &cand, &n)) {
		cand = NULL;
		n = s->n;
	}
	if ((r = calloc(1, sizeof(*r) + (n + 1) * sizeof(uint32_t))) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		at = cand != NULL ? cand[i] : i;
		if (numi < at) {
			r->idx[r->n++] = (uint32_t)numi;
			numi = s->n;
		}
		if (at == numi)
			numi = s->n;
		else if (!rsnap_match(s, at, fold, qlen, st))
			continue;
		r->idx[r->n++] = (uint32_t)at;
	}
	if (numi < s->n)
		r->idx[r->n++] = (uint32_t)numi;
	return (r);
}

/*
 * The answers of recent searches, kept with the snapshot they were
 * computed on (which never changes), so a query asked again, or its
 * next page, costs a lookup: a common word matches a share of the whole
 * register, and counting it is the one cost that grows with it.
 * Bounded in entries and bytes; the oldest entry goes first.
 */
static struct rsnap_result *
rsnap_cached(struct registry_snapshot *s, const char *q, const char *fold,
    size_t qlen, enum registry_status st)
{
	struct rsnap_result	*r;
	size_t			i, k;

	pthread_mutex_lock(&s->cache_lock);
	for (i = 0; i < RSNAP_CACHE; i++) {
		r = s->cache[i];
		if (r != NULL && r->status == st && r->qlen == qlen &&
		    memcmp(r->q, fold, qlen) == 0) {
			r->refs++;
			pthread_mutex_unlock(&s->cache_lock);
			return (r);
		}
	}
	pthread_mutex_unlock(&s->cache_lock);

	if ((r = rsnap_run(s, q, fold, qlen, st)) == NULL)
		return (NULL);
	r->status = st;
	r->qlen = qlen;
	memcpy(r->q, fold, qlen);
	r->bytes = sizeof(*r) + r->n * sizeof(uint32_t);
	r->refs = 2;		/* the cache's and the caller's */
	if (r->bytes > RSNAP_CACHE_BYTES) {
		r->refs = 1;
		return (r);
	}
	pthread_mutex_lock(&s->cache_lock);
	/* The oldest go, from cache_next on, until the new one fits. */
	i = s->cache_next;
	for (k = 0; k < RSNAP_CACHE; k++) {
		if (k > 0 && s->cache_bytes + r->bytes <= RSNAP_CACHE_BYTES)
			break;
		if (s->cache[(i + k) % RSNAP_CACHE] == NULL)
			continue;
		s->cache_bytes -= s->cache[(i + k) % RSNAP_CACHE]->bytes;
		rsnap_result_put(s->cache[(i + k) % RSNAP_CACHE]);
		s->cache[(i + k) % RSNAP_CACHE] = NULL;
	}
	s->cache[i] = r;
	s->cache_bytes += r->bytes;
	s->cache_next = (i + 1) % RSNAP_CACHE;
	pthread_mutex_unlock(&s->cache_lock);
	return (r);
}

/*
 * The records whose name, sponsor or host holds q (ASCII letters in any
 * case), or whose number is q, with status st, newest filing first:
 * returns how many, and puts those from off, at most lim, in out.  With
 * no q, a slice of the register or of one status.
 */
size_t
registry_snapshot_search(const struct registry_snapshot *cs, const char *q,
    enum registry_status st, size_t off, size_t lim,
    const struct registry_entry **out)
{
	struct registry_snapshot	*s;
	struct rsnap_result		*r;
	char				fold[RSNAP_Q_MAX];
	size_t				i, n, qlen;

	/* Only the cache changes, under its lock. */
	s = (struct registry_snapshot *)(uintptr_t)cs;
	if (q == NULL) {
		n = st == REGISTRY_ANY ? s->n : s->nstatus[st];
		for (i = off; i < n && i - off < lim; i++)
			out[i - off] = st == REGISTRY_ANY ? &s->ent[i] :
			    &s->ent[s->by_status[st][i]];
		return (n);
	}
	qlen = strlen(q);
	if (qlen >= sizeof(fold))
		return (0);
	for (i = 0; i <= qlen; i++)
		fold[i] = q[i] >= 'A' && q[i] <= 'Z' ? q[i] + 'a' - 'A' : q[i];
	if ((r = rsnap_cached(s, q, fold, qlen, st)) == NULL)
		return (0);
	n = r->n;
	for (i = off; i < n && i - off < lim; i++)
		out[i - off] = &s->ent[r->idx[i]];
	pthread_mutex_lock(&s->cache_lock);
	rsnap_result_put(r);
	pthread_mutex_unlock(&s->cache_lock);
	return (n);
}
