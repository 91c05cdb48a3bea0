/* dns/pacer.c - per-server-address query rate cap: the next free send time of each address */
#include "dns/dns.h"
#include "common/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PACER_BUCKETS 4096
#define NS_PER_S 1000000000LL

struct slot {
	struct sockaddr_storage ss;
	socklen_t len;
	int64_t next;           /* earliest time of the next query (ns) */
	struct slot *link;
};

struct dns_pacer {
	pthread_mutex_t lock;
	int64_t interval;       /* ns between two queries to one address */
	struct slot *b[PACER_BUCKETS];
};

static int64_t
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * NS_PER_S + t.tv_nsec;
}

static unsigned
addr_hash(const struct dns_addr *a)
{
	const unsigned char *p = (const unsigned char *)&a->ss;
	unsigned h = 2166136261u;
	socklen_t i;

	for (i = 0; i < a->len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % PACER_BUCKETS;
}

int
dns_pacer_new(struct dns_pacer **out, unsigned qps)
{
	struct dns_pacer *p;

	if (qps == 0)
		return DSREG_EINVAL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return DSREG_ENOMEM;
	pthread_mutex_init(&p->lock, NULL);
	p->interval = NS_PER_S / (int64_t)qps;
	*out = p;
	return 0;
}

void
dns_pacer_free(struct dns_pacer *p)
{
	struct slot *s, *n;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < PACER_BUCKETS; i++)
		for (s = p->b[i]; s != NULL; s = n) {
			n = s->link;
			free(s);
		}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/*
 * Strict spacing, no burst: the k-th query to an address goes out no
 * earlier than interval after the (k-1)-th.  Slots whose time has passed
 * by more than a second are dropped as the bucket is walked, so the table
 * holds only the addresses asked lately.  Out of memory: the query is not
 * paced (a slot for it cannot be kept).
 */
int64_t
dns_pacer_slot(struct dns_pacer *p, const struct dns_addr *a)
{
	struct slot **pp, *s, *found = NULL;
	int64_t now = now_ns(), at;
	unsigned h = addr_hash(a);

	pthread_mutex_lock(&p->lock);
	for (pp = &p->b[h]; (s = *pp) != NULL;) {
		if (s->len == a->len && memcmp(&s->ss, &a->ss, a->len) == 0) {
			found = s;
			pp = &s->link;
			continue;
		}
		if (s->next + NS_PER_S < now) {
			*pp = s->link;
			free(s);
			continue;
		}
		pp = &s->link;
	}
	if (found == NULL && (found = calloc(1, sizeof(*found))) != NULL) {
		memcpy(&found->ss, &a->ss, a->len);
		found->len = a->len;
		found->next = now;
		found->link = p->b[h];
		p->b[h] = found;
	}
	at = now;
	if (found != NULL) {
		if (found->next > at)
			at = found->next;
		found->next = at + p->interval;
	}
	pthread_mutex_unlock(&p->lock);
	return at;
}
