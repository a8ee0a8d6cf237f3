import { Typography } from 'antd';
import type { Refusal } from '../../api.ts';

/** The engine's reasons, each with its legal basis, as a list people can read and act on. */
export function RefusalList({ refusals, title }: { refusals: Refusal[]; title?: string }) {
  return (
    <div style={{ marginBottom: title ? 16 : 0 }}>
      {title && <Typography.Text strong>{title}</Typography.Text>}
      <ul aria-label={title ?? '原因'} style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {refusals.map((r, i) => (
          <li key={i} style={{ color: r.warnOnly ? '#d46b08' : '#cf1322' }}>
            {r.warnOnly ? '提示：' : ''}
            {r.reason}
            {r.basis && <Typography.Text type="secondary">（依据：{r.basis}）</Typography.Text>}
          </li>
        ))}
      </ul>
    </div>
  );
}
