"""Builds a small network of the binary-wide-resnet pattern and exports it with torch.onnx.export.

Run from the repository root with Debian's python3-torch and python3-onnx (torch 1.13):

    /usr/bin/python3 test-fixtures/declared-sign/make.py

The pattern is that of szagoruyko/binary-wide-resnet (wrn_mcdonnell.py), the PyTorch implementation
of McDonnell (ICLR 2018): an autograd Function whose forward returns sqrt(2 / fan_in) * w.sign()
for the binarized convolutions, while the first and the last convolutions stay float. Exported
with torch.onnx.export, each binarized conv weight becomes Sign(latent W) followed by Mul(scale):
the binarization is declared by the graph. Written independently for onebit's tests (no code copied).

Network (CIFAR-like input [N, 3, 8, 8], pre-activation blocks, BN without affine parameters):
  conv0 3->16 3x3 (float) | block: BN, ReLU, conv 16->16 (binary), BN, ReLU, conv 16->16 (binary), +x
  | downsample block: BN, ReLU, conv 16->32 stride 2 (binary), BN, ReLU, conv 32->32 (binary),
  + cat(avgpool(x), 0) | BN, ReLU, conv_last 32->10 1x1 (float), BN (affine) | global avg pool.
Batch-norm statistics are made non-trivial with a few forward passes in training mode.
A second variant, `declared-sign-perchannel.onnx`, multiplies sign(W) by a per-output-channel scale
[C_out, 1, 1, 1] on the left (scale * sign(W)), the other operand order.

Writes (all seeded):
  declared-sign.onnx              opset 13, input `input` [N, 3, 8, 8], output `logits` [N, 10]
  declared-sign-perchannel.onnx   the same with per-output-channel scales in the other operand order
  inputs.bin                      float32 [4, 3, 8, 8] seeded inputs (little-endian)
  expected-logits.bin             float32 [4, 10] PyTorch's eval-mode logits of declared-sign on inputs.bin
  expected-logits-perchannel.bin  float32 [4, 10] the same for the per-channel variant
  SHA256SUMS
"""
import hashlib
import math
import os

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class SignHe(torch.autograd.Function):
    """sign(w) times the He scale sqrt(2 / fan_in); straight-through gradient."""

    @staticmethod
    def forward(ctx, w):
        fan_in = w.shape[1] * w.shape[2] * w.shape[3]
        return math.sqrt(2.0 / fan_in) * w.sign()

    @staticmethod
    def backward(ctx, g):
        return g


class SignPerChannel(torch.autograd.Function):
    """A per-output-channel scale times sign(w), scale on the left."""

    @staticmethod
    def forward(ctx, w, scale):
        return scale * w.sign()

    @staticmethod
    def backward(ctx, g):
        return g, None


class Net(nn.Module):
    def __init__(self, per_channel=False):
        super().__init__()
        self.per_channel = per_channel
        gen = torch.Generator().manual_seed(1)

        def weight(*shape):
            return nn.Parameter(torch.randn(*shape, generator=gen) * math.sqrt(2.0 / (shape[1] * shape[2] * shape[3])))

        self.conv0 = weight(16, 3, 3, 3)
        self.b0_bn0 = nn.BatchNorm2d(16, affine=False)
        self.b0_conv0 = weight(16, 16, 3, 3)
        self.b0_bn1 = nn.BatchNorm2d(16, affine=False)
        self.b0_conv1 = weight(16, 16, 3, 3)
        self.b1_bn0 = nn.BatchNorm2d(16, affine=False)
        self.b1_conv0 = weight(32, 16, 3, 3)
        self.b1_bn1 = nn.BatchNorm2d(32, affine=False)
        self.b1_conv1 = weight(32, 32, 3, 3)
        self.bn = nn.BatchNorm2d(32, affine=False)
        self.conv_last = weight(10, 32, 1, 1)
        self.bn_last = nn.BatchNorm2d(10)
        for name in ('b0_conv0', 'b0_conv1', 'b1_conv0', 'b1_conv1'):
            out = getattr(self, name).shape[0]
            self.register_buffer(name + '_scale', (torch.rand(out, 1, 1, 1, generator=gen) + 0.5) * 0.1)

    def binary(self, name):
        w = getattr(self, name)
        if self.per_channel:
            return SignPerChannel.apply(w, getattr(self, name + '_scale'))
        return SignHe.apply(w)

    def forward(self, x):
        h = F.conv2d(x, self.conv0, padding=1)
        t = F.conv2d(F.relu(self.b0_bn0(h)), self.binary('b0_conv0'), padding=1)
        t = F.conv2d(F.relu(self.b0_bn1(t)), self.binary('b0_conv1'), padding=1)
        h = h + t
        t = F.conv2d(F.relu(self.b1_bn0(h)), self.binary('b1_conv0'), padding=1, stride=2)
        t = F.conv2d(F.relu(self.b1_bn1(t)), self.binary('b1_conv1'), padding=1)
        d = F.avg_pool2d(h, kernel_size=3, padding=1, stride=2)
        h = torch.cat([d, torch.zeros_like(d)], dim=1) + t
        h = F.relu(self.bn(h))
        h = self.bn_last(F.conv2d(h, self.conv_last))
        return h.mean(dim=(2, 3))


def build(per_channel, inputs):
    torch.manual_seed(2)
    net = Net(per_channel)
    net.train()
    with torch.no_grad():
        for _ in range(5):
            net(torch.randn(16, 3, 8, 8) * 2 + 0.5)
    net.eval()
    with torch.no_grad():
        logits = net(inputs)
    return net, logits


def export(net, path):
    torch.onnx.export(net, torch.zeros(1, 3, 8, 8), path, opset_version=13, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}}, do_constant_folding=False)


def main():
    inputs = torch.randn(4, 3, 8, 8, generator=torch.Generator().manual_seed(3))
    written = []
    for per_channel, suffix in ((False, ''), (True, '-perchannel')):
        net, logits = build(per_channel, inputs)
        path = os.path.join(HERE, f'declared-sign{suffix}.onnx')
        export(net, path)
        out = os.path.join(HERE, f'expected-logits{suffix}.bin')
        with open(out, 'wb') as f:
            f.write(logits.numpy().astype('<f4').tobytes())
        written += [path, out]
    path = os.path.join(HERE, 'inputs.bin')
    with open(path, 'wb') as f:
        f.write(inputs.numpy().astype('<f4').tobytes())
    written.append(path)
    with open(os.path.join(HERE, 'SHA256SUMS'), 'w') as f:
        for p in sorted(written):
            f.write(f'{hashlib.sha256(open(p, "rb").read()).hexdigest()}  {os.path.basename(p)}\n')


if __name__ == '__main__':
    main()
