/* tests/unit/hookrec.c - a registrar_hook that writes down what it sees, and can say no to one step */
#include "tests/unit/hookrec.h"

#include <stdio.h>
#include <string.h>

static void
put(struct hookrec *r, const char *s)
{
	size_t n = strlen(r->trace);

	snprintf(r->trace + n, sizeof(r->trace) - n, "%s", s);
}

static int
before(void *ctx, const char *domain, enum registrar_step step)
{
	struct hookrec *r = ctx;
	char s[64];

	snprintf(s, sizeof(s), "+%s ", registrar_step_name(step));
	put(r, s);
	/* -1, as the engine's hook says no */
	return (int)step == r->refuse ? -1 : 0;
}

static void
after(void *ctx, const char *domain, enum registrar_step step, int rc,
    const char *note)
{
	struct hookrec *r = ctx;
	char s[64];

	snprintf(s, sizeof(s), "-%s(%d) ", registrar_step_name(step), rc);
	put(r, s);
	snprintf(r->note, sizeof(r->note), "%s", note != NULL ? note : "");
}

void
hookrec_init(struct hookrec *r, int refuse)
{
	memset(r, 0, sizeof(*r));
	r->refuse = refuse;
	r->hook.before = before;
	r->hook.after = after;
	r->hook.ctx = r;
}
