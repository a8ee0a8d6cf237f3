import { Spin } from 'antd';

export function FullPageSpin({ tip = '正在加载…' }: { tip?: string }) {
  return (
    <div
      role="status"
      style={{ display: 'flex', flexDirection: 'column', gap: 12, minHeight: '60vh', alignItems: 'center', justifyContent: 'center', color: '#888' }}
    >
      <Spin size="large" />
      <span>{tip}</span>
    </div>
  );
}
