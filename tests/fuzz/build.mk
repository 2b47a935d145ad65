# Fuzzing: one libFuzzer harness per parser of media or firmware data
# (tests/fuzz/fuzz_*.c), built with clang, ASan and UBSan into
# build/fuzz/. See docs/testing.md, "Fuzzing".
#   make fuzz                   every target for FUZZ_SECONDS (default 180) each
#   make fuzz FUZZ_SECONDS=20   shorter
#   make fuzz FUZZ_TARGETS="fat gpt"
# make test runs a bounded pass over the committed corpora
# (tests/fuzz/test_fuzz.sh).

FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 180
FUZZ_TARGETS ?=
FUZZ_B := $(B)/fuzz
FUZZ_FLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Icommon -Ibios -Iuefi -Imkimage -I$(MKIMAGE_GEN) -Itests/fuzz

# The code under test: common/ as the host builds it, mkimage for
# --inspect, and the firmware layers' pure memory-map code. Coverage
# instrumentation (fuzzer-no-link) goes into these objects only.
FUZZ_LIB_SRCS := $(COMMON_HOST_SRCS) $(filter-out mkimage/main.c,$(MKIMAGE_SRCS)) bios/memory.c bios/files.c \
	uefi/mmap_logic.c
FUZZ_LIB := $(FUZZ_B)/libfuzzed.a
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_HELPERS := tests/fuzz/fuzz_disk.c
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out $(FUZZ_HELPERS),$(FUZZ_SRCS)))
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)

$(FUZZ_B)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@
$(FUZZ_B)/obj/mkimage/mbr.o: $(MKIMAGE_GEN)/nobios.h
$(FUZZ_LIB): $(FUZZ_LIB_SRCS:%.c=$(FUZZ_B)/obj/%.o)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HELPERS) $(FUZZ_LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $^ -o $@

TEST_DEPS += $(FUZZ_BINS)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS)
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)
