/* Minimal unit-test macros: one "PASS: name" / "FAIL: name: where" line
 * per check, counted by tests/run.sh; main returns check_exit(). */
#ifndef HYBOOT_TEST_CHECK_H
#define HYBOOT_TEST_CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond, name)                                                     \
    do {                                                                      \
        if (cond) {                                                           \
            printf("PASS: %s\n", (name));                                     \
        } else {                                                              \
            printf("FAIL: %s: %s:%d: %s\n", (name), __FILE__, __LINE__, #cond); \
            check_failures++;                                                 \
        }                                                                     \
    } while (0)

static inline int check_exit(void) { return check_failures ? 1 : 0; }

#endif
