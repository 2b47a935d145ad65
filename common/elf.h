/* ELF64 on-disk structures and the kernel placement plan shared by both
 * loaders (which load it) and mkimage (which refuses a kernel the loaders
 * would refuse). */
#ifndef HYBOOT_ELF_H
#define HYBOOT_ELF_H

#include <stdint.h>

struct elf64_ehdr {
    uint8_t  e_ident[16];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "elf64_ehdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "elf64_phdr");

#define ELF_CLASS64   2
#define ELF_DATA2LSB  1
#define ELF_ET_EXEC   2
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD   1
#define ELF_PF_X      1
#define ELF_PF_W      2
#define ELF_PF_R      4

/* The kernel must live in the higher half, above the identity map. */
#define ELF_KERNEL_MIN_VADDR 0xffff800000000000ULL
/* Largest loadable span a loader accepts (bytes of virtual space). */
#define ELF_MAX_SPAN   (1ULL << 30)
#define ELF_MAX_SEGS   16
/* The span is placed and mapped in 2 MiB units. */
#define ELF_SPAN_ALIGN (2ULL << 20)

struct elf_seg {
    uint64_t vaddr, memsz;
    uint64_t offset, filesz;
    uint32_t flags;            /* ELF_PF_* */
};

struct elf_plan {
    uint64_t entry;
    uint64_t vbase;            /* lowest vaddr, rounded down to ELF_SPAN_ALIGN */
    uint64_t span;             /* bytes from vbase to the end of the highest segment, rounded up to ELF_SPAN_ALIGN */
    uint32_t nseg;
    struct elf_seg seg[ELF_MAX_SEGS];
};

/* Checks that file (size bytes) is an ELF64 x86-64 executable with sane,
 * non-overlapping PT_LOAD segments inside the file and inside the higher
 * half, and an entry point inside an executable segment; fills plan.
 * Returns NULL, or a short static reason ("not an ELF file",
 * "not a 64-bit ELF", "segments overlap", ...). */
const char *elf_plan(const void *file, uint64_t size, struct elf_plan *plan);

/* Copies every segment of a planned file into dest, which is plan->span
 * bytes that will be mapped at plan->vbase, and zeroes bss and the gaps
 * between segments. Bytes after the last segment are not touched. */
void elf_place(const struct elf_plan *plan, const void *file, void *dest);

#endif
