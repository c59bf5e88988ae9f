/*
 * dots-tls-client: a DOTS client's first step, built on libdots alone.
 *
 * Finds the DOTS server's signal channel (RFC 8973 discovery, through the
 * same cache the NSS module uses) and opens a TLS connection to it, accepting
 * only a certificate that carries the peer's reference identifier (RFC 8973
 * §8, RFC 6125 DNS-ID; an address when the identifier is one), sent as SNI.
 * Tries the peers in the order discovery gives; the first verified one wins.
 *
 *   cc dots-tls-client.c $(pkg-config --cflags --libs dots openssl)
 *   dots-tls-client [-c CA-FILE] [-i INTERFACE]
 *
 * Exit status: 0 connected and verified, 1 no peer could be verified or
 * reached, 2 discovery found nothing (or usage).
 */
#include <dots.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

/* A TLS stream fits the signal channel over TCP, or a peer whose transport
 * discovery did not say (configuration, DHCP: the peer's default transports). */
static bool usable(const struct dots_peer *p)
{
	return dots_peer_serves(p, DOTS_CHANNEL_SIGNAL) && p->transport != DOTS_TRANSPORT_UDP;
}

static void describe(const struct dots_peer *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";
	inet_ntop(p->family, &p->addr, a, sizeof a);
	if (p->family == AF_INET6)
		/* A zone only for a link-local address: a global one is reached by routing. */
		snprintf(buf, len, "[%s%s%s]:%u", a, p->scope_id ? "%" : "", p->scope_id ? p->ifname : "",
			 p->port);
	else
		snprintf(buf, len, "%s:%u", a, p->port);
}

static int connect_to(const struct dots_peer *p)
{
	struct sockaddr_storage sa;
	socklen_t len = dots_peer_sockaddr(p, &sa);
	int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* Bounded: a peer that does not answer must not stall the next one. */
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (len == 0 || connect(fd, (struct sockaddr *)&sa, len) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The identity check: the reference identifier, as a name or an address. */
static bool expect_identity(SSL *ssl, const char *refid)
{
	struct in6_addr bin;
	if (inet_pton(AF_INET, refid, &bin) == 1 || inet_pton(AF_INET6, refid, &bin) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), refid) == 1;
	/* SNI carries host names only (RFC 6066 §3), never an address. */
	return SSL_set1_host(ssl, refid) == 1 && SSL_set_tlsext_host_name(ssl, refid) == 1;
}

static bool tls_to(SSL_CTX *ctx, const struct dots_peer *p, const char *where)
{
	int fd = connect_to(p);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot connect: %m\n", where);
		return false;
	}
	SSL *ssl = SSL_new(ctx);
	bool ok = ssl && expect_identity(ssl, p->name) && SSL_set_fd(ssl, fd) == 1 &&
		  SSL_connect(ssl) == 1;
	if (ok) {
		printf("verified %s at %s (%s)\n", p->name, where, SSL_get_version(ssl));
		SSL_shutdown(ssl);
	} else {
		long v = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
		fprintf(stderr, "%s: TLS with %s refused: %s\n", where, p->name,
			v != X509_V_OK ? X509_verify_cert_error_string(v)
				       : ERR_reason_error_string(ERR_peek_last_error()));
		ERR_clear_error();
	}
	SSL_free(ssl);
	close(fd);
	return ok;
}

int main(int argc, char **argv)
{
	const char *cafile = NULL;
	struct dots_options opt = {.role = DOTS_ROLE_SERVER, .family = AF_UNSPEC};
	int c;
	while ((c = getopt(argc, argv, "c:i:")) != -1) {
		if (c == 'c')
			cafile = optarg;
		else if (c == 'i')
			opt.ifname = optarg;
		else {
			fprintf(stderr, "usage: %s [-c CA-FILE] [-i INTERFACE]\n", argv[0]);
			return 2;
		}
	}

	struct dots_result r;
	enum dots_status st = dots_discover_cached(&opt, &r);
	if (st != DOTS_FOUND) {
		fprintf(stderr, "no DOTS server found (%s)\n",
			st == DOTS_TRYAGAIN ? "temporary failure" : st == DOTS_NOTFOUND ? "not found" : "error");
		dots_result_free(&r);
		return 2;
	}

	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    !(cafile ? SSL_CTX_load_verify_locations(ctx, cafile, NULL)
		     : SSL_CTX_set_default_verify_paths(ctx))) {
		ERR_print_errors_fp(stderr);
		SSL_CTX_free(ctx);
		dots_result_free(&r);
		return 1;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);

	bool ok = false;
	for (size_t i = 0; i < r.count && !ok; i++) {
		const struct dots_peer *p = &r.peers[i];
		if (!usable(p))
			continue;
		char where[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
		describe(p, where, sizeof where);
		ok = tls_to(ctx, p, where);
	}
	SSL_CTX_free(ctx);
	dots_result_free(&r);
	return ok ? 0 : 1;
}
