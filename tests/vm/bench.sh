#!/bin/sh
# bench.sh - the kernel side of `make bench`, one boot (started with --no-lcg):
# the cost of an event, as a ratio to getppid() measured in the same run,
# with lcg unloaded, loaded but not monitoring the program, and monitoring
# it in enforce and in complain mode.
N=${LCG_BENCH_CALLS:-100000}
cd /root
# prints: case, getppid and event cycles, event/getppid, event/bare dummy syscall
measure() {
	./bench "$N" >/tmp/bench.out || return 1
	read -r _ g _ e _ r </tmp/bench.out
	[ -n "$bare" ] || bare=$r
	awk -v what="$1" -v g="$g" -v e="$e" -v r="$r" -v b="$bare" \
		'BEGIN { printf "%-34s %8.0f %8.0f %9.2fx %9.2fx\n", what, g, e, r, r / b }'
}
bare=
printf "%-34s %8s %8s %10s %10s\n" "cycles per call (median of 11)" getppid event "/getppid" "/bare"
measure "lcg not loaded (bare -ENOSYS)" || exit 1
insmod /lib/lcg.ko || exit 1
measure "lcg loaded, program not monitored"
lcg-load --exe /root/bench --mode enforce bench.lcg.cbor >/dev/null || exit 1
measure "monitored, enforce"
echo complain >/sys/kernel/config/lcg/profiles/bench/mode
measure "monitored, complain"
violations=$(cat /sys/kernel/config/lcg/profiles/bench/violations)
echo "violations during the benchmark: $violations"
[ "$violations" = 0 ]
