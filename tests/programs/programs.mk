# tests/programs/: check-programs.
# Program tests: every program built with lcg-cc in both modes and all event
# sets, compared with its plain build and checked with lcg-trace; helpers that
# canonicalise graphs and replay event sequences through the monitor.
PROG_TOOLS_BIN := $(BUILD)/tests/programs/bin
PROG_TOOLS := $(PROG_TOOLS_BIN)/policy-graph $(PROG_TOOLS_BIN)/replay

$(PROG_TOOLS_BIN)/policy-graph: $(BUILD)/obj/tests/programs/tools/policy-graph.o \
		$(BUILD)/obj/tests/programs/tools/canon.o $(BUILD)/liblcg.a
$(PROG_TOOLS_BIN)/replay: $(BUILD)/obj/tests/programs/tools/replay.o $(BUILD)/liblcg.a
$(PROG_TOOLS):
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BUILD)/liblcg.a $(LIBLCG_LDLIBS)

.PHONY: check-programs
check-programs: $(TOOLS) $(PROG_TOOLS) $(BIN)/lcg-trace $(BIN)/lcg-analyze
	tests/programs/run

CHECK_TARGETS += check-programs
