# eval/eval-mbedtls.mk: the evaluation (docs/evaluation.md): mbed TLS, real
# programs from Debian's source packages, and real exploit runs.
#   make eval            everything, about an hour on 2 cores
#   make eval QUICK=1    the CI variant (smaller inputs, fewer builds)
#   make eval BUILD=DIR  tools, trees and results all under DIR
# Writes $(BUILD)/eval/report.md and report.html; fails on any false alarm,
# any attack not stopped, or any failed run of an instrumented build.

LCG_PRECISION := $(BIN)/lcg-precision
LCG_PRECISION_SRCS := eval/report/precision.c eval/report/replay.c eval/report/model.c \
	eval/report/trace_read.c eval/report/nextcalls.c eval/report/digraph.c
LCG_PRECISION_OBJS := $(LCG_PRECISION_SRCS:%.c=$(BUILD)/obj/%.o)
LCG_SVGCHART := $(BIN)/lcg-svgchart
LCG_SVGCHART_OBJS := $(BUILD)/obj/eval/report/svgchart.o
LCG_EVALSTATS := $(BIN)/lcg-evalstats
LCG_EVALSTATS_OBJS := $(BUILD)/obj/eval/report/evalstats.o $(BUILD)/obj/eval/report/stats.o
TOOLS += $(LCG_PRECISION) $(LCG_SVGCHART) $(LCG_EVALSTATS)

$(LCG_PRECISION): $(LCG_PRECISION_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_PRECISION_OBJS) $(LIBLCG) $(LIBLCG_LDLIBS)

$(LCG_SVGCHART): $(LCG_SVGCHART_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_SVGCHART_OBJS) -lm

$(LCG_EVALSTATS): $(LCG_EVALSTATS_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_EVALSTATS_OBJS) $(LIBLCG) -lm

EVAL_FLAGS := $(if $(QUICK),--quick)

# The scripts find every tool, the kernel module and their own scratch space
# under $(BUILD) (absolute: they change directories).
eval: all
	BUILD=$(abspath $(BUILD)) eval/run-eval $(EVAL_FLAGS) $(abspath $(BUILD))/eval

.PHONY: eval

# This fragment is read after the top-level `all:` rule has expanded TOOLS.
all: $(LCG_PRECISION) $(LCG_SVGCHART) $(LCG_EVALSTATS)

# Packages the evaluation needs beyond the build's (make deps): SQLite's
# build generates its amalgamation with tclsh.
DEB_PACKAGES += tcl
