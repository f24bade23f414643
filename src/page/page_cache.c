/*
 * Rendered register pages, kept per worker for the register version they
 * were rendered from: building a page as a libxml2 tree and serialising
 * it costs far more than answering it, and a record's page changes only
 * when the register does.  A fixed table of slots, each holding one page
 * by its key (a filing number, or a search's query); a new version, or
 * another key falling in the slot, replaces it.  Bounded: slots x the
 * largest page kept.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "page/page.h"

#define PAGE_CACHE_SLOTS	4096
#define PAGE_CACHE_KEY		320
#define PAGE_CACHE_PAGE_MAX	(256 * 1024)

struct page_cached {
	uint64_t	version;
	char		key[PAGE_CACHE_KEY];
	unsigned char	*html;
	size_t		len;
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

/* A copy of the page kept for key at version, or NULL. */
unsigned char *
page_cache_get(uint64_t version, const char *key, size_t *len)
{
	struct page_cached	*c;
	unsigned char		*copy;

	if (strlen(key) >= PAGE_CACHE_KEY)
		return (NULL);
	copy = NULL;
	c = &page_cache[page_cache_slot(key)];
	pthread_mutex_lock(&page_cache_lock);
	if (c->html != NULL && c->version == version &&
	    strcmp(c->key, key) == 0 && (copy = malloc(c->len)) != NULL) {
		memcpy(copy, c->html, c->len);
		*len = c->len;
	}
	pthread_mutex_unlock(&page_cache_lock);
	return (copy);
}

void
page_cache_put(uint64_t version, const char *key, const unsigned char *html,
    size_t len)
{
	struct page_cached	*c;
	unsigned char		*copy;

	if (strlen(key) >= PAGE_CACHE_KEY || len > PAGE_CACHE_PAGE_MAX ||
	    (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, html, len);
	c = &page_cache[page_cache_slot(key)];
	pthread_mutex_lock(&page_cache_lock);
	free(c->html);
	c->html = copy;
	c->len = len;
	c->version = version;
	(void)snprintf(c->key, sizeof(c->key), "%s", key);
	pthread_mutex_unlock(&page_cache_lock);
}
