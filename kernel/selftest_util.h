/* What the self-test's parts (selftest.c: the v1 fields and the machine
 * state; selftest_v2.c: the v2 fields) share: the tally and the memory
 * map questions every check asks. */
#ifndef HYBOOT_KERNEL_SELFTEST_UTIL_H
#define HYBOOT_KERNEL_SELFTEST_UTIL_H

#include <stdint.h>

#include "boot_info.h"

struct st {
    int checks, failures;
    char first[200];
};

/* Counts a failure, prints "hyboot: kernel selftest: failed: <reason>"
 * and keeps the first reason for the SELFTEST FAIL line. */
void st_fail(struct st *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const struct boot_mmap_entry *st_map(const struct boot_info *bi);

/* Is [base, base+len) inside a single map entry of type `type`? */
int st_inside(const struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type);

/* Does [base, base+len) overlap any map entry of type `type`? */
int st_touches(const struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type);

/* End of the highest map entry of any type. */
uint64_t st_map_top(const struct boot_info *bi);

#endif
