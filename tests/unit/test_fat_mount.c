/* fat_mount: boot-sector validation and the FAT type decided by cluster
 * count at the spec's boundaries (4084/4085, 65524/65525), never by the
 * fs_type string. Boot sectors are built in memory; only sector 0 is real,
 * everything else reads as zeros. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fat.h"

static uint8_t boot[512];

static int zero_disk(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx;
    memset(buf, 0, (size_t)count * 512);
    if (lba == 0)
        memcpy(buf, boot, 512);
    return 0;
}

static int failing_disk(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
    (void)ctx; (void)lba; (void)count; (void)buf;
    return 0x80;    /* a BIOS "timeout" status */
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

/* A FAT12/16-shaped boot sector. */
static void bpb16(uint8_t spc, uint16_t reserved, uint8_t fats, uint16_t root_entries,
                  uint16_t fat_size, uint32_t total, const char *fs_type)
{
    memset(boot, 0, sizeof boot);
    boot[0] = 0xeb; boot[1] = 0x3c; boot[2] = 0x90;
    memcpy(boot + 3, "HYBOOT  ", 8);
    put16(boot + 11, 512);
    boot[13] = spc;
    put16(boot + 14, reserved);
    boot[16] = fats;
    put16(boot + 17, root_entries);
    if (total < 65536)
        put16(boot + 19, (uint16_t)total);
    else
        put32(boot + 32, total);
    boot[21] = 0xf8;
    put16(boot + 22, fat_size);
    boot[38] = 0x29;
    memcpy(boot + 43, "NO NAME    ", 11);
    memcpy(boot + 54, fs_type, 8);
    boot[510] = 0x55; boot[511] = 0xaa;
}

/* A FAT32-shaped boot sector (no fixed root, 32-bit FAT size). */
static void bpb32(uint8_t spc, uint16_t reserved, uint32_t fat_size, uint32_t total)
{
    memset(boot, 0, sizeof boot);
    boot[0] = 0xeb; boot[1] = 0x58; boot[2] = 0x90;
    memcpy(boot + 3, "HYBOOT  ", 8);
    put16(boot + 11, 512);
    boot[13] = spc;
    put16(boot + 14, reserved);
    boot[16] = 2;
    boot[21] = 0xf8;
    put32(boot + 32, total);
    put32(boot + 36, fat_size);
    put32(boot + 44, 2);          /* root cluster */
    put16(boot + 48, 1);          /* FSInfo */
    put16(boot + 50, 6);          /* backup boot sector */
    boot[66] = 0x29;
    memcpy(boot + 82, "FAT32   ", 8);
    boot[510] = 0x55; boot[511] = 0xaa;
}

static struct fat_vol vol;

static int mount(void) { return fat_mount(&vol, zero_disk, NULL, 0); }

