#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/netaddr.h"

static int
in_list(const struct netaddr_list *list, const char *addr)
{
	unsigned char	a[16];

	if (inet_pton(AF_INET, addr, a) == 1)
		return (netaddr_list_match(list, AF_INET, a));
	assert_int_equal(inet_pton(AF_INET6, addr, a), 1);
	return (netaddr_list_match(list, AF_INET6, a));
}

static void
test_parse(void **state)
{
	struct netaddr_list	l;

	(void)state;
	assert_true(netaddr_list_parse("", &l));
	assert_int_equal(l.count, 0);
	assert_true(netaddr_list_parse("127.0.0.1", &l));
	assert_int_equal(l.count, 1);
	assert_true(netaddr_list_parse(" 127.0.0.1, ::1\t10.0.0.0/8,,", &l));
	assert_int_equal(l.count, 3);
	assert_int_equal(l.net[2].prefix, 8);
	assert_true(netaddr_list_parse("0.0.0.0/0 ::/0 fd00::/8", &l));

	assert_false(netaddr_list_parse("localhost", &l));
	assert_false(netaddr_list_parse("127.0.0.1 nginx", &l));
	assert_false(netaddr_list_parse("127.0.0.256", &l));
	assert_false(netaddr_list_parse("10.0.0.0/33", &l));
	assert_false(netaddr_list_parse("::/129", &l));
	assert_false(netaddr_list_parse("10.0.0.0/", &l));
	assert_false(netaddr_list_parse("10.0.0.0/-1", &l));
	assert_false(netaddr_list_parse("10.0.0.0/+8", &l));
	assert_false(netaddr_list_parse("10.0.0.0/8x", &l));
	assert_false(netaddr_list_parse("10.0.0.0/99999999999999999999", &l));
	assert_false(netaddr_list_parse("127.1", &l));
	assert_false(netaddr_list_parse("1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8"
	    ":9:0:1:2:3:4:5:6:7:8:9:0:1:2:3:4:5:6:7:8:9:0", &l));
}

static void
test_too_many(void **state)
{
	struct netaddr_list	l;
	char			buf[NETADDR_LIST_MAX * 16 + 32];
	size_t			off;
	int			i;

	(void)state;
	off = 0;
	for (i = 0; i < NETADDR_LIST_MAX; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
		    "10.0.0.%d ", i);
	assert_true(netaddr_list_parse(buf, &l));
	assert_int_equal(l.count, NETADDR_LIST_MAX);
	(void)snprintf(buf + off, sizeof(buf) - off, "10.0.1.0");
	assert_false(netaddr_list_parse(buf, &l));
}

static void
test_match(void **state)
{
	struct netaddr_list	l;

	(void)state;
	assert_true(netaddr_list_parse("127.0.0.1 10.1.128.0/17 fd00:ab::/32"
	    " ::1 192.168.1.77/24", &l));
	assert_true(in_list(&l, "127.0.0.1"));
	assert_false(in_list(&l, "127.0.0.2"));
	assert_true(in_list(&l, "10.1.128.0"));
	assert_true(in_list(&l, "10.1.255.255"));
	assert_false(in_list(&l, "10.1.127.255"));
	assert_false(in_list(&l, "10.2.128.1"));
	assert_true(in_list(&l, "fd00:ab:1::5"));
	assert_false(in_list(&l, "fd00:ac::5"));
	assert_true(in_list(&l, "::1"));
	assert_false(in_list(&l, "::2"));
	/* Host bits in the setting are ignored. */
	assert_true(in_list(&l, "192.168.1.1"));
	assert_false(in_list(&l, "192.168.2.1"));
	/* IPv4 seen through a dual-stack socket. */
	assert_true(in_list(&l, "::ffff:127.0.0.1"));
	assert_false(in_list(&l, "::ffff:127.0.0.2"));
	assert_false(netaddr_list_match(&l, AF_UNIX, "\177\0\0\1"));

	assert_true(netaddr_list_parse("", &l));
	assert_false(in_list(&l, "127.0.0.1"));
	assert_true(netaddr_list_parse("0.0.0.0/0", &l));
	assert_true(in_list(&l, "203.0.113.9"));
	assert_false(in_list(&l, "2001:db8::1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_match),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
