/*
 * An e-mail tip-off, parsed with GMime (never by hand: MIME has too many
 * ways to hide a part).  Only vcpctl links this file; the module stays
 * free of GLib.  The text is the first inline text/plain part, or, when
 * there is none, the first inline text/html part with its tags stripped
 * (simple stripping: GMime has no HTML-to-text filter).  Every other
 * leaf part is a candidate attachment; its content decides later.
 */

#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "tipoff/tipoff_intake.h"

struct tipoff_walk {
	struct tipoff_mail	*m;
	GMimeObject		*plain;
	GMimeObject		*html;
	int			error;
};

/* The part's content, transfer encoding undone; NULL on failure. */
static GByteArray *
tipoff_mail_content(GMimePart *part)
{
	GMimeDataWrapper	*w;
	GMimeStream		*mem;
	GByteArray		*ba;

	if ((w = g_mime_part_get_content(part)) == NULL)
		return (NULL);
	mem = g_mime_stream_mem_new();
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	ba = NULL;
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0)
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	else
		g_byte_array_free(g_mime_stream_mem_get_byte_array(
		    GMIME_STREAM_MEM(mem)), TRUE);
	g_object_unref(mem);
	return (ba);
}

static void
tipoff_mail_visit(GMimeObject *parent, GMimeObject *obj, gpointer arg)
{
	struct tipoff_walk	*w;
	struct tipoff_mail_part	*p;
	GMimeContentType	*ct;
	GMimePart		*part;
	GByteArray		*ba;
	const char		*name, *type;
	char			*mime;

	(void)parent;
	w = arg;
	if (w->error || !GMIME_IS_PART(obj))
		return;
	part = GMIME_PART(obj);
	ct = g_mime_object_get_content_type(obj);
	if (!g_mime_part_is_attachment(part)) {
		if (w->plain == NULL &&
		    g_mime_content_type_is_type(ct, "text", "plain")) {
			w->plain = obj;
			return;
		}
		if (w->html == NULL &&
		    g_mime_content_type_is_type(ct, "text", "html")) {
			w->html = obj;
			return;
		}
		if (g_mime_content_type_is_type(ct, "text", "*"))
			return;
	}
	if (w->m->nparts == TIPOFF_MAIL_PARTS_MAX) {
		w->m->skipped++;
		return;
	}
	if ((ba = tipoff_mail_content(part)) == NULL) {
		w->m->skipped++;
		return;
	}
	p = &w->m->parts[w->m->nparts];
	if ((p->data = malloc(ba->len > 0 ? ba->len : 1)) == NULL) {
		g_byte_array_free(ba, TRUE);
		w->error = 1;
		return;
	}
	memcpy(p->data, ba->data, ba->len);
	p->len = ba->len;
	g_byte_array_free(ba, TRUE);
	name = g_mime_part_get_filename(part);
	g_strlcpy(p->filename, name != NULL ? name : "evidence",
	    sizeof(p->filename));
	/* A name cut inside a character is no name. */
	if (!g_utf8_validate(p->filename, -1, NULL))
		g_strlcpy(p->filename, "evidence", sizeof(p->filename));
	mime = g_mime_content_type_get_mime_type(ct);
	type = mime != NULL ? mime : "application/octet-stream";
	g_strlcpy(p->declared, type, sizeof(p->declared));
	g_free(mime);
	w->m->nparts++;
}

/* The part's text in UTF-8, from its declared charset; g_free it. */
static char *
tipoff_mail_text(GMimeObject *obj)
{
	GMimeContentType	*ct;
	GByteArray		*ba;
	const char		*charset;
	char			*utf8, *valid;

	if ((ba = tipoff_mail_content(GMIME_PART(obj))) == NULL)
		return (NULL);
	ct = g_mime_object_get_content_type(obj);
	charset = g_mime_content_type_get_parameter(ct, "charset");
	utf8 = NULL;
	if (charset != NULL && g_ascii_strcasecmp(charset, "utf-8") != 0 &&
	    g_ascii_strcasecmp(charset, "us-ascii") != 0)
		utf8 = g_convert((const char *)ba->data, (gssize)ba->len,
		    "UTF-8", g_mime_charset_iconv_name(charset), NULL, NULL,
		    NULL);
	if (utf8 == NULL)
		utf8 = g_strndup((const char *)ba->data, ba->len);
	g_byte_array_free(ba, TRUE);
	valid = g_utf8_make_valid(utf8, -1);
	g_free(utf8);
	return (valid);
}

