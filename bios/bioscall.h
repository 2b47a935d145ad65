/* Calling real-mode BIOS services from 32-bit protected mode.
 *
 * bios_call drops from 32-bit protected mode through a 16-bit protected
 * mode segment to real mode, loads the registers below, executes
 * `int vector`, stores the registers the BIOS returned, and comes back.
 * Interrupts are enabled only while in real mode. Buffers handed to the
 * BIOS must lie below 1 MiB; use rm_seg/rm_off to address them.
 *
 * Once A20 is on, bios_call checks after every call that it still is and
 * turns it back on if not: SeaBIOS, for one, restores port 0x92 to what
 * it found after each of its 32-bit excursions, and where port 0x92 and
 * the keyboard controller are not ORed (QEMU) that switches A20 off. */
#ifndef HYBOOT_BIOS_BIOSCALL_H
#define HYBOOT_BIOS_BIOSCALL_H

#include <stdint.h>

struct bios_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint32_t eflags;            /* out only */
    uint16_t ds, es;
};

#define EFLAGS_CF 0x0001u
#define EFLAGS_ZF 0x0040u

void bios_call(int vector, struct bios_regs *r);
/* The bare mode switch (bios/entry.asm); bios_call adds the A20 check. */
void bios_call_rm(int vector, struct bios_regs *r);

/* Real-mode segment:offset of a linear address below 1 MiB. */
static inline uint16_t rm_seg(const volatile void *p) { return (uint16_t)((uintptr_t)p >> 4); }
static inline uint16_t rm_off(const volatile void *p) { return (uint16_t)((uintptr_t)p & 0xf); }
/* Linear address of a real-mode far pointer (seg << 16 | off). */
static inline uint32_t rm_linear(uint32_t farptr) { return ((farptr >> 16) << 4) + (farptr & 0xffff); }

#endif
