import { Suspense, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  CloudUploadOutlined,
  FolderOpenOutlined,
  HomeOutlined,
  IdcardOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
  AlertOutlined,
  FileProtectOutlined,
  MessageOutlined,
  ScheduleOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { can, useAuth, useSession } from '../auth.tsx';
import type { SessionUser } from '../api.ts';
import { PLATFORM_NAME, labelOf, roleLabels } from '../labels.ts';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { DemoBanner } from './DemoBanner.tsx';

interface NavEntry {
  key: string;
  label: string;
  icon: ReactNode;
  visible: (u: SessionUser) => boolean;
}

const everyone = () => true;

const navigation: NavEntry[] = [
  { key: '/', label: '首页', icon: <HomeOutlined aria-hidden />, visible: everyone },
  { key: '/agencies', label: '执法主体', icon: <BankOutlined aria-hidden />, visible: everyone },
  { key: '/officers', label: '执法人员', icon: <IdcardOutlined aria-hidden />, visible: everyone },
  { key: '/reviewers', label: '法制审核人员', icon: <SafetyCertificateOutlined aria-hidden />, visible: everyone },
  { key: '/cases', label: '案件', icon: <FolderOpenOutlined aria-hidden />, visible: can.readCases },
  { key: '/imports', label: '批量导入', icon: <CloudUploadOutlined aria-hidden />, visible: can.importData },
  { key: '/audit', label: '审计日志', icon: <AuditOutlined aria-hidden />, visible: can.readAudit },
  { key: '/tokens', label: 'API 令牌', icon: <ApiOutlined aria-hidden />, visible: can.manageTokens },
  { key: '/supervision/alerts', label: '监督预警', icon: <AlertOutlined aria-hidden />, visible: (u) => u.role !== 'reviewer' },
  { key: '/supervision/matters', label: '监督事项', icon: <FileProtectOutlined aria-hidden />, visible: (u) => u.role !== 'reviewer' },
  { key: '/supervision/tasks', label: '任务推进', icon: <ScheduleOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin', 'agency_head', 'agency_admin'].includes(u.role) },
  { key: '/supervision/assessment', label: '年度考核', icon: <TrophyOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin'].includes(u.role) },
  { key: '/supervision/complaints', label: '投诉举报', icon: <MessageOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin', 'agency_head', 'agency_admin'].includes(u.role) },
];

export default function AppLayout() {
  const session = useSession();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const { user } = session;

  const items: MenuProps['items'] = useMemo(
    () => navigation.filter((n) => n.visible(user)).map((n) => ({ key: n.key, label: n.label, icon: n.icon })),
    [user],
  );
  const selected = '/' + (location.pathname.split('/')[1] ?? '');

  const onLogout = async () => {
    setLeaving(true);
    await logout(); // RequireAuth then takes the user to the login page
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={216}
        theme="dark"
        breakpoint="lg"
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div
          style={{
            height: 64,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 16 : 15,
            padding: '0 12px',
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
          title={PLATFORM_NAME}
        >
          {collapsed ? '三项' : PLATFORM_NAME}
        </div>
        <nav aria-label="主菜单">
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selected]}
            items={items}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        {session.demo && <DemoBanner />}
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }} aria-label="所属单位">
            {user.agencyName}
          </Typography.Text>
          <Space size="middle">
            <Space size={6}>
              <UserOutlined aria-hidden />
              <span aria-label="当前用户">{user.displayName}</span>
              <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                {user.roleLabel || labelOf(roleLabels, user.role)}
              </Tag>
            </Space>
            <Button icon={<LogoutOutlined aria-hidden />} onClick={() => void onLogout()} loading={leaving}>
              退出登录
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<FullPageSpin />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#999', padding: '12px 24px' }}>
          {PLATFORM_NAME} · 公示 · 全过程记录 · 法制审核
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
