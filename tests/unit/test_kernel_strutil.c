/* hy_strlcpy and hy_strncasecmp (common/mem_util.c). */
#include <string.h>

#include "check.h"
#include "mem.h"

int main(void)
{
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    CHECK(hy_strlcpy(buf, "abc", sizeof buf) == 3 && strcmp(buf, "abc") == 0, "strlcpy fits");
    memset(buf, 'Z', sizeof buf);
    CHECK(hy_strlcpy(buf, "abcdefghij", 5) == 10 && strcmp(buf, "abcd") == 0 && buf[5] == 'Z',
          "strlcpy truncates, terminates, returns strlen(src)");
    memset(buf, 'Z', sizeof buf);
    CHECK(hy_strlcpy(buf, "abc", 0) == 3 && buf[0] == 'Z', "strlcpy n=0 writes nothing");
    CHECK(hy_strlcpy(buf, "", 8) == 0 && buf[0] == 0, "strlcpy empty");

    CHECK(hy_strncasecmp("KERNEL", "kernel", 6) == 0, "strncasecmp ignores case");
    CHECK(hy_strncasecmp("BOOTX64.EFI", "bootx64.efi", 11) == 0, "strncasecmp digits and dots");
    CHECK(hy_strncasecmp("abc", "abd", 3) < 0 && hy_strncasecmp("abd", "ABC", 3) > 0, "strncasecmp order");
    CHECK(hy_strncasecmp("abc", "abd", 2) == 0, "strncasecmp stops at n");
    CHECK(hy_strncasecmp("ab", "abc", 5) < 0, "strncasecmp shorter string first");
    CHECK(hy_strncasecmp("a\xc4", "A\xe4", 2) != 0, "strncasecmp is ASCII-only");
    return check_exit();
}
