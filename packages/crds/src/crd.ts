/** ResourceKind (from @ambient/contracts) -> apiextensions.k8s.io/v1 CustomResourceDefinition. */
import type { ResourceKind } from '@ambient/contracts';
import { PRESERVE_UNKNOWN, toStructuralSchema, type StructuralSchema } from './crd-schema.ts';

export interface PrinterColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: StructuralSchema };
      subresources: { status: Record<string, never> };
      additionalPrinterColumns?: PrinterColumnDefinition[];
    }>;
  };
}

/** The `metadata.name` Kubernetes requires for a CRD: `<plural>.<group>`. */
export function crdName(kind: ResourceKind): string {
  return `${kind.plural}.${kind.group}`;
}

function describe(schema: StructuralSchema, fallback: string): StructuralSchema {
  return { description: schema.description ?? fallback, ...schema };
}

/** The whole object schema: apiVersion/kind/metadata as Kubernetes handles them, spec and status
 * generated from the kind's zod schemas. */
export function buildOpenApiV3Schema(kind: ResourceKind): StructuralSchema {
  const spec = describe(
    toStructuralSchema(kind.specSchema),
    `Desired state of the ${kind.kind}, written by users and the API.`,
  );
  const statusDescription = `Observed state of the ${kind.kind}, written only by controllers (status subresource).`;
  const status: StructuralSchema = kind.statusSchema
    ? describe(toStructuralSchema(kind.statusSchema), statusDescription)
    : { description: statusDescription, type: 'object', [PRESERVE_UNKNOWN]: true };
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
      status,
    },
    required: ['spec'],
  };
}

export function buildCrd(kind: ResourceKind): CustomResourceDefinition {
  if (!kind.crd) throw new Error(`${kind.kind} is not a CustomResourceDefinition kind`);
  const printerColumns = kind.printerColumns.map(({ name, type, jsonPath }) => ({
    name,
    type,
    jsonPath,
  }));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(kind) },
    spec: {
      group: kind.group,
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.singular,
        ...(kind.shortNames.length > 0 ? { shortNames: [...kind.shortNames] } : {}),
      },
      scope: kind.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: kind.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: buildOpenApiV3Schema(kind) },
          subresources: { status: {} },
          ...(printerColumns.length > 0 ? { additionalPrinterColumns: printerColumns } : {}),
        },
      ],
    },
  };
}
