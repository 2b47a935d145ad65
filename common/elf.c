#include "elf.h"
#include "mem.h"

#define PAGE 4096ULL

static uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

const char *elf_plan(const void *file, uint64_t size, struct elf_plan *plan)
{
    const struct elf64_ehdr *eh = file;
    const uint8_t *id = file;

    if (size < sizeof *eh || id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return "not an ELF file";
    if (id[4] != ELF_CLASS64)
        return "not a 64-bit ELF";
    if (id[5] != ELF_DATA2LSB)
        return "not little-endian";
    if (eh->e_machine != ELF_EM_X86_64)
        return "not an x86-64 ELF";
    if (eh->e_type != ELF_ET_EXEC)
        return "not an executable (ET_EXEC)";
    if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0)
        return "no program headers";
    if (eh->e_phoff > size || (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr) > size - eh->e_phoff)
        return "program headers outside the file";

    memset(plan, 0, sizeof *plan);
    const struct elf64_phdr *ph = (const void *)((const uint8_t *)file + eh->e_phoff);
    uint64_t lo = ~0ULL, hi = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        struct elf64_phdr p;
        memcpy(&p, &ph[i], sizeof p);   /* the file buffer need not be aligned */
        if (p.p_type != ELF_PT_LOAD || p.p_memsz == 0)
            continue;
        if (plan->nseg == ELF_MAX_SEGS)
            return "too many loadable segments";
        if (p.p_filesz > p.p_memsz)
            return "segment file size exceeds memory size";
        if (p.p_offset > size || p.p_filesz > size - p.p_offset)
            return "segment data outside the file";
        if (p.p_vaddr < ELF_KERNEL_MIN_VADDR)
            return "segment below the higher half";
        if (p.p_vaddr + p.p_memsz < p.p_vaddr)
            return "segment wraps around";
        for (unsigned j = 0; j < plan->nseg; j++) {
            const struct elf_seg *s = &plan->seg[j];
            if (p.p_vaddr < s->vaddr + s->memsz && s->vaddr < p.p_vaddr + p.p_memsz)
                return "segments overlap";
        }
        struct elf_seg *s = &plan->seg[plan->nseg++];
        s->vaddr = p.p_vaddr;
        s->memsz = p.p_memsz;
        s->offset = p.p_offset;
        s->filesz = p.p_filesz;
        s->flags = p.p_flags;
        if (p.p_vaddr < lo) lo = p.p_vaddr;
        if (p.p_vaddr + p.p_memsz > hi) hi = p.p_vaddr + p.p_memsz;
    }
    if (plan->nseg == 0)
        return "no loadable segments";

    plan->vbase = align_down(lo, ELF_SPAN_ALIGN);
    uint64_t end = hi - plan->vbase;
    if (end > ELF_MAX_SPAN)
        return "loadable span larger than 1 GiB";
    plan->span = (end + ELF_SPAN_ALIGN - 1) & ~(ELF_SPAN_ALIGN - 1);

    plan->entry = eh->e_entry;
    for (unsigned j = 0; j < plan->nseg; j++) {
        const struct elf_seg *s = &plan->seg[j];
        if ((s->flags & ELF_PF_X) && eh->e_entry >= s->vaddr && eh->e_entry < s->vaddr + s->memsz)
            return 0;
    }
    return "entry point not in an executable segment";
}

void elf_place(const struct elf_plan *plan, const void *file, void *dest)
{
    /* Visit segments in address order so that every byte from vbase to
     * the end of the last segment is written exactly once: file bytes
     * copied, bss and gaps zeroed. The slack after the last segment (up
     * to the 2 MiB-rounded span) is left as it is: nothing of the kernel
     * lives there, and clearing up to 2 MiB of it was the UEFI loader's
     * single largest cost under TCG. */
    unsigned order[ELF_MAX_SEGS];
    for (unsigned i = 0; i < plan->nseg; i++) {
        unsigned j = i;
        while (j > 0 && plan->seg[order[j - 1]].vaddr > plan->seg[i].vaddr) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    uint8_t *d = dest;
    uint64_t at = 0;                       /* offset in the span done so far */
    for (unsigned i = 0; i < plan->nseg; i++) {
        const struct elf_seg *s = &plan->seg[order[i]];
        uint64_t off = s->vaddr - plan->vbase;
        memset(d + at, 0, off - at);
        memcpy(d + off, (const uint8_t *)file + s->offset, s->filesz);
        memset(d + off + s->filesz, 0, s->memsz - s->filesz);
        at = off + s->memsz;
    }
}
