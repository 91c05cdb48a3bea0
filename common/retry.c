/* common/retry.c - names of the retry classes */
#include "common/retry.h"

const char *
dsreg_retry_name(enum dsreg_retry r)
{
	switch (r) {
	case DSREG_RETRY_NONE: return "none";
	case DSREG_RETRY_NEVER: return "never";
	case DSREG_RETRY_FIX: return "fix-request";
	case DSREG_RETRY_AUTH: return "authentication";
	case DSREG_RETRY_LATER: return "later";
	case DSREG_RETRY_RECONNECT: return "reconnect";
	case DSREG_RETRY_BACKOFF: return "backoff";
	case DSREG_RETRY_UNKNOWN: break;
	}
	return "unknown";
}

int
dsreg_retry_may_succeed(enum dsreg_retry r)
{
	return r == DSREG_RETRY_LATER || r == DSREG_RETRY_RECONNECT ||
	    r == DSREG_RETRY_BACKOFF;
}
