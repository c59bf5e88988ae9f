/* RFC 8973 §5 option codecs: pure functions, no syscalls. */
#include "dhcp_options.h"
#include "names.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

bool dots_dhcp_decode_name(const uint8_t *buf, size_t len, char *out)
{
	char text[DOTS_DHCP_WIRE_NAME_MAX + 1];
	size_t pos = 0, tlen = 0;
	for (;;) {
		if (pos >= len || pos >= DOTS_DHCP_WIRE_NAME_MAX)
			return false; /* no root label within the option or 255 octets */
		uint8_t l = buf[pos++];
		if (l == 0)
			break;
		/* 64..255: compression pointers and extended labels are not allowed. */
		if (l > 63 || pos + l > len || pos + l >= DOTS_DHCP_WIRE_NAME_MAX)
			return false;
		if (tlen)
			text[tlen++] = '.';
		for (size_t i = 0; i < l; i++) {
			unsigned char c = buf[pos + i];
			/* A '.' inside a label would read as two labels once printed;
			 * every other character is checked (ASCII LDH) by normalize. */
			if (c == '.')
				return false;
			text[tlen++] = (char)c;
		}
		pos += l;
	}
	if (tlen == 0)
		return false; /* the root alone is no DOTS agent name */
	return dots_name_normalize(text, tlen, false, out);
}

bool dots_dhcp_encode_name(const char *name, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = strnlen(name, DOTS_NAME_MAX + 2);
	if (!dots_name_valid(name, n, false))
		return false;
	if (name[n - 1] == '.')
		n--;
	if (n + 2 > cap)
		return false;
	/* Each '.' becomes the next label's length; one more octet in front and the root. */
	size_t lenpos = 0, out = 1;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || name[i] == '.') {
			buf[lenpos] = (uint8_t)(out - lenpos - 1);
			lenpos = out++;
		} else
			buf[out++] = (uint8_t)name[i];
	}
	buf[lenpos] = 0;
	*len = out;
	return true;
}

static bool v4_discarded(in_addr_t host_order)
{
	uint8_t first = (uint8_t)(host_order >> 24);
	return first == 127 || (first & 0xf0) == 0xe0 || host_order == 0 || host_order == 0xffffffffu;
}

bool dots_dhcp_addr_discarded(int family, const union dots_inaddr *a)
{
	if (family == AF_INET)
		return v4_discarded(ntohl(a->v4.s_addr));
	const struct in6_addr *v6 = &a->v6;
	if (IN6_IS_ADDR_V4MAPPED(v6)) {
		uint32_t v4;
		memcpy(&v4, &v6->s6_addr[12], 4);
		return v4_discarded(ntohl(v4));
	}
	return IN6_IS_ADDR_MULTICAST(v6) || IN6_IS_ADDR_LOOPBACK(v6) || IN6_IS_ADDR_UNSPECIFIED(v6);
}

bool dots_dhcp_decode_addrs(int family, const uint8_t *buf, size_t len, struct dots_dhcp_info *out)
{
	size_t size = family == AF_INET ? 4 : 16;
	out->naddrs = 0;
	if ((family != AF_INET && family != AF_INET6) || len < size || len % size)
		return false;
	for (size_t off = 0; off < len && out->naddrs < DOTS_DHCP_MAX_ADDRS; off += size) {
		struct dots_dhcp_addr a = {.family = family};
		memcpy(&a.addr, buf + off, size);
		if (dots_dhcp_addr_discarded(family, &a.addr))
			continue;
		if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a.addr.v6)) {
			struct in_addr v4;
			memcpy(&v4, &a.addr.v6.s6_addr[12], 4);
			memset(&a.addr, 0, sizeof a.addr);
			a.addr.v4 = v4;
			a.family = AF_INET;
		}
		out->addrs[out->naddrs++] = a;
	}
	return true;
}

int dots_dhcp4_option(const uint8_t *opts, size_t len, uint8_t code, bool join, uint8_t *out,
		      size_t cap)
{
	size_t total = 0;
	bool found = false;
	for (size_t pos = 0; pos < len;) {
		uint8_t c = opts[pos++];
		if (c == DHCP4_OPT_PAD)
			continue;
		if (c == DHCP4_OPT_END)
			break;
		if (pos >= len || pos + 1 + opts[pos] > len)
			return -1;
		uint8_t l = opts[pos++];
		if (c == code && (join || !found)) {
			if (total + l > cap)
				return -1;
			memcpy(out + total, opts + pos, l);
			total += l;
			found = true;
		}
		pos += l;
	}
	return (int)total;
}

bool dots_dhcp6_option(const uint8_t *opts, size_t len, uint16_t code, const uint8_t **val,
		       size_t *vlen)
{
	for (size_t pos = 0; pos + 4 <= len;) {
		uint16_t c = (uint16_t)(opts[pos] << 8 | opts[pos + 1]);
		size_t l = (size_t)(opts[pos + 2] << 8 | opts[pos + 3]);
		pos += 4;
		if (pos + l > len)
			return false;
		if (c == code) {
			*val = opts + pos;
			*vlen = l;
			return true;
		}
		pos += l;
	}
	return false;
}

bool dots_dhcp_info_from(int family, const uint8_t *ri, size_t rilen, const uint8_t *addr,
			 size_t addrlen, struct dots_dhcp_info *out)
{
	memset(out, 0, sizeof *out);
	if (ri && !dots_dhcp_decode_name(ri, rilen, out->name))
		out->name[0] = '\0';
	if (addr && !dots_dhcp_decode_addrs(family, addr, addrlen, out))
		out->naddrs = 0;
	return out->name[0] || out->naddrs > 0;
}
