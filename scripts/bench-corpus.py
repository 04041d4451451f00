#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a deterministic mbox of mixed bounces for scripts/bench.

Every message is one of the fixture bounces of tests/fixtures/bounces/ used
as a template: its addresses, documentation IP addresses, queue ids and a few
provider codes are varied, and it is padded with returned-message text to a
length drawn between --min-bytes and --max-bytes. The same seed always gives
the same file, byte for byte.

usage: scripts/bench-corpus.py --messages N --out FILE [--seed S]
                               [--min-bytes B] [--max-bytes B]
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
    args = parser.parse_args()

    rng = random.Random(args.seed)
    templates = load_templates(args.max_bytes)
    if not templates:
        print("bench-corpus: no fixture templates under " + FIXTURES, file=sys.stderr)
        return 1
    total = 0
    with open(args.out, "wb") as out:
        for i in range(args.messages):
            _, template = templates[rng.randrange(len(templates))]
            message = pad(vary(template, rng), rng.randint(args.min_bytes, args.max_bytes), rng)
            day = 1 + i % 28
            out.write(b"From MAILER-DAEMON Tue May %2d 09:%02d:%02d 2024\n" % (day, i // 60 % 60, i % 60))
            out.write(mbox_quote(message))
            out.write(b"\n")
            total += len(message)
    print("bench-corpus: %d messages, %d bytes of mail, %d templates -> %s"
          % (args.messages, total, len(templates), args.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
