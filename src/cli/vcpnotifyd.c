/*
 * vcpnotifyd: delivers the outbox to the Ministry of Public Security and
 * the Cyberspace Administration.
 *
 * Each row is POSTed to its recipient's endpoint; a 2xx answer marks it
 * delivered.  A permanent refusal (4xx other than 408 and 429: the same
 * bytes will be refused again) marks it rejected with the receiver's
 * answer, and its filing's later events for that recipient wait until a
 * supervisor sends it again.  Anything else (no answer in time, 5xx, 408,
 * 429) schedules another try with exponential back-off and jitter, no
 * sooner than a Retry-After asks, for ever.  Rows are claimed in
 * batches with a lease taken by a write (notify_store_claim), so any
 * number of daemons on any number of hosts and Galera nodes can run: none
 * sends a row while another holds it, and a daemon that dies leaves its
 * rows to the others once the lease runs out.  A batch holds at most one
 * row per subject and recipient, so its rows are sent at once over up to
 * DELIVER_PARALLEL connections (curl's multi interface), and the results
 * are written in one transaction.  DELIVER_LANES such loops run at once,
 * each with its own connection, so one lane's claim and results overlap
 * another's sends; as far as leases go each is a daemon of its own.  A
 * batch renews its lease while it is sent and before its results are
 * recorded (lease_keep), so a slow receiver or a loaded machine does not
 * let another daemon take rows that are being sent.  A receiver may
 * still see an event twice (a crash, or a stall longer than the lease,
 * after sending and before recording); it has the event id to drop the
 * copy.
 *
 * Each round also seals the audit queue into the chain (audit_seal) and
 * gives committed events their feed positions (notify_store_sequence).
 */

#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <mysql.h>

#include "audit/audit.h"
#include "config.h"
#include "crypto/crypto.h"
#include "crypto/seal.h"
#include "crypto/sign.h"
#include "db/db.h"
#include "domain/delivery.h"
#include "notify/notify.h"

#define BATCH_MAX		1000
#define DELIVER_LANES		2
/*
 * Connections at once, per lane: the daemon's 32 shared among its lanes,
 * so that a receiver sees no more than one lane did.
 */
#define DELIVER_PARALLEL	(32 / DELIVER_LANES)
/* Sealing and sequencing, at most this often (ms) while busy. */
#define HOUSEKEEPING_MS		100

static volatile sig_atomic_t	quit;
static char			owner[48];

/* One delivery loop: its connection, transfers and batch. */
struct lane {
	int			id;
	int			once;
	int			started;	/* has a thread of its own */
	pthread_t		thread;
	struct db		*db;
	CURLM			*multi;
	CURL			*easy[BATCH_MAX];
	struct send		*sends;
	struct notify_claim	rows[BATCH_MAX];
	uint64_t		batch;
};

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* The start of a receiver's answer body; reading stops after it. */
struct answer {
	char	body[DELIVERY_ANSWER_MAX];
	size_t	len;
	int	cut;
	long	retry_after;
};

static size_t
keep(char *p, size_t size, size_t n, void *arg)
{
	struct answer	*a;
	size_t		room;

	a = arg;
	n *= size;
	room = sizeof(a->body) - a->len;
	if (n > room) {
		/* Less than n makes curl stop reading: the rest is unbounded. */
		memcpy(a->body + a->len, p, room);
		a->len += room;
		a->cut = 1;
		return (0);
	}
	memcpy(a->body + a->len, p, n);
	a->len += n;
	return (n);
}

/* One row of a batch on its way. */
struct send {
	struct notify_claim	row;
	struct answer		ans;
	struct curl_slist	*hdrs;
	char			*xml;
	char			cerr[CURL_ERROR_SIZE];
	char			err[256];
	long			status;
	int			ready;		/* set up: may be sent */
	int			state;		/* 0 waiting, 1 sending, 2 done */
};

