/** Compute rules (SPEC.md §3.9): the public surface of the scripting module. */
export * from './types';
export { createScriptEngine, DEFAULT_LIMITS, type ScriptEngineOptions } from './engine';
export { checkSyntax, type ScriptSyntaxError } from './syntax';
export { SYNC_ACTIONS, isSyncAction, type SyncActionName } from './sync-actions';
export { OBJECT_FINDER_DEFAULT_LIMIT, OBJECT_FINDER_MAX_LIMIT } from './object-finder';
