/* common/sha256.c against the FIPS 180-2/180-4 example vectors (NIST
 * "abc", the two-block and 896-bit messages, one million 'a'), split
 * updates across block boundaries, and the hex helpers. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sha256.h"

static int hex_is(const uint8_t d[SHA256_LEN], const char *want)
{
    char hex[2 * SHA256_LEN + 1];
    sha256_hex(d, hex);
    return strcmp(hex, want) == 0;
}

static int one_shot(const char *msg, const char *want)
{
    uint8_t d[SHA256_LEN];
    sha256(msg, strlen(msg), d);
    return hex_is(d, want);
}

/* Hashes msg fed in pieces of `step` bytes. */
static int pieces(const char *msg, size_t step, const char *want)
{
    struct sha256_ctx c;
    uint8_t d[SHA256_LEN];
    size_t n = strlen(msg);
    sha256_init(&c);
    for (size_t i = 0; i < n; i += step)
        sha256_update(&c, msg + i, n - i < step ? n - i : step);
    sha256_final(&c, d);
    return hex_is(d, want);
}

#define ABC     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define EMPTY   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define TWO_MSG "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define TWO     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
#define LONG_MSG "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno" \
                 "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
#define LONG    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
#define MILLION "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

int main(void)
{
    CHECK(one_shot("abc", ABC), "sha256: NIST \"abc\"");
    CHECK(one_shot("", EMPTY), "sha256: empty message");
    CHECK(one_shot(TWO_MSG, TWO), "sha256: NIST 448-bit two-block message");
    CHECK(one_shot(LONG_MSG, LONG), "sha256: NIST 896-bit message");

    /* One million 'a', in uneven chunks so buffering is exercised. */
    struct sha256_ctx c;
    uint8_t d[SHA256_LEN];
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    sha256_init(&c);
    size_t done = 0, step = 1;
    while (done < 1000000) {
        size_t n = 1000000 - done < step ? 1000000 - done : step;
        sha256_update(&c, a + done, n);
        done += n;
        step = step * 3 % 997 + 1;
    }
    sha256_final(&c, d);
    CHECK(hex_is(d, MILLION), "sha256: NIST one million 'a' (uneven updates)");
    sha256(a, 1000000, d);
    CHECK(hex_is(d, MILLION), "sha256: NIST one million 'a' (one call)");
    free(a);

    CHECK(pieces(TWO_MSG, 1, TWO), "sha256: byte-at-a-time updates");
    CHECK(pieces(LONG_MSG, 63, LONG), "sha256: 63-byte updates");
    CHECK(pieces(LONG_MSG, 64, LONG), "sha256: 64-byte updates");
    CHECK(pieces(LONG_MSG, 65, LONG), "sha256: 65-byte updates");
    /* Messages of 55, 56 and 64 bytes straddle the padding boundary. */
    CHECK(one_shot("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                   "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
          "sha256: 55-byte message");
    CHECK(one_shot("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                   "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
          "sha256: 56-byte message");

    uint8_t parsed[SHA256_LEN];
    CHECK(sha256_parse_hex(ABC, 64, parsed) == 0 && hex_is(parsed, ABC), "sha256: hex round trip");
    CHECK(sha256_parse_hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", 64, parsed) == 0 &&
              hex_is(parsed, ABC),
          "sha256: upper-case hex accepted");
    CHECK(sha256_parse_hex(ABC, 63, parsed) != 0, "sha256: short hex refused");
    CHECK(sha256_parse_hex("zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 64, parsed) != 0,
          "sha256: non-hex refused");
    return check_exit();
}
