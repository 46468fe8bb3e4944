# analysis/analyze.mk: the analysis library (LLVM-C) and lcg-analyze.
#
# build/liblcg-analysis.a is position-independent: analysis/cc.mk links it
# into the LTO plugin as well.  The libc model (analysis/libc-model.txt) is
# compiled in; --model overrides it at run time.

LLVM_CFLAGS := $(shell $(LLVM_CONFIG) --cflags)
LLVM_LDLIBS := -L$(shell $(LLVM_CONFIG) --libdir) -lLLVM-$(LLVM_VERSION)

ANALYSIS_SRCS := analysis/analyze.c analysis/binding.c analysis/calls.c analysis/cfg_graph.c \
	analysis/events.c analysis/fptr.c analysis/fptr_keys.c analysis/functions.c analysis/graphs.c \
	analysis/instrument.c analysis/kcfi.c analysis/resolve.c analysis/strmap.c \
	analysis/callbacks.c analysis/expand.c analysis/inline.c analysis/plan.c analysis/scc.c \
	analysis/lgraph.c analysis/lgraph_scc.c analysis/libc_model.c analysis/nfa.c analysis/ptrmap.c \
	analysis/reach.c analysis/stats.c analysis/warnings.c
ANALYSIS_MODEL_C := $(BUILD)/gen/analysis/libc_model_text.c
ANALYSIS_OBJS := $(ANALYSIS_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/libc_model_text.o
LIBLCG_ANALYSIS := $(BUILD)/liblcg-analysis.a
LCG_ANALYZE := $(BIN)/lcg-analyze

$(ANALYSIS_OBJS) $(BUILD)/obj/analysis/lcg_analyze.o: CFLAGS += -fPIC $(LLVM_CFLAGS)

# The model as one C string, one source line per line.
$(ANALYSIS_MODEL_C): analysis/libc-model.txt
	@mkdir -p $(@D)
	{ echo '/* generated from analysis/libc-model.txt by analysis/analyze.mk */'; \
	  echo 'extern const char lcg_libc_model_text[];'; \
	  echo 'const char lcg_libc_model_text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/libc_model_text.o: $(ANALYSIS_MODEL_C)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBLCG_ANALYSIS): $(ANALYSIS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

# (liblcg.a is named literally: $(LIBLCG) is defined after the fragments.)
$(LCG_ANALYZE): $(BUILD)/obj/analysis/lcg_analyze.o $(LIBLCG_ANALYSIS) $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBLCG_ANALYSIS) $(BUILD)/liblcg.a \
		$(LLVM_LDLIBS) $(LIBLCG_LDLIBS) -lelf -lcrypto

TOOLS += $(LIBLCG_ANALYSIS) $(LCG_ANALYZE)

# make bench: analysis time and peak memory (tests/analysis/bench).
bench-analysis: $(LCG_ANALYZE)
	tests/analysis/bench
BENCH_TARGETS += bench-analysis
.PHONY: bench-analysis
