/*
 * Keys kept outside the database, each in a file of its own: created on
 * first start from the system's randomness, mode 0600, and refused when
 * anyone but the owner may read them.  O_EXCL at creation means two
 * processes starting at once cannot both write a key: the loser reads
 * the winner's.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"

static int
keyfile_create(const char *path, size_t len, char *err, size_t errlen)
{
	uint8_t		key[64];
	int		fd;

	if (len > sizeof(key) || !crypto_random(key, len)) {
		(void)snprintf(err, errlen, "%s: no randomness", path);
		return (0);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		if (errno == EEXIST)
			return (1);
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}
	if (write(fd, key, len) != (ssize_t)len) {
		(void)close(fd);
		(void)unlink(path);
		explicit_bzero(key, sizeof(key));
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (0);
	}
	explicit_bzero(key, sizeof(key));
	(void)fsync(fd);
	(void)close(fd);
	return (1);
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