/* Prepares the POST of one row on easy; 0 when it cannot be sent. */
static int
post_setup(CURL *curl, struct send *s)
{
	char		hdr[128];
	const char	*url;

	url = strcmp(s->row.recipient, "mps") == 0 ? vcp_conf.notify_mps_url :
	    vcp_conf.notify_cac_url;
	s->xml = unseal(s->row.payload);
	if (url[0] == '\0' || s->xml == NULL) {
		(void)snprintf(s->err, sizeof(s->err), "%s", url[0] == '\0' ?
		    "no endpoint configured" : "payload cannot be opened");
		return (0);
	}
	s->hdrs = curl_slist_append(NULL, "Content-Type: application/xml; "
	    "charset=utf-8");
	(void)snprintf(hdr, sizeof(hdr), "X-VCP-Event-Id: %s",
	    s->row.event_id);
	s->hdrs = curl_slist_append(s->hdrs, hdr);
	(void)snprintf(hdr, sizeof(hdr), "X-VCP-Sequence: %" PRId64,
	    s->row.seq);
	s->hdrs = curl_slist_append(s->hdrs, hdr);
	s->hdrs = curl_slist_append(s->hdrs, "Expect:");

	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, s->xml);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(s->xml));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)vcp_conf.notify_timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    (long)vcp_conf.notify_timeout);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s->ans);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, s->cerr);
	curl_easy_setopt(curl, CURLOPT_PRIVATE, s);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Production: mutual TLS with the ministries' endpoints. */
	if (vcp_conf.notify_client_cert[0] != '\0') {
		curl_easy_setopt(curl, CURLOPT_SSLCERT,
		    vcp_conf.notify_client_cert);
		curl_easy_setopt(curl, CURLOPT_SSLKEY,
		    vcp_conf.notify_client_key);
	}
	if (vcp_conf.notify_ca_file[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, vcp_conf.notify_ca_file);
	return (1);
}

/* The HTTP status of a finished transfer, or 0 with err set. */
static void
post_result(CURL *curl, CURLcode rc, struct send *s)
{
	curl_off_t	after;
	long		status;

	/* A write error after a cut body is our own stop, not a failure. */
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && s->ans.cut)) {
		(void)snprintf(s->err, sizeof(s->err), "%s",
		    s->cerr[0] != '\0' ? s->cerr : curl_easy_strerror(rc));
		s->ans.len = 0;
		s->status = 0;
		return;
	}
	status = 0;
	(void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	after = 0;
	if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
	    after > 0)
		s->ans.retry_after = after > 86400 ? 86400 : (long)after;
	(void)snprintf(s->err, sizeof(s->err), "HTTP %ld", status);
	s->status = status;
}

/*
 * 2^attempts seconds up to the maximum, half of it random, and no less
 * than the receiver's Retry-After (still capped by the maximum).
 */
static int64_t
backoff_us(int64_t attempts, long retry_after)
{
	int64_t		base, max, delay;
	uint32_t	r;

	max = (int64_t)vcp_conf.notify_backoff_max * 1000000;
	base = 1000000;
	while (attempts-- > 0 && base < max)
		base *= 2;
	if (base > max)
		base = max;
	if (!crypto_random(&r, sizeof(r)))
		r = 0;
	delay = base / 2 + (int64_t)(r % (uint32_t)(base / 2 + 1));
	if ((int64_t)retry_after * 1000000 > delay)
		delay = (int64_t)retry_after * 1000000;
	return (delay > max ? max : delay);
}

/* The answer as kept: printable, bounded, sealed; NULL if none. */
static char *
answer_sealed(const struct answer *ans)
{
	char	text[DELIVERY_TEXT_LEN(DELIVERY_ANSWER_MAX)], *s;
	size_t	n;

	if (ans->len == 0)
		return (NULL);
	n = delivery_answer_text(ans->body, ans->len, ans->cut, text,
	    sizeof(text));
	s = seal(text, n);
	explicit_bzero(text, sizeof(text));
	return (s);
}

static int64_t	now_ms(void);

/* A batch's lease, renewed once a third of it has passed since *at. */
struct lease {
	struct db	*db;
	const char	*token;
	int64_t		at;
};

/*
 * A failed renewal is not fatal: the rows the lease still covers are
 * the batch's, and a row another daemon took over is no longer marked
 * by this one's results.
 */
static void
lease_keep(struct lease *ls)
{
	int64_t	now;

	now = now_ms();
	if (now - ls->at < (int64_t)vcp_conf.notify_lease * 1000 / 3)
		return;
	if (notify_store_renew(ls->db, ls->token, vcp_conf.notify_lease))
		ls->at = now;
}

