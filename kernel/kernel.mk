# kernel/: lcg.ko, built with kbuild against the target kernel's headers.
# The build tree (build/kernel) links the module's sources and the shared
# freestanding core (pda/monitor.c, formats/image_validate.c) so that kbuild
# compiles the very files the user-space tools use, and writes its output
# outside the source tree.
KVER ?= $(shell tests/vm/kver)
KDIR ?= /lib/modules/$(KVER)/build
# the compiler the target kernel was built with (Debian 12: gcc-12), whatever CC is
KERNEL_CC ?= gcc
LCG_KO := $(BUILD)/kernel/lcg.ko
KBUILD_TREE := $(abspath $(BUILD)/kernel)
KERNEL_SRCS := $(wildcard kernel/*.c kernel/*.h) kernel/Kbuild
KERNEL_SHARED := pda/monitor.c pda/monitor.h pda/shim.h pda/limits.h pda/sensitive.c pda/sensitive.h \
	formats/image_validate.c formats/image.h formats/abi.h

.PHONY: kernel
kernel: $(LCG_KO)

$(LCG_KO): $(KERNEL_SRCS) $(KERNEL_SHARED)
	@test -d $(KDIR) || { echo "kernel headers not found in $(KDIR): install linux-headers-amd64 (make deps) or set KDIR"; exit 1; }
	@mkdir -p $(KBUILD_TREE)/pda $(KBUILD_TREE)/formats
	@for f in $(KERNEL_SRCS); do ln -sf $(CURDIR)/$$f $(KBUILD_TREE)/$${f#kernel/}; done
	@for f in $(KERNEL_SHARED); do ln -sf $(CURDIR)/$$f $(KBUILD_TREE)/$$f; done
	$(MAKE) -C $(KDIR) M=$(KBUILD_TREE) CC=$(KERNEL_CC) LCG_EXTRA_CFLAGS=-Werror modules

all: $(LCG_KO)

# Kernel integration tests: hand-written test programs (formats/abi.h's
# LCG_EVENT), their policies from tests/vm/vm-policy, and one VM boot
# running tests/vm/kernel-tests.sh.
VM_TESTS := $(BUILD)/tests/vm
VM_POLICY_GEN := $(VM_TESTS)/vm-policy
VM_TEST_FILES := $(VM_TESTS)/seq $(VM_TESTS)/family $(VM_TESTS)/seq.lcg.cbor \
	$(VM_TESTS)/seq-strict.lcg.cbor $(VM_TESTS)/family.lcg.cbor $(VM_TESTS)/seq.img \
	$(VM_TESTS)/binding $(VM_TESTS)/binding.lcg.cbor $(VM_TESTS)/libbinding.so

$(VM_POLICY_GEN): $(BUILD)/obj/tests/vm/vm-policy.o $(BUILD)/obj/analysis/finalize.o \
		$(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBLCG_LDLIBS) -lelf -lcrypto

$(VM_TESTS)/seq $(VM_TESTS)/family $(VM_TESTS)/binding: $(VM_TESTS)/%: tests/vm/programs/%.c \
		formats/abi.h
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

.PHONY: check-vm
# slub_debug: red zones, poisoning and sanity checks catch a use after free
# or an overflow in the module as a BUG on the console, which fails the run.
# syscall.x32=y: Debian builds x32 in but disables it; the binding tests
# check that an x32 call from a monitored program is refused.
check-vm: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(VM_TEST_FILES)
	tests/vm/run --append slub_debug=FZPU --append syscall.x32=y \
		$(foreach f,$(VM_TEST_FILES),--file $(f)) --file $(VM_TESTS)/hostile \
		$(foreach f,seq family binding,--file $(abspath $(VM_TESTS)/$(f)):$(abspath $(VM_TESTS)/$(f))) \
		tests/vm/kernel-tests.sh

CHECK_TARGETS += check-vm

# make demo: a program hijacked into a call its policy forbids, stopped in
# the kernel.  The sample is built with lcg-cc when the analysis builds;
# otherwise (or with DEMO_HAND=1) with hand-issued events and the hand-made
# kernel/demo/greeter.spec.
DEMO := $(BUILD)/demo
DEMO_HAND ?=

.PHONY: demo
demo: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(VM_POLICY_GEN)
	@mkdir -p $(DEMO)
	@rm -rf $(DEMO)/greeter $(DEMO)/greeter.lcg.cbor $(DEMO)/greeter.lcg-dot
	@[ -n "$(DEMO_HAND)" ] || echo "demo: building lcg-cc and its LTO plugin (quiet; may take a few minutes)"
	-@[ -n "$(DEMO_HAND)" ] || $(MAKE) --no-print-directory $(BIN)/lcg-cc $(BUILD)/lib/lcg-plugin.so >/dev/null 2>&1
	@if [ -z "$(DEMO_HAND)" ] && [ -x $(BIN)/lcg-cc ] && [ -f $(BUILD)/lib/lcg-plugin.so ]; then \
		echo "demo: building greeter with lcg-cc (analysis, instrumentation, policy)"; \
		$(BIN)/lcg-cc -O2 -g -o $(DEMO)/greeter kernel/demo/greeter.c || exit 1; \
	else \
		echo "demo: not using lcg-cc (unavailable, or DEMO_HAND set): hand-instrumented greeter"; \
		echo "demo: and its hand-made policy kernel/demo/greeter.spec"; \
		$(CC) -O2 -g -I. -DLCG_HAND_INSTRUMENTED -o $(DEMO)/greeter kernel/demo/greeter.c && \
		$(VM_POLICY_GEN) kernel/demo/greeter.spec $(DEMO)/greeter $(DEMO)/greeter.lcg.cbor || exit 1; \
	fi
	tests/vm/run --file $(DEMO)/greeter --file $(DEMO)/greeter.lcg.cbor kernel/demo/demo.sh

# make bench (kernel part): one boot measuring an event against getppid().
$(VM_TESTS)/bench: tests/vm/programs/bench.c formats/abi.h
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
	tests/vm/run --file $(VM_E2E):/root/e2e tests/vm/e2e-tests.sh

CHECK_TARGETS += check-vm-programs
