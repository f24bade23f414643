/*
 * A trigram index over the register's search text (names, sponsors and
 * hosts, ASCII folded to lower case).  Only trigrams that start at a
 * character are kept: a query is whole characters, so each of its own
 * such trigrams starts at a character of any text that holds it, and
 * Chinese text (three bytes a character) costs one entry a character
 * rather than three.
 */

#include <stdlib.h>
#include <string.h>

#include "registry/registry_index.h"

struct registry_index {
	unsigned	bits;
	uint32_t	mask;
	uint32_t	*keys;		/* trigram + 1; 0 is an empty slot */
	uint32_t	*start;		/* a trigram's list in post */
	uint32_t	*count;
	uint32_t	*last;		/* while building: last record + 1 */
	uint32_t	*post;
	size_t		nkeys;
	size_t		npost;
};

static int
rix_boundary(unsigned char c)
{
	return ((c & 0xc0) != 0x80);
}

static uint32_t
rix_key(const unsigned char *p)
{
	return (((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) + 1);
}

static uint32_t
rix_slot(const struct registry_index *ix, uint32_t key)
{
	uint32_t	h;

	h = (key * 0x9e3779b1u) >> (32 - ix->bits);
	while (ix->keys[h] != 0 && ix->keys[h] != key)
		h = (h + 1) & ix->mask;
	return (h);
}

static int
rix_alloc(struct registry_index *ix, unsigned bits)
{
	size_t	n;

	n = (size_t)1 << bits;
	ix->bits = bits;
	ix->mask = (uint32_t)(n - 1);
	ix->keys = calloc(n, sizeof(uint32_t));
	ix->count = calloc(n, sizeof(uint32_t));
	ix->last = calloc(n, sizeof(uint32_t));
	return (ix->keys != NULL && ix->count != NULL && ix->last != NULL);
}

/* Doubles the table once it is half full. */
static int
rix_grow(struct registry_index *ix)
{
	struct registry_index	old;
	uint32_t		i, s;

	old = *ix;
	if (!rix_alloc(ix, old.bits + 1)) {
		free(ix->keys);
		free(ix->count);
		free(ix->last);
		*ix = old;
		return (0);
	}
	for (i = 0; i <= old.mask; i++) {
		if (old.keys[i] == 0)
			continue;
		s = rix_slot(ix, old.keys[i]);
		ix->keys[s] = old.keys[i];
		ix->count[s] = old.count[i];
		ix->last[s] = old.last[i];
	}
	free(old.keys);
	free(old.count);
	free(old.last);
	return (1);
}

/* Pass 1 counts each trigram once a record; pass 2 fills the lists. */
static int
rix_pass(struct registry_index *ix, const char *const *texts,
    const size_t *lens, uint32_t n, int fill)
{
	const unsigned char	*t;
	uint32_t		i, key, s;
	size_t			p;

	for (i = 0; i < n; i++) {
		t = (const unsigned char *)texts[i];
		for (p = 0; p + 3 <= lens[i]; p++) {
			if (!rix_boundary(t[p]))
				continue;
			key = rix_key(t + p);
			s = rix_slot(ix, key);
			if (ix->keys[s] == 0) {
				if (fill)
					continue;	/* cannot happen */
				if (ix->nkeys + 1 > (size_t)ix->mask / 2) {
					if (!rix_grow(ix))
						return (0);
					s = rix_slot(ix, key);
				}
				ix->keys[s] = key;
				ix->nkeys++;
			}
			if (ix->last[s] == i + 1)
				continue;
			ix->last[s] = i + 1;
			if (fill)
				ix->post[ix->start[s] + ix->count[s]] = i;
			else
				ix->npost++;
			ix->count[s]++;
		}
	}
	return (1);
}

struct registry_index *
registry_index_build(const char *const *texts, const size_t *lens,
    uint32_t n)
{
	struct registry_index	*ix;
	uint32_t		i, off;

	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		return (NULL);
	if (!rix_alloc(ix, 12) || !rix_pass(ix, texts, lens, n, 0))
		goto fail;
	if ((ix->start = calloc((size_t)ix->mask + 1,
	    sizeof(uint32_t))) == NULL ||
	    (ix->post = calloc(ix->npost + 1, sizeof(uint32_t))) == NULL)
		goto fail;
	off = 0;
	for (i = 0; i <= ix->mask; i++) {
		ix->start[i] = off;
		off += ix->count[i];
		ix->count[i] = 0;
		ix->last[i] = 0;
	}
	if (!rix_pass(ix, texts, lens, n, 1))
		goto fail;
	free(ix->last);
	ix->last = NULL;
	return (ix);
fail:
	registry_index_free(ix);
	return (NULL);
}

void
registry_index_free(struct registry_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->keys);
	free(ix->start);
	free(ix->count);
	free(ix->last);
	free(ix->post);
	free(ix);
}

size_t
registry_index_size(const struct registry_index *ix)
{
	return (((size_t)ix->mask + 1) * 3 * sizeof(uint32_t) +
	    ix->npost * sizeof(uint32_t));
}

/*
 * q: folded as the texts were.  Returns 1 with the records that may hold
 * q (ascending; none when a trigram of q is in no text), or 0 when q is
 * too short to have a trigram: the caller then looks at every record.
 */
int
registry_index_candidates(const struct registry_index *ix, const char *q,
    size_t len, const uint32_t **list, size_t *n)
{
	const unsigned char	*u;
	uint32_t		s, best;
	size_t			p;
	int			found;

	u = (const unsigned char *)q;
	found = 0;
	best = 0;
	for (p = 0; p + 3 <= len; p++) {
		if (!rix_boundary(u[p]))
			continue;
		s = rix_slot(ix, rix_key(u + p));
		if (ix->keys[s] == 0) {
			*list = NULL;
			*n = 0;
			return (1);
		}
		if (!found || ix->count[s] < ix->count[best])
			best = s;
		found = 1;
	}
	if (!found)
		return (0);
	*list = ix->post + ix->start[best];
	*n = ix->count[best];
	return (1);
}
