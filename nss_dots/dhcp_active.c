/* dots-dhcp query: one DHCPINFORM or DHCPv6 Information-Request, one reply. */
#include "dhcp_active.h"
#include "core.h"
#include "ipv4_udp.h"
#include "names.h"

#include <arpa/inet.h>
#include <bsd/string.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdarg.h>
#include <resolv.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define DHCP4_FIXED 236 /* op .. file, before the magic cookie */
#define DHCP4_MIN_MSG 300
#define DHCP4_MAX_MSG 4096 /* what dots_dhcp_query receives at most */
static const uint8_t magic_cookie[4] = {99, 130, 83, 99};

enum {
	DHCP4_OPT_DNS = 6,
	DHCP4_OPT_DOMAIN = 15,
	DHCP4_OPT_LEASE = 51,
	DHCP4_OPT_OVERLOAD = 52,
	DHCP4_OPT_MSGTYPE = 53,
	DHCP4_OPT_PRL = 55,
	DHCP4_OPT_SEARCH = 119,
	DHCP4_INFORM = 8,
	DHCP4_ACK = 5,
	DHCP6_OPT_CLIENTID = 1,
	DHCP6_OPT_ORO = 6,
	DHCP6_OPT_ELAPSED = 8,
	DHCP6_OPT_DNS = 23,
	DHCP6_OPT_SEARCH = 24,
	DHCP6_OPT_REFRESH = 32,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_REPLY = 7,
};

size_t dots_dhcp4_inform_build(uint32_t xid, struct in_addr ciaddr, const uint8_t mac[6], uint8_t *out,
			       size_t cap)
{
	static const uint8_t prl[] = {DHCP4_OPT_DOTS_RI, DHCP4_OPT_DOTS_ADDRESS, DHCP4_OPT_DNS,
				      DHCP4_OPT_DOMAIN, DHCP4_OPT_SEARCH};
	if (cap < DHCP4_MIN_MSG)
		return 0;
	memset(out, 0, DHCP4_MIN_MSG);
	out[0] = 1; /* BOOTREQUEST */
	out[1] = 1; /* Ethernet */
	out[2] = 6;
	uint32_t x = htonl(xid);
	memcpy(out + 4, &x, 4);
	memcpy(out + 12, &ciaddr, 4); /* ciaddr: the reply comes back by unicast */
	memcpy(out + 28, mac, 6);
	size_t pos = DHCP4_FIXED;
	memcpy(out + pos, magic_cookie, 4), pos += 4;
	out[pos++] = DHCP4_OPT_MSGTYPE, out[pos++] = 1, out[pos++] = DHCP4_INFORM;
	out[pos++] = DHCP4_OPT_PRL, out[pos++] = sizeof prl;
	memcpy(out + pos, prl, sizeof prl), pos += sizeof prl;
	out[pos++] = DHCP4_OPT_END;
	return DHCP4_MIN_MSG;
}

static size_t put6(uint8_t *out, size_t pos, uint16_t code, const uint8_t *val, uint16_t len)
{
	out[pos] = (uint8_t)(code >> 8), out[pos + 1] = (uint8_t)code;
	out[pos + 2] = (uint8_t)(len >> 8), out[pos + 3] = (uint8_t)len;
	memcpy(out + pos + 4, val, len);
	return pos + 4 + len;
}

size_t dots_dhcp6_inforeq_build(uint32_t xid, const uint8_t mac[6], uint8_t *out, size_t cap)
{
	static const uint8_t oro[] = {0, DHCP6_OPT_DOTS_RI, 0, DHCP6_OPT_DOTS_ADDRESS, 0, DHCP6_OPT_DNS,
				      0, DHCP6_OPT_SEARCH, 0, DHCP6_OPT_REFRESH};
	uint8_t duid[10] = {0, 3, 0, 1}; /* DUID-LL, Ethernet */
	static const uint8_t elapsed[2] = {0, 0};
	memcpy(duid + 4, mac, 6);
	if (cap < 4 + 4 + sizeof duid + 4 + sizeof oro + 4 + sizeof elapsed)
		return 0;
	out[0] = DHCP6_INFORMATION_REQUEST;
	out[1] = (uint8_t)(xid >> 16), out[2] = (uint8_t)(xid >> 8), out[3] = (uint8_t)xid;
	size_t pos = put6(out, 4, DHCP6_OPT_CLIENTID, duid, sizeof duid);
	pos = put6(out, pos, DHCP6_OPT_ORO, oro, sizeof oro);
	return put6(out, pos, DHCP6_OPT_ELAPSED, elapsed, sizeof elapsed);
}

/* Names of a domain list (RFC 3397 may compress within the option; RFC 8415
 * §10 does not): each valid one appended to st->domains. */
