/* The ESP search (common/esp_locate.c, what stage2 and --inspect use) on
 * in-memory disks: the primary GPT (header and entry CRCs, arrays longer
 * than one read), the backup GPT when the primary is bad or unreadable
 * (at the last LBA, or where the primary's sound header points), every
 * LBA checked against the disk size before it is read, the MBR's 0xEF /
 * 0x0C entries last, and an MBR disk without 0xEE never looking at a GPT. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "crc32.h"
#include "esp_locate.h"
#include "gpt.h"
#include "mbr.h"

#define DISK_SECTORS 4096
static uint8_t disk_img[DISK_SECTORS][512];
static int reads;
static uint64_t max_lba_read, fail_lba = ~0ull;

static int mem_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    reads++;
    if (lba + count - 1 > max_lba_read)
        max_lba_read = lba + count - 1;
    if (lba <= fail_lba && fail_lba < lba + count)
        return 0x20;
    if (lba + count > DISK_SECTORS)
        return 1;
    memcpy(buf, disk_img[lba], count * 512u);
    return 0;
}

static uint8_t scratch[32 * 512];
static struct gpt_disk disk = { mem_read, 0, DISK_SECTORS, 512, scratch, sizeof scratch };

static const uint8_t esp_type_guid[16] = GPT_GUID_ESP;
static const uint8_t bbp_type_guid[16] = GPT_GUID_BIOS_BOOT;

static void mbr_entry(int i, uint8_t type, uint32_t first, uint32_t count)
{
    struct mbr_part p = { .type = type, .lba_first = first, .lba_count = count };
    memcpy(&disk_img[0][MBR_TABLE_OFFSET + 16 * i], &p, sizeof p);
    disk_img[0][510] = 0x55;
    disk_img[0][511] = 0xaa;
}

/* A GPT header at `lba` with `count` entries at `entries`: BIOS boot at
 * index 0, the ESP (2048..esp_last) at index esp_index (none if < 0). */
static void make_gpt_at(uint64_t lba, uint64_t alt, uint64_t entries, uint32_t count, int esp_index, uint64_t esp_last)
{
    struct gpt_entry *e = (struct gpt_entry *)disk_img[entries];
    memset(disk_img[entries], 0, (size_t)count * GPT_ENTRY_SIZE);
    memcpy(e[0].type_guid, bbp_type_guid, 16);
    e[0].first_lba = 40;
    e[0].last_lba = 2047;
    if (esp_index >= 0) {
        memcpy(e[esp_index].type_guid, esp_type_guid, 16);
        memset(e[esp_index].unique_guid, 0xe5, 16);
        e[esp_index].first_lba = 2048;
        e[esp_index].last_lba = esp_last;
    }
    struct gpt_header h = {
        .signature = GPT_SIGNATURE, .revision = GPT_REVISION, .header_size = GPT_HEADER_SIZE,
        .my_lba = lba, .alternate_lba = alt,
        .first_usable_lba = 34 + (count * GPT_ENTRY_SIZE - 16384) / 512, .last_usable_lba = DISK_SECTORS - 34,
        .entries_lba = entries, .entry_count = count, .entry_size = GPT_ENTRY_SIZE,
    };
    memset(h.disk_guid, 0xd1, 16);
    h.entries_crc32 = crc32_update(0, disk_img[entries], (size_t)count * GPT_ENTRY_SIZE);
    h.header_crc32 = gpt_header_crc(&h);
    memset(disk_img[lba], 0, 512);
    memcpy(disk_img[lba], &h, sizeof h);
}

static void make_gpt(uint32_t count, int esp_index)
{
    make_gpt_at(1, DISK_SECTORS - 1, 2, count, esp_index, 4000);
}

/* The backup at the end: entries in the 32 sectors before the last one. */
static void make_backup(uint64_t lba, uint64_t esp_last)
{
    make_gpt_at(lba, 1, lba - 32, 128, 1, esp_last);
}

static void reset(void)
{
    memset(disk_img, 0, sizeof disk_img);
    reads = 0;
    max_lba_read = 0;
    fail_lba = ~0ull;
    disk.sectors = DISK_SECTORS;
}

/* Patches a header field and fixes its CRC, as a buggy tool would write. */
static void set_entries_lba(uint64_t lba, uint64_t entries)
{
    struct gpt_header h;
    memcpy(&h, disk_img[lba], sizeof h);
    h.entries_lba = entries;
    h.header_crc32 = gpt_header_crc(&h);
    memcpy(disk_img[lba], &h, sizeof h);
}

