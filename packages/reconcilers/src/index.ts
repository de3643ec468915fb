export * from './session/decisions.ts';
export * from './session/manager.ts';
export * from './session/runner-launch.ts';
