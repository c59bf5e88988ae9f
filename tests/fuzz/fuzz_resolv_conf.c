/*
 * libFuzzer harness: the /etc/resolv.conf parser (dots_resolv_conf_parse).
 * Whatever the bytes: at least one and at most MAXNS servers, each a whole
 * IPv4 or IPv6 socket address on port 53.
 */
#include "resolv_conf.h"

#include <resolv.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct dns_servers s;
	size_t n = dots_resolv_conf_parse(text, &s);
	if (n == 0 || n > MAXNS || n != s.n)
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)&s.sa[i];
		if (sin->sin_port != htons(53))
			abort();
		if (!(sin->sin_family == AF_INET && s.salen[i] == sizeof(struct sockaddr_in)) &&
		    !(sin->sin_family == AF_INET6 && s.salen[i] == sizeof(struct sockaddr_in6)))
			abort();
	}
	free(text);
	return 0;
}
