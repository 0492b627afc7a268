export { createRestAdapter, RestSource } from './rest-adapter.js';
export { extractItems, formatPattern, deriveId } from './extract.js';
export { nextFromLinkHeader } from './paginators.js';
