"""The hostile corpus: everything a file can throw at `blueprint`.

    python tests/hostile/make_corpus.py DIR [--large]

Small files are committed in tests/hostile/corpus/ (this script wrote them); the large
ones (10,000 levels of nesting, 50 MB, 100,000 steps, a 1 MB line, 500 actions in one
cell) are written at test time with --large.
"""

from __future__ import annotations

import sys
from pathlib import Path

VALID = "blueprint: 1\nphases: [Before, Visit, After]\nsteps:\n  - {title: Book, phase: before}\n"


def small() -> dict[str, bytes]:
    bomb = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    evil = [
        '"]; node [shape=star',
        "<b>bold</b> </TD></TR></TABLE>>",
        "<svg onload=alert(1)><script>alert(1)</script>",
        "\x1b]0;owned\x07\x1b[31mred\x1b[0m",
        '=HYPERLINK("http://evil","click")',
        "+1-2 @SUM(A1) -cmd",
        "# Heading | pipe | *bold* [link](http://x) `code`",
        "back\\slash \\N \\G \\L",
    ]

    def q(text: str) -> str:  # a YAML double-quoted scalar
        out = []
        for ch in text:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ord(ch) < 0x20:
                out.append(f"\\x{ord(ch):02x}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'

    injection = [
        "blueprint: 1",
        f"title: {q(evil[0])}",
        "actors:",
        f"  - {{id: clerk, title: {q(evil[1])}}}",
        "steps:",
    ]
    for i, text in enumerate(evil):
        injection += [
            f"  - id: s{i}",
            f"    title: {q(text)}",
            f"    evidence: [{{id: e{i}, text: {q(text)}}}]",
            f"    customer: [{{id: c{i}, text: {q(text)}}}]",
            "    frontstage:",
            f"      - id: f{i}",
            f"        text: {q(text)}",
            "        actor: clerk",
            f"        script: {q(text)}",
            f"        wait: {{text: {q(text)}, expected: 1m, max: 2m}}",
            f"        fail_points: [{{id: fp{i}, text: {q(text)}, severity: 9, occurrence: 9, "
            f"detection: 9, prevention: {q(text)}, recovery: {q(text)}}}]",
        ]
    injection += ["flows:"] + [
        f"  - {{from: c{i}, to: f{i}, label: {q(evil[i])}}}" for i in range(len(evil))
    ]
    uni = [
        "\u202eRTL override",
        "עברית مرحبا",
        "emoji 👩‍👩‍👧 🚗",
        "e\u0301 combining",
        "zero\u200bwidth\u200d",
        "日本語の予約",
    ]
    unicode_bp = ["blueprint: 1", f"title: {q(uni[0])}", f"description: {q(uni[1])}", "steps:"]
    for text in uni:
        unicode_bp += [
            f"  - title: {q(text)}",
            f"    evidence: [{q(text)}]",
            f"    customer: [{q(text)}]",
            f"    frontstage: [{{text: {q(text)}, fail_points: [{q(text)}], wait: {q(text)}}}]",
        ]
    return {
        "empty.yaml": b"",
        "only-comments.yaml": b"# a blueprint will go here\n# one day\n",
        "top-level-list.yaml": b"- blueprint: 1\n- title: x\n",
        "top-level-scalar.yaml": b"just some text\n",
        "several-documents.yaml": (VALID + "---\n" + VALID).encode(),
        "invalid-utf8.yaml": b"blueprint: 1\ntitle: caf\xe9 cr\xe8me\n",
        "utf16-bom.yaml": VALID.encode("utf-16"),
        "utf8-bom.yaml": b"\xef\xbb\xbf" + VALID.encode(),
        "crlf.yaml": (VALID + "  - {title: Stay, phase: visit, evidance: [Key]}\n")
        .replace("\n", "\r\n")
        .encode(),
        "tabs.yaml": b"blueprint: 1\nsteps:\n\t- title: Book\n",
        "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)),
        "alias-bomb.yaml": ("\n".join(bomb) + "\n").encode(),
        "yaml11-surprises.yaml": (
            b"blueprint: 1\ntitle: no\ndescription: on\nsteps:\n  - title: 0o10\n"
            b"  - title: 1_000\n  - title: 12:30\n"
        ),
        "duplicate-keys.yaml": (
            b"blueprint: 1\ntitle: A\ntitle: B\nsteps:\n  - title: S\n    title: T\n"
            b"    frontstage:\n      - text: X\n        text: Y\n"
            b"        fail_points: [{text: F, text: G}]\n"
        ),
        "unknown-keys.yaml": (
            b"blueprint: 1\ntitel: A\nlanes: {frontstag: On}\nstandards: {max_wiat: 5m}\n"
            b"steps:\n  - title: S\n    evidance: [x]\n    frontstage:\n      - text: X\n"
            b"        wait: {expectd: 1m}\n        fail_points: [{text: F, severty: 3}]\n"
            b"flows:\n  - {from: a, to: b, lable: c}\n"
        ),
        "slug-collisions.yaml": (
            b"blueprint: 1\nsteps:\n  - title: Greet guest\n    customer: [Greet guest, "
            b"'Greet  Guest!', 'GREET GUEST', {id: greet-guest-2, text: x}]\n"
            b"  - {title: greet-guest}\n"
        ),
        "flow-cycle-and-self.yaml": (
            b"blueprint: 1\nsteps:\n  - title: A\n    customer: [{id: a, text: A}]\n"
            b"    frontstage: [{id: b, text: B}, {id: c, text: C}]\n"
            b"flows:\n  - a -> b\n  - b -> a\n  - b -> c\n  - c -> b\n  - c -> c\n"
        ),
        "out-of-range.yaml": (
            b"blueprint: 1\nsteps:\n  - title: A\n    frontstage:\n      - text: X\n"
            b"        duration: -1m\n        wait: {expected: 5 minutes, max: 1e309s}\n"
            b"        fail_points: [{text: F, severity: 0, occurrence: 11, detection: -3}]\n"
        ),
        "unicode-everywhere.yaml": ("\n".join(unicode_bp) + "\n").encode(),
        "control-characters.yaml": (
            b'blueprint: 1\ntitle: "bell \\a nul \\0 esc \\e[2J"\nsteps:\n'
            b'  - title: "tab\\there \\x7f del"\n    customer: ["\\e]0;title\\a"]\n'
        ),
        "injection.yaml": ("\n".join(injection) + "\n").encode(),
    }


def large() -> dict[str, bytes]:
    steps = ["blueprint: 1", "steps:"] + [f"  - Step {i}" for i in range(100_000)]
    cell = [
        "blueprint: 1",
        "steps:",
        "  - title: Crowded",
        "    evidence: [Sign]",
        "    customer:",
    ] + [f"      - Action number {i}" for i in range(500)]
    line = "x" * 1_000_000
    return {
        "nesting-10000.yaml": b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        "size-50mb.yaml": (b"# " + b"y" * 1022 + b"\n") * (50 * 1024),
        "steps-100000.yaml": ("\n".join(steps) + "\n").encode(),
        "line-1mb.yaml": f"blueprint: 1\ntitle: {line}\nsteps: [{line[:200_000]}]\n".encode(),
        "cell-500-actions.yaml": ("\n".join(cell) + "\n").encode(),
        # one 1 MB scalar aliased 3,000 times, into a title and an invalid duration: the
        # alias limit in nodes lets it through; the limit in text stops it at once
        "alias-1mb-x3000.yaml": (
            f"blueprint: 1\nsteps:\n  - title: &a {line}\n    customer: [Pay]\n"
            + "  - {title: *a, customer: [{text: B, duration: *a}]}\n" * 3000
        ).encode(),
        # a name and a title that would forge output if printed raw
        "forged-title.yaml": (
            b'blueprint: 1\ntitle: "\\e[2J\\n::warning::forged\\r"\nsteps:\n'
            b'  - {title: "Pay 20\\\\G", customer: ["\\u202eevil"]}\n'
        ),
    }


def write(directory: Path, with_large: bool) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = {**small(), **(large() if with_large else {})}
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return sorted(directory / name for name in files)


if __name__ == "__main__":
    write(Path(sys.argv[1]), "--large" in sys.argv)
