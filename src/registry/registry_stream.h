#ifndef VCP_REGISTRY_STREAM_H
#define VCP_REGISTRY_STREAM_H

struct api_call;
struct registry_snapshot;

int	registry_stream_start(struct api_call *, struct registry_snapshot *,
	    int);

#endif
