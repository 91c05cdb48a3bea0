#!/bin/sh
# tests/system/deb_package.sh - `make deb` builds the Debian package from a
# copy of the source tree (in $TMPDIR, the tree is left alone): the files
# and modes it holds, its version is VERSION's, lintian shows no E: or W:
# line, `systemd-analyze verify` passes the units in a root made of the
# package and this machine's systemd units, the service carries its
# hardening, and dsreg-run keeps dsreg's exit status and replaces the
# metrics file only by a rename.  No network, nothing installed.
set -u
: "${SRCDIR:?}" "${TMPDIR:?}"
fail() { echo "FAIL: $*"; exit 1; }
T=$TMPDIR

for tool in dpkg-buildpackage dh lintian systemd-analyze dpkg-deb mandoc; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "deb_package: $tool not installed (sh scripts/install-deps)"; exit 77; }
done
version=$(cat "$SRCDIR/VERSION")
arch=$(dpkg --print-architecture)

# -- build: the unit tier runs in `make check` already (nocheck)
start=$(date +%s)
DEB_BUILD_OPTIONS=nocheck make -s -C "$SRCDIR" deb BUILD="$T/build" \
    > "$T/build.log" 2>&1 || { tail -n 40 "$T/build.log"; fail "make deb"; }
echo "make deb: $(( $(date +%s) - start )) s"
deb="$T/build/deb/dsreg_${version}_${arch}.deb"
changes="$T/build/deb/dsreg_${version}_${arch}.changes"
[ -f "$deb" ] || fail "no $deb"
[ -f "$changes" ] || fail "no $changes"
[ -z "$(cd "$SRCDIR" && git ls-files --others --ignored --exclude-standard debian 2>/dev/null)" ] ||
	fail "make deb left files in the source tree's debian/"

# -- fields
[ "$(dpkg-deb -f "$deb" Package)" = dsreg ] || fail "Package"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] ||
	fail "Version $(dpkg-deb -f "$deb" Version), VERSION says $version"
dpkg-deb -f "$deb" Depends | grep -q 'adduser' || fail "no Depends on adduser"

# -- contents: every file, with its mode and owner
dpkg-deb -c "$deb" > "$T/contents"
cat "$T/contents"
# the units' directory is /lib or /usr/lib, as this debhelper puts them
unitdir=$(sed -n 's#.* \./\(.*\)/dsreg\.service$#\1#p' "$T/contents")
case "$unitdir" in
lib/systemd/system|usr/lib/systemd/system) ;;
*) fail "dsreg.service in '$unitdir'" ;;
esac
cat > "$T/want" <<EOF
-rwxr-xr-x root/root ./usr/bin/dsreg
-rwxr-xr-x root/root ./usr/libexec/dsreg/dsreg-run
-rw-r--r-- root/root ./$unitdir/dsreg.service
-rw-r--r-- root/root ./$unitdir/dsreg.timer
-rw-r--r-- root/root ./usr/share/man/man1/dsreg.1.gz
-rw-r--r-- root/root ./usr/share/doc/dsreg/examples/dsreg.conf
-rw-r--r-- root/root ./usr/share/doc/dsreg/README.md.gz
-rw-r--r-- root/root ./usr/share/doc/dsreg/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/dsreg/copyright
drwxr-xr-x root/root ./etc/dsreg/
EOF
# mode owner path, for files and the one directory of our own
awk '$1 ~ /^-/ || $6 == "./etc/dsreg/" { print $1, $2, $6 }' "$T/contents" |
	sort > "$T/got"
sort "$T/want" > "$T/want.sorted"
diff "$T/want.sorted" "$T/got" || fail "package contents differ (- wanted, + got)"

# -- the files themselves
root="$T/root"
dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x"
[ "$("$root/usr/bin/dsreg" --version)" = "dsreg $version" ] ||
	fail "packaged dsreg --version: $("$root/usr/bin/dsreg" --version)"
