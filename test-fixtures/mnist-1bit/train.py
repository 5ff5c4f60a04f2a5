"""Trains a small 1-bit-per-weight CNN on MNIST with the recipe of McDonnell (ICLR 2018).

Run from the repository root with Debian's python3-torch and python3-onnx (torch 1.13):

    /usr/bin/python3 test-fixtures/mnist-1bit/train.py

Data: ../shared/datasets/mnist holds only the MNIST TEST split (10 000 images). This script trains
on test images 0-7999 and holds out images 8000-9999; the held-out accuracy is therefore measured
on images the network never saw, but it is not the standard MNIST test error.

Recipe (the paper's, scaled down): every conv weight is used as sign(W) * sqrt(2 / fan_in) in the
forward pass (sign(0) = +1), with a straight-through gradient to the latent float weight (clipped
to |W| <= 1 as the authors do); the scale is fixed, never learned; BatchNorm without affine
parameters; no biases; SGD with momentum 0.9 and cosine annealing with warm restarts
(T_0 = 1 epoch, T_mult = 2: 1 + 2 + 4 = 7 epochs), lr 0.1 -> 0, weight decay 5e-4 on the latent
weights. Input: the raw pixel bytes as float 0..255, NCHW [N,1,28,28] (the first BN normalises).

Network: conv3x3 1->16, BN, ReLU, maxpool2 | conv3x3 16->32, BN, ReLU, maxpool2 |
conv7x7 32->10 over the whole 7x7 map (a binary dense layer), BN -> logits [N,10].
144 + 4608 + 15 680 = 20 432 binary weights. (A 1x1 conv + global average pool, as in the paper's
CIFAR nets, loses the digit's layout at this depth and trains far slower.)

Writes (all seeded; CPU float summation order may still change low bits between machines):
  mnist-1bit.pt            the trained state_dict (torch.save zip format): LATENT float weights
                           (`conv1.weight`, ...), BN running statistics, num_batches_tracked.
                           onebit binarizes the latent weights with the he scale on conversion.
  mnist-1bit.onnx          the deployed network (opset 13, BN kept, input `input`, output
                           `logits`) with FLOAT +-scale conv weights (sign(W) * sqrt(2/fan_in)),
                           i.e. already binary: onebit packs them losslessly.
  heldout-logits.npy       PyTorch's float32 logits on images 8000-9999 [2000, 10] (eval mode).
  heldout-predictions.json argmax of each row, the labels, the held-out error, training log.
  SHA256SUMS
"""
import hashlib
import json
import math
import os
import struct
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = os.path.join(HERE, '..', '..', '..', 'shared', 'datasets', 'mnist')
TRAIN = 8000


def read_idx(path):
    with open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class SignSTE(torch.autograd.Function):
    """sign(w) with sign(0) = +1; gradient passed straight through where |w| <= 1."""

    @staticmethod
    def forward(ctx, w):
        ctx.save_for_backward(w)
        return torch.where(w >= 0, torch.ones_like(w), -torch.ones_like(w))

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return g * (w.abs() <= 1).to(g.dtype)


class BinaryConv2d(nn.Conv2d):
    """A conv whose forward weight is sign(W) * sqrt(2 / (k*k*C_in)), the paper's fixed He scale."""

    def binary_weight(self):
        fan_in = self.weight[0].numel()
        return SignSTE.apply(self.weight) * math.sqrt(2.0 / fan_in)

    def forward(self, x):
        return F.conv2d(x, self.binary_weight(), None, self.stride, self.padding)


class Net(nn.Module):
    def __init__(self, conv=BinaryConv2d):
        super().__init__()
        self.conv1 = conv(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16, affine=False)
        self.conv2 = conv(16, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32, affine=False)
        self.conv3 = conv(32, 10, 7, bias=False)  # covers the whole 7x7 map: a binary 'dense' layer
        self.bn3 = nn.BatchNorm1d(10, affine=False)  # on the [N,10] logits

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        return self.bn3(self.conv3(x).flatten(1))


def main():
    torch.manual_seed(1)
    torch.set_num_threads(2)
    images = read_idx(os.path.join(MNIST, 't10k-images-idx3-ubyte'))
    labels = read_idx(os.path.join(MNIST, 't10k-labels-idx1-ubyte'))
    x = torch.from_numpy(images.astype(np.float32)).unsqueeze(1)  # raw 0..255
    y = torch.from_numpy(labels.astype(np.int64))
    x_train, y_train = x[:TRAIN], y[:TRAIN]
    x_test, y_test = x[TRAIN:], y[TRAIN:]

    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    epochs, batch = 7, 100
    steps = TRAIN // batch
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=2)
    log = []
    g = torch.Generator().manual_seed(2)
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(TRAIN, generator=g)
        total = 0.0
        for i in range(steps):
            idx = perm[i * batch:(i + 1) * batch]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():  # keep latent weights in the STE's live range, as the authors do
                for m in model.modules():
                    if isinstance(m, BinaryConv2d):
                        m.weight.clamp_(-1, 1)
            sched.step(epoch + (i + 1) / steps)
            total += float(loss)
        model.eval()
        with torch.no_grad():
            err = float((model(x_test).argmax(1) != y_test).float().mean())
        log.append({'epoch': epoch + 1, 'loss': total / steps, 'heldout_error': err})
        print(f'epoch {epoch + 1:2d}  loss {total / steps:.4f}  held-out error {100 * err:.2f} %  ({time.time() - t0:.0f} s)')

    model.eval()
    with torch.no_grad():
        logits = model(x_test)
    predictions = logits.argmax(1)

    sd_path = os.path.join(HERE, 'mnist-1bit.pt')
    torch.save(model.state_dict(), sd_path)

    deployed = Net(conv=nn.Conv2d)
    deployed.load_state_dict(model.state_dict())
    with torch.no_grad():
        for name in ('conv1', 'conv2', 'conv3'):
            getattr(deployed, name).weight.copy_(getattr(model, name).binary_weight())
    deployed.eval()
    with torch.no_grad():
        assert torch.equal(deployed(x_test).argmax(1), predictions)
    onnx_path = os.path.join(HERE, 'mnist-1bit.onnx')
    torch.onnx.export(deployed, x_test[:2], onnx_path, opset_version=13, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(onnx_path))

    np.save(os.path.join(HERE, 'heldout-logits.npy'), logits.numpy().astype('<f4'))
    top2 = torch.topk(logits, 2, dim=1).values
    with open(os.path.join(HERE, 'heldout-predictions.json'), 'w') as f:
        json.dump({
            'images': [TRAIN, 10000], 'predictions': predictions.tolist(), 'labels': y_test.tolist(),
            'heldout_error': float((predictions != y_test).float().mean()),
            'min_top2_margin': float((top2[:, 0] - top2[:, 1]).min()),
            'train_images': [0, TRAIN], 'epochs': epochs, 'log': log,
        }, f)
        f.write('\n')
    with open(os.path.join(HERE, 'SHA256SUMS'), 'w') as f:
        for name in sorted(os.listdir(HERE)):
            if name == 'SHA256SUMS' or name.endswith('.py') or name.endswith('.md'):
                continue
            with open(os.path.join(HERE, name), 'rb') as h:
                f.write(f'{hashlib.sha256(h.read()).hexdigest()}  {name}\n')
    print('state_dict', os.path.getsize(sd_path), 'bytes; onnx', os.path.getsize(onnx_path), 'bytes')


if __name__ == '__main__':
    main()
