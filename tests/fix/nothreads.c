/* tests/fix/nothreads.c - LD_PRELOAD shim for tests: pthread_create always
 * fails with EAGAIN, as it does when RLIMIT_NPROC is reached (which does
 * not bind root, who runs the lab tests). */
#include <errno.h>
#include <pthread.h>

int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	(void)t;
	(void)attr;
	(void)fn;
	(void)arg;
	return EAGAIN;
}
