#define _GNU_SOURCE   /* memmem */
/* mkimage's MBR and GPT writers: CHS encoding, 32-bit clamping, the
 * hybrid and protective tables, the stage1 patch, GUID variant/version
 * bits and seed determinism, GPT CRCs checked with common/gpt.c, and the
 * layout's alignment and 2 TiB cap. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crc32.h"
#include "gpt.h"
#include "mbr.h"
#include "mk_disk.h"
#include "mk_plan.h"

static int chs_is(uint64_t lba, uint8_t a, uint8_t b, uint8_t c)
{
    uint8_t o[3];
    mk_chs(lba, o);
    return o[0] == a && o[1] == b && o[2] == c;
}

static void test_chs(void)
{
    CHECK(chs_is(0, 0, 1, 0), "mbr: CHS of LBA 0 is 0/0/1");
    CHECK(chs_is(1, 0, 2, 0), "mbr: CHS of LBA 1 is 0/0/2 (the UEFI spec's 0x000200)");
    CHECK(chs_is(63, 1, 1, 0), "mbr: CHS of LBA 63 is 0/1/1");
    CHECK(chs_is(2048, 32, 33, 0), "mbr: CHS of LBA 2048 is 0/32/33");
    CHECK(chs_is(16065, 0, 1, 1), "mbr: CHS of LBA 16065 is cylinder 1");
    CHECK(chs_is(256ULL * 16065, 0, 0x41, 0), "mbr: cylinder 256 puts bit 8 in the sector byte");
    CHECK(chs_is(1023ULL * 16065 + 254 * 63 + 62, 0xfe, 0xff, 0xff), "mbr: last CHS-addressable LBA");
    CHECK(chs_is(1024ULL * 16065, 0xfe, 0xff, 0xff), "mbr: cylinder 1024 saturates to FE FF FF");
    CHECK(chs_is(6442450943ULL, 0xfe, 0xff, 0xff), "mbr: 3 TiB LBA saturates to FE FF FF");
}

static void test_entries(void)
{
    struct mbr_part e;
    mk_mbr_entry(&e, 0xee, 0, 1, 6442450943ULL);
    CHECK(e.lba_first == 1 && e.lba_count == 0xffffffffu, "mbr: count of a 3 TiB disk clamps to 0xFFFFFFFF");
    mk_mbr_entry(&e, 0xee, 0, 1, 0xffffffffULL);
    CHECK(e.lba_count == 0xffffffffu, "mbr: count of exactly 0xFFFFFFFF kept");
    mk_mbr_entry(&e, 0xef, 1, 2048, 0x100000000ULL);
    CHECK(e.lba_count == 0xffffffffu && e.status == 0x80 && e.type == 0xef, "mbr: active entry, clamped count");
    mk_mbr_entry(&e, 0xef, 0, 2048, 129024);
    CHECK(e.lba_count == 129024 && e.status == 0 && e.chs_first[0] == 32 && e.chs_first[1] == 33,
          "mbr: small entry exact, CHS filled");
}

static void fake_stage1(uint8_t s1[440])
{
    memset(s1, 0x90, 440);
    s1[0] = 0xeb;
    s1[1] = 0x58;
    struct stage1_patch p = { .magic = STAGE1_PATCH_MAGIC };
    memcpy(s1 + STAGE1_PATCH_OFFSET, &p, sizeof p);
}

static void layout(struct mk_layout *l, uint64_t total, enum mk_mbr_mode mode)
{
    memset(l, 0, sizeof *l);
    mk_layout_compute(l, total, 512);
    l->mbr = mode;
    l->esp_mbr_type = 0xef;
    l->has_bios_part = 1;
    l->disk_signature = 0xabcdef01;
    uint8_t seed[32] = { 1 };
    mk_guid_derive(seed, "disk", l->disk_guid);
    mk_guid_derive(seed, "bios", l->bios_guid);
    mk_guid_derive(seed, "esp", l->esp_guid);
}

static void test_mbr(void)
{
    uint8_t s1[440], sec[512];
    fake_stage1(s1);
    CHECK(mk_stage1_check(s1, 440) == NULL, "mbr: 440-byte stage1 with HYS1 accepted");
    CHECK(mk_stage1_check(s1, 500) != NULL, "mbr: 500-byte stage1 refused");
    s1[STAGE1_PATCH_OFFSET] ^= 1;
    CHECK(mk_stage1_check(s1, 440) != NULL, "mbr: stage1 without the HYS1 record refused");
    s1[STAGE1_PATCH_OFFSET] ^= 1;

    /* The UEFI-only stub (bios/nobios.asm): clear of the patch area. */
    CHECK(mk_nobios_code[1] + 2 == STAGE1_BPB_GAP_END && mk_nobios_code_len <= STAGE1_PATCH_OFFSET,
          "mbr: no-BIOS stub jumps to the end of the BPB gap and stays below the patch area");
    CHECK(memmem(mk_nobios_code, mk_nobios_code_len, "no BIOS boot code", 17) != NULL,
          "mbr: no-BIOS stub carries its message");

    struct mk_layout l;
    layout(&l, 131072, MK_MBR_HYBRID);
    mk_mbr_build(sec, &l, s1, 440, 35);
    struct stage1_patch p;
    memcpy(&p, sec + STAGE1_PATCH_OFFSET, sizeof p);
    CHECK(p.magic == STAGE1_PATCH_MAGIC && p.stage2_lba == mk_bios_first_lba(512) && p.stage2_sectors == 35,
          "mbr: stage1 patched with stage2's LBA and length");
    CHECK(sec[0] == 0xeb && sec[510] == 0x55 && sec[511] == 0xaa, "mbr: code kept, 55 AA signature");
    CHECK(sec[440] == 0x01 && sec[441] == 0xef && sec[442] == 0xcd && sec[443] == 0xab, "mbr: disk signature at 440");
    struct mbr_part e[4];
    memcpy(e, sec + MBR_TABLE_OFFSET, sizeof e);
    CHECK(e[0].type == 0xee && e[0].lba_first == 1 && e[0].lba_count == 2047 && e[0].status == 0,
          "mbr: hybrid entry 1 is 0xEE over LBA 1..2047, not active");
    CHECK(e[1].type == 0xef && e[1].lba_first == 2048 && e[1].status == 0x80 &&
              e[1].lba_count == l.esp_last - l.esp_first + 1,
          "mbr: hybrid entry 2 is the active ESP");
    CHECK(e[2].type == 0 && e[3].type == 0, "mbr: entries 3 and 4 empty");

    l.active_ee = 1;
    mk_mbr_build(sec, &l, s1, 440, 35);
    memcpy(e, sec + MBR_TABLE_OFFSET, sizeof e);
    CHECK(e[0].status == 0x80 && e[1].status == 0, "mbr: --active-ee moves the active flag to 0xEE");

    layout(&l, 6442450944ULL, MK_MBR_PROTECTIVE);
    mk_mbr_build(sec, &l, NULL, 0, 0);
    memcpy(e, sec + MBR_TABLE_OFFSET, sizeof e);
    CHECK(e[0].type == 0xee && e[0].lba_first == 1 && e[0].lba_count == 0xffffffffu && e[1].type == 0,
          "mbr: protective 3 TiB: one 0xEE entry, clamped");
    CHECK(e[0].chs_first[0] == 0 && e[0].chs_first[1] == 2 && e[0].chs_first[2] == 0 &&
              e[0].chs_last[0] == 0xfe && e[0].chs_last[1] == 0xff && e[0].chs_last[2] == 0xff,
          "mbr: protective CHS 0x000200 .. FE FF FF");
    CHECK(sec[0] == 0xeb && sec[1] == 0x58 && sec[0x5a] == 0x31, "mbr: no stage1: jmp over the BPB gap to a stub");
    int gap_clear = 1;
    for (int i = STAGE1_BPB_GAP_START; i < STAGE1_BPB_GAP_END; i++)
        gap_clear &= sec[i] == 0;
    CHECK(gap_clear, "mbr: stub leaves the BPB gap empty");
}

