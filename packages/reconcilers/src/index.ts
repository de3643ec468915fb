export * from './session/decisions.ts';
export * from './session/manager.ts';
export * from './session/runner-launch.ts';
export * from './project-settings/decisions.ts';
export * from './project-settings/manager.ts';
