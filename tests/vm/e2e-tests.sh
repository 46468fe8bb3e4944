#!/bin/sh
# e2e-tests.sh - the analysis test programs, built by lcg-cc, under lcg.ko
# in enforce mode (run in the VM by `make check-vm-programs`; the files come
# from tests/vm/e2e-build).  Each run of an instrumented build must print
# what the plain build prints and exit alike, and its profile must end with
# no violation and with events seen (a program never monitored must not
# pass for one that never erred).  Then the attack program's exploit must be killed, and so
# must each hijack of tests/programs/hijack (binding: attacks that announce
# nothing), which its plain build carries out.
. /root/checks.sh

cd /root/e2e
dmesg -c >/dev/null
for name in *; do
	[ -f "$name/args" ] || continue
	for mode in pda nfa; do
		profile=$name-$mode
		if ! lcg-load --exe "/root/e2e/$name/$mode/prog" --name "$profile" --mode enforce \
			"$name/$mode/prog.lcg.cbor" >/dev/null; then
			fail "$profile: lcg-load"
			continue
		fi
		n=0
		while IFS= read -r args; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			want=$(cd "$name/plain" && ./prog $args 2>&1; echo "exit $?")
			# shellcheck disable=SC2086
			got=$(cd "$name/$mode" && ./prog $args 2>&1; echo "exit $?")
			if [ "$got" = "$want" ]; then
				pass "$profile run $n ($args): same output and exit as the plain build"
			else
				fail "$profile run $n ($args): plain: $(echo "$want" | tail -1), instrumented: $(echo "$got" | tail -1)"
				echo "$got" | sed 's/^/    /' | tail -5
			fi
		done <"$name/args"
		v=$(cat "$P/$profile/violations")
		e=$(cat "$P/$profile/events")
		c=$(cat "$P/$profile/syscalls")
		sites=$(cat "$name/$mode/event-sites" 2>/dev/null || echo 1)
		# "no violation" means something only if lcg saw the program at
		# all: its events, or, for a program with no event site, the
		# sensitive system calls checked (ld.so's executable mappings)
		if [ "$v" != 0 ]; then
			fail "$profile: $v violations"
		elif [ "$e" -gt 0 ]; then
			pass "$profile: no violation ($e events)"
		elif [ "$sites" = 0 ] && [ "$c" -gt 0 ]; then
			pass "$profile: no violation (no event site; monitored: $c system calls checked)"
		else
			fail "$profile: no event seen ($sites event sites, $c system calls checked): the program was never monitored"
		fi
		lcg-load --remove "$profile" >/dev/null
	done
done
dmesg | grep 'lcg: violation' | sed 's/^/    /'

for mode in pda nfa; do
	lcg-load --exe "/root/e2e/attack/$mode/prog" --name attack --mode enforce \
		"attack/$mode/prog.lcg.cbor" >/dev/null
	echo keep >/tmp/victim
	(cd attack/$mode && ./prog attack /tmp/victim >/dev/null 2>&1)
	rc=$?
	if [ $rc = 137 ] && [ -e /tmp/victim ]; then
		pass "attack ($mode): the exploit is killed before unlink()"
	else
		fail "attack ($mode): exit $rc, victim $([ -e /tmp/victim ] && echo kept || echo removed)"
	fi
	lcg-load --remove attack >/dev/null
done

# tests/programs/hijack: attacks that announce nothing (docs/binding.md),
# built by lcg-cc; under enforce mode each is killed before its effect,
# while the plain build (no profile) carries every one of them out.
ATTACKS="unlink system execv ret gadget gadget-armed seccomp clone ldso int80"
if [ -d hijack ]; then
	dmesg -c >/dev/null
	for a in $ATTACKS; do
		echo keep >/tmp/victim
		rm -f /tmp/victim.pwned
		(cd hijack/plain && ./prog $a /tmp/victim >/dev/null 2>&1)
		sleep 0.2	# the clone attack's thread
		if [ ! -e /tmp/victim ] || [ -e /tmp/victim.pwned ]; then
			pass "hijack $a (plain build, unmonitored): the attack works"
		else
			fail "hijack $a (plain build, unmonitored): no effect, the test proves nothing"
		fi
	done
	for mode in pda nfa; do
		sleep 5	# the kernel logs 20 lines per 5 s at most: a window per mode
		lcg-load --exe "/root/e2e/hijack/$mode/prog" --name hijack --mode enforce \
			"hijack/$mode/prog.lcg.cbor" >/dev/null
		for a in $ATTACKS; do
			echo keep >/tmp/victim
			rm -f /tmp/victim.pwned
			dmesg -c >/dev/null
			(cd hijack/$mode && ./prog $a /tmp/victim >/dev/null 2>&1)
			rc=$?
			line=$(dmesg | grep -o 'lcg: violation .* profile=hijack .*action=killed' | head -1)
			if [ $rc = 137 ] && [ -e /tmp/victim ] && [ ! -e /tmp/victim.pwned ] && [ -n "$line" ]; then
				pass "hijack $a ($mode): killed before its effect (${line#*syscall=})"
			else
				fail "hijack $a ($mode): exit $rc, victim $([ -e /tmp/victim ] && echo kept || echo removed)$([ -e /tmp/victim.pwned ] && echo ', command ran'), log: ${line:-none}"
			fi
		done
		lcg-load --remove hijack >/dev/null
	done
fi

finish
