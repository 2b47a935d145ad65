#include <stdint.h>
#include "bioscall.h"
#include "console.h"
#include "handoff.h"
#include "io.h"

void stage2_main(uint32_t drive);
void stage2_main(uint32_t drive)
{
    con_init();
    say("started, boot drive 0x%x", (unsigned)drive);
    struct bios_regs r = { .eax = 0x0e00 | 'T', .ebx = 7 };
    bios_call(0x10, &r);
    r = (struct bios_regs){ .eax = 0x0e00 | 'K', .ebx = 7 };
    bios_call(0x10, &r);
    r = (struct bios_regs){ .eax = 0x8800 };
    bios_call(0x15, &r);
    say("int 15h ah=88h: ax=%u KiB flags=%x", (unsigned)(r.eax & 0xffff), (unsigned)r.eflags);
    die("not finished");
}
