/*
 * A UDP datagram inside an IPv4 packet, as a packet socket (AF_PACKET,
 * SOCK_DGRAM: link header removed) reads it. dots-dhcp's active query
 * listens there too, because the host's DHCP client may hold a UDP socket
 * bound to the interface's address and port 68 once it has a lease (the
 * clients of systemd-networkd and NetworkManager are the ones that need the
 * query at all), and the kernel prefers that socket for the server's
 * unicast reply.
 */
#ifndef DOTS_IPV4_UDP_H
#define DOTS_IPV4_UDP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The payload of pkt (n octets) if it is one whole, unfragmented IPv4 UDP
 * datagram from port sport to port dport whose IP and UDP lengths agree
 * (trailing link padding is ignored); its length in *len. NULL otherwise.
 * Pure; the UDP checksum is not verified (the DHCP parser validates the
 * content, and an attacker on the link can forge a checksum anyway).
 */
const uint8_t *dots_ipv4_udp_payload(const uint8_t *pkt, size_t n, uint16_t sport, uint16_t dport,
				     size_t *len);

#endif
