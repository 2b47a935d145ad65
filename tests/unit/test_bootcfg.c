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
    return check_exit();
}
