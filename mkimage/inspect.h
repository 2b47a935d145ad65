/* mkimage --inspect: reads an image (or a block device such as a freshly
 * written USB stick) and reports its layout and whether each firmware path
 * can boot it. It only reads, and shares no code with the writer beyond
 * common/, so it is an independent check of what the writer produced. */
#ifndef HYBOOT_MKIMAGE_INSPECT_H
#define HYBOOT_MKIMAGE_INSPECT_H

#include <stdio.h>

/* Prints the report to `out`. Returns 0 when every installed boot path
 * (BIOS, UEFI) looks bootable, 1 when something is broken (the report names
 * what and which firmware path it breaks) or the image cannot be read. */
int inspect_image(const char *path, FILE *out);

#endif
