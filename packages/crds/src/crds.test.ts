import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AgenticSessionKind,
  CRD_KINDS,
  ProjectSettingsKind,
  RfeWorkflowKind,
  type AgenticSession,
  type ProjectSettings,
  type ResourceKind,
  type RfeWorkflow,
} from '@ambient/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCrd } from './crd.ts';
import type { StructuralSchema } from './crd-schema.ts';
import { findPrunedFields, findValidationErrors } from './prune.ts';
import { CRD_OUTPUT_DIR, GENERATED_HEADER, renderCrdFiles, toYaml } from './render.ts';
import { declaredPaths, findStructuralViolations, presentPaths } from './structural.ts';

function schemaOf(kind: ResourceKind): StructuralSchema {
  return buildCrd(kind).spec.versions[0]!.schema.openAPIV3Schema;
}

// -------------------------------------------------------------------------------------------------
// Fixtures: every spec and status field set (checked below against the schema's declared paths)
// -------------------------------------------------------------------------------------------------

const meta = {
  namespace: 'team-a',
  uid: '7b0e3c1e-0000-4000-8000-000000000001',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2025-01-01T00:00:00Z',
  labels: { 'app.kubernetes.io/part-of': 'ambient' },
  annotations: { 'ambient-code.io/created-by': 'alice' },
  finalizers: ['ambient-code.io/cleanup'],
};

const conditions = [
  {
    type: 'Ready',
    status: 'True' as const,
    reason: 'RunnerStarted',
    message: 'runner pod is running',
    observedGeneration: 3,
    lastTransitionTime: '2025-01-01T00:01:00Z',
  },
];

const agenticSession: AgenticSession = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'AgenticSession',
  metadata: { name: 'session-1', ...meta },
  spec: {
    initialPrompt: 'Fix the flaky test',
    displayName: 'Flaky test fix',
    interactive: false,
    repos: [{ url: 'https://github.com/acme/app.git', branch: 'main', autoPush: true }],
    llmSettings: { model: 'claude-sonnet-4-5', temperature: 0.7, maxTokens: 8000 },
    timeout: 3600,
    inactivityTimeout: 900,
    environmentVariables: { LOG_LEVEL: 'debug', FEATURE_X: 'on' },
    userContext: { userId: 'u-1', displayName: 'Alice', groups: ['devs', 'admins'] },
    parentSessionName: 'session-0',
    agent: 'engineer',
    agentSettings: { permissionMode: 'acceptEdits', allowedTools: ['Read', 'Write'], disallowedTools: ['WebFetch'], maxTurns: 50 },
  },
  status: {
    phase: 'Completed',
    observedGeneration: 3,
    startTime: '2025-01-01T00:00:05Z',
    completionTime: '2025-01-01T00:10:00Z',
    lastActivityTime: '2025-01-01T00:09:59Z',
    conditions,
    sdkSessionId: 'sdk-123',
    runCount: 2,
    result: {
      subtype: 'success',
      isError: false,
      numTurns: 12,
      durationMs: 595000,
      totalCostUsd: 0.4213,
      usage: {
        input_tokens: 1200,
        output_tokens: 3400,
        cache_creation: { ephemeral_5m_input_tokens: 0, tiers: [{ name: 'x', hits: 1 }] },
        server_tool_use: { web_search_requests: 1 },
        service_tier: 'standard',
        note: null,
      },
      text: 'Done: the test is fixed.',
    },
    repos: [
      {
        name: 'app',
        url: 'https://github.com/acme/app.git',
        branch: 'ambient/session-1',
        status: 'Pushed',
        pushedAt: '2025-01-01T00:09:30Z',
        pullRequestUrl: 'https://github.com/acme/app/pull/7',
        added: 10,
        removed: 3,
      },
    ],
    stoppedReason: 'user',
    message: 'Session completed',
  },
};

