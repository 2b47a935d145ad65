/* common/gpt.c: header CRC against an independently computed value
 * (Python's zlib.crc32 over the same 92 bytes), the checks that
 * gpt_header_check must reject, and the GUID helpers. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "crc32.h"
#include "gpt.h"

static struct gpt_header known_header(void)
{
    struct gpt_header h;
    memset(&h, 0, sizeof h);
    h.signature = GPT_SIGNATURE;
    h.revision = GPT_REVISION;
    h.header_size = GPT_HEADER_SIZE;
    h.header_crc32 = 0;
    h.my_lba = 1;
    h.alternate_lba = 0x1ffff;
    h.first_usable_lba = 34;
    h.last_usable_lba = 0x1ffde;
    for (int i = 0; i < 16; i++)
        h.disk_guid[i] = (uint8_t)(0x10 + i);
    h.entries_lba = 2;
    h.entry_count = 128;
    h.entry_size = 128;
    h.entries_crc32 = 0x12345678;
    return h;
}

/* zlib.crc32(struct.pack('<QIIIIQQQQ16sQIII', ...)) of known_header(). */
#define KNOWN_HEADER_CRC 0xe096eaf4u

int main(void)
{
    struct gpt_header h = known_header();
    CHECK(gpt_header_crc(&h) == KNOWN_HEADER_CRC, "gpt: header CRC matches zlib");
    h.header_crc32 = 0xdeadbeef;
    CHECK(gpt_header_crc(&h) == KNOWN_HEADER_CRC, "gpt: CRC ignores the stored CRC field");

    h.header_crc32 = gpt_header_crc(&h);
    CHECK(gpt_header_check(&h, 1) == NULL, "gpt: good header accepted");
    CHECK(gpt_header_check(&h, 0x1ffff) != NULL, "gpt: header at the wrong LBA rejected");

    struct gpt_header bad = h;
    bad.signature ^= 1;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: bad signature rejected");

    bad = h;
    bad.header_crc32 ^= 0x100;
    const char *why = gpt_header_check(&bad, 1);
    CHECK(why && strstr(why, "CRC"), "gpt: bad header CRC rejected and named");

    bad = h;
    bad.disk_guid[3] ^= 0x40;          /* a flipped bit in a covered field */
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: corrupted field caught by CRC");

    bad = h;
    bad.header_size = 512;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: bad header size rejected");

    bad = h;
    bad.header_size = 60;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: short header size rejected");

    bad = h;
    bad.entry_size = 64;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: bad entry size rejected");

    bad = h;
    bad.entry_count = 0;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: zero entry count rejected");

    bad = h;
    bad.entry_count = 1u << 20;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: huge entry count rejected");

    bad = h;
    bad.revision = 0x00020000;
    bad.header_crc32 = gpt_header_crc(&bad);
    CHECK(gpt_header_check(&bad, 1) != NULL, "gpt: unknown revision rejected");

    /* Entry array CRC, as callers check it: zlib.crc32(bytes(16384)). */
    static uint8_t zero_entries[GPT_ENTRIES_BYTES];
    CHECK(crc32_update(0, zero_entries, sizeof zero_entries) == 0xab54d286u,
          "gpt: CRC of an empty entry array");

    static const uint8_t esp[16] = GPT_GUID_ESP;
    static const uint8_t bios[16] = GPT_GUID_BIOS_BOOT;
    char s[37];
    guid_format(esp, s);
    CHECK(strcmp(s, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B") == 0, "gpt: ESP GUID formats");
    guid_format(bios, s);
    CHECK(strcmp(s, "21686148-6449-6E6F-744E-656564454649") == 0, "gpt: BIOS boot GUID formats");
    CHECK(strlen(s) == 36, "gpt: formatted GUID is 36 chars");

    static const uint8_t zero[16];
    CHECK(guid_is_zero(zero), "gpt: zero GUID is zero");
    CHECK(!guid_is_zero(esp), "gpt: ESP GUID is not zero");
    CHECK(guid_equal(esp, esp), "gpt: GUID equals itself");
    CHECK(!guid_equal(esp, bios), "gpt: different GUIDs differ");
    uint8_t last[16] = { 0 };
    last[15] = 1;
    CHECK(!guid_equal(zero, last) && !guid_is_zero(last), "gpt: last byte counts");

    return check_exit();
}
