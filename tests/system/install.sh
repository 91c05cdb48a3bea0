#!/bin/sh
# tests/system/install.sh - make install honours PREFIX and DESTDIR, and the
# installed program runs.
set -eu
: "${SRCDIR:?}" "${BUILD:?}" "${TMPDIR:?}"
root="$TMPDIR/root"
make -s -C "$SRCDIR" BUILD="$BUILD" install DESTDIR="$root" PREFIX=/opt/dsreg >/dev/null
test -x "$root/opt/dsreg/bin/dsreg"
test -f "$root/opt/dsreg/share/man/man1/dsreg.1"
# nothing outside DESTDIR/PREFIX
test "$(find "$root" -type f | wc -l)" -eq 2
"$root/opt/dsreg/bin/dsreg" ds -K "$SRCDIR/fixtures/keys" | grep -q "^example.net. IN DS "
make -s -C "$SRCDIR" BUILD="$BUILD" uninstall DESTDIR="$root" PREFIX=/opt/dsreg
test ! -e "$root/opt/dsreg/bin/dsreg"
echo "install: ok"
