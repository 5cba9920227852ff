"""The words on each page of a PDF that Qt wrote (no PDF library in the project: just enough of one).

Qt's PDF writer draws each glyph as ``<gid> Tj`` in a FlateDecode content stream, with the
font's ToUnicode CMap saying which character each glyph is. The space glyph's entry says
tab; it comes back as a space.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from pathlib import Path

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(2)
        stream = None
        if b"stream" in body:
            head, _, rest = body.partition(b"stream")
            raw = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
            stream = zlib.decompressobj().decompress(raw) if b"FlateDecode" in head else raw
            body = head
        found[int(match.group(1))] = (body, stream)
    return found


def _cmap(text: bytes) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for first, last, target in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[.*?\]|<[0-9A-Fa-f]+>)", block
        ):
            start, end = int(first, 16), int(last, 16)
            if target.startswith(b"["):
                for offset, code in enumerate(re.findall(rb"<([0-9A-Fa-f]+)>", target)):
                    glyphs[start + offset] = chr(int(code, 16))
            else:
                base = int(target[1:-1], 16)
                for offset in range(end - start + 1):
                    glyphs[start + offset] = chr(base + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, char in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(code, 16)] = chr(int(char, 16))
    return glyphs


def page_texts(path: Path) -> list[str]:
    """Each page's characters in drawing order."""
    objects = _objects(path.read_bytes())
    pages_id = next(i for i, (body, _) in objects.items() if b"/Type /Pages" in body)
    kids = [
        int(k) for k in re.findall(rb"(\d+) 0 R", objects[pages_id][0].split(b"/Kids", 1)[1].split(b"]")[0])
    ]
    texts = []
    for kid in kids:
        body = objects[kid][0]
        resources = re.search(rb"/Resources (\d+) 0 R", body)
        fonts_in = objects[int(resources.group(1))][0] if resources else body
        fonts: dict[bytes, dict[int, str]] = {}
        font_block = re.search(rb"/Font\s*<<(.*?)>>", fonts_in, re.S)
        for name, font_id in re.findall(rb"/(\w+)\s+(\d+) 0 R", font_block.group(1) if font_block else b""):
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(font_id)][0])
            fonts[name] = _cmap(objects[int(unicode_ref.group(1))][1] or b"") if unicode_ref else {}
        contents = [int(c) for c in re.findall(rb"/Contents (\d+) 0 R", body)]
        chars: list[str] = []
        for content in contents:
            current: dict[int, str] = {}
            for font, glyph in re.findall(
                rb"/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj", objects[content][1] or b""
            ):
                if font:
                    current = fonts.get(font, {})
                else:
                    chars.append(current.get(int(glyph, 16), "?"))
        # The space glyph maps to a tab here; NFKC spells out ligatures ("ﬁ" → "fi").
        texts.append(unicodedata.normalize("NFKC", "".join(chars)).replace("\t", " "))
    return texts
