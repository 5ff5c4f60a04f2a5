/** The exported class-name lists: their lengths and the names at known label indices. */
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES, CIFAR100_CLASSES, IMAGENET_CLASSES } from './class-names.js';

describe('class names', () => {
  it('CIFAR-10 has its 10 names in label order (3 = cat)', () => {
    expect(CIFAR10_CLASSES).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
  });

  it('CIFAR-100 has 100 distinct fine labels, alphabetical', () => {
    expect(CIFAR100_CLASSES).toHaveLength(100);
    expect(new Set(CIFAR100_CLASSES).size).toBe(100);
    expect([...CIFAR100_CLASSES].sort()).toEqual([...CIFAR100_CLASSES]);
    expect([CIFAR100_CLASSES[0], CIFAR100_CLASSES[1], CIFAR100_CLASSES[58], CIFAR100_CLASSES[99]]).toEqual(['apple', 'aquarium_fish', 'pickup_truck', 'worm']);
  });

  it('ImageNet has 1000 names at the standard indices', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect([IMAGENET_CLASSES[0], IMAGENET_CLASSES[1], IMAGENET_CLASSES[281], IMAGENET_CLASSES[999]]).toEqual(['tench', 'goldfish', 'tabby', 'toilet tissue']);
  });

  it('the lists are frozen', () => {
    expect(Object.isFrozen(CIFAR10_CLASSES) && Object.isFrozen(CIFAR100_CLASSES) && Object.isFrozen(IMAGENET_CLASSES)).toBe(true);
  });
});
