#include <string.h>
#include "check.h"
#include "bootcfg.h"

static int parse(struct boot_cfg *c, const char *s, const char **why)
{
    bootcfg_defaults(c);
    *why = NULL;
    return bootcfg_parse(c, s, strlen(s), why);
}

int main(void)
{
    struct boot_cfg c;
    const char *why;
    const char *hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    char text[2048];

    CHECK(parse(&c, "", &why) == 0 && !strcmp(c.kernel, "/boot/kernel.elf") && !c.cmdline[0] && !c.has_sha256,
          "bootcfg: empty file gives defaults");

    snprintf(text, sizeof text,
             "# hyboot\r\n\n  kernel = /boot/k2.elf  \ncmdline=test  console=ttyS0 a=b\nresolution=800x600\nkernel_sha256=%s\nfuture_key=1\n",
             hash);
    CHECK(parse(&c, text, &why) == 0, "bootcfg: full file parses");
    CHECK(!strcmp(c.kernel, "/boot/k2.elf"), "bootcfg: kernel trimmed");
    CHECK(!strcmp(c.cmdline, "test  console=ttyS0 a=b"), "bootcfg: cmdline keeps inner '=' and spaces");
    CHECK(c.res_width == 800 && c.res_height == 600, "bootcfg: resolution");
    CHECK(c.has_sha256 && c.kernel_sha256[0] == 0xba && c.kernel_sha256[31] == 0xad, "bootcfg: sha256");

    CHECK(parse(&c, "cmdline=x\nnonsense\n", &why) == 2 && why, "bootcfg: missing '=' reported with line number");
    CHECK(parse(&c, "resolution=800\n", &why) == 1, "bootcfg: bad resolution refused");
    CHECK(parse(&c, "resolution=0x600\n", &why) == 1, "bootcfg: zero width refused");
    CHECK(parse(&c, "kernel_sha256=abc\n", &why) == 1, "bootcfg: short hash refused");
    CHECK(parse(&c, "kernel=boot/k.elf\n", &why) == 1, "bootcfg: relative kernel path refused");
    memset(text, 'a', sizeof text);
    memcpy(text, "cmdline=", 8);
    bootcfg_defaults(&c);
    CHECK(bootcfg_parse(&c, text, BOOTCFG_CMDLINE_MAX + 8, &why) == 1, "bootcfg: overlong cmdline refused");
    CHECK(parse(&c, "cmdline=last", &why) == 0 && !strcmp(c.cmdline, "last"), "bootcfg: no final newline");

    /* BOM, CRLF, trailing spaces */
    CHECK(parse(&c, "\xef\xbb\xbfkernel=/boot/b.elf \r\ncmdline=x  \r\n", &why) == 0 &&
              !strcmp(c.kernel, "/boot/b.elf") && !strcmp(c.cmdline, "x"),
          "bootcfg: UTF-8 BOM, CRLF and trailing spaces");
    CHECK(parse(&c, "cmdline=a\x1b[2Jb\n", &why) == 1 && !strcmp(why, "control character"),
          "bootcfg: escape byte refused");
    CHECK(bootcfg_parse(&c, "cmdline=a\0b\n", 12, &why) == 1 && !strcmp(why, "NUL byte"),
          "bootcfg: NUL refused, not a silent cut");

    /* modules */
    snprintf(text, sizeof text,
             "module=/boot/initrd.img\nmodule_string=initrd root=/dev/ram0\nmodule_sha256=%s\n"
             "module = /boot/font.psf\nmodule=/boot/syms\nmodule_string=symbols\n", hash);
    CHECK(parse(&c, text, &why) == 0 && c.module_count == 3, "bootcfg: three modules");
    CHECK(!strcmp(c.modules[0].path, "/boot/initrd.img") && !strcmp(c.modules[0].string, "initrd root=/dev/ram0") &&
              c.modules[0].has_sha256 && c.modules[0].sha256[0] == 0xba,
          "bootcfg: module path, string and hash");
    CHECK(!strcmp(c.modules[1].path, "/boot/font.psf") && !c.modules[1].string[0] && !c.modules[1].has_sha256,
          "bootcfg: module without string or hash");
    CHECK(!strcmp(c.modules[2].string, "symbols"), "bootcfg: string belongs to the module above it");
    CHECK(parse(&c, "module_string=x\n", &why) == 1, "bootcfg: module_string before module= refused");
    CHECK(parse(&c, "module_sha256=00\n", &why) == 1, "bootcfg: module_sha256 before module= refused");
    CHECK(parse(&c, "module=boot/x\n", &why) == 1, "bootcfg: relative module path refused");
    snprintf(text, sizeof text, "module=/a\nmodule_sha256=%s\nmodule_sha256=%s\n", hash, hash);
    CHECK(parse(&c, text, &why) == 3, "bootcfg: second hash for one module refused");
    {
        static char many[BOOTCFG_MODULES_MAX * 16 + 64];
        size_t n = 0;
        for (int i = 0; i <= BOOTCFG_MODULES_MAX; i++)
            n += (size_t)snprintf(many + n, sizeof many - n, "module=/m%d\n", i);
        bootcfg_defaults(&c);
        CHECK(bootcfg_parse(&c, many, n, &why) == BOOTCFG_MODULES_MAX + 1 && c.module_count == BOOTCFG_MODULES_MAX,
              "bootcfg: 128 modules taken, the 129th refused");
    }
    CHECK(parse(&c, "verbose=1\n", &why) == 0 && c.verbose == 1 && parse(&c, "verbose=0\n", &why) == 0 && !c.verbose,
          "bootcfg: verbose");
    uint32_t w = 0, h = 0;
    CHECK(bootcfg_parse_resolution("1920x1080", 9, &w, &h) == 0 && w == 1920 && h == 1080 &&
              bootcfg_parse_resolution(" 1920x1080", 10, &w, &h) < 0,
          "bootcfg: resolution parser shared with mkimage");
    return check_exit();
}
