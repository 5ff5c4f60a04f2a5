/** @onebit/data: finds data and models (explicit path or env var, ../shared, or a cached download). */
export * from './shared-dir.js';
export * from './assets.js';
export * from './resolve.js';
export * from './read-input.js';
