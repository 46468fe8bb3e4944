# pda/: the kernel-shared, freestanding core: the monitor step, the image it
# runs on and its validator, the sensitive-call table, limits and the ABI.
# Every file here is compiled unchanged into lcg.ko (kernel/Kbuild) and into
# liblcg; nothing here includes anything outside pda/ (tests/layout checks it).
PDA_SRCS := pda/monitor.c pda/sensitive.c pda/image_validate.c
PDA_HDRS := $(wildcard pda/*.h)
LIBLCG_SRCS += $(PDA_SRCS)
