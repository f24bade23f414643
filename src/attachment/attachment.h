#ifndef VCP_ATTACHMENT_MODULE_H
#define VCP_ATTACHMENT_MODULE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * Evidence files of any subject.  An attachment belongs to an owner, a
 * subject type and an id ("filing", 5); the owner decides who may see or
 * change its attachments, which kinds it takes and how many.  This
 * module checks what is common to every file (content, declared type,
 * name), keeps the count within the owner's limit and stores the file
 * with its SHA-256.  Kore-free.
 */

struct db;

struct attachment_owner {
	const char	*type;		/* "filing", "tipoff" */
	int64_t		id;
};

/* An upload, decoded and checked (attachment_ops_check, _filename_ok). */
struct attachment_in {
	const char		*kind;		/* valid for the owner */
	const char		*filename;
	const char		*media_type;	/* as sniffed */
	const unsigned char	*data;
	size_t			len;
	int64_t			by;		/* the uploading account, or 0 */
	int			sealed;		/* kept sealed with the data key */
};

enum attachment_result {
	ATTACHMENT_OK = 0,
	ATTACHMENT_ERROR,		/* database or system */
	ATTACHMENT_UNSUPPORTED,		/* not a PDF, PNG or JPEG */
	ATTACHMENT_MISMATCH,		/* content and declared type differ */
	ATTACHMENT_TOO_MANY		/* the owner's limit is reached */
};

#define ATTACHMENT_SHA256_HEX	65
#define ATTACHMENT_NAME_MAX	200	/* characters of a file name */

/* attachment_ops.c */
void			attachment_ops_refusal(enum attachment_result,
			    const char **, const char **);
enum attachment_result	attachment_ops_check(const unsigned char *, size_t,
			    const char *, const char **);
int			attachment_ops_filename_ok(const char *);
enum attachment_result	attachment_ops_add(struct db *,
			    const struct attachment_owner *, int,
			    const struct attachment_in *, int64_t *, char *);

/* attachment_store.c */
int	attachment_store_put(struct db *, const struct attachment_owner *,
	    const struct attachment_in *, size_t, const char *, int,
	    int64_t *);
int	attachment_store_list(struct db *, const struct attachment_owner *,
	    json_t *);
int	attachment_store_get(struct db *, const struct attachment_owner *,
	    int64_t, char *, size_t, unsigned char **, size_t *);
int	attachment_store_delete(struct db *, const struct attachment_owner *,
	    int64_t);

#endif
