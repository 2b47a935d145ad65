#include "a20.h"

#include <stdint.h>

#include "bioscall.h"
#include "io.h"

/* With A20 off, 0x100500 is 0x000500. Write two different values and
 * see whether they land in the same place; restore both afterwards
 * (high first: if they alias, the low value restored last is right). */
static int a20_is_on(void)
{
    volatile uint32_t *lo = (volatile uint32_t *)0x000500;
    volatile uint32_t *hi = (volatile uint32_t *)0x100500;
    uint32_t save_lo = *lo, save_hi = *hi;
    *lo = 0x48594c4f;
    *hi = 0x48594849;
    __asm__ volatile("" ::: "memory");
    int on = *lo != *hi;
    *hi = save_hi;
    *lo = save_lo;
    return on;
}

/* Some controllers take a while: look again for a bounded time. */
static int a20_wait_on(void)
{
    for (int i = 0; i < 100000; i++) {
        if (a20_is_on())
            return 1;
        io_wait();
    }
    return 0;
}

static void kbc_wait_input_empty(void)
{
    for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
        io_wait();
}

static void kbc_enable_a20(void)
{
    kbc_wait_input_empty();
    outb(0x64, 0xad);          /* disable the keyboard while we talk */
    kbc_wait_input_empty();
    outb(0x64, 0xd1);          /* next data byte goes to the output port */
    kbc_wait_input_empty();
    outb(0x60, 0xdf);          /* A20 on, CPU reset line inactive */
    kbc_wait_input_empty();
    outb(0x64, 0xae);          /* keyboard back on */
    kbc_wait_input_empty();
}

static void fast_enable_a20(void)
{
    uint8_t v = inb(0x92);
    if (!(v & 0x02))
        outb(0x92, (uint8_t)((v | 0x02) & ~0x01));   /* bit 0 would reset the machine */
}

static int bios_enable_a20(void)
{
    struct bios_regs r = { .eax = 0x2401 };
    bios_call(0x15, &r);
    return !(r.eflags & EFLAGS_CF);
}

enum { A20_NONE, A20_ALREADY, A20_BIOS, A20_KBC, A20_FAST };
static int a20_method;                /* what worked, for a20_recheck */
static unsigned a20_rechecks;

static int try_method(int m)
{
    switch (m) {
    case A20_BIOS: if (!bios_enable_a20()) return 0; break;
    case A20_KBC:  kbc_enable_a20(); break;
    case A20_FAST: fast_enable_a20(); break;
    default: return 0;
    }
    return a20_wait_on();
}

const char *a20_enable(void)
{
    static const char *const names[] = {
        [A20_ALREADY] = "already on", [A20_BIOS] = "BIOS INT 15h AX=2401h",
        [A20_KBC] = "keyboard controller", [A20_FAST] = "fast A20 (port 0x92)",
    };
    if (a20_is_on()) {
        a20_method = A20_ALREADY;
        return names[A20_ALREADY];
    }
    for (int m = A20_BIOS; m <= A20_FAST; m++) {
        if (try_method(m)) {
            a20_method = m;
            return names[m];
        }
    }
    return 0;
}

int a20_recheck(void)
{
    if (a20_method == A20_NONE || a20_is_on())
        return 0;
    a20_rechecks++;
    /* "already on" had no method: try them all, in the usual order */
    if (a20_method == A20_ALREADY || !try_method(a20_method)) {
        int m;
        for (m = A20_BIOS; m <= A20_FAST && !try_method(m); m++)
            ;
        if (m > A20_FAST)
            return -1;
        a20_method = m;
    }
    return 0;
}

unsigned a20_restored_count(void)
{
    return a20_rechecks;
}
