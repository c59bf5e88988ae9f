#include "reader_lock.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Only when a reader and a writer meet: never on the warm path. */
static void futex_wait(unsigned *word, unsigned expected)
{
	int saved = errno;
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
	errno = saved;
}

static void futex_wake_all(unsigned *word)
{
	int saved = errno;
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
	errno = saved;
}

/*
 * Reader and writer each write their own word, then read the other's, both
 * sequentially consistent: either the reader sees the writer's flag, or the
 * writer sees the reader's count (never neither).
 */
unsigned dots_reader_lock_read(struct dots_reader_lock *l)
{
	/* glibc answers sched_getcpu() from the rseq area: no system call. */
	int cpu = sched_getcpu();
	unsigned shard = cpu < 0 ? 0 : (unsigned)cpu % DOTS_READER_LOCK_SHARDS;
	unsigned *readers = &l->shard[shard].readers;
	for (;;) {
		__atomic_fetch_add(readers, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST))
			return shard;
		/* A writer holds or waits: step back (it may be waiting for this
		 * shard to empty), and wait until it is done. */
		if (__atomic_sub_fetch(readers, 1, __ATOMIC_SEQ_CST) == 0)
			futex_wake_all(readers);
		while (__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST))
			futex_wait(&l->writer, 1);
	}
}

void dots_reader_unlock_read(struct dots_reader_lock *l, unsigned shard)
{
	unsigned *readers = &l->shard[shard].readers;
	if (__atomic_sub_fetch(readers, 1, __ATOMIC_SEQ_CST) == 0 &&
	    __atomic_load_n(&l->writer, __ATOMIC_SEQ_CST))
		futex_wake_all(readers);
}

void dots_reader_lock_write(struct dots_reader_lock *l)
{
	pthread_mutex_lock(&l->writers);
	__atomic_store_n(&l->writer, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < DOTS_READER_LOCK_SHARDS; i++) {
		unsigned n;
		while ((n = __atomic_load_n(&l->shard[i].readers, __ATOMIC_SEQ_CST)) != 0)
			futex_wait(&l->shard[i].readers, n);
	}
}

void dots_reader_unlock_write(struct dots_reader_lock *l)
{
	__atomic_store_n(&l->writer, 0, __ATOMIC_SEQ_CST);
	futex_wake_all(&l->writer);
	pthread_mutex_unlock(&l->writers);
}

void dots_reader_lock_reinit(struct dots_reader_lock *l)
{
	for (unsigned i = 0; i < DOTS_READER_LOCK_SHARDS; i++)
		l->shard[i].readers = 0;
	l->writer = 0;
	pthread_mutex_init(&l->writers, NULL);
}
