import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { api } from '../../api.ts';
import type { Officer } from '../../api.ts';

export interface PickedOfficer {
  id: string;
  name: string;
  certificateNumber: string;
}

/**
 * Officers of one agency whose certificates are valid today, searched by name or certificate number
 * (R-P08: the engine checks validity on the step's date and the category and area it covers).
 */
export function OfficerPicker({
  agencyId,
  value,
  onChange,
  multiple = true,
  id,
  onPicked,
  placeholder,
  exclude,
  preset,
}: {
  agencyId: string;
  value?: string[] | string;
  onChange?: (v: string[] | string) => void;
  multiple?: boolean;
  id?: string;
  /** Every officer the picker has shown, so forms can print names and certificate numbers. */
  onPicked?: (officers: PickedOfficer[]) => void;
  placeholder?: string;
  /** An officer not to offer (the signed-in officer, already on the step). */
  exclude?: string;
  /** Officers already chosen elsewhere (the previous step, the signed-in officer), so they show by name. */
  preset?: PickedOfficer[];
}) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Officer[]>([]);
  const [loading, setLoading] = useState(false);
  const [known, setKnown] = useState<Map<string, PickedOfficer>>(() => new Map((preset ?? []).map((o) => [o.id, o])));
  useEffect(() => {
    if (preset?.length) setKnown((prev) => new Map([...prev, ...preset.map((o) => [o.id, o] as const)]));
  }, [preset]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const t = setTimeout(() => {
      api.officers({ agencyId, status: 'valid', q: q || undefined, pageSize: 50 }).then(
        (page) => {
          if (!current) return;
          setFound(page.items);
          setKnown((prev) => {
            const next = new Map(prev);
            for (const o of page.items) next.set(o.id, { id: o.id, name: o.name, certificateNumber: o.certificateNumber });
            return next;
          });
          setLoading(false);
        },
        () => current && setLoading(false),
      );
    }, q ? 250 : 0);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [agencyId, q]);

  useEffect(() => {
    onPicked?.([...known.values()]);
  }, [known, onPicked]);

  const options = useMemo(() => {
    const selected = (Array.isArray(value) ? value : value ? [value] : []).filter((v) => !found.some((o) => o.id === v));
    const label = (o: PickedOfficer) => ({ value: o.id, label: `${o.name}（${o.certificateNumber}）` });
    return [
      ...selected.map((v) => known.get(v)).filter((o): o is PickedOfficer => !!o).map(label),
      ...found.filter((o) => o.id !== exclude).map((o) => ({ ...label(o), title: `执法类别：${o.category}；区域：${o.area}` })),
    ];
  }, [found, known, value, exclude]);

  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={loading}
      value={value}
      onChange={(v) => onChange?.(v)}
      options={options}
      placeholder={placeholder ?? '输入姓名或执法证号查找'}
      notFoundContent={loading ? '正在查找…' : '没有持有效执法证的人员'}
    />
  );
}
