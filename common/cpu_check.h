/* Can this CPU run the kernel? Both loaders ask before they use anything
 * the hand-off needs, so a 32-bit-only machine gets one clear line instead
 * of a triple fault at the long-mode switch. */
#ifndef HYBOOT_CPU_CHECK_H
#define HYBOOT_CPU_CHECK_H

/* NULL when the CPU has everything the hand-off uses (CPUID, MSRs, PAE,
 * long mode); otherwise what is missing, e.g. "no long mode (x86-64)". */
const char *cpu_missing_for_long_mode(void);

#endif
