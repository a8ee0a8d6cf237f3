import type { JSX, ReactNode } from 'react';
import { Button, Form, Input, InputNumber, Radio, Select } from 'antd';
import type { FormInstance, FormRule } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldError } from '../api.ts';

/**
 * The part of JSON Schema that GET /api/v1/document-forms/:type produces (zod's toJSONSchema of the
 * document schemas), plus the server's markers: `x-kind` (datetime, textarea, money, …) and
 * `x-labels` (Chinese names of coded enum values).
 */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: readonly (string | number)[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  'x-kind'?: string;
  'x-labels'?: Record<string, string>;
}

type NamePath = (string | number)[];

const LONG_TEXT = 200;
// The server treats a missing value and an empty one alike only for required fields; an optional date
// sent as '' would fail its format check, so cleared inputs leave the value out.
const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

function typeOf(s: JsonSchema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
}

/** The server's own wording: 请选择 for choices, 请填写 for the rest. */
function requiredRule(s: JsonSchema, label: string): FormRule {
  const choose = s.enum !== undefined || typeOf(s) === 'boolean';
  return { required: true, message: `${choose ? '请选择' : '请填写'}${label}` };
}

/** What Form.Item injects into its child. The value's type depends on the control chosen at run time, so it is passed through unchecked. */
type Injected = { id?: string; value?: never; onChange?: never };

function ScalarInput({ schema, label, ...control }: { schema: JsonSchema; label: string } & Injected) {
  const kind = schema['x-kind'];
  const type = typeOf(schema);
  if (schema.enum) {
    const labels = schema['x-labels'] ?? {};
    return (
      <Select
        {...control}
        aria-label={label}
        allowClear
        placeholder={`请选择${label}`}
        options={schema.enum.map((v) => ({ value: v, label: labels[String(v)] ?? String(v) }))}
      />
    );
  }
  if (type === 'boolean') {
    return (
      <Radio.Group {...control} aria-label={label}>
        <Radio value={true}>是</Radio>
        <Radio value={false}>否</Radio>
      </Radio.Group>
    );
  }
  if (type === 'number' || type === 'integer') {
    const money = kind === 'money';
    return (
      <InputNumber
        {...control}
        aria-label={label}
        style={{ width: '100%', maxWidth: 320 }}
        min={schema.minimum ?? schema.exclusiveMinimum}
        max={schema.maximum}
        precision={type === 'integer' ? 0 : money ? 2 : undefined}
        suffix={money ? '元' : undefined}
        placeholder={schema.default !== undefined ? `默认 ${String(schema.default)}` : undefined}
      />
    );
  }
  if (schema.format === 'date' || kind === 'date') return <Input {...control} aria-label={label} type="date" style={{ maxWidth: 220 }} />;
  if (kind === 'datetime') return <Input {...control} aria-label={label} type="datetime-local" style={{ maxWidth: 260 }} />;
  if (kind === 'textarea' || (schema.maxLength ?? 0) > LONG_TEXT) {
    return <Input.TextArea {...control} aria-label={label} autoSize={{ minRows: 2, maxRows: 12 }} maxLength={schema.maxLength} showCount={schema.maxLength !== undefined} />;
  }
  return <Input {...control} aria-label={label} maxLength={schema.maxLength} />;
}

interface FieldProps {
  schema: JsonSchema;
  name: NamePath;
  /** Required by its parent, and the parent itself must be filled in (an optional group's parts are not forced). */
  required: boolean;
  fallbackLabel: string;
}

function Group({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset style={{ border: '1px solid #d9d9d9', borderRadius: 8, padding: '8px 16px 0', margin: '0 0 16px' }}>
      <legend style={{ width: 'auto', padding: '0 6px', marginBottom: 0, fontSize: 14, border: 0 }}>{legend}</legend>
      {children}
    </fieldset>
  );
}

function ObjectFields({ schema, name, required }: { schema: JsonSchema; name: NamePath; required: boolean }) {
  const req = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, sub]) => (
        <SchemaField key={key} schema={sub} name={[...name, key]} required={required && req.has(key)} fallbackLabel={key} />
      ))}
    </>
  );
}

