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
