# eval/: lcg-trace, the user-space event tracer (docs/lcg-trace.md); its
# tests are tests/trace/.  The evaluation itself is eval/eval-mbedtls.mk.

## lcg-trace ###############################################################

LCG_TRACE := $(BIN)/lcg-trace
LCG_TRACE_SRCS := $(wildcard eval/trace/*.c)
LCG_TRACE_OBJS := $(LCG_TRACE_SRCS:%.c=$(BUILD)/obj/%.o)
TOOLS += $(LCG_TRACE)

# (liblcg.a is named literally: $(LIBLCG) is defined after the fragments.)
$(LCG_TRACE): $(LCG_TRACE_OBJS) $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_TRACE_OBJS) $(BUILD)/liblcg.a $(LIBLCG_LDLIBS)

