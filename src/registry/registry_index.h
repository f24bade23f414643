#ifndef VCP_REGISTRY_INDEX_H
#define VCP_REGISTRY_INDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * The register's search index: for every three bytes that start at a
 * character of a record's text, the records holding them, in record
 * order.  A query's rarest such trigram gives the only records that can
 * hold it, so a search reads that list rather than the register.
 * Pure: texts in, candidates out; the caller checks each candidate.
 */
struct registry_index;

struct registry_index	*registry_index_build(const char *const *,
			    const size_t *, uint32_t);
void			registry_index_free(struct registry_index *);
size_t			registry_index_size(const struct registry_index *);
int			registry_index_candidates(const struct registry_index *,
			    const char *, size_t, const uint32_t **, size_t *);

#endif
