import { collectBundleSignatures } from './bundle-signatures';
import { collectClassicSignatures } from './classic-signatures';
import type { SignatureCollector } from './signature-collector';

/** Every signature format verification looks for (DESIGN 2.3); one line per format. */
export const SIGNATURE_COLLECTORS: readonly SignatureCollector[] = [
  { format: 'classic', collect: collectClassicSignatures },
  { format: 'bundle', collect: collectBundleSignatures },
];