static void test_guids(void)
{
    uint8_t s1[32] = { 0 }, s2[32] = { 0 };
    s2[31] = 1;
    uint8_t a[16], b[16], c[16], d[16];
    mk_guid_derive(s1, "gpt-disk", a);
    mk_guid_derive(s1, "gpt-disk", b);
    mk_guid_derive(s1, "gpt-esp-partition", c);
    mk_guid_derive(s2, "gpt-disk", d);
    CHECK(memcmp(a, b, 16) == 0, "guid: same seed and purpose, same GUID");
    CHECK(memcmp(a, c, 16) != 0, "guid: different purposes, different GUIDs");
    CHECK(memcmp(a, d, 16) != 0, "guid: different seeds, different GUIDs");
    int bits = 1;
    for (int i = 0; i < 200; i++) {
        uint8_t seed[32] = { 0 }, g[16];
        seed[0] = (uint8_t)i;
        seed[5] = (uint8_t)(i >> 8);
        mk_guid_derive(seed, "x", g);
        bits &= (g[8] & 0xc0) == 0x80 && (g[7] & 0xf0) == 0x40;
    }
    CHECK(bits, "guid: RFC 4122 variant (10xx) and version 4 set in 200 GUIDs");
    char text[37];
    mk_guid_derive(s1, "gpt-disk", a);
    guid_format(a, text);
    CHECK(text[14] == '4' && strchr("89AB", text[19]), "guid: printed form shows version 4 and variant");
    CHECK(mk_u32_derive(s1, "sig") == mk_u32_derive(s1, "sig") && mk_u32_derive(s1, "sig") != 0,
          "guid: 32-bit ids deterministic and non-zero");
}

