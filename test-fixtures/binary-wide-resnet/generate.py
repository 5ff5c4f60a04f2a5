"""Builds small networks of the szagoruyko/binary-wide-resnet family (PyTorch implementation of
McDonnell, ICLR 2018) in both file kinds its users hold, with reference logits.

Run from the repository root with Debian's python3-torch (1.13) and python3-numpy:

    /usr/bin/python3 test-fixtures/binary-wide-resnet/generate.py

The network is re-implemented here from reading the repository's wrn_mcdonnell.py (MIT); no code is
copied. Parameter names, shapes and the forward pass follow it exactly:
  conv0 [16w, 3, 3, 3] (float) -> group0..2, each (depth - 2) / 6 pre-activated blocks
  block: h = conv0(relu(bn0(x))); h = conv1(relu(bn1(h))); out = x + h      (3x3, padding 1)
  first block of group1 and group2: conv0 has stride 2, shortcut avg_pool2d(x, 3, 2, padding 1)
  (count_include_pad=True, PyTorch's default) then concatenated with as many zero channels
  head: relu(bn(h)) -> conv_last [classes, 64w, 1, 1] (float) -> bn_last (affine) -> spatial mean
  batch norms: eval mode, eps 1e-5, no affine parameters except bn_last
  block convs deploy sqrt(2 / (C_in * kh * kw)) * sign(W_latent)
Preprocessing (its create_dataset, test mode): ToTensor (x / 255) then Normalize with mean
[125.3, 123.0, 113.9] / 255 and std [63.0, 62.1, 66.7] / 255 (onebit's `cifar-wrn` preset).

Two models, chosen small and to cover odd shapes: depth 8 / width 0.75 / 10 classes (12, 24, 48
channels: the input-channel packing of 12 pads to 2 bytes) and depth 14 / width 0.5 / 100 classes.
Each is trained for a few SGD steps with the repository's recipe (binarize, straight-through
gradient, SGD momentum 0.9, weight decay 5e-4, cosine annealing) on the CIFAR-10 test images
0-999 of ../shared, only so that batch-norm statistics and logits are realistic; this is a
fixture, not an accuracy claim. Then a few latent block-conv weights are set to exactly 0.

sign(0): the repository's ForwardSign uses torch.sign, so a latent weight of exactly 0 deploys as
0, which one bit cannot store; onebit's rule (and this script's packing) is sign(0) = +1. The
reference logits use onebit's rule; summary.json records how many weights are exactly 0 and how far
the repository's own forward pass (sign(0) = 0) is from the reference on the same images.

Writes into test-fixtures/binary-wide-resnet/ for each model NAME:
  NAME.checkpoint.pth.tar  training checkpoint as main.py saves it: {'state_dict', 'optimizer',
                           'scheduler', 'epoch'}, keys prefixed 'module.' (DataParallel), latent
                           float weights (torch.save zip format)
  NAME.packed.pth.tar      the packed release as the README publishes it: a flat dict of the same
                           keys, each block conv a uint8 tensor np.packbits-ed along the input-channel
                           axis (MSB first, bit 1 = +1), every other tensor unchanged
  NAME.logits.npy          float32 reference logits [1000, classes] on CIFAR-10 test images 0-999
and, from the depth-8 model's packed release, the same in torch's legacy (pre-zip) format, as the
published release (saved by PyTorch 0.4.1) is:
  wrn8-0.75-c10.packed.legacy.pth.tar
and two broken files:
  broken-missing-key.pth.tar   without 'module.group1.block0.bn1.running_var'
  broken-misshaped.pth.tar     'module.group2.block0.conv1' with one output channel too few
plus summary.json and SHA256SUMS.
"""
import hashlib
import json
import math
import os
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
CIFAR = os.path.join(HERE, '..', '..', '..', 'shared', 'datasets', 'cifar10', 'test_batch_0-999.bin')
MEAN = np.array([125.3, 123.0, 113.9]) / 255.0
STD = np.array([63.0, 62.1, 66.7]) / 255.0
EPS = 1e-5
MODELS = [
    # name, depth, width, classes, seed, latent weights set to exactly 0 (key, flat index)
    ('wrn8-0.75-c10', 8, 0.75, 10, 8, [
        ('group0.block0.conv0', 0), ('group0.block0.conv0', 777), ('group1.block0.conv0', 5),
        ('group2.block0.conv1', 12345), ('group2.block0.conv1', 20000)]),
    ('wrn14-0.5-c100', 14, 0.5, 100, 14, [
        ('group1.block1.conv1', 100), ('group2.block1.conv0', 4321), ('group2.block0.conv0', 0)]),
]
TRAIN_STEPS = 20
BATCH = 50


