/**
 * The registry of resource kinds. Stores, the CRD generator and the API all look kinds up here, so a
 * kind is declared exactly once.
 */
import type { z } from 'zod';
import {
  agenticSessionSchema,
  agenticSessionSpecSchema,
  agenticSessionStatusSchema,
} from './agentic-session.ts';
import { API_GROUP, API_VERSION, GROUP_VERSION } from './meta.ts';
import { projectSchema, projectSpecSchema } from './project.ts';
import {
  projectSettingsSchema,
  projectSettingsSpecSchema,
  projectSettingsStatusSchema,
} from './project-settings.ts';
import {
  rfeWorkflowSchema,
  rfeWorkflowSpecSchema,
  rfeWorkflowStatusSchema,
} from './rfe-workflow.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
}

export interface ResourceKind<TObject = unknown> {
  kind: string;
  apiVersion: string;
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** True for kinds that become CustomResourceDefinitions in cluster mode. */
  crd: boolean;
  schema: z.ZodType<TObject>;
  specSchema: z.ZodType;
  statusSchema?: z.ZodType;
  printerColumns: PrinterColumn[];
}

const PHASE_AND_AGE: PrinterColumn[] = [
  { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export const AgenticSessionKind: ResourceKind<z.infer<typeof agenticSessionSchema>> = {
  kind: 'AgenticSession',
  apiVersion: GROUP_VERSION,
  group: API_GROUP,
  version: API_VERSION,
  plural: 'agenticsessions',
  singular: 'agenticsession',
  shortNames: ['as'],
  namespaced: true,
  crd: true,
  schema: agenticSessionSchema,
  specSchema: agenticSessionSpecSchema,
  statusSchema: agenticSessionStatusSchema,
  printerColumns: PHASE_AND_AGE,
};

export const ProjectSettingsKind: ResourceKind<z.infer<typeof projectSettingsSchema>> = {
  kind: 'ProjectSettings',
  apiVersion: GROUP_VERSION,
  group: API_GROUP,
  version: API_VERSION,
  plural: 'projectsettings',
  singular: 'projectsettings',
  shortNames: ['ps'],
  namespaced: true,
  crd: true,
  schema: projectSettingsSchema,
  specSchema: projectSettingsSpecSchema,
  statusSchema: projectSettingsStatusSchema,
  printerColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
};

export const RfeWorkflowKind: ResourceKind<z.infer<typeof rfeWorkflowSchema>> = {
  kind: 'RFEWorkflow',
  apiVersion: GROUP_VERSION,
  group: API_GROUP,
  version: API_VERSION,
  plural: 'rfeworkflows',
  singular: 'rfeworkflow',
  shortNames: ['rfe'],
  namespaced: true,
  crd: true,
  schema: rfeWorkflowSchema,
  specSchema: rfeWorkflowSpecSchema,
  statusSchema: rfeWorkflowStatusSchema,
  printerColumns: PHASE_AND_AGE,
};

/** Embedded-mode stand-in for a Namespace; not a CRD. */
export const ProjectKind: ResourceKind<z.infer<typeof projectSchema>> = {
  kind: 'Project',
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  plural: 'projects',
  singular: 'project',
  shortNames: [],
  namespaced: false,
  crd: false,
  schema: projectSchema,
  specSchema: projectSpecSchema,
  printerColumns: [],
};

export const ALL_KINDS: ResourceKind[] = [
  AgenticSessionKind,
  ProjectSettingsKind,
  RfeWorkflowKind,
  ProjectKind,
] as ResourceKind[];

export const CRD_KINDS: ResourceKind[] = ALL_KINDS.filter((kind) => kind.crd);
