/* Finding the EFI system partition on the boot disk: common/esp_locate.c
 * (GPT, backup GPT, MBR; every LBA checked against the disk size from
 * INT 13h AH=48h before it is read) on stage2's disk. */
#ifndef HYBOOT_BIOS_ESP_H
#define HYBOOT_BIOS_ESP_H

#include <stdint.h>

#include "disk.h"
#include "esp_locate.h"

/* 0 when found, -1 when the disk has no ESP we recognise. */
int esp_find(struct disk *d, struct esp_info *out);

#endif
