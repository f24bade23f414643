/*
 * Rendered register pages, kept per worker for the register version they
 * were rendered from: building a page as a libxml2 tree and serialising
 * it costs far more than answering it, and a record's page changes only
 * when the register does.  A fixed table of sets of PAGE_CACHE_WAYS
 * slots, a key's set chosen by its hash: a page goes into its key's slot,
 * else a free one, else one of an older version, else the set's oldest.
 * With one slot a key (direct mapping), 500 record pages asked in turn
 * (make bench) kept some 6 % of them thrashing over a shared slot,
 * rendered again at every visit, which cost the pages some 40 % of their
 * throughput.
 * Bounded: slots x the largest page kept.
 *
 * Each page is kept gzipped too, made once when it is put, for a client
 * that asks for it: a record's page is a third of its size so.  These
 * pages hold no secret (the register's are public and read no cookie),
 * so a compressed answer beside text the client chose leaks nothing
 * (BREACH needs both, nginx.conf).
 */

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "page/page.h"

#define PAGE_CACHE_SLOTS	4096
#define PAGE_CACHE_WAYS		8
#define PAGE_CACHE_KEY		320
#define PAGE_CACHE_PAGE_MAX	(256 * 1024)

struct page_cached {
	uint64_t	version;
	char		key[PAGE_CACHE_KEY];
	unsigned char	*html;
	size_t		len;
	unsigned char	*gz;		/* NULL when it would not shrink */
	size_t		gz_len;
	uint64_t	used;		/* when last put, for eviction */
};

static struct page_cached	page_cache[PAGE_CACHE_SLOTS];
static pthread_mutex_t		page_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t			page_cache_clock;

/* FNV-1a: keys are short.  The first slot of the key's set. */
static size_t
page_cache_set(const char *key)
{
	uint64_t	h;

	h = 14695981039346656037ULL;
	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return ((size_t)(h % (PAGE_CACHE_SLOTS / PAGE_CACHE_WAYS)) *
	    PAGE_CACHE_WAYS);
}

/* Under the lock: the slot holding key, or NULL. */
static struct page_cached *
page_cache_find(const char *key)
{
	struct page_cached	*c;
	size_t			i, set;

	set = page_cache_set(key);
	for (i = 0; i < PAGE_CACHE_WAYS; i++) {
		c = &page_cache[set + i];
		if (c->html != NULL && strcmp(c->key, key) == 0)
			return (c);
	}
	return (NULL);
}

/* Under the lock: where a page for key at version goes. */
static struct page_cached *
page_cache_victim(uint64_t version, const char *key)
{
	struct page_cached	*c, *best;
	size_t			i, set;

	if ((c = page_cache_find(key)) != NULL)
		return (c);
	set = page_cache_set(key);
	best = &page_cache[set];
	for (i = 0; i < PAGE_CACHE_WAYS; i++) {
		c = &page_cache[set + i];
		if (c->html == NULL)
			return (c);
		if ((c->version < version) != (best->version < version) ?
		    c->version < version : c->used < best->used)
			best = c;
	}
	return (best);
}

/*
 * A copy of the page kept for key at version, or NULL; gzipped when gzip
 * is set and there is such a copy (*gzipped says which).
 */
unsigned char *
page_cache_get(uint64_t version, const char *key, int gzip, size_t *len,
    int *gzipped)
{
	struct page_cached	*c;
	unsigned char		*copy, *src;
	size_t			n;

	*gzipped = 0;
	if (strlen(key) >= PAGE_CACHE_KEY)
		return (NULL);
	copy = NULL;
	pthread_mutex_lock(&page_cache_lock);
	if ((c = page_cache_find(key)) != NULL && c->version == version) {
		*gzipped = gzip && c->gz != NULL;
		src = *gzipped ? c->gz : c->html;
		n = *gzipped ? c->gz_len : c->len;
		if ((copy = malloc(n)) != NULL) {
			memcpy(copy, src, n);
			*len = n;
		}
	}
	pthread_mutex_unlock(&page_cache_lock);
	return (copy);
}

/* The gzip member of p, or NULL when it is no smaller. */
static unsigned char *
page_cache_gzip(const unsigned char *p, size_t len, size_t *out_len)
{
	z_stream	z;
	unsigned char	*out;
	uLong		cap;
	int		r;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header and trailer round the deflate stream. */
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return (NULL);
	cap = deflateBound(&z, (uLong)len);
	if ((out = malloc(cap)) == NULL) {
		(void)deflateEnd(&z);
		return (NULL);
	}
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	r = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	(void)deflateEnd(&z);
	if (r != Z_STREAM_END || *out_len >= len) {
		free(out);
		return (NULL);
	}
	return (out);
}

void
page_cache_put(uint64_t version, const char *key, const unsigned char *html,
    size_t len)
{
	struct page_cached	*c;
	unsigned char		*copy, *gz;
	size_t			gz_len;

	if (strlen(key) >= PAGE_CACHE_KEY || len > PAGE_CACHE_PAGE_MAX ||
	    (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, html, len);
	gz_len = 0;
	gz = page_cache_gzip(html, len, &gz_len);
	pthread_mutex_lock(&page_cache_lock);
	c = page_cache_victim(version, key);
	/* A reader of an older snapshot keeps no older page over a newer. */
	if (c->html != NULL && c->version > version &&
	    strcmp(c->key, key) == 0) {
		pthread_mutex_unlock(&page_cache_lock);
		free(copy);
		free(gz);
		return;
	}
	c->used = ++page_cache_clock;
	free(c->html);
	free(c->gz);
	c->html = copy;
	c->len = len;
	c->gz = gz;
	c->gz_len = gz_len;
	c->version = version;
	(void)snprintf(c->key, sizeof(c->key), "%s", key);
	pthread_mutex_unlock(&page_cache_lock);
}
