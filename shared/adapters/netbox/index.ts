export { createNetboxAdapter, NetboxSource } from './netbox-adapter.js';
export { netboxAuthorization } from './auth.js';
