/*
 * The portal's roles: names, bits, and the groups routes grant to.
 */

#include <string.h>

#include "domain/role.h"

static const struct {
	int		role;
	const char	*name;
} roles[] = {
	{ ROLE_OPERATOR,	"operator" },
	{ ROLE_REVIEWER,	"reviewer" },
	{ ROLE_SUPERVISOR,	"supervisor" },
	{ ROLE_ADMIN,		"admin" },
	{ ROLE_OBSERVER_MPS,	"observer_mps" },
	{ ROLE_OBSERVER_CAC,	"observer_cac" },
	{ 0,			NULL }
};

/* Returns the role bit, or 0 for a name that is not a role. */
int
role_parse(const char *name)
{
	int	i;

	if (name == NULL)
		return (0);
	for (i = 0; roles[i].name != NULL; i++) {
		if (!strcmp(roles[i].name, name))
			return (roles[i].role);
	}
	return (0);
}

const char *
role_name(int role)
{
	int	i;

	for (i = 0; roles[i].name != NULL; i++) {
		if (roles[i].role == role)
			return (roles[i].name);
	}
	return ("unknown");
}
