/*
 * The register in memory: the trigram index finds what a scan would
 * (Chinese substrings, hosts, any case), the search pages, filters by
 * status and finds numbers as the SQL did, and the exports streamed from
 * a snapshot are the bytes the whole documents were
 * (tests/fixtures/registry, made by the code before the streaming); a
 * snapshot built from the one before and the records published since
 * answers as one built from the whole register.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "http/api.h"
#include "registry/registry.h"
#include "registry/registry_index.h"
#include "registry/registry_stream.h"

#define FIXTURES	"tests/fixtures/registry/"

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*p;
	long	n;

	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	assert_non_null(p = malloc((size_t)n + 1));
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (p);
}

/* The rows of records.json, oldest first: the snapshot sorts them. */
struct rows {
	json_t			*all;
	struct registry_row	r[8];
	char			*text[8];
	size_t			n;
};

static void
rows_load(struct rows *rs)
{
	json_t	*rec;
	size_t	i, k;

	assert_non_null(rs->all = json_load_file(FIXTURES "records.json", 0,
	    NULL));
	rs->n = json_array_size(rs->all);
	for (i = 0; i < rs->n; i++) {
		k = i;
		rec = json_array_get(rs->all, k);
		rs->text[i] = json_dumps(rec, JSON_COMPACT);
		rs->r[i].id = (int64_t)k + 1;
		rs->r[i].number = json_string_value(json_object_get(rec,
		    "filing_number"));
		rs->r[i].name = json_string_value(json_object_get(
		    json_object_get(rec, "platform"), "name"));
		rs->r[i].sponsor = json_string_value(json_object_get(
		    json_object_get(rec, "sponsor"), "name"));
		rs->r[i].host = json_string_value(json_object_get(
		    json_object_get(rec, "platform"), "homepage")) + 8;
		rs->r[i].status = json_string_value(json_object_get(rec,
		    "status"));
		rs->r[i].filed_on = json_string_value(json_object_get(rec,
		    "filed_on"));
		rs->r[i].record = rs->text[i];
		rs->r[i].number_len = strlen(rs->r[i].number);
		rs->r[i].name_len = strlen(rs->r[i].name);
		rs->r[i].sponsor_len = strlen(rs->r[i].sponsor);
		rs->r[i].host_len = strlen(rs->r[i].host);
		rs->r[i].record_len = strlen(rs->text[i]);
	}
}

static void
rows_free(struct rows *rs)
{
	size_t	i;

	for (i = 0; i < rs->n; i++)
		free(rs->text[i]);
	json_decref(rs->all);
}

static size_t
search(const struct registry_snapshot *s, const char *q,
    enum registry_status st, size_t off, size_t lim, const char **numbers)
{
	const struct registry_entry	*out[8];
	size_t				total, i;

	total = registry_snapshot_search(s, q, st, off, lim, out);
	for (i = 0; i < lim && off + i < total; i++)
		numbers[i] = out[i]->number;
	return (total);
}

static void
test_index_finds_what_a_scan_finds(void **state)
{
	static const char	*texts[] = { "星辰安全应急响应中心\x1f北京星辰"
	    "网络科技有限公司\x1fsrc.xingchen1.com", "云盾漏洞收集平台\x1f"
	    "深圳云盾软件有限公司\x1fsecurity.yundun2.cn", "abc\x1f\xf0\xa0"
	    "\x80\x8b四字节\x1fx.y" };
	static const char	*queries[] = { "安全", "云盾", "星", "yundun",
	    "src.", "\xf0\xa0\x80\x8b", "有限公司", "不存在", "ab", "c\x1f",
	    "com", NULL };
	struct registry_index	*ix;
	const uint32_t		*cand;
	size_t			lens[3], n, i, k, j, hits;
	const char		**q;

	(void)state;
	for (i = 0; i < 3; i++)
		lens[i] = strlen(texts[i]);
	assert_non_null(ix = registry_index_build(texts, lens, 3));
	for (q = queries; *q != NULL; q++) {
		if (!registry_index_candidates(ix, *q, strlen(*q), &cand,
		    &n)) {
			assert_true(strlen(*q) < 3);
			continue;
		}
		/* Every text that holds q is a candidate, in order. */
		hits = 0;
		for (k = 0; k < 3; k++) {
			if (memmem(texts[k], lens[k], *q, strlen(*q)) == NULL)
				continue;
			hits++;
			for (j = 0; j < n && cand[j] != k; j++)
				;
			assert_true(j < n);
		}
		for (j = 1; j < n; j++)
			assert_true(cand[j - 1] < cand[j]);
		if (hits == 0 && strcmp(*q, "不存在") == 0)
			assert_int_equal(n, 0);
	}
	registry_index_free(ix);
}

