# tests/style/: check-kernel-style, the kernel's own tools on what lcg.ko
# compiles (kernel/ and the pda/ core): checkpatch, kernel-doc, a W=1 build
# and a sparse build.  tests/style/check runs them and says what each found.
STYLE_DIR := $(BUILD)/style
# checkpatch has no package of its own: Debian ships it in the kernel source
LINUX_SOURCE_TAR ?= /usr/src/linux-source-6.1.tar.xz
LINUX_SOURCE_TOP := $(notdir $(LINUX_SOURCE_TAR:.tar.xz=))
STYLE_CHECKPATCH := $(STYLE_DIR)/scripts/checkpatch.pl
DEB_PACKAGES += linux-source-6.1 sparse

# checkpatch and the two files it reads beside itself; -m dates them now, so
# that they are newer than the tarball.  Without the tarball nothing is made
# and tests/style/check fails, naming the package.
$(STYLE_CHECKPATCH): $(wildcard $(LINUX_SOURCE_TAR))
	@mkdir -p $(STYLE_DIR)
	@if [ -f $(LINUX_SOURCE_TAR) ]; then \
		echo "extracting checkpatch from $(LINUX_SOURCE_TAR)"; \
		tar -xJmf $(LINUX_SOURCE_TAR) -C $(STYLE_DIR) --strip-components=1 \
			$(foreach f,checkpatch.pl spelling.txt const_structs.checkpatch, \
				$(LINUX_SOURCE_TOP)/scripts/$(f)); \
	fi

# Fresh trees each time: kbuild warns only about what it compiles.  Apart
# from $(LCG_KO)'s, so the module the VM tests boot is not touched.
.PHONY: check-kernel-style
check-kernel-style: $(STYLE_CHECKPATCH)
	@rm -rf $(STYLE_DIR)/w1 $(STYLE_DIR)/sparse
	$(call lcg_kbuild_tree,$(abspath $(STYLE_DIR)/w1))
	$(call lcg_kbuild_tree,$(abspath $(STYLE_DIR)/sparse))
	+MAKE="$(MAKE)" tests/style/check $(STYLE_DIR) $(KDIR) $(KERNEL_CC)

CHECK_TARGETS += check-kernel-style
