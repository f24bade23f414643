#ifndef VCP_CALENDAR_STORE_H
#define VCP_CALENDAR_STORE_H

#include <stdint.h>

#include <jansson.h>

struct db;
struct calendar;
struct cal_notice;
struct api_call;

int	calendar_store_version(struct db *, uint64_t *);
int	calendar_store_version_locked(struct db *, uint64_t *);
int	calendar_store_load(struct db *, struct calendar **);
int	calendar_store_same(struct db *, const struct cal_notice *,
	    const char *);
int	calendar_store_save(struct db *, const struct cal_notice *,
	    const char *);

struct calsnap;
struct calsnap	*calcache_get(struct db *, const struct calendar **);
struct calsnap	*calcache_peek(const struct calendar **);
struct calsnap	*calcache_get_synced(struct db *, const struct calendar **);
void		calcache_put(struct calsnap *);

/* calendar_status.c */
json_t	*calendar_warning(const struct calendar *, int32_t);
json_t	*calendar_status_json(const struct calendar *, int32_t);
void	calendar_pending_set(json_t *, int);
int	calendar_pending_year(const struct calendar *, int32_t, int);

void	calendar_deadline(struct api_call *, struct db *);
void	calendar_years(struct api_call *, struct db *);
int	calendar_deadline_prepare(struct api_call *);

#endif
