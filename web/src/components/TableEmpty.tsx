import type { ReactNode } from 'react';
import { Empty } from 'antd';
import type { ApiError } from '../api.ts';

/** A table's empty state: "nothing here" only when the list really loaded; otherwise say it did not. */
export function TableEmpty({ error, description, children, simple }: { error?: ApiError; description: string; children?: ReactNode; simple?: boolean }) {
  const image = simple ? Empty.PRESENTED_IMAGE_SIMPLE : undefined;
  if (error) return <Empty image={image} description="数据未能加载，请查看上方提示" />;
  return (
    <Empty image={image} description={description}>
      {children}
    </Empty>
  );
}