static void
test_search_pages_filters_and_finds_numbers(void **state)
{
	struct registry_snapshot	*s;
	struct rows			rs;
	const char			*num[8];
	char				q[16];
	size_t				i;

	(void)state;
	rows_load(&rs);
	assert_non_null(s = registry_snapshot_make(NULL, rs.r, rs.n));
	assert_int_equal(registry_snapshot_count(s), 4);

	/* No q: newest filing first, sliced. */
	assert_int_equal(search(s, NULL, REGISTRY_ANY, 0, 2, num), 4);
	assert_string_equal(num[0], "VCP-2026-000004-8");
	assert_string_equal(num[1], "VCP-2026-000003-X");
	assert_int_equal(search(s, NULL, REGISTRY_ANY, 2, 2, num), 4);
	assert_string_equal(num[0], "VCP-2026-000002-1");
	assert_string_equal(num[1], "VCP-2026-000001-3");
	assert_int_equal(search(s, NULL, REGISTRY_ANY, 3, 2, num), 4);
	assert_string_equal(num[0], "VCP-2026-000001-3");
	assert_int_equal(search(s, NULL, REGISTRY_ANY, 100, 2, num), 4);
	assert_int_equal(search(s, NULL, REGISTRY_FILED, 1, 2, num), 2);
	assert_string_equal(num[0], "VCP-2026-000001-3");
	assert_int_equal(search(s, NULL, REGISTRY_REVOKED, 0, 8, num), 1);
	assert_string_equal(num[0], "VCP-2026-000002-1");

	/* Chinese substrings of names and sponsors, hosts in any case. */
	assert_int_equal(search(s, "应急响应", REGISTRY_ANY, 0, 8, num), 1);
	assert_string_equal(num[0], "VCP-2026-000001-3");
	assert_int_equal(search(s, "某某", REGISTRY_ANY, 0, 8, num), 2);
	assert_int_equal(search(s, "某", REGISTRY_FILED, 0, 8, num), 1);
	assert_int_equal(search(s, "A.EXAMPLE", REGISTRY_ANY, 0, 8, num), 1);
	assert_string_equal(num[0], "VCP-2026-000002-1");
	assert_int_equal(search(s, "\xf0\xa0\x80\x8b", REGISTRY_ANY, 0, 8,
	    num), 1);
	assert_int_equal(search(s, "example", REGISTRY_ANY, 1, 1, num), 4);
	assert_string_equal(num[0], "VCP-2026-000003-X");
	assert_int_equal(search(s, "example", REGISTRY_ANY, 4, 1, num), 4);
	assert_int_equal(search(s, "不存在", REGISTRY_ANY, 0, 8, num), 0);
	/* Answers are kept: asked again, after many others, the same. */
	for (i = 0; i < 600; i++) {
		(void)snprintf(q, sizeof(q), "q%zu", i);
		assert_int_equal(search(s, q, REGISTRY_ANY, 0, 8, num), 0);
	}
	assert_int_equal(search(s, "某某", REGISTRY_ANY, 1, 8, num), 2);
	assert_string_equal(num[0], "VCP-2026-000001-3");
	/* Short queries are looked for in every record. */
	assert_int_equal(search(s, "b.", REGISTRY_ANY, 0, 8, num), 1);

	/* A number, in any case, whatever its text; with its status. */
	assert_int_equal(search(s, "vcp-2026-000001-3", REGISTRY_ANY, 0, 8,
	    num), 1);
	assert_string_equal(num[0], "VCP-2026-000001-3");
	assert_int_equal(search(s, "VCP-2026-000001-3", REGISTRY_REVOKED, 0,
	    8, num), 0);
	assert_non_null(registry_snapshot_find(s, "VCP-2026-000003-X"));
	assert_null(registry_snapshot_find(s, "VCP-2026-000004-X"));

	/* The record's JSON is the stored bytes. */
	assert_string_equal(registry_snapshot_find(s,
	    "VCP-2026-000003-X")->json, rs.text[2]);
	registry_snapshot_release(s);
	rows_free(&rs);
}

/* Runs an export to its end in small pieces, as the event loop would. */
static char *
export(struct registry_snapshot *s, int xml, size_t *len)
{
	struct api_call	*call;
	unsigned char	piece[100];
	char		*out;
	size_t		n;
	int		done;

	assert_non_null(call = calloc(1, sizeof(*call)));
	assert_true(registry_stream_start(call, s, xml));
	out = NULL;
	*len = 0;
	done = 0;
	while (!done) {
		n = call->stream.fill(call->stream.arg, piece, sizeof(piece),
		    &done);
		assert_true(n > 0 || done);
		assert_non_null(out = realloc(out, *len + n + 1));
		memcpy(out + *len, piece, n);
		*len += n;
	}
	out[*len] = '\0';
	api_call_free(call);
	return (out);
}

