# tests/install/guide-steps.sh - docs/user-guide.md's kernel steps, run by
# busybox sh as root in the test VM (tests/install/run fills in the @...@
# lines: the program's path, and the systemd unit's Exec lines for start,
# reload and stop).  Prints GUIDE-OK when every step did what the guide says.
P=@PROG@
LOAD=/usr/local/sbin/lcg-load

fail() {
	echo "GUIDE-FAIL: $*"
	dmesg | grep 'lcg' | tail -5
	exit 1
}

status_json() {
	/usr/local/sbin/lcg-status --json > /tmp/s.json || fail "lcg-status --json"
}

want_json() {
	grep -q "$1" /tmp/s.json || { cat /tmp/s.json; fail "lcg-status --json lacks $1"; }
}

# What `dkms install` and Debian's kernel package leave: the module under
# updates/dkms, configfs under kernel/, and modules.dep for modprobe.
KVER=$(uname -r)
mkdir -p "/lib/modules/$KVER/updates/dkms" "/lib/modules/$KVER/kernel/fs/configfs" /etc/lcg
cp /root/lcg.ko "/lib/modules/$KVER/updates/dkms/lcg.ko"
cp /lib/configfs.ko "/lib/modules/$KVER/kernel/fs/configfs/"
depmod -a || fail "depmod"
for t in modprobe rmmod; do [ -e /sbin/$t ] || { mkdir -p /sbin && ln -s /bin/$t /sbin/$t; }; done
# busybox has no mountpoint(1); the unit uses util-linux's -q DIR
printf '#!/bin/sh\ngrep -q " $2 " /proc/mounts\n' > /bin/mountpoint && chmod +x /bin/mountpoint
cp /root/attack.cbor /etc/lcg/attack.cbor

echo "== systemctl start lcg-load"
@START@
[ -e /sys/module/lcg ] || fail "the unit's start did not load lcg"
status_json
want_json '"name": "attack"'
want_json '"mode": "enforce"'
want_json '"status": "loaded"'

echo "== complain first: the hijack is logged, the program goes on"
$LOAD --mode complain /etc/lcg/attack.cbor || fail "lcg-load --mode complain"
status_json
want_json '"mode": "complain"'
"$P" world > /tmp/out || fail "benign run in complain mode"
echo x > /tmp/victim
"$P" attack /tmp/victim
[ ! -e /tmp/victim ] || fail "complain mode stopped the program"
dmesg | grep -q "lcg: violation pid=[0-9]* comm=attack exe=$P profile=attack event=[0-9]* kind=[a-z]* callee=[^ ]* site=[^ ]* reason=[a-z-]* action=logged" ||
	fail "no complain-mode log line in the documented format"
status_json
grep -q '"violations": [1-9]' /tmp/s.json || fail "the violations counter did not move"

echo "== enforce: killed before unlink runs"
$LOAD --mode enforce /etc/lcg/attack.cbor || fail "lcg-load --mode enforce"
echo x > /tmp/victim
"$P" attack /tmp/victim
st=$?
[ "$st" -eq 137 ] || fail "enforce: exit $st, expected 137 (SIGKILL)"
[ -e /tmp/victim ] || fail "enforce mode let unlink run"
dmesg | grep -q "lcg: violation .* profile=attack .* action=killed" || fail "no enforce-mode log line"

echo "== the program changes: refused until its policy is loaded again"
cp "$P" /tmp/orig && echo >> "$P"
"$P" world
st=$?
[ "$st" -eq 137 ] || fail "changed binary: exit $st, expected 137"
dmesg | grep -q "lcg: refused pid=[0-9]* comm=attack exe=$P profile=attack reason=stale-binary action=killed" ||
	fail "no stale-binary log line"
status_json
want_json '"status": "stale:'
cp /tmp/orig "$P"

echo "== systemctl reload lcg-load"
@RELOAD@
status_json
want_json '"status": "loaded"'
"$P" world > /tmp/out || fail "run after reload"

echo "== a broken policy in /etc/lcg: the others still load, the unit fails"
echo garbage > /etc/lcg/broken.cbor
$LOAD --all
st=$?
[ "$st" -eq 1 ] || fail "lcg-load --all with a broken policy: exit $st, expected 1"
status_json
want_json '"status": "loaded"'
! grep -q '"name": "broken"' /tmp/s.json || fail "a profile of the broken policy stayed"
rm /etc/lcg/broken.cbor

echo "== systemctl stop lcg-load"
@STOP@
[ ! -e /sys/module/lcg ] || fail "the unit's stop left lcg loaded"
dmesg | grep -q 'lcg: unloaded' || fail "no unload log line"
echo GUIDE-OK
