"""Golden outputs of Pillow's Image.resize(size, Image.BILINEAR) for @onebit/core's resizeBilinearPillow.

Seeded random RGB and grey images, enlarged, shrunk and mixed, written as one JSON file:
[{"w", "h", "c", "ow", "oh", "in": hex, "out": hex}, ...]. Run: /usr/bin/python3 make.py (Debian python3-pil 9.4).
"""
import json, random
from PIL import Image

random.seed(20261130)
cases = []
for (w, h, c, ow, oh) in [(7, 5, 3, 3, 2), (5, 7, 3, 11, 13), (96, 96, 3, 32, 32), (9, 4, 1, 4, 9), (1, 1, 3, 3, 3), (13, 8, 3, 13, 5), (8, 13, 3, 5, 13), (227, 3, 3, 256, 3), (3, 227, 1, 3, 256), (40, 30, 3, 29, 31)]:
    data = bytes(random.randrange(256) for _ in range(w * h * c))
    im = Image.frombytes('RGB' if c == 3 else 'L', (w, h), data)
    out = im.resize((ow, oh), Image.BILINEAR).tobytes()
    cases.append({'w': w, 'h': h, 'c': c, 'ow': ow, 'oh': oh, 'in': data.hex(), 'out': out.hex()})
with open('bilinear-golden.json', 'w') as f:
    json.dump({'pillow': __import__('PIL').__version__, 'cases': cases}, f)
