#!/bin/sh
# vm-hijack.sh - the guest side of eval/attacks/vm: the attacks of
# tests/programs/hijack against lcg.ko in enforce mode (loaded at boot).
# /root/hijack holds plain/prog, pda/prog, nfa/prog (with their policies)
# and args.  Each attack runs first on the plain build, unmonitored (does it
# do harm on this kernel?), then on the PDA and NFA builds, whose profiles
# are in enforce mode: the task must be killed (137) before its effect, with
# a violation logged.  Then the legitimate runs (args) of both builds must
# end as the plain build's do, with no violation counted.
# Prints "LCGEVAL-ATTACK MODE RUN PLAIN_EFFECT RESULT REASON CLASS" lines
# (the fields of eval/attacks/native's RESULT.tsv).
ATTACKS="unlink system execv ret gadget gadget-armed seccomp clone ldso int80"
P=/sys/kernel/config/lcg/profiles
H=/root/hijack

harmed() { [ ! -e /tmp/victim ] || [ -e /tmp/victim.pwned ]; }
fresh() { echo keep >/tmp/victim; rm -f /tmp/victim.pwned; }
field() {	# NAME LINE
	v=$(echo "$2" | grep -o "$1=[^ ]*" | head -n1 | cut -d= -f2)
	echo "${v:--}"
}
row() { echo "LCGEVAL-ATTACK $*"; }

plain_effect() {
	fresh
	(cd $H/plain && ./prog "$1" /tmp/victim >/dev/null 2>&1)
	sleep 0.2	# the clone attack's thread
	if harmed; then echo yes; else echo no; fi
}

for a in $ATTACKS; do
	eval "effect_$(echo $a | tr - _)=$(plain_effect $a)"
done

for mode in pda nfa; do
	sleep 5	# the kernel logs 20 lines per 5 s at most: a window per mode
	lcg-load --exe "$H/$mode/prog" --name hijack --mode enforce "$H/$mode/prog.lcg.cbor" >/dev/null ||
		{ echo "LCGEVAL-ERROR lcg-load of hijack ($mode) failed"; exit 1; }
	for a in $ATTACKS; do
		eval "eff=\$effect_$(echo $a | tr - _)"
		fresh
		dmesg -c >/dev/null
		(cd $H/$mode && ./prog "$a" /tmp/victim >/dev/null 2>&1)
		rc=$?
		sleep 0.2
		line=$(dmesg | grep -o 'lcg: violation .* profile=hijack .*' | head -n1)
		if [ "$eff" = no ]; then
			result=n/a
		elif [ $rc = 137 ] && ! harmed && [ -n "$line" ]; then
			result=stopped
		else
			result=NOT-STOPPED
		fi
		row "$mode $a $eff $result $(field reason "$line") $(field class "$line")"
	done
	before=$(cat $P/hijack/violations)
	n=0
	while IFS= read -r args; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		want=$(cd $H/plain && ./prog $args 2>&1; echo "exit $?")
		# shellcheck disable=SC2086
		got=$(cd $H/$mode && ./prog $args 2>&1; echo "exit $?")
		if [ "$got" != "$want" ]; then
			result=FAILED
		elif [ "$(cat $P/hijack/violations)" != "$before" ]; then
			result=FALSE-ALARM
		else
			result=ok
		fi
		row "$mode legit:$(echo "${args:-(none)}" | tr ' ' '_') - $result - -"
	done <$H/args
	echo "LCGEVAL-PROFILE hijack-$mode events $(cat $P/hijack/events) violations $(cat $P/hijack/violations)"
	lcg-load --remove hijack >/dev/null
done
exit 0
