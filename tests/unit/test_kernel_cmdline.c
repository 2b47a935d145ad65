/* Kernel command-line words and the timing lines (kernel/cmdline.c,
 * kernel/timing.c). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cmdline.h"
#include "timing.h"

static void test_cmdline(void)
{
    CHECK(cmdline_has("test", "test"), "flag alone");
    CHECK(cmdline_has("  quiet\ttest  ", "test"), "flag among spaces and tabs");
    CHECK(!cmdline_has("testing", "test") && !cmdline_has("atest", "test"), "flag is a whole word, not a prefix/suffix");
    CHECK(!cmdline_has("", "test") && !cmdline_has(NULL, "test"), "empty or missing cmdline");
    CHECK(!cmdline_has("test=1", "test"), "key=value is not the flag");
    CHECK(cmdline_has("bench crash=ud test", "bench"), "first of several words");

    char v[8];
    CHECK(cmdline_value("test crash=ud", "crash", v, sizeof v) && strcmp(v, "ud") == 0, "key=value found");
    CHECK(cmdline_value("crash=pf crash=ud", "crash", v, sizeof v) && strcmp(v, "pf") == 0, "first key=value wins");
    CHECK(!cmdline_value("crasher=ud crash", "crash", v, sizeof v), "key must match exactly and have '='");
    CHECK(cmdline_value("crash= x", "crash", v, sizeof v) && v[0] == 0, "empty value");
    CHECK(cmdline_value("k=0123456789", "k", v, sizeof v) && strcmp(v, "0123456") == 0, "long value truncated");
    CHECK(cmdline_value("a=b=c", "a", v, sizeof v) && strcmp(v, "b=c") == 0, "value may contain '='");
}

static void test_timing(void)
{
    char b[64];
    CHECK(strcmp(timing_ms(b, sizeof b, 12345678, 1000000000), "12.345 ms") == 0, "ms with 3 decimals");
    CHECK(strcmp(timing_ms(b, sizeof b, 0, 1000000000), "0.000 ms") == 0, "zero ticks");
    CHECK(strcmp(timing_ms(b, sizeof b, 5, 0), "? ms") == 0, "unknown frequency");
    /* an hour at 5 GHz: ticks * 10^6 would overflow 64 bits */
    CHECK(strcmp(timing_ms(b, sizeof b, 3600ULL * 5000000000ULL, 5000000000ULL), "3600000.000 ms") == 0,
          "large tick counts do not overflow");
    CHECK(timing_span(100, 250) == 150 && timing_span(0, 250) == 0 && timing_span(300, 250) == 0, "spans");

    struct boot_timing t = { 2000000000ULL, 1000, 2000000, 8000000, 26690000, 1048576, 4000000, 64, 0 };
    char line[320];
    timing_machine_line(line, sizeof line, &t, 26700000);
    CHECK(strcmp(line, "hyboot: timing tsc_hz=2000000000 handoff=1000 entry=2000000 loaded=8000000 jump=26690000 "
                       "kernel_bytes=1048576 read_ticks=4000000 read_calls=64 kernel_entry=26700000") == 0,
          "machine timing line");
    timing_human_line(line, sizeof line, &t, 26700000);
    CHECK(strstr(line, "hyboot: kernel timing: loader 12.345 ms (entry->jump), kernel read 2.000 ms "
                       "(1024 KiB, 64 calls, 512000 KiB/s), jump->kernel 0.005 ms") == line,
          "human timing line");
    CHECK(strstr(line, ", stage1->loader 0.999 ms") != NULL, "human line has the BIOS stage1 span");
    t.tsc_firmware_handoff = 0;
    timing_human_line(line, sizeof line, &t, 26700000);
    CHECK(strstr(line, "stage1") == NULL, "no stage1 span under UEFI");
    if (strstr(line, "stage1"))
        printf("    %s\n", line);
}

int main(void)
{
    test_cmdline();
    test_timing();
    return check_exit();
}
