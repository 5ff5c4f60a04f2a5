/**
 * The preprocessing presets validation uses are @onebit/core's single registry (the deployment
 * runtime reads the same one); re-exported here so `@onebit/validate` keeps its public names.
 */
export { applyPreprocess, customPreprocess, getPreprocess, preprocessNames, registerPreprocess, type PreprocessOverrides, type PreprocessPreset } from '@onebit/core';
