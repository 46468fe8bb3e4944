# eval/bench/: benchmarks of the automaton core (make bench)
BENCH_MONITOR := $(BUILD)/bench/bench_monitor

$(BENCH_MONITOR): $(BUILD)/obj/eval/bench/bench_monitor.o $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBLCG) $(LIBLCG_LDLIBS)

bench-monitor: $(BENCH_MONITOR)
	$(BENCH_MONITOR)

BENCH_TARGETS += bench-monitor
.PHONY: bench-monitor
