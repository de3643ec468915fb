/**
 * RFC 6902 JSON Patch over plain JSON values, for folding AG-UI STATE_DELTA and ACTIVITY_DELTA
 * events into a snapshot during compaction.
 *
 * A patch applies atomically (RFC 6902 §5): the operations run on a copy and the copy is returned
 * only when every one succeeded; otherwise `applyJsonPatch` throws and the caller keeps the
 * document it had, exactly as an AG-UI client that rejected the same delta would.
 */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
}

export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  // The root is held in a box so that operations on the path "" can replace it like any child.
  const box: { [key: string]: unknown } = { root: structuredClone(document) };
  for (const operation of operations) applyOperation(box, operation);
  return box['root'];
}

function applyOperation(box: { [key: string]: unknown }, operation: JsonPatchOperation): void {
  switch (operation.op) {
    case 'add':
      return insert(box, operation.path, structuredClone(requireValue(operation)));
    case 'remove':
      remove(box, operation.path);
      return;
    case 'replace':
      remove(box, operation.path);
      return insert(box, operation.path, structuredClone(requireValue(operation)));
    case 'move': {
      const from = requireFrom(operation);
      if (operation.path.startsWith(`${from}/`)) throw new JsonPatchError(`cannot move ${from} into itself`);
      return insert(box, operation.path, remove(box, from));
    }
    case 'copy':
      return insert(box, operation.path, structuredClone(read(box, requireFrom(operation))));
    case 'test':
      if (JSON.stringify(read(box, operation.path)) !== JSON.stringify(requireValue(operation))) {
        throw new JsonPatchError(`test failed at ${operation.path}`);
      }
      return;
    default:
      throw new JsonPatchError(`unknown operation ${operation.op}`);
  }
}

function requireValue(operation: JsonPatchOperation): unknown {
  if (operation.value === undefined) throw new JsonPatchError(`${operation.op} needs a value`);
  return operation.value;
}

function requireFrom(operation: JsonPatchOperation): string {
  if (typeof operation.from !== 'string') throw new JsonPatchError(`${operation.op} needs from`);
  return operation.from;
}

/** "/a/b~1c" → ["root", "a", "b/c"]; the leading "root" addresses the box. */
function tokens(pointer: string): string[] {
  if (pointer === '') return ['root'];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`not a JSON pointer: ${pointer}`);
  return ['root', ...pointer.slice(1).split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))];
}

type Container = unknown[] | { [key: string]: unknown };

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** The parent container of the pointer's target and the target's key in it. */
function parentOf(box: { [key: string]: unknown }, pointer: string): { parent: Container; key: string } {
  const path = tokens(pointer);
  let parent: Container = box;
  for (const token of path.slice(0, -1)) {
    const child: unknown = Array.isArray(parent) ? parent[Number(token)] : parent[token];
    if (!isContainer(child)) throw new JsonPatchError(`no container at ${pointer}`);
    parent = child;
  }
  return { parent, key: path[path.length - 1]! };
}

function arrayIndex(array: unknown[], key: string, allowEnd: boolean): number {
  if (allowEnd && key === '-') return array.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new JsonPatchError(`not an array index: ${key}`);
  const index = Number(key);
  if (index > array.length || (!allowEnd && index === array.length)) throw new JsonPatchError(`index ${key} out of range`);
  return index;
}

function read(box: { [key: string]: unknown }, pointer: string): unknown {
  const { parent, key } = parentOf(box, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, key, false)];
  if (!Object.hasOwn(parent, key)) throw new JsonPatchError(`nothing at ${pointer}`);
  return parent[key];
}

function insert(box: { [key: string]: unknown }, pointer: string, value: unknown): void {
  const { parent, key } = parentOf(box, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else parent[key] = value;
}

function remove(box: { [key: string]: unknown }, pointer: string): unknown {
  const value = read(box, pointer);
  const { parent, key } = parentOf(box, pointer);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return value;
}
