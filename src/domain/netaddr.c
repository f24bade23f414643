/*
 * IP networks as written in settings: an address (a single host) or
 * address/prefix, IPv4 or IPv6, separated by spaces, tabs or commas.
 */

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "domain/netaddr.h"

/* An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d. */
static const unsigned char	netaddr_v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static int
netaddr_net_parse(const char *s, size_t len, struct netaddr_net *n)
{
	char		buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long		prefix;
	int		bits, i, keep;

	if (len == 0 || len >= sizeof(buf))
		return (0);
	memcpy(buf, s, len);
	buf[len] = '\0';

	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, buf, n->addr) == 1) {
		n->family = AF_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, buf, n->addr) == 1) {
		n->family = AF_INET6;
		bits = 128;
	} else {
		return (0);
	}

	n->prefix = bits;
	if (slash != NULL) {
		if (*slash < '0' || *slash > '9')
			return (0);
		prefix = strtol(slash, &end, 10);
		if (*end != '\0' || prefix > bits)
			return (0);
		n->prefix = (int)prefix;
	}

	/* Clear the host bits, so that matching compares whole bytes. */
	for (i = 0; i < bits / 8; i++) {
		keep = n->prefix - i * 8;
		if (keep >= 8)
			continue;
		n->addr[i] &= keep <= 0 ? 0 :
		    (unsigned char)(0xff << (8 - keep));
	}
	return (1);
}

/* Returns 1 with the list filled, or 0 if any entry is not a network. */
int
netaddr_list_parse(const char *s, struct netaddr_list *list)
{
	size_t		len;

	memset(list, 0, sizeof(*list));
	for (;;) {
		s += strspn(s, " \t,");
		if (*s == '\0')
			return (1);
		len = strcspn(s, " \t,");
		if (list->count == NETADDR_LIST_MAX ||
		    !netaddr_net_parse(s, len, &list->net[list->count]))
			return (0);
		list->count++;
		s += len;
	}
}

static int
netaddr_net_match(const struct netaddr_net *n, const unsigned char *addr)
{
	int		full, rest;

	full = n->prefix / 8;
	rest = n->prefix % 8;
	if (memcmp(n->addr, addr, (size_t)full) != 0)
		return (0);
	if (rest == 0)
		return (1);
	return (((n->addr[full] ^ addr[full]) &
	    (unsigned char)(0xff << (8 - rest))) == 0);
}

/*
 * Whether an address (a struct in_addr or in6_addr, by family) lies in one
 * of the list's networks.
 */
int
netaddr_list_match(const struct netaddr_list *list, int family,
    const void *addr)
{
	const unsigned char	*a;
	int			i, fam;

	a = addr;
	fam = family;
	if (fam == AF_INET6 && !memcmp(a, netaddr_v4mapped,
	    sizeof(netaddr_v4mapped))) {
		fam = AF_INET;
		a += sizeof(netaddr_v4mapped);
	}
	if (fam != AF_INET && fam != AF_INET6)
		return (0);
	for (i = 0; i < list->count; i++) {
		if (list->net[i].family == fam &&
		    netaddr_net_match(&list->net[i], a))
			return (1);
	}
	return (0);
}
