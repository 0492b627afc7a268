export { IpfabricAdapter, createIpfabricAdapter } from './ipfabric-adapter.js';
