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
    const name = parts.find((p) => fieldNames.includes(p));
    if (name) byField.set(name, [...(byField.get(name) ?? []), fe.message]);
    else unmatched.push(fe);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return { error, unmatched };
}
