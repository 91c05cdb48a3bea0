/* common/log.c - formatting front end of the log hook */
#include "common/log.h"
#include "common/buf.h"
#include "common/secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
dsreg_log_enabled(const struct dsreg_log *log, enum dsreg_log_level level)
{
	return log != NULL && log->fn != NULL && level <= log->max_level;
}

void
dsreg_log(const struct dsreg_log *log, enum dsreg_log_level level,
    const char *fmt, ...)
{
	char small[1024], *big = NULL;
	const char *msg;
	struct dsreg_buf clean;
	va_list ap;
	int n;

	if (!dsreg_log_enabled(log, level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		/* Long messages (protocol traces) are formatted in full. */
		big = malloc((size_t)n + 1);
		if (big != NULL) {
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
		}
	}
	msg = big != NULL ? big : small;
	/*
	 * Every message passes the secrets scrub: a server that echoes a
	 * password in its answer must not get it into a log or a trace.
	 */
	if (dsreg_secret_found(msg, strlen(msg))) {
		dsreg_buf_init(&clean, (size_t)-1 / 2);
		if (dsreg_secret_scrub(msg, strlen(msg), &clean) == 0)
			log->fn(log->ctx, level, clean.data);
		else
			log->fn(log->ctx, level, "(message not shown: it held "
			    "a secret and could not be scrubbed)");
		dsreg_buf_free(&clean);
		dsreg_secret_wipe((char *)msg, strlen(msg));
	} else
		log->fn(log->ctx, level, msg);
	free(big);
}
