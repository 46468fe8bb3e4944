# pda/: the freestanding automaton core (also compiled into kernel/lcg.ko)
PDA_CORE_SRCS := pda/monitor.c pda/sensitive.c
LIBLCG_SRCS += $(PDA_CORE_SRCS) pda/automaton.c pda/compile.c
