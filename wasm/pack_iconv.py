#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a copy of Emscripten's musl iconv.c whose CJK tables are packed.

musl keeps its legacy charset tables (JIS X 0208, GB18030, Big5 + HKSCS,
KS X 1001, and the reverse JIS index) as plain arrays of 16-bit code points:
about 139 KB that gzip hardly shrinks, a quarter of the page's download. Most
neighbouring entries are close in value, so this build stores each table as
the differences between neighbours (zig-zag varints), which gzip then
compresses to about half. The copy written here declares the tables as
zero-filled arrays (no bytes in the .wasm) and fills them the first time
iconv_open() is called; the reverse JIS index is not stored at all but
rebuilt by sorting JIS X 0208 by code point, which is exactly how musl's
table is ordered. GB18030's table also leaves out most of its ideographs:
GBK kept GB2312's 6,763 hanzi (rows 0xB0-0xF7, ordered by reading) and put
every other ideograph of U+4E00-U+9FA5 in the remaining cells in code point
order, so each of those cells is stored as a one-byte mark meaning "the next
ideograph not used elsewhere in the table" (checked here against the real
table; a table that did not follow the rule would be packed plainly).
Everything else in iconv.c is compiled as it is, so conversions behave
exactly as with the stock library.

Linked ahead of libc, the copy's iconv_open and iconv replace libc's
(iconv_close lives in its own file and is shared).

