/* GDT, TSS, IDT and the exception panic (see cpu.h). */
#include "cpu.h"

#include "io.h"
#include "kprint.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS  0x18

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t zero;
} __attribute__((packed));

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* A separate stack (IST1) for double faults, NMI and machine checks: a
 * stack overflow turns into #PF, which cannot push its frame, which turns
 * into #DF. With IST that lands here and panics instead of resetting. */
static uint8_t fault_stack[16384] __attribute__((aligned(16)));
static struct tss64 tss;
static uint64_t gdt[5];
static struct idt_gate idt[32];
int cpu_panic_is_selftest_fail;

extern const uint64_t isr_table[32];

static void load_gdt(void)
{
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffULL; /* 64-bit code, DPL 0 */
    gdt[2] = 0x00cf92000000ffffULL; /* data, DPL 0 */
    gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 | ((limit >> 16) & 0xf) << 48 |
             ((base >> 24) & 0xff) << 56;
    gdt[4] = base >> 32;

    struct desc_ptr gdtr = { sizeof gdt - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
    /* reload CS with a far return, then the data segments */
    __asm__ volatile("pushq %[cs]\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %[ds], %%eax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%ss\n\t"
                     "xorl %%eax, %%eax\n\t"
                     "mov %%ax, %%fs\n\t"
                     "mov %%ax, %%gs"
                     :
                     : [cs] "i"(SEL_CODE), [ds] "i"(SEL_DATA)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS));
}

static void load_idt(void)
{
    for (int v = 0; v < 32; v++) {
        uint64_t a = isr_table[v];
        idt[v].offset_lo = (uint16_t)a;
        idt[v].selector = SEL_CODE;
        idt[v].ist = (v == 2 || v == 8 || v == 18) ? 1 : 0;
        idt[v].type_attr = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
        idt[v].offset_mid = (uint16_t)(a >> 16);
        idt[v].offset_hi = (uint32_t)(a >> 32);
        idt[v].zero = 0;
    }
    struct desc_ptr idtr = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

void cpu_init(void)
{
    tss.ist[0] = (uint64_t)(fault_stack + sizeof fault_stack);
    tss.iomap_base = sizeof tss; /* no I/O permission bitmap */
    load_gdt();
    load_idt();
}

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
    "#OF overflow", "#BR bound range exceeded", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack-segment fault", "#GP general protection", "#PF page fault", "reserved vector 15",
    "#MF x87 floating-point", "#AC alignment check", "#MC machine check", "#XM SIMD floating-point",
    "#VE virtualization", "#CP control protection", "reserved vector 22", "reserved vector 23",
    "reserved vector 24", "reserved vector 25", "reserved vector 26", "reserved vector 27",
    "#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved vector 31",
};

const char *cpu_exception_name(uint64_t vector)
{
    return vector < 32 ? exception_names[vector] : "unknown vector";
}

void cpu_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

void exception_handler(struct exc_frame *f);
void exception_handler(struct exc_frame *f)
{
    static int depth;
    uint64_t cr2 = read_cr2();
    if (++depth > 1) {
        /* faulted while reporting a fault (e.g. a bad framebuffer):
         * serial only, then stop */
        kprint_serial_only();
        kprintf("PANIC: %s (vector %llu) rip=0x%llx cr2=0x%llx err=0x%llx while panicking\n",
                cpu_exception_name(f->vector), (unsigned long long)f->vector,
                (unsigned long long)f->rip, (unsigned long long)cr2, (unsigned long long)f->err);
        if (depth > 2)
            cpu_halt();
        if (cpu_panic_is_selftest_fail)
            outb(QEMU_EXIT_PORT, QEMU_EXIT_FAIL);
        cpu_halt();
    }
    kprint_set_color(KCOLOR_PANIC);
    kprintf("PANIC: %s (vector %llu) rip=0x%llx cr2=0x%llx err=0x%llx\n", cpu_exception_name(f->vector),
            (unsigned long long)f->vector, (unsigned long long)f->rip, (unsigned long long)cr2,
            (unsigned long long)f->err);
#define R(a, b, c)                                                                           \
    kprintf("  %-3s=0x%016llx %-3s=0x%016llx %-3s=0x%016llx\n", #a, (unsigned long long)f->a, \
            #b, (unsigned long long)f->b, #c, (unsigned long long)f->c)
    R(rax, rbx, rcx);
    R(rdx, rsi, rdi);
    R(rbp, rsp, r8);
    R(r9, r10, r11);
    R(r12, r13, r14);
#undef R
    kprintf("  r15=0x%016llx rflags=0x%llx cs=0x%llx ss=0x%llx\n", (unsigned long long)f->r15,
            (unsigned long long)f->rflags, (unsigned long long)f->cs, (unsigned long long)f->ss);
    kprintf("  cr0=0x%llx cr3=0x%llx cr4=0x%llx\n", (unsigned long long)read_cr0(),
            (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
    if (cpu_panic_is_selftest_fail) {
        kprintf("SELFTEST FAIL: CPU exception %s at rip=0x%llx\n", cpu_exception_name(f->vector),
                (unsigned long long)f->rip);
        outb(QEMU_EXIT_PORT, QEMU_EXIT_FAIL);
    }
    kprintf("hyboot: kernel halted (interrupts off)\n");
    cpu_halt();
}
