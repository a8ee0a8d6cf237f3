// Client-side checks so a typo is caught before the round trip. The identifier checks are the
// registry's own (src/registry/codes.ts, pure functions), so a form says word for word what the
// server would say; the server checks again and is the one that decides.
export { creditCodeError, idNumberError, regionCodeError } from '../../src/registry/codes.ts';

export const PHONE = /^[0-9+\-()（） ]{5,30}$/;

/** An antd Form rule validator from a check that answers null or a message. */
export function checkWith(check: (value: string) => string | null) {
  return (_rule: unknown, value: string | undefined | null): Promise<void> => {
    if (!value) return Promise.resolve();
    const message = check(value);
    return message ? Promise.reject(new Error(message)) : Promise.resolve();
  };
}
