import { useEffect, useRef, useState } from 'react';
import { Select } from 'antd';
import type { CSSProperties } from 'react';
import { api } from '../api.ts';
import type { Agency } from '../api.ts';

interface Props {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  /** Only agencies of this kind (e.g. justice bureaus). */
  kind?: Agency['kind'];
  /** Leave this agency out (an agency cannot be its own parent). */
  excludeId?: string;
  style?: CSSProperties;
  'aria-label'?: string;
  /** The name of the current value when the caller already knows it (it may lie outside the user's scope). */
  valueLabel?: string | null;
}

/** Searchable agency picker for forms and filters; asks the server as the user types. */
export function AgencySelect({ id, value, onChange, placeholder, disabled, allowClear = true, kind, excludeId, style, valueLabel, ...rest }: Props) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>(
    value && valueLabel ? [{ value, label: valueLabel }] : [],
  );
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const seq = useRef(0);

  const search = (q: string) => {
    const mine = ++seq.current;
    setLoading(true);
    api
      .agencies({ q, kind, page: 1, pageSize: 30 })
      .then((page) => {
        if (mine !== seq.current) return;
        setFailed(false);
        setOptions((prev) => {
          const next = page.items.filter((a) => a.id !== excludeId).map((a) => ({ value: a.id, label: a.name }));
          // Keep the chosen agency's name even when it is not in this page of results.
          const chosen = prev.find((o) => o.value === value);
          return chosen && !next.some((o) => o.value === chosen.value) ? [chosen, ...next] : next;
        });
      })
      .catch(() => mine === seq.current && setFailed(true))
      .finally(() => mine === seq.current && setLoading(false));
  };

  useEffect(() => {
    search('');
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, excludeId]);

  // A value set from outside (editing a record) whose name we do not have yet.
  useEffect(() => {
    if (!value || options.some((o) => o.value === value)) return;
    if (valueLabel) {
      setOptions((prev) => [{ value, label: valueLabel }, ...prev]);
      return;
    }
    let current = true;
    api
      .agency(value)
      .then((a) => current && setOptions((prev) => (prev.some((o) => o.value === a.id) ? prev : [{ value: a.id, label: a.name }, ...prev])))
      // Outside the user's scope (e.g. a parent agency): show that the name is not available.
      .catch(() => current && setOptions((prev) => (prev.some((o) => o.value === value) ? prev : [{ value, label: '（无权查看的机关）' }, ...prev])));
    return () => {
      current = false;
    };
  }, [value, options, valueLabel]);

  return (
    <Select
      id={id}
      aria-label={rest['aria-label']}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={loading}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={placeholder ?? '输入名称搜索执法主体'}
      style={style}
      showSearch={{
        filterOption: false,
        onSearch: (q: string) => {
          clearTimeout(timer.current);
          timer.current = setTimeout(() => search(q), 250);
        },
      }}
      notFoundContent={failed ? '加载失败，请重试' : loading ? '加载中…' : '没有匹配的执法主体'}
    />
  );
}