/* Tags out, script and style with their content, a few entities. */
static void
tipoff_mail_strip(char *s)
{
	static const struct { const char *from; char to; } ent[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' }, { "&nbsp;", ' ' },
	};
	const char	*r, *end;
	char		*w;
	size_t		i, n;

	for (r = w = s; *r != '\0';) {
		if (*r == '<') {
			if (g_ascii_strncasecmp(r, "<script", 7) == 0)
				end = strstr(r, "</script");
			else if (g_ascii_strncasecmp(r, "<style", 6) == 0)
				end = strstr(r, "</style");
			else
				end = r;
			if (end == NULL || (end = strchr(end, '>')) == NULL)
				break;
			if (g_ascii_strncasecmp(r, "<br", 3) == 0 ||
			    g_ascii_strncasecmp(r, "<p", 2) == 0 ||
			    g_ascii_strncasecmp(r, "</p", 3) == 0 ||
			    g_ascii_strncasecmp(r, "<div", 4) == 0)
				*w++ = '\n';
			r = end + 1;
			continue;
		}
		if (*r == '&') {
			for (i = 0; i < G_N_ELEMENTS(ent); i++) {
				n = strlen(ent[i].from);
				if (g_ascii_strncasecmp(r, ent[i].from, n) == 0)
					break;
			}
			if (i < G_N_ELEMENTS(ent)) {
				*w++ = ent[i].to;
				r += n;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/*
 * Line ends as \n, no other control character, at most the bound (cut
 * on a character's edge).  0 when nothing but white space is left.
 */
static int
tipoff_mail_tidy(struct tipoff_mail *m)
{
	char		*r, *w, *cut;
	unsigned char	c;

	for (r = w = m->text; *r != '\0'; r++) {
		c = (unsigned char)*r;
		if (c == '\r')
			continue;
		if (c < 0x20 && c != '\n' && c != '\t')
			continue;
		if (c == 0x7f)
			continue;
		*w++ = *r;
	}
	*w = '\0';
	g_strstrip(m->text);
	if (strlen(m->text) > TIPOFF_MAIL_TEXT_MAX) {
		cut = g_utf8_find_prev_char(m->text,
		    m->text + TIPOFF_MAIL_TEXT_MAX + 1);
		if (cut != NULL)
			*cut = '\0';
		m->truncated = 1;
	}
	return (m->text[0] != '\0');
}

static int
tipoff_mail_sender(GMimeMessage *msg, struct tipoff_mail *m)
{
	InternetAddressList	*from;
	InternetAddress		*a;
	const char		*addr;

	if ((from = g_mime_message_get_from(msg)) == NULL ||
	    internet_address_list_length(from) < 1)
		return (0);
	a = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return (0);
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	if (addr == NULL || strchr(addr, '@') == NULL ||
	    strlen(addr) > TIPOFF_SENDER_MAX || !g_utf8_validate(addr, -1,
	    NULL))
		return (0);
	g_strlcpy(m->sender, addr, sizeof(m->sender));
	return (1);
}

enum tipoff_mail_result
tipoff_mail_parse(const char *buf, size_t len, struct tipoff_mail *m)
{
	struct tipoff_walk	w;
	enum tipoff_mail_result	r;
	GMimeStream		*stream;
	GMimeParser		*parser;
	GMimeMessage		*msg;
	char			*text;
	const char		*subject;

	memset(m, 0, sizeof(*m));
	g_mime_init();
	stream = g_mime_stream_mem_new_with_buffer(buf, len);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (msg == NULL || msg->mime_part == NULL ||
	    !tipoff_mail_sender(msg, m)) {
		r = TIPOFF_MAIL_NOT_MIME;
		goto cleanup;
	}
	if ((subject = g_mime_message_get_subject(msg)) != NULL &&
	    g_utf8_validate(subject, -1, NULL) &&
	    (m->subject = strdup(subject)) == NULL) {
		r = TIPOFF_MAIL_ERROR;
		goto cleanup;
	}
	memset(&w, 0, sizeof(w));
	w.m = m;
	g_mime_message_foreach(msg, tipoff_mail_visit, &w);
	if (w.error) {
		r = TIPOFF_MAIL_ERROR;
		goto cleanup;
	}
	text = NULL;
	if (w.plain != NULL)
		text = tipoff_mail_text(w.plain);
	else if (w.html != NULL && (text = tipoff_mail_text(w.html)) != NULL) {
		tipoff_mail_strip(text);
		m->from_html = 1;
	}
	if (text != NULL) {
		m->text = strdup(text);
		g_free(text);
		if (m->text == NULL) {
			r = TIPOFF_MAIL_ERROR;
			goto cleanup;
		}
	}
	r = m->text != NULL && tipoff_mail_tidy(m) ? TIPOFF_MAIL_OK :
	    TIPOFF_MAIL_NO_TEXT;

cleanup:
	if (msg != NULL)
		g_object_unref(msg);
	g_mime_shutdown();
	return (r);
}

void
tipoff_mail_free(struct tipoff_mail *m)
{
	size_t	i;

	for (i = 0; i < m->nparts; i++)
		free(m->parts[i].data);
	free(m->text);
	free(m->subject);
	memset(m, 0, sizeof(*m));
}
