# analysis/cc.mk: lcg-cc (compiler wrapper) and lcg-plugin.so (LTO pass plugin).
#
# The plugin is loaded into ld.lld, which links libLLVM-19.so: the plugin links
# the same shared libLLVM (never a static copy) and is built from PIC objects,
# including its own PIC build of the liblcg sources it needs.

CC_LLVM_INCLUDE := $(shell $(LLVM_CONFIG) --includedir)
CC_LLVM_LIBDIR := $(shell $(LLVM_CONFIG) --libdir)
CC_LLVM_CXXFLAGS := $(shell $(LLVM_CONFIG) --cxxflags)

LCG_CC := $(BIN)/lcg-cc
LCG_PLUGIN := $(BUILD)/lib/lcg-plugin.so
LCG_ANALYSIS_LIB ?= $(BUILD)/liblcg-analysis.a

CC_OBJS := $(BUILD)/obj/analysis/lcg-cc.o
$(CC_OBJS): CFLAGS += -I$(CC_LLVM_INCLUDE)

$(LCG_CC): $(CC_OBJS) $(BUILD)/liblcg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@.tmp $(CC_OBJS) $(LIBLCG) $(LIBLCG_LDLIBS)
	mv -f $@.tmp $@

# Position-independent objects for the plugin.
CC_PIC := $(BUILD)/cc-pic
CC_PIC_LIBLCG := $(CC_PIC)/liblcg-pic.a
CC_PIC_LIBLCG_OBJS := $(LIBLCG_SRCS:%.c=$(CC_PIC)/%.o)
CC_PLUGIN_OBJS := $(CC_PIC)/analysis/plugin.o $(CC_PIC)/analysis/lto_plugin.o

$(CC_PIC)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -I$(CC_LLVM_INCLUDE) -c $< -o $@

$(CC_PIC)/analysis/plugin.o: analysis/plugin.cpp
	@mkdir -p $(@D)
	$(CXX) $(CC_LLVM_CXXFLAGS) -O2 -g -Wall -Wextra -fPIC -I. -MMD -MP -c $< -o $@

$(CC_PIC_LIBLCG): $(CC_PIC_LIBLCG_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

# Linked under a temporary name and renamed: links running meanwhile load
# the old plugin or the new one, never a half-written file.
$(LCG_PLUGIN): $(CC_PLUGIN_OBJS) $(LCG_ANALYSIS_LIB) $(CC_PIC_LIBLCG)
	@mkdir -p $(@D)
	$(CXX) -shared -fPIC -o $@.tmp $(CC_PLUGIN_OBJS) $(LCG_ANALYSIS_LIB) $(CC_PIC_LIBLCG) \
		-L$(CC_LLVM_LIBDIR) -lLLVM-$(LLVM_VERSION) $(LIBLCG_LDLIBS) \
		-Wl,--no-undefined -Wl,--exclude-libs,ALL
	mv -f $@.tmp $@

# llvm-ar and llvm-ranlib next to lcg-cc: CMake looks for them in the
# compiler's directory first, and the unversioned ones on the PATH may be
# older than LLVM 19 and unable to read its bitcode.
CC_BINUTILS := $(BIN)/llvm-ar $(BIN)/llvm-ranlib
$(CC_BINUTILS):
	@mkdir -p $(@D)
	ln -sf "$$(command -v $(@F)-$(LLVM_VERSION))" $@

TOOLS += $(LCG_CC) $(CC_BINUTILS)
# The plugin needs the analysis library (analysis/analyze.mk).
ifneq ($(wildcard analysis/analyze.mk),)
TOOLS += $(LCG_PLUGIN)
endif
