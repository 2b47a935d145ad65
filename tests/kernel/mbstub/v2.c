/* mbstub, the boot_info v2 fields (see stub.h). What it hands over comes
 * from the machine QEMU emulates, found the way a loader would:
 *
 *   modules    further -initrd files: "-initrd 'kernel.elf,/p/mod a b,...'"
 *              gives a module with path "/p/mod" and string "a b"; QEMU
 *              loads them page-aligned, the stub types them BOOT_MEM_MODULE
 *   SMBIOS     SeaBIOS's entry points, by an F-segment scan
 *   EDID       the std VGA's EDID blob (BAR2 offset 0 of PCI 1234:1111)
 *   boot time  the CMOS RTC
 *   efi=fake   pretend to be UEFI: a system table, runtime services table
 *              (every service returns EFI_UNSUPPORTED), configuration
 *              table (SMBIOS, ACPI) and final memory map built here, so
 *              the kernel's UEFI-side checks run without OVMF
 *   newer      report version 3 and a larger size (a future loader)
 *
 * corrupt=WORD breaks one promise (several words may be given):
 *   version size flags secureboot modalign modrange modpath modhash
 *   modstray modentry hhdmoffset hhdmsize hhdmmap (stub.c) hhdm1g efi
 *   efisig efimap smbios nosmbios edid edidsize time timeskew */
#include <stdint.h>

#include "crc32.h"
#include "fwtables.h"
#include "mem.h"
#include "rtc.h"
#include "stub.h"

#define MAX_MODULES 16
#define PATH_MAX 128   /* BOOTCFG_PATH_MAX */
#define STRING_MAX 256 /* BOOTCFG_STRING_MAX */

static struct mb_module mods[MAX_MODULES];
static char mod_text[MAX_MODULES][PATH_MAX + STRING_MAX];
static uint32_t mod_count;

/* allocated by v2_prepare */
static struct boot_module *list;
static char *strings;          /* MAX_MODULES * (PATH_MAX + STRING_MAX) */
static uint8_t *edid;          /* 1 KiB */
static uint32_t edid_size;
static uint64_t smbios2, smbios3, smbios2_copy;
static uint8_t *efi_rt_page;   /* system table, runtime table, config table, code */
static uint8_t *efi_map;       /* 256 descriptors of 48 bytes */
static uint32_t efi_map_size;

#define EFI_DESC 48

void v2_save_modules(const struct mb_module *m, uint32_t count)
{
    if (count > MAX_MODULES)
        die("too many modules for the stub");
    for (uint32_t i = 0; i < count; i++) {
        mods[i] = m[i];
        hy_strlcpy(mod_text[i], m[i].string ? (const char *)(uintptr_t)m[i].string : "", sizeof mod_text[i]);
    }
    mod_count = count;
}

void v2_mark_modules(void)
{
    for (uint32_t i = 0; i < mod_count; i++) {
        if (mods[i].start % 4096)
            die("module not page-aligned");
        uint64_t span = ((uint64_t)mods[i].end - mods[i].start + 4095) & ~4095ULL;
        if (span && mm_set(&stub_map, mods[i].start, span, BOOT_MEM_MODULE))
            die("memory map full");
    }
}

/* The std VGA's EDID: QEMU exposes the blob it gives the guest at the
 * start of the device's MMIO BAR (edid=on is QEMU's default). */
static void read_edid(void)
{
    uint32_t dev = pci_find(0x11111234);
    if (dev == ~0u)
        return;
    uint32_t bar2 = pci_read(0, dev, 0, 0x18) & ~0xfu;
    if (!bar2 || !(pci_read(0, dev, 0, 0x04) & 2))
        return;
    const volatile uint8_t *mmio = (const volatile uint8_t *)(uintptr_t)bar2;
    static const uint8_t header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
    for (int i = 0; i < 8; i++)
        if (mmio[i] != header[i])
            return;
    uint32_t size = 128 * (1u + mmio[126]);
    if (size > 1024)
        return;
    for (uint32_t i = 0; i < size; i++)
        edid[i] = mmio[i];
    edid_size = size;
}

