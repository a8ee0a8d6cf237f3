// Overdue publications on the home page of an agency's staff and of a supervisor (issue 8, R-P11).
import { Alert } from 'antd';
import { Link } from 'react-router-dom';
import { request } from '../api.ts';
import { can, useSession } from '../auth.tsx';
import { useRemote } from '../components/useRemote.ts';

export function PublicityOverdueCard() {
  const { user } = useSession();
  const o = useRemote(() => (can.readCases(user) ? request<Record<string, number>>('/publications/overview') : Promise.resolve(null)), [user.id]);
  const d = o.data;
  if (!d || (!d.overdue && !d.overdueCorrections)) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginTop: 16 }}
      message={`执法决定公示：${d.overdue ? `${d.overdue} 件已超过公示期限仍未公示` : ''}${d.overdue && d.overdueCorrections ? '；' : ''}${d.overdueCorrections ? `${d.overdueCorrections} 件更正申请已超期未答复` : ''}`}
      action={<Link to="/publicity">去处理</Link>}
    />
  );
}
