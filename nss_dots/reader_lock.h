/*
 * A read-mostly lock whose readers do not share a cache line: one rwlock per
 * shard, readers take the shard of the CPU they run on, a writer takes every
 * shard. With a single rwlock, each warm lookup's lock and unlock are atomic
 * writes to one line that bounces between the CPUs of concurrent readers;
 * here two threads on two CPUs touch disjoint lines (the "big reader lock").
 */
#ifndef DOTS_READER_LOCK_H
#define DOTS_READER_LOCK_H

#include <pthread.h>

#define DOTS_READER_LOCK_SHARDS 16

struct dots_reader_lock {
	struct {
		pthread_rwlock_t rw;
	} __attribute__((aligned(64))) shard[DOTS_READER_LOCK_SHARDS];
};

#define DOTS_READER_LOCK_INITIALIZER \
	{ .shard = {[0 ... DOTS_READER_LOCK_SHARDS - 1] = {PTHREAD_RWLOCK_INITIALIZER}} }

/* Returns the shard to pass to the unlock: the thread may move CPUs meanwhile. */
unsigned dots_reader_lock_read(struct dots_reader_lock *l);
void dots_reader_unlock_read(struct dots_reader_lock *l, unsigned shard);
void dots_reader_lock_write(struct dots_reader_lock *l);
void dots_reader_unlock_write(struct dots_reader_lock *l);
/* In a fork child (one thread left): locks held by vanished threads are gone. */
void dots_reader_lock_reinit(struct dots_reader_lock *l);

#endif
