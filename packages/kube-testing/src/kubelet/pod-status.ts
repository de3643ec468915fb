/** Builds a pod's `status` (for a merge patch) from what the process kubelet knows about it. */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { apiTime } from './kube-api.ts';

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date; pid: number }
  | {
      kind: 'terminated';
      exitCode: number;
      reason: string;
      message?: string;
      signal?: number;
      startedAt?: Date;
      finishedAt: Date;
      pid?: number;
    };

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodModel {
  startTime: Date;
  phase: PodPhase;
  initialized: boolean;
  initContainers: Map<string, ContainerState>;
  containers: Map<string, ContainerState>;
  message?: string;
}

function stateJson(state: ContainerState) {
  switch (state.kind) {
    case 'waiting':
      return { waiting: { reason: state.reason, message: state.message } };
    case 'running':
      return { running: { startedAt: apiTime(state.startedAt) } };
    case 'terminated':
      return {
        terminated: {
          exitCode: state.exitCode,
          signal: state.signal,
          reason: state.reason,
          message: state.message,
          startedAt: state.startedAt ? apiTime(state.startedAt) : undefined,
          finishedAt: apiTime(state.finishedAt),
          containerID: state.pid ? `process://${state.pid}` : undefined,
        },
      };
  }
}

function containerStatuses(containers: V1Container[], states: Map<string, ContainerState>) {
  return containers.map((container) => {
    const state = states.get(container.name) ?? { kind: 'waiting', reason: 'PodInitializing' };
    const running = state.kind === 'running';
    return {
      name: container.name,
      state: stateJson(state),
      ready: running,
      started: running,
      restartCount: 0,
      image: container.image ?? '',
      imageID: '',
      containerID: state.kind !== 'waiting' && state.pid ? `process://${state.pid}` : undefined,
    };
  });
}

export function podStatus(pod: V1Pod, model: PodModel, transitions: Map<string, string>) {
  const allRunning = [...model.containers.values()].every((state) => state.kind === 'running');
  const ready = model.phase === 'Running' && allRunning && model.containers.size > 0;
  const condition = (type: string, value: boolean) => {
    const status = value ? 'True' : 'False';
    // lastTransitionTime changes only when the condition's status does.
    const key = `${type}=${status}`;
    if (!transitions.has(key)) transitions.set(key, apiTime());
    return { type, status, lastProbeTime: null, lastTransitionTime: transitions.get(key) };
  };
  return {
    status: {
      phase: model.phase,
      message: model.message ?? null,
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      podIPs: [{ ip: '127.0.0.1' }],
      startTime: apiTime(model.startTime),
      conditions: [
        condition('Initialized', model.initialized),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      initContainerStatuses: pod.spec?.initContainers?.length
        ? containerStatuses(pod.spec.initContainers, model.initContainers)
        : undefined,
      containerStatuses: containerStatuses(pod.spec?.containers ?? [], model.containers),
    },
  };
}