int main(void)
{
    struct esp_info esp;
    uint8_t d1[16], e5[16];
    memset(d1, 0xd1, 16);
    memset(e5, 0xe5, 16);

    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    mbr_entry(1, MBR_TYPE_EFI_SYSTEM, 3000, 100);   /* deliberately different: GPT must win */
    memcpy(&disk_img[0][MBR_DISK_SIG_OFFSET], "\x78\x56\x34\x12", 4);
    make_gpt(128, 1);
    make_backup(DISK_SECTORS - 1, 3900);            /* different too: only used when the primary is bad */
    CHECK(esp_locate(&disk, &esp) == 0, "gpt: found");
    CHECK(esp.lba == 2048 && esp.sectors == 1953, "gpt: ESP range from the GPT entry");
    CHECK(!strcmp(esp.how, "GPT") && esp.gpt_problem == NULL && esp.gpt_lba == 1, "gpt: says GPT");
    CHECK(!memcmp(esp.disk_guid, d1, 16) && !memcmp(esp.esp_guid, e5, 16), "gpt: disk and ESP GUIDs");
    CHECK(esp.mbr_signature == 0x12345678 && esp.protective, "gpt: MBR disk signature, 0xEE seen");

    /* a flipped byte in the entry array: the backup GPT is used */
    disk_img[3][0] ^= 1;
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 2048 && esp.sectors == 1853 && !strcmp(esp.how, "backup GPT"),
          "bad entries crc: backup GPT used");
    CHECK(esp.gpt_problem && strstr(esp.gpt_problem, "CRC") && esp.gpt_lba == DISK_SECTORS - 1,
          "bad entries crc: reason kept, header LBA said");
    disk_img[3][0] ^= 1;

    /* LBA 1 zeroed (a --mbr protective image someone wiped): the backup */
    memset(disk_img[1], 0, 512);
    CHECK(esp_locate(&disk, &esp) == 0 && !strcmp(esp.how, "backup GPT") && esp.sectors == 1853,
          "zeroed LBA 1: backup GPT used");

    /* both GPTs bad: the MBR's 0xEF entry */
    disk_img[DISK_SECTORS - 1][20] ^= 1;
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 3000 && esp.sectors == 100 &&
          !strcmp(esp.how, "MBR entry type 0xEF") && esp.backup_problem != NULL, "both GPTs bad: MBR 0xEF fallback");
    uint8_t zero[16] = { 0 };
    CHECK(!memcmp(esp.disk_guid, zero, 16) && !memcmp(esp.esp_guid, zero, 16), "mbr fallback: no GUIDs");

    /* A garbage entries_lba (CRC fixed up): refused before any read, the
     * backup used; nothing past the disk is ever asked for. */
    make_gpt(128, 1);
    make_backup(DISK_SECTORS - 1, 3900);
    set_entries_lba(1, 0xff00000002ull);
    reads = 0;
    max_lba_read = 0;
    CHECK(esp_locate(&disk, &esp) == 0 && !strcmp(esp.how, "backup GPT") && max_lba_read < DISK_SECTORS &&
          strstr(esp.gpt_problem, "beyond the end"), "garbage entries LBA: no read past the disk, backup used");

    /* Disk size unknown (no EDD): the read fails and is a fallback too;
     * the backup is found through the primary's alternate_lba. */
    disk.sectors = 0;
    set_entries_lba(1, 100000);
    CHECK(esp_locate(&disk, &esp) == 0 && !strcmp(esp.how, "backup GPT") && esp.bad_lba == 100000,
          "size unknown: failed read falls back, alternate_lba leads to the backup");
    disk.sectors = DISK_SECTORS;

    /* an unreadable primary entry array (a bad sector): the backup */
    make_gpt(128, 1);
    fail_lba = 5;
    CHECK(esp_locate(&disk, &esp) == 0 && !strcmp(esp.how, "backup GPT") && esp.bad_lba == 2 &&
          strstr(esp.gpt_problem, "cannot read"), "unreadable entries: backup used, LBA said");
    fail_lba = ~0ull;

    /* the backup found through alternate_lba when it is not at the end
     * (an image dd'd onto a larger disk), primary entries bad */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    make_gpt_at(1, 3000, 2, 128, 1, 2900);
    make_backup(3000, 2900);
    disk_img[2][200] ^= 1;
    CHECK(esp_locate(&disk, &esp) == 0 && !strcmp(esp.how, "backup GPT") && esp.gpt_lba == 3000,
          "backup not at the end: found through alternate_lba");

    /* an ESP entry reaching past the disk is not an ESP */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    make_gpt_at(1, DISK_SECTORS - 1, 2, 128, 1, DISK_SECTORS + 10);
    CHECK(esp_locate(&disk, &esp) == -1 && strstr(esp.gpt_problem, "no ESP"), "ESP beyond the disk: not used");

    /* a GPT without an ESP, an MBR with only a FAT32 (0x0C) entry */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    mbr_entry(2, MBR_TYPE_FAT32_LBA, 2048, 1000);
    make_gpt(128, -1);
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 2048 && !strcmp(esp.how, "MBR entry type 0x0C"),
          "no GPT ESP: MBR 0x0C");

    /* 0xEF wins over 0x0C whatever the order */
    mbr_entry(3, MBR_TYPE_EFI_SYSTEM, 3000, 50);
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 3000, "0xEF preferred over 0x0C");
    /* an MBR entry past the end of the disk is skipped */
    mbr_entry(3, MBR_TYPE_EFI_SYSTEM, 3000, 5000);
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 2048, "MBR entry beyond the disk skipped");

    /* an MBR disk (no 0xEE): its entry, even with a valid GPT at LBA 1 */
    reset();
    mbr_entry(0, MBR_TYPE_EFI_SYSTEM, 3000, 50);
    make_gpt(128, 1);
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 3000 && !esp.protective, "MBR-only disk: GPT ignored");

    /* nothing anywhere */
    reset();
    CHECK(esp_locate(&disk, &esp) == -1, "blank disk: no ESP");

    /* an entry array longer than one 16 KiB read, ESP in the second part */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    make_gpt(256, 200);
    CHECK(esp_locate(&disk, &esp) == 0 && esp.lba == 2048 && !strcmp(esp.how, "GPT"), "256 entries: ESP at index 200");

    /* a one-sector scratch buffer still reads everything (more calls) */
    struct gpt_disk small = disk;
    small.buf_len = 512;
    reads = 0;
    CHECK(esp_locate(&small, &esp) == 0 && esp.lba == 2048 && reads == 2 + 64, "one-sector scratch: 64 entry reads");
    return check_exit();
}
