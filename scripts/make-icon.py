#!/usr/bin/env python3
"""Draws the extension's icon, images/icon.png (128x128): a shield over a pair of braces, NGINX green on
a dark rounded square. Standard library only (the PNG is written with zlib); each pixel is the mean of
4x4 samples, for smooth edges. Run from the repository root: python3 scripts/make-icon.py"""

import struct
import zlib

SIZE = 128
SAMPLES = 4
BACKGROUND = (17, 38, 51)
GREEN = (0, 150, 57)
WHITE = (245, 248, 250)


def inside_rounded_square(x, y, radius=22):
    cx = min(max(x, radius), SIZE - radius)
    cy = min(max(y, radius), SIZE - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def inside_shield(x, y, inset=0.0):
    # a shield: straight top with slanted shoulders, sides curving to a point at the bottom
    top, bottom, left, right = 18 + inset, 112 - inset * 1.6, 26 + inset, 102 - inset
    if y < top or y > bottom:
        return False
    middle = (left + right) / 2
    half = (right - left) / 2
    shoulder = top + 8
    if y < shoulder:  # the top edge dips towards the middle
        return abs(x - middle) <= half and y >= top + 6 * (1 - abs(x - middle) / half)
    depth = (y - shoulder) / (bottom - shoulder)  # 0 at the shoulders, 1 at the point
    width = half * (1 - depth ** 2.2)
    return abs(x - middle) <= width


def inside_braces(x, y):
    # `{ }` drawn with thick strokes inside the shield
    def brace(cx, flip):
        dx = (x - cx) * flip
        if 40 <= y <= 88:
            if abs(y - 64) < 3.5 and -8 <= dx <= 0:  # the point
                return True
            if -3 <= dx <= 3 and (44 <= y <= 61 or 67 <= y <= 84):  # the arms
                return True
            if (y < 48 or y > 80) and 0 <= dx <= 8 and (abs(y - 43) < 3.5 or abs(y - 85) < 3.5):  # the ends
                return True
        return False

    return brace(50, 1) or brace(78, -1)


def colour(x, y):
    if not inside_rounded_square(x, y):
        return None
    if inside_shield(x, y):
        if not inside_shield(x, y, inset=6):
            return WHITE
        return WHITE if inside_braces(x, y) else GREEN
    return BACKGROUND


def pixel(px, py):
    total = [0, 0, 0, 0]
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            c = colour(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
            if c is not None:
                total[0] += c[0]
                total[1] += c[1]
                total[2] += c[2]
                total[3] += 255
    n = SAMPLES * SAMPLES
    alpha = total[3] / n
    if alpha == 0:
        return (0, 0, 0, 0)
    covered = total[3] / 255
    return (round(total[0] / covered), round(total[1] / covered), round(total[2] / covered), round(alpha))


def png(rows):
    raw = b''.join(b'\x00' + bytes(v for p in row for v in p) for row in rows)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')


if __name__ == '__main__':
    import os

    os.makedirs('images', exist_ok=True)
    with open('images/icon.png', 'wb') as f:
        f.write(png([[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]))
    print('wrote images/icon.png')