/*
 * Sends the batch, DELIVER_PARALLEL at a time.  A transfer starts only
 * before deadline, so that it ends (notify_timeout) while the batch's
 * lease still holds, and the lease is renewed while transfers run: no
 * other daemon can claim a row while it is being sent.  Rows not
 * started by then are given back untried.
 */
static void
send_all(CURLM *multi, CURL **easy, struct send *sends, int n,
    int64_t deadline, struct lease *ls)
{
	CURLMsg		*m;
	struct send	*s;
	int		next, inflight, running, left;

	next = inflight = 0;
	for (;;) {
		for (; inflight < DELIVER_PARALLEL && next < n &&
		    now_ms() < deadline; next++) {
			if (!sends[next].ready)
				continue;
			if (curl_multi_add_handle(multi, easy[next]) !=
			    CURLM_OK)
				continue;
			sends[next].state = 1;
			inflight++;
		}
		if (inflight == 0)
			break;
		lease_keep(ls);
		if (curl_multi_perform(multi, &running) != CURLM_OK)
			break;
		while ((m = curl_multi_info_read(multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			s = NULL;
			(void)curl_easy_getinfo(m->easy_handle,
			    CURLINFO_PRIVATE, (char **)&s);
			post_result(m->easy_handle, m->data.result, s);
			s->state = 2;
			inflight--;
			curl_multi_remove_handle(multi, m->easy_handle);
		}
		if (inflight > 0 && curl_multi_poll(multi, NULL, 0, 100,
		    NULL) != CURLM_OK)
			break;
	}
}

/* Records one row's result in the results' transaction. */
static int
record(struct db *db, const char *token, struct send *s)
{
	char	*kept;
	int	permanent, ok;

	if (s->state == 2 && s->status >= 200 && s->status < 300)
		return (1);
	/* Not started in time (or curl gave up on it): back, untried. */
	if (s->ready && s->state != 2)
		return (notify_store_release(db, s->row.id, token));
	permanent = delivery_permanent(s->status);
	kept = answer_sealed(&s->ans);
	if (permanent)
		fprintf(stderr, "vcpnotifyd: notification %" PRId64
		    " rejected by %s: HTTP %ld\n", s->row.id, s->row.recipient,
		    s->status);
	ok = notify_store_failed(db, s->row.id, token, s->err, s->status,
	    kept, permanent, permanent ? 0 :
	    backoff_us(s->row.attempts + 1, s->ans.retry_after));
	free(kept);
	return (ok);
}

/*
 * Failures first, one statement each; then every row still under the
 * lease is one that was delivered.  Retried whole, after a pause, if it
 * loses to a deadlock (db_again): the other daemons' claims scan the
 * same rows, and results given up leave rows that were sent to be sent
 * again once their lease ends.
 */
static void
record_all(struct db *db, const char *token, struct send *sends, int n)
{
	int	tries, i, ok;

	tries = 0;
	do {
		ok = db_begin(db);
		for (i = 0; ok && i < n; i++)
			ok = record(db, token, &sends[i]);
		if (ok && notify_store_delivered(db, token, owner) &&
		    db_commit(db))
			return;
	} while (db_again(db, &tries));
	fprintf(stderr, "vcpnotifyd: results not recorded (%u); the rows "
	    "return when their lease ends\n", db_errno(db));
}

/*
 * One batch: claim, load, send at once, record.  Returns the rows
 * claimed, or -1.
 */
static int
deliver_batch(struct lane *l)
{
	struct db		*db = l->db;
	struct lease		ls;
	struct notify_claim	*rows = l->rows;
	struct send		*sends = l->sends;
	CURL			**easy = l->easy;
	char			token[80];
	int64_t			deadline;
	int			claimed, n, i;

	/* The lease is counted from the claim, which comes after this. */
	deadline = now_ms() + ((int64_t)vcp_conf.notify_lease -
	    vcp_conf.notify_timeout) * 1000;
	(void)snprintf(token, sizeof(token), "%s/%d/%" PRIu64, owner, l->id,
	    ++l->batch);
	ls.db = db;
	ls.token = token;
	ls.at = now_ms();
	claimed = notify_store_claim(db, token, vcp_conf.notify_lease,
	    vcp_conf.notify_batch);
	if (claimed <= 0)
		return (claimed);
	/*
	 * Every claimed row must be in hand: the results mark whatever is
	 * still under the lease delivered.  Short (no memory, or a lease
	 * that ran out and was taken over): give the batch back.
	 */
	if ((n = notify_store_claimed(db, token, rows, BATCH_MAX)) != claimed) {
		for (i = 0; i < n; i++)
			free(rows[i].payload);
		(void)notify_store_release_all(db, token);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		memset(&sends[i], 0, sizeof(sends[i]));
		sends[i].row = rows[i];
		(void)snprintf(sends[i].err, sizeof(sends[i].err), "not sent");
		if (easy[i] == NULL && (easy[i] = curl_easy_init()) == NULL)
			(void)snprintf(sends[i].err, sizeof(sends[i].err),
			    "out of memory");
		else
			sends[i].ready = post_setup(easy[i], &sends[i]);
	}
	send_all(l->multi, easy, sends, n, deadline, &ls);
	/* The results get two thirds of a lease at least. */
	lease_keep(&ls);
	record_all(db, token, sends, n);
	for (i = 0; i < n; i++) {
		if (sends[i].state == 1)
			curl_multi_remove_handle(l->multi, easy[i]);
		curl_slist_free_all(sends[i].hdrs);
		if (sends[i].xml != NULL)
			explicit_bzero(sends[i].xml, strlen(sends[i].xml));
		free(sends[i].xml);
		free(sends[i].row.payload);
		explicit_bzero(&sends[i].ans, sizeof(sends[i].ans));
	}
	return (claimed);
}

static struct db *
reconnect(struct db *db)
{
	char	err[512];

	if (db != NULL && db_alive(db))
		return (db);
	db_close(db);
	if ((db = db_connect(&vcp_conf, 0, err, sizeof(err))) == NULL)
		fprintf(stderr, "vcpnotifyd: %s\n", err);
	return (db);
}

/*
 * Every audit_checkpoint_interval seconds, a checkpoint of the audit
 * chain for MPS and CAC; the head's row lock lets one daemon of many
 * take it.  Looked at once a minute at most.
 */
static void
checkpoint_tick(struct db *db, time_t *last)
{
	uint64_t	row;
	time_t		now;
	int		r;

	now = time(NULL);
	if (vcp_conf.audit_checkpoint_interval == 0 || now - *last < 60)
		return;
	*last = now;
	if (!db_begin(db))
		return;
	r = audit_checkpoint(db, 0, vcp_conf.audit_checkpoint_interval, &row);
	if (r == 1 && db_commit(db)) {
		fprintf(stderr, "vcpnotifyd: audit checkpoint of row %llu\n",
		    (unsigned long long)row);
		return;
	}
	if (r < 0)
		fprintf(stderr, "vcpnotifyd: audit checkpoint failed: %u\n",
		    db_errno(db));
	(void)db_rollback(db);
}

static int64_t
now_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * The audit queue sealed into the chain, committed events given their
 * feed positions, and a checkpoint when one is due: at most every
 * HOUSEKEEPING_MS.  Any of them may lose a race to another daemon (a
 * deadlock or, on Galera, a certification failure): the next round
 * catches up.
 */
static void
housekeeping(struct db *db, int64_t *last, time_t *checked)
{
	static int64_t		warned = -3600 * 1000;
	const char *const	*r;
	char			report[256];
	int64_t			now;
	int			n, ok;

	now = now_ms();
	if (now - *last < HOUSEKEEPING_MS)
		return;
	*last = now;
	/* A forged head stops sealing until someone looks: say so hourly. */
	if (audit_seal(db, report, sizeof(report)) < 0 && report[0] != '\0' &&
	    now - warned >= 3600 * 1000) {
		warned = now;
		fprintf(stderr, "vcpnotifyd: audit chain not sealed: %s\n",
		    report);
	}
	if (db_begin(db)) {
		ok = 1;
		n = 0;
		for (r = notify_ministries; ok && *r != NULL; r++) {
			int	k;

			if ((k = notify_store_sequence(db, *r)) < 0)
				ok = 0;
			else
				n += k;
		}
		if (!ok || n == 0 || !db_commit(db))
			(void)db_rollback(db);
	}
	checkpoint_tick(db, checked);
}

/* A lane's transfers; 0 when out of memory. */
static int
lane_init(struct lane *l, int id, int once)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->once = once;
	if ((l->multi = curl_multi_init()) == NULL ||
	    (l->sends = calloc(BATCH_MAX, sizeof(*l->sends))) == NULL)
		return (0);
	curl_multi_setopt(l->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)DELIVER_PARALLEL);
	curl_multi_setopt(l->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)DELIVER_PARALLEL);
	return (1);
}

