#ifndef VCP_REGISTRY_EXPORT_H
#define VCP_REGISTRY_EXPORT_H

#include <stddef.h>

#include <jansson.h>
#include <libxml/xmlwriter.h>

/* The register in the formats people and programs take it in. */
struct registry_buf {
	unsigned char	*p;
	size_t		len;
	size_t		cap;
	int		oom;
};

void		registry_buf_add(struct registry_buf *, const char *, size_t);

/* Piece by piece, for an export streamed from the snapshot. */
void		registry_csv_head(struct registry_buf *);
void		registry_csv_row(struct registry_buf *, const json_t *);
xmlTextWriterPtr registry_xml_begin(xmlBufferPtr, const char *, size_t);
int		registry_xml_usable(const json_t *);
int		registry_xml_filing(xmlTextWriterPtr, const json_t *);
int		registry_xml_end(xmlTextWriterPtr);

/* Whole documents. */
unsigned char	*registry_csv(const json_t *, size_t *);
unsigned char	*registry_xml(const json_t *, const char *, size_t *);
unsigned char	*registry_atom(const json_t *, const char *, const char *,
		    size_t *);
unsigned char	*registry_badge(const char *, const char *, size_t *);

#endif
