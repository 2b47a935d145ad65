/* Calling real-mode BIOS services from 32-bit protected mode.
 *
 * bios_call (bios/entry.asm) drops from 32-bit protected mode through a
 * 16-bit protected mode segment to real mode, loads the registers below,
 * calls the vector's handler as `int` would, stores the registers the
 * BIOS returned, and comes back. Interrupts are enabled only while in
 * real mode. Buffers handed to the BIOS must lie below 1 MiB; use
 * rm_seg/rm_off to address them.
 *
 * It is the bare round trip and nothing else. Code that needs memory
 * above 1 MiB afterwards calls bios_service (service.h), which also
 * makes sure A20 is still on. */
#ifndef HYBOOT_BIOS_BIOSCALL_H
#define HYBOOT_BIOS_BIOSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "bios_layout.h"

struct bios_regs {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
    uint32_t eflags;            /* out only */
    uint16_t ds, es;
};

/* entry.asm copies the block by these offsets (common/bios_layout.h). */
_Static_assert(offsetof(struct bios_regs, eax) == BIOS_REGS_EAX, "bios_regs.eax");
_Static_assert(offsetof(struct bios_regs, ebx) == BIOS_REGS_EBX, "bios_regs.ebx");
_Static_assert(offsetof(struct bios_regs, ecx) == BIOS_REGS_ECX, "bios_regs.ecx");
_Static_assert(offsetof(struct bios_regs, edx) == BIOS_REGS_EDX, "bios_regs.edx");
_Static_assert(offsetof(struct bios_regs, esi) == BIOS_REGS_ESI, "bios_regs.esi");
_Static_assert(offsetof(struct bios_regs, edi) == BIOS_REGS_EDI, "bios_regs.edi");
_Static_assert(offsetof(struct bios_regs, ebp) == BIOS_REGS_EBP, "bios_regs.ebp");
_Static_assert(offsetof(struct bios_regs, eflags) == BIOS_REGS_EFLAGS, "bios_regs.eflags");
_Static_assert(offsetof(struct bios_regs, ds) == BIOS_REGS_DS, "bios_regs.ds");
_Static_assert(offsetof(struct bios_regs, es) == BIOS_REGS_ES, "bios_regs.es");
_Static_assert(sizeof(struct bios_regs) == BIOS_REGS_SIZE, "bios_regs size");
_Static_assert(BIOS_REGS_SIZE % 4 == 0, "the thunk copies bios_regs in dwords");

#define EFLAGS_CF 0x0001u
#define EFLAGS_ZF 0x0040u

void bios_call(int vector, struct bios_regs *r);

/* Real-mode segment:offset of a linear address below 1 MiB. */
static inline uint16_t rm_seg(const volatile void *p) { return (uint16_t)((uintptr_t)p >> 4); }
static inline uint16_t rm_off(const volatile void *p) { return (uint16_t)((uintptr_t)p & 0xf); }
/* Linear address of a real-mode far pointer (seg << 16 | off). */
static inline uint32_t rm_linear(uint32_t farptr) { return ((farptr >> 16) << 4) + (farptr & 0xffff); }

#endif