const projectSettings: ProjectSettings = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'ProjectSettings',
  metadata: { name: 'projectsettings', ...meta },
  spec: {
    groupAccess: [{ groupName: 'devs', role: 'edit' }],
    defaultModel: 'claude-sonnet-4-5',
    defaultTimeoutSeconds: 3600,
    defaultInactivityTimeoutSeconds: 900,
    modelBaseUrl: 'https://llm.internal.example/v1',
    concurrencyLimit: 4,
    monthlyBudgetUsd: 250.5,
    repositories: [
      { url: 'https://gitlab.example/acme/app.git', branch: 'develop', provider: 'gitlab' },
    ],
    runnerSecretsName: 'ambient-runner-secrets',
  },
  status: { observedGeneration: 3, groupBindingsCreated: 1, conditions },
};

const rfeWorkflow: RfeWorkflow = {
  apiVersion: 'vteam.ambient-code/v1alpha1',
  kind: 'RFEWorkflow',
  metadata: { name: 'rfe-1', ...meta },
  spec: {
    title: 'Dark mode',
    description: 'Add a dark theme to the UI',
    umbrellaRepo: { url: 'https://github.com/acme/specs.git', branch: 'main' },
    supportingRepos: [{ url: 'https://github.com/acme/ui.git', branch: 'next' }],
    branchName: 'rfe/dark-mode',
    steps: [
      { name: 'ideate', agent: 'product-manager', instructions: 'Write the problem statement' },
    ],
    requireApproval: true,
  },
  status: {
    phase: 'AwaitingApproval',
    observedGeneration: 3,
    currentStep: 0,
    steps: [
      {
        name: 'ideate',
        agent: 'product-manager',
        sessionName: 'rfe-1-ideate',
        phase: 'Completed',
        artifact: 'specs/dark-mode/ideate.md',
        decision: 'accepted',
      },
    ],
    conditions,
    message: 'Waiting for approval of step ideate',
  },
};

const FIXTURES: Array<{ kind: ResourceKind; object: unknown }> = [
  { kind: AgenticSessionKind, object: agenticSession },
  { kind: ProjectSettingsKind, object: projectSettings },
  { kind: RfeWorkflowKind, object: rfeWorkflow },
];

// -------------------------------------------------------------------------------------------------
// (a) committed files are exactly what the contracts generate
// -------------------------------------------------------------------------------------------------

describe('deploy/base/crds is generated from the zod contracts', () => {
  it('matches renderCrdFiles() byte for byte (run `npm run generate:crds` if this fails)', () => {
    const expected = renderCrdFiles();
    const problems: string[] = [];
    for (const [fileName, text] of expected) {
      const path = join(CRD_OUTPUT_DIR, fileName);
      if (!existsSync(path)) problems.push(`missing ${fileName}`);
      else if (readFileSync(path, 'utf8') !== text) problems.push(`out of date ${fileName}`);
    }
    const committed = existsSync(CRD_OUTPUT_DIR) ? readdirSync(CRD_OUTPUT_DIR) : [];
    for (const fileName of committed) {
      if (!expected.has(fileName)) problems.push(`stale ${fileName} (no contract generates it)`);
    }
    expect(
      problems,
      `deploy/base/crds differs from the zod contracts in @ambient/contracts: ${problems.join('; ')}. ` +
        'Do not edit these files by hand: run `npm run generate:crds` and commit the result.',
    ).toEqual([]);
  });

  it('every file carries the GENERATED header and parses back to the built CRD', () => {
    const files = renderCrdFiles();
    for (const text of files.values()) expect(text.startsWith(`${GENERATED_HEADER}\n`)).toBe(true);
    for (const kind of CRD_KINDS) {
      const text = files.get(`${kind.plural}.${kind.group}.yaml`);
      expect(text, kind.kind).toBeDefined();
      expect(parse(text!)).toEqual(buildCrd(kind));
    }
    expect(parse(files.get('kustomization.yaml')!)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        'agenticsessions.vteam.ambient-code.yaml',
        'projectsettings.vteam.ambient-code.yaml',
        'rfeworkflows.vteam.ambient-code.yaml',
      ],
    });
  });

  it('is deterministic', () => {
    expect([...renderCrdFiles()]).toEqual([...renderCrdFiles()]);
  });
});

// -------------------------------------------------------------------------------------------------
// (b) structural checks over the whole tree
// -------------------------------------------------------------------------------------------------

