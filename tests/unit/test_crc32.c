/* common/crc32.c against the standard CRC-32 check values (the "check"
 * value of the CRC catalogue, zlib.crc32 of the other strings). */
#include <string.h>

#include "check.h"
#include "crc32.h"

static uint32_t crc(const char *s) { return crc32_update(0, s, strlen(s)); }

int main(void)
{
    CHECK(crc("") == 0x00000000u, "crc32: empty input is 0");
    CHECK(crc("123456789") == 0xcbf43926u, "crc32: check value of \"123456789\"");
    CHECK(crc("a") == 0xe8b7be43u, "crc32: \"a\"");
    CHECK(crc("abc") == 0x352441c2u, "crc32: \"abc\"");
    CHECK(crc("The quick brown fox jumps over the lazy dog") == 0x414fa339u, "crc32: quick brown fox");
    uint32_t c = crc32_update(0, "1234", 4);
    c = crc32_update(c, "56789", 5);
    CHECK(c == 0xcbf43926u, "crc32: continued over two calls equals one call");

    static uint8_t zeros[4096], ones[4096];
    memset(ones, 0xff, sizeof ones);
    CHECK(crc32_update(0, zeros, 32) == 0x190a55adu, "crc32: 32 zero bytes");
    CHECK(crc32_update(0, ones, 32) == 0xff6cab0bu, "crc32: 32 0xFF bytes");
    /* Byte-at-a-time equals all-at-once on a longer buffer. */
    uint8_t buf[1000];
    for (int i = 0; i < 1000; i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    uint32_t whole = crc32_update(0, buf, sizeof buf), bytes = 0;
    for (int i = 0; i < 1000; i++)
        bytes = crc32_update(bytes, buf + i, 1);
    CHECK(whole == bytes, "crc32: byte-wise updates equal one update");
    return check_exit();
}
