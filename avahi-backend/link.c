/*
 * Keeps an AvahiClient connected. AVAHI_CLIENT_NO_FAIL makes the client wait
 * for avahi-daemon instead of failing; when the daemon (or D-Bus) goes away
 * the client fails and is rebuilt after a back-off that doubles to 30 s.
 */
#include "dots-avahi.h"

#include <avahi-common/error.h>
#include <avahi-common/timeval.h>
#include <syslog.h>

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000

static void connect_now(struct dav_link *l);

static void go_down(struct dav_link *l)
{
	if (l->up) {
		l->up = false;
		l->ops->down(l->ctx);
	}
}

static void schedule_retry(struct dav_link *l)
{
	struct timeval tv;
	avahi_elapse_time(&tv, l->backoff_ms, 0);
	dav_log(LOG_INFO, "reconnecting to avahi-daemon in %u ms", l->backoff_ms);
	l->poll->timeout_update(l->retry, &tv);
	l->backoff_ms = l->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff_ms * 2;
}

static void on_state(AvahiClient *c, AvahiClientState state, void *ud)
{
	struct dav_link *l = ud;
	switch (state) {
	case AVAHI_CLIENT_S_RUNNING:
		l->backoff_ms = BACKOFF_FIRST_MS;
		if (!l->up) {
			dav_log(LOG_INFO, "avahi-daemon is running");
			l->up = true;
			l->ops->up(l->ctx, c);
		}
		break;
	case AVAHI_CLIENT_S_REGISTERING:
	case AVAHI_CLIENT_S_COLLISION:
		/* The host name changes: published records must be redone. */
		go_down(l);
		break;
	case AVAHI_CLIENT_CONNECTING:
		go_down(l);
		dav_log(LOG_INFO, "waiting for avahi-daemon");
		break;
	case AVAHI_CLIENT_FAILURE:
		dav_log(LOG_WARNING, "avahi client: %s", avahi_strerror(avahi_client_errno(c)));
		go_down(l);
		/* Not freed here: we are inside its callback. The retry timer frees it. */
		schedule_retry(l);
		break;
	}
}

static void connect_now(struct dav_link *l)
{
	int err;
	if (l->client) {
		avahi_client_free(l->client);
		l->client = NULL;
	}
	l->client = avahi_client_new(l->poll, AVAHI_CLIENT_NO_FAIL, on_state, l, &err);
	if (!l->client) {
		dav_log(LOG_WARNING, "cannot reach D-Bus / avahi: %s", avahi_strerror(err));
		schedule_retry(l);
	}
}

static void on_retry(AvahiTimeout *t, void *ud)
{
	struct dav_link *l = ud;
	l->poll->timeout_update(t, NULL);
	connect_now(l);
}

void dav_link_start(struct dav_link *l, const AvahiPoll *poll, const struct dav_link_ops *ops,
		    void *ctx)
{
	*l = (struct dav_link){.poll = poll, .ops = ops, .ctx = ctx, .backoff_ms = BACKOFF_FIRST_MS};
	l->retry = poll->timeout_new(poll, NULL, on_retry, l);
	connect_now(l);
}

void dav_link_stop(struct dav_link *l)
{
	go_down(l);
	if (l->client)
		avahi_client_free(l->client);
	l->client = NULL;
	if (l->retry)
		l->poll->timeout_free(l->retry);
	l->retry = NULL;
}
