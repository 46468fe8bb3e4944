# loader/: lcg-load and lcg-status, the user-space side of lcg.ko's configfs tree.
# nettle is linked statically (it supplies SHA-256); the test VM gets the
# remaining shared libraries (libcbor, libc) from tests/vm/run.
LOADER_COMMON := loader/lcgfs.c
LOADER_LIBS := $(LIBLCG_LDLIBS) -l:libnettle.a

$(BIN)/lcg-load: $(BUILD)/obj/loader/lcg-load.o $(BUILD)/obj/loader/lcgfs.o \
		$(BUILD)/obj/loader/sha256_file.o $(LIBLCG)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBLCG) $(LOADER_LIBS)

$(BIN)/lcg-status: $(BUILD)/obj/loader/lcg-status.o $(BUILD)/obj/loader/lcgfs.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^

TOOLS += $(BIN)/lcg-load $(BIN)/lcg-status
