#!/bin/sh
# vm-tls.sh - the guest side of eval/mbedtls/vm-overhead, one boot (started
# with --no-lcg).  The TLS workload (ssl_server2 and CLIENTS ssl_client2 runs
# over 127.0.0.1), timed as eval/lib/rounds does natively: a warm-up round,
# then ROUNDS rounds of the plain, PDA and NFA builds with the order rotated
# by one each round; first without lcg.ko (workload tls-vm: the dummy calls
# return -ENOSYS), then with lcg.ko loaded and both builds' profiles in
# enforce mode (workload tls-vm-lcg: plain unmonitored, PDA and NFA
# monitored).
# /root/vm-tls.conf sets PLAIN, PDA, NFA (programs/ directories, at the
# paths the policies name), ROUNDS and CLIENTS.
# Prints "LCGEVAL WORKLOAD VARIANT ROUND POSITION SECONDS STATUS" lines, the
# profiles' counters ("LCGEVAL-PROFILE NAME tasks N events N violations N")
# and each violation the kernel logged ("LCGEVAL-VIOLATION ...").
. /root/vm-tls.conf
ip link set lo up

# busybox's date has no %N: seconds since boot, 10 ms resolution.
now() { cut -d' ' -f1 /proc/uptime; }

tls_once() {	# programs-dir port -> seconds on stdout; 1 when a program failed
	port=$2
	t0=$(now)
	"$1/ssl/ssl_server2" server_addr=127.0.0.1 server_port=$port >/tmp/server.out 2>&1 &
	server=$!
	tries=0
	until grep -q 'Waiting for a remote connection' /tmp/server.out; do
		tries=$((tries + 1))
		if [ $tries -gt 3000 ] || ! kill -0 $server 2>/dev/null; then
			echo "LCGEVAL-ERROR ssl_server2 of $1 did not start" >&2
			cat /tmp/server.out >&2
			kill $server 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	i=0
	failed=0
	while [ $i -lt "$CLIENTS" ]; do
		client_once "$1" $port || failed=$((failed + 1))
		i=$((i + 1))
	done
	kill -TERM $server
	wait $server
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }'
	[ $failed = 0 ]
}

# One client run.  Under emulation on a busy host a connect to the
# listening server is now and then refused (seen with every build, with
# or without lcg.ko): such a client is retried at once, at most twice, each
# retry reported on the console (LCGEVAL-RETRY) and counted by the report;
# any other failure fails the run.
client_once() {	# programs-dir port
	tries=0
	while :; do
		rc=0
		"$1/ssl/ssl_client2" server_addr=127.0.0.1 server_port=$2 >/tmp/client.out 2>&1 || rc=$?
		[ $rc = 0 ] && return 0
		if [ $tries -lt 2 ] && grep -q 'Connecting to .*\.\.\. failed' /tmp/client.out; then
			tries=$((tries + 1))
			echo "LCGEVAL-RETRY ssl_client2 of $1: connect to port $2 refused, retried" >&2
			continue
		fi
		echo "LCGEVAL-ERROR ssl_client2 of $1 failed (exit $rc)" >&2
		tail -n 5 /tmp/client.out >&2
		echo "server output:" >&2
		tail -n 5 /tmp/server.out >&2
		return 1
	done
}

dir_of() {	# variant -> programs directory
	case $1 in plain) echo "$PLAIN" ;; pda) echo "$PDA" ;; nfa) echo "$NFA" ;; esac
}

order() {	# round -> the variants, rotated by one per round
	case $(( $1 > 0 ? ($1 - 1) % 3 : 0 )) in
	0) echo plain pda nfa ;;
	1) echo pda nfa plain ;;
	2) echo nfa plain pda ;;
	esac
}

rounds() {	# workload
	r=0
	while [ $r -le "$ROUNDS" ]; do
		pos=0
		for v in $(order $r); do
			# a port of its own for each run (tls_once runs in a subshell)
			PORT=$((PORT + 1))
			if s=$(tls_once "$(dir_of $v)" $PORT); then
				echo "LCGEVAL $1 $v $r $pos $s ok"
			else
				echo "LCGEVAL $1 $v $r $pos - failed"
			fi
			pos=$((pos + 1))
		done
		r=$((r + 1))
	done
}

PORT=30000
rounds tls-vm

insmod /lib/lcg.ko || { echo "LCGEVAL-ERROR insmod lcg.ko failed"; exit 1; }
for mode in pda nfa; do
	dir=$(dir_of $mode)
	for p in ssl_server2 ssl_client2; do
		lcg-load --mode enforce --name "$mode-$p" "$dir/ssl/$p.lcg.cbor" ||
			{ echo "LCGEVAL-ERROR lcg-load $mode $p failed"; exit 1; }
	done
done
dmesg -c >/dev/null
rounds tls-vm-lcg
for d in /sys/kernel/config/lcg/profiles/*; do
	echo "LCGEVAL-PROFILE $(basename "$d") tasks $(cat "$d/tasks") events $(cat "$d/events") violations $(cat "$d/violations")"
done
dmesg | grep 'lcg: violation\|lcg: refused' | sed 's/^/LCGEVAL-VIOLATION /'
exit 0
