#ifndef VCP_REGISTRY_EXPORT_H
#define VCP_REGISTRY_EXPORT_H

#include <stddef.h>

#include <jansson.h>

/* The register in the formats people and programs take it in. */
unsigned char	*registry_csv(const json_t *, size_t *);
unsigned char	*registry_xml(const json_t *, const char *, size_t *);
unsigned char	*registry_atom(const json_t *, const char *, const char *,
		    size_t *);
unsigned char	*registry_badge(const json_t *, const char *, size_t *);

#endif
