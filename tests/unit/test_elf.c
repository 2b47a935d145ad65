/* elf_plan/elf_place on hand-made ELF images: the good case and each
 * refusal a loader must make. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "elf.h"

#define KBASE 0xffffffff80000000ULL

struct img { struct elf64_ehdr eh; struct elf64_phdr ph[3]; uint8_t data[8192]; };

static void make(struct img *m)
{
    memset(m, 0, sizeof *m);
    memcpy(m->eh.e_ident, "\x7f" "ELF", 4);
    m->eh.e_ident[4] = ELF_CLASS64;
    m->eh.e_ident[5] = ELF_DATA2LSB;
    m->eh.e_ident[6] = 1;
    m->eh.e_type = ELF_ET_EXEC;
    m->eh.e_machine = ELF_EM_X86_64;
    m->eh.e_version = 1;
    m->eh.e_entry = KBASE + 0x1010;
    m->eh.e_phoff = offsetof(struct img, ph);
    m->eh.e_ehsize = sizeof m->eh;
    m->eh.e_phentsize = sizeof(struct elf64_phdr);
    m->eh.e_phnum = 2;
    /* text: 4 KiB of file at KBASE+0x1000; data+bss: 4 KiB file, 12 KiB memory */
    m->ph[0] = (struct elf64_phdr){ ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, offsetof(struct img, data), KBASE + 0x1000, 0, 4096, 4096, 4096 };
    m->ph[1] = (struct elf64_phdr){ ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, offsetof(struct img, data) + 4096, KBASE + 0x2000, 0, 4096, 12288, 4096 };
    memset(m->data, 0xaa, 4096);
    memset(m->data + 4096, 0xbb, 4096);
}

static int refuses(struct img *m, uint64_t size, const char *want)
{
    struct elf_plan p;
    const char *why = elf_plan(m, size, &p);
    if (!why || strcmp(why, want)) { printf("  got: %s\n", why ? why : "(accepted)"); return 0; }
    return 1;
}

int main(void)
{
    static struct img m;
    struct elf_plan p;

    make(&m);
    CHECK(elf_plan(&m, sizeof m, &p) == NULL, "elf: valid kernel accepted");
    CHECK(p.nseg == 2 && p.entry == KBASE + 0x1010, "elf: segments and entry");
    CHECK(p.vbase == KBASE && p.span == ELF_SPAN_ALIGN, "elf: span rounded to 2 MiB");

    uint8_t *dest = malloc(p.span);
    memset(dest, 0x55, p.span);
    elf_place(&p, &m, dest);
    CHECK(dest[0] == 0 && dest[0xfff] == 0, "elf: gap before first segment zeroed");
    CHECK(dest[0x1000] == 0xaa && dest[0x1fff] == 0xaa, "elf: text copied");
    CHECK(dest[0x2000] == 0xbb && dest[0x2fff] == 0xbb, "elf: data copied");
    CHECK(dest[0x3000] == 0 && dest[0x4fff] == 0, "elf: bss zeroed");
    CHECK(dest[0x5000] == 0x55 && dest[p.span - 1] == 0x55, "elf: slack after the last segment untouched");
    free(dest);

    /* program headers out of address order: same placement */
    make(&m);
    struct elf64_phdr t = m.ph[0]; m.ph[0] = m.ph[1]; m.ph[1] = t;
    CHECK(elf_plan(&m, sizeof m, &p) == NULL, "elf: unsorted program headers accepted");
    dest = malloc(p.span);
    memset(dest, 0x55, p.span);
    elf_place(&p, &m, dest);
    CHECK(dest[0] == 0 && dest[0x1000] == 0xaa && dest[0x2000] == 0xbb && dest[0x3000] == 0,
          "elf: unsorted segments placed and gaps zeroed");
    size_t stale = 0;
    for (size_t i = 0; i < 0x5000; i++) stale += dest[i] == 0x55;
    CHECK(stale == 0, "elf: every byte up to the last segment's end written");
    free(dest);

    make(&m); m.eh.e_ident[1] = 'X';
    CHECK(refuses(&m, sizeof m, "not an ELF file"), "elf: bad magic refused");
    make(&m); m.eh.e_ident[4] = 1;
    CHECK(refuses(&m, sizeof m, "not a 64-bit ELF"), "elf: 32-bit refused");
    make(&m); m.eh.e_machine = 3;
    CHECK(refuses(&m, sizeof m, "not an x86-64 ELF"), "elf: wrong machine refused");
    make(&m); m.eh.e_type = 3;
    CHECK(refuses(&m, sizeof m, "not an executable (ET_EXEC)"), "elf: ET_DYN refused");
    make(&m); m.ph[1].p_vaddr = KBASE + 0x1800;
    CHECK(refuses(&m, sizeof m, "segments overlap"), "elf: overlapping segments refused");
    make(&m); m.ph[1].p_filesz = 1 << 20; m.ph[1].p_memsz = 1 << 20;
    CHECK(refuses(&m, sizeof m, "segment data outside the file"), "elf: segment beyond EOF refused");
    make(&m); m.ph[1].p_filesz = 16384;
    CHECK(refuses(&m, sizeof m, "segment file size exceeds memory size"), "elf: filesz > memsz refused");
    make(&m); m.ph[0].p_vaddr = 0x100000; m.eh.e_entry = 0x100010;
    CHECK(refuses(&m, sizeof m, "segment below the higher half"), "elf: low kernel refused");
    make(&m); m.eh.e_entry = KBASE + 0x2010;
    CHECK(refuses(&m, sizeof m, "entry point not in an executable segment"), "elf: entry in data refused");
    make(&m); m.ph[1].p_memsz = 3ULL << 29;
    CHECK(refuses(&m, sizeof m, "loadable span larger than 1 GiB"), "elf: huge span refused");
    make(&m); m.eh.e_phoff = sizeof m;
    CHECK(refuses(&m, sizeof m, "program headers outside the file"), "elf: phdrs beyond EOF refused");
    make(&m);
    CHECK(refuses(&m, 20, "not an ELF file"), "elf: truncated file refused");
    make(&m); m.ph[0].p_type = 4; m.ph[1].p_type = 4;
    CHECK(refuses(&m, sizeof m, "no loadable segments"), "elf: no PT_LOAD refused");
    return check_exit();
}
