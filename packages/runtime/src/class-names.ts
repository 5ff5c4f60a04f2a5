/** The class-name lists (CIFAR-10, CIFAR-100, ImageNet) from @onebit/core, for the `labels` option of loadModel. */
export { CIFAR10_CLASSES, CIFAR100_CLASSES, IMAGENET_CLASSES } from '@onebit/core';
