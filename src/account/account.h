#ifndef VCP_ACCOUNT_H
#define VCP_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "http/api.h"
#include "domain/account_rules.h"

struct db;
struct api_call;
struct api_principal;

/*
 * The device cookie (OWASP, "Slow Down Online Guessing Attacks with
 * Device Cookies"), sent only to the session route.
 */
#define ACCOUNT_DEVICE_COOKIE	API_DEVICE_COOKIE
#define ACCOUNT_DEVICE_LEN	API_DEVICE_LEN

struct account {
	int64_t		id;
	char		login[72];
	char		role[16];
	/* Room for the longest name in 4-byte characters: never cut. */
	char		display_name[ACCOUNT_NAME_MAX * 4 + 1];
	char		password_hash[256];
	int		active;
};

/* account_store.c: the SQL */
int	account_store_create(struct db *, const char *, const char *,
	    const char *, const char *, int64_t *);
int	account_store_by_login(struct db *, const char *, struct account *);
int	session_store_create(struct db *, const uint8_t *, int64_t,
	    const char *, int, char *, size_t);
int	session_store_delete(struct db *, const uint8_t *);
int	session_resolve(struct db *, const uint8_t *,
	    struct api_principal *);

/* account_http.c: the routes */
int	account_register_prepare(struct api_call *);
void	account_register(struct api_call *, struct db *);
int	session_create_prepare(struct api_call *);
void	session_create(struct api_call *, struct db *);
void	session_show(struct api_call *, struct db *);
void	session_delete(struct api_call *, struct db *);

#endif
