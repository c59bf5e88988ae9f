#include "reader_lock.h"

#include <sched.h>

unsigned dots_reader_lock_read(struct dots_reader_lock *l)
{
	/* glibc answers sched_getcpu() from the rseq area: no system call. */
	int cpu = sched_getcpu();
	unsigned shard = cpu < 0 ? 0 : (unsigned)cpu % DOTS_READER_LOCK_SHARDS;
	pthread_rwlock_rdlock(&l->shard[shard].rw);
	return shard;
}

void dots_reader_unlock_read(struct dots_reader_lock *l, unsigned shard)
{
	pthread_rwlock_unlock(&l->shard[shard].rw);
}

/* Always in index order, so two writers cannot deadlock. */
void dots_reader_lock_write(struct dots_reader_lock *l)
{
	for (unsigned i = 0; i < DOTS_READER_LOCK_SHARDS; i++)
		pthread_rwlock_wrlock(&l->shard[i].rw);
}

void dots_reader_unlock_write(struct dots_reader_lock *l)
{
	for (unsigned i = DOTS_READER_LOCK_SHARDS; i-- > 0;)
		pthread_rwlock_unlock(&l->shard[i].rw);
}

void dots_reader_lock_reinit(struct dots_reader_lock *l)
{
	for (unsigned i = 0; i < DOTS_READER_LOCK_SHARDS; i++)
		pthread_rwlock_init(&l->shard[i].rw, NULL);
}
