/*
 * The routes of a filing's attachments: uploaded as the raw request
 * body with its media type, checked by content on the event loop
 * (src/attachment), stored under the filing's rules
 * (filing_attachment.c), and given back only to the filing's operator
 * and to reviewers and supervisors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachment/attachment.h"
#include "domain/attachment.h"
#include "domain/field.h"
#include "domain/id.h"
#include "domain/role.h"
#include "filing/filing.h"
#include "filing/filing_http.h"
#include "http/api.h"

struct upload {
	char		kind[32];
	char		filename[256 * 4];
	const char	*type;		/* as sniffed: a static string */
};

/*
 * The filing (404 when the path names none) and, with aid, the
 * attachment: an id that is no id becomes 0, which no attachment has,
 * so the filing's own answers come first as they always have.
 */
static int
attachment_target(struct api_call *call, int64_t *fid, int64_t *aid)
{
	if (!id_parse(call->params[0], fid)) {
		api_error(call, 404, "not_found", "未找到该备案");
		return (0);
	}
	api_object(call, "filing", *fid);
	if (aid != NULL && !id_parse(call->params[1], aid))
		*aid = 0;
	return (1);
}

static void
attachment_fail(struct api_call *call, struct db *db, enum filing_result r,
    const char *what)
{
	switch (r) {
	case FILING_NOT_FOUND:
		api_error(call, 404, "not_found", "未找到该备案");
		break;
	case FILING_ATTACHMENT_NOT_FOUND:
		api_error(call, 404, "not_found", "未找到该附件");
		break;
	case FILING_INVALID_STATE:
		api_error(call, 409, "invalid_state",
		    "当前状态下不能修改附件");
		break;
	case FILING_TOO_MANY_ATTACHMENTS:
		api_error(call, 409, "too_many_attachments",
		    "每个备案最多20个附件");
		break;
	default:
		api_internal(call, db, what);
		break;
	}
}

int
attachment_upload_prepare(struct api_call *call)
{
	struct upload		*u;
	enum attachment_result	ar;
	json_t			*fields;
	const char		*code, *message;
	int			r;

	if ((u = calloc(1, sizeof(*u))) == NULL) {
		api_error(call, 503, "busy", "服务繁忙，请稍后重试");
		return (0);
	}
	call->data = u;
	call->data_free = free;
	fields = json_object();
	if (api_query(call, "kind", u->kind, sizeof(u->kind)) != 1 ||
	    !attachment_kind_valid(u->kind))
		field_error(fields, "kind", "format", "附件类型须为 "
		    "mlps_certificate、commitment_letter、management 或 other");
	r = api_query(call, "filename", u->filename, sizeof(u->filename));
	if (r == 0)
		(void)snprintf(u->filename, sizeof(u->filename), "%s",
		    u->kind);
	else if (r < 0 || !attachment_ops_filename_ok(u->filename))
		field_error(fields, "filename", "format",
		    "文件名须为200字以内，不含 / \\ \"");
	if (json_object_size(fields) > 0) {
		api_error_fields(call, 422, "validation", "附件参数有误",
		    fields);
		return (0);
	}
	json_decref(fields);
	ar = attachment_ops_check(call->raw, call->raw_len, call->content_type,
	    &u->type);
	if (ar == ATTACHMENT_OK)
		return (1);
	attachment_ops_refusal(ar, &code, &message);
	api_error(call, 415, code, message);
	return (0);
}

void
attachment_upload(struct api_call *call, struct db *db)
{
	struct attachment_in	in;
	struct filing_out	out;
	struct upload		*u;
	struct actor		a;
	enum filing_result	r;
	int64_t			fid;

	u = call->data;
	if (!attachment_target(call, &fid, NULL))
		return;
	api_actor(call, &a);
	memset(&in, 0, sizeof(in));
	in.kind = u->kind;
	in.filename = u->filename;
	in.media_type = u->type;
	in.data = call->raw;
	in.len = call->raw_len;
	in.by = a.account_id;
	if ((r = filing_attachment_add(db, &a, fid, &in, &out)) != FILING_OK) {
		attachment_fail(call, db, r, "attachment put");
		filing_out_free(&out);
		return;
	}
	api_object(call, "attachment", out.id);
	api_reply(call, 201, json_pack("{s:O}", "attachment", out.view));
	filing_out_free(&out);
}

void
attachment_download(struct api_call *call, struct db *db)
{
	struct actor		a;
	enum filing_result	r;
	unsigned char		*data;
	char			type[32], disp[96];
	size_t			len;
	int64_t			fid, aid;

	if (!attachment_target(call, &fid, &aid))
		return;
	api_actor(call, &a);
	if ((r = filing_attachment_get(db, &a, fid, aid, type, sizeof(type),
	    &data, &len)) != FILING_OK) {
		attachment_fail(call, db, r, "attachment get");
		return;
	}
	/* A generated name: the uploaded one never reaches a header. */
	(void)snprintf(disp, sizeof(disp),
	    "attachment; filename=\"attachment-%lld.%s\"", (long long)aid,
	    attachment_extension(type));
	api_reply_raw(call, type, data, len, disp);
}

void
attachment_delete(struct api_call *call, struct db *db)
{
	struct actor		a;
	enum filing_result	r;
	int64_t			fid, aid;

	if (!attachment_target(call, &fid, &aid))
		return;
	api_actor(call, &a);
	if ((r = filing_attachment_delete(db, &a, fid, aid)) != FILING_OK) {
		attachment_fail(call, db, r, "attachment delete");
		return;
	}
	api_object(call, "attachment", aid);
	api_reply(call, 204, NULL);
}
