/* CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320) as GPT and zlib use it.
 * crc32_update(0, buf, len) gives the standard CRC of buf; passing a
 * previous result continues it. */
#ifndef HYBOOT_CRC32_H
#define HYBOOT_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
