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
 * sooner than a Retry-After asks, for ever.  Rows are claimed with
 * a lease, so any number of daemons on any number of hosts can run: none
 * sends a row while another holds it, and a daemon that dies leaves its
 * rows to the others once the lease runs out.  A receiver may still see
 * an event twice (a crash after sending, before recording); it has the
 * event id to drop the copy.
 */

#include <sys/types.h>

#include <errno.h>
#include <inttypes.h>
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

#define BATCH_MAX	1000

static volatile sig_atomic_t	quit;
static char			owner[96];

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

/* Returns the HTTP status, or 0 with err set when there was no answer. */
static long
post(CURL *curl, const char *url, const char *body, const char *event_id,
    int64_t seq, struct answer *ans, char *err, size_t errlen)
{
	struct curl_slist	*h;
	char			hdr[128], cerr[CURL_ERROR_SIZE];
	curl_off_t		after;
	long			status;
	CURLcode		rc;

	h = curl_slist_append(NULL, "Content-Type: application/xml; "
	    "charset=utf-8");
	(void)snprintf(hdr, sizeof(hdr), "X-VCP-Event-Id: %s", event_id);
	h = curl_slist_append(h, hdr);
	(void)snprintf(hdr, sizeof(hdr), "X-VCP-Sequence: %" PRId64, seq);
	h = curl_slist_append(h, hdr);
	h = curl_slist_append(h, "Expect:");

	curl_easy_reset(curl);
	cerr[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)vcp_conf.notify_timeout);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
	    (long)vcp_conf.notify_timeout);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, ans);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
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

	memset(ans, 0, sizeof(*ans));
	rc = curl_easy_perform(curl);
	curl_slist_free_all(h);
	/* A write error after a cut body is our own stop, not a failure. */
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && ans->cut)) {
		(void)snprintf(err, errlen, "%s",
		    cerr[0] != '\0' ? cerr : curl_easy_strerror(rc));
		ans->len = 0;
		return (0);
	}
	status = 0;
	(void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	after = 0;
	if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
	    after > 0)
		ans->retry_after = after > 86400 ? 86400 : (long)after;
	(void)snprintf(err, errlen, "HTTP %ld", status);
	return (status);
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

static void
deliver(struct db *db, CURL *curl, int64_t id)
{
	struct answer	ans;
	char		recipient[8], event_id[40], err[256], *sealed, *xml;
	char		*kept;
	const char	*url;
	int64_t		seq, attempts;
	long		status;
	int		permanent;

	/* 0: another daemon took the row over after our lease ran out. */
	if (notify_store_load(db, id, owner, recipient, sizeof(recipient),
	    event_id, sizeof(event_id), &seq, &sealed) != 1)
		return;
	url = strcmp(recipient, "mps") == 0 ? vcp_conf.notify_mps_url :
	    vcp_conf.notify_cac_url;
	xml = unseal(sealed);
	free(sealed);
	memset(&ans, 0, sizeof(ans));
	if (url[0] == '\0' || xml == NULL) {
		(void)snprintf(err, sizeof(err), "%s", url[0] == '\0' ?
		    "no endpoint configured" : "payload cannot be opened");
		status = 0;
	} else {
		status = post(curl, url, xml, event_id, seq, &ans, err,
		    sizeof(err));
	}
	free(xml);
	if (status >= 200 && status < 300) {
		(void)notify_store_delivered(db, id, owner);
		return;
	}
	permanent = delivery_permanent(status);
	kept = answer_sealed(&ans);
	explicit_bzero(&ans.body, sizeof(ans.body));
	if (permanent) {
		fprintf(stderr, "vcpnotifyd: notification %" PRId64
		    " rejected by %s: HTTP %ld\n", id, recipient, status);
		attempts = 0;
	} else if (!notify_store_attempts(db, id, &attempts))
		attempts = 0;
	(void)notify_store_failed(db, id, owner, err, status, kept, permanent,
	    permanent ? 0 : backoff_us(attempts + 1, ans.retry_after));
	free(kept);
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

int
main(int argc, char **argv)
{
	struct sigaction	sa;
	struct timespec		nap;
	struct db		*db;
	CURL			*curl;
	int64_t			ids[BATCH_MAX];
	char			err[512], host[64];
	time_t			checked;
	int			n, i, once;

	once = argc == 2 && strcmp(argv[1], "--once") == 0;
	if (argc > 1 && !once) {
		fprintf(stderr, "usage: vcpnotifyd [--once]\n");
		return (2);
	}
	if (!config_load(config_path(), &vcp_conf, err, sizeof(err)) ||
	    !seal_init(vcp_conf.data_key_file, err, sizeof(err)) ||
	    !sign_init(vcp_conf.sign_key_file, vcp_conf.sign_cert_file, err,
	    sizeof(err))) {
		fprintf(stderr, "vcpnotifyd: %s\n", err);
		return (2);
	}
	if (gethostname(host, sizeof(host)) == -1)
		(void)snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	(void)snprintf(owner, sizeof(owner), "%s:%ld", host, (long)getpid());

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);

	if (mysql_library_init(0, NULL, NULL) != 0 ||
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    (curl = curl_easy_init()) == NULL)
		return (2);
	fprintf(stderr, "vcpnotifyd: %s started\n", owner);

	db = NULL;
	checked = 0;
	nap.tv_sec = 0;
	nap.tv_nsec = 200 * 1000 * 1000;
	while (!quit) {
		if ((db = reconnect(db)) == NULL) {
			(void)sleep(1);
			continue;
		}
		checkpoint_tick(db, &checked);
		n = notify_store_claim(db, owner, vcp_conf.notify_lease,
		    vcp_conf.notify_batch, ids);
		for (i = 0; i < n && !quit; i++)
			deliver(db, curl, ids[i]);
		if (once && n <= 0)
			break;
		if (n <= 0)
			(void)nanosleep(&nap, NULL);
	}
	fprintf(stderr, "vcpnotifyd: %s stopping\n", owner);
	db_close(db);
	curl_easy_cleanup(curl);
	curl_global_cleanup();
	mysql_library_end();
	return (0);
}
