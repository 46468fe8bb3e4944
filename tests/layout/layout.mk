# tests/layout/: check-layout, the include arrows between pda/, formats/ and kernel/.
.PHONY: check-layout
check-layout:
	tests/layout/check

CHECK_TARGETS += check-layout
