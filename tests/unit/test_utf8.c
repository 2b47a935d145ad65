/* common/utf8.c: the one strict decoder (FAT names, --inspect's
 * escaping): overlong forms, surrogates, values past U+10FFFF and stray
 * continuation bytes refused; UTF-16 both ways, cut at a character. */
#include <string.h>

#include "check.h"
#include "utf8.h"

static uint32_t one(const char *s)
{
    size_t i = 0;
    uint32_t cp = utf8_decode(s, strlen(s), &i);
    return i == strlen(s) ? cp : UTF8_BAD;
}

int main(void)
{
    CHECK(one("A") == 'A' && one("\xc3\xa9") == 0xe9 && one("\xe2\x82\xac") == 0x20ac && one("\xf0\x9f\x98\x80") == 0x1f600,
          "utf8: 1-4 byte forms decode");
    CHECK(one("\xc1\xa1") == UTF8_BAD && one("\xc0\x80") == UTF8_BAD, "utf8: overlong 2-byte forms refused");
    CHECK(one("\xe0\x81\xa1") == UTF8_BAD && one("\xf0\x80\x81\xa1") == UTF8_BAD, "utf8: overlong 3/4-byte forms refused");
    CHECK(one("\xed\xa0\x80") == UTF8_BAD && one("\xed\xbf\xbf") == UTF8_BAD, "utf8: surrogates refused");
    CHECK(one("\xf4\x90\x80\x80") == UTF8_BAD && one("\xf8\x88\x80\x80\x80") == UTF8_BAD, "utf8: beyond U+10FFFF refused");
    CHECK(one("\x80") == UTF8_BAD && one("\xc3") == UTF8_BAD && one("\xe2\x82") == UTF8_BAD, "utf8: stray and cut sequences refused");
    size_t i = 0;
    CHECK(utf8_decode("\xc3x", 2, &i) == UTF8_BAD && i == 1, "utf8: a bad sequence advances one byte");

    uint16_t u[8];
    CHECK(utf8_to_utf16("a\xf0\x9f\x98\x80", 5, u, 8) == 3 && u[0] == 'a' && u[1] == 0xd83d && u[2] == 0xde00,
          "utf16: supplementary characters become surrogate pairs");
    CHECK(utf8_to_utf16("abc", 3, u, 2) == -1, "utf16: too long refused");
    CHECK(utf8_to_utf16("\xc1\xa1", 2, u, 8) == -1, "utf16: not UTF-8 refused");
    char out[16];
    uint16_t w[] = { 'n', 0xef, 0xd83d, 0xde00, 0xdc00, 'x' };
    CHECK(utf16_to_utf8(w, 6, out, sizeof out) == 9 && !strcmp(out, "n\xc3\xaf\xf0\x9f\x98\x80?x"),
          "utf16: to UTF-8, an unpaired surrogate as '?'");
    CHECK(utf16_to_utf8(w, 6, out, 5) == 3 && !strcmp(out, "n\xc3\xaf"), "utf16: cut at a character boundary");
    char e[4];
    CHECK(utf8_encode(0x20ac, e) == 3 && !memcmp(e, "\xe2\x82\xac", 3) && utf8_encode(0x10ffff, e) == 4 &&
          !memcmp(e, "\xf4\x8f\xbf\xbf", 4), "utf8: encode");
    return check_exit();
}
