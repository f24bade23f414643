/*
 * `vcpctl seed`: a register of made-up platforms for `make bench` and
 * demonstrations, written through the portal's own publishing
 * (registry_publish) so each record is what a real filing's would be:
 * Chinese names, many hosts, sealed personal fields, a history of
 * creation, submission, approval, some changes and some ends, plus
 * drafts whose history the public feed must not walk.  Refused on a
 * database that already holds a filing: it is never mixed with real ones.
 * A store file (its own SQL), in batches of one transaction.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db/db.h"
#include "domain/filing_state.h"
#include "filing/filing.h"
#include "registry/registry.h"

#define SEED_BATCH	500

static const char	*sql_any =
    "SELECT COUNT(*) FROM filing";
static const char	*sql_owner =
    "SELECT id FROM account WHERE login = ? AND role = 'operator'";
static const char	*sql_filing =
    "INSERT INTO filing (owner_id, status, version, form, receipts,"
    " filing_number, filed_on, ended_on, created_at, updated_at)"
    " VALUES (?, ?, 3, ?, ?, ?, ?, ?, ?, ?)";
static const char	*sql_history =
    "INSERT INTO filing_history (filing_id, at, actor_id, event)"
    " VALUES (?, ?, NULL, ?)";
static const char	*sql_seq =
    "INSERT INTO filing_sequence (year, last) VALUES (?, ?)"
    " ON DUPLICATE KEY UPDATE last = GREATEST(last, VALUES(last))";

static const char	*seed_city[] = { "北京", "上海", "深圳", "杭州",
	"广州", "成都", "南京", "武汉", "西安", "苏州", "天津", "重庆",
	"长沙", "合肥", "厦门", "青岛" };
static const char	*seed_word[] = { "星辰", "云盾", "天网", "安信",
	"恒泰", "长亭", "华云", "启明", "金山", "蓝海", "智联", "数安",
	"鼎信", "盛华", "九州", "万象", "极光", "银河", "中科", "东方" };
static const char	*seed_pinyin[] = { "xingchen", "yundun", "tianwang",
	"anxin", "hengtai", "changting", "huayun", "qiming", "jinshan",
	"lanhai", "zhilian", "shuan", "dingxin", "shenghua", "jiuzhou",
	"wanxiang", "jiguang", "yinhe", "zhongke", "dongfang" };
static const char	*seed_kind[] = { "安全应急响应中心", "漏洞收集平台",
	"安全响应中心", "漏洞奖励计划", "白帽众测平台", "安全漏洞报告平台" };
static const char	*seed_firm[] = { "网络科技有限公司",
	"信息技术股份有限公司", "科技集团有限公司", "软件有限公司" };
static const char	*seed_tld[] = { "com", "cn", "com.cn", "net" };
static const char	*seed_app[] = { "微信", "微博", "抖音" };

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static json_t *
seed_form(uint32_t i, char *host, size_t hlen)
{
	char	name[160], sponsor[160], home[200], url[240], acct[160];
	json_t	*social, *urls;
	size_t	c, w, k, f;

	c = i % N(seed_city);
	w = (i / N(seed_city)) % N(seed_word);
	k = (i / 7) % N(seed_kind);
	f = (i / 3) % N(seed_firm);
	(void)snprintf(name, sizeof(name), "%s%s%s", seed_word[w],
	    i % 5 == 0 ? seed_city[c] : "", seed_kind[k]);
	(void)snprintf(sponsor, sizeof(sponsor), "%s%s%s%u", seed_city[c],
	    seed_word[w], seed_firm[f], i % 97);
	(void)snprintf(host, hlen, "%s.%s%u.%s", i % 2 ? "src" : "security",
	    seed_pinyin[w], i, seed_tld[i % N(seed_tld)]);
	(void)snprintf(home, sizeof(home), "https://%s", host);
	(void)snprintf(url, sizeof(url), "https://%s/bulletins", host);
	(void)snprintf(acct, sizeof(acct), "%s安全响应中心", seed_word[w]);
	urls = json_pack("[s]", url);
	if (i % 3 == 0)
		json_array_append_new(urls, json_sprintf(
		    "https://bbs.%s/security", host));
	social = json_array();
	if (i % 4 != 0)
		json_array_append_new(social, json_pack("{s:s,s:s}", "app",
		    seed_app[i % N(seed_app)], "account", acct));
	return (json_pack("{s:{s:s,s:s,s:s,s:o,s:o,s:s},"
	    "s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},s:{s:s,s:s,s:s},"
	    "s:{s:s,s:i},s:{s:s}}",
	    "platform", "name", name, "homepage", home,
	    "icp", "京ICP备12345678号-1", "publish_urls", urls,
	    "social_accounts", social, "online_date", "2023-01-01",
	    "sponsor", "name", sponsor, "type",
	    i % 10 == 0 ? "individual" : "enterprise",
	    "id_number", "91110000100000000X",
	    "principal", "name", "张三", "mobile", "13812345678", "email",
	    "principal@example.com",
	    "contact", "name", "李四", "mobile", "13912345678", "email",
	    "contact@example.com",
	    "mlps", "certificate_number", "11010199001-00001", "level", 2,
	    "management", "description", "依据 GB/T 22239 实施平台管理。"));
}

static int
seed_event(struct db *db, int64_t id, const char *at, const char *event)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql_history)) == NULL)
		return (0);
	db_bind_i64(st, 0, id);
	db_bind_str(st, 1, at);
	db_bind_str(st, 2, event);
	return (db_execute(st));
}

/* A day of 2023..2026 for record i of n, older records first. */
static void
seed_day(uint32_t i, uint32_t n, int plus, char *out, size_t len,
    int *year)
{
	uint32_t	d;

	d = (uint32_t)((uint64_t)i * 1400 / (n + 1)) + (uint32_t)plus;
	*year = 2023 + (int)(d / 365);
	if (*year > 2026)
		*year = 2026;
	d %= 365;
	(void)snprintf(out, len, "%04d-%02u-%02u", *year, d / 28 % 12 + 1,
	    d % 28 + 1);
}