void v2_prepare(void)
{
    list = (struct boot_module *)(uintptr_t)take(4096, 4096, BOOT_MEM_LOADER);
    strings = (char *)(uintptr_t)take(MAX_MODULES * (PATH_MAX + STRING_MAX), 4096, BOOT_MEM_LOADER);
    edid = (uint8_t *)(uintptr_t)take(4096, 4096, BOOT_MEM_LOADER);
    read_edid();

    fw_smbios_scan((const uint8_t *)(uintptr_t)0xf0000, 0x10000, 0xf0000, &smbios2, &smbios3);
    /* the corrupt=smbios copy sits in loader memory, like any copy would */
    if (opt("corrupt=smbios") && (smbios2 || smbios3)) {
        uint8_t *c = edid + 2048;
        memcpy(c, (const void *)(uintptr_t)(smbios3 ? smbios3 : smbios2), 0x40);
        c[smbios3 ? 5 : 4] ^= 0x5a; /* the checksum byte */
        smbios2_copy = (uintptr_t)c;
    }

    if (opt("efi=fake")) {
        /* firmware runtime memory: reserved in the boot map, like what a
         * real loader turns EfiRuntimeServices* into */
        efi_rt_page = (uint8_t *)(uintptr_t)take(4096, 4096, BOOT_MEM_RESERVED);
        efi_map = (uint8_t *)(uintptr_t)take(256 * EFI_DESC, 4096, BOOT_MEM_LOADER);
    }
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void efi_header(uint8_t *t, uint64_t sig, uint32_t size)
{
    put64(t, sig);
    put32(t + 8, 2u << 16 | 70); /* 2.70 */
    put32(t + 12, size);
    put32(t + 16, 0);
    put32(t + 16, crc32_update(0, t, size));
}


/* EFI memory type for a boot map range */
static uint32_t efi_type(const struct boot_mmap_entry *e)
{
    if ((uintptr_t)efi_rt_page == e->base)
        return FW_EFI_RUNTIME_SERVICES_DATA;
    switch (e->type) {
    case BOOT_MEM_USABLE: return 7;       /* EfiConventionalMemory */
    case BOOT_MEM_ACPI_RECLAIM: return 9;
    case BOOT_MEM_ACPI_NVS: return 10;
    case BOOT_MEM_BAD: return 8;
    case BOOT_MEM_FRAMEBUFFER: return 11; /* EfiMemoryMappedIO */
    case BOOT_MEM_RESERVED: return 0;
    default: return 2;                    /* EfiLoaderData */
    }
}

static void fake_efi(struct boot_info *bi)
{
    uint8_t *st = efi_rt_page, *rt = st + 256, *cfg = st + 512, *vendor = st + 768, *code = st + 1024;
    /* every runtime service: mov rax, EFI_UNSUPPORTED; ret */
    static const uint8_t unsupported[11] = { 0x48, 0xb8, 3, 0, 0, 0, 0, 0, 0, 0x80, 0xc3 };
    memcpy(code, unsupported, sizeof unsupported);
    for (int i = 0; i < 14; i++)
        put64(rt + 24 + 8 * i, (uintptr_t)code);
    efi_header(rt, FW_EFI_RT_SIGNATURE, FW_EFI_RT_SIZE);

    static const char name[] = "hyboot mbstub (fake UEFI)";
    for (uint32_t i = 0; i < sizeof name; i++)
        vendor[2 * i] = (uint8_t)name[i];
    uint32_t n = 0;
    if (bi->rsdp_addr) {
        memcpy(cfg + 24 * n, fw_guid_acpi20, 16);
        put64(cfg + 24 * n++ + 16, bi->rsdp_addr);
    }
    if (smbios2) {
        memcpy(cfg + 24 * n, fw_guid_smbios, 16);
        put64(cfg + 24 * n++ + 16, smbios2);
    }
    if (smbios3) {
        memcpy(cfg + 24 * n, fw_guid_smbios3, 16);
        put64(cfg + 24 * n++ + 16, smbios3);
    }
    put64(st + EFI_ST_FIRMWARE_VENDOR, (uintptr_t)vendor);
    put64(st + EFI_ST_RUNTIME_SERVICES, (uintptr_t)rt);
    put64(st + EFI_ST_TABLE_COUNT, n);
    put64(st + EFI_ST_TABLES, (uintptr_t)cfg);
    efi_header(st, FW_EFI_ST_SIGNATURE, FW_EFI_ST_SIZE);

    /* the memory map: whole pages of each boot map range */
    uint32_t k = 0;
    for (uint32_t i = 0; i < stub_map.count && k < 256; i++) {
        const struct boot_mmap_entry *e = &stub_map.e[i];
        uint64_t start = (e->base + 4095) & ~4095ULL, end = (e->base + e->length) & ~4095ULL;
        if (end <= start)
            continue;
        uint8_t *d = efi_map + EFI_DESC * k++;
        uint32_t type = efi_type(e);
        put32(d, type);
        put64(d + 8, start);
        put64(d + 24, (end - start) / 4096);
        put64(d + 32, 0xf | (type == FW_EFI_RUNTIME_SERVICES_DATA ? FW_EFI_MEMORY_RUNTIME : 0));
    }
    efi_map_size = k * EFI_DESC;

    bi->firmware = BOOT_FW_UEFI;
    hy_strlcpy(bi->loader_name, "hyboot-mbstub 0.1 (fake UEFI)", sizeof bi->loader_name);
    bi->efi_system_table = (uintptr_t)st;
    bi->efi_mmap_addr = (uintptr_t)efi_map;
    bi->efi_mmap_size = efi_map_size;
    bi->efi_mmap_desc_size = EFI_DESC;
    bi->efi_mmap_desc_version = 1;
}

void v2_fill(struct boot_info *bi)
{
    /* module list: path = first word of the -initrd element, string = the rest */
    for (uint32_t i = 0; i < mod_count; i++) {
        char *path = strings + i * (PATH_MAX + STRING_MAX), *str = path + PATH_MAX;
        const char *t = mod_text[i];
        uint32_t n = 0;
        while (t[n] && t[n] != ' ' && n < PATH_MAX - 1)
            n++;
        memcpy(path, t, n);
        path[n] = '\0';
        while (t[n] == ' ')
            n++;
        hy_strlcpy(str, t + n, STRING_MAX);
        list[i].addr = mods[i].start;
        list[i].size = mods[i].end - mods[i].start;
        list[i].path_addr = (uintptr_t)path;
        list[i].string_addr = (uintptr_t)str;
    }
    bi->modules_addr = mod_count ? (uintptr_t)list : 0;
    bi->module_count = mod_count;
    bi->module_entry_size = sizeof(struct boot_module);
    bi->smbios_addr = smbios2;
    bi->smbios3_addr = smbios3;
    if (edid_size) {
        bi->edid_addr = (uintptr_t)edid;
        bi->edid_size = edid_size;
    }
    int64_t now = rtc_read_unix();
    bi->boot_time = now > 0 ? now : 0;
    if (opt("efi=fake"))
        fake_efi(bi);
    if (opt("newer")) {
        /* a future loader: more fields after ours (the info page has room) */
        bi->version = BOOT_INFO_VERSION + 1;
        bi->size = BOOT_INFO_SIZE + 16;
        memset((uint8_t *)bi + BOOT_INFO_SIZE, 0xee, 16);
    }
}

void v2_corrupt(struct boot_info *bi)
{
    if (opt("corrupt=version")) {
        bi->version = 1;
        bi->size = BOOT_INFO_SIZE_V1;
    }
    if (opt("corrupt=size"))
        bi->size = BOOT_INFO_SIZE_V1;
    if (opt("corrupt=flags"))
        bi->flags |= 0x100;
    if (opt("corrupt=secureboot"))
        bi->flags |= BOOT_FLAG_SECURE_BOOT;
    if (mod_count && opt("corrupt=modalign"))
        list[0].addr += 16;
    if (mod_count && opt("corrupt=modrange")) {
        /* module 0's range is loader memory in the map copy */
        struct boot_mmap_entry *e = (struct boot_mmap_entry *)(uintptr_t)bi->mmap_addr;
        for (uint32_t i = 0; i < bi->mmap_count; i++)
            if (e[i].type == BOOT_MEM_MODULE && e[i].base <= list[0].addr &&
                list[0].addr < e[i].base + e[i].length)
                e[i].type = BOOT_MEM_LOADER;
    }
    if (mod_count && opt("corrupt=modpath"))
        memset((char *)(uintptr_t)list[0].path_addr, 'A', PATH_MAX + 8);
    if (mod_count && opt("corrupt=modhash"))
        ((volatile uint8_t *)(uintptr_t)list[0].addr)[list[0].size / 2] ^= 1;
    if (mod_count && opt("corrupt=modstray"))
        bi->module_count--; /* its range stays typed MODULE */
    if (opt("corrupt=modentry"))
        bi->module_entry_size = 24;
    if (opt("corrupt=hhdmoffset"))
        bi->hhdm_offset += 1ULL << 30;
    if (opt("corrupt=hhdmsize"))
        bi->hhdm_size = 1ULL << 30;
    if (opt("corrupt=hhdm1g"))
        bi->flags |= BOOT_FLAG_HHDM_1G;
    if (opt("corrupt=efi"))
        bi->efi_system_table = 0xf0000;
    if (opt("corrupt=efisig") && bi->efi_system_table)
        ((uint8_t *)(uintptr_t)bi->efi_system_table)[0] ^= 1;
    if (opt("corrupt=efimap") && efi_map_size >= 2 * EFI_DESC)
        efi_map[EFI_DESC + 8] |= 0x10; /* descriptor 1's start, no longer 4 KiB aligned */
    if (smbios2_copy) {
        if (smbios3)
            bi->smbios3_addr = smbios2_copy;
        else
            bi->smbios_addr = smbios2_copy;
    }
    if (opt("corrupt=nosmbios"))
        bi->smbios_addr = bi->smbios3_addr = 0;
    if (opt("corrupt=edid") && edid_size)
        edid[20] ^= 0x40;
    if (opt("corrupt=edidsize") && edid_size)
        bi->edid_size = 100;
    if (opt("corrupt=time"))
        bi->boot_time = 1000000000; /* 2001-09-09 */
    if (opt("corrupt=timeskew"))
        bi->boot_time -= 2 * 86400;
}
