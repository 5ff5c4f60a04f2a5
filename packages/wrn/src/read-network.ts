/**
 * Recognises which of the authors' releases a MAT file is (MATLAB WRN, Keras WRN, plain net) and reads it into a WrnNetwork, or
 * explains why it is neither.
 */
import { ModelError } from '@onebit/core';
import type { MatFile } from '@onebit/mat';
import { isKerasWrn, readKerasWrn } from './keras-wrn.js';
import { isMatlabWrn, readMatlabWrn } from './matlab-wrn.js';
import { isPlainNet, readPlainNet } from './plain-net.js';
import type { WrnNetwork } from './network.js';

export function readWrnFromMat(file: MatFile, fileName = 'the file'): WrnNetwork {
  if (isMatlabWrn(file)) return readMatlabWrn(file);
  if (isKerasWrn(file)) return readKerasWrn(file, fileName);
  if (isPlainNet(file)) return readPlainNet(file);
  const names = [...file.variables.keys()];
  throw new ModelError(
    `${fileName} is a MAT file but not one of the authors' releases: it has ${names.length ? `variables ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}` : 'no variables'}, and neither BinaryWeights/Moments (MATLAB) nor conv2d*/batch_normalization* (Keras), nor BooleanSingleBitWeights (the plain net).`,
  );
}
