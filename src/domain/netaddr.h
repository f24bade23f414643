#ifndef VCP_NETADDR_H
#define VCP_NETADDR_H

/*
 * Lists of IP networks ("127.0.0.1 ::1, 10.0.0.0/8"), for settings such as
 * trusted_proxies: parsed once when the settings are read, matched per
 * request without allocating.
 */

#define NETADDR_LIST_MAX	32

struct netaddr_net {
	int		family;		/* AF_INET or AF_INET6 */
	unsigned char	addr[16];	/* network order, host bits 0 */
	int		prefix;		/* bits that must match */
};

struct netaddr_list {
	struct netaddr_net	net[NETADDR_LIST_MAX];
	int			count;
};

int	netaddr_list_parse(const char *, struct netaddr_list *);
int	netaddr_list_match(const struct netaddr_list *, int, const void *);

#endif
