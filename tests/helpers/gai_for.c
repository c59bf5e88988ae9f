/*
 * gai_for: getaddrinfo(NAME) every 10 ms for SECONDS, as a program that
 * keeps resolving its DOTS server would; prints the number of lookups and
 * of failures. Run it under strace to count how often the module rediscovers
 * (each discovery opens the dots-avahi state file).
 *
 *   gai_for SECONDS NAME
 */
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gai_for SECONDS NAME\n");
		return 2;
	}
	__nss_configure_lookup("hosts", "dots");
	time_t end = time(NULL) + atoi(argv[1]);
	unsigned long n = 0, failed = 0;
	while (time(NULL) < end) {
		struct addrinfo *ai, hints = {.ai_socktype = SOCK_STREAM};
		if (getaddrinfo(argv[2], NULL, &hints, &ai) == 0)
			freeaddrinfo(ai);
		else
			failed++;
		n++;
		usleep(10000);
	}
	printf("%lu lookups, %lu failed\n", n, failed);
	return 0;
}
