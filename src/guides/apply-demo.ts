// Demo 网上受理 (R-P07, R-I04): one application made online from the published 食品经营许可 guide, with
// an uploaded material; it stands in the acceptance stage with its clock running. Its progress is looked
// up with the tracking number (in the back office, on the case) and the phone's last four digits 5678.
import type { AppContext } from '../platform/context.ts';
import { submitApplication } from './apply.ts';

// A one-page PDF: the demo's uploaded 申请书 (the bytes matter only as a stored, hashed file).
const DEMO_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

export async function loadApplyDemo(ctx: AppContext, agencyId: string): Promise<string | null> {
  const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM service_guides WHERE agency_id = $1 AND status = 'published' ORDER BY matter_code LIMIT 1`, [agencyId]);
  if (!rows[0]) return null;
  const r = await submitApplication(ctx, null, rows[0].id,
    { applicantType: 'organisation', name: '演示市味道餐饮管理有限公司', idNumber: '91330106MA2H3K7Q4Q', phone: '13900005678', address: '演示市西湖区文三路 88 号', legalRepresentative: '赵某某' },
    [{ name: '食品经营许可申请书', filename: '食品经营许可申请书.pdf', mediaType: 'application/pdf', bytes: DEMO_PDF }]);
  return r.trackingNumber;
}
