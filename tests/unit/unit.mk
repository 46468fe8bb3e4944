# tests/unit/: the criterion suite (one runner, one synthesis line), with
# the code under test that is not in liblcg.
UNIT_SRCS += $(wildcard tests/unit/*.c)
# lcg-trace's pure parts; lcg-precision's models and accounting, and the
# report's numbers (eval/report/)
UNIT_SRCS += eval/trace/exe_map.c eval/trace/filter.c \
	$(addprefix eval/report/,digraph.c nextcalls.c replay.c model.c trace_read.c stats.c)
UNIT_LIBS += -lm
UNIT_RUNNER := $(BUILD)/tests/unit-tests
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)

$(UNIT_RUNNER): $(UNIT_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBLCG) $(UNIT_LIBS) $(LIBLCG_LDLIBS) -lcriterion

# the tool tests run lcg-analyze, lcg-cc (and its plugin) and lcg-trace
check-unit: $(UNIT_RUNNER) $(TOOLS)
	$(UNIT_RUNNER) --jobs 2 $(CRITERION_FLAGS)

all: $(UNIT_RUNNER)

# Unit tests (tests/unit/test_analysis*.c) compile C programs with clang at
# test time and need the analysis library and LLVM.
$(BUILD)/obj/tests/unit/test_analysis%.o: CFLAGS += $(LLVM_CFLAGS) -DLCG_BIN_DIR='"$(BIN)"'
$(BUILD)/tests/unit-tests: $(LIBLCG_ANALYSIS)
UNIT_LIBS += $(LIBLCG_ANALYSIS) $(BUILD)/liblcg.a $(LLVM_LDLIBS)
# ... and the graph canonicaliser of the program tests.
UNIT_CANON := $(BUILD)/obj/tests/programs/tools/canon.o
$(BUILD)/tests/unit-tests: $(UNIT_CANON) $(LCG_ANALYZE)
UNIT_LIBS := $(UNIT_CANON) $(UNIT_LIBS)

