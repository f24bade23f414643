#ifndef VCP_REGISTRY_H
#define VCP_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/*
 * The public register: one record per filed (or ended) platform, holding
 * only what SPEC §5 lets the public see.  Written by registry_publish
 * whenever a filing is filed, changed, deregistered or revoked; read by
 * the public routes and the exports.
 */

struct db;
struct api_call;

/* One record of the register as the store hands it over. */
struct registry_row {
	int64_t		id;
	const char	*number, *name, *host, *sponsor, *record;
	size_t		number_len, name_len, host_len, sponsor_len,
			record_len;
	const char	*status;	/* filed, deregistered, revoked */
	const char	*filed_on;	/* YYYY-MM-DD */
};

/*
 * The register in a worker's memory (registry_snapshot.c): immutable,
 * reference counted, rebuilt when registry_meta's version moves.  Every
 * answer of the public register is read from one, on the event loop.
 *
 * For a page that shows one record (the register's own routes, an HTML
 * record page):
 *
 *	struct registry_snapshot	*s;
 *	const struct registry_entry	*e;
 *
 *	if ((s = registry_snapshot_acquire()) == NULL)
 *		... not loaded yet: api_defer(call), the pool loads it ...
 *	if ((e = registry_snapshot_find(s, number)) != NULL)
 *		... e->json, e->name, ... valid until the release ...
 *	registry_snapshot_release(s);
 *
 * acquire and release are cheap (a mutex, a counter) and may be called
 * from the event loop and any thread; an entry's strings live as long as
 * the reference.
 */
struct registry_entry {
	const char	*number;
	const char	*name;
	const char	*sponsor;
	const char	*host;
	const char	*status;
	const char	*filed_on;
	const char	*json;		/* the public record, ready JSON */
	size_t		json_len;
	int64_t		filing_id;
};

struct registry_snapshot;

enum registry_status {
	REGISTRY_ANY = -1,
	REGISTRY_FILED = 0,
	REGISTRY_DEREGISTERED,
	REGISTRY_REVOKED
};

/* registry_snapshot.c */
struct registry_snapshot	*registry_snapshot_acquire(void);
void				registry_snapshot_release(
				    struct registry_snapshot *);
const struct registry_entry	*registry_snapshot_find(
				    const struct registry_snapshot *,
				    const char *);
uint64_t			registry_snapshot_version(
				    const struct registry_snapshot *);
size_t				registry_snapshot_count(
				    const struct registry_snapshot *);
const struct registry_entry	*registry_snapshot_entry(
				    const struct registry_snapshot *, size_t);
size_t				registry_snapshot_search(
				    const struct registry_snapshot *,
				    const char *, enum registry_status, size_t,
				    size_t, const struct registry_entry **);
size_t				registry_snapshot_xml_count(
				    const struct registry_snapshot *);
int				registry_snapshot_xml_usable(
				    const struct registry_snapshot *, size_t);
const unsigned char		*registry_snapshot_feed(
				    const struct registry_snapshot *, size_t *);
size_t				registry_snapshot_bytes(
				    const struct registry_snapshot *);
int				registry_snapshot_sync(struct db *);
struct registry_snapshot	*registry_snapshot_make(
				    const struct registry_snapshot *,
				    const struct registry_row *, size_t);
int				registry_snapshot_loop(void);
void				registry_snapshot_drop(void);

/* registry_publish.c */
/* A record ready to be written (the form's strings borrowed). */
struct registry_publication {
	int64_t		id;
	const char	*number;
	const char	*filed_on;
	const char	*status;
	const char	*name;
	const char	*sponsor;
	char		*host;
	char		*record;
};

int	registry_pub_make(struct registry_publication *, int64_t,
	    const char *, const char *, const json_t *, const char *,
	    const char *, json_t *);
void	registry_pub_free(struct registry_publication *);
int	registry_publish(struct db *, int64_t, const char *, const char *,
	    const json_t *, const char *, const char *, json_t *);

/* registry_store.c */
int	registry_store_put(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, const char *, const char *,
	    const char *, uint64_t);
int	registry_store_bump(struct db *, uint64_t *);
int	registry_store_version(struct db *, uint64_t *, uint64_t *);
int	registry_store_scan(struct db *, uint64_t, int (*)(void *,
	    const struct registry_row *), void *);
int	registry_store_events(struct db *, json_t *);

/* registry_http.c: the routes, and the snapshot a route reads */
struct registry_snapshot	*registry_snapshot_call(struct api_call *,
				    struct db *);
enum registry_status		registry_status_parse(const char *);
int	registry_search_prepare(struct api_call *);
void	registry_search(struct api_call *, struct db *);
void	registry_show(struct api_call *, struct db *);
void	registry_export_csv(struct api_call *, struct db *);
void	registry_export_xml(struct api_call *, struct db *);
void	registry_feed(struct api_call *, struct db *);
void	registry_badge_show(struct api_call *, struct db *);

#endif