function ObjectList({ schema, name, required, label }: { schema: JsonSchema; name: NamePath; required: boolean; label: string }) {
  const item = schema.items!;
  const itemLabel = item.title ?? label;
  const min = schema.minItems ?? 0;
  const rules = required && min > 0 ? [{ validator: async (_: unknown, v: unknown[] | undefined) => { if ((v?.length ?? 0) < min) throw new Error(`${label}至少填写 ${min} 项`); } }] : [];
  return (
    <Group legend={label}>
      <Form.List name={name} rules={rules}>
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, i) => (
              <Group key={field.key} legend={`${itemLabel} ${i + 1}`}>
                <ObjectFields schema={item} name={[field.name]} required />
                <Form.Item>
                  <Button danger icon={<DeleteOutlined aria-hidden />} onClick={() => remove(field.name)} aria-label={`删除第 ${i + 1} 项${itemLabel}`}>
                    删除
                  </Button>
                </Form.Item>
              </Group>
            ))}
            <Form.Item extra={schema.description}>
              <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add()} disabled={schema.maxItems !== undefined && fields.length >= schema.maxItems}>
                添加{itemLabel}
              </Button>
              <Form.ErrorList errors={errors} />
            </Form.Item>
          </>
        )}
      </Form.List>
    </Group>
  );
}

function SchemaField({ schema, name, required, fallbackLabel }: FieldProps) {
  const label = schema.title ?? fallbackLabel;
  const type = typeOf(schema);
  if (type === 'object' && schema.properties) {
    return (
      <Group legend={label}>
        {schema.description && <div style={{ color: 'rgba(0,0,0,0.45)', marginBottom: 8 }}>{schema.description}</div>}
        <ObjectFields schema={schema} name={name} required={required} />
      </Group>
    );
  }
  if (type === 'array' && schema.items && typeOf(schema.items) === 'object') return <ObjectList schema={schema} name={name} required={required} label={label} />;
  if (type === 'array') {
    const min = schema.minItems ?? 0;
    const rules: FormRule[] = required && min > 0 ? [{ required: true, type: 'array', min, message: min > 1 ? `${label}至少填写 ${min} 项` : `请填写${label}` }] : [];
    return (
      <Form.Item name={name} label={label} rules={rules} extra={schema.description ?? '输入后按回车添加一项'}>
        <Select mode="tags" aria-label={label} open={false} suffixIcon={null} maxCount={schema.maxItems} placeholder={`请填写${label}`} />
      </Form.Item>
    );
  }
  return (
    <Form.Item name={name} label={label} rules={required ? [requiredRule(schema, label)] : []} extra={schema.description} normalize={emptyToUndefined}>
      <ScalarInput schema={schema} label={label} />
    </Form.Item>
  );
}

/**
 * The fields of one document, inside the caller's antd `<Form>`, under `name` (e.g. ['documents', 0,
 * 'fields']). Required marks and simple checks help the officer; the server's validation decides.
 */
export function DocumentFieldsForm(props: { schema: JsonSchema; name: (string | number)[] }): JSX.Element {
  return <ObjectFields schema={props.schema} name={props.name} required />;
}

/**
 * Puts the server's field errors (problem+json `errors`, e.g. `fields.party.idNumber` or
 * `penalties.0.amount`) on the fields under `prefix`; returns those that name no field (shown above the form).
 */
export function applyFieldErrors(form: FormInstance, prefix: (string | number)[], errors: FieldError[]): FieldError[] {
  const byName = new Map<string, { name: NamePath; errors: string[] }>();
  const unmatched: FieldError[] = [];
  for (const e of errors) {
    const parts = e.field.split('.').filter(Boolean);
    if (parts[0] === 'body') parts.shift();
    if (parts[0] === 'fields') parts.shift();
    if (parts.length === 0 || parts[0] === '(根)') {
      unmatched.push(e);
      continue;
    }
    const name = [...prefix, ...parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
    const key = JSON.stringify(name);
    const entry = byName.get(key) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byName.set(key, entry);
  }
  form.setFields([...byName.values()]);
  return unmatched;
}

/**
 * The form's values as the server expects them: cleared inputs and groups left entirely empty are left
 * out (an untouched optional group such as 缴款方式 would otherwise arrive as `{}` and be checked).
 */
export function pruneEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => pruneEmpty(v) ?? {});
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, pruneEmpty(v)] as const).filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === '' || value === null ? undefined : value;
}
