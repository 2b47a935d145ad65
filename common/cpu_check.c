#include "cpu_check.h"
#include "io.h"

#define EFLAGS_ID   (1u << 21)
#define CPUID1_EDX_MSR (1u << 5)
#define CPUID1_EDX_PAE (1u << 6)
#define EXT1_EDX_LM    (1u << 29)

/* CPUID exists when EFLAGS.ID can be toggled (a 486 or older cannot).
 * In 64-bit code it always exists. */
static int has_cpuid(void)
{
#if defined(__i386__)
    uint32_t before, after;
    __asm__ volatile("pushfl\n\t"
                     "pushfl\n\t"
                     "popl %0\n\t"
                     "movl %0, %1\n\t"
                     "xorl %2, %0\n\t"
                     "pushl %0\n\t"
                     "popfl\n\t"
                     "pushfl\n\t"
                     "popl %0\n\t"
                     "popfl"
                     : "=&r"(after), "=&r"(before)
                     : "i"(EFLAGS_ID)
                     : "cc");
    return ((after ^ before) & EFLAGS_ID) != 0;
#else
    return 1;
#endif
}

const char *cpu_missing_for_long_mode(void)
{
    uint32_t r[4];
    if (!has_cpuid())
        return "no CPUID instruction";
    cpuid(0, 0, r);
    if (r[0] < 1)
        return "no CPUID leaf 1";
    cpuid(1, 0, r);
    if (!(r[3] & CPUID1_EDX_MSR))
        return "no model-specific registers";
    if (!(r[3] & CPUID1_EDX_PAE))
        return "no PAE";
    cpuid(0x80000000u, 0, r);
    if (r[0] < 0x80000001u)
        return "no long mode (x86-64)";
    cpuid(0x80000001u, 0, r);
    if (!(r[3] & EXT1_EDX_LM))
        return "no long mode (x86-64)";
    return 0;
}
