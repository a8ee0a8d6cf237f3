import { useState } from 'react';
import { Alert, App, Button, Card, Flex, Result, Table, Tabs, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { api, toApiError } from '../api.ts';
import type { ApiError, FieldError } from '../api.ts';
import { PageHeader } from '../layout/PageHeader.tsx';
import { ProblemAlert } from '../components/ProblemAlert.tsx';

type Kind = 'agencies' | 'officers';

const kindLabels: Record<Kind, string> = { agencies: '执法主体', officers: '执法人员' };
const ACCEPT = '.xlsx,.csv';
const MAX_BYTES = 10 * 1024 * 1024;

type Outcome = { ok: true; imported: number; fileName: string } | { ok: false; error: ApiError; fileName: string };

export default function ImportsPage() {
  return (
    <>
      <PageHeader title="批量导入" subTitle="从 Excel（.xlsx）或 CSV 文件批量登记执法主体和执法人员" />
      <Card>
        <Tabs
          items={(['officers', 'agencies'] as const).map((kind) => ({
            key: kind,
            label: `导入${kindLabels[kind]}`,
            children: <ImportPanel kind={kind} />,
          }))}
        />
      </Card>
    </>
  );
}

function ImportPanel({ kind }: { kind: Kind }) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const label = kindLabels[kind];

  const fileList: UploadFile[] = file ? [{ uid: 'chosen', name: file.name, size: file.size, status: 'done' }] : [];

  const choose = (f: File) => {
    const lower = f.name.toLowerCase();
    if (!lower.endsWith('.xlsx') && !lower.endsWith('.csv')) {
      message.error('只支持 .xlsx 或 .csv 文件');
      return Upload.LIST_IGNORE;
    }
    if (f.size > MAX_BYTES) {
      message.error('文件不能超过 10 MB，请分批导入');
      return Upload.LIST_IGNORE;
    }
    setFile(f);
    setOutcome(null);
    return false; // keep the file here; it is sent when the user clicks 开始导入
  };

  const start = async () => {
    if (!file) return;
    setBusy(true);
    setOutcome(null);
    try {
      const res = await api.importFile(kind, file);
      setOutcome({ ok: true, imported: res.imported, fileName: file.name });
      setFile(null);
    } catch (e) {
      setOutcome({ ok: false, error: toApiError(e), fileName: file.name });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Alert
        type="info"
        showIcon
        title="导入规则"
        description={
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            <li>请先下载模板，按模板的列填写；支持 .xlsx 和 .csv（UTF-8）文件，不超过 10 MB。</li>
            <li>整份文件全部校验通过才会导入；只要有一行有误，所有数据都不导入，并列出每一行的问题。</li>
            {kind === 'officers' && <li>执法证件号不能与已登记的证件重复；所属执法主体按统一社会信用代码匹配。</li>}
            {kind === 'agencies' && <li>统一社会信用代码须符合 GB 32100-2015 校验规则，且不能重复。</li>}
          </ul>
        }
      />
      <div>
        <Button icon={<DownloadOutlined aria-hidden />} href={api.importTemplateUrl(kind)} download={`${label}导入模板.xlsx`}>
          下载{label}导入模板
        </Button>
      </div>
      <Upload.Dragger
        accept={ACCEPT}
        multiple={false}
        maxCount={1}
        fileList={fileList}
        beforeUpload={choose}
        onRemove={() => {
          setFile(null);
          return true;
        }}
        disabled={busy}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">点击或将{label}文件拖到此处</p>
        <p className="ant-upload-hint">.xlsx 或 .csv，一次一个文件</p>
      </Upload.Dragger>
      <div>
        <Button type="primary" icon={<CloudUploadOutlined aria-hidden />} disabled={!file} loading={busy} onClick={() => void start()}>
          开始导入
        </Button>
      </div>

      {outcome?.ok && (
        <Result
          status="success"
          title={`导入成功：共导入 ${outcome.imported} 条${label}记录`}
          subTitle={`文件：${outcome.fileName}`}
          extra={
            <Button type="primary" onClick={() => navigate(kind === 'officers' ? '/officers' : '/agencies')}>
              查看{label}
            </Button>
          }
        />
      )}
      {outcome && !outcome.ok && <ImportFailure error={outcome.error} fileName={outcome.fileName} />}
    </Flex>
  );
}

function ImportFailure({ error, fileName }: { error: ApiError; fileName: string }) {
  if (error.errors.length === 0) {
    return (
      <>
        <Alert type="warning" showIcon title={`文件“${fileName}”未导入任何数据`} />
        <ProblemAlert error={error} />
      </>
    );
  }
  return (
    <Flex vertical gap={12}>
      <Alert
        type="error"
        showIcon
        role="alert"
        title={`文件“${fileName}”有 ${error.errors.length} 处错误，未导入任何数据`}
        description={
          <>
            {error.detail && error.detail !== error.title && <div>{error.detail}</div>}
            <div>请按下表逐行修改后重新上传整份文件。</div>
          </>
        }
      />
      <Table<FieldError & { n: number }>
        rowKey="n"
        size="small"
        aria-label="导入错误列表"
        dataSource={error.errors.map((e, n) => ({ ...e, n }))}
        pagination={error.errors.length > 50 ? { pageSize: 50, showTotal: (t) => `共 ${t} 处错误` } : false}
        columns={[
          { title: '序号', dataIndex: 'n', width: 70, render: (n: number) => n + 1 },
          { title: '位置', dataIndex: 'field', width: 260, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
          { title: '问题', dataIndex: 'message' },
        ]}
      />
      {error.requestId && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          请求编号：{error.requestId}
        </Typography.Text>
      )}
    </Flex>
  );
}
