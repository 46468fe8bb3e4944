# kernel/: lcg.ko, built with kbuild against the target kernel's headers.
# The build tree (build/kernel) links the module's sources and the shared
# freestanding core (pda/monitor.c, formats/image_validate.c) so that kbuild
# compiles the very files the user-space tools use, and writes its output
# outside the source tree.
KVER ?= 6.1.0-56-amd64
KDIR ?= /lib/modules/$(KVER)/build
LCG_KO := $(BUILD)/kernel/lcg.ko
KBUILD_TREE := $(abspath $(BUILD)/kernel)
KERNEL_SRCS := $(wildcard kernel/*.c kernel/*.h) kernel/Kbuild
KERNEL_SHARED := pda/monitor.c pda/monitor.h pda/shim.h pda/limits.h \
	formats/image_validate.c formats/image.h formats/abi.h

.PHONY: kernel
kernel: $(LCG_KO)

$(LCG_KO): $(KERNEL_SRCS) $(KERNEL_SHARED)
	@test -d $(KDIR) || { echo "kernel headers not found in $(KDIR): install linux-headers-amd64 (make deps) or set KDIR"; exit 1; }
	@mkdir -p $(KBUILD_TREE)/pda $(KBUILD_TREE)/formats
	@for f in $(KERNEL_SRCS); do ln -sf $(CURDIR)/$$f $(KBUILD_TREE)/$${f#kernel/}; done
	@for f in $(KERNEL_SHARED); do ln -sf $(CURDIR)/$$f $(KBUILD_TREE)/$$f; done
	$(MAKE) -C $(KDIR) M=$(KBUILD_TREE) modules

all: $(LCG_KO)
