import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Steps, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import type { Location } from 'react-router-dom';
import { api, toApiError } from '../api.ts';
import type { ApiError, LoginAnswer } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { PLATFORM_NAME } from '../labels.ts';
import { FullPageSpin } from '../components/FullPageSpin.tsx';

type Stage = { kind: 'password' } | { kind: 'totp' } | { kind: 'totp_enroll'; totpUri?: string; totpSecret?: string };

/** The base32 secret inside an otpauth:// URI, for people who type it into their authenticator. */
function secretOf(totpUri: string | undefined): string | undefined {
  if (!totpUri) return undefined;
  const m = /[?&]secret=([^&]+)/i.exec(totpUri);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function loginErrorMessage(error: ApiError): string {
  // The server's detail is written for people (e.g. a 423 after wrong codes says until when the account is locked).
  if (error.detail) return error.detail;
  if (error.status === 401) return '用户名或密码错误。';
  if (error.status === 423) return '账号已被临时锁定，请稍后再试。';
  return error.title;
}

export default function LoginPage() {
  const { state, refresh, acceptCsrfToken, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: Location } | null)?.from;
  const target = from && from.pathname !== '/login' ? `${from.pathname}${from.search}` : '/';

  const [stage, setStage] = useState<Stage>({ kind: 'password' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [qrFailed, setQrFailed] = useState(false);
  const [passwordForm] = Form.useForm<{ username: string; password: string }>();
  const [codeForm] = Form.useForm<{ code: string }>();
  const [changeForm] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();

  // A reload in the middle of a login: the password was accepted, the second factor is still due.
  useEffect(() => {
    if (state.status === 'pending' && stage.kind === 'password') setStage({ kind: 'totp' });
  }, [state.status, stage.kind]);

  if (state.status === 'loading') return <FullPageSpin tip="正在确认登录状态…" />;
  // Signed in with a temporary password: the server allows nothing but changing it, so neither do we.
  const mustChange = state.status === 'authenticated' && state.session.user.mustChangePassword;
  if (state.status === 'authenticated' && !mustChange) return <Navigate to={target} replace />;

  const finish = async () => {
    const next = await refresh();
    if (next.status === 'authenticated') {
      if (!next.session.user.mustChangePassword) navigate(target, { replace: true });
    } else setError(toApiError(new Error('登录未完成，请重新登录。')));
  };

  const onAnswer = async (answer: LoginAnswer) => {
    acceptCsrfToken(answer.csrfToken);
    if (answer.stage === 'done') await finish();
    else if (answer.stage === 'totp') setStage({ kind: 'totp' });
    else setStage({ kind: 'totp_enroll', totpUri: answer.totpUri, totpSecret: answer.totpSecret });
  };

  const submitPassword = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await onAnswer(await api.login(values.username.trim(), values.password));
    } catch (e) {
      setError(toApiError(e));
      passwordForm.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  const submitCode = async (values: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      await onAnswer(await api.totp(values.code.trim()));
    } catch (e) {
      const err = toApiError(e);
      setError(err);
      codeForm.setFieldValue('code', '');
      if (err.status === 401 && err.code !== 'invalid_second_factor') {
        // The half-open login expired: start over.
        setStage({ kind: 'password' });
      }
    } finally {
      setBusy(false);
    }
  };

  const submitNewPassword = async (values: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      // The server re-issues the session under a new id; its answer carries the new CSRF token.
      acceptCsrfToken((await api.changePassword(values.currentPassword, values.newPassword)).csrfToken);
      await finish();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const restart = async () => {
    setError(null);
    if (!mustChange) codeForm.resetFields();
    await logout();
    setStage({ kind: 'password' });
  };

  const secret = stage.kind === 'totp_enroll' ? (stage.totpSecret ?? secretOf(stage.totpUri)) : undefined;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 24,
        background: 'linear-gradient(160deg, #0f3d7a 0%, #1e5bb8 55%, #eef3fb 55%)',
      }}
    >
      <div style={{ textAlign: 'center', color: '#fff', marginBottom: 28 }}>
        <h1 style={{ margin: 0, fontSize: 'clamp(22px, 6vw, 34px)', fontWeight: 700, letterSpacing: 4 }}>{PLATFORM_NAME}</h1>
        <div style={{ marginTop: 8, fontSize: 16, opacity: 0.85, letterSpacing: 2 }}>
          行政执法公示 · 执法全过程记录 · 重大执法决定法制审核
        </div>
      </div>
      <Card
        style={{ width: '100%', maxWidth: stage.kind === 'totp_enroll' ? 520 : 420, boxShadow: '0 8px 32px rgba(15,61,122,0.18)' }}
        styles={{ body: { padding: 32 } }}
      >
        <Typography.Title level={4} style={{ marginTop: 0, textAlign: 'center' }}>
          {mustChange ? '修改临时密码' : stage.kind === 'password' ? '管理后台登录' : stage.kind === 'totp' ? '身份验证' : '绑定动态验证码'}
        </Typography.Title>

        {state.status === 'anonymous' && state.why === 'expired' && !error && stage.kind === 'password' && (
          <Alert type="info" showIcon title="登录已过期，请重新登录。" style={{ marginBottom: 16 }} />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={loginErrorMessage(error)}
            description={error.status === 423 ? '连续多次登录失败后账号会被临时锁定，以防密码被猜测。' : undefined}
            style={{ marginBottom: 16 }}
          />
        )}

        {mustChange && (
          <Form form={changeForm} layout="vertical" size="large" onFinish={submitNewPassword} requiredMark={false} name="change-password">
            <Typography.Paragraph type="secondary">
              您正在使用管理员发放的临时密码。请先设置新密码（至少 10 位，含大写字母、小写字母、数字、符号中的至少三类），再使用系统。
            </Typography.Paragraph>
            <Form.Item label="临时密码" name="currentPassword" rules={[{ required: true, message: '请输入临时密码' }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" autoFocus />
            </Form.Item>
            <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              label="确认新密码"
              name="confirm"
              dependencies={['newPassword']}
              rules={[
                { required: true, message: '请再次输入新密码' },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致')),
                }),
              ]}
            >
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="new-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              修改密码并进入系统
            </Button>
            <Button type="link" block onClick={() => void restart()} style={{ marginTop: 8 }}>
              退出登录
            </Button>
          </Form>
        )}

        {!mustChange && stage.kind === 'password' && (
          <Form form={passwordForm} layout="vertical" size="large" onFinish={submitPassword} requiredMark={false} name="login">
            <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
              <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              登录
            </Button>
          </Form>
        )}

        {!mustChange && stage.kind === 'totp_enroll' && (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title="管理员账号须启用第二重身份验证"
              description="按等保 2.0 三级要求，管理员登录需要密码和动态验证码两种因素。请用手机上的身份验证器（如 Microsoft Authenticator、Google Authenticator、FreeOTP）完成绑定。"
            />
            <Steps
              orientation="vertical"
              size="small"
              current={-1}
              items={[
                {
                  title: '扫描二维码',
                  content: (
                    <div style={{ padding: '8px 0' }}>
                      {qrFailed ? (
                        <Typography.Text type="danger">二维码加载失败，请使用下方密钥手动添加。</Typography.Text>
                      ) : (
                        <img
                          src={api.totpQrUrl}
                          alt="身份验证器绑定二维码"
                          width={180}
                          height={180}
                          style={{ border: '1px solid #f0f0f0', padding: 8, background: '#fff' }}
                          onError={() => setQrFailed(true)}
                        />
                      )}
                    </div>
                  ),
                },
                {
                  title: '或手动输入密钥',
                  content: secret ? (
                    <Typography.Paragraph copyable={{ text: secret, tooltips: ['复制密钥', '已复制'] }} code aria-label="绑定密钥">
                      {secret.replace(/(.{4})/g, '$1 ').trim()}
                    </Typography.Paragraph>
                  ) : (
                    <Typography.Text type="secondary">请扫描上方二维码。</Typography.Text>
                  ),
                },
                { title: '输入验证器显示的 6 位数字' },
              ]}
            />
          </>
        )}

        {!mustChange && stage.kind !== 'password' && (
          <Form form={codeForm} layout="vertical" size="large" onFinish={submitCode} requiredMark={false} name="totp">
            {stage.kind === 'totp' && (
              <Typography.Paragraph type="secondary">请打开身份验证器，输入当前显示的 6 位动态验证码。</Typography.Paragraph>
            )}
            <Form.Item
              label="动态验证码"
              name="code"
              rules={[
                { required: true, message: '请输入 6 位动态验证码' },
                { pattern: /^\s*\d{6}\s*$/, message: '动态验证码为 6 位数字' },
              ]}
            >
              <Input
                prefix={<SafetyOutlined aria-hidden />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                style={{ letterSpacing: 6 }}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              验证
            </Button>
            <Button type="link" block onClick={() => void restart()} style={{ marginTop: 8 }}>
              返回重新登录
            </Button>
          </Form>
        )}
      </Card>
      <div style={{ marginTop: 24, color: '#667' }}>
        公众查询请访问 <a href="/">门户网站</a>
      </div>
    </div>
  );
}
