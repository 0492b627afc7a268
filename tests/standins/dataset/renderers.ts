// One renderer per system the dataset is written for (`npm run dataset` writes one folder
// each, `<out>/<system>/<table>.json`). A new stand-in adds its line here.
import type { SourceDataset, SourceSystem } from '../rest-common/source-dataset.js';
import { renderNautobot } from './render-nautobot.js';
import { renderNetbox } from './render-netbox.js';
import { renderDevice42, renderLibrenms, renderObservium } from './render-monitoring.js';
import { renderPeeringdb } from './render-peeringdb.js';
import { renderPeeringManager } from './render-peering-manager.js';
import type { Dataset } from './types.js';

export const RENDERERS: Partial<Record<SourceSystem, (ds: Dataset) => SourceDataset>> = {
  netbox: renderNetbox,
  nautobot: renderNautobot,
  peeringmanager: renderPeeringManager,
  device42: renderDevice42,
  librenms: renderLibrenms,
  observium: renderObservium,
  peeringdb: renderPeeringdb,
};
