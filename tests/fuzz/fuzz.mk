# tests/fuzz/: libFuzzer targets (clang, ASan + UBSan) for the policy.cbor
# reader and the image validator.  `make fuzz` runs each for FUZZ_SECONDS;
# `make check` runs each for FUZZ_SMOKE_SECONDS.  A crash, a leak or a
# sanitizer report fails the target and leaves the input in
# $(FUZZ_DIR)/artifacts/.
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
# The library is compiled again with the sanitizers and coverage, so that
# libFuzzer sees inside it (only the parts the fuzzers use: pda/, formats/).
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=gnu11 $(WARN) -I. -MMD -MP \
	-fsanitize=fuzzer-no-link $(FUZZ_SANITIZE)
FUZZ_LIB_SRCS := $(filter pda/% formats/%,$(LIBLCG_SRCS))
FUZZ_LIB_OBJS := $(FUZZ_LIB_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_NAMES := policy image
FUZZERS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz-%)
FUZZ_SEEDS := $(FUZZ_DIR)/seeds
FUZZ_MAKE_SEEDS := $(FUZZ_DIR)/make-seeds

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	$(CC) -fsanitize=fuzzer $(FUZZ_SANITIZE) -o $@ $^ $(LIBLCG_LDLIBS)

# The seed generator is an ordinary program on the ordinary library.
$(FUZZ_MAKE_SEEDS): $(BUILD)/obj/tests/fuzz/make_seeds.o \
		$(BUILD)/obj/tests/unit/policy_fixture.o $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBLCG_LDLIBS)

$(FUZZ_SEEDS)/.stamp: $(FUZZ_MAKE_SEEDS)
	$(FUZZ_MAKE_SEEDS) $(FUZZ_SEEDS)
	@touch $@

# $(1): fuzzer name, $(2): seconds.  New inputs go to the corpus directory;
# the seeds are only read.
define lcg_fuzz_run
@mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/artifacts
$(FUZZ_DIR)/fuzz-$(1) -max_total_time=$(2) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)- \
		$(FUZZ_DIR)/corpus/$(1) $(FUZZ_SEEDS)/$(1)
endef

.PHONY: fuzz-run check-fuzz-smoke fuzzers
fuzzers: $(FUZZERS) $(FUZZ_SEEDS)/.stamp

fuzz-run: fuzzers
	$(call lcg_fuzz_run,policy,$(FUZZ_SECONDS))
	$(call lcg_fuzz_run,image,$(FUZZ_SECONDS))

check-fuzz-smoke: fuzzers
	$(call lcg_fuzz_run,policy,$(FUZZ_SMOKE_SECONDS))
	$(call lcg_fuzz_run,image,$(FUZZ_SMOKE_SECONDS))

FUZZ_TARGETS += fuzz-run
CHECK_TARGETS += check-fuzz-smoke
