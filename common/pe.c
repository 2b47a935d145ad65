/* PE/COFF image check for UEFI loaders (see pe.h). Offsets are those of
 * the Microsoft PE/COFF specification; every read is bounds-checked
 * against n before it happens. */
#include "pe.h"
#include "mem.h"

#define DOS_LFANEW    0x3c
#define COFF_SIZE     20       /* after the 4-byte signature */
#define COFF_EXEC     0x0002   /* IMAGE_FILE_EXECUTABLE_IMAGE */
#define OPT_ENTRY     16
#define OPT_IMAGESIZE 56
#define OPT_SUBSYSTEM 68
#define SECTION_SIZE  40
#define SEC_RAWSIZE   16
#define SEC_RAWPTR    20

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

const char *pe_removable_path(uint16_t machine)
{
    return machine == PE_MACHINE_X64 ? "/EFI/BOOT/BOOTX64.EFI"
         : machine == PE_MACHINE_I386 ? "/EFI/BOOT/BOOTIA32.EFI" : 0;
}

const char *pe_machine_name(uint16_t machine)
{
    return machine == PE_MACHINE_X64 ? "x86-64" : machine == PE_MACHINE_I386 ? "i386" : "unknown";
}

const char *pe_check(const uint8_t *d, size_t n, uint16_t machine, struct pe_info *info)
{
    if (n < 0x40 || d[0] != 'M' || d[1] != 'Z')
        return "not a PE/EFI executable (no \"MZ\" header)";
    uint64_t pe = get32(d + DOS_LFANEW);
    if (pe + 4 + COFF_SIZE > n || memcmp(d + pe, "PE\0\0", 4) != 0)
        return "not a PE/EFI executable (no PE signature)";
    const uint8_t *coff = d + pe + 4;
    uint16_t mach = get16(coff), nsec = get16(coff + 2), optsize = get16(coff + 16), chars = get16(coff + 18);
    if (mach != machine)
        return machine == PE_MACHINE_X64 ? "not an x86-64 EFI executable (BOOTX64.EFI must be x86-64)"
                                         : "not an i386 EFI executable (BOOTIA32.EFI must be i386)";
    if (!(chars & COFF_EXEC))
        return "not an executable image (COFF characteristics)";
    uint64_t opt = pe + 4 + COFF_SIZE;
    if (optsize < OPT_SUBSYSTEM + 2 || opt + optsize > n)
        return "optional header missing or cut short";
    uint16_t magic = get16(d + opt);
    uint16_t want = machine == PE_MACHINE_X64 ? PE_OPT_MAGIC_PE32PLUS : PE_OPT_MAGIC_PE32;
    if (magic != want)
        return want == PE_OPT_MAGIC_PE32PLUS ? "not PE32+ (optional header magic is not 0x20b)"
                                             : "not PE32 (optional header magic is not 0x10b)";
    uint16_t subsystem = get16(d + opt + OPT_SUBSYSTEM);
    if (subsystem != PE_SUBSYSTEM_EFI_APP)
        return "subsystem is not EFI application (10)";
    uint32_t entry = get32(d + opt + OPT_ENTRY), image_size = get32(d + opt + OPT_IMAGESIZE);
    if (entry == 0 || entry >= image_size)
        return "no entry point inside the image";
    if (nsec == 0 || nsec > PE_MAX_SECTIONS)
        return "bad section count";
    uint64_t table = opt + optsize;
    if (table + (uint64_t)nsec * SECTION_SIZE > n)
        return "section table beyond the end of the file";
    for (uint16_t i = 0; i < nsec; i++) {
        const uint8_t *s = d + table + (uint64_t)i * SECTION_SIZE;
        uint64_t raw = get32(s + SEC_RAWSIZE), ptr = get32(s + SEC_RAWPTR);
        if (raw && ptr + raw > n)
            return "a section's data lies beyond the end of the file (truncated?)";
    }
    if (info) {
        info->machine = mach;
        info->magic = magic;
        info->subsystem = subsystem;
        info->sections = nsec;
        info->entry = entry;
        info->image_size = image_size;
    }
    return 0;
}

/* ---- Authenticode (pe.h) ------------------------------------------------ */
#include "sha256.h"

#define OPT_CHECKSUM   64
#define OPT_HDRSIZE    60
/* Where the data directories start and their count field, per magic. */
#define OPT32_NDIRS    92
#define OPT64_NDIRS    108

