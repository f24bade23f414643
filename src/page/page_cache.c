/*
 * Rendered register pages, kept per worker for the register version they
 * were rendered from: building a page as a libxml2 tree and serialising
 * it costs far more than answering it, and a record's page changes only
 * when the register does.  A fixed table of slots, each holding one page
 * by its key (a filing number, or a search's query); a new version, or
 * another key falling in the slot, replaces it.  Bounded: slots x the
 * largest page kept.
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
#define PAGE_CACHE_KEY		320
#define PAGE_CACHE_PAGE_MAX	(256 * 1024)

struct page_cached {
	uint64_t	version;
	char		key[PAGE_CACHE_KEY];
	unsigned char	*html;
	size_t		len;
	unsigned char	*gz;		/* NULL when it would not shrink */
	size_t		gz_len;
};

static struct page_cached	page_cache[PAGE_CACHE_SLOTS];
static pthread_mutex_t		page_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a: keys are short, and a slot's collision only costs a render. */
static size_t
page_cache_slot(const char *key)
{
	uint64_t	h;

	h = 14695981039346656037ULL;
	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return ((size_t)(h % PAGE_CACHE_SLOTS));
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
	c = &page_cache[page_cache_slot(key)];
	pthread_mutex_lock(&page_cache_lock);
	if (c->html != NULL && c->version == version &&
	    strcmp(c->key, key) == 0) {
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
	c = &page_cache[page_cache_slot(key)];
	pthread_mutex_lock(&page_cache_lock);
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