static void add_domain_list(const uint8_t *val, size_t len, struct dots_dhcp_state *st)
{
	for (const uint8_t *p = val; p < val + len && st->ndomains < DOTS_DHCP_MAX_DOMAINS;) {
		char name[NS_MAXDNAME];
		int n = dn_expand(val, val + len, p, name, sizeof name);
		if (n <= 0)
			return;
		p += n;
		if (dots_name_normalize(name, strlen(name), false, st->domains[st->ndomains]))
			st->ndomains++;
	}
}

static void add_dns(int family, const uint8_t *val, size_t len, struct dots_dhcp_state *st)
{
	size_t size = family == AF_INET ? 4 : 16;
	for (size_t off = 0; off + size <= len && st->ndns < DOTS_DHCP_MAX_DNS; off += size) {
		struct dots_dhcp_addr *a = &st->dns[st->ndns];
		memset(a, 0, sizeof *a);
		a->family = family;
		memcpy(&a->addr, val + off, size);
		bool multicast = family == AF_INET ? IN_MULTICAST(ntohl(a->addr.v4.s_addr))
						   : IN6_IS_ADDR_MULTICAST(&a->addr.v6);
		if (!multicast && !(family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->addr.v6)))
			st->ndns++;
	}
}

/* Append an options area up to its END (or its last whole option). */
static size_t append_area(uint8_t *out, size_t n, const uint8_t *a, size_t len)
{
	size_t pos = 0;
	while (pos < len && a[pos] != DHCP4_OPT_END) {
		size_t next = a[pos] == DHCP4_OPT_PAD ? pos + 1 : pos + 2 + (pos + 1 < len ? a[pos + 1] : len);
		if (next > len)
			break;
		pos = next;
	}
	memcpy(out + n, a, pos);
	return n + pos;
}

/* The options of a DHCPv4 message as one area: the options field, then the
 * file and sname fields when option 52 overloads them (RFC 2132 §9.3), in
 * the order RFC 3396 §5 joins split options. out holds len + 1 octets. */
static size_t dhcp4_all_options(const uint8_t *msg, size_t len, uint8_t *out)
{
	const uint8_t *opts = msg + DHCP4_FIXED + 4;
	size_t olen = len - DHCP4_FIXED - 4;
	size_t n = append_area(out, 0, opts, olen);
	uint8_t overload = 0;
	if (dots_dhcp4_option(opts, olen, DHCP4_OPT_OVERLOAD, false, &overload, 1) == 1) {
		if (overload & 1)
			n = append_area(out, n, msg + 108, 128); /* file */
		if (overload & 2)
			n = append_area(out, n, msg + 44, 64); /* sname */
	}
	out[n++] = DHCP4_OPT_END;
	return n;
}

bool dots_dhcp4_reply_parse(const uint8_t *msg, size_t len, uint32_t xid, time_t now,
			    struct dots_dhcp_state *st)
{
	uint32_t x;
	if (len < DHCP4_FIXED + 4 || msg[0] != 2 || memcmp(msg + DHCP4_FIXED, magic_cookie, 4) != 0)
		return false;
	memcpy(&x, msg + 4, 4);
	if (ntohl(x) != xid)
		return false;
	uint8_t opts[DHCP4_MAX_MSG + 1];
	if (len > DHCP4_MAX_MSG)
		return false;
	size_t olen = dhcp4_all_options(msg, len, opts);
	uint8_t val[1024], ri[255];
	if (dots_dhcp4_option(opts, olen, DHCP4_OPT_MSGTYPE, false, val, sizeof val) != 1 ||
	    val[0] != DHCP4_ACK)
		return false;
	memset(st, 0, sizeof *st);
	int rilen = dots_dhcp4_option(opts, olen, DHCP4_OPT_DOTS_RI, false, ri, sizeof ri);
	int alen = dots_dhcp4_option(opts, olen, DHCP4_OPT_DOTS_ADDRESS, true, val, sizeof val);
	dots_dhcp_info_from(AF_INET, rilen > 0 ? ri : NULL, rilen > 0 ? (size_t)rilen : 0,
			    alen > 0 ? val : NULL, alen > 0 ? (size_t)alen : 0, &st->dots);
	int n = dots_dhcp4_option(opts, olen, DHCP4_OPT_DNS, true, val, sizeof val);
	if (n > 0)
		add_dns(AF_INET, val, (size_t)n, st);
	n = dots_dhcp4_option(opts, olen, DHCP4_OPT_DOMAIN, false, val, sizeof val - 1);
	if (n > 0) {
		val[n] = '\0';
		if (dots_name_normalize((char *)val, strnlen((char *)val, (size_t)n), false, st->domains[0]))
			st->ndomains = 1;
	}
	n = dots_dhcp4_option(opts, olen, DHCP4_OPT_SEARCH, true, val, sizeof val);
	if (n > 0)
		add_domain_list(val, (size_t)n, st);
	uint32_t lease = 0;
	if (dots_dhcp4_option(opts, olen, DHCP4_OPT_LEASE, false, val, sizeof val) == 4)
		lease = (uint32_t)val[0] << 24 | (uint32_t)val[1] << 16 | (uint32_t)val[2] << 8 | val[3];
	st->expires = now + dots_dhcp_lifetime(lease);
	return true;
}

