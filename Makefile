# hyboot: one C kernel, one disk image, BIOS and UEFI.
# Quick start:  make disk.img   then   make test
# Each folder adds its own rules in <folder>/build.mk; this file holds only
# the toolchain choice and the user-facing targets.

.DEFAULT_GOAL := disk.img
.DELETE_ON_ERROR:
SHELL := /bin/bash

B := build
IMG := images/disk.img

# ---- toolchains -----------------------------------------------------------
# Target code (kernel, stage2, BOOTX64.EFI) uses $(CROSS_COMPILE)gcc & co.
# On an x86-64 host the host toolchain is the default; elsewhere Debian's
# gcc-x86-64-linux-gnu cross compiler.
HOST_ARCH := $(shell uname -m)
ifeq ($(HOST_ARCH),x86_64)
CROSS_COMPILE ?=
else
CROSS_COMPILE ?= x86_64-linux-gnu-
endif
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
AR      := $(CROSS_COMPILE)ar
NASM    ?= nasm
HOSTCC  ?= gcc

# Freestanding: no host libc headers, only the compiler's own
# (stddef.h, stdint.h, stdarg.h, stdbool.h) and ours.
CC_INCLUDE = $(shell $(CC) -print-file-name=include)
TARGET_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -nostdinc -isystem $(CC_INCLUDE) -fno-stack-protector \
	-fno-pic -fno-pie -fno-builtin -fno-common -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -Icommon

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Icommon
SAN_FLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

ifneq ($(V),1)
Q := @
endif

# ---- user-facing targets --------------------------------------------------
.PHONY: help deps all disk.img keys flash test test-quick test-row run-bios run-uefi bench clean

help:
	@echo "hyboot targets:"
	@echo "  make disk.img     build everything and $(IMG) (installs Debian packages as root)"
	@echo "  make test         all tests: unit (ASan/UBSan), image checks, QEMU boot matrix"
	@echo "  make test-quick   unit tests, image checks and one boot per firmware"
	@echo "  make test-row ROW=NAME   one row of the boot matrix (tests/boot/matrix.tsv)"
	@echo "  make run-bios     boot $(IMG) in QEMU with SeaBIOS"
	@echo "  make run-uefi     boot $(IMG) in QEMU with OVMF"
	@echo "  make flash DEV=/dev/sdX   write $(IMG) to a USB stick: checks, asks, writes, verifies"
	@echo "                    (FLASH_OPTS=\"--yes --allow-fixed\" for scripts / non-USB disks)"
	@echo "  make keys         a Secure Boot key set of your own in keys/ (PK, KEK, db; docs/secure-boot.md)"
	@echo "  make debug-bios   same as run-bios, halted for GDB (docs/debugging.md); also debug-uefi"
	@echo "  make fuzz         libFuzzer targets of every media parser, FUZZ_SECONDS (180) each (docs/testing.md)"
	@echo "  make bench        benchmarks (bench/): mkimage vs standard tools, boot vs GRUB"
	@echo "  make deps         check/install the Debian packages the project needs"
	@echo "  make clean        remove build/ and built images"
	@echo "variables: CROSS_COMPILE=x86_64-linux-gnu-  ACCEL=kvm  V=1  SOURCE_DATE_EPOCH=..."

# deps runs once per make invocation, before anything is built.
DEPS_STAMP := $(B)/.deps-ok
deps:
	$(Q)scripts/deps.sh
	@mkdir -p $(B) && touch $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh
	@mkdir -p $(B) && touch $@

# Build products; each folder's build.mk says how to make its own.
KERNEL_ELF := $(B)/kernel/kernel.elf
STAGE1_BIN := $(B)/bios/stage1.bin
STAGE2_BIN := $(B)/bios/stage2.bin
EFI_BIN    := $(B)/uefi/BOOTX64.EFI
EFI32_BIN  := $(B)/uefi32/BOOTIA32.EFI
MKIMAGE    := $(B)/mkimage/mkimage

include common/build.mk
include kernel/build.mk
include mkimage/build.mk
include bios/build.mk
include uefi/build.mk
include images/build.mk
include tests/build.mk
include bench/build.mk
include scripts/debug.mk

all: $(ALL_TARGETS)

disk.img: $(IMG)
	@echo
	@echo "Built $(IMG) ($$(du -h --apparent-size $(IMG) | cut -f1), $$(du -h $(IMG) | cut -f1) on disk)."
	@echo "  boot it:   make run-bios    or    make run-uefi"
	@echo "  inspect:   $(MKIMAGE) --inspect $(IMG)"
	@echo "  flash it:  make flash DEV=/dev/sdX   (a USB stick; find it with lsblk -d -o NAME,SIZE,TRAN,MODEL)"

# The write runs as root (sudo when make does not); the build does not.
flash: $(IMG)
	@if [ -z "$(DEV)" ]; then \
	  echo "usage: make flash DEV=/dev/sdX  [FLASH_OPTS=\"--yes --allow-fixed\"]"; \
	  echo "disks here:"; lsblk -d -o NAME,SIZE,TRAN,RM,MODEL 2>/dev/null | sed 's/^/  /'; exit 2; fi
	$(Q)$$([ "$$(id -u)" -eq 0 ] || echo sudo) $(MKIMAGE) --write-device $(DEV) $(FLASH_OPTS) $(IMG)

# Secure Boot keys (docs/secure-boot.md); never overwrites an existing set.
keys: | $(DEPS_STAMP)
	$(Q)scripts/make-keys.sh keys

clean:
	rm -rf $(B) images/*.img
