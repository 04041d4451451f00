#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a deterministic mbox of mixed bounces for scripts/bench.

Every message is one of the fixture bounces of tests/fixtures/bounces/ used
as a template: its addresses, documentation IP addresses, queue ids and a few
provider codes are varied, and it is padded with returned-message text to a
length drawn between --min-bytes and --max-bytes. The same seed always gives
the same file, byte for byte.

Where the padding goes (--padding):
  text      (the default) appended after the bounce under a line that no MTA
            writes, so the engine reads it as the bounce's own text: every
            byte is diagnosed, the hardest case for the classifier
  original  inside the returned original, as real NDRs carry it: the body of
            a message/rfc822 part, more header lines in a text/rfc822-headers
            part, a message/rfc822 part added to a multipart bounce that has
            none, or lines after a plain-text bounce's own original marker
            (Exim, qmail, Sendmail). Bounces with neither MIME nor a marker
            (a pasted reply line, an Outlook page) are padded as with "text"

usage: scripts/bench-corpus.py --messages N --out FILE [--seed S]
                               [--min-bytes B] [--max-bytes B]
                               [--padding text|original]
"""

import argparse
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "bounces")

# Local parts and domains the corpus draws from (all reserved names).
FIRST = ["alex", "bob", "carol", "dana", "eli", "fran", "gus", "hana", "ivan", "jo",
         "kim", "lee", "max", "nia", "omar", "pat", "quinn", "robin", "sam", "tara"]
DOMAINS = ["example.com", "example.net", "example.org", "corp.example", "shop.example",
           "mail.example", "news.example.net", "eu.example.org", "team.test", "lab.test"]
PADDING = [
    "Thanks again for the call this morning; the notes are below.",
    "The shipment left the warehouse on Monday and should arrive on Thursday.",
    "Please review the attached figures before the meeting with the board.",
    "We moved the workshop to room 4 because of the building works.",
    "If anything in the draft looks wrong, reply to this message by Friday.",
    "The invoice number is in the subject line; payment terms are 30 days.",
    "Our support team is available from 8:00 to 18:00 on working days.",
    "You are receiving this because you signed up for the quarterly update.",
]

ADDRESS = re.compile(rb"\b([a-z][a-z0-9.+-]{0,30})@((?:[a-z0-9-]+\.)*(?:example(?:\.com|\.net|\.org)?|test|invalid))\b")
IPV4_DOC = re.compile(rb"\b(192\.0\.2|198\.51\.100|203\.0\.113)\.(\d{1,3})\b")
QUEUE_ID = re.compile(rb"\b4VdK[0-9A-Za-z]{6,11}\b")
M365_BANNED = re.compile(rb"\b5\.7\.6(?:0[6-9]|[1-4][0-9])\b")
YAHOO_TSS = re.compile(rb"\[TSS0[49]\]")


def load_templates(max_bytes):
    templates = []
    for folder, _, files in sorted(os.walk(FIXTURES)):
        for name in sorted(files):
            if not (name.endswith(".eml") or name.endswith(".txt")):
                continue
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read().replace(b"\r\n", b"\n")
            if data.startswith(b"From "):
                continue  # already an mbox; its messages are other templates
            if len(data) <= max_bytes - 200:
                templates.append((os.path.relpath(os.path.join(folder, name), FIXTURES), data))
    return templates


def vary(data, rng):
    people = {}

    def address(match):
        key = match.group(0)
        if key not in people:
            local = rng.choice(FIRST) + str(rng.randrange(1000))
            people[key] = (local + "@" + rng.choice(DOMAINS)).encode()
        return people[key]

    ips = {}

    def ip(match):
        key = match.group(0)
        if key not in ips:
            ips[key] = match.group(1) + b"." + str(rng.randrange(1, 255)).encode()
        return ips[key]

    data = ADDRESS.sub(address, data)
    data = IPV4_DOC.sub(ip, data)
    queue = ("4VdK" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTVWXYZabcdefghkmnpqrstvwxyz")
                              for _ in range(11))).encode()
    data = QUEUE_ID.sub(queue, data)
    data = M365_BANNED.sub(lambda m: b"5.7.6" + str(rng.randrange(6, 50)).zfill(2).encode(), data)
    data = YAHOO_TSS.sub(lambda m: rng.choice([b"[TSS04]", b"[TSS09]"]), data)
    return data


# The plain-text markers after which a bounce quotes the original message
# (the ones core/engine/bounce.cc knows).
ORIGINAL_MARKERS = [
    b"------ This is a copy of the message, including all the headers.",
    b"------ This is a copy of the message's headers.",
    b"--- Below this line is a copy of the message.",
    b"--- Enclosed is a copy of the message.",
    b"----- Original message follows -----",
    b"------ Original message follows",
    b"----- Unsent message follows -----",
    b"----- Message header follows -----",
    b"------ Original message ------",
    b"Original message headers:",
]
BOUNDARY = re.compile(rb'(?i)\bboundary\s*=\s*(?:"([^"]+)"|([^;\s]+))')
PART_TYPE = re.compile(rb"(?im)^Content-Type:\s*([a-z0-9.+-]+/[a-z0-9.+-]+)")
PART_ENCODING = re.compile(rb"(?im)^Content-Transfer-Encoding:\s*(\S+)")


def prose(size, rng):
    lines = []
    while size > 0:
        line = rng.choice(PADDING).encode()
        lines.append(line)
        size -= len(line) + 1
    return b"\n".join(lines) + b"\n"


def header_lines(size, rng):
    """Returned header lines: up to six relays' Received lines, then long
    trace lines of base64-like text (as DKIM and ARC headers are)."""
    lines = []
    hop = 0
    while size > 0:
        if hop < 6:
            a, b = rng.randrange(1, 255), rng.randrange(1, 255)
            line = (b"Received: from relay%d.example.org (relay%d.example.org [198.51.100.%d])\n"
                    b"\tby mx%d.example.net with ESMTPS id 4VdK%08d; Tue, 14 May 2024 09:1%d:%02d +0200"
                    % (a, a, b, hop, rng.randrange(10 ** 8), hop, rng.randrange(60)))
            hop += 1
        else:
            chunk = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                            for _ in range(70)).encode()
            line = b"X-Relay-Trace: i=%d; " % hop + chunk
            hop += 1
        lines.append(line)
        size -= len(line) + 1
    return b"\n".join(lines) + b"\n"


def pad_original(data, target, rng):
    """Pads the returned original; None when the bounce carries none."""
    need = target - len(data)
    head_end = data.find(b"\n\n")
    head = re.sub(rb"\n[ \t]+", b" ", data[:head_end if head_end >= 0 else len(data)])
    top_type = PART_TYPE.search(head)
    boundary = BOUNDARY.search(head)
    if top_type and top_type.group(1).lower().startswith(b"multipart/") and boundary:
        delimiter = b"--" + (boundary.group(1) or boundary.group(2))
        lines = data.split(b"\n")
        marks = [i for i, line in enumerate(lines) if line.rstrip(b"\r").startswith(delimiter)]
        closing = next((i for i in marks if lines[i].rstrip(b"\r").startswith(delimiter + b"--")), None)
        if closing is None:
            return None
        for begin, end in zip(marks, marks[1:]):
            part = b"\n".join(lines[begin + 1:end])
            split = part.find(b"\n\n")
            part_head = part[:split] if split >= 0 else part
            kind = PART_TYPE.search(part_head)
            encoding = PART_ENCODING.search(part_head)
            if not kind or (encoding and encoding.group(1).lower() not in (b"7bit", b"8bit", b"binary")):
                continue
            kind = kind.group(1).lower()
            if kind in (b"message/rfc822", b"message/global"):
                inner = part[split + 2:] if split >= 0 else b""
                body = prose(need, rng)
                if b"\n\n" not in inner.rstrip(b"\n"):
                    body = b"\n" + body  # headers only so far: open a body
                while end > begin + 1 and lines[end - 1].strip() == b"":
                    end -= 1
                return b"\n".join(lines[:end]) + b"\n" + body + b"\n".join(lines[end:])
            if kind in (b"text/rfc822-headers", b"message/global-headers"):
                while end > begin + 1 and lines[end - 1].strip() == b"":
                    end -= 1
                return b"\n".join(lines[:end]) + b"\n" + header_lines(need, rng) + b"\n".join(lines[end:])
        original = (b"Content-Type: message/rfc822\n\n"
                    b"From: sender@example.org\nTo: recipient@example.net\n"
                    b"Subject: Quarterly figures\nDate: Tue, 14 May 2024 09:10:00 +0200\n"
                    b"Message-ID: <quarterly.4VdK@example.org>\n\n")
        part = delimiter + b"\n" + original + prose(need - len(original), rng)
        return b"\n".join(lines[:closing]) + b"\n" + part + b"\n".join(lines[closing:])
    if any(marker in data for marker in ORIGINAL_MARKERS):
        return data.rstrip(b"\n") + b"\n" + prose(need, rng)
    return None


def pad(data, target, rng):
    if len(data) >= target:
        return data
    lines = [b"", b"-- ", b"Returned text of the original message follows."]
    size = len(data) + sum(len(l) + 1 for l in lines)
    while size < target:
        line = rng.choice(PADDING).encode()
        lines.append(line)
        size += len(line) + 1
    return data.rstrip(b"\n") + b"\n" + b"\n".join(lines) + b"\n"


def mbox_quote(data):
    # mboxrd: a body line starting with "From " (after any ">") gains one ">".
    return re.sub(rb"(?m)^(>*From )", rb">\1", data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240514)
    parser.add_argument("--min-bytes", type=int, default=3072)
    parser.add_argument("--max-bytes", type=int, default=5120)
    parser.add_argument("--padding", choices=["text", "original"], default="text")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    templates = load_templates(args.max_bytes)
    if not templates:
        print("bench-corpus: no fixture templates under " + FIXTURES, file=sys.stderr)
        return 1
    total = 0
    in_original = 0
    with open(args.out, "wb") as out:
        for i in range(args.messages):
            _, template = templates[rng.randrange(len(templates))]
            message = vary(template, rng)
            target = rng.randint(args.min_bytes, args.max_bytes)
            padded = None
            if args.padding == "original" and len(message) < target:
                padded = pad_original(message, target, rng)
                in_original += padded is not None
            message = padded if padded is not None else pad(message, target, rng)
            day = 1 + i % 28
            out.write(b"From MAILER-DAEMON Tue May %2d 09:%02d:%02d 2024\n" % (day, i // 60 % 60, i % 60))
            out.write(mbox_quote(message))
            out.write(b"\n")
            total += len(message)
    print("bench-corpus: %d messages, %d bytes of mail, %d templates -> %s"
          % (args.messages, total, len(templates), args.out), file=sys.stderr)
    if args.padding == "original":
        print("bench-corpus: %d messages padded inside their returned original, %d as bounce text"
              % (in_original, args.messages - in_original), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
