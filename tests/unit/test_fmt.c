/* fmt_snprintf against the host's snprintf (same format, same result)
 * plus the cases where we define the behaviour ourselves (%p, truncation,
 * unknown conversions). */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fmt.h"

/* Formats with both and compares text and return value. */
#define SAME(name, ...)                                                        \
    do {                                                                       \
        char want[256], got[256];                                              \
        int wn = snprintf(want, sizeof want, __VA_ARGS__);                     \
        memset(got, 0x55, sizeof got);                                         \
        int gn = fmt_snprintf(got, sizeof got, __VA_ARGS__);                   \
        int ok = wn == gn && strcmp(want, got) == 0;                           \
        if (!ok)                                                               \
            printf("    want [%s] (%d), got [%s] (%d)\n", want, wn, got, gn);  \
        CHECK(ok, name);                                                       \
    } while (0)

static void test_against_libc(void)
{
    SAME("fmt plain text", "hello, world");
    SAME("fmt percent", "100%% sure");
    SAME("fmt %d positive", "%d", 12345);
    SAME("fmt %d negative", "%d", -12345);
    SAME("fmt %d zero", "%d", 0);
    SAME("fmt %d INT_MIN", "%d", INT_MIN);
    SAME("fmt %d INT_MAX", "%d", INT_MAX);
    SAME("fmt %i", "%i", -7);
    SAME("fmt %u UINT_MAX", "%u", UINT_MAX);
    SAME("fmt %x", "%x", 0xdeadbeefu);
    SAME("fmt %X", "%X", 0xdeadbeefu);
    SAME("fmt %lx 64-bit", "%lx", 0xffffffff80000000ul);
    SAME("fmt %llx 64-bit max", "%llx", 0xffffffffffffffffull);
    SAME("fmt %llu 64-bit max", "%llu", 18446744073709551615ull);
    SAME("fmt %lld 64-bit min", "%lld", LLONG_MIN);
    SAME("fmt %lld 64-bit max", "%lld", LLONG_MAX);
    SAME("fmt %lu 10^19", "%lu", 10000000000000000000ul);
    SAME("fmt %zu", "%zu", (size_t)4096);
    SAME("fmt %zx", "%zx", (size_t)0xabcdef);
    SAME("fmt %hhu wraps", "%hhu", 300);
    SAME("fmt %hhd negative", "%hhd", 200);
    SAME("fmt %hu", "%hu", 70000);
    SAME("fmt %hd", "%hd", 40000);
    SAME("fmt width right", "[%8d]", 42);
    SAME("fmt width left", "[%-8d]", 42);
    SAME("fmt zero pad", "[%08d]", 42);
    SAME("fmt zero pad negative", "[%08d]", -42);
    SAME("fmt zero pad hex 64", "[%016llx]", 0x1234ull);
    /* legal, if odd, combinations the compiler's format check dislikes */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
    SAME("fmt left beats zero", "[%-08d]", 42);
    SAME("fmt width smaller than number", "[%2d]", 123456);
    SAME("fmt precision int", "[%.5d]", 42);
    SAME("fmt precision and width", "[%8.5d]", -42);
    SAME("fmt precision disables zero", "[%08.3d]", 7);
#pragma GCC diagnostic pop
    SAME("fmt precision zero of zero", "[%.0d]", 0);
    SAME("fmt precision hex", "[%.4x]", 0xa);
    SAME("fmt alt hex", "[%#x]", 0xbeef);
    SAME("fmt alt hex zero", "[%#x]", 0);
    SAME("fmt alt hex zero pad", "[%#010x]", 0xbeef);
    SAME("fmt plus", "[%+d] [%+d]", 5, -5);
    SAME("fmt space", "[% d] [% d]", 5, -5);
    SAME("fmt star width", "[%*d]", 6, 42);
    SAME("fmt star negative width", "[%*d]", -6, 42);
    SAME("fmt star precision", "[%.*s]", 3, "abcdef");
    SAME("fmt %c", "[%c%c%c]", 'a', 'b', 'c');
    SAME("fmt %c width", "[%3c|%-3c]", 'x', 'y');
    SAME("fmt %s", "[%s]", "string");
    SAME("fmt %s width", "[%10s]", "right");
    SAME("fmt %s left", "[%-10s]", "left");
    SAME("fmt %s precision", "[%.3s]", "truncate");
    SAME("fmt %s width precision", "[%6.2s]", "abcdef");
    SAME("fmt %s empty", "[%s]", "");
    SAME("fmt mixed", "%s=%d (0x%08x) %c %lu MiB", "key", 99, 99u, '!', 511ul);
    SAME("fmt boot summary", "hyboot: kernel memory: %llu MiB usable in %u regions (%u map entries)",
         511ull, 5u, 12u);
    SAME("fmt ms with 3 decimals", "%llu.%03llu ms", 12ull, 45ull);

    /* every power of ten and its neighbours, 64-bit */
    int ok = 1;
    uint64_t p = 1;
    for (int i = 0; i < 20; i++, p *= 10) {
        uint64_t vals[3] = { p - 1, p, p + 1 };
        for (int k = 0; k < 3; k++) {
            char want[32], got[32];
            snprintf(want, sizeof want, "%" PRIu64, vals[k]);
            fmt_snprintf(got, sizeof got, "%llu", (unsigned long long)vals[k]);
            if (strcmp(want, got)) {
                printf("    %s vs %s\n", want, got);
                ok = 0;
            }
        }
    }
    CHECK(ok, "fmt decimal around powers of ten");

    /* pseudo-random 64-bit values, decimal and hex, signed and unsigned */
    ok = 1;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000 && ok; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t v = x >> (i % 64);
        char want[64], got[64];
        snprintf(want, sizeof want, "%" PRIu64 " %" PRId64 " %" PRIx64, v, (int64_t)x, v);
        fmt_snprintf(got, sizeof got, "%llu %lld %llx", (unsigned long long)v,
                     (long long)x, (unsigned long long)v);
        if (strcmp(want, got)) {
            printf("    %s vs %s\n", want, got);
            ok = 0;
        }
    }
    CHECK(ok, "fmt 200000 random 64-bit values match libc");
}

