export { generateDataset, type GenerateOptions } from './generate.js';
export { renderNetbox } from './render-netbox.js';
export { renderNautobot } from './render-nautobot.js';
export type { Dataset, DatasetSize } from './types.js';
export { readSourceDataset, writeSourceDataset, type SourceDataset, type SourceRow } from '../rest-common/source-dataset.js';
export { RENDERERS } from './renderers.js';
