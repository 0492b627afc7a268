export { createNautobotAdapter, NautobotSource } from './nautobot-adapter.js';
export { depthFor, includesFor } from './depth.js';
