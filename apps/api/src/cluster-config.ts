/**
 * Configuration of the cluster-mode entry points (main-cluster.ts: API server; main-operator.ts:
 * controllers), read from the environment in this one place. The manifests in deploy/ provide these
 * variables (ConfigMap `ambient-config`, Secrets `ambient-postgres`, `ambient-runner-token-key`,
 * `ambient-anthropic`, and the Downward API for POD_NAME/POD_NAMESPACE).
 *
 * Kubernetes access: `KUBECONFIG` when set (development), otherwise the pod's ServiceAccount
 * (client-node's loadFromDefault). PostgreSQL: `DATABASE_URL` when set, otherwise node-postgres reads
 * PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE itself.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const positiveSeconds = z.coerce.number().int().positive().optional();

const runnerCommandSchema = z
  .string()
  .optional()
  .transform((value, context) => {
    if (!value) return undefined;
    try {
      return z.array(z.string().min(1)).min(1).parse(JSON.parse(value));
    } catch {
      context.addIssue({ code: 'custom', message: 'AMBIENT_RUNNER_COMMAND must be a JSON array of strings, e.g. ["node","/app/main.mjs"]' });
      return z.NEVER;
    }
  });

const sharedSchema = z.object({
  LOG_LEVEL: z.string().default('info'),
  /** HMAC key of runner credentials: the operator mints them, the API server verifies them. */
  AMBIENT_RUNNER_TOKEN_KEY: z.string().min(16, 'AMBIENT_RUNNER_TOKEN_KEY must be at least 16 characters'),
  DATABASE_URL: optionalText,
  KUBECONFIG: optionalText,
});

const apiSchema = sharedSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Any authenticated user may create a project (the server then creates its namespace). */
  AMBIENT_ANYONE_CREATES_PROJECTS: z.enum(['true', 'false']).default('true'),
});

const operatorSchema = sharedSchema.extend({
  /** Where runner pods reach the API server's runner channel. */
  AMBIENT_SERVER_URL: z.string().url(),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  AMBIENT_RUNNER_IMAGE: optionalText,
  AMBIENT_RUNNER_IMAGE_PULL_POLICY: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  /** JSON array: the runner container's command (default: the runner image's entry point). */
  AMBIENT_RUNNER_COMMAND: runnerCommandSchema,
  AMBIENT_RUNNER_CPU_REQUEST: optionalText,
  AMBIENT_RUNNER_MEMORY_REQUEST: optionalText,
  AMBIENT_RUNNER_CPU_LIMIT: optionalText,
  AMBIENT_RUNNER_MEMORY_LIMIT: optionalText,
  /** Unset: 1001; empty: left to the platform (OpenShift SCC). */
  AMBIENT_RUNNER_RUN_AS_USER: z.string().optional(),
  AMBIENT_WORKSPACE_SIZE: optionalText,
  AMBIENT_WORKSPACE_STORAGE_CLASS: optionalText,
  AMBIENT_DEFAULT_TIMEOUT_SECONDS: positiveSeconds,
  AMBIENT_DEFAULT_INACTIVITY_TIMEOUT_SECONDS: positiveSeconds,
  CLAUDE_CODE_MAX_RETRIES: optionalText,
  /** Leader election: the Lease lives in the operator's namespace. */
  POD_NAMESPACE: z.string().default('ambient-code'),
  POD_NAME: z.string().default('ambient-operator'),
  AMBIENT_LEADER_LEASE_NAME: z.string().default('ambient-operator'),
  /** Every session is enqueued this often (level-triggered safety net; 0 disables). */
  AMBIENT_RESYNC_SECONDS: z.coerce.number().int().min(0).default(30),
});

export interface ClusterSharedConfig {
  logLevel: string;
  runnerTokenSecret: string;
  /** Unset: node-postgres reads PG* variables. */
  databaseUrl?: string;
  kubeconfigPath?: string;
}

