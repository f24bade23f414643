#ifndef VCP_ROLE_H
#define VCP_ROLE_H

#include <stdint.h>

/* Roles as bits, so a route states the set it admits as one mask. */
#define ROLE_OPERATOR		0x01
#define ROLE_REVIEWER		0x02
#define ROLE_SUPERVISOR		0x04
#define ROLE_ADMIN		0x08
#define ROLE_OBSERVER_MPS	0x10
#define ROLE_OBSERVER_CAC	0x20

#define ROLE_REGULATOR		(ROLE_REVIEWER | ROLE_SUPERVISOR)
#define ROLE_OBSERVER		(ROLE_OBSERVER_MPS | ROLE_OBSERVER_CAC)
#define ROLE_ANY		0x3f

/*
 * Who acts in an operation of the service layer: an account and the
 * role it acts in (the dispatcher's principal, or vcpctl's own).
 */
struct actor {
	int64_t		account_id;
	int		role;
};

int		role_parse(const char *);
const char	*role_name(int);

#endif
