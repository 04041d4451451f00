/* SPDX-License-Identifier: MIT */
/* Checks the packed iconv (wasm/pack_iconv.py) against Emscripten's own.
 *
 * This program links both: libc's iconv under its usual names and the
 * packed copy compiled with its entry points renamed (bouncedx_packed_*).
 * It decodes every one- and two-byte sequence of each CJK charset, the
 * escaped two-byte sets of ISO-2022-JP and GB18030's four-byte sequences
 * that lean on its two-byte table, with both, and fails on the first
 * sequence where the status, the bytes left or the UTF-8 written differ.
 *
 * One difference is intended: for some Shift_JIS pairs (lead bytes
 * 0xEB-0xEF, or 0xEA with a trail byte above 0xFC) musl's arithmetic lands
 * past the end of its JIS X 0208 table and decodes whatever follows it; the
 * packed copy pads the table with zero rows, so those pairs are refused.
 * There the packed copy must report an invalid sequence. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

iconv_t bouncedx_packed_iconv_open(const char *to, const char *from);
size_t bouncedx_packed_iconv(iconv_t cd, char **in, size_t *in_left, char **out,
                             size_t *out_left);

struct result {
	int failed, error;
	size_t left;
	long written; /* negative: musl moved the pointer before the buffer */
	char out[64];
};

static void decode(iconv_t cd, int packed, const unsigned char *in, size_t length,
                   struct result *r)
{
	char *ip = (char *)in, *op = r->out;
	size_t il = length, ol = sizeof r->out;
	memset(r, 0, sizeof *r);
	size_t (*convert)(iconv_t, char **, size_t *, char **, size_t *) =
		packed ? bouncedx_packed_iconv : iconv;
	convert(cd, NULL, NULL, NULL, NULL); /* back to the initial state */
	errno = 0;
	size_t n = convert(cd, &ip, &il, &op, &ol);
	r->failed = n == (size_t)-1;
	r->error = r->failed ? errno : 0;
	r->left = il;
	r->written = (long)(op - r->out);
}

static int same(const struct result *a, const struct result *b)
{
	return a->failed == b->failed && a->error == b->error && a->left == b->left &&
	       a->written == b->written &&
	       (a->written <= 0 || !memcmp(a->out, b->out, (size_t)a->written));
}

static iconv_t stock_cd, packed_cd;
static const char *charset;
static long checked;

/* The cell of jis0208 (84 rows of 94, read as one flat array) that musl's
 * Shift_JIS decoder reads for a two-byte sequence, or -1 when it reads none.
 * The same arithmetic as iconv.c. */
static long sjis_cell(unsigned c, unsigned d)
{
	if (c < 128 || c - 0xa1 <= 0xdf - 0xa1) return -1;
	if (c - 129 <= 159 - 129) c -= 129;
	else if (c - 224 <= 239 - 224) c -= 193;
	else return -1;
	c *= 2;
	if (d - 64 <= 158 - 64) {
		if (d == 127) return -1;
		if (d > 127) d--;
		d -= 64;
	} else if (d - 159 <= 252 - 159) {
		c++;
		d -= 159;
	}
	return (long)c * 94 + (long)d;
}

/* 0 when both decode `in` alike (or the packed copy refuses the over-read). */
static int check(const unsigned char *in, size_t length)
{
	struct result a, b;
	decode(stock_cd, 0, in, length, &a);
	decode(packed_cd, 1, in, length, &b);
	checked++;
	if (!strcmp(charset, "SHIFT_JIS") && length >= 2 && sjis_cell(in[0], in[1]) >= 84 * 94) {
		if (!b.failed || b.error != EILSEQ) {
			printf("%s: %02x %02x: the packed copy accepted an over-read sequence\n", charset,
			       in[0], in[1]);
			return 1;
		}
		return 0;
	}
	if (same(&a, &b)) return 0;
	printf("%s: sequence", charset);
	for (size_t i = 0; i < length; i++) printf(" %02x", in[i]);
	printf(": musl failed=%d left=%zu wrote %ld, packed failed=%d left=%zu wrote %ld\n",
	       a.failed, a.left, a.written, b.failed, b.left, b.written);
	return 1;
}

int main(void)
{
	static const char *const charsets[] = {
		"GB18030", "GBK", "GB2312", "BIG5", "BIG5-HKSCS", "EUC-KR",
		"SHIFT_JIS", "EUC-JP", "ISO-2022-JP",
	};
	for (size_t k = 0; k < sizeof charsets / sizeof *charsets; k++) {
		charset = charsets[k];
		stock_cd = iconv_open("UTF-8", charset);
		packed_cd = bouncedx_packed_iconv_open("UTF-8", charset);
		if (stock_cd == (iconv_t)-1 || packed_cd == (iconv_t)-1) {
			printf("%s: not supported (musl %d, packed %d)\n", charset,
			       stock_cd != (iconv_t)-1, packed_cd != (iconv_t)-1);
			return 1;
		}
		unsigned char b[5];
		for (int x = 0; x < 256; x++) {
			b[0] = (unsigned char)x;
			if (check(b, 1)) return 1;
			for (int y = 0; y < 256; y++) {
				b[1] = (unsigned char)y;
				if (check(b, 2)) return 1;
			}
		}
		if (!strcmp(charset, "GB18030")) {
			for (int p = 0x81; p <= 0x84; p++)
				for (int q = 0x30; q <= 0x39; q++)
					for (int r = 0x81; r <= 0xFE; r++)
						for (int s = 0x30; s <= 0x39; s++) {
							b[0] = (unsigned char)p, b[1] = (unsigned char)q;
							b[2] = (unsigned char)r, b[3] = (unsigned char)s;
							if (check(b, 4)) return 1;
						}
		}
		if (!strcmp(charset, "ISO-2022-JP")) {
			for (int x = 0x21; x <= 0x7E; x++)
				for (int y = 0x21; y <= 0x7E; y++) {
					b[0] = 0x1B, b[1] = '$', b[2] = 'B';
					b[3] = (unsigned char)x, b[4] = (unsigned char)y;
					if (check(b, 5)) return 1;
				}
		}
		iconv_close(stock_cd);
		iconv_close(packed_cd);
	}
	printf("%ld sequences decode alike in %zu charsets\n", checked,
	       sizeof charsets / sizeof *charsets);
	return 0;
}