cmp "$root/usr/share/doc/dsreg/examples/dsreg.conf" \
    "$SRCDIR/docs/examples/dsreg.conf" || fail "example config differs"
gzip -dc "$root/usr/share/man/man1/dsreg.1.gz" | cmp - "$SRCDIR/docs/dsreg.1" ||
	fail "man page differs from docs/dsreg.1"
# the package's maintainer scripts: the user, and no apply at install
dpkg-deb -e "$deb" "$T/control" || fail "dpkg-deb -e"
grep -q 'adduser --system' "$T/control/postinst" || fail "postinst makes no system user"
grep -q "deb-systemd-helper enable 'dsreg.timer'" "$T/control/postinst" ||
	fail "postinst does not enable dsreg.timer"
if grep -q "dsreg.service" "$T/control/postinst" "$T/control/prerm"; then
	fail "a maintainer script starts or stops dsreg.service (an apply)"
fi

# -- lintian: every E: and W: fails; the whole output is shown
lintian --version
lintian --info --display-info --pedantic --display-experimental "$changes" > "$T/lintian" 2>&1
lrc=$?
echo "lintian output (exit $lrc):"
sed 's/^/  /' "$T/lintian"
grep -q '^[EW]: ' "$T/lintian" && fail "lintian: errors or warnings"
[ "$lrc" -eq 0 ] || fail "lintian exit $lrc"

# -- systemd-analyze verify, in a root made of the package and this machine's
# units (it checks that ExecStart exists and man:dsreg(1) opens, and needs
# sysinit.target and the like; systemd need not be running)
for d in /lib/systemd/system /usr/lib/systemd/system; do
	[ -d "$d" ] && [ ! -L "$d" ] && mkdir -p "$root$d" &&
		cp -an "$d/." "$root$d/"
done
MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
    "/$unitdir/dsreg.service" "/$unitdir/dsreg.timer" > "$T/verify" 2>&1
vrc=$?
echo "systemd-analyze verify (exit $vrc):"
sed 's/^/  /' "$T/verify"
[ "$vrc" -eq 0 ] || fail "systemd-analyze verify: exit $vrc"
[ ! -s "$T/verify" ] || fail "systemd-analyze verify said something"
# a unit it must reject, so that a pass means something
sed 's/^ProtectSystem=strict$/ProtectSystm=strict/' "$root/$unitdir/dsreg.service" \
    > "$root/$unitdir/dsreg-typo.service"
MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
    "/$unitdir/dsreg-typo.service" 2>&1 | grep -q "Unknown key 'ProtectSystm'" ||
	fail "systemd-analyze verify does not see a misspelt key here"
rm -f "$root/$unitdir/dsreg-typo.service"

# -- what the service must say
svc="$root/$unitdir/dsreg.service"
timer="$root/$unitdir/dsreg.timer"
for line in Type=oneshot User=dsreg Group=dsreg StateDirectory=dsreg \
    ExecStart=/usr/libexec/dsreg/dsreg-run SuccessExitStatus=1 \
    Environment=DSREG_CONFIG=/etc/dsreg/dsreg.conf \
    ConditionPathExists=/etc/dsreg/dsreg.conf \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
    NoNewPrivileges=yes CapabilityBoundingSet= AmbientCapabilities= \
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
    SystemCallFilter=@system-service SystemCallArchitectures=native \
    ProtectKernelTunables=yes ProtectKernelModules=yes ProtectControlGroups=yes \
    RestrictNamespaces=yes RestrictSUIDSGID=yes MemoryDenyWriteExecute=yes \
    LockPersonality=yes; do
	grep -qxF -- "$line" "$svc" || fail "dsreg.service lacks '$line'"
done
# the only writable paths: the state directory and the textfile collector's
[ "$(grep '^ReadWritePaths=' "$svc")" = \
    "ReadWritePaths=-/var/lib/prometheus/node-exporter" ] ||
	fail "ReadWritePaths: $(grep '^ReadWritePaths=' "$svc")"
