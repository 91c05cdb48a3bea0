/* common/retry.h - retry classes: what a caller may do after a registry's answer (EPP, OpenSRS) */
#ifndef DSREG_COMMON_RETRY_H
#define DSREG_COMMON_RETRY_H

/*
 * One vocabulary for every way of reaching a registry.  Each protocol
 * maps its own result codes to these (epp_code_class, osrs_retry_class);
 * the names are what traces, warnings, error messages and JSON show.
 */
enum dsreg_retry {
	DSREG_RETRY_NONE = 0,  /* "none": success, nothing to retry */
	DSREG_RETRY_NEVER,     /* "never": retrying cannot help; a person must act
	                        * (EPP 2xxx command errors; OpenSRS credentials,
	                        * permissions, allow-list) */
	DSREG_RETRY_FIX,       /* "fix-request": the request or its data must change */
	DSREG_RETRY_AUTH,      /* "authentication": login refused (EPP 2200, 2501) */
	DSREG_RETRY_LATER,     /* "later": the same request may succeed after a
	                        * pause (EPP 2400; OpenSRS 300 310 350 437 486 705) */
	DSREG_RETRY_RECONNECT, /* "reconnect": the session is gone (EPP 2500, a
	                        * dropped connection): reconnect with backoff */
	DSREG_RETRY_BACKOFF,   /* "backoff": session limit (EPP 2502): back off
	                        * longer, then reconnect */
	DSREG_RETRY_UNKNOWN,   /* "unknown": a code the documentation does not list */
};

/* Short name of a retry class (above); never NULL. */
const char *dsreg_retry_name(enum dsreg_retry r);

/* 1 if the class says the same request may succeed by itself later. */
int dsreg_retry_may_succeed(enum dsreg_retry r);

#endif
