/*
 * Keys kept outside the database, each in a file of its own: created on
 * first start from the system's randomness, mode 0600, and refused when
 * anyone but the owner may read them.  A key is written whole under a
 * name of its own and then linked into place: link(2) fails when the
 * name exists, so two processes starting at once (vcpctl migrations on
 * two hosts sharing a key directory) cannot both publish a key, and the
 * loser never reads the winner's half written.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"

static int
keyfile_create(const char *path, size_t len, char *err, size_t errlen)
{
	uint8_t		key[64];
	char		tmp[PATH_MAX];
	int		fd, ok, n, e;

	if (len > sizeof(key) || !crypto_random(key, len)) {
		(void)snprintf(err, errlen, "%s: no randomness", path);
		return (0);
	}
	n = snprintf(tmp, sizeof(tmp), "%s.%ld.new", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		explicit_bzero(key, sizeof(key));
		(void)snprintf(err, errlen, "%s: name too long", path);
		return (0);
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
	    0600)) == -1) {
		explicit_bzero(key, sizeof(key));
		(void)snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return (0);
	}
	ok = write(fd, key, len) == (ssize_t)len && fsync(fd) == 0;
	explicit_bzero(key, sizeof(key));
	(void)close(fd);
	/* Another process's key got there first: that one is read. */
	if (ok && link(tmp, path) == -1 && errno != EEXIST)
		ok = 0;
	e = errno;
	(void)unlink(tmp);
	if (!ok)
		(void)snprintf(err, errlen, "%s: %s", path, strerror(e));
	return (ok);
}

/* Reads exactly len bytes of key from path, creating the file first. */
int
keyfile_load(const char *path, uint8_t *key, size_t len, char *err,
    size_t errlen)
{
	struct stat	st;
	int		fd;

	if (access(path, F_OK) == -1 &&
	    !keyfile_create(path, len, err, errlen))
		return (0);
	if ((fd = open(path, O_RDONLY)) == -1) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}
	if (fstat(fd, &st) == -1 || (st.st_mode & 077) != 0 ||
	    st.st_size != (off_t)len ||
	    read(fd, key, len) != (ssize_t)len) {
		(void)close(fd);
		(void)snprintf(err, errlen, "%s: must be %zu bytes, mode 0600",
		    path, len);
		return (0);
	}
	(void)close(fd);
	return (1);
}
