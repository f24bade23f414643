/*
 * Attachments of a filing: uploaded as the raw request body with its
 * media type, checked by content, stored with their SHA-256, and given
 * back only to the filing's operator and to reviewers and supervisors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "db/db.h"
#include "domain/attachment.h"
#include "domain/filing_state.h"
#include "domain/role.h"
#include "domain/validate.h"
#include "filing/filing.h"
#include "http/api.h"

#define ATTACHMENTS_MAX		20

struct upload {
	char	kind[32];
	char	filename[256 * 4];
	char	type[32];
};

int
attachment_upload_prepare(struct api_call *call)
{
	struct upload	*u;
	const char	*sniffed;
	json_t		*fields;
	int		r;

	if ((u = calloc(1, sizeof(*u))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = u;
	call->data_free = free;
	fields = json_object();
	if (api_query(call, "kind", u->kind, sizeof(u->kind)) != 1 ||
	    !attachment_kind_valid(u->kind))
		json_object_set_new(fields, "kind", json_pack("{s:s,s:s}",
		    "code", "format", "message", "附件类型须为 "
		    "mlps_certificate、commitment_letter、management 或 other"));
	r = api_query(call, "filename", u->filename, sizeof(u->filename));
	if (r == 0)
		(void)snprintf(u->filename, sizeof(u->filename), "%s",
		    u->kind);
	else if (r < 0 || validate_text(u->filename, strlen(u->filename),
	    200, 0) != VALIDATE_OK || strpbrk(u->filename, "/\\\"") != NULL)
		json_object_set_new(fields, "filename", json_pack("{s:s,s:s}",
		    "code", "format", "message", "文件名须为200字以内，"
		    "不含 / \\ \""));
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "附件参数有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	if ((sniffed = attachment_sniff(call->raw, call->raw_len)) == NULL) {
		api_error(call, 415, "unsupported_file_type",
		    "只接受 PDF、PNG 或 JPEG 文件");
		return (0);
	}
	if (!attachment_type_matches(call->content_type, sniffed)) {
		api_error(call, 415, "type_mismatch",
		    "文件内容与声明的类型不符");
		return (0);
	}
	(void)snprintf(u->type, sizeof(u->type), "%s", sniffed);
	return (1);
}

void
attachment_upload(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	struct upload		*u;
	enum filing_status	to;
	uint8_t			h[CRYPTO_SHA256_LEN];
	char			hex[65];
	int64_t			id;
	int			all, mlps, letter, ok;

	u = call->data;
	if (!filing_load_visible(call, db, 1, &r))
		return;
	ok = filing_transition(filing_status_parse(r.status), EV_EDIT, &to);
	filing_row_free(&r);
	if (!ok) {
		api_error(call, 409, "invalid_state",
		    "当前状态下不能修改附件");
		return;
	}
	if (!attachment_store_count(db, r.id, &all, &mlps, &letter)) {
		api_internal(call, db, "attachment count");
		return;
	}
	if (all >= ATTACHMENTS_MAX) {
		api_error(call, 409, "too_many_attachments",
		    "每个备案最多20个附件");
		return;
	}
	crypto_sha256(call->raw, call->raw_len, h);
	crypto_hex(h, sizeof(h), hex);
	if (!attachment_store_put(db, r.id, u->kind, u->type, u->filename,
	    call->raw, call->raw_len, hex, call->who.account_id, &id)) {
		api_internal(call, db, "attachment put");
		return;
	}
	api_object(call, "attachment", id);
	api_reply(call, 201, json_pack("{s:{s:I,s:s,s:s,s:s,s:I,s:s}}",
	    "attachment", "id", (json_int_t)id, "kind", u->kind,
	    "media_type", u->type, "filename", u->filename,
	    "size", (json_int_t)call->raw_len, "sha256", hex));
}

void
attachment_download(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	unsigned char		*data;
	char			type[32], disp[96];
	size_t			len;
	int64_t			aid;
	int			rc;

	if (!filing_load_visible(call, db, 0, &r))
		return;
	filing_row_free(&r);
	if (!api_param_id(call, 1, &aid, "未找到该附件"))
		return;
	if ((rc = attachment_store_get(db, r.id, aid, type, sizeof(type),
	    &data, &len)) < 0) {
		api_internal(call, db, "attachment get");
		return;
	}
	if (rc == 0) {
		api_error(call, 404, "not_found", "未找到该附件");
		return;
	}
	/* A generated name: the uploaded one never reaches a header. */
	(void)snprintf(disp, sizeof(disp),
	    "attachment; filename=\"attachment-%lld.%s\"", (long long)aid,
	    !strcmp(type, "application/pdf") ? "pdf" :
	    !strcmp(type, "image/png") ? "png" : "jpg");
	api_reply_raw(call, type, data, len, disp);
}

void
attachment_delete(struct api_call *call, struct db *db)
{
	struct filing_row	r;
	enum filing_status	to;
	int64_t			aid;
	int			ok;

	if (!filing_load_visible(call, db, 1, &r))
		return;
	ok = filing_transition(filing_status_parse(r.status), EV_EDIT, &to);
	filing_row_free(&r);
	if (!ok) {
		api_error(call, 409, "invalid_state",
		    "当前状态下不能修改附件");
		return;
	}
	if (!api_param_id(call, 1, &aid, "未找到该附件"))
		return;
	if ((ok = attachment_store_delete(db, r.id, aid)) == 0) {
		api_error(call, 404, "not_found", "未找到该附件");
		return;
	}
	if (ok < 0) {
		api_internal(call, db, "attachment delete");
		return;
	}
	api_object(call, "attachment", aid);
	api_reply(call, 204, NULL);
}