if grep -q '^\[Install\]' "$svc"; then
	fail "dsreg.service has an [Install] section: only the timer starts it"
fi
for line in OnCalendar=daily Persistent=true WantedBy=timers.target; do
	grep -qxF "$line" "$timer" || fail "dsreg.timer lacks '$line'"
done
grep -q '^RandomizedDelaySec=[1-9]' "$timer" || fail "dsreg.timer: no RandomizedDelaySec"
# systemd's own score of the sandbox (0 best, 10 worst; "OK" is below 4.0)
systemd-analyze security --offline=yes --root="$root" "/$unitdir/dsreg.service" \
    > "$T/security" 2>&1
exposure=$(sed -n 's/.*Overall exposure level for dsreg.service: \([0-9.]*\).*/\1/p' "$T/security")
echo "systemd-analyze security: exposure $exposure"
[ -n "$exposure" ] || { cat "$T/security"; fail "no exposure level"; }
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' ||
	{ grep '✗' "$T/security"; fail "exposure $exposure above 2.0"; }

# -- dsreg-run: dsreg's status is the unit's, the metrics file is replaced
# only by a rename, and only when dsreg wrote metrics
run="$root/usr/libexec/dsreg/dsreg-run"
prom="$T/textfile"
mkdir -p "$prom" "$T/state"
echo "old 1" > "$prom/dsreg.prom"
# the real program with a configuration error: exit 2, no metrics, old file kept
DSREG="$root/usr/bin/dsreg" DSREG_CONFIG="$T/nonexistent.conf" \
    DSREG_TEXTFILE_DIR="$prom" STATE_DIRECTORY="$T/state" "$run" 2> "$T/run.err"
rc=$?
[ "$rc" -eq 2 ] || { cat "$T/run.err"; fail "dsreg-run with no config: exit $rc, want 2"; }
[ "$(cat "$prom/dsreg.prom")" = "old 1" ] || fail "metrics file replaced by a failed run"
grep -q "wrote no metrics" "$T/run.err" || fail "dsreg-run did not say it kept the old file"
# a stand-in for dsreg that prints one metric and exits with $FAKE_RC: the
# script's own logic for each status
cat > "$T/fake-dsreg" <<'EOF'
#!/bin/sh
[ "$*" = "--format openmetrics apply --yes --wait 0" ] || { echo "args: $*" >&2; exit 9; }
echo "dsreg_fake_run $FAKE_RC"
exit "$FAKE_RC"
EOF
chmod +x "$T/fake-dsreg"
for want in 0 1 3; do
	FAKE_RC=$want DSREG="$T/fake-dsreg" DSREG_TEXTFILE_DIR="$prom" \
	    STATE_DIRECTORY="$T/state" "$run" --wait 0 2> "$T/run.err"
	rc=$?
	[ "$rc" -eq "$want" ] || { cat "$T/run.err"; fail "dsreg-run: exit $rc, want $want"; }
	[ "$(cat "$prom/dsreg.prom")" = "dsreg_fake_run $want" ] ||
		fail "status $want: metrics not written"
	[ "$(stat -c %a "$prom/dsreg.prom")" = 644 ] ||
		fail "metrics file mode $(stat -c %a "$prom/dsreg.prom"): node_exporter cannot read it"
	[ "$(ls -A "$prom")" = "dsreg.prom" ] || fail "left in $prom: $(ls -A "$prom")"
done
# a textfile directory dsreg may not write: the state directory, said
rm -f "$T/state/dsreg.prom"
FAKE_RC=0 DSREG="$T/fake-dsreg" DSREG_TEXTFILE_DIR="$T/no-such-dir" \
    STATE_DIRECTORY="$T/state" "$run" --wait 0 2> "$T/run.err" || fail "fallback run"
[ -f "$T/state/dsreg.prom" ] || fail "no metrics in the state directory"
grep -q "metrics go to $T/state/dsreg.prom" "$T/run.err" || fail "fallback not said"

echo "deb_package: ok"
exit 0
