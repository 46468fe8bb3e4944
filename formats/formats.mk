# formats/: user space built on pda/: the policy automaton as the analysis
# builds it and its compilation to the kernel image, policy.cbor (libcbor),
# DOT, the binary's ELF facts and the policy's binding to it (finalize), and
# the tools' JSON output (json-c).
LIBLCG_SRCS += formats/automaton.c formats/compile.c formats/image_build.c \
	formats/policy.c formats/policy_cbor.c formats/policy_cbor_write.c \
	formats/atomic_file.c formats/dot.c formats/err.c formats/grow.c formats/binary.c formats/finalize.c \
	formats/json.c
LIBLCG_LDLIBS := -lcbor -lelf -lcrypto -ljson-c
