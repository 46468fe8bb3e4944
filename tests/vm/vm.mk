# tests/vm/: the kernel tests, booted under QEMU (tests/vm/run): check-vm,
# check-vm-hardening, check-vm-programs, check-vm-debug and bench-vm.

# Kernel integration tests: hand-written test programs (pda/abi.h's
# LCG_EVENT), their policies from tests/vm/vm-policy, and one VM boot
# running tests/vm/kernel-tests.sh.
VM_TESTS := $(BUILD)/tests/vm
VM_POLICY_GEN := $(VM_TESTS)/vm-policy
VM_TEST_FILES := $(VM_TESTS)/seq $(VM_TESTS)/family $(VM_TESTS)/seq.lcg.cbor \
	$(VM_TESTS)/seq-strict.lcg.cbor $(VM_TESTS)/family.lcg.cbor $(VM_TESTS)/seq.img \
	$(VM_TESTS)/binding $(VM_TESTS)/binding.lcg.cbor $(VM_TESTS)/libbinding.so

$(VM_POLICY_GEN): $(BUILD)/obj/tests/vm/vm-policy.o $(BUILD)/obj/tests/lib/spec.o $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBLCG_LDLIBS) -lelf -lcrypto

$(VM_TESTS)/seq $(VM_TESTS)/family $(VM_TESTS)/binding $(VM_TESTS)/attacks $(VM_TESTS)/stress: \
		$(VM_TESTS)/%: tests/vm/programs/%.c pda/abi.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -I. -pthread -o $@ $<

$(VM_TESTS)/libbinding.so: tests/vm/programs/binding-lib.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -fPIC -shared -o $@ $<

$(VM_TESTS)/seq.lcg.cbor $(VM_TESTS)/seq.img: tests/vm/programs/seq.spec $(VM_TESTS)/seq \
		$(VM_POLICY_GEN)
	rm -rf $(VM_TESTS)/hostile && mkdir -p $(VM_TESTS)/hostile
	$(VM_POLICY_GEN) $< $(VM_TESTS)/seq $(VM_TESTS)/seq.lcg.cbor \
		--image $(VM_TESTS)/seq.img --hostile $(VM_TESTS)/hostile

$(VM_TESTS)/seq-strict.lcg.cbor: tests/vm/programs/seq-strict.spec $(VM_TESTS)/seq $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/seq $@

$(VM_TESTS)/family.lcg.cbor: tests/vm/programs/family.spec $(VM_TESTS)/family $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/family $@

$(VM_TESTS)/binding.lcg.cbor: tests/vm/programs/binding.spec $(VM_TESTS)/binding $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/binding $@

# compiled images, as lcg-load would write them (the hardening tests load
# them by hand and mutate them)
$(VM_TESTS)/attacks.img $(VM_TESTS)/stress.img: $(VM_TESTS)/%.img: \
		tests/vm/programs/%.spec $(VM_TESTS)/% $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/$* $(VM_TESTS)/$*.img.cbor --image $@

.PHONY: check-vm
# slub_debug: red zones, poisoning and sanity checks catch a use after free
# or an overflow in the module as a BUG on the console, which fails the run.
# syscall.x32=y: Debian builds x32 in but disables it; the binding tests
# check that an x32 call from a monitored program is refused.
check-vm: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(VM_TEST_FILES)
	tests/vm/run --append slub_debug=FZPU --append syscall.x32=y \
		$(foreach f,$(VM_TEST_FILES),--file $(f)) --file $(VM_TESTS)/hostile \
		$(foreach f,seq family binding,--file $(abspath $(VM_TESTS)/$(f)):$(abspath $(VM_TESTS)/$(f))) \
		--file tests/vm/checks.sh tests/vm/kernel-tests.sh

CHECK_TARGETS += check-vm

# Hardening (issue 11): unprivileged attacks on the module, identity
# (FIFOs, symlinks, replaced binaries, chroot, mount namespaces, overlayfs),
# forged events from every address, the task and log limits, a storm of
# monitored processes with profiles reloaded and the module unloaded, and
# configfs fuzzing.  One boot, tests/vm/hardening-tests.sh.
# the fuzz's runs: a program without libc (exec and SHA-256 cost almost
# nothing under TCG), built for three policies with their number of events,
# and the images of those policies
TINY_EVENTS_seq := 4
TINY_EVENTS_family := 9
TINY_EVENTS_stress := 6
$(VM_TESTS)/tiny-seq $(VM_TESTS)/tiny-family $(VM_TESTS)/tiny-stress: $(VM_TESTS)/tiny-%: \
		tests/vm/programs/tiny.c pda/abi.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -I. -static -nostdlib -fno-stack-protector -fno-builtin \
		-DTINY_EVENTS=$(TINY_EVENTS_$*) -o $@ $<

$(VM_TESTS)/tiny-seq.img $(VM_TESTS)/tiny-family.img $(VM_TESTS)/tiny-stress.img: \
		$(VM_TESTS)/tiny-%.img: tests/vm/programs/%.spec $(VM_TESTS)/tiny-% $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/tiny-$* $(VM_TESTS)/tiny-$*.img.cbor --image $@

$(VM_TESTS)/imgfuzz: tests/vm/programs/imgfuzz.c pda/image_validate.c pda/image.h \
		pda/limits.h pda/shim.h pda/sensitive.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -I. -o $@ tests/vm/programs/imgfuzz.c pda/image_validate.c

