# tests/: every suite's rules live beside it, in tests/SUITE/SUITE.mk.
# This fragment is read last: the rules name the tools the other fragments
# define.  `make check` runs check-unit, then CHECK_TARGETS in this order.
include tests/unit/unit.mk
include tests/layout/layout.mk
include tests/style/style.mk
include tests/fuzz/fuzz.mk
include tests/trace/trace.mk
include tests/programs/programs.mk
include tests/install/install.mk
include tests/vm/vm.mk
