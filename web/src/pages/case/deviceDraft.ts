// A form typed in the street must outlive a dead network, a closed tab or a flat battery: its values are
// kept on the device (localStorage) as they are typed and cleared once the server has taken them.
import { ApiError } from '../../api.ts';

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

/** A key that makes a resend of the same submission recognisable (a new one per form opened). */
export function newSubmissionKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** The request never reached the server (api.ts answers "网络错误" with status 0). */
function unreachable(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0 && e.title === '网络错误';
}

/**
 * Sends `call`, and while the server cannot be reached keeps the submission waiting on the device: until
 * the browser reports a network again, or every few seconds when it claims one. `waiting` tells the form.
 */
export async function sendWhenOnline<T>(call: () => Promise<T>, waiting: (w: boolean) => void): Promise<T> {
  for (;;) {
    try {
      const r = await call();
      waiting(false);
      return r;
    } catch (e) {
      if (!unreachable(e)) {
        waiting(false);
        throw e;
      }
      waiting(true);
      await (navigator.onLine ? new Promise((r) => setTimeout(r, 5000)) : new Promise<void>((r) => window.addEventListener('online', () => r(), { once: true })));
    }
  }
}
