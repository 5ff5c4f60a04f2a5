/**
 * The data and models onebit knows by name: where each lives in the shared folder, which
 * environment variable overrides it, and the official URL it is downloaded from when neither is
 * present (the authors' GitHub repository for their models, the official CIFAR archives).
 */

export interface AssetSpec {
  readonly id: string;
  readonly description: string;
  /** Path inside the shared folder (../shared), when the shared folder carries it. */
  readonly sharedPath?: string;
  /** Official download URL. */
  readonly url?: string;
  /** For archives: the member to extract from the downloaded .tar.gz. */
  readonly archiveMember?: string;
  /** File name in the cache directory. */
  readonly cacheName: string;
}

const MCDONNELL = 'https://github.com/McDonnell-Lab/1-bit-per-weight/raw/master/TrainedModels';

export const ASSETS: Readonly<Record<string, AssetSpec>> = Object.fromEntries(
  (
    [
      {
        id: 'wrn-matlab-cifar10',
        description: "the authors' 1-bit WRN-20-10 for CIFAR-10, MATLAB release (3.82 % test error)",
        sharedPath: 'models/mcdonnell-wrn20-10-cifar10/matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat',
        url: `${MCDONNELL}/Matlab/TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat`,
        cacheName: 'TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB.mat',
      },
      {
        id: 'wrn-matlab-cifar100',
        description: "the authors' 1-bit WRN-20-10 for CIFAR-100, MATLAB release",
        url: `${MCDONNELL}/Matlab/TrainedWideResNet20-10_CIFAR100_1-bit-per-weight-4MB.mat`,
        cacheName: 'TrainedWideResNet20-10_CIFAR100_1-bit-per-weight-4MB.mat',
      },
      {
        id: 'wrn-keras-cifar10',
        description: "the authors' 1-bit WRN for CIFAR-10, tf.keras release (bits + batch-norm statistics)",
        sharedPath: 'models/mcdonnell-wrn20-10-cifar10/keras/CIFAR10_allparams.mat',
        url: `${MCDONNELL}/Tensorflow.keras/CIFAR10_allparams.mat`,
        cacheName: 'CIFAR10_allparams.mat',
      },
      {
        id: 'wrn-keras-cifar100',
        description: "the authors' 1-bit WRN for CIFAR-100, tf.keras release",
        url: `${MCDONNELL}/Tensorflow.keras/CIFAR100_allparams.mat`,
        cacheName: 'CIFAR100_allparams.mat',
      },
      {
        id: 'plain20-4-cifar100',
        description: "the authors' plain (no residual) 1-bit 20-4 network for CIFAR-100, MATLAB release (24.5 % test error)",
        sharedPath: 'models/mcdonnell-plain20-4-cifar100/CIFAR100_20-4-Plain_644kB.mat',
        cacheName: 'CIFAR100_20-4-Plain_644kB.mat',
      },
      {
        id: 'cifar10-test',
        description: 'CIFAR-10 test images (shared: images 0–999; download: all 10 000)',
        sharedPath: 'datasets/cifar10/test_batch_0-999.bin',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        archiveMember: 'cifar-10-batches-bin/test_batch.bin',
        cacheName: 'cifar10_test_batch.bin',
      },
      {
        id: 'cifar100-test',
        description: 'CIFAR-100 test images (10 000)',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
        archiveMember: 'cifar-100-binary/test.bin',
        cacheName: 'cifar100_test.bin',
      },
      {
        id: 'cifar10-classes',
        description: 'CIFAR-10 class names in label order',
        sharedPath: 'datasets/cifar10/batches.meta.txt',
        url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
        archiveMember: 'cifar-10-batches-bin/batches.meta.txt',
        cacheName: 'cifar10_batches.meta.txt',
      },
      {
        id: 'wrn-matlab-cifar10-reference-logits',
        description: 'reference logits of the MATLAB WRN on CIFAR-10 test images 0–999 (independent PyTorch implementation)',
        sharedPath: 'reference/mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy',
        cacheName: 'mcdonnell-wrn20-10-matlab_cifar10-test-0-999_logits.npy',
      },
      {
        id: 'wrn-keras-cifar10-reference-logits',
        description: 'reference logits of the Keras WRN on CIFAR-10 test images 0–999',
        sharedPath: 'reference/mcdonnell-wrn20-10-keras_cifar10-test-0-999_logits.npy',
        cacheName: 'mcdonnell-wrn20-10-keras_cifar10-test-0-999_logits.npy',
      },
      {
        id: 'plain20-4-cifar100-reference-logits',
        description: 'reference logits of the plain 20-4 CIFAR-100 net on CIFAR-10 test images 0–999 (a parity check)',
        sharedPath: 'reference/mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy',
        cacheName: 'mcdonnell-plain20-4-cifar100_cifar10-test-0-999_logits.npy',
      },
      {
        id: 'resnet20-akamaster',
        description: 'full-precision ResNet-20 for CIFAR-10 (legacy torch.save), akamaster/pytorch_resnet_cifar10',
        sharedPath: 'models/akamaster-resnet20-cifar10/resnet20-12fca82f.th',
        url: 'https://github.com/akamaster/pytorch_resnet_cifar10/raw/master/pretrained_models/resnet20-12fca82f.th',
        cacheName: 'resnet20-12fca82f.th',
      },
      {
        id: 'mobilenetv2-12-int8',
        description: 'ONNX Model Zoo MobileNetV2 int8 for ImageNet',
        sharedPath: 'models/onnx-zoo-mobilenetv2-12-int8/mobilenetv2-12-int8.onnx',
        url: 'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
        cacheName: 'mobilenetv2-12-int8.onnx',
      },
    ] satisfies AssetSpec[]
  ).map((a) => [a.id, a]),
);

/** The environment variable that points at an asset directly: `ONEBIT_` + id in upper snake case. */
export function assetEnvVar(id: string): string {
  return `ONEBIT_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}