def read_cifar(path):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].reshape(-1, 3, 32, 32), raw[:, 0].astype(np.int64)


def preprocess(pixels):
    """torchvision ToTensor + Normalize in float32, as create_dataset(train=False) does."""
    x = torch.from_numpy(pixels.astype(np.float32)) / 255.0
    mean = torch.as_tensor(MEAN, dtype=torch.float32).view(1, 3, 1, 1)
    std = torch.as_tensor(STD, dtype=torch.float32).view(1, 3, 1, 1)
    return (x - mean) / std


def he_scale(w):
    return math.sqrt(2.0 / (w.shape[1] * w.shape[2] * w.shape[3]))


class SignSTE(torch.autograd.Function):
    """The repository's training sign: torch.sign (sign(0) = 0) times the He scale, identity gradient."""

    @staticmethod
    def forward(ctx, w):
        return he_scale(w) * w.sign()

    @staticmethod
    def backward(ctx, g):
        return g


def deploy_onebit(w):
    """onebit's deployed weight: sign(0) = +1."""
    return he_scale(w) * torch.where(w >= 0, torch.ones_like(w), -torch.ones_like(w))


def deploy_repository(w):
    return he_scale(w) * w.sign()


def kaiming(*shape):
    return nn.Parameter(nn.init.kaiming_normal_(torch.zeros(*shape), mode='fan_out', nonlinearity='relu'))


class PreActBlock(nn.Module):
    """A residual block; `down` halves the map and doubles the channels (avg-pool + zero shortcut)."""

    def __init__(self, channels, down):
        super().__init__()
        c_in = channels // 2 if down else channels
        self.down = down
        self.bn0 = nn.BatchNorm2d(c_in, affine=False)
        self.register_parameter('conv0', kaiming(channels, c_in, 3, 3))
        self.bn1 = nn.BatchNorm2d(channels, affine=False)
        self.register_parameter('conv1', kaiming(channels, channels, 3, 3))

    def forward(self, x, weight):
        h = F.conv2d(F.relu(self.bn0(x)), weight(self.conv0), padding=1, stride=2 if self.down else 1)
        h = F.conv2d(F.relu(self.bn1(h)), weight(self.conv1), padding=1)
        if self.down:
            x = F.avg_pool2d(x, kernel_size=3, stride=2, padding=1)  # count_include_pad=True
            x = torch.cat([x, torch.zeros_like(x)], dim=1)
        return x + h


class BinaryWRN(nn.Module):
    """Same parameter names and registration order as the repository's WRN_McDonnell."""

    def __init__(self, depth, width, classes):
        super().__init__()
        widths = [int(v * width) for v in (16, 32, 64)]
        n = (depth - 2) // 6
        self.register_parameter('conv0', kaiming(widths[0], 3, 3, 3))
        for g, c in enumerate(widths):
            blocks = OrderedDict(('block%d' % i, PreActBlock(c, g > 0 and i == 0)) for i in range(n))
            self.add_module('group%d' % g, nn.Sequential(blocks))
        self.bn = nn.BatchNorm2d(widths[2], affine=False)
        self.register_parameter('conv_last', kaiming(classes, widths[2], 1, 1))
        self.bn_last = nn.BatchNorm2d(classes)
        self.weight = SignSTE.apply

    def forward(self, x):
        h = F.conv2d(x, self.conv0, padding=1)
        for g in (self.group0, self.group1, self.group2):
            for block in g:
                h = block(h, self.weight)
        h = F.relu(self.bn(h))
        h = self.bn_last(F.conv2d(h, self.conv_last))
        return F.avg_pool2d(h, kernel_size=h.shape[-2:]).view(h.shape[0], -1)


