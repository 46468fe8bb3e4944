# tests/: the criterion suite (one runner, one synthesis line)
UNIT_SRCS += $(wildcard tests/unit/*.c)
UNIT_RUNNER := $(BUILD)/tests/unit-tests
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)

$(UNIT_RUNNER): $(UNIT_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBLCG) $(UNIT_LIBS) $(LIBLCG_LDLIBS) -lcriterion

# the tool tests run lcg-analyze, lcg-cc (and its plugin) and lcg-trace
check-unit: $(UNIT_RUNNER) $(TOOLS)
	$(UNIT_RUNNER) --jobs 2 $(CRITERION_FLAGS)

all: $(UNIT_RUNNER)
-include tests/fuzz/fuzz.mk
