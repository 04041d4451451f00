/* SPDX-License-Identifier: MIT */
/* snprintf and vsnprintf for the page's module, without floating point.
 *
 * Every call that reaches the module (the core's error texts, RE2's regexp
 * printer and StringPrintf, nlohmann's lexer messages, RE2's log lines)
 * formats integers, characters, pointers and strings only. musl's own
 * snprintf would still link its floating-point printer and long double
 * arithmetic (about 3 KB of the gzipped .wasm). These format through musl's
 * integer-only vfiprintf into a string, the way musl's vsnprintf does:
 * output beyond the room is counted but dropped, and the string is always
 * terminated. Linked ahead of libc, they replace libc's in the module
 * (with vsniprintf and __small_vsnprintf, the rest of musl's vsnprintf.c).
 *
 * (Emscripten's ready-made vsniprintf is not used: when its output does not
 * fit, it calls a write function with no destination and scribbles on low
 * memory.)
 *
 * vfiprintf has no printer for %e, %f, %g and %a (it would call a null
 * function), so a format holding one is refused: the result is an empty
 * string and -1, which callers see as a formatting error. */
#define _XOPEN_SOURCE 700 /* off_t, which musl's FILE uses */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "stdio_impl.h" /* musl's FILE, to format into memory */

/* musl's printf core without floating point (no public header has it). */
int vfiprintf(FILE *restrict f, const char *restrict fmt, va_list ap);

/* Where the formatted text goes, and how many bytes fit before the NUL. */
struct room {
	char *next;
	size_t left;
};

static void take(struct room *r, const unsigned char *bytes, size_t length)
{
	size_t k = length < r->left ? length : r->left;
	memcpy(r->next, bytes, k);
	r->next += k;
	r->left -= k;
}

/* The FILE's write function: the bytes vfiprintf buffered, then `bytes`. */
static size_t write_to_room(FILE *f, const unsigned char *bytes, size_t length)
{
	struct room *r = f->cookie;
	take(r, f->wbase, (size_t)(f->wpos - f->wbase));
	take(r, bytes, length);
	*r->next = '\0';
	f->wpos = f->wbase = f->buf;
	return length; /* as if all was written: the rest is only counted */
}

/* Whether fmt has a floating-point conversion. */
static int has_floating_conversion(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
		p++;
		/* Argument position, flags, width, precision, length. */
		p += strspn(p, "0123456789$#-+ '.*hlLjztq");
		if (*p == '\0') return 0;
		if (strchr("eEfFgGaA", *p)) return 1;
		p++;
	}
	return 0;
}

int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	char spare;
	struct room room = {n ? s : &spare, n ? n - 1 : 0};
	*room.next = '\0';
	if (n > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	if (has_floating_conversion(fmt)) {
		errno = EINVAL;
		return -1;
	}
	unsigned char byte;
	FILE f;
	memset(&f, 0, sizeof f);
	f.lbf = EOF;
	f.lock = -1; /* no locking */
	f.write = write_to_room;
	f.buf = &byte; /* buf_size 0: vfiprintf buffers on its own stack */
	f.cookie = &room;
	return vfiprintf(&f, fmt, ap);
}

/* The other entry points of musl's vsnprintf.c (reached through sprintf
 * and siprintf, which Embind's library calls), so that file is never
 * linked next to this one. */
int vsniprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	return vsnprintf(s, n, fmt, ap);
}

int __small_vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap)
{
	return vsnprintf(s, n, fmt, ap);
}

int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int result = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return result;
}
