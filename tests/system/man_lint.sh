#!/bin/sh
# tests/system/man_lint.sh - docs/dsreg.1 is mandoc -Tlint clean (all levels)
# and has a section for every implemented command.
set -eu
: "${SRCDIR:?}" "${DSREG:?}"
# "outdated mandoc.db" notes are about this machine's man database (packages
# installed without makewhatis), not about the page: drop exactly those.
out=$(mandoc -Tlint -W all "$SRCDIR/docs/dsreg.1" 2>&1 |
	grep -v 'outdated mandoc.db lacks .* entry, run makewhatis') || true
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
missing=0
for cmd in $("$DSREG" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)*$/\1/p'); do
	if "$DSREG" "$cmd" --help 2>&1 | grep -q "not implemented yet"; then
		continue
	fi
	if ! grep -q "^\.Ss $cmd\$" "$SRCDIR/docs/dsreg.1"; then
		echo "docs/dsreg.1 has no section for command '$cmd'"
		missing=1
	fi
done
[ "$missing" -eq 0 ]
