# kernel/: lcg.ko, built with kbuild against the target kernel's headers.
# The build tree (build/kernel) links the module's sources and the shared
# kernel-shared core (pda/, see pda/pda.mk) so that kbuild
# compiles the very files the user-space tools use, and writes its output
# outside the source tree.
KVER ?= $(shell tests/vm/kver)
KDIR ?= /lib/modules/$(KVER)/build
# the compiler the target kernel was built with (Debian 12: gcc-12), whatever CC is
KERNEL_CC ?= gcc
LCG_KO := $(BUILD)/kernel/lcg.ko
KBUILD_TREE := $(abspath $(BUILD)/kernel)
KERNEL_SRCS := $(wildcard kernel/*.c kernel/*.h) kernel/Kbuild
KERNEL_SHARED := $(PDA_SRCS) $(PDA_HDRS)

.PHONY: kernel
kernel: $(LCG_KO)

# $(1): the kbuild tree to fill with links to the module's sources
define lcg_kbuild_tree
@mkdir -p $(1)/pda
@for f in $(KERNEL_SRCS); do ln -sf $(CURDIR)/$$f $(1)/$${f#kernel/}; done
@for f in $(KERNEL_SHARED); do ln -sf $(CURDIR)/$$f $(1)/$$f; done
endef

# $(1): the kbuild tree to fill and build in, $(2): the kernel tree (KDIR)
define lcg_kbuild
$(call lcg_kbuild_tree,$(1))
$(MAKE) -C $(2) M=$(1) CC=$(KERNEL_CC) LCG_EXTRA_CFLAGS=-Werror modules
endef

$(LCG_KO): $(KERNEL_SRCS) $(KERNEL_SHARED)
	@test -d $(KDIR) || { echo "kernel headers not found in $(KDIR): install linux-headers-amd64 (make deps) or set KDIR"; exit 1; }
	$(call lcg_kbuild,$(KBUILD_TREE),$(KDIR))

all: $(LCG_KO)

# make demo: a program hijacked into a call its policy forbids, stopped in
# the kernel.  The sample is built with lcg-cc; if lcg-cc or its plugin does
# not build, the demo fails.  DEMO_HAND=1 asks for the hand-issued events and
# the hand-made kernel/demo/greeter.spec instead (no analysis: the kernel
# side alone), and the demo says so.
DEMO := $(BUILD)/demo
DEMO_HAND ?=

.PHONY: demo
demo: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(BUILD)/tests/vm/vm-policy
	@mkdir -p $(DEMO)
	@rm -rf $(DEMO)/greeter $(DEMO)/greeter.lcg.cbor $(DEMO)/greeter.lcg-dot
	@if [ -n "$(DEMO_HAND)" ]; then \
		echo "demo: DEMO_HAND set: NOT using lcg-cc: hand-instrumented greeter and"; \
		echo "demo: its hand-made policy kernel/demo/greeter.spec"; \
		$(CC) -O2 -g -I. -DLCG_HAND_INSTRUMENTED -o $(DEMO)/greeter kernel/demo/greeter.c && \
		$(VM_POLICY_GEN) kernel/demo/greeter.spec $(DEMO)/greeter $(DEMO)/greeter.lcg.cbor || exit 1; \
	else \
		echo "demo: building lcg-cc and its LTO plugin (quiet; may take a few minutes)"; \
		$(MAKE) --no-print-directory $(BIN)/lcg-cc $(BUILD)/lib/lcg-plugin.so > $(DEMO)/build.log 2>&1 || { \
			tail -n 20 $(DEMO)/build.log; \
			echo "demo: FAILED: lcg-cc or its plugin does not build (log: $(DEMO)/build.log)"; \
			echo "demo: (DEMO_HAND=1 runs the demo with a hand-made policy instead)"; \
			exit 1; }; \
		echo "demo: building greeter with lcg-cc (analysis, instrumentation, policy)"; \
		$(BIN)/lcg-cc -O2 -g -o $(DEMO)/greeter kernel/demo/greeter.c || exit 1; \
	fi
	tests/vm/run --file $(DEMO)/greeter --file $(DEMO)/greeter.lcg.cbor kernel/demo/demo.sh
	@[ -z "$(DEMO_HAND)" ] || echo "demo: (DEMO_HAND set: the policy was the hand-made greeter.spec, not lcg-cc's)"