static void test_gpt(void)
{
    static uint8_t entries[GPT_ENTRIES_BYTES];
    struct mk_layout l;
    layout(&l, 131072, MK_MBR_HYBRID);
    mk_gpt_entries(&l, entries);
    struct gpt_header p, b;
    uint32_t crc = crc32_update(0, entries, GPT_ENTRIES_BYTES);
    mk_gpt_header(&l, crc, 0, &p);
    mk_gpt_header(&l, crc, 1, &b);
    CHECK(gpt_header_check(&p, 1) == NULL, "gpt: primary header passes common/gpt.c checks");
    CHECK(gpt_header_check(&b, 131071) == NULL, "gpt: backup header passes common/gpt.c checks");
    CHECK(p.alternate_lba == 131071 && b.alternate_lba == 1 && b.entries_lba == 131072 - 33 && p.entries_lba == 2,
          "gpt: primary and backup point at each other and their entries");
    CHECK(p.entries_crc32 == crc32_update(0, entries, GPT_ENTRIES_BYTES) && b.entries_crc32 == p.entries_crc32,
          "gpt: entry array CRC");
    CHECK(p.first_usable_lba == 34 && p.last_usable_lba == 131072 - 34, "gpt: usable range 34 .. last-34");
    struct gpt_entry e[3];
    memcpy(e, entries, sizeof e);
    static const uint8_t bios[16] = GPT_GUID_BIOS_BOOT, esp[16] = GPT_GUID_ESP;
    CHECK(guid_equal(e[0].type_guid, bios) && e[0].first_lba == mk_bios_first_lba(512) && e[0].last_lba == 2047 &&
              e[0].name[0] == 'B' && e[0].name[8] == 't',
          "gpt: entry 1 is \"BIOS boot\" up to LBA 2047");
    CHECK(guid_equal(e[1].type_guid, esp) && e[1].first_lba == 2048 && e[1].last_lba == l.esp_last &&
              e[1].name[0] == 'E',
          "gpt: entry 2 is \"EFI system\" from LBA 2048");
    CHECK(guid_is_zero(e[2].type_guid), "gpt: no third entry");
    CHECK(!guid_equal(e[0].unique_guid, e[1].unique_guid) && !guid_equal(e[0].unique_guid, p.disk_guid),
          "gpt: partition and disk GUIDs unique");

    l.has_bios_part = 0;
    mk_gpt_entries(&l, entries);
    memcpy(e, entries, sizeof e);
    CHECK(guid_equal(e[0].type_guid, esp) && guid_is_zero(e[1].type_guid), "gpt: UEFI-only image has only the ESP");
}

