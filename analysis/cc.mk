# analysis/cc.mk: lcg-cc (compiler wrapper + finalize), lcg-plugin.so (LTO pass
# plugin), and the program tests (check-programs).
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

CC_OBJS := $(BUILD)/obj/analysis/lcg-cc.o $(BUILD)/obj/analysis/finalize.o
$(CC_OBJS): CFLAGS += -I$(CC_LLVM_INCLUDE)

$(LCG_CC): $(CC_OBJS) $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(CC_OBJS) $(LIBLCG) $(LIBLCG_LDLIBS) -lelf -lcrypto

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

$(LCG_PLUGIN): $(CC_PLUGIN_OBJS) $(LCG_ANALYSIS_LIB) $(CC_PIC_LIBLCG)
	@mkdir -p $(@D)
	$(CXX) -shared -fPIC -o $@ $(CC_PLUGIN_OBJS) $(LCG_ANALYSIS_LIB) $(CC_PIC_LIBLCG) \
		-L$(CC_LLVM_LIBDIR) -lLLVM-$(LLVM_VERSION) $(LIBLCG_LDLIBS) \
		-Wl,--no-undefined -Wl,--exclude-libs,ALL

TOOLS += $(LCG_CC)
# The plugin needs the analysis library (analysis/analyze.mk).
ifneq ($(wildcard analysis/analyze.mk),)
TOOLS += $(LCG_PLUGIN)
endif

# Program tests: every program built with lcg-cc in both modes and all event
# sets, compared with its plain build and checked with lcg-trace.
.PHONY: check-programs
check-programs: $(LCG_CC) $(LCG_PLUGIN)
	tests/programs/run

CHECK_TARGETS += check-programs
