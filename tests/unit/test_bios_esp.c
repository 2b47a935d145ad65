/* stage2's ESP search (bios/esp.c) on in-memory disks: GPT first (header
 * and entry CRCs checked, entry arrays longer than one read), the hybrid
 * MBR's 0xEF / 0x0C entries as the fallback, nothing -> -1. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "../../bios/esp.c"

#define DISK_SECTORS 4096
static uint8_t disk_img[DISK_SECTORS][512];
static int reads;

int disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    reads++;
    if (lba + count > DISK_SECTORS)
        return 1;
    memcpy(buf, disk_img[lba], count * 512u);
    return 0;
}

static const uint8_t esp_type_guid[16] = GPT_GUID_ESP;
static const uint8_t bbp_type_guid[16] = GPT_GUID_BIOS_BOOT;

static void mbr_entry(int i, uint8_t type, uint32_t first, uint32_t count)
{
    struct mbr_part p = { .type = type, .lba_first = first, .lba_count = count };
    memcpy(&disk_img[0][MBR_TABLE_OFFSET + 16 * i], &p, sizeof p);
    disk_img[0][510] = 0x55;
    disk_img[0][511] = 0xaa;
}

/* A GPT with `count` entries at LBA 2: BIOS boot at index 0, the ESP at
 * index esp_index (or none when esp_index < 0). */
static void make_gpt(uint32_t count, int esp_index)
{
    struct gpt_entry *e = (struct gpt_entry *)disk_img[2];
    memset(disk_img[2], 0, (size_t)count * GPT_ENTRY_SIZE);
    memcpy(e[0].type_guid, bbp_type_guid, 16);
    e[0].first_lba = 40;
    e[0].last_lba = 2047;
    if (esp_index >= 0) {
        memcpy(e[esp_index].type_guid, esp_type_guid, 16);
        memset(e[esp_index].unique_guid, 0xe5, 16);
        e[esp_index].first_lba = 2048;
        e[esp_index].last_lba = 4000;
    }
    struct gpt_header h = {
        .signature = GPT_SIGNATURE, .revision = GPT_REVISION, .header_size = GPT_HEADER_SIZE,
        .my_lba = 1, .alternate_lba = 999999,      /* a backup that is not there: never read */
        .first_usable_lba = 34 + (count * GPT_ENTRY_SIZE - 16384) / 512, .last_usable_lba = 4000,
        .entries_lba = 2, .entry_count = count, .entry_size = GPT_ENTRY_SIZE,
    };
    memset(h.disk_guid, 0xd1, 16);
    h.entries_crc32 = crc32_update(0, disk_img[2], (size_t)count * GPT_ENTRY_SIZE);
    h.header_crc32 = gpt_header_crc(&h);
    memcpy(disk_img[1], &h, sizeof h);
}

static void reset(void)
{
    memset(disk_img, 0, sizeof disk_img);
    reads = 0;
}

int main(void)
{
    struct disk d = { .drive = 0x80 };
    struct esp_info esp;
    uint8_t d1[16], e5[16];
    memset(d1, 0xd1, 16);
    memset(e5, 0xe5, 16);

    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    mbr_entry(1, MBR_TYPE_EFI_SYSTEM, 3000, 100);   /* deliberately different: GPT must win */
    memcpy(&disk_img[0][MBR_DISK_SIG_OFFSET], "\x78\x56\x34\x12", 4);
    make_gpt(128, 1);
    CHECK(esp_find(&d, &esp) == 0, "gpt: found");
    CHECK(esp.lba == 2048 && esp.sectors == 1953, "gpt: ESP range from the GPT entry");
    CHECK(!strcmp(esp.how, "GPT") && esp.gpt_problem == NULL, "gpt: says GPT");
    CHECK(!memcmp(esp.disk_guid, d1, 16) && !memcmp(esp.esp_guid, e5, 16), "gpt: disk and ESP GUIDs");
    CHECK(esp.mbr_signature == 0x12345678, "gpt: MBR disk signature");

    /* a flipped byte in the entry array: CRC fails, the MBR's 0xEF is used */
    disk_img[3][0] ^= 1;                            /* inside entry 4 */
    CHECK(esp_find(&d, &esp) == 0 && esp.lba == 3000 && esp.sectors == 100, "bad entries crc: MBR 0xEF fallback");
    CHECK(esp.gpt_problem && strstr(esp.gpt_problem, "CRC"), "bad entries crc: reason kept");
    CHECK(!memcmp(esp.how, "MBR entry type 0xEF", 19), "bad entries crc: says MBR 0xEF");
    uint8_t zero[16] = { 0 };
    CHECK(!memcmp(esp.disk_guid, zero, 16) && !memcmp(esp.esp_guid, zero, 16), "mbr fallback: no GUIDs");

    /* header CRC broken */
    make_gpt(128, 1);
    disk_img[1][40] ^= 1;
    CHECK(esp_find(&d, &esp) == 0 && esp.lba == 3000, "bad header crc: MBR fallback");

    /* a GPT without an ESP, an MBR with only a FAT32 (0x0C) entry */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    mbr_entry(2, MBR_TYPE_FAT32_LBA, 2048, 1000);
    make_gpt(128, -1);
    CHECK(esp_find(&d, &esp) == 0 && esp.lba == 2048 && !memcmp(esp.how, "MBR entry type 0x0C", 19),
          "no GPT ESP: MBR 0x0C");

    /* 0xEF wins over 0x0C whatever the order */
    mbr_entry(3, MBR_TYPE_EFI_SYSTEM, 3000, 50);
    CHECK(esp_find(&d, &esp) == 0 && esp.lba == 3000, "0xEF preferred over 0x0C");

    /* nothing anywhere */
    reset();
    CHECK(esp_find(&d, &esp) == -1, "blank disk: no ESP");

    /* an entry array longer than one 16 KiB read, ESP in the second part */
    reset();
    mbr_entry(0, MBR_TYPE_GPT_PROTECT, 1, DISK_SECTORS - 1);
    make_gpt(256, 200);
    CHECK(esp_find(&d, &esp) == 0 && esp.lba == 2048 && !strcmp(esp.how, "GPT"), "256 entries: ESP at index 200");

    return check_exit();
}
