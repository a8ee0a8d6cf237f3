import type { FormInstance } from 'antd';
import { toApiError } from '../api.ts';
import type { ApiError, FieldError } from '../api.ts';

/**
 * Puts each problem+json field message next to its form field; returns the error and the messages
 * that match no field (shown in the alert above the form).
 */
export function applyProblemToForm(
  form: FormInstance,
  e: unknown,
  fieldNames: readonly string[],
): { error: ApiError; unmatched: FieldError[] } {
  const error = toApiError(e);
  const unmatched: FieldError[] = [];
  const byField = new Map<string, string[]>();
  for (const fe of error.errors) {
    // The server may name a field "name", "body.name" or "fields.0".
    const parts = fe.field.replace(/^(body|\/)\.?/, '').split(/[./[\]]/).filter(Boolean);
    // A nested field is named by its path ("party.idNumber"); a flat one by its last matching part.
    const nested = parts.map((_, i) => parts.slice(i).join('.')).find((p) => p.includes('.') && fieldNames.includes(p));
    const name = nested ?? parts.find((p) => fieldNames.includes(p));
    if (name) byField.set(name, [...(byField.get(name) ?? []), fe.message]);
    else unmatched.push(fe);
  }
  const fields = [...byField].map(([name, errors]) => ({ name: name.split('.'), errors }));
  form.setFields(fields);
  // The message is beside its field; bring the first one into view (the form may be scrolled far from it).
  if (fields[0]) form.scrollToField(fields[0].name, { block: 'center', focus: true });
  return { error, unmatched };
}
