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

#include "http/api.h"
#include "registry/registry.h"
#include "registry/registry_export.h"
#include "registry/registry_stream.h"

struct registry_stream {
	struct registry_snapshot	*snap;
	size_t				next;	/* records still to go */
	int				xml;
	size_t				count;	/* XML: <filing> elements */
	struct registry_buf		buf;
	size_t				held;	/* bytes of buf already out */
	char				*scratch;
	size_t				scratch_len;
};

static void
rstream_free(void *arg)
{
	struct registry_stream	*rs = arg;

	free(rs->buf.p);
	free(rs->scratch);
	registry_snapshot_release(rs->snap);
	free(rs);
}

/*
 * The record's fields, read from its JSON in place; parsed with jansson
 * (into *tree, for the caller to free) only if the fast reader gives up.
 */
static int
rstream_fields(struct registry_stream *rs, const struct registry_entry *e,
    struct registry_rec *r, json_t **tree)
{
	char	*np;

	*tree = NULL;
	if (e->json_len + 1 > rs->scratch_len) {
		if ((np = realloc(rs->scratch, e->json_len + 1)) == NULL)
			return (0);
		rs->scratch = np;
		rs->scratch_len = e->json_len + 1;
	}
	if (registry_rec_scan(e->json, e->json_len, rs->scratch, r))
		return (1);
	if ((*tree = json_loadb(e->json, e->json_len, 0, NULL)) == NULL)
		return (0);
	return (registry_rec_json(*tree, r));
}

/* Renders one record; 0 on a failure (out of memory). */
static int
rstream_record(struct registry_stream *rs, size_t i)
{
	const struct registry_entry	*e;
	struct registry_rec		r;
	json_t				*tree;

	e = registry_snapshot_entry(rs->snap, i);
	if (rs->xml && !registry_snapshot_xml_usable(rs->snap, i)) {
		if ((tree = json_loadb(e->json, e->json_len, 0, NULL)) != NULL) {
			(void)registry_xml_usable(tree);	/* logs it */
			json_decref(tree);
		}
		return (1);
	}
	if (!rstream_fields(rs, e, &r, &tree)) {
		json_decref(tree);
		return (1);		/* as before: a record not JSON is left out */
	}
	if (rs->xml)
		registry_xml_filing(&rs->buf, &r);
	else
		registry_csv_row(&rs->buf, &r);
	json_decref(tree);
	return (!rs->buf.oom);
}

static size_t
rstream_fill(void *arg, unsigned char *out, size_t cap, int *done)
{
	struct registry_stream	*rs = arg;
	size_t			n;

	/* What the last piece left goes to the front: the buffer stays small. */
	if (rs->held > 0) {
		memmove(rs->buf.p, rs->buf.p + rs->held, rs->buf.len - rs->held);
		rs->buf.len -= rs->held;
		rs->held = 0;
	}
	while (rs->buf.len - rs->held < cap && rs->next > 0) {
		rs->next--;
		if (!rstream_record(rs, rs->next))
			return (0);
		if (rs->next == 0 && rs->xml)
			registry_xml_tail(&rs->buf, rs->count);
		if (rs->buf.oom)
			return (0);
	}
	n = rs->buf.len - rs->held < cap ? rs->buf.len - rs->held : cap;
	memcpy(out, rs->buf.p + rs->held, n);
	rs->held += n;
	if (rs->held == rs->buf.len)
		rs->held = rs->buf.len = 0;
	*done = rs->next == 0 && rs->buf.len == 0;
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
		rs->count = registry_snapshot_xml_count(snap);
		registry_xml_head(&rs->buf, now, rs->count);
		if (rs->next == 0)
			registry_xml_tail(&rs->buf, rs->count);
	} else {
		registry_csv_head(&rs->buf);
	}
	if (rs->buf.oom) {
		rstream_free(rs);
		return (0);
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
