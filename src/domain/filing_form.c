/*
 * Checks a filing form.  Every problem is recorded in errors under the
 * field's path ("platform.publish_urls[1]"), so an operator sees them all
 * at once; warnings (an organisation code whose own check digit is off)
 * do not stop a submission.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attachment.h"
#include "domain/calendar.h"
#include "domain/field.h"
#include "domain/filing_form.h"
#include "domain/validate.h"

typedef enum validate_result (*form_validator)(const char *, size_t);

struct form_field {
	const char	*name;
	int		required;
	form_validator	check;		/* NULL: free text */
	size_t		max;		/* free text: code points */
	int		multiline;
};

struct form_group {
	const char			*name;
	const struct form_field		*fields;
};

const char	*filing_personal_fields[] = {
	"sponsor.id_number",
	"principal.mobile", "principal.email",
	"contact.mobile", "contact.email",
	NULL
};

static const struct form_field	platform_fields[] = {
	{ "name", 1, NULL, FORM_NAME_MAX, 0 },
	{ "homepage", 1, validate_url, 0, 0 },
	{ "icp", 1, validate_icp, 0, 0 },
	{ "online_date", 1, NULL, 0, 0 },
	{ "publish_urls", 1, NULL, 0, 0 },
	{ "social_accounts", 0, NULL, 0, 0 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_field	sponsor_fields[] = {
	{ "name", 1, NULL, FORM_NAME_MAX, 0 },
	{ "type", 1, NULL, 0, 0 },
	{ "id_number", 1, NULL, 0, 0 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_field	person_fields[] = {
	{ "name", 1, NULL, 64, 0 },
	{ "mobile", 1, validate_mobile, 0, 0 },
	{ "email", 1, validate_email, 0, 0 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_field	rules_fields[] = {
	{ "collection", 1, NULL, FORM_TEXT_MAX, 1 },
	{ "verification", 1, NULL, FORM_TEXT_MAX, 1 },
	{ "notification", 1, NULL, FORM_TEXT_MAX, 1 },
	{ "publication", 1, NULL, FORM_TEXT_MAX, 1 },
	{ "user_verification", 1, NULL, FORM_TEXT_MAX, 1 },
	{ "classification", 1, NULL, FORM_TEXT_MAX, 1 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_field	mlps_fields[] = {
	{ "certificate_number", 1, validate_mlps_number, 0, 0 },
	{ "level", 1, NULL, 0, 0 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_field	management_fields[] = {
	{ "description", 1, NULL, FORM_TEXT_MAX, 1 },
	{ NULL, 0, NULL, 0, 0 }
};

static const struct form_group	form_groups[] = {
	{ "platform", platform_fields },
	{ "sponsor", sponsor_fields },
	{ "principal", person_fields },
	{ "contact", person_fields },
	{ "rules", rules_fields },
	{ "mlps", mlps_fields },
	{ "management", management_fields },
	{ NULL, NULL }
};

static const char	*sponsor_types[] = {
	"individual", "enterprise", "institution", "other", NULL
};

static void
form_result(json_t *errors, const char *path, enum validate_result r)
{
	if (r != VALIDATE_OK)
		field_error(errors, path, validate_code(r),
		    validate_message(r));
}

static const char *
form_string(const json_t *v, const char *path, json_t *errors, size_t *len)
{
	if (!json_is_string(v)) {
		field_error(errors, path, "type", "应为字符串");
		return (NULL);
	}
	*len = json_string_length(v);
	return (json_string_value(v));
}

static void
form_urls(const json_t *v, const char *path, int complete, json_t *errors)
{
	const char	*s;
	char		sub[96];
	size_t		i, len;

	if (!json_is_array(v)) {
		field_error(errors, path, "type", "应为网址列表");
		return;
	}
	if (json_array_size(v) > FORM_URLS_MAX) {
		field_error(errors, path, "too_many", "最多填写20个网址");
		return;
	}
	if (complete && json_array_size(v) == 0)
		field_error(errors, path, "required", "至少填写一个发布漏洞信息的网址");
	for (i = 0; i < json_array_size(v); i++) {
		(void)snprintf(sub, sizeof(sub), "%.40s[%zu]", path, i);
		if ((s = form_string(json_array_get(v, i), sub, errors,
		    &len)) != NULL)
			form_result(errors, sub, validate_url(s, len));
	}
}

static void
form_accounts(const json_t *v, const char *path, json_t *errors)
{
	const json_t	*a;
	const char	*s;
	char		sub[96];
	size_t		i, len;

	if (!json_is_array(v)) {
		field_error(errors, path, "type", "应为账号列表");
		return;
	}
	if (json_array_size(v) > FORM_ACCOUNTS_MAX) {
		field_error(errors, path, "too_many", "最多填写20个账号");
		return;
	}
	for (i = 0; i < json_array_size(v); i++) {
		a = json_array_get(v, i);
		(void)snprintf(sub, sizeof(sub), "%.40s[%zu]", path, i);
		if (!json_is_object(a) || json_object_size(a) != 2) {
			field_error(errors, sub, "type",
			    "应为 {\"app\": 平台名称, \"account\": 公众号}");
			continue;
		}
		(void)snprintf(sub, sizeof(sub), "%.40s[%zu].app", path, i);
		if ((s = form_string(json_object_get(a, "app"), sub, errors,
		    &len)) != NULL)
			form_result(errors, sub, validate_text(s, len, 64, 0));
		(void)snprintf(sub, sizeof(sub), "%.40s[%zu].account", path, i);
		if ((s = form_string(json_object_get(a, "account"), sub,
		    errors, &len)) != NULL)
			form_result(errors, sub, validate_text(s, len, 128, 0));
	}
}

static int
form_one_of(const char *s, const char **set)
{
	for (; *set != NULL; set++) {
		if (!strcmp(s, *set))
			return (1);
	}
	return (0);
}

/* Fields whose rule depends on more than their own value. */
static int
form_special(const struct form_group *g, const struct form_field *f,
    const json_t *v, const char *path, int complete, int today,
    json_t *errors)
{
	const char	*s;
	size_t		len;
	int32_t		day;

	if (!strcmp(f->name, "publish_urls")) {
		form_urls(v, path, complete, errors);
	} else if (!strcmp(f->name, "social_accounts")) {
		form_accounts(v, path, errors);
	} else if (!strcmp(f->name, "online_date")) {
		if ((s = form_string(v, path, errors, &len)) != NULL &&
		    !cal_date_parse(s, len, &day))
			field_error(errors, path, "format",
			    "日期须为 YYYY-MM-DD 格式的有效日期");
	} else if (!strcmp(g->name, "sponsor") && !strcmp(f->name, "type")) {
		if ((s = form_string(v, path, errors, &len)) != NULL &&
		    !form_one_of(s, sponsor_types))
			field_error(errors, path, "format", "主办者类型须为 "
			    "individual、enterprise、institution 或 other");
	} else if (!strcmp(f->name, "level")) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 5)
			field_error(errors, path, "format",
			    "等级保护级别须为1至5的整数");
	} else {
		return (0);
	}
	(void)today;
	return (1);
}

static void
form_field_check(const struct form_group *g, const struct form_field *f,
    const json_t *v, int complete, int today, json_t *errors)
{
	const char	*s;
	char		path[96];
	size_t		len;

	(void)snprintf(path, sizeof(path), "%s.%s", g->name, f->name);
	if (v == NULL || json_is_null(v)) {
		if (complete && f->required)
			field_error(errors, path, "required", "此项为必填项");
		return;
	}
	if (form_special(g, f, v, path, complete, today, errors))
		return;
	if (!strcmp(g->name, "sponsor") && !strcmp(f->name, "id_number"))
		return;
	if ((s = form_string(v, path, errors, &len)) == NULL)
		return;
	if (len == 0 && !complete)
		return;
	if (f->check != NULL)
		form_result(errors, path, f->check(s, len));
	else
		form_result(errors, path,
		    validate_text(s, len, f->max, f->multiline));
}

/* The ID number's kind follows the sponsor type (Annex 1). */
static void
form_sponsor_id(const json_t *form, int complete, int today, json_t *errors,
    json_t *warnings)
{
	const json_t	*sp, *v;
	const char	*s;
	size_t		len;
	int		warn;

	sp = json_object_get(form, "sponsor");
	v = json_object_get(sp, "id_number");
	if (v == NULL || json_is_null(v))
		return;
	if ((s = form_string(v, "sponsor.id_number", errors, &len)) == NULL)
		return;
	if (len == 0 && !complete)
		return;
	if (filing_sponsor_is_person(form)) {
		form_result(errors, "sponsor.id_number",
		    validate_resident_id(s, len, today));
		return;
	}
	warn = 0;
	form_result(errors, "sponsor.id_number", validate_uscc(s, len, &warn));
	if ((warn & VALIDATE_WARN_ORGCODE) && warnings != NULL)
		json_object_set_new(warnings, "sponsor.id_number",
		    json_pack("{s:s,s:s}", "code", "orgcode_check",
		    "message", "组织机构代码部分校验不符，请核对"));
}

/*
 * Returns 1 when the form has no errors.  today is YYYYMMDD (China
 * Standard Time), for birth dates in ID numbers.
 */
int
filing_form_check(const json_t *form, int complete, int today,
    json_t *errors, json_t *warnings)
{
	const struct form_group	*g;
	const struct form_field	*f;
	const json_t		*grp, *v;
	const char		*key, *gkey;
	char			path[96];

	if (!json_is_object(form)) {
		field_error(errors, "form", "type", "表单须为 JSON 对象");
		return (0);
	}
	json_object_foreach((json_t *)form, gkey, grp) {
		for (g = form_groups; g->name != NULL; g++) {
			if (!strcmp(g->name, gkey))
				break;
		}
		if (g->name == NULL) {
			field_error(errors, gkey, "unknown", "未知的表单分组");
			continue;
		}
		if (!json_is_object(grp) && !json_is_null(grp)) {
			field_error(errors, gkey, "type", "应为对象");
			continue;
		}
		json_object_foreach((json_t *)grp, key, v) {
			for (f = g->fields; f->name != NULL; f++) {
				if (!strcmp(f->name, key))
					break;
			}
			if (f->name == NULL) {
				/*
				 * Cut on a character: a name cut inside one
				 * is not UTF-8, jansson would refuse it as a
				 * key and the error would be lost.
				 */
				(void)snprintf(path, sizeof(path), "%s.%.*s",
				    gkey, (int)validate_utf8_prefix(key,
				    strlen(key), 40), key);
				field_error(errors, path, "unknown", "未知的字段");
			}
		}
	}
	for (g = form_groups; g->name != NULL; g++) {
		grp = json_object_get(form, g->name);
		for (f = g->fields; f->name != NULL; f++)
			form_field_check(g, f, json_object_get(grp, f->name),
			    complete, today, errors);
	}
	form_sponsor_id(form, complete, today, errors, warnings);
	return (json_object_size(errors) == 0);
}

/*
 * Reads "[i]" at *p for a list of at most max entries: no sign, no
 * leading zero, below max.  Advances *p past it; 0 when it is not one.
 */
static int
form_path_index(const char **p, size_t max)
{
	const char	*s;
	size_t		i;

	s = *p;
	if (*s++ != '[' || *s < '0' || *s > '9' || (s[0] == '0' &&
	    s[1] != ']'))
		return (0);
	for (i = 0; *s >= '0' && *s <= '9'; s++) {
		i = i * 10 + (size_t)(*s - '0');
		if (i >= max)
			return (0);
	}
	if (*s != ']')
		return (0);
	*p = s + 1;
	return (1);
}

/*
 * Whether path names a place of the form, as its errors name them:
 * "group.field", an entry of a list ("platform.publish_urls[1]"), a
 * member of a social account ("platform.social_accounts[0].app"), or
 * an attachment the submission asks for ("attachments.mlps_certificate").
 * A correction request points the operator there, so it must exist.
 */
int
filing_form_path_valid(const char *path)
{
	const struct form_group	*g;
	const struct form_field	*f;
	const char		*dot, *rest;
	size_t			glen, flen;

	if ((dot = strchr(path, '.')) == NULL)
		return (0);
	glen = (size_t)(dot - path);
	if (glen == strlen("attachments") &&
	    !strncmp(path, "attachments", glen))
		return (attachment_kind_valid(dot + 1));
	for (g = form_groups; g->name != NULL; g++) {
		if (strlen(g->name) == glen && !strncmp(g->name, path, glen))
			break;
	}
	if (g->name == NULL)
		return (0);
	rest = dot + 1;
	flen = strcspn(rest, "[.");
	for (f = g->fields; f->name != NULL; f++) {
		if (strlen(f->name) == flen && !strncmp(f->name, rest, flen))
			break;
	}
	if (f->name == NULL)
		return (0);
	rest += flen;
	if (*rest == '\0')
		return (1);
	if (!strcmp(f->name, "publish_urls"))
		return (form_path_index(&rest, FORM_URLS_MAX) && *rest == '\0');
	if (!strcmp(f->name, "social_accounts")) {
		if (!form_path_index(&rest, FORM_ACCOUNTS_MAX))
			return (0);
		return (*rest == '\0' || !strcmp(rest, ".app") ||
		    !strcmp(rest, ".account"));
	}
	return (0);
}

int
filing_sponsor_is_person(const json_t *form)
{
	const json_t	*t;

	t = json_object_get(json_object_get(form, "sponsor"), "type");
	return (json_is_string(t) &&
	    strcmp(json_string_value(t), "individual") == 0);
}

/* The homepage's host, lower-cased, for searching the register. */
char *
filing_form_host(const json_t *form)
{
	const json_t	*v;
	const char	*s, *p;
	char		*host;
	size_t		n, i;

	v = json_object_get(json_object_get(form, "platform"), "homepage");
	if (!json_is_string(v))
		return (NULL);
	s = json_string_value(v);
	if ((p = strstr(s, "://")) == NULL)
		return (NULL);
	p += 3;
	n = strcspn(p, ":/?#");
	if ((host = malloc(n + 1)) == NULL)
		return (NULL);
	for (i = 0; i < n; i++)
		host[i] = (p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i];
	host[n] = '\0';
	return (host);
}

/*
 * Shows enough of a personal value to recognise it, not to use it:
 * 1101**********002X, 138****5678, z***@example.com.
 */
void
filing_mask(const char *field, const char *value, char *out, size_t len)
{
	const char	*at;
	size_t		n, i, o;

	n = strlen(value);
	o = 0;
	if (strstr(field, "email") != NULL && (at = strchr(value, '@'))) {
		if (len < 6)
			return;
		out[o++] = value[0];
		while (o < 4)
			out[o++] = '*';
		(void)snprintf(out + o, len - o, "%s", at);
		return;
	}
	for (i = 0; i < n && o + 1 < len; i++) {
		if (strstr(field, "mobile") != NULL)
			out[o++] = (i < n - 8 || i >= n - 4) ? value[i] : '*';
		else
			out[o++] = (i < 4 || i >= n - 4) ? value[i] : '*';
	}
	out[o] = '\0';
}

static json_t *
public_copy(const json_t *group, const char **keys)
{
	json_t	*out, *v;

	out = json_object();
	for (; *keys != NULL; keys++) {
		v = json_object_get(group, *keys);
		json_object_set(out, *keys, v != NULL ? v : json_null());
	}
	return (out);
}

/*
 * The register's record of a filing: SPEC §5's list and nothing else.
 * Built from named keys only, so a field added to the form later cannot
 * leak into the register by accident.
 */
json_t *
filing_public_record(const json_t *form, const char *number,
    const char *status, const char *filed_on, const char *ended_on)
{
	static const char	*platform_keys[] = { "name", "homepage", "icp",
				    "publish_urls", "social_accounts", NULL };
	static const char	*sponsor_keys[] = { "name", "type", NULL };
	json_t			*rec;

	rec = json_pack("{s:s,s:o,s:o,s:s,s:s,s:o,s:[]}",
	    "filing_number", number,
	    "platform", public_copy(json_object_get(form, "platform"),
	    platform_keys),
	    "sponsor", public_copy(json_object_get(form, "sponsor"),
	    sponsor_keys),
	    "status", status,
	    "filed_on", filed_on,
	    "ended_on", ended_on != NULL && *ended_on != '\0' ?
	    json_string(ended_on) : json_null(),
	    "changes");
	return (rec);
}

/* The day the platform went online, when the form gives a whole date. */
const char *
filing_form_online_date(const json_t *form)
{
	const json_t	*v;

	v = json_object_get(json_object_get(form, "platform"), "online_date");
	return (json_is_string(v) && json_string_length(v) == 10 ?
	    json_string_value(v) : NULL);
}