HARDENING_FILES := $(VM_TESTS)/seq $(VM_TESTS)/family $(VM_TESTS)/attacks \
	$(VM_TESTS)/stress $(VM_TESTS)/imgfuzz $(VM_TESTS)/seq.img $(VM_TESTS)/seq.lcg.cbor \
	$(VM_TESTS)/attacks.img $(VM_TESTS)/stress.img \
	$(VM_TESTS)/tiny-seq $(VM_TESTS)/tiny-family $(VM_TESTS)/tiny-stress \
	$(VM_TESTS)/tiny-seq.img $(VM_TESTS)/tiny-family.img $(VM_TESTS)/tiny-stress.img
# sizes that fit make check (about two minutes under TCG)
STRESS_WORKERS ?= 200
STRESS_SECONDS ?= 25
FUZZ_IMAGES ?= 10000

.PHONY: check-vm-hardening
check-vm-hardening: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(HARDENING_FILES)
	printf 'STRESS_WORKERS=%s\nSTRESS_SECONDS=%s\nFUZZ_IMAGES=%s\n' $(STRESS_WORKERS) \
		$(STRESS_SECONDS) $(FUZZ_IMAGES) >$(VM_TESTS)/hardening.env
	LCG_VM_MEM=$${LCG_VM_MEM:-1G} tests/vm/run --append slub_debug=FZPU --append log_buf_len=4M \
		$(foreach f,$(HARDENING_FILES),--file $(f)) --file $(VM_TESTS)/hostile \
		--file $(VM_TESTS)/hardening.env --file tests/vm/checks.sh tests/vm/hardening-tests.sh

CHECK_TARGETS += check-vm-hardening

# The same VM suites on a debug kernel built from Debian's linux-source-6.1
# (KASAN, KFENCE, lockdep with PROVE_LOCKING and PROVE_RCU,
# DEBUG_ATOMIC_SLEEP; tests/vm/debug.config), with lcg.ko built against it.
# Not part of make check: building the kernel takes tens of minutes on two
# cores (once; cached under $(BUILD)/debug-kernel) and the suites run
# several times slower.  The last result: $(BUILD)/debug-kernel/last-result.
# bison and flex are small (make deps installs them); so does
# linux-source-6.1 (tests/style/style.mk: checkpatch comes from it)
DEB_PACKAGES += bison flex
DEBUG_KERNEL := $(BUILD)/debug-kernel
DEBUG_KDIR = $(abspath $(DEBUG_KERNEL))/linux
LCG_KO_DEBUG := $(BUILD)/kernel-debug/lcg.ko
DEBUG_SUITES ?= check-vm check-vm-programs check-vm-hardening

.PHONY: debug-kernel check-vm-debug
debug-kernel:
	tests/vm/debug-kernel $(DEBUG_KERNEL) >/dev/null

$(LCG_KO_DEBUG): $(KERNEL_SRCS) $(KERNEL_SHARED) $(DEBUG_KDIR)/.lcg-built
	$(call lcg_kbuild,$(abspath $(BUILD)/kernel-debug),$(DEBUG_KDIR))

$(DEBUG_KDIR)/.lcg-built: tests/vm/debug.config tests/vm/debug-kernel
	tests/vm/debug-kernel $(DEBUG_KERNEL) >/dev/null

check-vm-debug: debug-kernel
	$(MAKE) --no-print-directory $(LCG_KO_DEBUG)
	tests/vm/check-debug $(DEBUG_KDIR) $(abspath $(LCG_KO_DEBUG)) $(DEBUG_KERNEL)/last-result \
		"$(MAKE) --no-print-directory BUILD=$(BUILD)" $(DEBUG_SUITES)

# make bench (kernel part): one boot measuring an event against getppid().
$(VM_TESTS)/bench: tests/vm/programs/bench.c pda/abi.h
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -I. -o $@ $<

$(VM_TESTS)/bench.lcg.cbor: tests/vm/programs/bench.spec $(VM_TESTS)/bench $(VM_POLICY_GEN)
	$(VM_POLICY_GEN) $< $(VM_TESTS)/bench $@

.PHONY: bench-vm
bench-vm: $(LCG_KO) $(BIN)/lcg-load $(VM_TESTS)/bench $(VM_TESTS)/bench.lcg.cbor
	tests/vm/run --no-lcg --file $(VM_TESTS)/bench --file $(VM_TESTS)/bench.lcg.cbor \
		tests/vm/bench.sh

BENCH_TARGETS += bench-vm

# End to end: the analysis test programs built by lcg-cc (both modes), run in
# the VM under enforce mode against their plain builds (one boot).
VM_E2E := $(VM_TESTS)/e2e

$(VM_E2E)/.built: tests/vm/e2e-build $(wildcard tests/programs/*/*.c tests/programs/*/args) \
		$(BIN)/lcg-cc $(BUILD)/lib/lcg-plugin.so
	tests/vm/e2e-build $(VM_E2E) >/dev/null
	touch $@

.PHONY: check-vm-programs
check-vm-programs: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(VM_E2E)/.built
	tests/vm/run --file $(VM_E2E):/root/e2e --file tests/vm/checks.sh tests/vm/e2e-tests.sh

CHECK_TARGETS += check-vm-programs
