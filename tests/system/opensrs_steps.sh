#!/bin/sh
# tests/system/opensrs_steps.sh - the step callback of osrs_domain_replace_ds
# (what a write-ahead journal will hook): it sees before/after of unlock,
# set and relock in order with each result; refusing the unlock changes
# nothing; refusing the set still relocks; refusing the relock is ignored
# (the domain is never left unlocked by the journal).  A small C driver,
# tests/opensrs/steps.c, is built against the library.
OSRS_ADDR=127.30.5.1
. "$SRCDIR/tests/opensrs/lib.sh"
osrs_setup
osrs_start
LIBS=$(pkg-config --libs libxml-2.0 openssl libcurl ldns sqlite3 jansson inih)
CFL=$(pkg-config --cflags libxml-2.0 openssl libcurl)
# shellcheck disable=SC2086
cc -std=c11 -D_GNU_SOURCE -I"$SRCDIR" $CFL -o "$T/steps" "$SRCDIR/tests/opensrs/steps.c" \
    "$BUILD/libdsreg.a" $LIBS -lpthread -lm $(case "$BUILD" in *asan*) echo -fsanitize=address,undefined;; esac) ||
	fail "build steps.c"

steps() {
	"$T/steps" "$URL" alpha "$T/alpha.key" "$T/ca.pem" "$@" > "$T/out" 2> "$T/err"
	RC=$?
}

# --- normal run on a locked domain
clear_log
steps locked.lab record "4242 13 2 $DIG1"
expect_rc 0 "record"
[ "$(cat "$T/out")" = "before unlock
after unlock rc=0 code=200
before set-ds
after set-ds rc=0 code=200
before relock
after relock rc=0 code=200
was_locked=1 unlock_sent=1 set_sent=1 set_ok=1 relock_sent=1 relocked=1 relock_failed=0
rc=ok" ] || fail "record: callback sequence"

# --- the journal refuses the unlock: nothing is changed
clear_log
steps locked.lab cancel-unlock "4242 13 2 $DIG2"
expect_rc 3 "cancel-unlock"
expect_out "rc=invalid state: locked.lab: unlock cancelled by the step callback" "cancel-unlock"
expect_calls "GET:status - 200 " "cancel-unlock: only the lock state was read"

# --- the journal refuses the set: unlocked, not set, relocked
clear_log
steps locked.lab cancel-set "4242 13 2 $DIG2"
expect_rc 3 "cancel-set"
[ "$(cat "$T/out")" = "before unlock
after unlock rc=0 code=200
before set-ds
cancel
before relock
after relock rc=0 code=200
was_locked=1 unlock_sent=1 set_sent=0 set_ok=0 relock_sent=1 relocked=1 relock_failed=0
rc=invalid state: locked.lab: set DS cancelled by the step callback" ] || fail "cancel-set: sequence"
expect_calls "GET:status - 200 
MODIFY:0 applied 200 
MODIFY:1 applied 200 " "cancel-set: unlock and relock only"
[ "$(state_get locked.lab ds)" = "4242 13 2 $DIG1" ] || fail "cancel-set changed the DS"
[ "$(state_get locked.lab locked)" = 1 ] || fail "cancel-set left it unlocked"

# --- refusing the relock is ignored
clear_log
steps locked.lab cancel-relock "4242 13 2 $DIG2"
expect_rc 0 "cancel-relock"
expect_out "relocked=1" "cancel-relock"
[ "$(state_get locked.lab locked)" = 1 ] || fail "cancel-relock left it unlocked"
[ "$(state_get locked.lab ds)" = "4242 13 2 $DIG2" ] || fail "cancel-relock: DS"

# --- an unlocked domain: only the set step
steps open.lab record
expect_rc 0 "unlocked domain"
[ "$(cat "$T/out")" = "before set-ds
after set-ds rc=0 code=200
was_locked=0 unlock_sent=0 set_sent=1 set_ok=1 relock_sent=0 relocked=0 relock_failed=0
rc=ok" ] || fail "unlocked domain: sequence"
exit 0
