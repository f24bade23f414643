/*
 * The exports streamed from a snapshot: each piece is the next records,
 * oldest filing first, rendered as the whole document used to be (the
 * bytes are the same), so a worker holds one piece at a time rather than
 * the register twice over.  The snapshot stays referenced to the end.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#include "http/api.h"
#include "registry/registry.h"
#include "registry/registry_export.h"
#include "registry/registry_stream.h"

struct registry_stream {
	struct registry_snapshot	*snap;
	size_t				next;	/* records still to go */
	int				xml;
	struct registry_buf		csv;
	xmlBufferPtr			xbuf;
	xmlTextWriterPtr		w;
	size_t				held;	/* bytes of buf already out */
};

static void
rstream_free(void *arg)
{
	struct registry_stream	*rs = arg;

	if (rs->w != NULL)
		xmlFreeTextWriter(rs->w);
	if (rs->xbuf != NULL)
		xmlBufferFree(rs->xbuf);
	free(rs->csv.p);
	registry_snapshot_release(rs->snap);
	free(rs);
}

static const unsigned char *
rstream_pending(struct registry_stream *rs, size_t *len)
{
	if (rs->xml) {
		*len = (size_t)xmlBufferLength(rs->xbuf);
		return (xmlBufferContent(rs->xbuf));
	}
	*len = rs->csv.len;
	return (rs->csv.p);
}

static void
rstream_drop(struct registry_stream *rs)
{
	if (rs->xml)
		xmlBufferEmpty(rs->xbuf);
	else
		rs->csv.len = 0;
	rs->held = 0;
}

/* Renders one record; 0 on a failure (out of memory). */
static int
rstream_record(struct registry_stream *rs, size_t i)
{
	const struct registry_entry	*e;
	json_t				*rec;
	int				ok;

	e = registry_snapshot_entry(rs->snap, i);
	if (rs->xml && !registry_snapshot_xml_usable(rs->snap, i)) {
		if ((rec = json_loadb(e->json, e->json_len, 0, NULL)) != NULL) {
			(void)registry_xml_usable(rec);	/* logs it */
			json_decref(rec);
		}
		return (1);
	}
	if ((rec = json_loadb(e->json, e->json_len, 0, NULL)) == NULL)
		return (1);
	ok = 1;
	if (rs->xml)
		ok = registry_xml_filing(rs->w, rec) &&
		    xmlTextWriterFlush(rs->w) >= 0;
	else
		registry_csv_row(&rs->csv, rec);
	json_decref(rec);
	return (ok && !rs->csv.oom);
}

static size_t
rstream_fill(void *arg, unsigned char *buf, size_t cap, int *done)
{
	struct registry_stream	*rs = arg;
	const unsigned char	*p;
	size_t			len, n;
	int			all;

	for (;;) {
		p = rstream_pending(rs, &len);
		if (len - rs->held >= cap || (rs->next == 0 && len > rs->held))
			break;
		if (rs->next == 0) {
			*done = 1;
			return (0);
		}
		rs->next--;
		if (!rstream_record(rs, rs->next) ||
		    (rs->next == 0 && rs->xml && !registry_xml_end(rs->w)))
			return (0);
	}
	n = len - rs->held < cap ? len - rs->held : cap;
	memcpy(buf, p + rs->held, n);
	rs->held += n;
	all = rs->held == len;
	if (all)
		rstream_drop(rs);
	*done = rs->next == 0 && all;
	return (n);
}

/*
 * Starts an export of snap (the reference is taken over): xml, or CSV.
 * Returns 0 on a failure, snap released.
 */
int
registry_stream_start(struct api_call *call, struct registry_snapshot *snap,
    int xml)
{
	struct registry_stream	*rs;
	struct api_stream	src;
	char			now[32];
	time_t			t;
	struct tm		tm;

	if ((rs = calloc(1, sizeof(*rs))) == NULL) {
		registry_snapshot_release(snap);
		return (0);
	}
	rs->snap = snap;
	rs->xml = xml;
	rs->next = registry_snapshot_count(snap);
	if (xml) {
		t = time(NULL);
		(void)strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ",
		    gmtime_r(&t, &tm));
		if ((rs->xbuf = xmlBufferCreate()) == NULL ||
		    (rs->w = registry_xml_begin(rs->xbuf, now,
		    registry_snapshot_xml_count(snap))) == NULL ||
		    (rs->next == 0 && !registry_xml_end(rs->w)) ||
		    xmlTextWriterFlush(rs->w) < 0) {
			rstream_free(rs);
			return (0);
		}
	} else {
		registry_csv_head(&rs->csv);
		if (rs->csv.oom) {
			rstream_free(rs);
			return (0);
		}
	}
	src.fill = rstream_fill;
	src.free = rstream_free;
	src.arg = rs;
	if (xml)
		api_reply_stream(call, "application/xml; charset=utf-8", NULL,
		    &src);
	else
		api_reply_stream(call, "text/csv; charset=utf-8",
		    "attachment; filename=\"registry.csv\"", &src);
	return (1);
}
