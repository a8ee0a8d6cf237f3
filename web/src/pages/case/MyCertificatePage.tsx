import { useEffect, useState } from 'react';
import { Button, Result, Skeleton } from 'antd';
import { useNavigate } from 'react-router-dom';
import { API_BASE, toApiError } from '../../api.ts';
import type { ApiError } from '../../api.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { myOfficer } from './onsite.ts';
import type { MyOfficer } from './onsite.ts';

/**
 * 亮证 (R-P08, 行政处罚法第五十二条、第五十五条: 执法人员应当出示执法证件): the officer's own certificate on
 * the whole screen with its signed QR code, which the party scans to reach the public verification page.
 */
export default function MyCertificatePage() {
  const navigate = useNavigate();
  const [me, setMe] = useState<MyOfficer | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    myOfficer().then(setMe, (e: unknown) => setError(toApiError(e)));
  }, []);
  if (error) return <ProblemAlert error={error} />;
  if (!me) return <Skeleton active />;
  const o = me.officer;
  if (!o) return <Result status="info" title="当前账号未关联执法人员登记" subTitle="请单位管理员在执法人员登记中关联本账号。" />;
  const valid = o.effectiveStatus === 'valid';
  return (
    <div className="sx-certificate" role="dialog" aria-modal="true" aria-label="出示执法证">
      <div className="sx-certificate-card">
        <div className="sx-certificate-title">行政执法证</div>
        <div className="sx-certificate-name">{o.name}</div>
        <dl>
          <dt>证号</dt>
          <dd>{o.certificateNumber}</dd>
          <dt>执法主体</dt>
          <dd>{o.agencyName}</dd>
          <dt>执法类别</dt>
          <dd>{o.category}</dd>
          <dt>执法区域</dt>
          <dd>{o.area}</dd>
          <dt>有效期</dt>
          <dd>
            {o.validFrom} 至 {o.validTo}
          </dd>
        </dl>
        {valid && me.verifyUrl ? (
          <>
            <img className="sx-certificate-qr" src={`${API_BASE}/officers/${encodeURIComponent(o.id)}/qr.svg`} alt={`执法证 ${o.certificateNumber} 核验二维码`} />
            <div className="sx-certificate-hint">请当事人扫码，在政府网站核验本证件（签名防伪）</div>
          </>
        ) : (
          <div className="sx-certificate-invalid" role="alert">
            执法证当前无效，不得出示执法
          </div>
        )}
      </div>
      <Button size="large" onClick={() => navigate(-1)} className="sx-certificate-close">
        返回
      </Button>
    </div>
  );
}
