/** @onebit/container: the `.onebit` bit-packed container (FORMAT.md): writer, verifying reader, sniff, size report. */
export type { Container, ContainerTensor } from './container-types.js';
export type { BinaryEntry, FloatEntry, GraphSectionRef, Header, ScaleSectionRef, SectionRef, TensorEntry } from './header.js';
export { ALIGNMENT, MAGIC, MIN_VERSION, VERSION, sniffContainer } from './preamble.js';
export { crc32 } from '@onebit/core';
export { writeContainer } from './write-container.js';
export { MAX_HEADER_BYTES, readContainer } from './read-container.js';
export * from './size-report.js';
export { shuffleDeflate, inflateUnshuffle, MAX_DEFLATE_RATIO, type FloatEncoding } from './float-encoding.js';
