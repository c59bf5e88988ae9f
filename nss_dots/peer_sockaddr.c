/* A discovered peer as a socket address a client can connect() to. */
#include "dots.h"

#include <arpa/inet.h>
#include <string.h>

socklen_t dots_peer_sockaddr(const struct dots_peer *p, struct sockaddr_storage *sa)
{
	memset(sa, 0, sizeof *sa);
	if (p->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;
		in->sin_family = AF_INET;
		in->sin_port = htons(p->port);
		in->sin_addr = p->addr.v4;
		return sizeof *in;
	}
	if (p->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(p->port);
		in6->sin6_addr = p->addr.v6;
		in6->sin6_scope_id = p->scope_id;
		return sizeof *in6;
	}
	return 0;
}
