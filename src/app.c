/*
 * Kore hooks: read the settings once in the parent (so a bad file stops
 * the start, not a worker later), start each worker's database pool, and
 * widen the worker sandbox by exactly what glibc threads and the MariaDB
 * client need.
 */

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/seccomp.h>
#include <kore/hooks.h>

#include <stdlib.h>

#include "config.h"
#include "crypto/seal.h"
#include "crypto/sign.h"
#include "db/pool.h"
#include "http/api.h"

int	vcp_dispatch(struct http_request *);

KORE_SECCOMP_FILTER("vcp",
	/* glibc's pthread_create and stat family */
	KORE_SYSCALL_ALLOW(clone),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(set_robust_list),
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(statx),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(sched_yield),
	KORE_SYSCALL_ALLOW(getrandom),
	KORE_SYSCALL_ALLOW(eventfd2),
	KORE_SYSCALL_ALLOW(prlimit64),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(uname),
	/* the MariaDB client over its unix socket */
	KORE_SYSCALL_ALLOW(socket),
	KORE_SYSCALL_ALLOW(connect),
	KORE_SYSCALL_ALLOW(getsockopt),
	KORE_SYSCALL_ALLOW(getsockname),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(shutdown),
	KORE_SYSCALL_ALLOW(poll),
	KORE_SYSCALL_ALLOW(recvmsg),
	KORE_SYSCALL_ALLOW(sendmsg),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(pread64),
	KORE_SYSCALL_ALLOW(readlink),
	KORE_SYSCALL_ALLOW(sysinfo),
	KORE_SYSCALL_ALLOW(getppid),
	KORE_SYSCALL_ALLOW(tgkill),
	KORE_SYSCALL_ALLOW(membarrier),
);

void
kore_parent_configure(int argc, char **argv)
{
	char	err[512];

	(void)argc;
	(void)argv;
	if (!config_load(config_path(), &vcp_conf, err, sizeof(err)))
		fatal("configuration: %s", err);
	if (!seal_init(vcp_conf.data_key_file, err, sizeof(err)))
		fatal("data key: %s", err);
	if (!sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err)))
		fatal("signing key: %s", err);
}

void
kore_worker_configure(void)
{
	pool_start();
}

int
vcp_dispatch(struct http_request *req)
{
	return (api_dispatch(req));
}
