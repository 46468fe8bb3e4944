#!/bin/sh
# vm-tls.sh - the guest side of eval/mbedtls/vm-overhead, one boot (started
# with --no-lcg).  The TLS workload (ssl_server2 and CLIENTS ssl_client2 runs
# over 127.0.0.1) in ROUNDS rounds of: plain, and each instrumented build
# (PDA, NFA) without lcg.ko; then lcg.ko loaded with both builds' profiles in
# enforce mode, ROUNDS rounds of: plain, monitored NFA, monitored PDA.
# /root/vm-tls.conf sets PLAIN, PDA, NFA (programs/ directories, at the
# paths the policies name), ROUNDS and CLIENTS.
# Prints "LCGEVAL case round seconds" lines and the profiles' counters
# (tasks, events, violations).
. /root/vm-tls.conf
ip link set lo up

# busybox's date has no %N: seconds since boot, 10 ms resolution.
now() { cut -d' ' -f1 /proc/uptime; }

tls_once() {	# programs-dir -> seconds on stdout
	port=$((30000 + RANDOM_PORT))
	RANDOM_PORT=$((RANDOM_PORT + 1))
	t0=$(now)
	"$1/ssl/ssl_server2" server_addr=127.0.0.1 server_port=$port >/tmp/server.out 2>&1 &
	server=$!
	tries=0
	until grep -q 'Waiting for a remote connection' /tmp/server.out; do
		tries=$((tries + 1))
		if [ $tries -gt 3000 ] || ! kill -0 $server 2>/dev/null; then
			echo "LCGEVAL-ERROR ssl_server2 of $1 did not start"
			cat /tmp/server.out
			kill $server 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	i=0
	while [ $i -lt "$CLIENTS" ]; do
		"$1/ssl/ssl_client2" server_addr=127.0.0.1 server_port=$port >/tmp/client.out 2>&1 || {
			echo "LCGEVAL-ERROR ssl_client2 of $1 failed (exit $?)"
			tail -n 5 /tmp/client.out
		}
		i=$((i + 1))
	done
	kill -TERM $server
	wait $server
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }'
}

measure() {	# case round programs-dir
	s=$(tls_once "$3") && echo "LCGEVAL $1 $2 $s"
}

RANDOM_PORT=0
tls_once "$PLAIN" >/dev/null	# warm-up: the first run pays for cold caches
r=1
while [ $r -le "$ROUNDS" ]; do
	measure plain "$r" "$PLAIN"
	measure pda-instrumented "$r" "$PDA"
	measure nfa-instrumented "$r" "$NFA"
	r=$((r + 1))
done

insmod /lib/lcg.ko || { echo "LCGEVAL-ERROR insmod lcg.ko failed"; exit 1; }
for mode in pda nfa; do
	eval dir=\$$(echo $mode | tr a-z A-Z)
	for p in ssl_server2 ssl_client2; do
		lcg-load --mode enforce --name "$mode-$p" "$dir/ssl/$p.lcg.cbor" ||
			{ echo "LCGEVAL-ERROR lcg-load $mode $p failed"; exit 1; }
	done
done
r=1
while [ $r -le "$ROUNDS" ]; do
	measure plain-loaded "$r" "$PLAIN"
	measure nfa-monitored "$r" "$NFA"
	measure pda-monitored "$r" "$PDA"
	r=$((r + 1))
done
for d in /sys/kernel/config/lcg/profiles/*; do
	echo "LCGEVAL-PROFILE $(basename "$d") tasks $(cat "$d/tasks") events $(cat "$d/events") violations $(cat "$d/violations")"
done