static void test_own_behaviour(void)
{
    char buf[64];
    int n;

    n = fmt_snprintf(buf, sizeof buf, "%p", (void *)0xb8000);
    CHECK(strcmp(buf, "0xb8000") == 0 && n == 7, "fmt %p is 0x + hex");
    fmt_snprintf(buf, sizeof buf, "%p", (void *)0);
    CHECK(strcmp(buf, "0x0") == 0, "fmt %p of NULL");
    const char *volatile null_str = NULL;
    fmt_snprintf(buf, sizeof buf, "%s", null_str);
    CHECK(strcmp(buf, "(null)") == 0, "fmt %s of NULL");

    /* truncation: always NUL-terminated, returns the full length */
    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 6, "Hello World!");
    CHECK(n == 12, "fmt truncation returns full length");
    CHECK(strcmp(buf, "Hello") == 0, "fmt truncation keeps n-1 bytes");
    CHECK(buf[6] == 'Z', "fmt truncation writes nothing past n");

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 1, "abc%d", 12345);
    CHECK(n == 8 && buf[0] == '\0' && buf[1] == 'Z', "fmt n=1 gives empty string");

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 0, "abc");
    CHECK(n == 3 && buf[0] == 'Z', "fmt n=0 writes nothing");

    n = fmt_snprintf(NULL, 0, "%llu", 18446744073709551615ull);
    CHECK(n == 20, "fmt NULL buffer measures");

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 10, "%08x%08x", 0x12345678u, 0x9abcdef0u);
    CHECK(n == 16 && strcmp(buf, "123456789") == 0, "fmt truncation inside a number");

    memset(buf, 'Z', sizeof buf);
    n = fmt_snprintf(buf, 4, "%-10s|", "ab");
    CHECK(n == 11 && strcmp(buf, "ab ") == 0, "fmt truncation inside padding");

    /* not literals, so the compiler's format check does not object */
    const char *volatile bad1 = "a%qb", *volatile bad2 = "trailing %";
    fmt_snprintf(buf, sizeof buf, bad1, 0);
    CHECK(strcmp(buf, "a%qb") == 0, "fmt unknown conversion copied through");
    fmt_snprintf(buf, sizeof buf, bad2, 0);
    CHECK(strcmp(buf, "trailing %") == 0, "fmt lone percent at end copied through");
}

int main(void)
{
    test_against_libc();
    test_own_behaviour();
    return check_exit();
}