static int
seed_one(struct db *db, int64_t owner, uint32_t i, uint32_t n,
    uint32_t *seq)
{
	struct db_stmt	*st;
	json_t		*form, *changes;
	char		*text, host[160], number[48], filed[16], ended[16];
	char		at[32], changed[16], approved[16];
	const char	*status;
	int64_t		id;
	int		year, y2, ok;

	seed_day(i, n, 0, filed, sizeof(filed), &year);
	if (!filing_number_format(vcp_conf.filing_prefix, year,
	    ++seq[year - 2023], number, sizeof(number)))
		return (0);
	status = i % 25 == 7 ? "revoked" : i % 16 == 3 ? "deregistered" :
	    "filed";
	seed_day(i, n, 200, ended, sizeof(ended), &y2);
	form = seed_form(i, host, sizeof(host));
	if (form == NULL || !filing_form_seal(form) ||
	    (text = json_dumps(form, JSON_COMPACT)) == NULL) {
		json_decref(form);
		return (0);
	}
	(void)snprintf(at, sizeof(at), "%s 09:30:00", filed);
	ok = (st = db_prepare(db, sql_filing)) != NULL;
	if (ok) {
		db_bind_i64(st, 0, owner);
		db_bind_str(st, 1, status);
		db_bind_str(st, 2, text);
		db_bind_i64(st, 3, 1);
		db_bind_str(st, 4, number);
		db_bind_str(st, 5, filed);
		if (strcmp(status, "filed") != 0)
			db_bind_str(st, 6, ended);
		else
			db_bind_null(st, 6);
		db_bind_str(st, 7, at);
		db_bind_str(st, 8, at);
		ok = db_execute(st);
	}
	free(text);
	id = ok ? (int64_t)db_insert_id(st) : 0;
	ok = ok && seed_event(db, id, at, "created") &&
	    seed_event(db, id, at, "submitted") &&
	    seed_event(db, id, at, "approved");
	changes = json_array();
	if (ok && i % 5 == 1) {
		seed_day(i, n, 60, changed, sizeof(changed), &y2);
		seed_day(i, n, 63, approved, sizeof(approved), &y2);
		json_array_append_new(changes, json_pack("{s:s,s:s}",
		    "changed_on", changed, "approved_on", approved));
		(void)snprintf(at, sizeof(at), "%s 10:00:00", approved);
		ok = seed_event(db, id, at, "change_submitted") &&
		    seed_event(db, id, at, "change_approved");
	}
	if (ok && strcmp(status, "filed") != 0) {
		(void)snprintf(at, sizeof(at), "%s 11:00:00", ended);
		ok = seed_event(db, id, at, status);
	}
	ok = ok && registry_publish(db, id, number, filed, form, status,
	    strcmp(status, "filed") != 0 ? ended : NULL, changes);
	json_decref(changes);
	json_decref(form);
	return (ok);
}

