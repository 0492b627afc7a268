export { createPeeringManagerAdapter, PeeringManagerAdapter, endpointPath } from './peering-manager-adapter.js';