describe.each(CRD_KINDS.map((kind) => [kind.kind, kind] as const))('%s CRD', (_name, kind) => {
  const crd = buildCrd(kind);
  const schema = schemaOf(kind);

  it('has the CustomResourceDefinition shape Kubernetes expects', () => {
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.name).toBe(`${kind.plural}.${kind.group}`);
    expect(crd.spec.group).toBe(kind.group);
    expect(crd.spec.names).toEqual({
      kind: kind.kind,
      listKind: `${kind.kind}List`,
      plural: kind.plural,
      singular: kind.singular,
      shortNames: kind.shortNames,
    });
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.versions).toHaveLength(1);
    const version = crd.spec.versions[0]!;
    expect(version).toMatchObject({
      name: kind.version,
      served: true,
      storage: true,
      subresources: { status: {} },
    });
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['spec']);
    expect(Object.keys(schema.properties ?? {})).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
      'status',
    ]);
    expect(schema.properties?.apiVersion).toEqual({ type: 'string' });
    expect(schema.properties?.kind).toEqual({ type: 'string' });
    // metadata: the server only allows restricting name/generateName; we restrict nothing
    expect(schema.properties?.metadata).toEqual({ type: 'object' });
    expect(schema.properties?.spec?.description).toBeTypeOf('string');
    expect(schema.properties?.status?.description).toBeTypeOf('string');
  });

  it('is a structural schema (types everywhere, no $ref, no additionalProperties:false, no bad junctors)', () => {
    expect(findStructuralViolations(schema)).toEqual([]);
    const text = JSON.stringify(crd);
    for (const forbidden of [
      '"$ref"',
      '"$defs"',
      '"definitions"',
      '"$schema"',
      '"oneOf"',
      '"not"',
      '"const"',
    ]) {
      expect(text, forbidden).not.toContain(forbidden);
    }
    expect(text).not.toContain('"additionalProperties":false');
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});

describe('the structural checker', () => {
  it('catches what Kubernetes would reject', () => {
    const bad = {
      type: 'object',
      properties: {
        a: {},
        b: { $ref: '#/definitions/B' },
        c: { type: 'object', properties: {}, additionalProperties: false },
        d: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        e: { type: 'array' },
        f: { type: 'string', format: 'duration' },
        g: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      },
    };
    const violations = findStructuralViolations(bad).join('\n');
    expect(violations).toContain('a: no type');
    expect(violations).toContain('b: keyword "$ref" is not allowed');
    expect(violations).toContain('c: properties and additionalProperties are mutually exclusive');
    expect(violations).toContain('d: anyOf on a node without type');
    expect(violations).toContain('d: anyOf[0] may only hold value validations, found "type"');
    expect(violations).toContain('e: array without an items schema');
    expect(violations).toContain('f: format "duration"');
    expect(violations).toContain('g: keyword "uniqueItems" is not allowed');
  });
});

// -------------------------------------------------------------------------------------------------
// (c) round trip: nothing the code writes is pruned
// -------------------------------------------------------------------------------------------------

describe.each(FIXTURES.map((f) => [f.kind.kind, f] as const))(
  '%s round trip',
  (_name, { kind, object }) => {
    const schema = schemaOf(kind);
    // what the code writes: the zod output (defaults applied)
    const written = kind.schema.parse(object);

    it('the fixture is valid for zod and sets every declared spec and status field', () => {
      const present = presentPaths(written);
      const missing = declaredPaths(schema).filter(
        (path) => (path.startsWith('spec') || path.startsWith('status')) && !present.has(path),
      );
      expect(
        missing,
        'extend the fixture in crds.test.ts to set these new contract fields',
      ).toEqual([]);
    });

    it('the pruning simulator reports nothing', () => {
      expect(findPrunedFields(written, schema)).toEqual([]);
    });

    it('the server-side validation would accept it', () => {
      expect(findValidationErrors(written, schema)).toEqual([]);
    });

    it('the pruning simulator catches an undeclared field', () => {
      const tampered = structuredClone(written) as Record<string, Record<string, unknown>>;
      tampered.spec!.bogusField = 'x';
      tampered.status!.conditions = [{ ...conditions[0], extra: 1 }];
      tampered.status!.notInContract = { deep: true };
      expect(
        findPrunedFields(tampered, schema)
          .map((f) => f.path)
          .sort(),
      ).toEqual(['spec.bogusField', 'status.conditions[0].extra', 'status.notInContract']);
    });
  },
);