export interface ClusterApiConfig extends ClusterSharedConfig {
  port: number;
  host: string;
  anyoneCreatesProjects: boolean;
}

export interface OperatorConfig extends ClusterSharedConfig {
  serverUrl: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
  runner: {
    image?: string;
    imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
    command?: string[];
    requests: { cpu?: string; memory?: string };
    limits: { cpu?: string; memory?: string };
    /** undefined: the runtime's default (1001); null: unset (OpenShift). */
    runAsUser?: number | null;
    workspaceSize?: string;
    storageClassName?: string;
  };
  defaultTimeoutSeconds?: number;
  defaultInactivityTimeoutSeconds?: number;
  claudeMaxRetries?: string;
  leaseNamespace: string;
  leaseName: string;
  podName: string;
  resyncSeconds: number;
}

function parse<S extends z.ZodType>(schema: S, environment: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

function shared(env: z.output<typeof sharedSchema>): ClusterSharedConfig {
  return {
    logLevel: env.LOG_LEVEL,
    runnerTokenSecret: env.AMBIENT_RUNNER_TOKEN_KEY,
    databaseUrl: env.DATABASE_URL,
    kubeconfigPath: env.KUBECONFIG,
  };
}

export function loadClusterApiConfig(environment: NodeJS.ProcessEnv): ClusterApiConfig {
  const env = parse(apiSchema, environment);
  return { ...shared(env), port: env.PORT, host: env.HOST, anyoneCreatesProjects: env.AMBIENT_ANYONE_CREATES_PROJECTS === 'true' };
}

export function loadOperatorConfig(environment: NodeJS.ProcessEnv): OperatorConfig {
  const env = parse(operatorSchema, environment);
  const runAsUser = env.AMBIENT_RUNNER_RUN_AS_USER;
  if (runAsUser !== undefined && runAsUser !== '' && !/^\d+$/.test(runAsUser)) {
    throw new Error('invalid configuration:\n  AMBIENT_RUNNER_RUN_AS_USER: must be a UID or empty');
  }
  return {
    ...shared(env),
    serverUrl: env.AMBIENT_SERVER_URL,
    anthropicApiKey: env.ANTHROPIC_API_KEY,
    anthropicBaseUrl: env.ANTHROPIC_BASE_URL,
    runner: {
      image: env.AMBIENT_RUNNER_IMAGE,
      imagePullPolicy: env.AMBIENT_RUNNER_IMAGE_PULL_POLICY,
      command: env.AMBIENT_RUNNER_COMMAND,
      requests: { cpu: env.AMBIENT_RUNNER_CPU_REQUEST, memory: env.AMBIENT_RUNNER_MEMORY_REQUEST },
      limits: { cpu: env.AMBIENT_RUNNER_CPU_LIMIT, memory: env.AMBIENT_RUNNER_MEMORY_LIMIT },
      runAsUser: runAsUser === undefined ? undefined : runAsUser === '' ? null : Number(runAsUser),
      workspaceSize: env.AMBIENT_WORKSPACE_SIZE,
      storageClassName: env.AMBIENT_WORKSPACE_STORAGE_CLASS,
    },
    defaultTimeoutSeconds: env.AMBIENT_DEFAULT_TIMEOUT_SECONDS,
    defaultInactivityTimeoutSeconds: env.AMBIENT_DEFAULT_INACTIVITY_TIMEOUT_SECONDS,
    claudeMaxRetries: env.CLAUDE_CODE_MAX_RETRIES,
    leaseNamespace: env.POD_NAMESPACE,
    leaseName: env.AMBIENT_LEADER_LEASE_NAME,
    podName: env.POD_NAME,
    resyncSeconds: env.AMBIENT_RESYNC_SECONDS,
  };
}

/** KUBECONFIG when given, otherwise the default chain (in-cluster ServiceAccount in a pod). */
export function loadKubeConfig(path?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (path) kubeConfig.loadFromFile(path);
  else kubeConfig.loadFromDefault();
  return kubeConfig;
}
