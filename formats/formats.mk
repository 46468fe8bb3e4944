# formats/: policy.cbor (libcbor), the kernel image and its validator, DOT
FORMATS_CORE_SRCS := formats/image_validate.c
LIBLCG_SRCS += $(FORMATS_CORE_SRCS) formats/image_build.c \
	formats/policy.c formats/policy_cbor.c formats/policy_cbor_write.c \
	formats/atomic_file.c formats/dot.c formats/binary.c
LIBLCG_LDLIBS := -lcbor -lelf -lcrypto
