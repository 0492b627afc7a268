export { createNautobotAdapter, NautobotSource } from './nautobot-adapter.js';
export { depthFor, hitsStub, includesFor, planDepth } from './depth.js';
