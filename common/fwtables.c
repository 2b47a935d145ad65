/* Firmware structure checks (see fwtables.h). Layouts from the SMBIOS
 * 3.x, VESA E-EDID 1.4 and UEFI 2.x specifications; all fields are read
 * byte by byte, so nothing here cares about alignment. */
#include "fwtables.h"

const uint8_t fw_guid_smbios[16] = { 0x31, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
                                     0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
const uint8_t fw_guid_smbios3[16] = { 0x44, 0x15, 0xfd, 0xf2, 0x94, 0x97, 0x2c, 0x4a,
                                      0x99, 0x2e, 0xe5, 0xbb, 0xcf, 0x20, 0xe3, 0x94 };
const uint8_t fw_guid_acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
                                     0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
const uint8_t fw_guid_acpi10[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
                                     0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };

#include "crc32.h"
#include "fmt.h"
#include "mem.h"

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static int bad(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- ACPI ---------------------------------------------------------------- */

int rsdp_valid(const volatile uint8_t *p)
{
    static const char sig[8] = "RSD PTR ";
    uint8_t s = 0;
    for (int i = 0; i < 8; i++)
        if (p[i] != (uint8_t)sig[i])
            return 0;
    for (int i = 0; i < 20; i++)
        s = (uint8_t)(s + p[i]);
    if (s)
        return 0;
    if (p[15] >= 2) {                /* revision: ACPI 2.0+ has 36+ bytes and a second sum */
        uint32_t len = p[20] | p[21] << 8 | p[22] << 16 | (uint32_t)p[23] << 24;
        if (len < 36 || len > 4096)
            return 0;
        for (uint32_t i = 0; i < len; i++)
            s = (uint8_t)(s + p[i]);
        if (s)
            return 0;
    }
    return 1;
}

/* ---- SMBIOS -------------------------------------------------------------- */

int fw_smbios2_check(const uint8_t *ep, struct smbios_ep *out, char *why, size_t n)
{
    if (memcmp(ep, "_SM_", 4) != 0)
        return bad(why, n, "no \"_SM_\" anchor");
    uint8_t len = ep[5];
    /* the fixed 2.1 layout ends at 0x1F; a longer one is a later spec we
     * still read the same way, but not one 8 times as long */
    if (len < SMBIOS2_EP_MIN || len > 0x40)
        return bad(why, n, "\"_SM_\" length 0x%x out of range", len);
    if (sum8(ep, len) != 0)
        return bad(why, n, "\"_SM_\" checksum over 0x%x bytes is not 0", len);
    if (memcmp(ep + 0x10, "_DMI_", 5) != 0)
        return bad(why, n, "no \"_DMI_\" intermediate anchor");
    if (sum8(ep + 0x10, 15) != 0)
        return bad(why, n, "\"_DMI_\" intermediate checksum is not 0");
    struct smbios_ep e = { ep[6], ep[7], len, le32(ep + 0x18), le16(ep + 0x16) };
    if (e.major < 2)
        return bad(why, n, "\"_SM_\" version %u.%u", e.major, e.minor);
    if (e.table_addr == 0 || e.table_len < 4)
        return bad(why, n, "\"_SM_\" structure table 0x%llx, %u bytes", (unsigned long long)e.table_addr,
                   e.table_len);
    if (out)
        *out = e;
    return 0;
}

int fw_smbios3_check(const uint8_t *ep, struct smbios_ep *out, char *why, size_t n)
{
    if (memcmp(ep, "_SM3_", 5) != 0)
        return bad(why, n, "no \"_SM3_\" anchor");
    uint8_t len = ep[6];
    if (len < SMBIOS3_EP_MIN || len > 0x40)
        return bad(why, n, "\"_SM3_\" length 0x%x out of range", len);
    if (sum8(ep, len) != 0)
        return bad(why, n, "\"_SM3_\" checksum over 0x%x bytes is not 0", len);
    struct smbios_ep e = { ep[7], ep[8], len, le64(ep + 0x10), le32(ep + 0x0c) };
    if (e.major < 3)
        return bad(why, n, "\"_SM3_\" version %u.%u", e.major, e.minor);
    if (e.table_addr == 0 || e.table_len < 4)
        return bad(why, n, "\"_SM3_\" structure table 0x%llx, maximum %u bytes",
                   (unsigned long long)e.table_addr, e.table_len);
    if (out)
        *out = e;
    return 0;
}

void fw_smbios_scan(const uint8_t *mem, size_t len, uint64_t base, uint64_t *ep2, uint64_t *ep3)
{
    char why[8];
    *ep2 = *ep3 = 0;
    /* 0x40 bytes is the most either check reads */
    for (size_t off = 0; off + 0x40 <= len; off += 16) {
        if (!*ep2 && mem[off + 3] == '_' && fw_smbios2_check(mem + off, 0, why, sizeof why) == 0)
            *ep2 = base + off;
        if (!*ep3 && mem[off + 4] == '_' && fw_smbios3_check(mem + off, 0, why, sizeof why) == 0)
            *ep3 = base + off;
    }
}

/* ---- EDID ---------------------------------------------------------------- */

static const uint8_t edid_header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };

int fw_edid_check(const uint8_t *edid, uint32_t size, struct edid_info *out, char *why, size_t n)
{
    if (size == 0 || size % 128)
        return bad(why, n, "EDID size %u is not a positive multiple of 128", size);
    if (memcmp(edid, edid_header, 8) != 0)
        return bad(why, n, "EDID header is not 00 ff ff ff ff ff ff 00");
    for (uint32_t b = 0; b < size / 128; b++)
        if (sum8(edid + 128 * b, 128) != 0)
            return bad(why, n, "EDID block %u checksum is not 0", b);
    struct edid_info e = { edid[126], 0, 0 };
    if (size != 128 * (1 + e.extensions))
        return bad(why, n, "EDID size %u but block 0 announces %u extension blocks", size, e.extensions);
    /* the first 18-byte descriptor is the preferred timing when its pixel
     * clock is non-zero (E-EDID 1.4: always; 1.3: when byte 24 bit 1 says so) */
    const uint8_t *d = edid + 54;
    if (le16(d) != 0) {
        e.pref_width = d[2] | (uint32_t)(d[4] >> 4) << 8;
        e.pref_height = d[5] | (uint32_t)(d[7] >> 4) << 8;
    }
    if (out)
        *out = e;
    return 0;
}

/* ---- EFI ----------------------------------------------------------------- */

int fw_efi_header_check(const uint8_t *hdr, uint64_t signature, uint32_t min_size, char *why, size_t n)
{
    uint64_t sig = le64(hdr);
    if (sig != signature)
        return bad(why, n, "signature 0x%llx, want 0x%llx", (unsigned long long)sig,
                   (unsigned long long)signature);
    uint32_t rev = le32(hdr + 8), hsize = le32(hdr + 12), crc = le32(hdr + 16);
    if (rev >> 16 < 1)
        return bad(why, n, "revision 0x%x", rev);
    if (hsize < min_size || hsize > 4096)
        return bad(why, n, "header size %u, want %u..4096", hsize, min_size);
    /* the CRC covers HeaderSize bytes with the CRC field taken as 0 */
    static const uint8_t zero[4];
    uint32_t c = crc32_update(0, hdr, 16);
    c = crc32_update(c, zero, 4);
    c = crc32_update(c, hdr + 20, hsize - 20);
    if (c != crc)
        return bad(why, n, "CRC32 0x%08x, computed 0x%08x", crc, c);
    return 0;
}

#define EFI_DESC_MIN 40

static int efi_type_known(uint32_t t)
{
    return t < 16 || t >= 0x70000000u;
}

int fw_efi_mmap_check(const uint8_t *map, uint64_t size, uint32_t desc_size, uint32_t version,
                      struct efi_mmap_info *out, char *why, size_t n)
{
    if (version != 1)
        return bad(why, n, "descriptor version %u, want 1", version);
    if (desc_size < EFI_DESC_MIN || desc_size % 8 || desc_size > 4096)
        return bad(why, n, "descriptor size %u (want >= %u, a multiple of 8)", desc_size, EFI_DESC_MIN);
    if (size == 0 || size % desc_size || size / desc_size > 65536)
        return bad(why, n, "map size %llu is not 1..65536 descriptors of %u bytes", (unsigned long long)size,
                   desc_size);
    struct efi_mmap_info info = { (uint32_t)(size / desc_size), 0, 0 };
    for (uint32_t i = 0; i < info.count; i++) {
        const uint8_t *d = map + (uint64_t)i * desc_size;
        uint32_t type = le32(d);
        uint64_t start = le64(d + 8), pages = le64(d + 24), attr = le64(d + 32);
        if (!efi_type_known(type))
            return bad(why, n, "descriptor %u: type %u unknown", i, type);
        if (start % 4096)
            return bad(why, n, "descriptor %u: start 0x%llx not 4 KiB aligned", i, (unsigned long long)start);
        if (pages == 0 || pages > (~start >> 12))
            return bad(why, n, "descriptor %u: %llu pages at 0x%llx", i, (unsigned long long)pages,
                       (unsigned long long)start);
        info.runtime += (attr & FW_EFI_MEMORY_RUNTIME) != 0;
        info.pages += pages;
        /* firmware need not sort the map: compare with every earlier one */
        for (uint32_t j = 0; j < i; j++) {
            const uint8_t *o = map + (uint64_t)j * desc_size;
            uint64_t os = le64(o + 8), oe = os + le64(o + 24) * 4096;
            if (start < oe && os < start + pages * 4096)
                return bad(why, n, "descriptors %u and %u overlap at 0x%llx", j, i,
                           (unsigned long long)(start > os ? start : os));
        }
    }
    if (out)
        *out = info;
    return 0;
}

int fw_efi_mmap_find(const uint8_t *map, uint64_t size, uint32_t desc_size, uint64_t addr, uint32_t *type,
                     uint64_t *attr)
{
    for (uint64_t off = 0; off + desc_size <= size; off += desc_size) {
        const uint8_t *d = map + off;
        uint64_t start = le64(d + 8), pages = le64(d + 24);
        if (addr >= start && addr - start < pages * 4096) {
            *type = le32(d);
            *attr = le64(d + 32);
            return 0;
        }
    }
    return -1;
}
