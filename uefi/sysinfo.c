/* Firmware tables, the clock, the boot device and the TSC fallback for
 * the UEFI loader (plat_rsdp, plat_smbios, plat_time, plat_device,
 * plat_tsc_fallback). */
#include "uefi.h"
#include "alloc.h"
#include "fwtables.h"
#include "gpt.h"
#include "io.h"
#include "loader.h"
#include "mem.h"
#include "tsc.h"
#include "unixtime.h"

/* The configuration table entry with this GUID, or NULL. */
static void *config_table(EFI_GUID guid)
{
    for (UINTN i = 0; i < efi_st->NumberOfTableEntries; i++) {
        EFI_CONFIGURATION_TABLE *t = &efi_st->ConfigurationTable[i];
        if (guid_eq(&t->VendorGuid, &guid))
            return t->VendorTable;
    }
    return NULL;
}

uint64_t plat_rsdp(void)
{
    /* ACPI 2.0 first: it carries the XSDT. */
    const uint8_t *p = config_table((EFI_GUID)ACPI_20_TABLE_GUID);
    if (!p || !rsdp_valid(p))
        p = config_table((EFI_GUID)ACPI_TABLE_GUID);
    return p && rsdp_valid(p) ? (uintptr_t)p : 0;
}

void plat_smbios(uint64_t *entry32, uint64_t *entry64)
{
    const uint8_t *p = config_table((EFI_GUID)SMBIOS_TABLE_GUID);
    const uint8_t *q = config_table((EFI_GUID)SMBIOS3_TABLE_GUID);
    char why[80];
    *entry32 = p && fw_smbios2_check(p, 0, why, sizeof why) == 0 ? (uintptr_t)p : 0;
    *entry64 = q && fw_smbios3_check(q, 0, why, sizeof why) == 0 ? (uintptr_t)q : 0;
}

int64_t plat_time(void)
{
    EFI_TIME t;
    if (EFI_ERROR(efi_st->RuntimeServices->GetTime(&t, NULL)))
        return 0;
    struct civil_time c = { t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second };
    int64_t s;
    if (unixtime_from_civil(&c, &s) || s <= 0)
        return 0;
    /* The spec: Localtime = UTC - TimeZone (minutes). An unspecified zone
     * is taken as UTC, as the CMOS clock on the BIOS path is. */
    if (t.TimeZone != EFI_UNSPECIFIED_TIMEZONE && t.TimeZone >= -1440 && t.TimeZone <= 1440)
        s += (int64_t)t.TimeZone * 60;
    return s;
}

uint64_t plat_tsc_hz(const char **how)
{
    *how = "PIT";
    uint64_t hz = tsc_pit_rate();
    if (hz < 1000000)
        hz = tsc_calibrate_pit();
    if (hz >= 1000000)
        return hz;
    /* No PIT (some newer machines gate it off): the firmware's Stall is
     * calibrated against whatever timer it does have. */
    *how = "firmware Stall";
    uint64_t t0 = rdtsc();
    efi_bs->Stall(10000);
    return (rdtsc() - t0) * 100;
}

/* Device path nodes are byte-packed and may be unaligned: read by offset. */
#define DP_TYPE(p)  (((const uint8_t *)(p))[0])
#define DP_SUB(p)   (((const uint8_t *)(p))[1])
static uint16_t dp_len(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[2] | b[3] << 8);
}
#define DP_END_TYPE 0x7f
/* HARDDRIVE_DEVICE_PATH layout (UEFI spec 10.3.5.1). */
#define HD_OFF_START   8
#define HD_OFF_SIG     24
#define HD_OFF_SIGTYPE 41
#define HD_NODE_LEN    42

/* The GPT disk GUID and MBR signature from LBA 0 and 1 of the disk
 * that holds the partition whose device path is dp up to `hd`. */
static void read_disk_ids(const EFI_DEVICE_PATH *dp, const uint8_t *hd, struct boot_device *dev)
{
    /* A copy of the path with the HARDDRIVE node replaced by an end node
     * names the whole disk; LocateDevicePath finds its Block I/O handle. */
    size_t prefix = (size_t)(hd - (const uint8_t *)dp);
    uint8_t copy[512];
    if (prefix + 4 > sizeof copy) return;
    memcpy(copy, dp, prefix);
    const uint8_t end[4] = { DP_END_TYPE, 0xff, 4, 0 };
    memcpy(copy + prefix, end, 4);

    EFI_GUID bio_guid = EFI_BLOCK_IO_PROTOCOL_GUID;
    EFI_DEVICE_PATH *rest = (EFI_DEVICE_PATH *)copy;
    EFI_HANDLE disk = NULL;
    EFI_BLOCK_IO *bio = NULL;
    if (EFI_ERROR(efi_bs->LocateDevicePath(&bio_guid, &rest, &disk)) || DP_TYPE(rest) != DP_END_TYPE)
        return;
    if (EFI_ERROR(efi_bs->HandleProtocol(disk, &bio_guid, (void **)&bio)) || !bio || !bio->Media)
        return;
    uint32_t bs = bio->Media->BlockSize;
    if (bio->Media->LogicalPartition || bs < 512 || bs > 4096 || (bs & (bs - 1)))
        return;
    /* The stack when the controller's IoAlign allows (0 or 1: any; at
     * most 64 here), else pages, which are not given back: a firmware
     * service called for the first time is code the emulator must
     * translate, milliseconds under QEMU (docs/performance.md). */
    uint8_t on_stack[2 * 4096] __attribute__((aligned(64)));
    uint8_t *b = on_stack;
    if (bio->Media->IoAlign > 64)
        b = (uint8_t *)(uintptr_t)alloc_pages(EfiLoaderData, 2 * bs, ANY_ADDR);
    if (b && !EFI_ERROR(bio->ReadBlocks(bio, bio->Media->MediaId, 0, 2 * bs, b))) {
        memcpy(&dev->mbr_signature, b + 440, 4);
        const struct gpt_header *h = (const struct gpt_header *)(b + bs);
        if (!gpt_header_check(h, 1))
            memcpy(dev->disk_guid, h->disk_guid, 16);
    }
}

void plat_device(struct boot_device *dev)
{
    EFI_GUID dp_guid = EFI_DEVICE_PATH_PROTOCOL_GUID;
    EFI_DEVICE_PATH *dp = NULL;
    memset(dev, 0, sizeof *dev);
    if (EFI_ERROR(efi_bs->HandleProtocol(efi_boot_device, &dp_guid, (void **)&dp)) || !dp)
        return;
    const uint8_t *n = (const uint8_t *)dp;
    for (unsigned guard = 0; DP_TYPE(n) != DP_END_TYPE && guard < 64; guard++) {
        uint16_t len = dp_len(n);
        if (len < 4) return;   /* malformed: stop rather than loop */
        if (DP_TYPE(n) == MEDIA_DEVICE_PATH && DP_SUB(n) == MEDIA_HARDDRIVE_DP && len >= HD_NODE_LEN) {
            memcpy(&dev->esp_lba, n + HD_OFF_START, 8);
            if (n[HD_OFF_SIGTYPE] == SIGNATURE_TYPE_GUID)
                memcpy(dev->esp_guid, n + HD_OFF_SIG, 16);
            else if (n[HD_OFF_SIGTYPE] == SIGNATURE_TYPE_MBR)
                memcpy(&dev->mbr_signature, n + HD_OFF_SIG, 4);
            read_disk_ids(dp, n, dev);
            return;
        }
        n += len;
    }
}
