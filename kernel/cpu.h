/* The kernel's own GDT (with a TSS, so faults that wreck the stack still
 * get a good one), the IDT for CPU exceptions 0-31, the panic screen, and
 * small control-register helpers. */
#ifndef HYBOOT_KERNEL_CPU_H
#define HYBOOT_KERNEL_CPU_H

#include <stdint.h>

/* What isr.S leaves on the stack, lowest address first. */
struct exc_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, err;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

/* Loads our GDT + TSS and an IDT covering vectors 0-31. */
void cpu_init(void);

/* "#UD invalid opcode" etc. */
const char *cpu_exception_name(uint64_t vector);

/* Set once the self-test starts: a CPU exception then also reports
 * SELFTEST FAIL and exits QEMU with the failure code. */
extern int cpu_panic_is_selftest_fail;

__attribute__((noreturn)) void cpu_halt(void);

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }

#endif
