/* stage2 is a flat binary loaded by stage1 at STAGE2_LOAD_ADDR. The entry
 * code (header, real-mode parts, BIOS thunk, GDT) comes first so that it
 * lies below 64 KiB; bss follows the file image and must end below the
 * disk bounce buffer (common/bios_layout.h). Run through the C
 * preprocessor for those constants. */
#include "bios_layout.h"

OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(stage2_start)

SECTIONS
{
    . = STAGE2_LOAD_ADDR;
    .entry : { KEEP(*(.entry)) }
    _entry_end = .;
    .text : { *(.text .text.*) }
    .rodata : { *(.rodata .rodata.*) }
    /* Written data starts on a page of its own: QEMU's TCG slows every
     * write into a page it has translated code from. */
    . = ALIGN(4096);
    /* The trailing byte keeps .data (and so the padding) in the flat
     * binary even when it is empty: the file is exactly _image_size. */
    .data : { *(.data .data.*) BYTE(0) . = ALIGN(16); }
    _image_end = .;
    .bss (NOLOAD) : {
        __bss_start = .;
        *(.bss .bss.* COMMON)
        . = ALIGN(16);
        __bss_end = .;
    }
    _stage2_end = .;
    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}

_image_size = _image_end - STAGE2_LOAD_ADDR;

ASSERT(_entry_end <= 0x10000, "stage2: real-mode code must stay below 64 KiB")
ASSERT(_stage2_end <= BOUNCE_ADDR, "stage2: image + bss runs into the disk bounce buffer")