static int
seed_draft(struct db *db, int64_t owner, uint32_t i)
{
	struct db_stmt	*st;
	json_t		*form;
	char		*text, host[160];
	int		ok;

	form = seed_form(i + 500000, host, sizeof(host));
	if (form == NULL || !filing_form_seal(form) ||
	    (text = json_dumps(form, JSON_COMPACT)) == NULL) {
		json_decref(form);
		return (0);
	}
	json_decref(form);
	ok = (st = db_prepare(db, sql_filing)) != NULL;
	if (ok) {
		db_bind_i64(st, 0, owner);
		db_bind_str(st, 1, "draft");
		db_bind_str(st, 2, text);
		db_bind_i64(st, 3, 0);
		db_bind_null(st, 4);
		db_bind_null(st, 5);
		db_bind_null(st, 6);
		db_bind_str(st, 7, "2026-11-01 08:00:00");
		db_bind_str(st, 8, "2026-11-01 08:00:00");
		ok = db_execute(st);
	}
	free(text);
	return (ok && seed_event(db, (int64_t)db_insert_id(st),
	    "2026-11-01 08:00:00", "created"));
}

static int
seed_batch_end(struct db *db, int ok)
{
	if (!ok) {
		(void)db_rollback(db);
		return (0);
	}
	return (db_commit(db));
}

/* Returns 1 done, 0 a database error, -1 refused (filings exist). */
int
filing_seed(struct db *db, const char *owner_login, uint32_t filings,
    uint32_t drafts)
{
	struct db_stmt	*st;
	uint32_t	seq[4], i;
	int64_t		owner;
	int		ok, y;

	if ((st = db_prepare(db, sql_any)) == NULL || !db_execute(st) ||
	    db_fetch(st) != 1)
		return (0);
	ok = db_col_i64(st, 0) == 0;
	db_reset(st);
	if (!ok)
		return (-1);
	if ((st = db_prepare(db, sql_owner)) == NULL)
		return (0);
	db_bind_str(st, 0, owner_login);
	if (!db_execute(st) || db_fetch(st) != 1)
		return (0);
	owner = db_col_i64(st, 0);
	db_reset(st);

	memset(seq, 0, sizeof(seq));
	ok = 1;
	for (i = 0; ok && i < filings + drafts; i += SEED_BATCH) {
		if (!db_begin(db))
			return (0);
		for (y = 0; ok && y < SEED_BATCH && i + (uint32_t)y <
		    filings + drafts; y++)
			ok = i + (uint32_t)y < filings ? seed_one(db, owner,
			    i + (uint32_t)y, filings, seq) : seed_draft(db,
			    owner, i + (uint32_t)y - filings);
		if (!seed_batch_end(db, ok))
			return (0);
	}
	if (!db_begin(db))
		return (0);
	for (y = 0; ok && y < 4; y++) {
		if (seq[y] == 0)
			continue;
		ok = (st = db_prepare(db, sql_seq)) != NULL;
		if (ok) {
			db_bind_i64(st, 0, 2023 + y);
			db_bind_i64(st, 1, seq[y]);
			ok = db_execute(st);
		}
	}
	return (seed_batch_end(db, ok));
}
