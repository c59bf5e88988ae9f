/*
 * stale_loop: a long-running resolver, as a DOTS client is one, for the
 * serve-stale and single-flight tests. It asks the cache the NSS module
 * answers from (dots_cache_with, linked in: the same code) for dots-server
 * and prints one line per lookup:
 *
 *   MS THREAD STATUS STALE ELAPSED_MS WAITED ADDRESSES
 *
 * MS since start; STATUS found|notfound|tryagain|error; STALE 1 when the
 * peers are served stale; WAITED 1 when the lookup took at least -w ms
 * (the test passes half the timeout: a lookup that waited for the network
 * takes about the timeout, one that did not takes microseconds, so the
 * classification does not depend on the machine's speed); ADDRESSES the
 * peers' addresses joined by ',' ("-" for none).
 *
 *   stale_loop [-i INTERVAL_MS] [-w WAITED_MS] [-T THREADS] [-n ROUNDS] [-d SECONDS]
 *
 * A round: THREADS threads released together (a barrier), one lookup each;
 * then INTERVAL_MS of sleep. Ends after ROUNDS rounds or SECONDS seconds
 * (default: until killed).
 */
#include "cache.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned waited_ms = 1000;
static struct timespec start;
static pthread_barrier_t barrier;
static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static long long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

struct seen {
	enum dots_status st;
	bool stale;
	char addrs[1024];
};

static int record(void *ctx, enum dots_status st, const struct dots_result *r)
{
	struct seen *s = ctx;
	s->st = r->count ? DOTS_FOUND : st;
	s->stale = r->count && r->peers[0].stale;
	strlcpy(s->addrs, r->count ? "" : "-", sizeof s->addrs);
	for (size_t i = 0; i < r->count; i++) {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(r->peers[i].family, &r->peers[i].addr, a, sizeof a);
		if (!strstr(s->addrs, a)) {
			if (s->addrs[0])
				strlcat(s->addrs, ",", sizeof s->addrs);
			strlcat(s->addrs, a, sizeof s->addrs);
		}
	}
	return 0;
}

static void *one(void *arg)
{
	static const char *const names[] = {"found", "notfound", "tryagain", "error"};
	long thread = (long)arg;
	struct seen s;
	pthread_barrier_wait(&barrier);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	dots_cache_with(DOTS_ROLE_SERVER, "", record, &s);
	long long el = ms_since(&t0);
	pthread_mutex_lock(&out);
	printf("%lld %ld %s %d %lld %d %s\n", ms_since(&start), thread, names[s.st], s.stale, el,
	       el >= waited_ms, s.addrs);
	fflush(stdout);
	pthread_mutex_unlock(&out);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned interval = 200, threads = 1;
	long rounds = -1, seconds = -1;
	int c;
	while ((c = getopt(argc, argv, "i:w:T:n:d:")) != -1) {
		switch (c) {
		case 'i': interval = (unsigned)atoi(optarg); break;
		case 'w': waited_ms = (unsigned)atoi(optarg); break;
		case 'T': threads = (unsigned)atoi(optarg); break;
		case 'n': rounds = atol(optarg); break;
		case 'd': seconds = atol(optarg); break;
		default:
			fprintf(stderr, "usage: stale_loop [-i MS] [-w MS] [-T THREADS] [-n ROUNDS] [-d SECONDS]\n");
			return 1;
		}
	}
	if (threads < 1 || threads > 256)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long r = 0; rounds < 0 || r < rounds; r++) {
		if (seconds >= 0 && ms_since(&start) >= seconds * 1000)
			break;
		pthread_t t[256];
		pthread_barrier_init(&barrier, NULL, threads);
		for (unsigned i = 0; i < threads; i++)
			pthread_create(&t[i], NULL, one, (void *)(long)i);
		for (unsigned i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&barrier);
		usleep(interval * 1000);
	}
	dots_cache_flush();
	return 0;
}
