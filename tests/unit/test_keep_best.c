/* Keeping the best few of many, whatever order they arrive in. */
#include "dns_rdata.h"
#include "keep_best.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static int int_rank(const void *a, const void *b)
{
	int x = *(const int *)a / 10, y = *(const int *)b / 10; /* ties: same tens */
	return (x > y) - (x < y);
}

Test(keep_best, the_best_survive_in_every_arrival_order)
{
	/* 20 values arriving in three different orders: the 5 of lowest rank,
	 * ties in arrival order, are kept each time. */
	static const int orders[3][20] = {
		{190, 10, 180, 20, 170, 30, 160, 40, 150, 50, 140, 60, 130, 70, 120, 80, 110, 90, 100, 0},
		{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190},
		{190, 180, 170, 160, 150, 140, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0},
	};
	for (int o = 0; o < 3; o++) {
		int kept[5];
		size_t n = 0, dropped = 0;
		for (int i = 0; i < 20; i++)
			dropped += keep_best(kept, &n, 5, sizeof *kept, &orders[o][i], int_rank);
		cr_assert_eq(n, 5);
		cr_assert_eq(dropped, 15);
		for (int k = 0; k < 5; k++)
			cr_assert_eq(kept[k], k * 10, "order %d: kept[%d] = %d", o, k, kept[k]);
	}
}

Test(keep_best, equal_ranks_keep_their_arrival_order)
{
	int kept[3], in[] = {11, 12, 13, 14, 5};
	size_t n = 0;
	for (size_t i = 0; i < 5; i++)
		keep_best(kept, &n, 3, sizeof *kept, &in[i], int_rank);
	cr_assert_eq(kept[0], 5);
	cr_assert_eq(kept[1], 11);
	cr_assert_eq(kept[2], 12, "the last of equals is the one dropped");
}

Test(keep_best, srv_rank_priority_then_heavier_then_name)
{
	struct dns_srv a = {.priority = 0, .weight = 0, .port = 1}, b = a, c = a;
	strcpy(a.target, "a.example");
	strcpy(b.target, "b.example");
	strcpy(c.target, "c.example");
	b.priority = 1;
	c.weight = 5;
	cr_assert_lt(keep_best_srv_rank(&a, &b), 0, "lower priority first");
	cr_assert_lt(keep_best_srv_rank(&c, &a), 0, "heavier first within a priority");
	c.weight = 0;
	cr_assert_lt(keep_best_srv_rank(&a, &c), 0, "then by target");
	cr_assert_eq(keep_best_srv_rank(&a, &a), 0);
}
