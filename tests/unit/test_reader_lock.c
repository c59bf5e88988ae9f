/*
 * The cache's reader lock (nss_dots/reader_lock.c): writers exclude readers
 * and each other; a reader that meets a writer waits for it rather than
 * reading half-written state. (make check-tsan runs the module's own
 * readers and writers under ThreadSanitizer.)
 */
#include "reader_lock.h"

#include <criterion/criterion.h>
#include <sched.h>
#include <stdbool.h>

static struct dots_reader_lock lock = DOTS_READER_LOCK_INITIALIZER;
/* Written only under the write lock, always equal outside it. */
static volatile long x, y;
static long torn, writes_done;
static bool stop;

static void *reader(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		unsigned shard = dots_reader_lock_read(&lock);
		long a = x;
		sched_yield(); /* let a writer try to come in between */
		long b = y;
		dots_reader_unlock_read(&lock, shard);
		if (a != b)
			__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		dots_reader_lock_write(&lock);
		x = x + 1;
		if (i % 64 == 0)
			sched_yield();
		y = y + 1;
		dots_reader_unlock_write(&lock);
		__atomic_fetch_add(&writes_done, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

Test(reader_lock, writers_exclude_readers_and_each_other, .timeout = 60)
{
	pthread_t r[4], w[2];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&r[i], NULL, reader, NULL), 0);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&w[i], NULL, writer, NULL), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(w[i], NULL);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (int i = 0; i < 4; i++)
		pthread_join(r[i], NULL);
	cr_assert_eq(torn, 0, "%ld reads saw a write half done", torn);
	cr_assert_eq(x, 40000, "a write was lost: %ld of 40000", (long)x);
	cr_assert_eq(y, 40000);
}
