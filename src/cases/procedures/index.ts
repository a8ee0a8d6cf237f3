// The procedures engine's public face (issue 4, DESIGN §3): definitions as data, one engine, one
// flowchart renderer. Pure code: the case service adds storage, transactions, events and the ledger.
export {
  STAGES, STAGE_LABELS, CASE_TYPES, CASE_TYPE_LABELS, AV_LEVELS, AV_LEVEL_LABELS,
  ProcedureDefinitionSchema, ConditionSchema, parseDefinition, safeParseDefinition, definitionProblems,
  type ProcedureDefinition, type ProcedureDefinitionInput, type StepDef, type ClockDef, type FactDef, type Condition,
  type FactValue, type Stage, type CaseType, type AvLevel, type DefinitionProblem,
} from './schema.ts';
export { DOCUMENT_TYPES, documentName, type DocumentType } from './documents.ts';
export { ProcedureStateSchema, type ProcedureState, type StepRecord, type ClockState, type DocumentRecord } from './state.ts';
export { getDefinition, listDefinitions, listAllDefinitionVersions } from './definitions/index.ts';
export {
  REFUSAL_CODES, initialState, setFacts, recordDocument, hasDocument, availableSteps, checkStep, applyStep,
  extendClock, refusalError, coversArea,
  type RefusalCode, type Refusal, type OfficerCredential, type StepRequest, type EngineContext, type CheckOptions,
  type CheckResult, type ApplyResult, type ClockChange, type AvailableStep, type Availability, type ExtensionRequest,
} from './engine.ts';
export { clockStatus, computeDeadline, currentClock, limitText, pauseIntervals, viewClock, type ClockView, type ComputedDeadline, type ProcedureCalendar } from './clocks.ts';
export { describeCondition, evaluate } from './conditions.ts';
export { adaptDefinition, checkDerived, adaptationProblems, type Adaptation, type AdaptationProblem, type AdaptResult } from './adapt.ts';
export { renderFlowchartSvg, procedureOutline, renderProcedureText, stepLines, FLOWCHART_FONT_FAMILY, type OutlineItem, type FlowchartOptions } from './flowchart.ts';
