// The mapping engine: raw records of a system -> canonical SyncRecords. Pure code, no I/O.
export { compilePath, getPath, setPathCopy, type PathGetter } from './paths.js';
export { compileFilters, type FilterContext, type RecordPredicate } from './filters.js';
export { compileTransforms, transformInputs, type CompiledTransforms, type TransformOptions } from './transforms.js';
export { resolveReference, type ReferenceIndex, type ReferenceOutcome } from './references.js';
export {
  normaliseModel,
  type MappingWarning,
  type MappingWarningCode,
  type NormaliseResult,
} from './normalise.js';
export { absentMappedFields, buildLoadRequests } from './requests.js';
export { compileMapping, compileModel, entriesFor, type MappingOptions, type Side } from './compiled.js';
export { MappingError } from './errors.js';
export { storedValue, type StoredForm } from './stored-forms.js';
export { toValue } from './values.js';
export { pyStr } from './python.js';
