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
#include <unistd.h>

#include "account/account.h"
#include "audit/audit.h"
#include "config.h"
#include "crypto/seal.h"
#include "crypto/sign.h"
#include "db/pool.h"
#include "http/api.h"
#include "log.h"
#include "page/page.h"
#include "registry/registry.h"
#include "tipoff/tipoff.h"
#include "watchdog.h"

int	vcp_dispatch(struct http_request *);

/*
 * Kore's kill policy ends only the offending thread, so a call missing
 * here is an outage (a dead pool thread, or a dead event loop), not an
 * error.  The list is what glibc, libmariadb, OpenSSL, libxml2 and
 * jansson may issue on a worker's paths; the test suite runs with
 * seccomp_tracing and fails on any call it reports.
 */
KORE_SECCOMP_FILTER("vcp",
	/* glibc threads: creation, exit, scheduling, cancellation */
	KORE_SYSCALL_ALLOW(clone),
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(set_robust_list),
	KORE_SYSCALL_ALLOW(set_tid_address),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(sched_yield),
	KORE_SYSCALL_ALLOW(getcpu),
	KORE_SYSCALL_ALLOW(membarrier),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(getppid),
	KORE_SYSCALL_ALLOW(tgkill),
	KORE_SYSCALL_ALLOW(tkill),
	/* an interrupted sleep, poll or futex wait resumes through this */
	KORE_SYSCALL_ALLOW(restart_syscall),
	/* malloc: realloc of a large (mmap'd) block moves it with mremap */
	KORE_SYSCALL_ALLOW(mremap),
	/* clocks, when the vDSO is not used */
	KORE_SYSCALL_ALLOW(gettimeofday),
	KORE_SYSCALL_ALLOW(time),
	KORE_SYSCALL_ALLOW(clock_getres),
	/* identity and limits */
	KORE_SYSCALL_ALLOW(getgid),
	KORE_SYSCALL_ALLOW(getegid),
	KORE_SYSCALL_ALLOW(getresuid),
	KORE_SYSCALL_ALLOW(getresgid),
	KORE_SYSCALL_ALLOW(prlimit64),
	KORE_SYSCALL_ALLOW(getrlimit),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(sysinfo),
	KORE_SYSCALL_ALLOW(getrandom),
	KORE_SYSCALL_ALLOW(eventfd2),
	/* files: stat family, directory reads, configuration files */
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(statx),
	KORE_SYSCALL_ALLOW(fstatfs),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(pread64),
	KORE_SYSCALL_ALLOW(readlink),
	KORE_SYSCALL_ALLOW(readlinkat),
	KORE_SYSCALL_ALLOW(faccessat),
	KORE_SYSCALL_ALLOW(faccessat2),
	KORE_SYSCALL_ALLOW(dup),
	/* the MariaDB client over its unix socket */
	KORE_SYSCALL_ALLOW(socket),
	KORE_SYSCALL_ALLOW(connect),
	KORE_SYSCALL_ALLOW(getsockopt),
	KORE_SYSCALL_ALLOW(getsockname),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(shutdown),
	KORE_SYSCALL_ALLOW(poll),
	KORE_SYSCALL_ALLOW(ppoll),
	KORE_SYSCALL_ALLOW(recvmsg),
	KORE_SYSCALL_ALLOW(sendmsg),
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
	if (!audit_init(vcp_conf.audit_key_file, err, sizeof(err)))
		fatal("audit key: %s", err);
	if (!sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err)))
		fatal("signing key: %s", err);
	/*
	 * Here rather than in each worker: a worker's fatal() only gets it
	 * restarted by Kore's parent, again and again, while the parent's
	 * stops the start.  The table is the same in every worker.
	 */
	if (!api_routes_check(api_routes(), err, sizeof(err)))
		fatal("route table: %s", err);
	if (!page_assets_load(vcp_conf.assets_dir, err, sizeof(err)) ||
	    !page_shells_render(err, sizeof(err)))
		fatal("pages: %s", err);
}

/* The dispatcher's record of an attempt, in the audit chain. */
static int
app_record(struct db *db, const struct api_record *r)
{
	struct audit_entry	e;

	e.actor_id = r->actor_id;
	e.actor_role = r->actor_role;
	e.action = r->action;
	e.object = r->object;
	e.outcome = r->outcome;
	e.status = r->status;
	e.client = r->client;
	return (r->commit ? audit_append_commit(db, &e) :
	    audit_append(db, &e));
}

/* Lines from the Kore-free code go to Kore's log. */
static void
app_log(int prio, const char *line)
{
	kore_log(prio, "%s", line);
}

/*
 * The register's look for a new version, and the build of a snapshot
 * when there is one: a pool job, off the event loop; one at a time.
 */
static struct pool_job	app_registry_job;
static int		app_registry_busy;

static void
app_registry_run(struct pool_job *job, struct db *db)
{
	(void)job;
	if (db != NULL)
		(void)registry_snapshot_sync(db);
}

static void
app_registry_done(struct pool_job *job)
{
	(void)job;
	app_registry_busy = 0;
}

static void
app_registry_tick(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	if (app_registry_busy)
		return;
	app_registry_job.run = app_registry_run;
	app_registry_job.done = app_registry_done;
	if (pool_submit(&app_registry_job))
		app_registry_busy = 1;
}

void
kore_worker_configure(void)
{
	vcp_log_sink(app_log);
	api_init(session_resolve, tipoff_session_resolve, app_record);
	api_set_missing_page(page_not_found);
	pool_start();
	watchdog_start(vcp_conf.worker_watchdog);
	if (vcp_conf.registry_refresh > 0) {
		app_registry_tick(NULL, 0);
		if (kore_timer_add(app_registry_tick,
		    (u_int64_t)vcp_conf.registry_refresh * 1000, NULL,
		    0) == NULL)
			fatal("registry timer");
	}
}

/*
 * Kore unloads the module after this: no thread of ours may still run
 * its code then.  A database thread stuck past its time-out leaves the
 * worker no clean way out but the quick one.
 */
void
kore_worker_teardown(void)
{
	watchdog_stop();
	if (!pool_stop())
		_exit(0);
	registry_snapshot_drop();
}

int
vcp_dispatch(struct http_request *req)
{
	return (api_dispatch(req));
}
