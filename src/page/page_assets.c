/*
 * The built static files, read once in Kore's parent (before the workers
 * fork, so every worker shares the pages in memory and none opens a file
 * in its sandbox): manifest.json names each file by its logical name
 * ("portal.css") and its content-hashed one ("portal-<hash>.css"), which
 * is the only name served, so a year of caching is safe.  The page bodies
 * under pages/ are read the same way, by name.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "page/page.h"

#define PAGE_ASSETS_MAX		32
#define PAGE_BODIES_MAX		64
#define PAGE_FILE_MAX		(4 * 1024 * 1024)

struct page_named {
	char		*logical;
	char		*url;
};

struct page_body {
	char		*name;
	char		*text;
	size_t		len;
};

static struct page_asset	assets[PAGE_ASSETS_MAX];
static struct page_named	named[PAGE_ASSETS_MAX];
static size_t			nassets;
static struct page_body		bodies[PAGE_BODIES_MAX];
static size_t			nbodies;

static const struct {
	const char	*ext;
	const char	*type;
} page_types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ NULL, NULL }
};

static const char *
page_type(const char *name)
{
	size_t	i, n, e;

	n = strlen(name);
	for (i = 0; page_types[i].ext != NULL; i++) {
		e = strlen(page_types[i].ext);
		if (n > e && strcmp(name + n - e, page_types[i].ext) == 0)
			return (page_types[i].type);
	}
	return (NULL);
}

static unsigned char *
page_read(const char *dir, const char *name, size_t *len, char *err,
    size_t elen)
{
	FILE		*f;
	struct stat	st;
	unsigned char	*p;
	char		path[1024];

	p = NULL;
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL) {
		(void)snprintf(err, elen, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fileno(f), &st) == -1 || st.st_size < 0 ||
	    st.st_size > PAGE_FILE_MAX) {
		(void)snprintf(err, elen, "%s: unreadable or too large", path);
		goto cleanup;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(p, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		(void)snprintf(err, elen, "%s: read failed", path);
		free(p);
		p = NULL;
		goto cleanup;
	}
	p[st.st_size] = '\0';
	*len = (size_t)st.st_size;
cleanup:
	fclose(f);
	return (p);
}

static int
page_load_manifest(const char *dir, char *err, size_t elen)
{
	json_t		*m, *v;
	json_error_t	je;
	const char	*k, *file;
	char		path[1024];

	(void)snprintf(path, sizeof(path), "%s/manifest.json", dir);
	if ((m = json_load_file(path, 0, &je)) == NULL ||
	    !json_is_object(m)) {
		(void)snprintf(err, elen, "%s: %s (run make)", path,
		    m == NULL ? je.text : "not an object");
		json_decref(m);
		return (0);
	}
	json_object_foreach(m, k, v) {
		file = json_string_value(v);
		if (nassets == PAGE_ASSETS_MAX || file == NULL ||
		    strchr(file, '/') != NULL || page_type(file) == NULL) {
			(void)snprintf(err, elen, "%s: bad entry %s", path, k);
			json_decref(m);
			return (0);
		}
		assets[nassets].data = page_read(dir, file,
		    &assets[nassets].len, err, elen);
		if (assets[nassets].data == NULL) {
			json_decref(m);
			return (0);
		}
		assets[nassets].name = strdup(file);
		assets[nassets].type = page_type(file);
		named[nassets].logical = strdup(k);
		if (asprintf(&named[nassets].url, "/assets/%s", file) == -1)
			named[nassets].url = NULL;
		if (assets[nassets].name == NULL ||
		    named[nassets].logical == NULL ||
		    named[nassets].url == NULL) {
			(void)snprintf(err, elen, "out of memory");
			json_decref(m);
			return (0);
		}
		nassets++;
	}
	json_decref(m);
	return (1);
}

static int
page_load_bodies(const char *dir, char *err, size_t elen)
{
	DIR		*d;
	struct dirent	*de;
	char		path[1024];
	size_t		n;
	int		ok;

	(void)snprintf(path, sizeof(path), "%s/pages", dir);
	if ((d = opendir(path)) == NULL) {
		(void)snprintf(err, elen, "%s: %s", path, strerror(errno));
		return (0);
	}
	ok = 1;
	while (ok && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 5 || strcmp(de->d_name + n - 5, ".html") != 0)
			continue;
		if (nbodies == PAGE_BODIES_MAX) {
			(void)snprintf(err, elen, "%s: too many pages", path);
			ok = 0;
			break;
		}
		bodies[nbodies].text = (char *)page_read(path, de->d_name,
		    &bodies[nbodies].len, err, elen);
		bodies[nbodies].name = strndup(de->d_name, n - 5);
		if (bodies[nbodies].text == NULL ||
		    bodies[nbodies].name == NULL) {
			ok = 0;
			break;
		}
		nbodies++;
	}
	closedir(d);
	return (ok);
}

int
page_assets_load(const char *dir, char *err, size_t elen)
{
	return (page_load_manifest(dir, err, elen) &&
	    page_load_bodies(dir, err, elen));
}

const struct page_asset *
page_asset_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nassets; i++) {
		if (strcmp(assets[i].name, name) == 0)
			return (&assets[i]);
	}
	return (NULL);
}

/* "/assets/portal-<hash>.css" for "portal.css"; "" when it was not built. */
const char *
page_asset_url(const char *logical)
{
	size_t	i;

	for (i = 0; i < nassets; i++) {
		if (strcmp(named[i].logical, logical) == 0)
			return (named[i].url);
	}
	return ("");
}

const char *
page_body(const char *name, size_t *len)
{
	size_t	i;

	for (i = 0; i < nbodies; i++) {
		if (strcmp(bodies[i].name, name) == 0) {
			*len = bodies[i].len;
			return (bodies[i].text);
		}
	}
	return (NULL);
}
