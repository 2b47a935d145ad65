# common/: compiled into each user with that user's flags (no shared
# library, no global state). Fragments pick what they need from here.

COMMON_SRCS := $(wildcard common/*.c)
# Everything but the routines that only make sense on the target
# (port I/O, libc replacements) also builds for the host, where unit
# tests and mkimage use it.
COMMON_HOST_SRCS := $(filter-out common/mem.c common/serial.c common/tsc.c,$(COMMON_SRCS))

# Sources that unit tests link (fragments add their host-testable files).
HOST_TESTABLE_SRCS := $(COMMON_HOST_SRCS)

# Host objects: build/host/ plain (mkimage), build/host-san/ with
# AddressSanitizer + UBSan (unit tests).
$(B)/host/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(B)/host-san/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(B) -name '*.d' 2>/dev/null)
