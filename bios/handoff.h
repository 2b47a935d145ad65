/* Fixed low-memory addresses shared by stage1, the stage2 entry code and
 * stage2's C code. docs/bios.md draws the whole map below 1 MiB. */
#ifndef HYBOOT_BIOS_HANDOFF_H
#define HYBOOT_BIOS_HANDOFF_H

/* stage1 leaves its first TSC reading (uint64_t) and the boot drive it
 * settled on (uint8_t, 0x80..0x8F) here, just above the BIOS data area. */
#define HANDOFF_TSC_ADDR    0x0600
#define HANDOFF_DRIVE_ADDR  0x0608

/* bios_call's register block and saved state (bios/entry.asm). */
#define THUNK_DATA_ADDR     0x0700

/* stage2's real-mode and 32-bit stack grows down from here. Real-mode
 * BIOS calls use it with SS = 0, so it must stay below 64 KiB; it stays
 * out of the page that held stage1's code (0x7000..0x7FFF), since QEMU's
 * TCG slows every write to a page it once translated code from. */
#define STAGE2_STACK_TOP    0x7000

/* Disk bounce buffer for INT 13h: 64 KiB-aligned so that no transfer
 * crosses a 64 KiB boundary, below the EBDA. */
#define BOUNCE_ADDR         0x70000
#define BOUNCE_SIZE         0x10000
#define BOUNCE_MAX_SECTORS  127        /* many BIOSes cap one AH=42h call here */

#endif
