/*
 * Single-flight: when several threads need discovery for the same role and
 * interface at once (cold cache, expiry, recheck), one runs it and the others
 * wait for its result within their own deadline. A waiter never starts a
 * second discovery.
 */
#ifndef DOTS_FLIGHT_H
#define DOTS_FLIGHT_H

#include "dots.h"

#define DOTS_FLIGHT_SLOTS 16
/* A flight older than this lost its leader (a cancelled thread): the next
 * caller takes it over. Longer than any discovery (timeout at most 30 s). */
#define DOTS_FLIGHT_ABANDONED_S 40

/*
 * Board the flight for (role, ifname). True: the caller leads (it runs
 * discovery, then calls dots_flight_land). False: another thread leads;
 * *ticket identifies that flight for dots_flight_wait. With every slot busy
 * the caller leads alone (true, *ticket 0): never a wait without a leader.
 */
bool dots_flight_board(enum dots_role role, const char *ifname, unsigned *ticket);
/* The leader's flight has ended (its result is stored): wake the waiters. */
void dots_flight_land(enum dots_role role, const char *ifname, unsigned ticket);
/* Wait for flight `ticket` to land, until deadline (CLOCK_MONOTONIC); true if it did. */
bool dots_flight_wait(enum dots_role role, const char *ifname, unsigned ticket,
		      const struct timespec *deadline);

/* fork(): prepare takes the lock; parent releases it; child releases it and
 * forgets every flight (their leaders are not in the child). */
void dots_flight_fork_prepare(void);
void dots_flight_fork_parent(void);
void dots_flight_fork_child(void);

#endif
