// The built-in procedure definitions, validated when this module loads: a definition that does not pass
// the schema and its meaning checks stops the process at start, not a case in the middle of its life.
// Agencies' adaptations (adapt.ts) are stored by the case service and parsed with parseDefinition.
import { AppError } from '../../../platform/errors.ts';
import { parseDefinition, type ProcedureDefinition, type ProcedureDefinitionInput } from '../schema.ts';
import { coercionSeizure } from './coercion-seizure.ts';
import { inspection } from './inspection.ts';
import { licensing } from './licensing.ts';
import { penaltyGeneral } from './penalty-general.ts';
import { penaltySummary } from './penalty-summary.ts';

/** Every version ever shipped stays here: running cases keep the version they started with. */
export const BUILT_IN_INPUTS: readonly ProcedureDefinitionInput[] = [penaltyGeneral, penaltySummary, inspection, coercionSeizure, licensing];

const registry = new Map<string, ProcedureDefinition[]>();
for (const input of BUILT_IN_INPUTS) {
  const def = deepFreeze(parseDefinition(input));
  const versions = registry.get(def.id) ?? [];
  if (versions.some((v) => v.version === def.version)) throw new Error(`重复的程序定义：${def.id} 第${def.version}版`);
  versions.push(def);
  versions.sort((a, b) => a.version - b.version);
  registry.set(def.id, versions);
}

/** A built-in definition; the latest version when none is given. */
export function getDefinition(id: string, version?: number): ProcedureDefinition {
  const versions = registry.get(id);
  const def = version === undefined ? versions?.at(-1) : versions?.find((v) => v.version === version);
  if (!def) throw new AppError('not_found', { detail: `程序定义「${id}」${version === undefined ? '' : `第${version}版`}不存在。` });
  return def;
}

/** The latest version of each built-in definition, in a stable order. */
export function listDefinitions(): ProcedureDefinition[] {
  return [...registry.values()].map((v) => v.at(-1)!);
}

/** Every version of every built-in definition. */
export function listAllDefinitionVersions(): ProcedureDefinition[] {
  return [...registry.values()].flat();
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
