# loader/: lcg-load and lcg-status, the user-space side of lcg.ko's configfs tree.
# The test VM gets their shared libraries (libcbor, libcrypto, libelf,
# libjson-c, libc) from tests/vm/run.
LOADER_COMMON := loader/lcgfs.c
LOADER_LIBS := $(LIBLCG_LDLIBS)

$(BIN)/lcg-load: $(BUILD)/obj/loader/lcg-load.o $(BUILD)/obj/loader/lcgfs.o $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBLCG) $(LOADER_LIBS)

$(BIN)/lcg-status: $(BUILD)/obj/loader/lcg-status.o $(BUILD)/obj/loader/lcgfs.o $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBLCG) $(LOADER_LIBS)

TOOLS += $(BIN)/lcg-load $(BIN)/lcg-status
