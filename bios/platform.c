/* The rest of the platform interface for the legacy BIOS: firmware
 * tables, the clock, the boot device, the final map and the jump. */
#include "a20.h"
#include "loader.h"
#include "long_mode32.h"
#include "mem.h"
#include "rtc.h"
#include "stage2.h"
#include "tables.h"
#include "tsc.h"

uint64_t plat_rsdp(void)
{
    return bios_find_rsdp();
}

void plat_smbios(uint64_t *entry32, uint64_t *entry64)
{
    bios_find_smbios(entry32, entry64);
}

int64_t plat_time(void)
{
    int64_t t = rtc_read_unix();
    return t < 0 ? 0 : t;
}

uint64_t plat_tsc_hz(const char **how)
{
    *how = "PIT";              /* every PC with a legacy BIOS has one */
    uint64_t hz = tsc_pit_rate();
    return hz ? hz : tsc_calibrate_pit();
}

void plat_device(struct boot_device *d)
{
    memset(d, 0, sizeof *d);
    d->bios_drive = s2.disk.drive;
    d->mbr_signature = s2.esp.mbr_signature;
    memcpy(d->disk_guid, s2.esp.disk_guid, 16);
    memcpy(d->esp_guid, s2.esp.esp_guid, 16);
    d->esp_lba = s2.esp.lba;
}

/* Nothing of the BIOS is called after this: the live map is final. */
void plat_exit_firmware(struct mm_map *m, struct boot_info *bi)
{
    (void)bi;
    if (a20_restored_count())
        say("A20 was switched off by BIOS calls %u times and turned back on each time",
            a20_restored_count());
    plat_memory_map(m);
}

void plat_jump(uint64_t entry, uint64_t stack_top, uint64_t boot_info, uint64_t pml4)
{
    static struct lm_jump j;
    j = (struct lm_jump){ entry, stack_top, boot_info, pml4 };
    lm_enter32(&j);
}

/* A legacy BIOS has no Secure Boot and nothing signed to enrol into. */
int plat_secure_boot(void)
{
    return 0;
}

int plat_config_hash(uint8_t out[32])
{
    (void)out;
    return 0;
}
