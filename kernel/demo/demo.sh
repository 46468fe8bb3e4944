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
echo "== 3. exploited run: ./greeter attack /root/precious (hijacked into unlink)"
echo "keep me" >/root/precious
dmesg -c >/dev/null
./greeter attack /root/precious
attack=$?
echo "   exit status $attack ($([ $attack = 137 ] && echo 'killed by SIGKILL' || echo 'NOT killed'))"
if [ -e /root/precious ]; then
	echo "   /root/precious is still there: unlink() never ran"
	kept=1
else
	echo "   /root/precious is GONE: unlink() ran"
	kept=0
fi
echo
echo "== 4. exploited run: ./greeter libc /root/precious (hijacked into libc's own unlink: no event)"
./greeter libc /root/precious
libc=$?
echo "   exit status $libc ($([ $libc = 137 ] && echo 'killed by SIGKILL' || echo 'NOT killed'))"
if [ -e /root/precious ]; then
	echo "   /root/precious is still there: the unlink system call was refused"
	kept_libc=1
else
	echo "   /root/precious is GONE: the unlink system call ran"
	kept_libc=0
fi
echo
echo "== 5. the kernel's log lines (the second names the refused system call)"
dmesg | grep 'lcg: violation'
echo
echo "== 6. counters (lcg-status)"
lcg-status
echo
if [ $benign = 0 ] && [ $attack = 137 ] && [ $kept = 1 ] && [ $libc = 137 ] && [ $kept_libc = 1 ]; then
	echo "DEMO: the benign run completed and both attacks were stopped in the kernel before unlink"
	exit 0
fi
echo "DEMO FAILED: benign=$benign attack=$attack file kept=$kept libc=$libc file kept=$kept_libc"
exit 1