Usage: pack_iconv.py MUSL_LOCALE_DIR OUTPUT.c
"""
import os
import re
import sys

# Tables packed as differences: name in iconv.c -> header holding its values.
PACKED = {
    "legacy_chars": "legacychars.h",
    "jis0208": "jis0208.h",
    "gb18030": "gb18030.h",
    "big5": "big5.h",
    "hkscs": "hkscs.h",
    "ksc": "ksc.h",
}
# Rebuilt at run time from jis0208 (see the docstring).
DERIVED = {"rev_jis": "revjis.h"}

# GB18030's cells that are derived (see the docstring): ideographs of this
# range outside GB2312's hanzi block (lead bytes 0xB0-0xF7, trail bytes
# 0xA1-0xFE). The table has 190 cells per lead byte (trail bytes 0x40-0xFE
# without 0x7F), from lead byte 0x81.
FILLED = "gb18030"
FILL_FIRST, FILL_LAST = 0x4E00, 0x9FA5


def gb2312_hanzi_cell(index):
    lead, cell = 0x81 + index // 190, index % 190
    trail = 0x40 + cell + (1 if cell >= 0x3F else 0)
    return 0xB0 <= lead <= 0xF7 and 0xA1 <= trail <= 0xFE


# Rows of jis0208 with the zero rows that catch Shift_JIS over-reads: the
# furthest read is row 93, column 255 (flat index 8997 < 96 * 94).
JIS_ROWS_PADDED = 96

DECLARATION = re.compile(
    r'static const unsigned short (\w+)((?:\[\d*\])+) = \{\n#include "(\w+\.h)"\n\};\n')


def read_values(path):
    with open(path, encoding="ascii") as f:
        values = [int(v) for v in re.findall(r"\d+", f.read())]
    if any(v > 0xFFFF for v in values):
        raise ValueError(f"{path}: a value does not fit 16 bits")
    return values


def pack(values, filled=None):
    """Zig-zag varints of the differences between neighbours (from 0).

    With `filled` (a set of indices), those cells are written as 0 (the
    mark) and every other difference is shifted up by one.
    """
    out = bytearray()
    previous = 0
    for index, value in enumerate(values):
        if filled is not None and index in filled:
            out.append(0)
            continue
        delta = value - previous
        previous = value
        z = (delta << 1) if delta >= 0 else ((-delta << 1) - 1)
        if filled is not None:
            z += 1
        while z >= 0x80:
            out.append((z & 0x7F) | 0x80)
            z >>= 7
        out.append(z)
    return bytes(out)


def fill(values, filled):
    """What the C unpacker makes of the marked cells: the code points of
    FILL_FIRST..FILL_LAST that no other cell holds, in ascending order."""
    used = {v for i, v in enumerate(values) if i not in filled}
    free = (c for c in range(FILL_FIRST, FILL_LAST + 1) if c not in used)
    return [next(free, None) if i in filled else v for i, v in enumerate(values)]


def derived_cells(values):
    """The GB18030 cells that can be derived, or None if the rule fails."""
    filled = {i for i, v in enumerate(values)
              if FILL_FIRST <= v <= FILL_LAST and not gb2312_hanzi_cell(i)}
    return filled if fill(values, filled) == values else None


def check_rev_jis(jis, rev):
    """True when rev is jis's non-zero entries' indices sorted by value."""
    entries = sorted((v, (i // 94) * 256 + i % 94) for i, v in enumerate(jis) if v)
    return [j for _, j in entries] == rev


def main():
    if len(sys.argv) != 3:
        print("usage: pack_iconv.py MUSL_LOCALE_DIR OUTPUT.c", file=sys.stderr)
        return 2
    source_dir, output = sys.argv[1], sys.argv[2]
    with open(os.path.join(source_dir, "iconv.c"), encoding="utf-8") as f:
        source = f.read()

    sizes = {}
    packed_arrays = []

    def replace(match):
        name, dims, header = match.group(1), match.group(2), match.group(3)
        expected = PACKED.get(name) or DERIVED.get(name)
        if expected != header:
            raise ValueError(f"iconv.c: unexpected table {name} from {header}")
        values = read_values(os.path.join(source_dir, header))
        sizes[name] = len(values)
        if name in PACKED:
            filled = derived_cells(values) if name == FILLED else None
            data = pack(values, filled)
            packed_arrays.append((name, len(values), data, filled is not None))
        if "[]" in dims:
            dims = dims.replace("[]", f"[{len(values)}]")
        if name == "jis0208":
            # musl's Shift_JIS decoder indexes rows up to 93 and columns up
            # to 255 for lead bytes 0xEB-0xEF and some trail bytes, reading
            # past the 84 rows of the table into whatever follows it (in
            # the stock library, other tables: garbage characters). Zero
            # rows behind the table make those reads an invalid sequence.
            if dims != "[84][94]":
                raise ValueError(f"iconv.c: jis0208 is {dims}, expected [84][94]")
            dims = f"[{JIS_ROWS_PADDED}][94]"
        return f"static unsigned short {name}{dims};\n"

    body, count = DECLARATION.subn(replace, source)
    if count != len(PACKED) + len(DERIVED) or set(sizes) != set(PACKED) | set(DERIVED):
        print(f"pack_iconv.py: iconv.c does not have the expected tables (found {sorted(sizes)})",
              file=sys.stderr)
        return 1
    jis = read_values(os.path.join(source_dir, "jis0208.h"))
    if not check_rev_jis(jis, read_values(os.path.join(source_dir, "revjis.h"))):
        print("pack_iconv.py: revjis.h is not jis0208 sorted by code point", file=sys.stderr)
        return 1

    opening = "iconv_t iconv_open(const char *to, const char *from)\n{\n"
    if body.count(opening) != 1:
        print("pack_iconv.py: iconv_open() not found in iconv.c", file=sys.stderr)
        return 1
    body = body.replace(opening, opening + "\tunpack_tables();\n")

    lines = [
        "/* Generated by wasm/pack_iconv.py from musl's iconv.c (as shipped with",
        " * Emscripten); the tables are stored packed. Do not edit. */",
    ]
    # The helpers go right before iconv_open, after the table declarations.
    helpers = ["", "/* Packed tables: zig-zag varint differences between neighbours. */"]
    helpers += [
        f"static unsigned char fill_used[({FILL_LAST:#x} - {FILL_FIRST:#x}) / 8 + 1];",
        "",
        "static unsigned short next_free(unsigned *cursor)",
        "{",
        f"\twhile ((fill_used[(*cursor - {FILL_FIRST:#x}) / 8] >> (*cursor - {FILL_FIRST:#x}) % 8) & 1) ++*cursor;",
        "\treturn (unsigned short)(*cursor)++;",
        "}",
        "",
    ]
    for name, _, data, _ in packed_arrays:
        helpers.append(f"static const unsigned char packed_{name}[{len(data)}] = {{")
        for start in range(0, len(data), 24):
            helpers.append("".join(f"{b}," for b in data[start:start + 24]))
        helpers.append("};")
    helpers += [
        "",
        "/* With `marks`, a 0 is a derived cell (left alone when `cursor` is null,",
        " * else given the next code point from `cursor`) and the rest are shifted up",
        " * by one. */",
        "static void unpack_pass(unsigned short *out, size_t count,",
        "\tconst unsigned char *in, int marks, unsigned *cursor)",
        "{",
        "\tunsigned short value = 0;",
        "\tfor (size_t i = 0; i < count; i++) {",
        "\t\tunsigned z = 0, shift = 0;",
        "\t\twhile (*in & 0x80) { z |= (unsigned)(*in++ & 0x7f) << shift; shift += 7; }",
        "\t\tz |= (unsigned)*in++ << shift;",
        "\t\tif (marks && z == 0) {",
        "\t\t\tif (cursor) out[i] = next_free(cursor);",
        "\t\t\tcontinue;",
        "\t\t}",
        "\t\tif (marks) z--;",
        "\t\tvalue += (z & 1) ? -(unsigned short)((z + 1) >> 1) : (unsigned short)(z >> 1);",
        "\t\tout[i] = value;",
        "\t}",
        "}",
        "",
        "static void unpack(unsigned short *out, size_t count, const unsigned char *in)",
        "{",
        "\tunpack_pass(out, count, in, 0, 0);",
        "}",
        "",
        "/* Two passes: the stored cells first, then the marked ones get the",
        " * code points in the fill range that no stored cell holds, ascending. */",
        "static void unpack_filled(unsigned short *out, size_t count, const unsigned char *in)",
        "{",
        "\tunpack_pass(out, count, in, 1, 0);",
        "\tfor (size_t i = 0; i < count; i++)",
        f"\t\tif (out[i] >= {FILL_FIRST:#x} && out[i] <= {FILL_LAST:#x})",
        f"\t\t\tfill_used[(out[i] - {FILL_FIRST:#x}) / 8] |= 1 << (out[i] - {FILL_FIRST:#x}) % 8;",
        f"\tunsigned cursor = {FILL_FIRST:#x};",
        "\tunpack_pass(out, count, in, 1, &cursor);",
        "}",
        "",
        "static int jis_order(const void *a, const void *b)",
        "{",
        "\tunsigned x = *(const unsigned short *)a, y = *(const unsigned short *)b;",
        "\tunsigned u = jis0208[x/256][x%256], v = jis0208[y/256][y%256];",
        "\treturn u < v ? -1 : u > v;",
        "}",
        "",
        "static void unpack_tables(void)",
        "{",
        "\tstatic int done;",
        "\tif (done) return;",
        "\tdone = 1;",
    ]
    for name, count, _, filled in packed_arrays:
        function = "unpack_filled" if filled else "unpack"
        helpers.append(f"\t{function}((unsigned short *){name}, {count}, packed_{name});")
    helpers += [
        "\tsize_t n = 0;",
        "\tfor (unsigned r = 0; r < 84; r++)",
        "\t\tfor (unsigned c = 0; c < 94; c++)",
        "\t\t\tif (jis0208[r][c]) rev_jis[n++] = r*256 + c;",
        "\tqsort(rev_jis, n, sizeof *rev_jis, jis_order);",
        "}",
        "",
    ]
    body = body.replace(opening, "\n".join(helpers) + "\n" + opening)
    text = "\n".join(lines) + "\n" + body
    with open(output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
