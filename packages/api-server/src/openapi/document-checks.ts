/**
 * Structural checks of a generated OpenAPI document: what a code generator or a docs viewer would
 * trip over. Returns every problem found (empty when the document is sound), so a test can show
 * them all at once.
 */
import type { OpenApiDocument, OperationObject } from './document.ts';
import { isJsonObject, referencesIn } from './schema-conversion.ts';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Resolves a local JSON pointer (`#/a/b`) inside the document. */
function resolvesInside(document: unknown, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isJsonObject(node) || !(segment in node)) return false;
    node = node[segment];
  }
  return node !== undefined;
}

function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

interface DocumentContext {
  declaredTags: Set<string>;
  securitySchemes: Set<string>;
  /** operationId -> where it was first seen. */
  operationIds: Map<string, string>;
}

function checkParameters(where: string, path: string, operation: OperationObject): string[] {
  const problems: string[] = [];
  const templateNames = pathTemplateNames(path);
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
  for (const name of templateNames) {
    if (!pathParameters.includes(name)) problems.push(`${where}: path parameter {${name}} is not declared`);
  }
  for (const name of pathParameters) {
    if (!templateNames.includes(name)) problems.push(`${where}: parameter ${name} is not in the path`);
  }
  const seen = new Set<string>();
  for (const parameter of operation.parameters) {
    const key = `${parameter.in}:${parameter.name}`;
    if (seen.has(key)) problems.push(`${where}: parameter ${key} is declared twice`);
    seen.add(key);
    if (parameter.in === 'path' && !parameter.required) problems.push(`${where}: path parameter ${parameter.name} must be required`);
  }
  return problems;
}

function checkOperation(where: string, operation: OperationObject, context: DocumentContext): string[] {
  const problems: string[] = [];
  const previous = context.operationIds.get(operation.operationId);
  if (previous) problems.push(`operationId ${operation.operationId} is used by ${previous} and ${where}`);
  context.operationIds.set(operation.operationId, where);
  if (Object.keys(operation.responses).length === 0) problems.push(`${where}: no responses`);
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!/^[1-5]\d\d$/.test(status) && status !== 'default') problems.push(`${where}: response status ${status} is invalid`);
    if (!response.description) problems.push(`${where}: response ${status} has no description`);
  }
  for (const tag of operation.tags) {
    if (!context.declaredTags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
  }
  for (const scheme of operation.security.flatMap((requirement) => Object.keys(requirement))) {
    if (!context.securitySchemes.has(scheme)) problems.push(`${where}: security scheme ${scheme} is not declared`);
  }
  return problems;
}

export function checkOpenApiDocument(document: OpenApiDocument): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(document.openapi)) problems.push(`openapi is "${document.openapi}", expected 3.1.x`);
  if (!document.info.title || !document.info.version) problems.push('info needs a title and a version');
  for (const ref of new Set(referencesIn(document))) {
    if (!resolvesInside(document, ref)) problems.push(`$ref ${ref} does not resolve`);
  }
  const context: DocumentContext = {
    declaredTags: new Set(document.tags.map((tag) => tag.name)),
    securitySchemes: new Set(Object.keys(document.components.securitySchemes)),
    operationIds: new Map(),
  };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    for (const [method, operation] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!HTTP_METHODS.has(method)) problems.push(`${where}: ${method} is not an HTTP method`);
      problems.push(...checkParameters(where, path, operation), ...checkOperation(where, operation, context));
    }
  }
  return problems;
}
