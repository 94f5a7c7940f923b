/**
 * Compute rules (SPEC.md §3.9): JavaScript function bodies run in a QuickJS sandbox.
 * Compile once per run, evaluate many times. No host access but what the context gives.
 */
export type RuleKind =
  | 'normalize' // VALUE -> value | values | null
  | 'mapping' // inbound/outbound mapping compute rule -> value | values | null
  | 'assignment' // custom object-type assignment -> string | null
  | 'matching' // matching condition -> boolean
  | 'correlation' // custom correlation -> CorrelationResult | list of IDM object ids
  | 'decision' // custom decision rule -> SyncAction | SyncAction[] | null/[] (no decision)
  | 'customAction'; // patch object { attr: value|null } | null

export type ScriptValue = string | number | boolean | null | ScriptValue[] | { [k: string]: ScriptValue };

/** The names a rule sees; each is present only when it applies (absent names are `undefined` in the script). */
export interface ScriptContext {
  ACCOUNT?: Record<string, unknown>;
  IDM_OBJECT?: Record<string, unknown> | null;
  VALUE?: unknown;
  OBJECT_TYPE?: string | null;
  SITUATION?: string | null;
  CORRELATION_METADATA?: Record<string, unknown> | null;
}

/** Read-only search for custom correlation: a search expression (SPEC.md §8) -> flat IDM objects. */
export type ObjectFinderFn = (filter: Record<string, unknown>, limit: number) => Promise<Array<Record<string, unknown>>>;

export interface CorrelationResultValue {
  ids: string[];
  metadata: Record<string, unknown> | null;
}

/** Results after the return-type checks of §3.9, per kind. */
export interface RuleResults {
  normalize: ScriptValue; // scalar, list, or null
  mapping: ScriptValue;
  assignment: string | null;
  matching: boolean;
  correlation: CorrelationResultValue;
  decision: string[]; // SyncAction names; [] = no decision
  customAction: Record<string, ScriptValue> | null;
}

export interface CompiledRule<K extends RuleKind = RuleKind> {
  readonly kind: K;
  /** Where the rule lives in the configuration, e.g. `applications/hr/...objectSynchronizationDefinitions[0].customAction` */
  readonly location: string;
  /** The context names the script can read (all of them when that cannot be told from its source: scripting/context-use.ts). */
  readonly contextNames: ReadonlySet<keyof ScriptContext>;
  evaluate(context: ScriptContext, opts?: { objectFinder?: ObjectFinderFn }): Promise<RuleResults[K]>;
}

export interface ScriptEngine {
  /** Throws AppError VALIDATION_ERROR with properties { path: location, line, column, reason } on a syntax error. */
  compile<K extends RuleKind>(kind: K, script: string, location: string): CompiledRule<K>;
  /**
   * How many evaluations so far read the clock (Date.now, new Date(), Date()) or Math.random: a caller compares it
   * before and after computing something to know whether the result may be reused while the inputs stay the same.
   */
  readonly impureEvaluations: number;
  /** How many evaluations returned a result so far (tests and measurements count the rules a run evaluated). */
  readonly evaluations: number;
  dispose(): void;
}
