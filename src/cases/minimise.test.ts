// The one data-minimisation rule (R-P14): who sees the party's ID number and address, and what the
// others get instead, in structured fields and in free text alike.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../platform/actor.ts';
import { minimiseFor, WITHHELD } from './minimise.ts';

const agency = '00000000-0000-4000-8000-000000000001';
const row = { agency_id: agency, agency_region: '330100', party_id_number: '91330106MA2H3K7Q4Q', party_address: '演示市西湖区文三路 100 号' };
const user = (role: Actor['role'], agencyId = agency): Actor => ({ kind: 'user', id: '00000000-0000-4000-8000-0000000000aa', name: 'x', role, agencyId, jurisdiction: role === 'supervisor' ? '3301' : null, scopes: [] });

const fields = {
  party: { name: '某公司', idNumber: '91330106MA2H3K7Q4Q', address: '演示市西湖区文三路 100 号', phone: '13900000000' },
  interviewee: { name: '王某', idNumber: '330102199007184427', address: '某小区 5 幢' },
  body: '当事人（统一社会信用代码 91330106ma2h3k7q4q）住所演示市西湖区文三路 100 号。',
  amounts: [1, 2],
};

describe('minimiseFor', () => {
  it('the agency’s own staff see everything, the very same value', () => {
    for (const role of ['officer', 'agency_head', 'reviewer', 'agency_admin'] as const) {
      const m = minimiseFor(user(role), row);
      expect(m.full).toBe(true);
      expect(m.value(fields)).toBe(fields);
      expect(m.withholds(fields)).toBe(false);
      expect(m.party()).toEqual({ idNumber: row.party_id_number, address: row.party_address });
    }
  });

  it('a supervisor, the system administrator, another agency’s reviewer and a token get neither ID numbers nor addresses', () => {
    const token: Actor = { ...user('officer'), kind: 'token', scopes: ['cases:read'] };
    for (const actor of [user('supervisor', 'other'), user('system_admin', 'other'), user('reviewer', 'other'), token]) {
      const m = minimiseFor(actor, row);
      expect(m.full).toBe(false);
      expect(m.party()).toEqual({ idNumber: null, address: null });
      const out = m.value(fields);
      expect(out.party).toEqual({ name: '某公司', idNumber: WITHHELD, address: WITHHELD, phone: '13900000000' });
      expect(out.interviewee).toEqual({ name: '王某', idNumber: WITHHELD, address: WITHHELD });
      expect(out.body).toBe(`当事人（统一社会信用代码 ${WITHHELD}）住所${WITHHELD}。`);
      expect(out.amounts).toBe(fields.amounts);
      expect(m.withholds(fields)).toBe(true);
      expect(m.withholds({ body: '与个人信息无关' })).toBe(false);
      // What a document says is searched for the values of the fields it was made from.
      expect(m.value({ blocks: [{ value: '身份证件号码：330102199007184427' }] }, fields)).toEqual({ blocks: [{ value: `身份证件号码：${WITHHELD}` }] });
    }
  });
});