describe('the pruning simulator', () => {
  const schema = schemaOf(AgenticSessionKind);

  it('keeps unknown values under preserve-unknown-fields (result.usage) and in maps', () => {
    const written = AgenticSessionKind.schema.parse(agenticSession);
    expect(findPrunedFields(written, schema)).toEqual([]);
    expect(written.status?.result?.usage).toMatchObject({
      server_tool_use: { web_search_requests: 1 },
    });
  });

  it('reports undeclared fields nested in arrays, and nulls in non-nullable fields', () => {
    const object = {
      apiVersion: 'vteam.ambient-code/v1alpha1',
      kind: 'AgenticSession',
      metadata: { name: 'x', anything: 'metadata is not pruned by the CRD schema' },
      spec: { repos: [{ url: 'u', typo_autopush: true }], displayName: null },
      status: { result: { subtype: 's', isError: false, usage: { a: { b: [{ c: 1 }] } } } },
      topLevel: 1,
    };
    expect(findPrunedFields(object, schema)).toEqual([
      { path: 'spec.repos[0].typo_autopush', reason: 'not declared in the schema' },
      { path: 'spec.displayName', reason: 'null in a non-nullable field' },
      { path: 'topLevel', reason: 'not declared in the schema' },
    ]);
  });

  it('validation catches wrong types, enum values and missing required fields', () => {
    const object = { spec: { timeout: 'soon' }, status: { phase: 'Exploded' } };
    expect(findValidationErrors(object, schema).map((e) => e.path)).toEqual([
      'spec.timeout',
      'status.phase',
    ]);
    expect(findValidationErrors({ status: {} }, schema)).toEqual([
      { path: 'spec', message: 'required' },
    ]);
  });
});

// -------------------------------------------------------------------------------------------------
// (d) names and printer columns
// -------------------------------------------------------------------------------------------------

describe('names and printer columns', () => {
  it('short names are as, ps, rfe', () => {
    expect(buildCrd(AgenticSessionKind).spec.names.shortNames).toEqual(['as']);
    expect(buildCrd(ProjectSettingsKind).spec.names.shortNames).toEqual(['ps']);
    expect(buildCrd(RfeWorkflowKind).spec.names.shortNames).toEqual(['rfe']);
  });

  it.each([AgenticSessionKind, RfeWorkflowKind])('$kind prints Phase and Age', (kind) => {
    expect(buildCrd(kind).spec.versions[0]!.additionalPrinterColumns).toEqual([
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ]);
  });

  it.each(CRD_KINDS)('$kind printer columns point at declared fields of the right type', (kind) => {
    const schema = schemaOf(kind);
    for (const column of buildCrd(kind).spec.versions[0]!.additionalPrinterColumns ?? []) {
      if (column.jsonPath.startsWith('.metadata.')) continue; // ObjectMeta, not in the CRD schema
      let node: StructuralSchema | undefined = schema;
      for (const segment of column.jsonPath.slice(1).split('.')) node = node?.properties?.[segment];
      expect(node, column.jsonPath).toBeDefined();
      expect(column.type === 'date' ? 'string' : column.type).toBe(node!.type);
    }
  });
});

describe('YAML rendering', () => {
  it('quotes strings that YAML 1.1 (go-yaml) or 1.2 would read as something else', () => {
    const text = toYaml({
      values: ['on', 'no', 'y', 'True', '1:20', '0o17', '0x1F', '2025-01-01', 'plain', 'null'],
    });
    expect(text).toContain(
      'values:\n  - "on"\n  - "no"\n  - "y"\n  - "True"\n  - "1:20"\n  - "0o17"\n  - "0x1F"\n  - "2025-01-01"\n  - plain\n  - "null"\n',
    );
  });

  it('every generated file reads back identically as YAML 1.1 and 1.2', () => {
    for (const [fileName, text] of renderCrdFiles()) {
      expect(parse(text, { version: '1.1' }), fileName).toEqual(parse(text, { version: '1.2' }));
    }
  });
});
