export { createNautobotAdapter, NautobotSource } from './nautobot-adapter.js';
export { depthFor, hitsStub, includesFor, planDepth, stubbedPaths } from './depth.js';
