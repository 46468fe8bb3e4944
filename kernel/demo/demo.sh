#!/bin/sh
# demo.sh - the lcg demo, run inside the test VM by `make demo`.
cd /root
echo
echo "== 1. load greeter's policy into lcg.ko (enforce mode)"
lcg-load --exe /root/greeter --mode enforce greeter.lcg.cbor || exit 1
echo
echo "== 2. benign run: ./greeter alice"
./greeter alice
benign=$?
echo "   exit status $benign"
echo
# exploited NUMBER ARG WHAT KEPT GONE: one hijacked run; sets $status and $kept
exploited() {
	echo "== $1. exploited run: ./greeter $2 /root/precious ($3)"
	./greeter "$2" /root/precious
	status=$?
	echo "   exit status $status ($([ $status = 137 ] && echo 'killed by SIGKILL' || echo 'NOT killed'))"
	if [ -e /root/precious ]; then
		echo "   /root/precious is still there: $4"
		kept=1
	else
		echo "   /root/precious is GONE: $5"
		kept=0
	fi
	echo
}

echo "keep me" >/root/precious
dmesg -c >/dev/null
exploited 3 attack "hijacked into unlink" "unlink() never ran" "unlink() ran"
attack=$status kept_attack=$kept
exploited 4 libc "hijacked into libc's own unlink: no event" \
	"the unlink system call was refused" "the unlink system call ran"
libc=$status kept_libc=$kept
echo "== 5. the kernel's log lines (the second names the refused system call)"
dmesg | grep 'lcg: violation'
echo
echo "== 6. counters (lcg-status)"
lcg-status
echo
if [ $benign = 0 ] && [ $attack = 137 ] && [ $kept_attack = 1 ] && [ $libc = 137 ] && [ $kept_libc = 1 ]; then
	echo "DEMO: the benign run completed and both attacks were stopped in the kernel before unlink"
	exit 0
fi
echo "DEMO FAILED: benign=$benign attack=$attack file kept=$kept_attack libc=$libc file kept=$kept_libc"
exit 1