int main(void)
{
    /* FAT12/16 boundary: 1 reserved + 2x16 FAT + 32 root sectors = 65 before data. */
    bpb16(1, 1, 2, 512, 16, 65 + 4084, "FAT16   ");
    CHECK(mount() == FAT_OK && vol.type == 12 && vol.clusters == 4084,
          "fat mount: 4084 clusters is FAT12 (fs_type says FAT16)");
    bpb16(1, 1, 2, 512, 16, 65 + 4085, "FAT12   ");
    CHECK(mount() == FAT_OK && vol.type == 16 && vol.clusters == 4085,
          "fat mount: 4085 clusters is FAT16 (fs_type says FAT12)");
    CHECK(vol.root_lba == 33 && vol.root_sectors == 32 && vol.data_lba == 65 && vol.fat_lba == 1,
          "fat mount: FAT16 layout fields");

    /* FAT16 upper end: 1 + 2x256 + 32 = 545 before data. */
    bpb16(1, 1, 2, 512, 256, 545 + 65524, "FAT16   ");
    CHECK(mount() == FAT_OK && vol.type == 16 && vol.clusters == 65524,
          "fat mount: 65524 clusters is FAT16");
    bpb16(1, 1, 2, 512, 256, 545 + 65525, "FAT16   ");
    CHECK(mount() == FAT_ENOTFAT, "fat mount: 65525 clusters with a fixed root is refused");

    /* FAT32: 32 reserved + 2x512 FAT = 1056 before data. */
    bpb32(1, 32, 512, 1056 + 65525);
    CHECK(mount() == FAT_OK && vol.type == 32 && vol.clusters == 65525 && vol.root_cluster == 2,
          "fat mount: 65525 clusters is FAT32");
    bpb32(1, 32, 512, 1056 + 65524);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: FAT32 layout with 65524 clusters is refused");

    /* A healthy base to break one field at a time. */
    bpb16(4, 4, 2, 512, 32, 32768, "FAT16   ");
    CHECK(mount() == FAT_OK && vol.type == 16 && vol.sectors_per_cluster == 4,
          "fat mount: base volume mounts");

    boot[0] = 0x00;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: no jump instruction refused");
    boot[0] = 0xe9;
    CHECK(mount() == FAT_OK, "fat mount: E9 near jump accepted");
    boot[0] = 0xeb; boot[2] = 0x00;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: EB without NOP refused");
    boot[2] = 0x90;

    /* Logical sectors of 512..4096 bytes (4Kn media): the geometry is in
     * those units, reads in the device's. */
    put16(boot + 11, 4096);
    CHECK(mount() == FAT_OK && vol.bytes_per_sector == 4096 && vol.data_lba == 4 + 2 * 32 + 4,
          "fat mount: 4096-byte logical sectors accepted");
    CHECK(fat_mount_dev(&vol, zero_disk, NULL, 0, 4096) == FAT_OK && vol.dev_sector == 4096,
          "fat mount: 4096-byte sectors on a 4096-byte device");
    put16(boot + 11, 512);
    CHECK(fat_mount_dev(&vol, zero_disk, NULL, 0, 4096) == FAT_ENOTFAT,
          "fat mount: 512-byte logical sectors on a 4096-byte device refused");
    put16(boot + 11, 1000);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: 1000-byte sectors refused");
    put16(boot + 11, 8192);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: 8192-byte sectors refused");
    put16(boot + 11, 256);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: 256-byte sectors refused");
    put16(boot + 11, 512);

    boot[13] = 3;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: cluster size 3 refused");
    boot[13] = 0;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: cluster size 0 refused");
    boot[13] = 4;

    boot[16] = 0;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: zero FATs refused");
    boot[16] = 2;

    put16(boot + 14, 0);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: zero reserved sectors refused");
    put16(boot + 14, 4);

    boot[511] = 0;
    CHECK(mount() == FAT_ENOTFAT, "fat mount: missing 55AA refused");
    boot[511] = 0xaa;

    put16(boot + 22, 4);   /* 4 sectors cannot map 8000+ FAT16 clusters */
    CHECK(mount() == FAT_ENOTFAT, "fat mount: FAT too small for the clusters refused");
    put16(boot + 22, 32);

    put16(boot + 19, 60);  /* metadata larger than the volume */
    CHECK(mount() == FAT_ENOTFAT, "fat mount: volume smaller than its metadata refused");
    put16(boot + 19, 32768);

    memset(boot + 54, 'X', 8);
    CHECK(mount() == FAT_OK && vol.type == 16, "fat mount: fs_type string is not consulted");

    CHECK(fat_mount(&vol, failing_disk, NULL, 2048) == FAT_EIO && vol.last_error == 0x80 &&
          vol.last_error_lba == 2048, "fat mount: read error reported with status and LBA");

    /* FAT32 with mirroring off uses the active FAT named in ext_flags. */
    bpb32(8, 32, 1024, 1056 + 1024 + 8 * 70000);
    put16(boot + 40, 0x81);
    CHECK(mount() == FAT_OK && vol.type == 32 && vol.active_fat == 1 && !vol.mirrored,
          "fat mount: FAT32 active FAT 1 when mirroring is off");
    put16(boot + 40, 0x01);
    CHECK(mount() == FAT_OK && vol.active_fat == 0 && vol.mirrored && vol.num_fats == 2,
          "fat mount: FAT32 mirrored: FAT #1 first, bits 0-3 ignored");
    put16(boot + 40, 0x82);
    CHECK(mount() == FAT_ENOTFAT, "fat mount: active FAT beyond the FAT count refused");

    CHECK(strcmp(fat_strerror(FAT_ENOENT), "file not found") == 0, "fat strerror: ENOENT");
    CHECK(fat_strerror(-99) != NULL, "fat strerror: unknown code");
    return check_exit();
}
