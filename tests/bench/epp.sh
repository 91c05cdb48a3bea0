#!/bin/sh
# tests/bench/epp.sh - N domain:info commands over one EPP session against the
# local test registry (real TLS); reports client CPU per command (target < 50 us).
set -u
: "${SRCDIR:?}" "${BUILD:?}"
N=${EPP_BENCH_N:-2000}
TMPDIR=$(mktemp -d /tmp/dsreg-bench-epp.XXXXXX)
export TMPDIR
DSREG=${DSREG:-$BUILD/dsreg}
export DSREG
EPP_NO_DSREG=1   # the bench drives the library directly
. "$SRCDIR/tests/epp/lib.sh"
trap 'epp_cleanup; rm -rf "$TMPDIR"' EXIT
epp_setup 127.20.200.1
trap 'epp_cleanup; rm -rf "$TMPDIR"' EXIT
PKGS="libxml-2.0 openssl libcurl ldns sqlite3 jansson inih"
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
