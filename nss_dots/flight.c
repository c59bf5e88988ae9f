/* Single-flight discovery (flight.h). */
#include "flight.h"

#include <bsd/string.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

struct flight {
	bool busy;
	enum dots_role role;
	char ifname[IF_NAMESIZE];
	unsigned ticket; /* nonzero while busy: which flight */
	time_t started;  /* CLOCK_MONOTONIC seconds */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t landed; /* on CLOCK_MONOTONIC: set up below */
static struct flight flights[DOTS_FLIGHT_SLOTS];
static unsigned next_ticket;

static void init_cond(void)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&landed, &a);
	pthread_condattr_destroy(&a);
}

__attribute__((constructor)) static void flight_init(void)
{
	init_cond();
}

static struct flight *find(enum dots_role role, const char *ifname)
{
	for (size_t i = 0; i < DOTS_FLIGHT_SLOTS; i++)
		if (flights[i].busy && flights[i].role == role && strcmp(flights[i].ifname, ifname) == 0)
			return &flights[i];
	return NULL;
}

static time_t monotonic_sec(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

bool dots_flight_board(enum dots_role role, const char *ifname, unsigned *ticket)
{
	time_t now = monotonic_sec();
	pthread_mutex_lock(&lock);
	struct flight *f = find(role, ifname);
	if (f && now - f->started < DOTS_FLIGHT_ABANDONED_S) {
		*ticket = f->ticket;
		pthread_mutex_unlock(&lock);
		return false;
	}
	if (f) { /* its leader never landed: waiters wake, this caller leads */
		f->busy = false;
		pthread_cond_broadcast(&landed);
	}
	*ticket = 0;
	for (size_t i = 0; i < DOTS_FLIGHT_SLOTS; i++) {
		if (flights[i].busy)
			continue;
		f = &flights[i];
		f->busy = true;
		f->role = role;
		strlcpy(f->ifname, ifname, sizeof f->ifname);
		if (++next_ticket == 0)
			++next_ticket;
		f->ticket = *ticket = next_ticket;
		f->started = now;
		break;
	}
	pthread_mutex_unlock(&lock);
	return true;
}

void dots_flight_land(enum dots_role role, const char *ifname, unsigned ticket)
{
	if (!ticket)
		return;
	pthread_mutex_lock(&lock);
	struct flight *f = find(role, ifname);
	if (f && f->ticket == ticket)
		f->busy = false;
	pthread_cond_broadcast(&landed);
	pthread_mutex_unlock(&lock);
}

bool dots_flight_wait(enum dots_role role, const char *ifname, unsigned ticket,
		      const struct timespec *deadline)
{
	pthread_mutex_lock(&lock);
	bool done;
	for (;;) {
		struct flight *f = find(role, ifname);
		done = !f || f->ticket != ticket;
		if (done || pthread_cond_timedwait(&landed, &lock, deadline) == ETIMEDOUT)
			break;
	}
	if (!done) { /* the deadline: one last look */
		struct flight *f = find(role, ifname);
		done = !f || f->ticket != ticket;
	}
	pthread_mutex_unlock(&lock);
	return done;
}

void dots_flight_fork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

void dots_flight_fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

void dots_flight_fork_child(void)
{
	memset(flights, 0, sizeof flights);
	init_cond(); /* its waiters were other threads, gone in the child */
	pthread_mutex_unlock(&lock);
}