const char *pe_sig_layout(const uint8_t *d, size_t n, struct pe_sig_layout *l)
{
    memset(l, 0, sizeof *l);
    if (n < 0x40)
        return "not a PE image";
    uint64_t pe = get32(d + DOS_LFANEW);
    if (pe + 4 + COFF_SIZE + 2 > n)
        return "not a PE image";
    uint64_t opt = pe + 4 + COFF_SIZE;
    uint16_t optsize = get16(d + pe + 4 + 16);
    uint16_t magic = get16(d + opt);
    uint64_t ndirs_at = magic == PE_OPT_MAGIC_PE32PLUS ? OPT64_NDIRS : OPT32_NDIRS;
    if (opt + optsize > n || ndirs_at + 4 > optsize)
        return "optional header cut short";
    uint32_t ndirs = get32(d + opt + ndirs_at);
    uint64_t dir = opt + ndirs_at + 4 + (uint64_t)PE_DIR_SECURITY * 8;
    if (ndirs <= PE_DIR_SECURITY || dir + 8 > opt + optsize)
        return "no certificate table entry in the optional header";
    uint32_t hdrs = get32(d + opt + OPT_HDRSIZE);
    if (hdrs > n || hdrs < dir + 8)
        return "SizeOfHeaders outside the file";
    uint16_t nsec = get16(d + pe + 4 + 2);
    if (nsec > PE_MAX_SECTIONS || opt + optsize + (uint64_t)nsec * SECTION_SIZE > n)
        return "section table beyond the end of the file";
    l->sections_off = (uint32_t)(opt + optsize);
    l->nsections = nsec;
    l->checksum_off = (uint32_t)(opt + OPT_CHECKSUM);
    l->certdir_off = (uint32_t)dir;
    l->headers_size = hdrs;
    uint32_t off = get32(d + dir), size = get32(d + dir + 4);
    l->hashed_end = n;
    if (off || size) {
        /* Firmware hashes everything up to the table and nothing after
         * it, so it must be the file's tail. */
        if (off < hdrs || (uint64_t)off + size != n)
            return "the certificate table is not at the end of the file";
        l->cert_off = off;
        l->cert_size = size;
        l->hashed_end = off;
    }
    return 0;
}

const char *pe_authenticode_sha256(const uint8_t *d, size_t n, uint8_t out[32])
{
    struct pe_sig_layout l;
    const char *why = pe_sig_layout(d, n, &l);
    if (why)
        return why;
    uint16_t nsec = l.nsections;
    uint64_t table = l.sections_off;
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, d, l.checksum_off);
    sha256_update(&c, d + l.checksum_off + 4, l.certdir_off - (l.checksum_off + 4));
    sha256_update(&c, d + l.certdir_off + 8, l.headers_size - (l.certdir_off + 8));
    /* Sections in the order of their file offsets (insertion sort: at
     * most 96), each once. */
    uint16_t order[PE_MAX_SECTIONS];
    uint16_t k = 0;
    for (uint16_t i = 0; i < nsec; i++) {
        const uint8_t *s = d + table + (uint64_t)i * SECTION_SIZE;
        if (!get32(s + SEC_RAWSIZE))
            continue;
        uint32_t ptr = get32(s + SEC_RAWPTR);
        uint16_t j = k++;
        while (j && get32(d + table + (uint64_t)order[j - 1] * SECTION_SIZE + SEC_RAWPTR) > ptr) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    uint64_t hashed = l.headers_size;
    for (uint16_t j = 0; j < k; j++) {
        const uint8_t *s = d + table + (uint64_t)order[j] * SECTION_SIZE;
        uint64_t raw = get32(s + SEC_RAWSIZE), ptr = get32(s + SEC_RAWPTR);
        if (ptr + raw > l.hashed_end)
            return "a section's data lies beyond the signed part of the file";
        sha256_update(&c, d + ptr, (size_t)raw);
        hashed += raw;
    }
    /* The rest, counted as firmware counts it: from the sum of the bytes
     * hashed so far, not from the last section's end. */
    if (hashed < l.hashed_end)
        sha256_update(&c, d + hashed, (size_t)(l.hashed_end - hashed));
    else if (hashed > l.hashed_end)
        return "sections overlap the headers or each other";
    sha256_final(&c, out);
    return 0;
}

const uint8_t *pe_signature(const uint8_t *d, size_t n, size_t *len)
{
    struct pe_sig_layout l;
    *len = 0;
    if (pe_sig_layout(d, n, &l) || l.cert_size < 8)
        return 0;
    const uint8_t *w = d + l.cert_off;
    uint32_t wlen = get32(w);
    if (wlen < 8 || wlen > l.cert_size || get16(w + 4) != PE_WIN_CERT_REVISION || get16(w + 6) != PE_WIN_CERT_PKCS7)
        return 0;
    *len = wlen - 8;
    return w + 8;
}

uint32_t pe_checksum(const uint8_t *d, size_t n, uint32_t checksum_off)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i += 2) {
        uint32_t w = i + 1 < n ? get16(d + i) : d[i];
        if (i + 1 >= checksum_off && i < (size_t)checksum_off + 4)
            w = 0;          /* the field itself (only ever at an even offset in real images) */
        sum += w;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint32_t)sum + (uint32_t)n;
}
