/* common/log.h - the log hook: library code never prints, it calls this */
#ifndef DSREG_COMMON_LOG_H
#define DSREG_COMMON_LOG_H

enum dsreg_log_level {
	DSREG_LOG_ERR = 0,
	DSREG_LOG_WARN = 1,
	DSREG_LOG_INFO = 2,
	DSREG_LOG_DEBUG = 3,
	DSREG_LOG_TRACE = 4, /* protocol traces (XML exchanged), secrets redacted */
};

typedef void (*dsreg_log_fn)(void *ctx, enum dsreg_log_level level,
    const char *msg);

/*
 * A logger is a plain value the caller owns and passes down; there is no
 * global logger.  fn may be NULL (silence).  Messages above max_level are
 * not formatted at all.
 */
struct dsreg_log {
	dsreg_log_fn fn;
	void *ctx;
	enum dsreg_log_level max_level;
};

/* Log a printf-style message through log (NULL log or fn: nothing). */
void dsreg_log(const struct dsreg_log *log, enum dsreg_log_level level,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* True if a message of this level would be delivered. */
int dsreg_log_enabled(const struct dsreg_log *log, enum dsreg_log_level level);

#endif
