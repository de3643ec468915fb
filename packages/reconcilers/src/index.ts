export * from './session/decisions.ts';
export * from './session/manager.ts';
