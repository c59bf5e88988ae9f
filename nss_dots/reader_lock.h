/*
 * A read-mostly lock whose readers do not share a cache line: a reader
 * counter per shard, readers count themselves in the shard of the CPU they
 * run on, a writer raises one flag and waits until every shard is empty
 * (the "big reader lock"). With a single rwlock, each warm lookup's lock and
 * unlock are atomic writes to one line that bounces between the CPUs of
 * concurrent readers; here two threads on two CPUs touch disjoint lines, and
 * a reader costs one atomic add to take and one to release (an uncontended
 * pthread rwlock costs several times the instructions for the same two).
 * Writers go first: a reader that meets the flag steps back and waits on it
 * (futex), so a reader must not take the lock twice.
 */
#ifndef DOTS_READER_LOCK_H
#define DOTS_READER_LOCK_H

#include <pthread.h>

#define DOTS_READER_LOCK_SHARDS 16

struct dots_reader_lock {
	struct {
		unsigned readers; /* inside, or stepping in (atomic; futex word) */
	} __attribute__((aligned(64))) shard[DOTS_READER_LOCK_SHARDS];
	unsigned writer __attribute__((aligned(64))); /* 1: a writer holds or waits (futex word) */
	pthread_mutex_t writers;                      /* one writer at a time */
};

#define DOTS_READER_LOCK_INITIALIZER { .writers = PTHREAD_MUTEX_INITIALIZER }

/* Returns the shard to pass to the unlock: the thread may move CPUs meanwhile. */
unsigned dots_reader_lock_read(struct dots_reader_lock *l);
void dots_reader_unlock_read(struct dots_reader_lock *l, unsigned shard);
void dots_reader_lock_write(struct dots_reader_lock *l);
void dots_reader_unlock_write(struct dots_reader_lock *l);
/* In a fork child (one thread left): locks held by vanished threads are gone. */
void dots_reader_lock_reinit(struct dots_reader_lock *l);

#endif
