"""Exports an ONNX graph of akamaster's CIFAR-10 ResNet-20 with RANDOM weights.

Run from the repository root with Debian's python3-torch and python3-onnx (torch 1.13):

    /usr/bin/python3 test-fixtures/resnet20/generate.py

The architecture is the published model definition (akamaster/pytorch_resnet_cifar10, resnet.py,
BSD-2-Clause): 3 stages x 3 basic blocks of 16/32/64 channels, 3x3 convs without bias, BN
(eps 1e-5) + ReLU, option-A parameter-free shortcuts (x[:, :, ::2, ::2] zero-padded with C/4
channels on each side), global average pool, linear 64 -> 10. The weights are random (seeded):
the real ones stay in ../shared and are applied onto this graph at test time by
`onebit convert resnet20-12fca82f.th --graph resnet20.onnx`.

Exported at opset 13 with training=PRESERVE on a model in eval mode, so BatchNormalization nodes
stay separate (TrainingMode.EVAL would fold them into the convs) and every initializer keeps its
parameter name (conv1.weight, layer1.0.bn1.running_mean, ...). Input `input` [N,3,32,32], output
`logits` [N,10]. Also writes golden.json (the random model's logits on a seeded input) and SHA256SUMS.
"""
import hashlib
import json
import os

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


class LambdaLayer(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            # option A: parameter-free shortcut
            self.shortcut = LambdaLayer(
                lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4), 'constant', 0))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, num_blocks=(3, 3, 3), num_classes=10):
        super().__init__()
        self.in_planes = 16
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.layer1 = self._make_layer(16, num_blocks[0], 1)
        self.layer2 = self._make_layer(32, num_blocks[1], 2)
        self.layer3 = self._make_layer(64, num_blocks[2], 2)
        self.linear = nn.Linear(64, num_classes)

    def _make_layer(self, planes, num_blocks, stride):
        layers = []
        for s in [stride] + [1] * (num_blocks - 1):
            layers.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, int(out.size()[3]))  # int(): a constant 8 under tracing
        out = out.view(out.size(0), -1)
        return self.linear(out)


def main():
    torch.manual_seed(20)
    model = ResNet()
    # random BN parameters and statistics: the graph's own outputs are then a meaningful golden,
    # and no two initializers are equal (the exporter would merge equal ones behind Identity nodes)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.1, 0.1)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    model.eval()
    path = os.path.join(HERE, 'resnet20.onnx')
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(7))
    torch.onnx.export(
        model, x, path, opset_version=13, input_names=['input'], output_names=['logits'],
        dynamic_axes={'input': {0: 'N'}, 'logits': {0: 'N'}},
        training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    names = [i.name for i in m.graph.initializer]
    params = [k for k in model.state_dict().keys() if not k.endswith('num_batches_tracked')]
    missing = [k for k in params if k not in names]
    assert not missing, f'parameters not kept as named initializers: {missing}'
    with torch.no_grad():
        logits = model(x)
    golden = {
        'input_seed': 7, 'input_shape': list(x.shape),
        'input_sum': float(x.double().sum()),
        'logits': [[float(v) for v in row] for row in logits],
        'initializers': names,
        'ops': sorted({n.op_type for n in m.graph.node}),
    }
    with open(os.path.join(HERE, 'golden.json'), 'w') as f:
        json.dump(golden, f, indent=1)
        f.write('\n')
    # the seeded input itself, so tests can run the graph without Python
    x.numpy().astype('<f4').tofile(os.path.join(HERE, 'input-2x3x32x32.f32'))
    with open(os.path.join(HERE, 'SHA256SUMS'), 'w') as f:
        for name in sorted(os.listdir(HERE)):
            if name in ('SHA256SUMS',) or name.endswith('.py') or name.endswith('.md'):
                continue
            with open(os.path.join(HERE, name), 'rb') as g:
                f.write(f'{hashlib.sha256(g.read()).hexdigest()}  {name}\n')
    print('wrote', path, os.path.getsize(path), 'bytes;', len(names), 'initializers;', golden['ops'])


if __name__ == '__main__':
    main()
