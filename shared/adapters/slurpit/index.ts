export { SlurpitAdapter, createSlurpitAdapter } from './slurpit-adapter.js';
