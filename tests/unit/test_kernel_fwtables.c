/* The kernel's firmware-structure checks and calendar arithmetic
 * (kernel/fwtables.c, kernel/unixtime.c): valid structures pass, and
 * each broken field gives its own reason. Dates are compared with the C
 * library's timegm/gmtime_r, an independent implementation. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "fwtables.h"
#include "unixtime.h"

static char why[160];

static int has(const char *needle)
{
    if (strstr(why, needle))
        return 1;
    printf("    reason was: %s\n", why);
    return 0;
}

static void fix_sum(uint8_t *p, size_t n, size_t at)
{
    uint8_t s = 0;
    p[at] = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    p[at] = (uint8_t)-s;
}

/* A 2.8 entry point as QEMU's SeaBIOS writes it. */
static void make_sm2(uint8_t *ep)
{
    memset(ep, 0, 0x40);
    memcpy(ep, "_SM_", 4);
    ep[5] = 0x1f;
    ep[6] = 2;
    ep[7] = 8;
    memcpy(ep + 0x10, "_DMI_", 5);
    ep[0x16] = 0x2f; /* table length 0x12f */
    ep[0x17] = 0x01;
    ep[0x18] = 0x00; /* table at 0xf5a00 */
    ep[0x19] = 0x5a;
    ep[0x1a] = 0x0f;
    ep[0x1c] = 9;
    ep[0x1e] = 0x28;
    fix_sum(ep + 0x10, 15, 5);
    fix_sum(ep, 0x1f, 4);
}

static void make_sm3(uint8_t *ep)
{
    memset(ep, 0, 0x40);
    memcpy(ep, "_SM3_", 5);
    ep[6] = 0x18;
    ep[7] = 3;
    ep[8] = 0;
    ep[10] = 1;
    ep[0x0c] = 0x2f; /* max size 0x12f */
    ep[0x0d] = 0x01;
    ep[0x10] = 0x00; /* table at 0x1_0000_0000 */
    ep[0x14] = 0x01;
    fix_sum(ep, 0x18, 5);
}

static void test_smbios(void)
{
    uint8_t ep[0x40];
    struct smbios_ep e;
    make_sm2(ep);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) == 0 && e.major == 2 && e.minor == 8 &&
              e.table_addr == 0xf5a00 && e.table_len == 0x12f,
          "smbios2: a valid entry point passes and is decoded");
    make_sm2(ep);
    ep[0] = 'X';
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("anchor"), "smbios2: anchor");
    make_sm2(ep);
    ep[9] ^= 1;
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("\"_SM_\" checksum"), "smbios2: checksum over the length");
    make_sm2(ep);
    ep[5] = 0x10;
    fix_sum(ep, 0x10, 4);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("length 0x10"), "smbios2: length too small");
    make_sm2(ep);
    ep[0x10] = 'X';
    fix_sum(ep, 0x1f, 4);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("_DMI_"), "smbios2: intermediate anchor");
    make_sm2(ep);
    ep[0x1c] ^= 1; /* in the intermediate area: outer sum fixed, inner broken */
    fix_sum(ep, 0x1f, 4);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("intermediate checksum"), "smbios2: intermediate checksum");
    make_sm2(ep);
    memset(ep + 0x18, 0, 4);
    fix_sum(ep + 0x10, 15, 5);
    fix_sum(ep, 0x1f, 4);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) && has("structure table"), "smbios2: no table");
    make_sm2(ep);
    ep[5] = 0x1e; /* the 2.1 spec's own mistake: still accepted */
    fix_sum(ep, 0x1e, 4);
    CHECK(fw_smbios2_check(ep, &e, why, sizeof why) == 0, "smbios2: length 0x1e accepted");

    make_sm3(ep);
    CHECK(fw_smbios3_check(ep, &e, why, sizeof why) == 0 && e.major == 3 && e.table_addr == 0x100000000ULL,
          "smbios3: a valid entry point passes, 64-bit table address decoded");
    make_sm3(ep);
    ep[3] = 'X';
    CHECK(fw_smbios3_check(ep, &e, why, sizeof why) && has("anchor"), "smbios3: anchor");
    make_sm3(ep);
    ep[0x11] ^= 1;
    CHECK(fw_smbios3_check(ep, &e, why, sizeof why) && has("checksum"), "smbios3: checksum");
    make_sm3(ep);
    ep[7] = 2;
    fix_sum(ep, 0x18, 5);
    CHECK(fw_smbios3_check(ep, &e, why, sizeof why) && has("version 2.0"), "smbios3: version below 3");
    make_sm3(ep);
    memset(ep + 0x10, 0, 8);
    fix_sum(ep, 0x18, 5);
    CHECK(fw_smbios3_check(ep, &e, why, sizeof why) && has("structure table"), "smbios3: no table");

    /* the scan: 16-byte steps, a decoy anchor with a bad sum is skipped */
    static uint8_t seg[0x10000];
    memset(seg, 0, sizeof seg);
    memcpy(seg + 0x100, "_SM_", 4); /* decoy */
    make_sm2(seg + 0x5a00);
    make_sm3(seg + 0x5a40);
    make_sm2(seg + 0x9008); /* not on a 16-byte boundary */
    uint64_t a2, a3;
    fw_smbios_scan(seg, sizeof seg, 0xf0000, &a2, &a3);
    CHECK(a2 == 0xf5a00 && a3 == 0xf5a40, "scan finds both entry points, skips a decoy");
    memset(seg + 0x5a00, 0, 0x80);
    fw_smbios_scan(seg, sizeof seg, 0xf0000, &a2, &a3);
    CHECK(a2 == 0 && a3 == 0, "scan ignores entry points off the 16-byte grid");
}

