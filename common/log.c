/* common/log.c - formatting front end of the log hook */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
	log->fn(log->ctx, level, big != NULL ? big : small);
	free(big);
}
