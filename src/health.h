#ifndef VCP_HEALTH_H
#define VCP_HEALTH_H

struct api_call;
struct db;

void	health_check(struct api_call *, struct db *);
void	health_sleep(struct api_call *, struct db *);
void	health_sandbox(struct api_call *, struct db *);
void	health_feed_event(struct api_call *, struct db *);

#endif