bool dots_dhcp6_reply_parse(const uint8_t *msg, size_t len, uint32_t xid, time_t now,
			    struct dots_dhcp_state *st)
{
	if (len < 4 || msg[0] != DHCP6_REPLY ||
	    ((uint32_t)msg[1] << 16 | (uint32_t)msg[2] << 8 | msg[3]) != (xid & 0xffffff))
		return false;
	const uint8_t *opts = msg + 4, *ri = NULL, *addr = NULL, *val;
	size_t olen = len - 4, rilen = 0, addrlen = 0, vlen;
	memset(st, 0, sizeof *st);
	if (!dots_dhcp6_option(opts, olen, DHCP6_OPT_DOTS_RI, &ri, &rilen))
		ri = NULL;
	if (!dots_dhcp6_option(opts, olen, DHCP6_OPT_DOTS_ADDRESS, &addr, &addrlen))
		addr = NULL;
	dots_dhcp_info_from(AF_INET6, ri, rilen, addr, addrlen, &st->dots);
	if (dots_dhcp6_option(opts, olen, DHCP6_OPT_DNS, &val, &vlen))
		add_dns(AF_INET6, val, vlen, st);
	if (dots_dhcp6_option(opts, olen, DHCP6_OPT_SEARCH, &val, &vlen))
		add_domain_list(val, vlen, st);
	uint32_t refresh = 0;
	if (dots_dhcp6_option(opts, olen, DHCP6_OPT_REFRESH, &val, &vlen) && vlen == 4)
		refresh = (uint32_t)val[0] << 24 | (uint32_t)val[1] << 16 | (uint32_t)val[2] << 8 | val[3];
	st->expires = now + dots_dhcp6_refresh_time(refresh);
	return true;
}

/* --- the exchange --- */

struct link_info {
	uint8_t mac[6];
	bool have_mac;
	struct in_addr v4;
	bool have_v4;
	struct in6_addr ll;
	bool have_ll;
};

static bool link_info(const char *ifname, struct link_info *li)
{
	struct ifaddrs *ifa, *i;
	memset(li, 0, sizeof *li);
	if (getifaddrs(&ifa) != 0)
		return false;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (i->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *sll = (const struct sockaddr_ll *)i->ifa_addr;
			if (sll->sll_halen == 6) {
				memcpy(li->mac, sll->sll_addr, 6);
				li->have_mac = true;
			}
		} else if (i->ifa_addr->sa_family == AF_INET && !li->have_v4) {
			li->v4 = ((const struct sockaddr_in *)i->ifa_addr)->sin_addr;
			li->have_v4 = true;
		} else if (i->ifa_addr->sa_family == AF_INET6 && !li->have_ll) {
			const struct in6_addr *a = &((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			if (IN6_IS_ADDR_LINKLOCAL(a)) {
				li->ll = *a;
				li->have_ll = true;
			}
		}
	}
	freeifaddrs(ifa);
	return true;
}

__attribute__((format(printf, 3, 4))) static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* A UDP socket on ifname, bound to the client port (the reply's destination).
 * SO_REUSEADDR: a DHCP client may hold the port already. */
static int client_socket(int family, const char *ifname, const struct link_info *li, unsigned ifindex)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) != 0)
		goto bad;
	if (family == AF_INET) {
		struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(68)};
		if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0)
			goto bad;
	} else {
		struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(546),
					    .sin6_addr = li->ll, .sin6_scope_id = ifindex};
		if (bind(fd, (struct sockaddr *)&sin6, sizeof sin6) != 0)
			goto bad;
	}
	return fd;
bad:;
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/*
 * A packet socket on ifindex that sees the server's reply to port 68 even
 * when the host's DHCP client holds a UDP socket bound to the interface's
 * address and port 68: the kernel hands a unicast datagram to that more
 * specific socket, never to ours on the wildcard address. The filter keeps only unfragmented UDP to
 * port 68 (a flooded link costs nothing); -1 without CAP_NET_RAW, and the
 * UDP socket alone serves.
 */
static int reply4_packet_socket(unsigned ifindex)
{
	static const struct sock_filter udp_to_68[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),		   /* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 6),	   /* UDP, else drop */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),		   /* flags, fragment offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0), /* a fragment: drop */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),		   /* X = IP header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		   /* UDP destination port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 68, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof udp_to_68 / sizeof udp_to_68[0],
				  .filter = (struct sock_filter *)udp_to_68};
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_IP));
	if (fd < 0)
		return -1;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				  .sll_ifindex = (int)ifindex};
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One datagram from fd (the UDP socket, or the packet socket: then its UDP
 * payload from port 67 to 68), parsed as the reply with this xid. The recv
 * also takes a pending socket error (ICMP), so poll does not spin on it. */
