// What the on-the-spot forms (当场处罚, 现场检查) share: the signed-in officer's registry entry, the
// partner remembered for the day, the party read off the ID or credit code, and the common violations
// an officer picks instead of typing (each with the legal basis printed on the decision).
import { request } from '../../api.ts';
import type { Officer } from '../../api.ts';
import { todayInChina } from '../../caseApi.ts';
import { creditCodeError, idNumberError } from '../../validate.ts';

export interface MyOfficer {
  officer: Officer | null;
  verifyUrl: string | null;
}

let mine: Promise<MyOfficer> | null = null;
/** The signed-in officer's entry, asked once per page load (it changes only when an administrator links it). */
export const myOfficer = (): Promise<MyOfficer> => {
  mine ??= request<MyOfficer>('/me/officer').catch((e: unknown) => {
    mine = null;
    throw e;
  });
  return mine;
};

const PARTNER_KEY = 'sx.onsite.partner';

/** The partner chosen today (officers go out in pairs for the day); forgotten the next day. */
export function rememberedPartner(): string | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(PARTNER_KEY) ?? 'null') as { on: string; id: string } | null;
    return v && v.on === todayInChina() ? v.id : undefined;
  } catch {
    return undefined;
  }
}

export function rememberPartner(id: string): void {
  localStorage.setItem(PARTNER_KEY, JSON.stringify({ on: todayInChina(), id }));
}

export interface PartyFromId {
  type: 'citizen' | 'organisation';
  idType: 'id_card' | 'credit_code';
}

/**
 * The party's kind from the number typed: an 18-character ID card number is a citizen's, a credit code
 * an organisation's; while typing, the message says what is wrong with the number so far.
 */
export function partyFromId(raw: string): { party?: PartyFromId; error?: string } {
  const v = raw.trim().toUpperCase();
  if (v.length < 18) return {};
  if (!idNumberError(v)) return { party: { type: 'citizen', idType: 'id_card' } };
  if (!creditCodeError(v)) return { party: { type: 'organisation', idType: 'credit_code' } };
  return { error: /^\d{17}[\dX]$/.test(v) ? (idNumberError(v) ?? undefined) : (creditCodeError(v) ?? undefined) };
}

export interface Violation {
  key: string;
  /** The act as the 案由 names it (涉嫌…案). */
  act: string;
  /** The legal basis printed on the decision. */
  basis: string;
  /** Enforcement categories (执法类别 of the certificate) the entry belongs to. */
  categories: string[];
}

/**
 * Violations fined on the spot often enough to be offered as a choice. Data with its legal source; an
 * act not listed is written by the officer ("其他").
 */
export const VIOLATIONS: Violation[] = [
  {
    key: 'price_tag',
    act: '未按规定明码标价',
    // 价格法第十三条（明码标价义务）、第四十二条（违反明码标价规定的罚则：可以并处五千元以下罚款）
    basis: '《中华人民共和国价格法》第十三条第一款、第四十二条',
    categories: ['市场监管'],
  },
];

export const violationsFor = (category: string) => VIOLATIONS.filter((v) => v.categories.some((c) => category.includes(c)));