static void test_layout(void)
{
    struct mk_layout l;
    CHECK(mk_layout_compute(&l, 131072, 512) == 0 && l.esp_first == 2048 && (l.esp_last + 1) % 8 == 0 &&
              l.esp_last <= l.last_usable && l.last_usable - l.esp_last < 8,
          "layout: 64 MiB ESP from 2048, 4K-aligned end, up to the backup GPT");
    CHECK(mk_layout_compute(&l, 6442450944ULL, 512) == 0 && l.esp_last - l.esp_first + 1 <= 0xffffffffULL &&
              l.esp_last - l.esp_first + 1 > 0xffffffffULL - 8,
          "layout: 3 TiB ESP capped at FAT32's 2^32-1 sectors");
    CHECK(mk_layout_compute(&l, 2048, 512) != 0, "layout: 1 MiB disk too small");
    CHECK(mk_layout_compute(&l, 4096, 512) == 0 && l.esp_last - l.esp_first + 1 == 2008, "layout: 2 MiB disk, 2008-sector ESP");

    /* 4Kn: the same byte positions where they can be, in 4096-byte LBAs. */
    CHECK(mk_layout_compute(&l, 16384, 4096) == 0 && l.sector_size == 4096 && l.bios_first == 6 && l.bios_last == 255 &&
              l.esp_first == 256 && l.last_usable == 16384 - 5 - 1 && l.esp_last == l.last_usable,
          "layout 4K: 64 MiB: BIOS boot 6..255, ESP from 256 (1 MiB) to the last usable LBA 16378");
    CHECK(mk_layout_compute(&l, 512, 4096) == 0 && l.esp_last - l.esp_first + 1 == 251, "layout 4K: 2 MiB disk, 251-sector ESP");
    CHECK(mk_layout_compute(&l, 256 + 5, 4096) != 0, "layout 4K: 1 MiB + GPT tail too small");
    CHECK(mk_gpt_entry_sectors(4096) == 4 && mk_gpt_tail(4096) == 5 && mk_bios_first_lba(4096) == 6 &&
              mk_bios_first_lba(512) == 40 && mk_esp_first_lba(4096) == 256 && mk_gpt_tail(512) == 33,
          "layout: GPT entry sectors, tail, BIOS and ESP starts for both sector sizes");
    CHECK(mk_layout_compute(&l, (uint64_t)1 << 40, 4096) == 0 && l.esp_last - l.esp_first + 1 == 0xffffffffULL,
          "layout 4K: a 4 PiB disk's ESP capped at 2^32-1 sectors (16 TiB)");

    struct gpt_header p, b;
    uint8_t *entries = calloc(1, GPT_ENTRIES_BYTES);
    memset(&l, 0, sizeof l);
    mk_layout_compute(&l, 16384, 4096);
    l.has_bios_part = 1;
    l.bios_guid[0] = 1;
    l.esp_guid[0] = 2;
    mk_gpt_entries(&l, entries);
    uint32_t crc = crc32_update(0, entries, GPT_ENTRIES_BYTES);
    mk_gpt_header(&l, crc, 0, &p);
    mk_gpt_header(&l, crc, 1, &b);
    CHECK(gpt_header_check(&p, 1) == NULL && gpt_header_check(&b, 16383) == NULL && p.first_usable_lba == 6 &&
              p.entries_lba == 2 && b.entries_lba == 16379 && p.alternate_lba == 16383 && b.last_usable_lba == 16378,
          "gpt 4K: headers at LBA 1 and 16383, entries at 2 and 16379 (4 sectors each), usable 6..16378");
    free(entries);

    uint8_t s1[440], sec[512];
    fake_stage1(s1);
    l.mbr = MK_MBR_HYBRID;
    l.esp_mbr_type = 0xef;
    mk_mbr_build(sec, &l, s1, 440, 12);
    struct stage1_patch sp;
    struct mbr_part e[4];
    memcpy(&sp, sec + STAGE1_PATCH_OFFSET, sizeof sp);
    memcpy(e, sec + MBR_TABLE_OFFSET, sizeof e);
    CHECK(sp.stage2_lba == 6 && sp.stage2_sectors == 12 && e[0].lba_first == 1 && e[0].lba_count == 255 &&
              e[1].lba_first == 256 && e[1].lba_count == 16123,
          "mbr 4K: stage1 patched with 4K LBA 6, 12 sectors; entries in 4K LBAs");
}

int main(void)
{
    test_chs();
    test_entries();
    test_mbr();
    test_guids();
    test_gpt();
    test_layout();
    return check_exit();
}
