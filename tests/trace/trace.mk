# tests/trace/: check-trace, lcg-trace against hand-instrumented programs.
# Hand-instrumented programs (LCG_EVENT) with policies made by lcg-testpolicy
# from a spec, so these tests do not depend on the analysis.  The spec
# parser (tests/lib/spec.c) is shared with tests/vm/vm-policy.

TRACE_TESTS := $(BUILD)/tests/trace
LCG_TESTPOLICY := $(TRACE_TESTS)/lcg-testpolicy
LCG_TESTPOLICY_SRCS := tests/trace/testpolicy.c tests/lib/spec.c
LCG_TESTPOLICY_OBJS := $(LCG_TESTPOLICY_SRCS:%.c=$(BUILD)/obj/%.o)
TRACE_PROGS := $(patsubst tests/trace/progs/%.c,$(TRACE_TESTS)/%,$(wildcard tests/trace/progs/*.c))
TRACE_SPECS := $(patsubst tests/trace/progs/%.spec,%,$(wildcard tests/trace/progs/*.spec))
TRACE_POLICIES := $(TRACE_SPECS:%=$(TRACE_TESTS)/%.lcg.cbor)

$(LCG_TESTPOLICY): $(LCG_TESTPOLICY_OBJS) $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(LCG_TESTPOLICY_OBJS) $(BUILD)/liblcg.a $(LIBLCG_LDLIBS) -lelf

$(TRACE_PROGS): $(TRACE_TESTS)/%: tests/trace/progs/%.c pda/abi.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -pthread

# The spec NAME.spec describes the program NAME, and PROG-VARIANT.spec PROG.
trace_spec_program = $(TRACE_TESTS)/$(firstword $(subst -, ,$(1)))
define trace_policy_rule
$(TRACE_TESTS)/$(1).lcg.cbor: tests/trace/progs/$(1).spec $(call trace_spec_program,$(1)) $(LCG_TESTPOLICY)
	$(LCG_TESTPOLICY) -o $$@ $$< $(call trace_spec_program,$(1))
endef
$(foreach s,$(TRACE_SPECS),$(eval $(call trace_policy_rule,$(s))))

# binding linked statically: libc's code is the program's text, so the policy
# says static and the origin check is off (arming still applies).
TRACE_STATIC := $(TRACE_TESTS)/binding_static
TRACE_POLICIES += $(TRACE_STATIC).lcg.cbor

$(TRACE_STATIC): tests/trace/progs/binding.c pda/abi.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $< -pthread

$(TRACE_STATIC).lcg.cbor: tests/trace/progs/binding.spec $(TRACE_STATIC) $(LCG_TESTPOLICY)
	$(LCG_TESTPOLICY) -o $@ $< $(TRACE_STATIC)

# A preloaded library that forks before the program's entry point.
TRACE_FORKER := $(TRACE_TESTS)/libforker.so

$(TRACE_FORKER): tests/trace/preload/forker.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -fPIC -o $@ $<

check-trace: $(LCG_TRACE) $(TRACE_PROGS) $(TRACE_STATIC) $(TRACE_POLICIES) $(TRACE_FORKER)
	tests/trace/run $(BUILD)

all: $(LCG_TESTPOLICY)
CHECK_TARGETS += check-trace
.PHONY: check-trace