static void
test_streamed_exports_are_the_old_documents(void **state)
{
	struct registry_snapshot	*s;
	struct rows			rs;
	char				*got, *want, *at;
	size_t				glen, wlen;

	(void)state;
	rows_load(&rs);
	assert_non_null(s = registry_snapshot_make(NULL, rs.r, rs.n));
	registry_snapshot_release(s);	/* the export holds its own */

	assert_non_null(s = registry_snapshot_make(NULL, rs.r, rs.n));
	got = export(s, 0, &glen);
	want = slurp(FIXTURES "records.csv", &wlen);
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	free(got);
	free(want);

	assert_non_null(s = registry_snapshot_make(NULL, rs.r, rs.n));
	got = export(s, 1, &glen);
	want = slurp(FIXTURES "records.xml", &wlen);
	assert_int_equal(glen, wlen);
	/* Only the time it was generated differs. */
	assert_non_null(at = strstr(got, "generated=\""));
	memcpy(at + 11, "2026-11-22T09:00:00Z", 20);
	assert_memory_equal(got, want, wlen);
	free(got);
	free(want);

	/* An empty register is a header, or an empty root. */
	assert_non_null(s = registry_snapshot_make(NULL, rs.r, 0));
	got = export(s, 1, &glen);
	assert_non_null(strstr(got, "count=\"0\"/>"));
	free(got);
	rows_free(&rs);
}

/* Every record in the search's order, and each by its number. */
static void
same_answers(const struct registry_snapshot *a,
    const struct registry_snapshot *b)
{
	const struct registry_entry	*x, *y;
	size_t				i;

	assert_int_equal(registry_snapshot_count(a), registry_snapshot_count(b));
	assert_int_equal(registry_snapshot_xml_count(a),
	    registry_snapshot_xml_count(b));
	for (i = 0; i < registry_snapshot_count(a); i++) {
		x = registry_snapshot_entry(a, i);
		y = registry_snapshot_entry(b, i);
		assert_string_equal(x->number, y->number);
		assert_string_equal(x->json, y->json);
		assert_string_equal(x->status, y->status);
		assert_int_equal(registry_snapshot_xml_usable(a, i),
		    registry_snapshot_xml_usable(b, i));
		assert_non_null(registry_snapshot_find(b, x->number));
	}
}

static void
test_a_snapshot_from_the_one_before(void **state)
{
	struct registry_snapshot	*old, *upd, *whole;
	struct registry_row		changed[2];
	struct rows			rs;
	const char			*num[8];
	char				*revoked;
	json_t				*rec;

	(void)state;
	rows_load(&rs);
	/* Before: the first three; since: the fourth, and the first revoked. */
	assert_non_null(old = registry_snapshot_make(NULL, rs.r, 3));
	rec = json_deep_copy(json_array_get(rs.all, 0));
	assert_int_equal(json_object_set_new(rec, "status",
	    json_string("revoked")), 0);
	assert_non_null(revoked = json_dumps(rec, JSON_COMPACT));
	json_decref(rec);
	changed[0] = rs.r[3];
	changed[1] = rs.r[0];
	changed[1].status = "revoked";
	changed[1].record = revoked;
	changed[1].record_len = strlen(revoked);
	assert_non_null(upd = registry_snapshot_make(old, changed, 2));
	registry_snapshot_release(old);

	rs.r[0] = changed[1];
	assert_non_null(whole = registry_snapshot_make(NULL, rs.r, rs.n));
	same_answers(upd, whole);
	assert_int_equal(search(upd, NULL, REGISTRY_REVOKED, 0, 8, num), 2);
	assert_int_equal(search(upd, NULL, REGISTRY_FILED, 0, 8, num), 1);
	assert_string_equal(num[0], "VCP-2026-000004-8");
	assert_int_equal(search(upd, "应急响应", REGISTRY_REVOKED, 0, 8, num),
	    1);
	assert_string_equal(registry_snapshot_find(upd,
	    "VCP-2026-000001-3")->json, revoked);
	registry_snapshot_release(upd);
	registry_snapshot_release(whole);
	free(revoked);
	rows_free(&rs);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_index_finds_what_a_scan_finds),
		cmocka_unit_test(test_search_pages_filters_and_finds_numbers),
		cmocka_unit_test(test_streamed_exports_are_the_old_documents),
		cmocka_unit_test(test_a_snapshot_from_the_one_before),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
