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
# the kernel.  The sample is built with lcg-cc when the analysis builds;
# otherwise (or with DEMO_HAND=1) with hand-issued events and the hand-made
# kernel/demo/greeter.spec.
DEMO := $(BUILD)/demo
DEMO_HAND ?=

.PHONY: demo
demo: $(LCG_KO) $(BIN)/lcg-load $(BIN)/lcg-status $(BUILD)/tests/vm/vm-policy
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
