/**
 * Importer for onebit's own .onebit containers: the container is read and fully verified by
 * @onebit/container (sizes, offsets, CRCs) and its graph skeleton and tensors become the
 * BinaryGraph again (../onebit-container.ts).
 */
import { readContainer } from '@onebit/container';
import { containerToGraph } from '../onebit-container.js';
import type { Importer } from './importer.js';

export const onebitContainerImporter: Importer = {
  name: 'onebit containers',
  uses: [],
  accepts: (input) => input.format === 'onebit',
  read: ({ bytes }) => ({ graph: containerToGraph(readContainer(bytes)) }),
};
