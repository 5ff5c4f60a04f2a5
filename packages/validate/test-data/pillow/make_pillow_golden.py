"""Golden pixels of Pillow 9.4 (the reference's resize) for the preprocessing parity test.

For a few ImageNet validation JPEGs from ../shared (read by path, never copied) and synthetic
images built here, records the SHA-256 of the C×H×W uint8 planes that torchvision's
Resize(r) + CenterCrop(c) on a PIL image gives, so the test can assert @onebit/core's resample is
bit-exact with Pillow without Python at test time. Run: /usr/bin/python3 make_pillow_golden.py
"""
import hashlib, json, os
import numpy as np
from PIL import Image

SHARED = os.path.join(os.path.dirname(__file__), '../../../../../shared/datasets/imagenet/val-1300-resized-227')
FILES = ['ILSVRC2012_val_00000347.JPEG', 'ILSVRC2012_val_00000355.JPEG', 'ILSVRC2012_val_00000361.JPEG', 'ILSVRC2012_val_00000363.JPEG']
GEOMETRIES = [(256, 224), (100, 96), (37, 32), (300, None)]


def synthetic(w, h):
    """R = x·7 mod 256, G = y·13 mod 256, B = (x·y) mod 256: every pixel says where it came from."""
    y, x = np.mgrid[0:h, 0:w]
    return Image.fromarray(np.stack([(x * 7) % 256, (y * 13) % 256, (x * y) % 256], -1).astype(np.uint8), 'RGB')


def planes(im, r, c):
    w, h = im.size
    size = (r, int(r * h / w)) if w <= h else (int(r * w / h), r)
    im = im.resize(size, Image.BILINEAR)
    if c:
        W, H = im.size
        left, top = int(round((W - c) / 2.0)), int(round((H - c) / 2.0))
        im = im.crop((left, top, left + c, top + c))
    a = np.ascontiguousarray(np.asarray(im).transpose(2, 0, 1))
    return {'width': im.size[0], 'height': im.size[1], 'sha256': hashlib.sha256(a.tobytes()).hexdigest()}


out = {'pillow': Image.__version__, 'images': []}
for f in FILES:
    im = Image.open(os.path.join(SHARED, f)).convert('RGB')
    out['images'].append({'file': f, 'results': [dict(resize=r, crop=c, **planes(im, r, c)) for r, c in GEOMETRIES]})
for w, h in [(96, 96), (50, 31), (700, 3)]:
    out['images'].append({'synthetic': [w, h], 'results': [dict(resize=r, crop=c, **planes(synthetic(w, h), r, c)) for r, c in [(32, None), (13, 11), (64, 48)] if not c or c <= min(r, r * max(w, h) // min(w, h))]})
with open(os.path.join(os.path.dirname(__file__), 'pillow-golden.json'), 'w') as fh:
    json.dump(out, fh, indent=1)
    fh.write('\n')
