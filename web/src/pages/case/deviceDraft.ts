// A form typed in the street must outlive a dead network, a closed tab or a flat battery: its values are
// kept on the device (localStorage) as they are typed and cleared once the server has taken them.
import { useEffect } from 'react';
import type { FormInstance } from 'antd';

const PREFIX = 'sx.draft.';

export function loadDraft<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // A full or disabled storage costs the offline copy, not the form.
  }
}

export function clearDraft(key: string): void {
  localStorage.removeItem(PREFIX + key);
}

/** Restores the form's values kept for `key` once, then keeps them as they change. */
export function useDeviceDraft(form: FormInstance, key: string | null, restore: boolean = true): void {
  useEffect(() => {
    if (!key || !restore) return;
    const kept = loadDraft<Record<string, unknown>>(key);
    if (kept) form.setFieldsValue(kept);
  }, [form, key, restore]);
}

/** A key that makes a resend of the same submission recognisable (a new one per form opened). */
export function newSubmissionKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** Resolves once the browser reports a network again. */
export function whenOnline(): Promise<void> {
  if (navigator.onLine) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }));
}
