/* Fixed low-memory addresses shared by stage1, the stage2 entry code and
 * stage2's C code. docs/bios.md draws the whole map below 1 MiB. */
#ifndef HYBOOT_BIOS_HANDOFF_H
#define HYBOOT_BIOS_HANDOFF_H

/* stage1 leaves its first TSC reading (uint64_t) and the boot drive it
 * settled on (uint8_t, 0x80..0x8F) here, just above the BIOS data area. */
#define HANDOFF_TSC_ADDR    0x0600
#define HANDOFF_DRIVE_ADDR  0x0608

/* stage2's real-mode and 32-bit stack grows down from here (below the
 * stage1 copy at 0x7C00, which is dead once stage2 runs). Real-mode BIOS
 * calls use it with SS = 0, so it must stay below 64 KiB. */
#define STAGE2_STACK_TOP    0x7c00

/* Disk bounce buffer for INT 13h: 64 KiB-aligned so that no transfer
 * crosses a 64 KiB boundary, below the EBDA. */
#define BOUNCE_ADDR         0x70000
#define BOUNCE_SIZE         0x10000
#define BOUNCE_MAX_SECTORS  127        /* many BIOSes cap one AH=42h call here */

#endif
