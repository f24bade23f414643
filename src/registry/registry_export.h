#ifndef VCP_REGISTRY_EXPORT_H
#define VCP_REGISTRY_EXPORT_H

#include <stddef.h>

#include <jansson.h>

/* The register in the formats people and programs take it in. */
struct registry_buf {
	unsigned char	*p;
	size_t		len;
	size_t		cap;
	int		oom;
};

void		registry_buf_add(struct registry_buf *, const char *, size_t);

/*
 * One public record's fields, as the exports write them: "" for what is
 * missing, ended_on NULL when the filing has not ended.  Read from the
 * stored JSON without building a tree (registry_rec_scan, the exports'
 * hot path) or from a json_t.
 */
#define REGISTRY_REC_LIST	64

struct registry_rec {
	const char	*number, *status, *filed_on, *ended_on;
	const char	*name, *homepage, *icp, *sponsor, *sponsor_type;
	const char	*urls[REGISTRY_REC_LIST];
	size_t		nurls;
	const char	*app[REGISTRY_REC_LIST], *account[REGISTRY_REC_LIST];
	size_t		naccounts;
	const char	*changed[REGISTRY_REC_LIST];
	const char	*approved[REGISTRY_REC_LIST];
	size_t		nchanges;
};

int		registry_rec_scan(const char *, size_t, char *,
		    struct registry_rec *);
int		registry_rec_json(const json_t *, struct registry_rec *);

/* Piece by piece, for an export streamed from the snapshot. */
void		registry_csv_head(struct registry_buf *);
void		registry_csv_row(struct registry_buf *,
		    const struct registry_rec *);
void		registry_xml_head(struct registry_buf *, const char *, size_t);
int		registry_xml_usable(const json_t *);
void		registry_xml_filing(struct registry_buf *,
		    const struct registry_rec *);
void		registry_xml_tail(struct registry_buf *, size_t);

/* Whole documents. */
unsigned char	*registry_csv(const json_t *, size_t *);
unsigned char	*registry_xml(const json_t *, const char *, size_t *);
unsigned char	*registry_atom(const json_t *, const char *, const char *,
		    size_t *);
unsigned char	*registry_badge(const char *, const char *, size_t *);

#endif
