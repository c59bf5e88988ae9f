/* Single-flight (flight.c): one leader per key, followers wait for it. */
#include "core.h"
#include "flight.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <unistd.h>

Test(flight, one_leader_per_key)
{
	unsigned t1, t2, t3;
	cr_assert(dots_flight_board(DOTS_ROLE_SERVER, "", &t1));
	cr_assert_neq(t1, 0);
	cr_assert_not(dots_flight_board(DOTS_ROLE_SERVER, "", &t2), "a second caller follows");
	cr_assert_eq(t2, t1);
	cr_assert(dots_flight_board(DOTS_ROLE_CALL_HOME, "", &t3), "another role: another flight");
	struct timespec soon = dots_deadline_after_ms(50);
	cr_assert_not(dots_flight_wait(DOTS_ROLE_SERVER, "", t1, &soon), "not landed: the deadline");
	dots_flight_land(DOTS_ROLE_SERVER, "", t1);
	cr_assert(dots_flight_wait(DOTS_ROLE_SERVER, "", t1, &soon), "landed: no wait");
	cr_assert(dots_flight_board(DOTS_ROLE_SERVER, "", &t2), "after landing, a new flight");
	cr_assert_neq(t2, t1);
	dots_flight_land(DOTS_ROLE_SERVER, "", t2);
	dots_flight_land(DOTS_ROLE_CALL_HOME, "", t3);
}

static unsigned ticket;

static void *lead_then_land(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	dots_flight_land(DOTS_ROLE_SERVER, "eth0", ticket);
	return NULL;
}

Test(flight, a_follower_wakes_when_the_leader_lands)
{
	unsigned mine;
	cr_assert(dots_flight_board(DOTS_ROLE_SERVER, "eth0", &ticket));
	cr_assert_not(dots_flight_board(DOTS_ROLE_SERVER, "eth0", &mine));
	pthread_t t;
	pthread_create(&t, NULL, lead_then_land, NULL);
	struct timespec deadline = dots_deadline_after_ms(10000);
	cr_assert(dots_flight_wait(DOTS_ROLE_SERVER, "eth0", mine, &deadline));
	cr_assert_gt(dots_ms_left(&deadline), 5000, "woken by the landing, not by the deadline");
	pthread_join(t, NULL);
}

Test(flight, the_child_of_a_fork_has_no_flight)
{
	unsigned t1, t2;
	cr_assert(dots_flight_board(DOTS_ROLE_SERVER, "x", &t1));
	dots_flight_fork_prepare();
	dots_flight_fork_child(); /* as in the child: the leader is not there */
	cr_assert(dots_flight_board(DOTS_ROLE_SERVER, "x", &t2), "the child leads");
	dots_flight_land(DOTS_ROLE_SERVER, "x", t2);
}
