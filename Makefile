# lcg - library-call sandbox.  `make help` lists the targets.
#
# Each part of the tree adds its sources and targets through a fragment
# (pda/pda.mk, formats/formats.mk, ...), each test suite through
# tests/SUITE/SUITE.mk; this file holds what they share.

LLVM_VERSION ?= 19
CC := clang-$(LLVM_VERSION)
CXX := clang++-$(LLVM_VERSION)
AR := llvm-ar-$(LLVM_VERSION)
LLVM_CONFIG := llvm-config-$(LLVM_VERSION)

BUILD := build
BIN := $(BUILD)/bin

WARN := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN) -Werror=implicit-function-declaration -I. -MMD -MP
LDFLAGS ?=

# Debian packages everything needs (make deps installs them).
DEB_PACKAGES := clang-$(LLVM_VERSION) llvm-$(LLVM_VERSION)-dev lld-$(LLVM_VERSION) \
	libclang-rt-$(LLVM_VERSION)-dev libcbor-dev libjson-c-dev libcriterion-dev libelf-dev libssl-dev \
	graphviz qemu-system-x86 linux-image-amd64 linux-headers-amd64 \
	busybox-static cpio kmod xz-utils zstd pkg-config dpkg-dev gcc make file \
	scdoc dkms man-db cmake zlib1g-dev

# The user-space library every tool links (pda/ core + formats/).
LIBLCG := $(BUILD)/liblcg.a

# Filled by the fragments.
LIBLCG_SRCS :=		# user-space library: pda/ core, formats/
TOOLS :=		# build/bin/...
UNIT_SRCS :=		# criterion tests, linked into one runner
UNIT_LIBS :=		# extra libraries the unit runner needs
CHECK_TARGETS :=	# run by `make check` after the unit tests
BENCH_TARGETS :=
FUZZ_TARGETS :=

.PHONY: all check check-unit bench fuzz deps demo clean help
all:

include pda/pda.mk
include formats/formats.mk
-include analysis/analysis.mk
-include loader/loader.mk
-include kernel/kernel.mk
-include eval/eval.mk
include eval/bench/bench.mk
-include packaging/packaging.mk
-include eval/eval-mbedtls.mk
include tests/tests.mk

LIBLCG_OBJS := $(LIBLCG_SRCS:%.c=$(BUILD)/obj/%.o)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBLCG): $(LIBLCG_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

all: $(LIBLCG) $(TOOLS)

# The suites run in a sub-make so that the skip log is emptied before them;
# each suite appends a line per skipped check to $LCG_SKIP_LOG.  The skips
# are listed whether the suites passed or not.
check:
	@mkdir -p $(BUILD) && : > $(BUILD)/check-skips.log
	@LCG_SKIP_LOG=$(abspath $(BUILD))/check-skips.log $(MAKE) --no-print-directory \
		check-unit $(CHECK_TARGETS); status=$$?; \
	echo "$$(wc -l < $(BUILD)/check-skips.log) checks skipped:"; cat $(BUILD)/check-skips.log; \
	if [ $$status -ne 0 ]; then echo "make check: FAILED (the first failing suite is above)"; \
		exit $$status; fi; \
	echo "make check: all suites passed"

bench: $(BENCH_TARGETS)

fuzz: $(FUZZ_TARGETS)

deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)

clean:
	rm -rf $(BUILD)

help:
	@echo "make            build the user-space tools into $(BIN)/"
	@echo "make deps       install the Debian packages lcg needs (root)"
	@echo "make check      run every test (unit, programs, kernel in QEMU)"
	@echo "make check-unit run the criterion suite alone"
	@echo "make bench      run the benchmarks"
	@echo "make fuzz       run each fuzzer for FUZZ_SECONDS (default 60)"
	@echo "make demo       analyse, instrument and enforce a sample program in the test VM"
	@echo "make eval       the evaluation report: mbed TLS, Lua, SQLite, exploits (QUICK=1: the short variant)"
	@echo "make check-vm-debug  the VM suites on a KASAN/KFENCE/lockdep kernel (slow; not in make check)"
	@echo "make install    install under PREFIX (default /usr/local), DESTDIR honoured"
	@echo "make uninstall  remove what make install added"

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
