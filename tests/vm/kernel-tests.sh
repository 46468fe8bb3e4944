#!/bin/sh
# kernel-tests.sh - lcg.ko's integration tests, run inside the test VM by
# `make check-vm` (tests/vm/run).  One boot for everything: each test prints
# PASS: or FAIL: and the last line is "N passed, N failed".
#
# /root holds the test programs (seq, family, binding and libbinding.so),
# their policies (*.lcg.cbor, made by tests/vm/vm-policy), seq.img (seq's
# compiled image) and hostile/ (images damaged on purpose).
. /root/checks.sh
# the kernel log since the last mark, so each test sees only its own lines
mark() { dmesg -c >/dev/null; }
# wait_tasks PROFILE N: until PROFILE monitors N tasks (at most 10 s: emulation is slow)
wait_tasks() {
	i=0
	while [ "$(attr "$1" tasks)" != "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	equals "$(attr "$1" tasks)" "$2"
}

cd /root
# the module's load message, before the first mark clears the log
probed=$(dmesg | grep -o 'lcg: [0-9]* system call entries probed.*')
mark

echo "== loading"
echo "  $probed"
check "the module probes the sensitive system call entries this kernel has" \
	sh -c "echo '$probed' | grep -qE '^lcg: 19[0-9] system call entries probed'"
check "... and names, once, those it lacks (6.1 has no fchmodat2)" \
	equals "${probed#*skipped: }" "__x64_sys_fchmodat2"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
check "every system call probe is ftrace-based (no trap, no cost to other calls)" \
	sh -c "! grep -v 'ni_syscall' /sys/kernel/debug/kprobes/list | grep -v '\[FTRACE\]'"
check "lcg-load refuses a non-root caller" \
	sh -c '! su -s /bin/sh nobody -c "lcg-load /root/seq.lcg.cbor" 2>/dev/null'
check "lcg-load loads seq's policy" lcg-load --exe /root/seq --mode enforce seq.lcg.cbor
check "status is loaded" equals "$(attr seq status)" loaded
check "mode is enforce" equals "$(attr seq mode)" enforce
check "version and syscall_nr are readable" \
	sh -c 'grep -q image= /sys/kernel/config/lcg/version && [ "$(cat /sys/kernel/config/lcg/syscall_nr)" = 360 ]'
check "lcg-status --json lists seq" sh -c 'lcg-status --json | grep -q "\"name\": \"seq\""'
check "an unknown mode is refused" sh -c "! echo bogus 2>/dev/null >$P/seq/mode"
check "a relative exe path is refused" sh -c "! echo root/seq 2>/dev/null >$P/seq/exe"
check "... and the profile is untouched" equals "$(attr seq mode) $(attr seq exe) $(attr seq status)" \
	"enforce /root/seq loaded"

echo "== attach and detach"
./seq loop 40 20 >/dev/null &
loop=$!
check "a running seq is one monitored task" wait_tasks seq 1
wait $loop
check "the loop ran to its end" equals "$?" 0
check "no task left after exit" equals "$(attr seq tasks)" 0
check "its events were counted" test "$(attr seq events)" -ge 120
check "a legal run completes" ./seq ok
check "no violation so far" equals "$(attr seq violations)" 0

echo "== enforce"
mark
rm -f /tmp/lcg-pwned
run ./seq attack
check "the hijacked seq is killed (SIGKILL)" equals "$rc" 137
check "... before the forbidden call ran" test ! -e /tmp/lcg-pwned
check "... with one machine-parseable log line" log_has \
	"lcg: violation pid=[0-9]+ comm=seq exe=/root/seq profile=seq event=4 kind=libcall callee=unlink site=main@seq.c:58 reason=no-transition action=killed"
check "... and the violation counted" equals "$(attr seq violations)" 1
mark
run ./seq forge
check "an event forged from an unpinned address is killed" equals "$rc" 137
check "... logged as unpinned" log_has "event=2 kind=libcall callee=read .* reason=unpinned action=killed"

ln -s seq "evil name=x"
mark
run "./evil name=x" attack
check "seq through a symlink is the same program: killed" equals "$rc" 137
check "... and its chosen name cannot break the log line" \
	log_has "comm=evil\?name\?x exe=/root/seq profile=seq event=4 "
rm "evil name=x"

echo "== complain"
echo complain >$P/seq/mode
mark
rm -f /tmp/lcg-pwned
run ./seq attack
check "complain mode lets the hijacked seq finish" equals "$rc" 0
check "... the call ran" test -e /tmp/lcg-pwned
check "... and the violation is logged" log_has "event=4 .* reason=no-transition action=logged"
check "... and so is its open for writing, which unlink's event did not arm" \
	log_has "comm=seq .* syscall=openat class=write last-event=4 last-callee=unlink reason=unarmed action=logged"
run ./seq forge
check "complain mode logs a forged event and goes on" equals "$rc" 0
check "... as unpinned" log_has "event=2 .* reason=unpinned action=logged"
check "violations counted in complain mode" equals "$(attr seq violations)" 6
echo enforce >$P/seq/mode

echo "== fork, threads, signal handlers, exec"
check "lcg-load loads family's policy" lcg-load --exe /root/family family.lcg.cbor
for mode in enforce complain; do
	echo $mode >$P/family/mode
	mark
	seq_events=$(attr seq events)
	out=$(./family /root/seq)
	rc=$?
	echo "$out" | sed 's/^/  /'
	check "family ($mode) runs to the end" equals "$rc" 0
	check "family ($mode): no violation" equals "$(attr family violations)" 0
	check "family ($mode): no violation logged" log_lacks "lcg: violation"
	check "family ($mode): exec attached seq's profile" \
		test "$(attr seq events)" -eq $((seq_events + 3))
	check "family ($mode): the exec'ed seq ran" sh -c "echo '$out' | grep -q 'seq ok: done'"
done
check "family's events were counted" test "$(attr family events)" -gt 800
check "... and its sensitive system calls checked" test "$(attr family syscalls)" -gt 10

echo "== binding: attacks that announce nothing, killed before their effect"
check "lcg-load loads binding's policy" lcg-load --exe /root/binding --mode enforce binding.lcg.cbor
cp binding binding-free
V=/tmp/lcg-victim
# attack NAME EFFECT LOGLINE MODE ARGS...: killed, EFFECT (a test) still true, one log line
# (check() sets $name: these helpers keep theirs in $what)
attack() {
	what=$1 effect=$2 line=$3
	shift 3
	echo keep >$V
	rm -f /tmp/lcg-ran
	mark
	run ./binding "$@"
	check "$what: killed (SIGKILL)" equals "$rc" 137
	check "$what: ... before its effect" sh -c "$effect"
	check "$what: ... logged" log_has "comm=binding exe=/root/binding profile=binding $line action=killed"
}
before=$(attr binding violations)
sleep 5	# the kernel logs 20 lines per 5 s at most: the attacks' lines get a window of their own
attack "no event yet (start-up ended at the entry point), a hijacked unlink" "test -e $V" \
	"syscall=unlink class=delete last-event=0 last-callee=- reason=unarmed" early $V
attack "function pointer overwritten with libc's unlink" "test -e $V" \
	"syscall=unlink class=delete last-event=1 last-callee=puts reason=unarmed" fnptr-unlink $V
attack "function pointer overwritten with libc's system" "test ! -e /tmp/lcg-ran" \
	"syscall=clone3? class=spawn last-event=1 last-callee=puts reason=unarmed" \
	fnptr-system "touch /tmp/lcg-ran"
attack "function pointer overwritten with libc's execv" "test ! -e /tmp/lcg-ran" \
	"syscall=execve class=exec last-event=1 last-callee=puts reason=unarmed" fnptr-execv /tmp/lcg-ran
attack "a return into libc's unlink" "test -e $V" \
	"syscall=unlink class=delete last-event=1 last-callee=puts reason=unarmed" ret2libc $V
attack "a syscall gadget in the program's text, with delete armed" "test -e $V" \
	"syscall=unlink class=delete last-event=20 last-callee=remove reason=origin" gadget $V
attack "a seccomp filter hiding the events, then unlink" "test -e $V" \
	"syscall=seccomp class=hide last-event=1 last-callee=puts reason=unarmed" seccomp $V
attack "a raw clone(CLONE_THREAD)" "test ! -e /tmp/lcg-ran" \
	"syscall=clone class=spawn last-event=1 last-callee=puts reason=unarmed" clone-thread /tmp/lcg-ran
check "ld.so is in the VM" test -x /lib64/ld-linux-x86-64.so.2
attack "exec of ld.so running the program, without an exec event" "test ! -e /tmp/lcg-ran" \
	"syscall=execve class=exec last-event=1 last-callee=puts reason=unarmed" \
	ldso /root/binding /tmp/lcg-ran
attack "an i386 unlink (int \$0x80), even with delete armed" "test -e $V" \
	"syscall=i386:unlink class=delete last-event=2 last-callee=unlink reason=abi" int80 $V
attack "an x32 unlink, even with delete armed" "test -e $V" \
	"syscall=x32:unlink class=delete last-event=2 last-callee=unlink reason=abi" x32 $V
check "each attack counted as one violation" equals "$(attr binding violations)" $((before + 11))

echo "== binding: the same attacks succeed where lcg does not monitor"
# binding-free is a copy that no profile names: proof that each attack works
# (and that lcg leaves an unmonitored process's sensitive calls alone)
mark
for a in early fnptr-unlink ret2libc gadget seccomp int80 x32; do
	echo keep >$V
	./binding-free $a $V >/dev/null
	check "unmonitored $a: runs and removes the file" test ! -e $V
done
for a in fnptr-execv clone-thread; do
	rm -f /tmp/lcg-ran
	./binding-free $a /tmp/lcg-ran >/dev/null
	check "unmonitored $a: runs" test -e /tmp/lcg-ran
done
rm -f /tmp/lcg-ran
./binding-free fnptr-system "touch /tmp/lcg-ran" >/dev/null
check "unmonitored fnptr-system: runs" test -e /tmp/lcg-ran
rm -f /tmp/lcg-ran
./binding-free ldso /root/binding /tmp/lcg-ran >/dev/null
check "unmonitored ldso: runs the program through ld.so" test -e /tmp/lcg-ran
check "no log line for an unmonitored process" log_lacks "lcg: "

echo "== binding: no false alarm"
mark
before=$(attr binding violations)
calls=$(attr binding syscalls)
# legit NAME MODE ARGS...: runs to the end (exit 0)
legit() {
	what=$1
	shift
	run ./binding "$@"
	check "$what" equals "$rc" 0
}
legit "start-up: ld.so's executable mappings before the entry point" ok
check "... were seen (syscalls counter), and allowed" test "$(attr binding syscalls)" -gt "$calls"
echo keep >$V
legit "an armed unlink" unlink $V
check "... which removed the file" test ! -e $V
echo keep >$V
legit "a raw system call the policy pins, armed" raw $V
check "... which removed the file" test ! -e $V
legit "fork, and exec in the child" fork-exec
legit "a thread creating a thread" threads
echo keep >$V
echo keep >/tmp/lcg-tmp
legit "a signal handler making calls between unlink's event and its call" signal $V /tmp/lcg-tmp
check "... both unlinks ran" sh -c "test ! -e $V && test ! -e /tmp/lcg-tmp"
legit "dlopen" dlopen /root/libbinding.so
legit "sockets: socket, bind, listen, connect, accept" sockets
check "no violation" equals "$(attr binding violations)" "$before"
check "no violation logged" log_lacks "lcg: violation"
check "the sensitive calls were checked (syscalls counter)" test "$(attr binding syscalls)" -ge $((calls + 10))
check "lcg-status shows the syscalls counter" sh -c 'lcg-status | grep -q "^  syscalls   [0-9]"'

echo "== binding: complain mode"
echo complain >$P/binding/mode
mark
echo keep >$V
run ./binding fnptr-unlink $V
check "complain mode: the hijacked unlink runs" sh -c "[ $rc = 0 ] && [ ! -e $V ]"
check "... and is logged" \
	log_has "syscall=unlink class=delete last-event=1 last-callee=puts reason=unarmed action=logged"
echo keep >$V
run ./binding gadget $V
check "complain mode: the gadget runs, logged" \
	sh -c "[ $rc = 0 ] && [ ! -e $V ] && dmesg | grep -q 'reason=origin action=logged'"
echo enforce >$P/binding/mode

echo "== binding: the start-up probe"
mkdir $P/entry
cp seq seq-entry
echo /root/seq-entry >$P/entry/exe
cat hostile/entry-past-end.image >$P/entry/image
echo "  $(attr entry status)"
check "an entry point that is not the binary's is refused, and status says why" \
	sh -c "grep -q \"the image's entry point is not the binary's\" $P/entry/status"
cat seq.img >$P/entry/image
check "the same image with its real entry point loads" equals "$(attr entry status)" loaded
rmdir $P/entry

echo "== stale binaries"
cp seq seq-modified && cp seq seq-replaced && cp seq seq-hostile
check "a copy of seq loads as its own profile" \
	lcg-load --exe /root/seq-modified --name modified seq.lcg.cbor
lcg-load --exe /root/seq-replaced --name replaced seq.lcg.cbor >/dev/null
echo >>seq-modified
mark
run ./seq-modified ok
check "a binary modified since loading is refused (killed)" equals "$rc" 137
check "... and logged" log_has "lcg: refused .* profile=modified reason=stale-binary action=killed"
check "... and status says stale" sh -c "grep -q '^stale' $P/modified/status"
echo complain >$P/modified/mode
run ./seq-modified ok
check "in complain mode a stale binary runs, unmonitored" equals "$rc" 0
check "... and is logged" log_has "profile=modified reason=stale-binary action=unmonitored"
cp seq seq-replaced.new && mv seq-replaced.new seq-replaced
run ./seq-replaced ok
check "a binary replaced at the same path is refused" equals "$rc" 137
check "lcg-load refuses a policy whose binary differs" \
	sh -c '! lcg-load --exe /root/seq-modified --name other seq.lcg.cbor'
mkdir $P/wrong
echo /root/family >$P/wrong/exe
cat seq.img >$P/wrong/image
check "the kernel itself refuses an image made for another binary" \
	sh -c "grep -q 'SHA-256 differs' $P/wrong/status"
rmdir $P/wrong $P/modified $P/replaced

echo "== hostile images"
mark
mkdir $P/hostile
echo /root/seq-hostile >$P/hostile/exe
for img in hostile/*.img; do
	cat "$img" >$P/hostile/image
	status=$(attr hostile status)
	echo "  $img: $status"
	# (the status may hold quotes: read from the file, not pasted into a command)
	check "$(basename "$img") is rejected with a reason" \
		grep -q '^error: image rejected: .' "$P/hostile/status"
done
cat seq.img >$P/hostile/image
check "the intact image then loads" equals "$(attr hostile status)" loaded
head -c 10 seq.img >$P/hostile/image
check "a bad image keeps the previous one active" \
	sh -c "grep -q 'previous image stays active' $P/hostile/status"
rmdir $P/hostile

echo "== root only"
check "non-root cannot list the tree" sh -c '! su -s /bin/sh nobody -c "ls /sys/kernel/config/lcg" 2>/dev/null'
check "non-root cannot read an attribute" sh -c "! su -s /bin/sh nobody -c 'cat $P/seq/status' 2>/dev/null"
check "non-root cannot change the mode" sh -c "! su -s /bin/sh nobody -c 'echo complain > $P/seq/mode' 2>/dev/null"
check "non-root cannot create a profile" sh -c "! su -s /bin/sh nobody -c 'mkdir $P/evil' 2>/dev/null"
check "the mode is still enforce" equals "$(attr seq mode)" enforce
check "lcg-status tells a non-root user why it cannot" \
	sh -c 'su -s /bin/sh nobody -c lcg-status 2>&1 | grep -q "must run as root"'

echo "== reloading while programs start"
before=$(attr seq events)
(
	ok=0
	for i in $(seq 30); do ./seq ok >/dev/null && ok=$((ok + 1)); done
	echo $ok >/tmp/execs-ok
) &
starter=$!
for i in $(seq 10); do lcg-load --exe /root/seq seq.lcg.cbor >/dev/null; done
wait $starter
check "30 runs started during 10 reloads all succeed" equals "$(cat /tmp/execs-ok)" 30
check "... and every one of them was monitored" equals "$(attr seq events)" $((before + 90))

echo "== replacing a profile under load"
./seq loop 150 20 >/dev/null &
loop=$!
wait_tasks seq 1
check "seq-strict replaces seq's policy while seq runs" \
	lcg-load --exe /root/seq --name seq seq-strict.lcg.cbor
check "... which is still running" kill -0 $loop
run ./seq ok
check "a new seq gets the new policy (read is forbidden: killed)" equals "$rc" 137
wait $loop
check "the running seq kept the old policy and finished" equals "$?" 0

echo "== unloading with monitored tasks alive"
lcg-load --exe /root/seq seq.lcg.cbor >/dev/null
# long enough to outlive rmmod, which takes seconds under emulation (every
# system call probe is unpatched one by one)
./seq loop 500 20 >/dev/null &
loop=$!
wait_tasks seq 1
check "rmmod is refused while profiles exist" sh -c '! rmmod lcg 2>/dev/null'
check "lcg-load --remove removes every profile" lcg-load --remove seq family binding
mark
check "the monitored task is still running" kill -0 $loop
check "rmmod then succeeds with a task still monitored" rmmod lcg
check "... which the module reports detaching" log_has "unloaded with 1 monitored tasks"
wait $loop
check "the detached task finished normally" equals "$?" 0
check "lcg-status says when the module is not loaded" \
	sh -c 'lcg-status 2>&1 | grep -q "module is not loaded: modprobe lcg"'
check "the module loads again (max_tasks=1: one monitored task at a time)" insmod /lib/lcg.ko max_tasks=1
umount /sys/kernel/config
check "lcg-load says when configfs is not mounted" \
	sh -c 'lcg-load seq.lcg.cbor 2>&1 | grep -q "mount -t configfs"'
mount -t configfs configfs /sys/kernel/config
check "and enforces again" lcg-load --exe /root/seq seq.lcg.cbor
run ./seq attack
check "a hijacked seq is killed after the reload" equals "$rc" 137
lcg-load --exe /root/family family.lcg.cbor >/dev/null
mark
run ./family
check "past max_tasks new monitored tasks are refused: killed in enforce mode" equals "$rc" 137
check "... and logged" log_has "profile=family reason=too-many-tasks action=killed"
echo complain >$P/family/mode
run ./family
check "in complain mode the extra child and threads run unmonitored" equals "$rc" 0
check "... and are logged" log_has "profile=family reason=too-many-tasks action=unmonitored"
lcg-load --remove family >/dev/null
lcg-load --remove seq >/dev/null

echo "== lcg-load --all"
# the policies record the binaries' build paths, which tests/vm/run recreated
mkdir -p /tmp/policies
cp seq.lcg.cbor family.lcg.cbor /tmp/policies/
check "lcg-load --all loads every policy of LCG_POLICY_DIR" \
	env LCG_POLICY_DIR=/tmp/policies lcg-load --all
check "... seq" equals "$(attr seq status)" loaded
check "... family" equals "$(attr family status)" loaded
check "lcg-status lists both" sh -c 'lcg-status | grep -c "status     loaded" | grep -qx 2'
lcg-load --remove seq family >/dev/null

finish
