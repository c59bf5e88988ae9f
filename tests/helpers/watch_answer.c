/*
 * watch_answer: a long-running program that keeps resolving one name
 * through the module (every 100 ms, for SECONDS) and prints a line each
 * time the answer changes: "ok ADDR..." (sorted) or "EAI_xxx". Shows how
 * long the module keeps an answer in one process (its cache), e.g. that a
 * partial answer is dropped within seconds once the failure is gone.
 *
 *   watch_answer SECONDS NAME
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The answer as one line: sorted unique addresses, or the error's name. */
static void answer(const char *name, char *out, size_t len)
{
	struct addrinfo *res, hints = {.ai_socktype = SOCK_DGRAM};
	int rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(out, len, "%s", rc == EAI_NONAME ? "EAI_NONAME"
					 : rc == EAI_AGAIN ? "EAI_AGAIN" : "EAI_OTHER");
		return;
	}
	char *addrs[64];
	size_t n = 0;
	for (struct addrinfo *ai = res; ai && n < 64; ai = ai->ai_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *a = ai->ai_family == AF_INET
					? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, a, buf, sizeof buf);
		addrs[n++] = strdup(buf);
	}
	freeaddrinfo(res);
	qsort(addrs, n, sizeof *addrs, cmp);
	snprintf(out, len, "ok");
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(addrs[i], addrs[i - 1]) != 0) {
			strncat(out, " ", len - strlen(out) - 1);
			strncat(out, addrs[i], len - strlen(out) - 1);
		}
		free(addrs[i]);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: watch_answer SECONDS NAME\n");
		return 2;
	}
	__nss_configure_lookup("hosts", "dots");
	time_t end = time(NULL) + atoi(argv[1]);
	char last[2048] = "", now[2048];
	while (time(NULL) < end) {
		answer(argv[2], now, sizeof now);
		if (strcmp(now, last) != 0) {
			printf("%s\n", now);
			fflush(stdout);
			memcpy(last, now, sizeof last);
		}
		usleep(100 * 1000);
	}
	return 0;
}
