import { ExperimentOutlined } from '@ant-design/icons';

/** Always visible on a demo install: the data are made up and the passwords are public. */
export function DemoBanner() {
  return (
    <div
      role="status"
      aria-label="演示环境"
      style={{
        background: '#ad4e00',
        color: '#fff',
        padding: '6px 24px',
        fontWeight: 600,
        textAlign: 'center',
        letterSpacing: 1,
      }}
    >
      <ExperimentOutlined aria-hidden style={{ marginRight: 8 }} />
      演示环境：全部数据均为虚构的演示数据，账号密码公开，请勿录入真实个人信息。
    </div>
  );
}
