#!/bin/sh
# bench.sh - the kernel side of `make bench`, one boot (started with --no-lcg).
# tests/vm/programs/bench.c prints the median cycles of getppid(), and the
# cost of kill(self, 0), openat(O_RDONLY)+close, openat(O_WRONLY)+close after
# an arming event, and of an event, in getppid() calls of the same run (lcg.ko
# never touches getppid, so this unit cancels the emulator's drift in speed).
# Under emulation only ratios mean something; this prints them, each the
# median over ROUNDS rounds:
#
#  1. an unmonitored process with lcg.ko loaded against not loaded (insmod and
#     rmmod in the guest; the order alternates from round to round);
#  2. with lcg.ko loaded, the program monitored (enforce) against an
#     identical copy of it that no profile names (alternating too).
N=${LCG_BENCH_CALLS:-3000}
ROUNDS=${LCG_BENCH_ROUNDS:-8}
cd /root
cp bench bench-free
rm -f /tmp/*.runs

# run PROGRAM CASE: one bench run, its line appended to /tmp/CASE.runs
run() {
	./"$1" "$N" >>/tmp/"$2".runs || { echo "bench.sh: $1 failed"; exit 1; }
}

# insmod and rmmod patch kernel text 197 times and leave work behind (RCU
# callbacks, the emulator's translation cache): let it settle, warm up again
settle() {
	sleep 3
	./bench 300 >/dev/null
}
load() { insmod /lib/lcg.ko || exit 1; settle; }
unload() { rmmod lcg || exit 1; settle; }

# ratios A B TITLE: per field, the median over rounds of B/A (paired by line)
ratios() {
	echo "$3"
	paste -d' ' /tmp/"$1".runs /tmp/"$2".runs | awk -v a="$1" -v b="$2" '
	function median(v, n,    i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{
		n++
		k = NF / 4	# name value pairs of A, then of B
		for (f = 1; f <= k; f++) {
			name[f] = $(2 * f - 1)
			x[f, n] = $(2 * f); y[f, n] = $(2 * k + 2 * f); r[f, n] = y[f, n] / x[f, n]
		}
	}
	END {
		printf "  %-10s %12s %12s %8s   (medians of %d rounds)\n", "per call", a, b, "ratio", n
		for (f = 1; f <= k; f++) {
			for (i = 1; i <= n; i++) { vx[i] = x[f, i]; vy[i] = y[f, i]; vr[i] = r[f, i] }
			if (f == 1)
				printf "  %-10s %9.0f cyc %9.0f cyc %7.2fx  (untouched by lcg: the noise)\n",
					name[f], median(vx, n), median(vy, n), median(vr, n)
			else
				printf "  %-10s %11.2f g %11.2f g %7.2fx\n", name[f], median(vx, n), median(vy, n),
					median(vr, n)
		}
	}'
}

echo "bench.sh: N=$N calls per run, 11 runs per measurement, $ROUNDS rounds"
i=0
while [ $i -lt "$ROUNDS" ]; do
	if [ $((i % 2)) = 0 ]; then
		run bench unloaded
		load
		run bench loaded
		unload
	else
		load
		run bench loaded
		unload
		run bench unloaded
	fi
	i=$((i + 1))
done

load
lcg-load --exe /root/bench --mode enforce bench.lcg.cbor >/dev/null || exit 1
i=0
while [ $i -lt "$ROUNDS" ]; do
	if [ $((i % 2)) = 0 ]; then
		run bench-free unmonitored
		run bench monitored
	else
		run bench monitored
		run bench-free unmonitored
	fi
	i=$((i + 1))
done

for c in unloaded loaded unmonitored monitored; do
	sed "s/^/  $c: /" /tmp/$c.runs
done
echo
ratios unloaded loaded "1. unmonitored process: lcg.ko loaded / not loaded"
echo
ratios unmonitored monitored "2. lcg.ko loaded: monitored (enforce) / unmonitored"
echo
echo "(g: getppid() calls of the same run)"
P=/sys/kernel/config/lcg/profiles/bench
echo
echo "monitored runs: $(cat $P/events) events, $(cat $P/syscalls) sensitive system calls checked, $(cat $P/violations) violations"
[ "$(cat $P/violations)" = 0 ]
