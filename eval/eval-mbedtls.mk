# eval/eval-mbedtls.mk: the mbed TLS evaluation (docs/evaluation.md).
#   make eval            everything, under an hour on 2 cores
#   make eval QUICK=1    the CI variant, under 10 minutes
# Writes build/eval/report.md and build/eval/report.html.

LCG_PRECISION := $(BIN)/lcg-precision
LCG_PRECISION_SRCS := eval/report/precision.c eval/report/model.c eval/report/trace_read.c \
	eval/report/nextcalls.c eval/report/digraph.c
LCG_PRECISION_OBJS := $(LCG_PRECISION_SRCS:%.c=$(BUILD)/obj/%.o)
LCG_SVGCHART := $(BIN)/lcg-svgchart
LCG_SVGCHART_OBJS := $(BUILD)/obj/eval/report/svgchart.o
TOOLS += $(LCG_PRECISION) $(LCG_SVGCHART)

$(LCG_PRECISION): $(LCG_PRECISION_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_PRECISION_OBJS) $(LIBLCG) $(LIBLCG_LDLIBS)

$(LCG_SVGCHART): $(LCG_SVGCHART_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_SVGCHART_OBJS) -lm

EVAL_FLAGS := $(if $(QUICK),--quick)

eval: all
	eval/mbedtls/run-eval $(EVAL_FLAGS) $(BUILD)/eval

.PHONY: eval

# This fragment is read after the top-level `all:` rule has expanded TOOLS.
all: $(LCG_PRECISION) $(LCG_SVGCHART)

# lcg-precision's models in the shared criterion runner.  tests/tests.mk has
# already expanded UNIT_OBJS into the runner's prerequisites; its recipe
# reads UNIT_OBJS when it runs, so both are extended here.
EVAL_UNIT_OBJS := $(BUILD)/obj/eval/report/tests/test_precision.o \
	$(BUILD)/obj/eval/report/digraph.o $(BUILD)/obj/eval/report/nextcalls.o
UNIT_OBJS += $(EVAL_UNIT_OBJS)
$(UNIT_RUNNER): $(EVAL_UNIT_OBJS)