static void
lane_free(struct lane *l)
{
	int	i;

	db_close(l->db);
	for (i = 0; i < BATCH_MAX; i++) {
		if (l->easy[i] != NULL)
			curl_easy_cleanup(l->easy[i]);
	}
	if (l->multi != NULL)
		curl_multi_cleanup(l->multi);
	free(l->sends);
}

/*
 * A lane's loop until told to stop.  The first lane also keeps house, so
 * that sealing and sequencing run once per daemon.
 */
static void *
lane_run(void *arg)
{
	struct lane	*l = arg;
	struct timespec	nap;
	time_t		checked;
	int64_t		kept;
	int		n;

	(void)mysql_thread_init();
	checked = 0;
	kept = 0;
	nap.tv_sec = 0;
	nap.tv_nsec = 200 * 1000 * 1000;
	while (!quit) {
		if ((l->db = reconnect(l->db)) == NULL) {
			(void)sleep(1);
			continue;
		}
		if (l->id == 0)
			housekeeping(l->db, &kept, &checked);
		n = deliver_batch(l);
		if (l->once && n <= 0)
			break;
		if (n <= 0)
			(void)nanosleep(&nap, NULL);
	}
	mysql_thread_end();
	return (NULL);
}

int
main(int argc, char **argv)
{
	struct sigaction	sa;
	sigset_t		all, old;
	struct lane		*lanes;
	char			err[512], host[64];
	int			i, n, once, ok;

	once = argc == 2 && strcmp(argv[1], "--once") == 0;
	if (argc > 1 && !once) {
		fprintf(stderr, "usage: vcpnotifyd [--once]\n");
		return (2);
	}
	if (!config_load(config_path(), &vcp_conf, err, sizeof(err)) ||
	    !seal_init(vcp_conf.data_key_file, err, sizeof(err)) ||
	    !audit_init(vcp_conf.audit_key_file, err, sizeof(err)) ||
	    !sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err))) {
		fprintf(stderr, "vcpnotifyd: %s\n", err);
		return (2);
	}
	if (gethostname(host, sizeof(host)) == -1)
		(void)snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	(void)snprintf(owner, sizeof(owner), "%.32s:%ld", host,
	    (long)getpid());

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);

	/* --once: one pass of one lane, for scripts and tests. */
	n = once ? 1 : DELIVER_LANES;
	if (mysql_library_init(0, NULL, NULL) != 0 ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (lanes = calloc((size_t)n, sizeof(*lanes))) == NULL)
		return (2);
	ok = 1;
	for (i = 0; ok && i < n; i++)
		ok = lane_init(&lanes[i], i, once);
	if (!ok)
		return (2);
	fprintf(stderr, "vcpnotifyd: %s started\n", owner);
	/*
	 * Signals go to the main thread, which runs the first lane: the
	 * others start with every signal blocked.
	 */
	(void)sigfillset(&all);
	(void)pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 1; i < n; i++) {
		lanes[i].started = pthread_create(&lanes[i].thread, NULL,
		    lane_run, &lanes[i]) == 0;
		if (!lanes[i].started)
			fprintf(stderr, "vcpnotifyd: lane %d not started\n", i);
	}
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	(void)lane_run(&lanes[0]);
	for (i = 1; i < n; i++) {
		if (lanes[i].started)
			(void)pthread_join(lanes[i].thread, NULL);
	}
	fprintf(stderr, "vcpnotifyd: %s stopping\n", owner);
	for (i = 0; i < n; i++)
		lane_free(&lanes[i]);
	free(lanes);
	curl_global_cleanup();
	mysql_library_end();
	return (0);
}
