/*
 * Guards for the XML producers.  The text checks refuse what XML cannot
 * carry at the door, but rows written before they did, or by hand, are
 * still in the database: the producers check what they are given and
 * check again what they made before anybody receives it.
 */

#include <limits.h>

#include <libxml/parser.h>

#include "domain/validate.h"
#include "xml/xml_check.h"

/* Returns 1 when every string in v, however deep, can be written as XML. */
int
xml_check_json(const json_t *v)
{
	const json_t	*m;
	const char	*k;
	size_t		i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return (validate_xml_chars(json_string_value(v),
		    json_string_length(v)));
	case JSON_ARRAY:
		json_array_foreach((json_t *)v, i, m) {
			if (!xml_check_json(m))
				return (0);
		}
		return (1);
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, m) {
			if (!xml_check_json(m))
				return (0);
		}
		return (1);
	default:
		return (1);
	}
}

/*
 * Returns 1 when the document parses as XML.  No network, no entities
 * loaded, no error printed: the caller logs the refusal.
 */
int
xml_check_doc(const void *mem, size_t len)
{
	xmlDocPtr	doc;

	if (len > INT_MAX)
		return (0);
	doc = xmlReadMemory(mem, (int)len, NULL, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return (0);
	xmlFreeDoc(doc);
	return (1);
}
