#!/bin/sh
# tests/bench/epp.sh - domain:info commands per second over one EPP session
# against the local test registry (tests/epp/server.py, real TLS), one at a
# time and pipelined.  For information: no target (an EPP command waits on
# the registry, so the client's CPU does not matter at these sizes).  The
# registry is Python, so the figures are mostly its speed; they are for
# spotting regressions (a lost session, a reconnect per command).
# Knob: EPP_BENCH_N (2000 commands).  Run under the system-test lock.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$SRCDIR/$BUILD" ;; esac
N=${EPP_BENCH_N:-2000}
TMPDIR=$(mktemp -d /tmp/dsreg-bench-epp.XXXXXX)
export TMPDIR
DSREG=${DSREG:-$BUILD/dsreg}
export DSREG
EPP_NO_DSREG=1   # the bench drives the library directly
. "$SRCDIR/tests/epp/lib.sh"
trap 'epp_cleanup; rm -rf "$TMPDIR"' EXIT
[ -f "$BUILD/libdsreg.a" ] || fail "no $BUILD/libdsreg.a (make first)"
epp_setup 127.20.200.1
trap 'epp_cleanup; rm -rf "$TMPDIR"' EXIT
PKGS="libxml-2.0 openssl libcurl ldns sqlite3 jansson inih libidn2"
# shellcheck disable=SC2046
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -I"$SRCDIR" $(pkg-config --cflags $PKGS) \
    -o "$TMPDIR/epp-bench" "$SRCDIR/tests/bench/epp_info.c" "$BUILD/libdsreg.a" \
    $(pkg-config --libs $PKGS) -lpthread -lm || fail "build the bench driver"
epp_start --domain bench.lab \
    --ds "bench.lab=11111,13,2,1111111111111111111111111111111111111111111111111111111111111111" \
    --ds "bench.lab=22222,13,4,222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222"
"$TMPDIR/epp-bench" "$EPP_IP" "$EPP_PORT" "$TMPDIR/pki/ca.pem" \
    "$TMPDIR/pki/client.pem" "$TMPDIR/pki/client.key" reg1 "$TMPDIR/reg1.pw" \
    bench.lab "$N" || fail "bench driver"
echo "epp: load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
exit 0
