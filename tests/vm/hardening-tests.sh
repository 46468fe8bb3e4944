#!/bin/sh
# hardening-tests.sh - lcg.ko under attack and under load, run inside the
# test VM by `make check-vm-hardening` (tests/vm/run; issue 11).  One boot:
#
#   identity     exe paths that are FIFOs, devices, directories, symlinks;
#                binaries replaced after loading; images that would switch
#                the pin or origin check off; chroots, mount namespaces,
#                overlayfs
#   forgery      forged events from every kind of address, the text map
#                changed after exec (mremap, anonymous memory over the text),
#                a contended mmap lock
#   limits       an unprivileged user starving the task table; a flood of
#                log lines hiding another profile's attack
#   stress       STRESS_WORKERS monitored processes churning fork, exec, exit
#                and threads while profiles are replaced and removed and the
#                module is unloaded and loaded again; every counter back to 0
#   fuzz         FUZZ_IMAGES mutated images through configfs, each refused
#                with the validator's reason or loaded and run on
#
# Each check prints PASS: or FAIL:; the last line is "N passed, N failed".
# tests/vm/run fails the run on any Oops, BUG or WARNING on the console.
. /root/checks.sh
STATS=/sys/kernel/config/lcg/stats
# the sizes make chose (tests/vm/vm.mk)
[ -f /root/hardening.env ] && . /root/hardening.env
STRESS_WORKERS=${STRESS_WORKERS:-200}
STRESS_SECONDS=${STRESS_SECONDS:-25}
FUZZ_IMAGES=${FUZZ_IMAGES:-10000}