def is_block_conv(key):
    parts = key.split('.')
    return parts[-1] in ('conv0', 'conv1') and len(parts) >= 3 and parts[-3].startswith('group')


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    torch.set_num_threads(2)
    pixels, labels = read_cifar(CIFAR)
    inputs = preprocess(pixels)
    summary = {'images': 'CIFAR-10 test images 0-999 (../shared/datasets/cifar10/test_batch_0-999.bin)',
               'preprocess': 'cifar-wrn', 'models': {}}
    written = []
    for name, depth, width, classes, seed, zeros in MODELS:
        torch.manual_seed(seed)
        model = BinaryWRN(depth, width, classes)
        net = nn.DataParallel(model)  # on CPU it only adds the 'module.' prefix, as in main.py
        optimizer = torch.optim.SGD(net.parameters(), 0.1, momentum=0.9, weight_decay=0.0005)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=2, eta_min=0.0001)
        scheduler.step()
        order = torch.randperm(1000, generator=torch.Generator().manual_seed(seed + 1000))
        model.train()
        for step in range(TRAIN_STEPS):
            idx = order[(step * BATCH) % 1000:][:BATCH]
            y = torch.from_numpy(labels[idx.numpy()] % classes)
            optimizer.zero_grad()
            loss = F.cross_entropy(net(inputs[idx]), y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            # bn_last's affine parameters moved little in 20 steps; make them matter
            model.bn_last.weight.mul_(torch.empty(classes).uniform_(0.5, 1.5))
            model.bn_last.bias.add_(torch.randn(classes) * 0.5)
            for key, flat in zeros:
                dict(model.named_parameters())[key].view(-1)[flat] = 0.0

        state = net.state_dict()
        zero_count = sum(int((t == 0).sum()) for k, t in state.items() if is_block_conv(k[len('module.'):]))
        binary_weights = sum(t.numel() for k, t in state.items() if is_block_conv(k[len('module.'):]))
        with torch.no_grad():
            model.weight = deploy_onebit
            logits = torch.cat([net(inputs[i:i + 250]) for i in range(0, 1000, 250)]).numpy()
            model.weight = deploy_repository
            repo_logits = torch.cat([net(inputs[i:i + 250]) for i in range(0, 1000, 250)]).numpy()
        logits = logits.astype(np.float32)
        top2 = np.sort(logits, axis=1)[:, -2:]
        delta = np.abs(repo_logits - logits)

        paths = {k: os.path.join(HERE, '%s.%s' % (name, k)) for k in ('checkpoint.pth.tar', 'packed.pth.tar', 'logits.npy')}
        torch.save({'state_dict': state, 'optimizer': optimizer.state_dict(),
                    'scheduler': scheduler.state_dict(), 'epoch': 0}, paths['checkpoint.pth.tar'])
        packed = OrderedDict()
        for k, t in state.items():
            if is_block_conv(k[len('module.'):]):
                bits = (t >= 0).numpy().astype(np.uint8)  # bit 1 = +1; sign(0) = +1
                packed[k] = torch.from_numpy(np.packbits(bits, axis=1))
            else:
                packed[k] = t.clone()
        torch.save(packed, paths['packed.pth.tar'])
        if name == 'wrn8-0.75-c10':
            # the published release was saved by PyTorch 0.4.1: the legacy (pre-zip) format
            legacy = os.path.join(HERE, name + '.packed.legacy.pth.tar')
            torch.save(packed, legacy, _use_new_zipfile_serialization=False)
            written.append(legacy)
        np.save(paths['logits.npy'], logits)
        written += paths.values()
        summary['models'][name] = {
            'depth': depth, 'width': width, 'classes': classes, 'seed': seed,
            'binary_weights': binary_weights,
            'latent_weights_exactly_zero': zero_count,
            'zeroed_at': ['module.%s[%d]' % (k, i) for k, i in zeros],
            'max_abs_logit': float(np.abs(logits).max()),
            'min_top1_top2_margin': float((top2[:, 1] - top2[:, 0]).min()),
            'repository_sign0_forward': {
                'note': 'the repository forward pass (torch.sign, sign(0) = 0) on the same weights',
                'max_abs_delta_logit_vs_reference': float(delta.max()),
                'predictions_differing_from_reference': int((repo_logits.argmax(1) != logits.argmax(1)).sum()),
            },
        }
        if name == 'wrn8-0.75-c10':
            missing = OrderedDict((k, v) for k, v in packed.items() if k != 'module.group1.block0.bn1.running_var')
            misshaped = OrderedDict(packed)
            misshaped['module.group2.block0.conv1'] = packed['module.group2.block0.conv1'][:-1].clone()
            for fname, obj in (('broken-missing-key.pth.tar', missing), ('broken-misshaped.pth.tar', misshaped)):
                torch.save(obj, os.path.join(HERE, fname))
                written.append(os.path.join(HERE, fname))

    with open(os.path.join(HERE, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
        f.write('\n')
    written.append(os.path.join(HERE, 'summary.json'))
    with open(os.path.join(HERE, 'SHA256SUMS'), 'w') as f:
        for p in sorted(written):
            f.write('%s  %s\n' % (sha256(p), os.path.basename(p)))
    for name, m in summary['models'].items():
        print(name, m)


if __name__ == '__main__':
    main()