static void make_edid(uint8_t *e, uint32_t blocks)
{
    memset(e, 0, 128 * blocks);
    static const uint8_t h[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    memcpy(e, h, 8);
    e[18] = 1;
    e[19] = 4;
    /* detailed timing: 1280x800, pixel clock 71.00 MHz */
    e[54] = 0xbc;
    e[55] = 0x1b;
    e[56] = 0x00; /* hactive low 8 bits (1280 = 0x500) */
    e[58] = 0x50; /* hactive high nibble */
    e[59] = 0x20; /* vactive low 8 bits (800 = 0x320) */
    e[61] = 0x30;
    e[126] = (uint8_t)(blocks - 1);
    for (uint32_t b = 0; b < blocks; b++) {
        if (b)
            e[128 * b] = 0x70; /* a DisplayID extension tag */
        fix_sum(e + 128 * b, 128, 127);
    }
}

static void test_edid(void)
{
    uint8_t e[512];
    struct edid_info info;
    make_edid(e, 2);
    CHECK(fw_edid_check(e, 256, &info, why, sizeof why) == 0 && info.extensions == 1 && info.pref_width == 1280 &&
              info.pref_height == 800,
          "edid: two valid blocks pass, preferred mode decoded");
    CHECK(fw_edid_check(e, 200, &info, why, sizeof why) && has("size 200"), "edid: size not a multiple of 128");
    CHECK(fw_edid_check(e, 0, &info, why, sizeof why) && has("size 0"), "edid: size 0");
    CHECK(fw_edid_check(e, 128, &info, why, sizeof why) && has("announces 1 extension"),
          "edid: size disagrees with the extension count");
    make_edid(e, 2);
    e[3] = 0;
    CHECK(fw_edid_check(e, 256, &info, why, sizeof why) && has("header"), "edid: header");
    make_edid(e, 2);
    e[200] ^= 1;
    CHECK(fw_edid_check(e, 256, &info, why, sizeof why) && has("block 1 checksum"), "edid: extension block checksum");
    make_edid(e, 1);
    e[20] ^= 1;
    CHECK(fw_edid_check(e, 128, &info, why, sizeof why) && has("block 0 checksum"), "edid: base block checksum");
    make_edid(e, 1);
    e[54] = e[55] = 0;
    fix_sum(e, 128, 127);
    CHECK(fw_edid_check(e, 128, &info, why, sizeof why) == 0 && info.pref_width == 0,
          "edid: no detailed timing, no preferred mode");
}

/* The CRC-32 EFI uses, bit by bit: independent of common/crc32.c. */
static uint32_t crc_ref(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void make_table(uint8_t *t, uint64_t sig, uint32_t size)
{
    memset(t, 0, 4096);
    memcpy(t, &sig, 8);
    uint32_t rev = 2u << 16 | 70;
    memcpy(t + 8, &rev, 4);
    memcpy(t + 12, &size, 4);
    for (uint32_t i = 24; i < size; i++)
        t[i] = (uint8_t)(i * 7);
    uint32_t crc = crc_ref(t, size);
    memcpy(t + 16, &crc, 4);
}

static void test_efi_header(void)
{
    static uint8_t t[4096];
    make_table(t, FW_EFI_ST_SIGNATURE, 120);
    CHECK(fw_efi_header_check(t, FW_EFI_ST_SIGNATURE, 120, why, sizeof why) == 0,
          "efi header: a valid system table passes (CRC from an independent implementation)");
    CHECK(memcmp(t, "IBI SYST", 8) == 0, "efi header: the signature constant spells IBI SYST");
    CHECK(fw_efi_header_check(t, FW_EFI_RT_SIGNATURE, 120, why, sizeof why) && has("signature"),
          "efi header: wrong signature");
    make_table(t, FW_EFI_ST_SIGNATURE, 120);
    t[100] ^= 1;
    CHECK(fw_efi_header_check(t, FW_EFI_ST_SIGNATURE, 120, why, sizeof why) && has("CRC32"),
          "efi header: a changed byte breaks the CRC");
    make_table(t, FW_EFI_ST_SIGNATURE, 96);
    CHECK(fw_efi_header_check(t, FW_EFI_ST_SIGNATURE, 120, why, sizeof why) && has("header size 96"),
          "efi header: header too small");
    make_table(t, FW_EFI_ST_SIGNATURE, 120);
    memset(t + 8, 0, 4);
    uint32_t crc = 0;
    memcpy(t + 16, &crc, 4);
    crc = crc_ref(t, 120);
    memcpy(t + 16, &crc, 4);
    CHECK(fw_efi_header_check(t, FW_EFI_ST_SIGNATURE, 120, why, sizeof why) && has("revision"),
          "efi header: revision 0");
    make_table(t, FW_EFI_RT_SIGNATURE, 136);
    CHECK(memcmp(t, "RUNTSERV", 8) == 0 &&
              fw_efi_header_check(t, FW_EFI_RT_SIGNATURE, 112, why, sizeof why) == 0,
          "efi header: runtime services table (RUNTSERV)");
}

struct desc {
    uint32_t type, pad;
    uint64_t phys, virt, pages, attr;
    uint64_t extra; /* firmware may use a larger stride than the struct */
};

static void test_efi_mmap(void)
{
    struct desc m[4] = {
        { 7, 0, 0x100000, 0, 256, 0xf, 0 },
        { 6, 0, 0x1f000000, 0, 16, FW_EFI_MEMORY_RUNTIME | 0xf, 0 },
        { 2, 0, 0x200000, 0, 16, 0xf, 0 }, /* unsorted, as firmware may leave it */
        { 0x70000001u, 0, 0xfeffc000, 0, 4, 1, 0 },
    };
    struct efi_mmap_info info;
    CHECK(fw_efi_mmap_check((uint8_t *)m, sizeof m, sizeof m[0], 1, &info, why, sizeof why) == 0 && info.count == 4 &&
              info.runtime == 1 && info.pages == 292,
          "efi mmap: a valid unsorted map passes (48-byte stride)");
    uint32_t type;
    uint64_t attr;
    CHECK(fw_efi_mmap_find((uint8_t *)m, sizeof m, sizeof m[0], 0x1f00f123, &type, &attr) == 0 && type == 6 &&
              (attr & FW_EFI_MEMORY_RUNTIME),
          "efi mmap: find the descriptor of an address");
    CHECK(fw_efi_mmap_find((uint8_t *)m, sizeof m, sizeof m[0], 0x1f010000, &type, &attr) == -1,
          "efi mmap: an address just past a descriptor is not in it");
    CHECK(fw_efi_mmap_check((uint8_t *)m, sizeof m, sizeof m[0], 2, &info, why, sizeof why) && has("version 2"),
          "efi mmap: descriptor version");
    CHECK(fw_efi_mmap_check((uint8_t *)m, sizeof m, 36, 1, &info, why, sizeof why) && has("descriptor size 36"),
          "efi mmap: descriptor size too small");
    CHECK(fw_efi_mmap_check((uint8_t *)m, sizeof m - 8, sizeof m[0], 1, &info, why, sizeof why) && has("map size"),
          "efi mmap: size not a multiple of the stride");
    CHECK(fw_efi_mmap_check((uint8_t *)m, 0, sizeof m[0], 1, &info, why, sizeof why) && has("map size 0"),
          "efi mmap: empty");
    struct desc b[4];
    memcpy(b, m, sizeof b);
    b[2].type = 200;
    CHECK(fw_efi_mmap_check((uint8_t *)b, sizeof b, sizeof b[0], 1, &info, why, sizeof why) &&
              has("descriptor 2: type 200"),
          "efi mmap: unknown type");
    memcpy(b, m, sizeof b);
    b[1].phys += 0x10;
    CHECK(fw_efi_mmap_check((uint8_t *)b, sizeof b, sizeof b[0], 1, &info, why, sizeof why) && has("not 4 KiB aligned"),
          "efi mmap: unaligned start");
    memcpy(b, m, sizeof b);
    b[3].pages = 0;
    CHECK(fw_efi_mmap_check((uint8_t *)b, sizeof b, sizeof b[0], 1, &info, why, sizeof why) && has("0 pages"),
          "efi mmap: zero pages");
    memcpy(b, m, sizeof b);
    b[3].phys = 0xfffffffffffff000ULL;
    b[3].pages = 2;
    CHECK(fw_efi_mmap_check((uint8_t *)b, sizeof b, sizeof b[0], 1, &info, why, sizeof why) && has("2 pages"),
          "efi mmap: a range that wraps");
    memcpy(b, m, sizeof b);
    b[2].phys = 0x1ff000; /* [0x1ff000, 0x201000): the last page of descriptor 0 */
    b[2].pages = 2;
    CHECK(fw_efi_mmap_check((uint8_t *)b, sizeof b, sizeof b[0], 1, &info, why, sizeof why) &&
              has("descriptors 0 and 2 overlap"),
          "efi mmap: overlapping descriptors");
}

static void test_unixtime(void)
{
    struct civil_time c = { 2026, 12, 2, 3, 14, 15 };
    int64_t t;
    CHECK(unixtime_from_civil(&c, &t) == 0 && t == 1796181255LL, "2026-12-02 03:14:15 UTC");
    char b[32];
    CHECK(strcmp(unixtime_format(b, sizeof b, 0), "1970-01-01 00:00:00") == 0, "epoch formatted");
    CHECK(strcmp(unixtime_format(b, sizeof b, 951782400), "2000-02-29 00:00:00") == 0, "leap day of 2000");
    struct civil_time bad[] = { { 2023, 2, 29, 0, 0, 0 }, { 2100, 2, 29, 0, 0, 0 }, { 2024, 4, 31, 0, 0, 0 },
                                { 2024, 13, 1, 0, 0, 0 }, { 2024, 0, 1, 0, 0, 0 },  { 2024, 1, 0, 0, 0, 0 },
                                { 2024, 1, 1, 24, 0, 0 }, { 2024, 1, 1, 0, 60, 0 }, { 2024, 1, 1, 0, 0, 60 } };
    int rejected = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        rejected &= unixtime_from_civil(&bad[i], &t) == -1;
    CHECK(rejected, "impossible dates rejected (Feb 29 of 2023/2100, Apr 31, month 13/0, day 0, 24:00, :60)");
    struct civil_time leap2000 = { 2000, 2, 29, 12, 0, 0 };
    CHECK(unixtime_from_civil(&leap2000, &t) == 0, "Feb 29 of 2000 accepted");

    /* against the C library over 1900..2399, both directions */
    int mismatches = 0;
    srand(11);
    for (int i = 0; i < 200000 && mismatches < 5; i++) {
        int64_t v = (int64_t)((((uint64_t)rand() << 31) ^ (uint64_t)rand()) % 15778800000ULL) - 2208988800LL;
        struct tm tm;
        time_t tt = (time_t)v;
        gmtime_r(&tt, &tm);
        struct civil_time cc;
        unixtime_to_civil(v, &cc);
        int64_t back;
        if (cc.year != tm.tm_year + 1900 || cc.month != tm.tm_mon + 1 || cc.day != tm.tm_mday ||
            cc.hour != tm.tm_hour || cc.minute != tm.tm_min || cc.second != tm.tm_sec ||
            unixtime_from_civil(&cc, &back) || back != v) {
            printf("    %lld: got %d-%u-%u %u:%u:%u\n", (long long)v, (int)cc.year, cc.month, cc.day, cc.hour,
                   cc.minute, cc.second);
            mismatches++;
        }
    }
    CHECK(mismatches == 0, "200000 random times 1900-2399 agree with gmtime_r and round-trip");
}

int main(void)
{
    test_smbios();
    test_edid();
    test_efi_header();
    test_efi_mmap();
    test_unixtime();
    return check_exit();
}
