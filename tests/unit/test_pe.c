/* common/pe.c, the check mkimage applies to --efi and --inspect to an
 * installed loader: a minimal valid image, then one field broken at a
 * time; every read must stay inside the buffer (ASan) however the header
 * lies. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pe.h"

static uint8_t img[1024];

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }

#define PE  0x80
#define OPT (PE + 24)
#define SEC (OPT + 240)

static void good(uint16_t machine, uint16_t magic)
{
    memset(img, 0, sizeof img);
    img[0] = 'M';
    img[1] = 'Z';
    put32(img + 0x3c, PE);
    memcpy(img + PE, "PE\0\0", 4);
    put16(img + PE + 4, machine);
    put16(img + PE + 6, 1);             /* one section */
    put16(img + PE + 20, 240);          /* optional header size */
    put16(img + PE + 22, 0x22);         /* executable */
    put16(img + OPT, magic);
    put32(img + OPT + 16, 0x200);       /* entry */
    put32(img + OPT + 56, 0x1000);      /* size of image */
    put16(img + OPT + 68, PE_SUBSYSTEM_EFI_APP);
    memcpy(img + SEC, ".text", 5);
    put32(img + SEC + 16, 0x200);       /* raw size */
    put32(img + SEC + 20, 0x200);       /* raw pointer */
}

static const char *check(size_t n) { return pe_check(img, n, PE_MACHINE_X64, NULL); }

int main(void)
{
    struct pe_info info;
    good(PE_MACHINE_X64, PE_OPT_MAGIC_PE32PLUS);
    CHECK(pe_check(img, sizeof img, PE_MACHINE_X64, &info) == NULL && info.subsystem == 10 && info.entry == 0x200 &&
          info.sections == 1, "pe: minimal x86-64 EFI application accepted");
    CHECK(pe_check(img, sizeof img, PE_MACHINE_I386, NULL) != NULL, "pe: x86-64 image refused for i386 firmware");
    good(PE_MACHINE_I386, PE_OPT_MAGIC_PE32);
    CHECK(pe_check(img, sizeof img, PE_MACHINE_I386, NULL) == NULL, "pe: i386 PE32 accepted for i386 firmware");
    good(PE_MACHINE_I386, PE_OPT_MAGIC_PE32PLUS);
    CHECK(pe_check(img, sizeof img, PE_MACHINE_I386, NULL) != NULL, "pe: i386 with a PE32+ header refused");

    /* One field broken at a time: offset, width, value, a word of the reason. */
    static const struct { unsigned off, width; uint32_t val; const char *why, *name; } bad[] = {
        { 0, 1, 'X', "MZ", "pe: no MZ refused" },
        { 0x3c, 4, 0xfffffff0, "PE signature", "pe: e_lfanew beyond the file refused" },
        { OPT + 68, 2, 11, "subsystem", "pe: subsystem 11 (boot service driver) refused" },
        { OPT, 2, PE_OPT_MAGIC_PE32, "PE32+", "pe: PE32 header on x86-64 refused" },
        { PE + 22, 2, 0x20, "executable", "pe: not marked executable refused" },
        { OPT + 16, 4, 0, "entry point", "pe: no entry point refused" },
        { OPT + 16, 4, 0x1000, "entry point", "pe: entry point outside the image refused" },
        { PE + 6, 2, 0, "section count", "pe: no sections refused" },
        { PE + 6, 2, 60, "section table", "pe: section table beyond the file refused" },
        { SEC + 20, 4, 0x3f0, "truncated", "pe: section data beyond the file refused" },
        { PE + 20, 2, 0xffff, "optional header", "pe: optional header beyond the file refused" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        good(PE_MACHINE_X64, PE_OPT_MAGIC_PE32PLUS);
        if (bad[i].width == 1)
            img[bad[i].off] = (uint8_t)bad[i].val;
        else if (bad[i].width == 2)
            put16(img + bad[i].off, (uint16_t)bad[i].val);
        else
            put32(img + bad[i].off, bad[i].val);
        const char *why = check(sizeof img);
        CHECK(why && strstr(why, bad[i].why), bad[i].name);
    }

    /* Every prefix of a valid image is refused, with no read past it. */
    good(PE_MACHINE_X64, PE_OPT_MAGIC_PE32PLUS);
    int all = 1;
    for (size_t n = 0; n < 0x400; n++) {
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, img, n);
        all &= pe_check(copy, n, PE_MACHINE_X64, NULL) != NULL;
        free(copy);
    }
    CHECK(all, "pe: every truncation refused, reads stay inside (ASan)");
    CHECK(!strcmp(pe_removable_path(PE_MACHINE_X64), "/EFI/BOOT/BOOTX64.EFI") &&
          !strcmp(pe_removable_path(PE_MACHINE_I386), "/EFI/BOOT/BOOTIA32.EFI") && !pe_removable_path(0x1234),
          "pe: removable-media paths");
    return check_exit();
}
