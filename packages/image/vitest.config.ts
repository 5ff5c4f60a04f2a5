/** Test configuration: the workspace-wide settings in ../../vitest.shared.ts. */
export { default } from '../../vitest.shared.js';
