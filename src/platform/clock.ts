// The platform's legal clock. Legal dates (a step's day, "not after today", deadlines, certificate
// validity) are read from here, never from `new Date()` directly, so that time is an input: an
// installation or a test suite can start the clock at a fixed instant (SANXIANG_CLOCK) and every
// date-dependent rule behaves the same on any real calendar day. The clock still runs forward from
// that instant, so timestamps keep their order. Security clocks (sessions, TOTP, lockout) stay on
// real time: a shifted clock there would weaken them.

export interface Clock {
  now(): Date;
}

function clockFrom(start: string | undefined): Clock {
  if (!start) return { now: () => new Date() };
  const at = Date.parse(start);
  if (Number.isNaN(at)) throw new Error(`SANXIANG_CLOCK 不是有效的 ISO 8601 时间：${start}`);
  const bootedAt = Date.now();
  return { now: () => new Date(at + (Date.now() - bootedAt)) };
}

let current: Clock = clockFrom(process.env.SANXIANG_CLOCK || undefined);

/** The legal clock's current instant. */
export function legalNow(): Date {
  return current.now();
}

/** Starts the legal clock at `start` (ISO 8601), or on real time when unset. */
export function setClock(start: string | undefined): void {
  current = clockFrom(start);
}
