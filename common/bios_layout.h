/* Low memory on the BIOS path: where stage1, stage2 and their shared data
 * live below 1 MiB. The one definition for the nasm code (stage1.asm and
 * entry.asm include build/bios/layout.inc, generated from this file), the
 * C code of stage2, the linker script (preprocessed) and mkimage.
 * Only plain "#define NAME value" lines here: the generator turns each
 * into a "%define NAME value" for nasm. docs/bios.md draws the map. */
#ifndef HYBOOT_BIOS_LAYOUT_H
#define HYBOOT_BIOS_LAYOUT_H

/* stage1 leaves its first TSC reading (8 bytes) and the boot drive it
 * settled on (1 byte, 0x80..0x8F) here, just above the BIOS data area. */
#define HANDOFF_TSC_ADDR 0x0600
#define HANDOFF_DRIVE_ADDR 0x0608

/* bios_call's register block and saved state (bios/entry.asm). */
#define THUNK_DATA_ADDR 0x0700

/* stage2's real-mode and 32-bit stack grows down from here. Real-mode
 * BIOS calls use it with SS = 0, so it must stay below 64 KiB; it stays
 * out of the page that held stage1's code (0x7000..0x7FFF), since QEMU's
 * TCG slows every write to a page it once translated code from. */
#define STAGE2_STACK_TOP 0x7000

/* stage1 loads stage2 here (0000:8000); its image and bss must end
 * below the bounce buffer. */
#define STAGE2_LOAD_ADDR 0x8000

/* Disk bounce buffer for INT 13h: 64 KiB-aligned so that no transfer
 * crosses a 64 KiB boundary, below the EBDA. */
#define BOUNCE_ADDR 0x70000
#define BOUNCE_SIZE 0x10000
/* many BIOSes cap one AH=42h call at 127 sectors */
#define BOUNCE_MAX_SECTORS 127

/* stage1 reads stage2 in AH=42h calls of at most this many sectors (32 KiB
 * of 512-byte ones: stage2 starts 32 KiB-aligned, so no call crosses a
 * 64 KiB boundary). It steps its buffer 512 bytes per sector, so on a
 * disk of 4096-byte sectors stage2 must come in one call: mkimage checks
 * that (docs/mkimage.md, 4Kn images). */
#define STAGE1_CHUNK_SECTORS 64

/* The most stage2 may be: everything from its load address up to the
 * bounce buffer. */
#define STAGE2_MAX_SIZE (BOUNCE_ADDR - STAGE2_LOAD_ADDR)

/* struct bios_regs (bios/bioscall.h), as entry.asm's thunk reads and
 * writes it; bioscall.h asserts the C layout matches. */
#define BIOS_REGS_EAX 0
#define BIOS_REGS_EBX 4
#define BIOS_REGS_ECX 8
#define BIOS_REGS_EDX 12
#define BIOS_REGS_ESI 16
#define BIOS_REGS_EDI 20
#define BIOS_REGS_EBP 24
#define BIOS_REGS_EFLAGS 28
#define BIOS_REGS_DS 32
#define BIOS_REGS_ES 34
#define BIOS_REGS_SIZE 36

#endif
