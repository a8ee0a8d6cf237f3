import { Tag } from 'antd';
import { effectiveStatusColors, effectiveStatusLabels, labelOf } from '../labels.ts';
import type { EffectiveStatus } from '../labels.ts';

export function StatusTag({ status }: { status: EffectiveStatus }) {
  return <Tag color={effectiveStatusColors[status] ?? 'default'}>{labelOf(effectiveStatusLabels, status)}</Tag>;
}
