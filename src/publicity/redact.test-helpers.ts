// What the redaction tests import: the rules and the confirmer's additions (service.ts), in one place.
export { RULES, applyRedactions, countyPrefix, findRedactions, idCheckDigit, idCheckDigitValid, maskedName } from './redact.ts';
export { withAdded as withAddedSafe } from './service.ts';
