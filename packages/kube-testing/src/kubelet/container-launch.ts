/**
 * Turns a pod's container into a local process launch: the command and args (the image is ignored),
 * the environment, the working directory, with mount paths rewritten to local directories.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { existsSync, mkdirSync } from 'node:fs';
import type { ContainerLaunch } from './container-process.ts';
import type { ObjectLookups } from './object-lookups.ts';
import {
  declaredEnvironment,
  expandReferences,
  pathMappingsFor,
  rewritePath,
} from './pod-environment.ts';

export interface LaunchContext {
  podDirectory: string;
  volumeDirectories: Map<string, string>;
  pathMappings: Record<string, string>;
  baseEnvironment: Record<string, string>;
  lookups: ObjectLookups;
  logPath: string;
}

/** A launch, or why the container cannot run at all (reported as ContainerCannotRun). */
export type LaunchPlan = { launch: ContainerLaunch } | { cannotRun: string };

export async function planContainerLaunch(
  pod: V1Pod,
  container: V1Container,
  context: LaunchContext,
): Promise<LaunchPlan> {
  const mappings = pathMappingsFor(container, context.volumeDirectories, context.pathMappings);
  const declared = await declaredEnvironment(
    pod,
    container,
    context.baseEnvironment,
    context.lookups,
  );
  const command = container.command ?? [];
  if (command.length === 0) {
    return {
      cannotRun: 'the process kubelet ignores images: the container needs an explicit command',
    };
  }
  const containerView = { ...context.baseEnvironment, ...declared };
  const [executable, ...args] = [...command, ...(container.args ?? [])].map((value) =>
    rewritePath(expandReferences(value, containerView), mappings),
  ) as [string, ...string[]];
  const environment = { ...context.baseEnvironment };
  for (const [name, value] of Object.entries(declared))
    environment[name] = rewritePath(value, mappings);

  let cwd = context.podDirectory;
  if (container.workingDir) {
    cwd = rewritePath(container.workingDir, mappings);
    const mapped = cwd !== container.workingDir;
    // Like a runtime, create a missing working directory, but only inside a mapped (local) directory.
    if (mapped) mkdirSync(cwd, { recursive: true });
    else if (!existsSync(cwd))
      return {
        cannotRun: `workingDir ${container.workingDir} is not under a volume mount or path mapping`,
      };
  }
  return { launch: { executable, args, cwd, environment, logPath: context.logPath } };
}
