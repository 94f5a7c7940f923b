/** Every configuration schema and type (SPEC.md §3). Types are zod outputs: defaults applied. */
export * from './common';
export * from './connector-definition';
export * from './matching';
export * from './application';
export * from './post-processing';
export * from './application-profile';
export * from './task-definitions';
