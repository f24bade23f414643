#ifndef VCP_XML_CHECK_H
#define VCP_XML_CHECK_H

#include <stddef.h>

#include <jansson.h>

/*
 * What the portal writes as XML (the register's exports, the Atom feed,
 * the signed notifications) must be XML: a single character that XML 1.0
 * cannot carry makes every receiver refuse the whole document.
 */
int	xml_check_json(const json_t *);
int	xml_check_doc(const void *, size_t);

#endif
