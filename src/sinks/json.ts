import type { FileFormat } from './atomic-file.js';

export const jsonFormat: FileFormat = {
  kind: 'json',
  header: () => '[\n',
  serialise: (r, i) => (i === 0 ? '' : ',\n') + JSON.stringify(r),
  footer: () => '\n]\n',
};

