"""Each account's default picture: a calendar leaf on a colour drawn from the collection's slug.

Drawn here as a PNG (Mastodon shows PNG, JPEG, GIF and WebP avatars, not SVG) with ``zlib``
from the standard library, because Hodie has no imaging library and a few rectangles do not
justify one. An editor can give any picture instead (the account's ``icon_url``).
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib

SIZE = 128


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _colour(slug: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(slug.encode()).digest()
    # Dark enough for the white leaf to stand out: each channel between 40 and 140.
    return tuple(40 + b % 100 for b in digest[:3])  # type: ignore[return-value]


@functools.cache
def png_for(slug: str) -> bytes:
    background = bytes(_colour(slug))
    white, red, grey = b"\xff\xff\xff", b"\xc8\x32\x2d", b"\xb4\xb4\xb4"
    rows = []
    for y in range(SIZE):
        row = bytearray(b"\x00")  # filter type 0 for each scanline
        for x in range(SIZE):
            inside = 24 <= x < 104 and 20 <= y < 108
            if not inside:
                row += background
            elif y < 44:
                row += red
            elif 56 <= y < 100 and (y - 56) % 11 < 2 and 36 <= x < 92:
                row += grey  # the leaf's ruled lines
            else:
                row += white
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
