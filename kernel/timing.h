/* Turning the loader's TSC stamps into the kernel's timing lines. */
#ifndef HYBOOT_KERNEL_TIMING_H
#define HYBOOT_KERNEL_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"

/* ticks at hz as "12.345 ms" (3 decimals, rounded down); "? ms" when
 * hz is 0. Returns buf. */
char *timing_ms(char *buf, size_t n, uint64_t ticks, uint64_t hz);

/* Ticks from a to b, 0 when either stamp is missing or b is before a. */
uint64_t timing_span(uint64_t a, uint64_t b);

/* The human line: "hyboot: kernel timing: loader ... ms (entry->jump), ..." */
int timing_human_line(char *buf, size_t n, const struct boot_timing *t, uint64_t kernel_entry);
/* The one machine-readable line the benchmarks parse:
 * "hyboot: timing tsc_hz=.. handoff=.. entry=.. loaded=.. jump=..
 *  kernel_bytes=.. read_ticks=.. read_calls=.. kernel_entry=.." */
int timing_machine_line(char *buf, size_t n, const struct boot_timing *t, uint64_t kernel_entry);
/* "hyboot: bench kernel_exit=TSC": the bench boot's last line. */
int timing_exit_line(char *buf, size_t n, uint64_t tsc);

#endif