static bool receive_reply(int fd, bool from_packet_socket, int family, uint32_t xid,
			  struct dots_dhcp_state *st)
{
	uint8_t buf[4096];
	ssize_t n = recv(fd, buf, sizeof buf, 0);
	if (n <= 0)
		return false;
	const uint8_t *msg = buf;
	size_t len = (size_t)n;
	if (from_packet_socket && !(msg = dots_ipv4_udp_payload(buf, (size_t)n, 67, 68, &len)))
		return false;
	time_t now = time(NULL);
	return family == AF_INET ? dots_dhcp4_reply_parse(msg, len, xid, now, st)
				 : dots_dhcp6_reply_parse(msg, len, xid, now, st);
}

bool dots_dhcp_query(const char *ifname, int family, int timeout_ms, struct dots_dhcp_state *st,
		     char *err, size_t errlen)
{
	struct link_info li;
	unsigned ifindex = if_nametoindex(ifname);
	if (!ifindex || !link_info(ifname, &li))
		return fail(err, errlen, "no interface %s", ifname);
	if (!li.have_mac)
		return fail(err, errlen, "%s has no Ethernet address", ifname);
	if (family == AF_INET && !li.have_v4)
		return fail(err, errlen, "%s has no IPv4 address: DHCPINFORM needs one", ifname);
	if (family == AF_INET6 && !li.have_ll)
		return fail(err, errlen, "%s has no IPv6 link-local address", ifname);

	uint32_t xid;
	if (getrandom(&xid, sizeof xid, 0) != sizeof xid)
		return fail(err, errlen, "getrandom: %s", strerror(errno));
	if (family == AF_INET6)
		xid &= 0xffffff;
	uint8_t msg[1500];
	size_t len;
	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} to;
	memset(&to, 0, sizeof to);
	if (family == AF_INET) {
		len = dots_dhcp4_inform_build(xid, li.v4, li.mac, msg, sizeof msg);
		to.v4.sin_family = AF_INET;
		to.v4.sin_port = htons(67);
		to.v4.sin_addr.s_addr = htonl(INADDR_BROADCAST);
	} else {
		len = dots_dhcp6_inforeq_build(xid, li.mac, msg, sizeof msg);
		to.v6.sin6_family = AF_INET6;
		to.v6.sin6_port = htons(547);
		inet_pton(AF_INET6, "ff02::1:2", &to.v6.sin6_addr); /* All_DHCP_Relay_Agents_and_Servers */
		to.v6.sin6_scope_id = ifindex;
	}
	int fd = client_socket(family, ifname, &li, ifindex);
	if (fd < 0)
		return fail(err, errlen, "socket on %s: %s", ifname, strerror(errno));
	struct pollfd fds[2] = {{.fd = fd, .events = POLLIN}, {.fd = -1, .events = POLLIN}};
	if (family == AF_INET)
		fds[1].fd = reply4_packet_socket(ifindex);
	struct timespec deadline = dots_deadline_after_ms((unsigned)timeout_ms);
	/* Retransmit once a second (RFC 2131 §4.1 / RFC 8415 §15, shortened). */
	bool got = false;
	while (!got && dots_ms_left(&deadline) > 0) {
		if (sendto(fd, msg, len, 0, (struct sockaddr *)&to,
			   family == AF_INET ? sizeof to.v4 : sizeof to.v6) < 0) {
			int saved = errno;
			close(fd);
			if (fds[1].fd >= 0)
				close(fds[1].fd);
			return fail(err, errlen, "send on %s: %s", ifname, strerror(saved));
		}
		struct timespec resend = dots_deadline_after_ms(1000);
		for (int left; !got && (left = dots_ms_left(&deadline)) > 0;) {
			int wait = dots_ms_left(&resend);
			if (wait == 0)
				break;
			if (poll(fds, 2, wait < left ? wait : left) <= 0)
				continue;
			for (int i = 0; i < 2 && !got; i++) {
				if (i == 1 && fds[1].revents & (POLLHUP | POLLNVAL)) {
					close(fds[1].fd); /* the link went away: the UDP socket serves */
					fds[1].fd = -1;
				} else if (fds[i].revents) {
					got = receive_reply(fds[i].fd, i == 1, family, xid, st);
				}
			}
		}
	}
	close(fd);
	if (fds[1].fd >= 0)
		close(fds[1].fd);
	if (!got)
		return fail(err, errlen, "no reply within %d ms", timeout_ms);
	strlcpy(st->ifname, ifname, sizeof st->ifname);
	st->family = family;
	return true;
}