stat_of() { sed -n "s/^$1 //p" $STATS; }
# the kernel log since the last mark; errors in it reach the console first
# (sections that lower the console level would otherwise hide them)
ERRORS='Oops|BUG:|WARNING:|Kernel panic|general protection fault|KASAN:|KFENCE:|detected stalls'
mark() {
	dmesg | grep -E "$ERRORS" && fail "the kernel reported the error above"
	dmesg -c >/dev/null
}
# a section's title, with the time since boot (how long each part takes)
section() { echo "== $* (at $(cut -d' ' -f1 /proc/uptime) s)"; }
# until stats KEY is VALUE (at most 20 s: emulation is slow, frees wait for RCU)
wait_stat() {
	i=0
	while [ "$(stat_of "$1")" != "$2" ] && [ $i -lt 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	equals "$(stat_of "$1")" "$2"
}
# load NAME EXE IMAGE [MODE]: a profile from an image, by hand
load() {
	mkdir -p "$P/$1" && echo "$2" >"$P/$1/exe" && cat "$3" >"$P/$1/image" &&
		echo "${4:-enforce}" >"$P/$1/mode" && equals "$(attr "$1" status)" loaded
}

cd /root
mark

section "identity: what exe may name"
mkfifo /tmp/fifo
ln -s /tmp/fifo /tmp/fifo-link
mkdir $P/id
for what in /tmp/fifo /tmp/fifo-link /dev/zero /root; do
	echo "$what" >$P/id/exe
	# a FIFO opened for reading blocks until a writer comes: the load must not
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout 30 sh -c "cat seq.img >$P/id/image"
	took=$(awk -v s="$start" '{ printf "%d", $1 - s }' /proc/uptime)
	echo "  $what: $(attr id status) (${took} s)"
	check "exe $what: refused without being opened (not a regular file), at once" \
		sh -c "[ $took -lt 5 ] && grep -q 'not a regular file' $P/id/status"
done
cp seq seq-target
ln -s /root/seq-target /tmp/seq-link
echo /tmp/seq-link >$P/id/exe
cat seq.img >$P/id/image
check "exe through a symlink: bound to its target" equals "$(attr id status)" loaded
check "... and the log names the target" log_has "lcg: profile id loaded for /root/seq-target "
before=$(attr id events)
./seq-target ok >/dev/null
check "... which is monitored when run by its own name" test "$(attr id events)" -eq $((before + 3))
cp family other
ln -sf /root/other /tmp/seq-link
before=$(attr id events)
/tmp/seq-link >/dev/null 2>&1
check "a symlink pointed elsewhere after loading: the other binary is not the profile's" \
	equals "$(attr id events)" "$before"
run ./seq-target attack >/dev/null
check "... while the bound binary still is (attack killed)" equals "$rc" 137
mark
rm seq-target && cp seq seq-target
run ./seq-target ok
check "a binary deleted and created again at the bound place: refused (stale)" equals "$rc" 137
check "... logged" log_has "lcg: refused .* exe=/root/seq-target profile=id reason=stale-binary action=killed"
rmdir $P/id
mkdir $P/hostile
echo /root/seq >$P/hostile/exe
cat hostile/unpinned.img >$P/hostile/image
echo "  $(attr hostile status)"
check "an image without the pinned flag is refused (the pin check cannot be switched off)" \
	sh -c "grep -q 'image rejected: not finalised' $P/hostile/status"
cat hostile/static.image >$P/hostile/image
echo "  $(attr hostile status)"
check "an image calling a dynamic binary static (no origin check) is refused" \
	sh -c "grep -q 'the image says statically linked, the binary is not' $P/hostile/status"
rmdir $P/hostile

section "identity: chroot"
J=/tmp/jail
mkdir -p $J/root $J/tmp $J/bin $J/cfg $J/lib64 $J/lib/x86_64-linux-gnu
cp /lib64/ld-linux-x86-64.so.2 $J/lib64/
cp /lib/x86_64-linux-gnu/libc.so.6 $J/lib/x86_64-linux-gnu/
cp /bin/busybox $J/bin/ && ln -s busybox $J/bin/sh && ln -s busybox $J/bin/cat
cp seq seq-c
# linked before loading: a new link moves ctime, which makes a bound binary stale
ln seq-c $J/root/seq-c-link
check "a profile for /root/seq-c" load chrooted /root/seq-c seq.img
cp attacks $J/root/seq-c
mark
run chroot $J /root/seq-c ok 1
check "in a chroot, another program at the profile's path is not taken for the binary" \
	equals "$rc" 0
check "... nor refused as stale" log_lacks "lcg: refused"
before=$(attr chrooted events)
run chroot $J /root/seq-c-link ok
check "the bound binary, linked into a chroot, runs monitored there" \
	sh -c "[ $rc = 0 ] && [ $(attr chrooted events) -eq $((before + 3)) ]"
run chroot $J /root/seq-c-link attack
check "... and a hijack of it there is killed" equals "$rc" 137
cp seq seq-j
cp attacks $J/root/seq-j
cp seq.img $J/seq.img
mount -o bind /sys/kernel/config $J/cfg
mkdir $P/jailed
chroot $J sh -c 'echo /root/seq-j >/cfg/lcg/profiles/jailed/exe && cat /seq.img >/cfg/lcg/profiles/jailed/image'
echo "  $(attr jailed status)"
check "exe written from inside a chroot is resolved from the initial root" \
	equals "$(attr jailed status)" loaded
# the image handed over by a process that exits without closing it: configfs
# runs the load in do_exit(), where the writer has no root any more
rm -f /tmp/lcg-exit-load
sh -c "exec cat seq.img >$P/jailed/image"
check "an image written by a process that exits holding it open (no fs_struct) loads" \
	equals "$(attr jailed status)" loaded
umount $J/cfg
rmdir $P/jailed $P/chrooted

section "identity: mount namespace"
cp seq seq-ns
cp seq.img /tmp/seq.img
mkdir $P/ns
unshare -m sh -c "mount -t tmpfs none /root && echo /root/seq-ns >$P/ns/exe && cat /tmp/seq.img >$P/ns/image"
echo "  $(attr ns status)"
check "exe written from a mount namespace where it is hidden: resolved in the initial one" \
	equals "$(attr ns status)" loaded
run unshare -m sh -c "mkdir -p /tmp/nsmnt && mount -o bind /root /tmp/nsmnt && /tmp/nsmnt/seq-ns attack"
check "the bound binary through another mount in another namespace: monitored (killed)" \
	equals "$rc" 137
rmdir $P/ns

section "identity: overlayfs"
check "overlay.ko loads" insmod /lib/overlay.ko
O=/tmp/ovl
mkdir -p $O && mount -t tmpfs none $O && mkdir $O/lower $O/upper $O/work $O/merged
cp seq $O/lower/oseq
check "an overlay mounts" \
	mount -t overlay overlay -o lowerdir=$O/lower,upperdir=$O/upper,workdir=$O/work $O/merged
check "a profile for the program on the overlay" load ovl $O/merged/oseq seq.img
mark
run $O/merged/oseq ok
check "a program on overlayfs (its mappings hold the lower file): events pinned, no violation" \
	sh -c "[ $rc = 0 ] && [ $(attr ovl violations) = 0 ] && [ $(attr ovl events) = 3 ]"
run $O/merged/oseq attack
check "... and its hijack killed" equals "$rc" 137
run $O/lower/oseq ok
check "the lower file run directly is the same binary: monitored" \
	sh -c "[ $rc = 0 ] && [ $(attr ovl events) -ge 8 ]"
echo >>$O/merged/oseq
run $O/merged/oseq ok
check "copied up and modified through the overlay: refused (stale)" equals "$rc" 137
rmdir $P/ovl
umount $O/merged

section "forged events from every address"
cp attacks attacks-copy
check "a profile for attacks" load attacks /root/attacks attacks.img
V=/tmp/lcg-victim
before=$(attr attacks events)
run ./attacks ok 10
check "10 events from the pin are accepted" \
	sh -c "[ $rc = 0 ] && [ $(attr attacks events) -eq $((before + 10)) ] && [ $(attr attacks violations) = 0 ]"
for a in forge-text forge-libc forge-anon "forge-copy /root/attacks-copy" forge-stale; do
	mark
	run ./attacks $a
	check "a forged event ($a) is killed" equals "$rc" 137
	check "... as unpinned" log_has "profile=attacks event=1 .* reason=unpinned action=killed"
done
before=$(attr attacks events)
run ./attacks moved-event
check "the program's text moved by mremap after exec: its pinned event is still accepted" \
	sh -c "[ $rc = 42 ] && [ $(attr attacks events) -gt $before ]"
echo keep >$V
mark
run ./attacks moved-gadget $V
check "a syscall gadget in the moved text, delete armed: killed before unlink (origin)" \
	sh -c "[ $rc = 137 ] && [ -e $V ]"
check "... logged" log_has "profile=attacks syscall=unlink class=delete last-event=3 last-callee=unlink reason=origin action=killed"
deferred=$(stat_of deferred)
violations=$(attr attacks violations)
run ./attacks contend 3000
echo "  checks deferred on a contended mmap lock: $(($(stat_of deferred) - deferred))"
check "3000 events while two threads churn the mmap lock: no false alarm" \
	sh -c "[ $rc = 0 ] && [ $(attr attacks violations) = $violations ]"

section "the log: a flood from one profile does not hide another's attack"
echo complain >$P/attacks/mode
check "a profile for seq" lcg-load --exe /root/seq --mode enforce seq.lcg.cbor
mark
suppressed=$(attr attacks log_suppressed)
run ./attacks flood 2000
check "2000 forged events in complain mode run on" equals "$rc" 0
check "... their lines beyond the rate limit are counted, not printed" \
	test "$(attr attacks log_suppressed)" -ge $((suppressed + 1900))
run ./seq attack
check "seq's attack right after the flood: killed" equals "$rc" 137
check "... and its line is in the log" log_has "profile=seq event=4 .* reason=no-transition action=killed"
echo keep >$V
run ./attacks moved-gadget $V
check "the flooding profile's own attack of another reason is logged too" \
	log_has "profile=attacks syscall=unlink .* reason=origin action=logged"
echo enforce >$P/attacks/mode

section "limits: an unprivileged user starving the task table"
PARAM=/sys/module/lcg/parameters
echo 8 >$PARAM/max_tasks
echo 0 >$PARAM/max_tasks_per_user
mark
su -s /bin/sh nobody -c 'for i in 1 2 3 4 5 6 7 8; do /root/attacks sleep 60 & done; wait' &
starver=$!
wait_stat tasks 8
run ./seq ok
check "without a per-user bound, another user's sleepers fill the table: root's seq is refused" \
	equals "$rc" 137
check "... logged" log_has "profile=seq reason=too-many-tasks action=killed"
kill $(pidof attacks) 2>/dev/null
wait $starver
wait_stat tasks 0
echo 4096 >$PARAM/max_tasks
echo 8 >$PARAM/max_tasks_per_user
mark
su -s /bin/sh nobody -c 'for i in $(seq 12); do /root/attacks sleep 60 & done; wait' &
starver=$!
sleep 1
wait_stat tasks 8
echo "  $(tr '\n' ' ' <$STATS)"
check "with max_tasks_per_user=8, 8 of nobody's 12 sleepers are monitored" equals "$(stat_of users)" 1
check "... the 4 others refused (killed), logged" \
	sh -c "[ \$(dmesg | grep -c 'reason=too-many-user-tasks action=killed') = 4 ]"
if su -s /bin/sh nobody -c 'unshare -r true' 2>/dev/null; then
	run su -s /bin/sh nobody -c 'unshare -r /root/attacks sleep 1'
	check "... a task in nobody's user namespace counts as nobody's: refused too" equals "$rc" 137
else
	echo "  (unprivileged user namespaces are off in this kernel: not tried)"
fi
before=$(attr seq events)
run ./seq ok
check "root's seq still runs, monitored" \
	sh -c "[ $rc = 0 ] && [ $(attr seq events) -eq $((before + 3)) ]"
kill $(pidof attacks) 2>/dev/null
wait $starver
check "once the sleepers are gone, no task is monitored" wait_stat tasks 0
check "... and no user is charged" equals "$(stat_of users)" 0
echo $((1024)) >$PARAM/max_tasks_per_user
lcg-load --remove seq attacks >/dev/null

section "stress: $STRESS_WORKERS monitored processes, profiles reloaded and removed, rmmod"
echo 1 >/proc/sys/kernel/printk	# the storm's info lines stay in the ring buffer
check "a profile for stress" load stress /root/stress stress.img
mark
start=$(cut -d' ' -f1 /proc/uptime)
./stress "$STRESS_WORKERS" "$STRESS_SECONDS" /root/stress >/tmp/stress.out 2>&1 &
storm=$!
# the most tasks monitored at once, sampled while the storm lasts
echo 0 >/tmp/peak
(
	while kill -0 $storm 2>/dev/null; do
		n=$(stat_of tasks 2>/dev/null)
		[ "${n:-0}" -gt "$(cat /tmp/peak)" ] && echo "$n" >/tmp/peak
		sleep 0.2
	done
) &
sampler=$!
# the workers start together once all are forked: disturb the storm from then on
i=0
while [ "$(stat_of tasks)" -lt "$STRESS_WORKERS" ] && [ $i -lt 600 ] && kill -0 $storm 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
rounds=0 reloads=0 removals=0 refused=0 unloads=0
while kill -0 $storm 2>/dev/null; do
	rounds=$((rounds + 1))
	# replaced under running tasks
	cat stress.img >$P/stress/image && [ "$(attr stress status)" = loaded ] &&
		reloads=$((reloads + 1))
	# refused: a profile exists
	rmmod lcg 2>/dev/null || refused=$((refused + 1))
	# removed, with tasks still monitored by it
	rmdir $P/stress && removals=$((removals + 1))
	# once: unloaded with monitored tasks, loaded again
	if [ $rounds = 3 ] && rmmod lcg; then
		unloads=$((unloads + 1))
		insmod /lib/lcg.ko
	fi
	load stress /root/stress stress.img >/dev/null
done
wait $storm
rc=$?
wait $sampler
peak=$(cat /tmp/peak)
took=$(awk -v s="$start" '{ printf "%d", $1 - s }' /proc/uptime)
# any refusal, violation or OOM kill during the storm (the console did not show them)
dmesg | grep -E 'lcg: (violation|refused)|Out of memory|oom-kill' | head -20 | sed 's/^/  /'
mark
echo 8 >/proc/sys/kernel/printk
sed 's/^/  /' /tmp/stress.out
echo "  ${took} s, at most $peak tasks monitored at once; $rounds rounds: $reloads images" \
	"reloaded, profile removed $removals times, rmmod refused $refused times (profiles" \
	"present), module unloaded and loaded $unloads times"
check "the storm ran with no false alarm (every worker, child and thread ended normally)" \
	equals "$rc" 0
check "... with $STRESS_WORKERS processes monitored at once" test "$peak" -ge "$STRESS_WORKERS"
check "... rmmod was refused while profiles existed" test "$refused" -gt 0
check "... and the module was unloaded and loaded again during the storm" equals "$unloads" 1
check "no violation" equals "$(attr stress violations)" 0
check "afterwards no task is monitored" wait_stat tasks 0
check "... every task entry is freed" wait_stat task_objects 0
check "... no user is charged" equals "$(stat_of users)" 0
check "... the profile counts no task" equals "$(attr stress tasks)" 0
before=$(attr stress events)
out=$(./stress 10 2 /root/stress)
issued=$(echo "$out" | sed -n 's/^stress: \([0-9]*\) events issued.*/\1/p')
echo "  $out"
check "a quiet run afterwards: the events counted are the events issued ($issued)" \
	equals "$(($(attr stress events) - before))" "$issued"
check "... and everything is freed again" wait_stat task_objects 0
rmdir $P/stress
check "no profile is left" wait_stat profiles 0
check "... and no image" wait_stat images 0

section "fuzz: $FUZZ_IMAGES mutated images through configfs"
# images of three policies (seq, family, stress) of tiny, a program without
# libc: exec and hashing cost little under TCG.  Its own copy per profile.
FUZZ_SEEDS="seq family stress"
mkdir -p /root/fz
for spec in $FUZZ_SEEDS; do
	cp tiny-$spec /root/fz/tiny-$spec
	mkdir $P/fz-$spec
	echo /root/fz/tiny-$spec >$P/fz-$spec/exe
done
echo 1 >/proc/sys/kernel/printk
mark
./imgfuzz "$FUZZ_IMAGES" 0x1cebe11 "fz-seq:/root/fz/tiny-seq:/root/tiny-seq.img:1 2 3" \
	"fz-family:/root/fz/tiny-family:/root/tiny-family.img:1 2 8 3" \
	"fz-stress:/root/fz/tiny-stress:/root/tiny-stress.img:1 2 5 6 3" >/tmp/fuzz.out 2>&1
rc=$?
mark
echo 8 >/proc/sys/kernel/printk
sed 's/^/  /' /tmp/fuzz.out
check "every mutated image refused with the validator's reason, or loaded and run on safely" \
	equals "$rc" 0
for spec in $FUZZ_SEEDS; do rmdir $P/fz-$spec; done
check "after the fuzz, no task is monitored" equals "$(stat_of tasks)" 0
check "... no profile is left" wait_stat profiles 0
check "... and every image is freed" wait_stat images 0
mark

section "done"
finish
