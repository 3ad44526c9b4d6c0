export { seal, unseal } from '../http/seal.js';
