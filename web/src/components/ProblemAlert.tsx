import { Alert, Button } from 'antd';
import type { CSSProperties } from 'react';
import type { ApiError } from '../api.ts';

/** A problem+json answer for people: the title, its detail, each field's message, the request id. */
export function ProblemAlert({
  error,
  onRetry,
  fieldErrors,
  style,
}: {
  error: ApiError;
  onRetry?: () => void;
  /** Field messages not shown beside a form field (all of them when there is no form). */
  fieldErrors?: { field: string; message: string }[];
  style?: CSSProperties;
}) {
  const list = fieldErrors ?? error.errors;
  // Retrying helps when the network or the server failed, not when the answer was "not found" or "not allowed".
  const retryable = error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={style}
      title={error.title}
      description={
        <div>
          {error.detail && error.detail !== error.title && <div>{error.detail}</div>}
          {list.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {list.map((fe, i) => (
                <li key={i}>
                  {fe.field ? `${fe.field}：` : ''}
                  {fe.message}
                </li>
              ))}
            </ul>
          )}
          {error.requestId && (
            <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>请求编号：{error.requestId}</div>
          )}
        </div>
      }
      action={
        onRetry && retryable ? (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
