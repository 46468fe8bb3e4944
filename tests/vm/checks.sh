# checks.sh - what every VM suite uses to count its checks, sourced from
# /root/checks.sh (tests/vm/vm.mk copies it in with --file).  Each check
# prints PASS: or FAIL:; finish prints "N passed, N failed", the line
# tests/vm/check-debug reads, and fails the suite on a failure or when no
# check ran at all.
P=/sys/kernel/config/lcg/profiles
passed=0
failed=0

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: pass when COMMAND succeeds
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
attr() { cat "$P/$1/$2" 2>/dev/null; }
equals() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'"; return 1; }; }
log_has() { dmesg | grep -qE -- "$1" || { echo "  no kernel log line matches: $1"; return 1; }; }
log_lacks() { ! dmesg | grep -E -- "$1"; }
# run a program, remember its exit status in $rc
run() { "$@"; rc=$?; echo "  exit status $rc"; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
