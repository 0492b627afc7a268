// What the NetBox and Nautobot stand-ins take and return: the same for both.
import type { Dataset } from '../dataset/types.js';
import type { Counters, RestStandinOptions } from './http-server.js';
import type { SourceDataset } from './source-dataset.js';

export interface SourceStandinOptions extends RestStandinOptions {
  /** A neutral dataset, an already rendered dataset of the system, or a directory written by `npm run dataset`. */
  dataset: Dataset | SourceDataset | string;
}

export interface SourceStandin {
  url: string;
  stop(): Promise<void>;
  counters: Counters;
  resetCounters(): void;
  /** What is served; mutate rows (or push new ones) and the next request sees it. */
  dataset: SourceDataset;
  /** Drop rendered JSON; only needed after changing a SourceDataset passed in as `dataset`
   *  directly rather than through this `dataset` view. */
  invalidate(): void;
}
