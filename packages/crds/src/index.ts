export {
  toStructuralSchema,
  jsonSchemaToStructural,
  PRESERVE_UNKNOWN,
  INT_OR_STRING,
  type StructuralSchema,
} from './crd-schema.ts';
export { buildCrd, buildOpenApiV3Schema, crdName, type CustomResourceDefinition } from './crd.ts';
export { renderCrdFiles, CRD_OUTPUT_DIR, GENERATED_HEADER } from './render.ts';
export {
  findPrunedFields,
  findValidationErrors,
  type PruneFinding,
  type ValidationFinding,
} from './prune.ts';
export { findStructuralViolations } from './structural.ts';
