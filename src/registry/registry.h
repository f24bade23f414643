#ifndef VCP_REGISTRY_H
#define VCP_REGISTRY_H

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

/* registry_publish.c */
int	registry_publish(struct db *, int64_t, const char *, const char *,
	    const json_t *, const char *, const char *, json_t *);

/* registry_store.c */
int	registry_store_put(struct db *, int64_t, const char *, const char *,
	    const char *, const char *, const char *, const char *);
int	registry_store_get(struct db *, const char *, json_t **);
int	registry_store_all(struct db *, json_t *);
int	registry_store_events(struct db *, json_t *);
int	registry_store_search(struct db *, const char *, const char *, int,
	    int, json_t *, int64_t *);

/* registry_http.c: the routes */
int	registry_search_prepare(struct api_call *);
void	registry_search(struct api_call *, struct db *);
void	registry_show(struct api_call *, struct db *);
void	registry_export_csv(struct api_call *, struct db *);
void	registry_export_xml(struct api_call *, struct db *);
void	registry_feed(struct api_call *, struct db *);
void	registry_badge_show(struct api_call *, struct db *);

#endif
