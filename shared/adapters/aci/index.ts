export { AciAdapter, createAciAdapter } from './aci-adapter.js';
