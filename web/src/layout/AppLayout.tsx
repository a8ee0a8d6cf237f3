import { Suspense, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  CloudUploadOutlined,
  FolderOpenOutlined,
  NotificationOutlined,
  HomeOutlined,
  AimOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MenuOutlined,
  ThunderboltOutlined,
  SafetyCertificateOutlined,
  UserOutlined,
  AlertOutlined,
  FileProtectOutlined,
  MessageOutlined,
  ScheduleOutlined,
  TrophyOutlined,
  UnorderedListOutlined,
  ControlOutlined as ScaleIcon,
  VideoCameraOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { can, useAuth, useSession } from '../auth.tsx';
import type { SessionUser } from '../api.ts';
import { PLATFORM_NAME, labelOf, roleLabels } from '../labels.ts';
import { FullPageSpin } from '../components/FullPageSpin.tsx';
import { DemoBanner } from './DemoBanner.tsx';
import { useTableCardLabels } from './tableCards.ts';
import './responsive.css';
import { useDeskCount } from './useDeskCount.ts';

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
  { key: '/inspections', label: '双随机抽查', icon: <AimOutlined aria-hidden />, visible: everyone },
  { key: '/publicity', label: '执法决定公示', icon: <NotificationOutlined aria-hidden />, visible: can.readCases },
  { key: '/onsite', label: '当场执法', icon: <ThunderboltOutlined aria-hidden />, visible: can.createCase },
  { key: '/my-certificate', label: '亮证', icon: <IdcardOutlined aria-hidden />, visible: can.createCase },
  { key: '/imports', label: '批量导入', icon: <CloudUploadOutlined aria-hidden />, visible: can.importData },
  { key: '/audit', label: '审计日志', icon: <AuditOutlined aria-hidden />, visible: can.readAudit },
  { key: '/tokens', label: 'API 令牌', icon: <ApiOutlined aria-hidden />, visible: can.manageTokens },
  { key: '/supervision/alerts', label: '监督预警', icon: <AlertOutlined aria-hidden />, visible: (u) => u.role !== 'reviewer' },
  { key: '/supervision/matters', label: '监督事项', icon: <FileProtectOutlined aria-hidden />, visible: (u) => u.role !== 'reviewer' },
  { key: '/supervision/tasks', label: '任务推进', icon: <ScheduleOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin', 'agency_head', 'agency_admin'].includes(u.role) },
  { key: '/supervision/reviews', label: '案卷评查', icon: <AuditOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin'].includes(u.role) },
  { key: '/supervision/assessment', label: '年度考核', icon: <TrophyOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin'].includes(u.role) },
  { key: '/supervision/complaints', label: '投诉举报', icon: <MessageOutlined aria-hidden />, visible: (u) => ['supervisor', 'system_admin', 'agency_head', 'agency_admin'].includes(u.role) },
  { key: '/benchmarks', label: '裁量基准', icon: <ScaleIcon aria-hidden />, visible: everyone },
  { key: '/matters', label: '事项清单与年报', icon: <UnorderedListOutlined aria-hidden />, visible: (u) => u.role !== 'reviewer' && u.role !== 'officer' },
  { key: '/devices', label: '执法记录设备', icon: <VideoCameraOutlined aria-hidden />, visible: everyone },
  // src/boards/service.ts: the agency's administrator or head drafts, the head publishes.
  { key: '/boards', label: '岗位信息公示牌', icon: <SolutionOutlined aria-hidden />, visible: (u) => u.role === 'agency_admin' || u.role === 'agency_head' },
];

/** The phone's bottom bar: the entries a field officer uses with the thumb (the rest is in the drawer). */
const bottomTabs = ['/', '/cases', '/onsite'];

export default function AppLayout() {
  const session = useSession();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const content = useRef<HTMLElement>(null);
  const { user } = session;
  // Phones and narrow windows (below antd's md, 768 px): a top bar that fits, a labelled drawer and
  // bottom tabs instead of the icon rail; the same pages, restyled by responsive.css.
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  useTableCardLabels(content, narrow);

  const visible = useMemo(() => navigation.filter((n) => n.visible(user)), [user]);
  const deskCount = useDeskCount(location.pathname, user.role);
  const items: MenuProps['items'] = useMemo(() => visible.map((n) => ({ key: n.key, label: n.key === '/' && deskCount ? `${n.label}（待办 ${deskCount}）` : n.label, icon: n.icon })), [visible, deskCount]);
  const selected = '/' + (location.pathname.split('/')[1] ?? '');
  const role = user.roleLabel || labelOf(roleLabels, user.role);

  const onLogout = async () => {
    setLeaving(true);
    await logout(); // RequireAuth then takes the user to the login page
  };
  const go = (key: string) => {
    setDrawer(false);
    navigate(key);
  };

  const main = (
    <Layout.Content className="sx-content" style={narrow ? undefined : { padding: 24 }}>
      <main ref={content}>
        <Suspense fallback={<FullPageSpin />}>
          <Outlet />
        </Suspense>
      </main>
    </Layout.Content>
  );

  // One tree for both widths: switching (a phone turned, a window resized, a screenshot resizing the
  // viewport) must not remount the page and lose an open form.
  const tabs = bottomTabs.map((k) => visible.find((n) => n.key === k)).filter((n): n is NavEntry => !!n);
  return (
    <Layout className={narrow ? 'sx-narrow' : undefined} style={{ minHeight: '100vh' }}>
      {!narrow && (
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
            <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} onClick={({ key }) => navigate(key)} />
          </nav>
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        {session.demo && <DemoBanner />}
        {narrow ? (
          <header className="sx-topbar">
            <Button className="sx-topbar-menu" icon={<MenuOutlined aria-hidden />} onClick={() => setDrawer(true)} aria-expanded={drawer}>
              菜单
            </Button>
            <div className="sx-topbar-who">
              <span className="sx-topbar-agency" aria-label="所属单位" title={user.agencyName}>
                {user.agencyName}
              </span>
              <span className="sx-topbar-user" aria-label="当前用户" title={user.displayName}>
                {user.displayName}
              </span>
            </div>
          </header>
        ) : (
          <Layout.Header
            style={{
              background: '#fff',
              padding: '0 24px',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 16,
              borderBottom: '1px solid #f0f0f0',
              position: 'sticky',
              top: 0,
              zIndex: 10,
            }}
          >
            <Typography.Text strong ellipsis style={{ fontSize: 16, minWidth: 0 }} aria-label="所属单位">
              {user.agencyName}
            </Typography.Text>
            <Space size="middle" style={{ flex: 'none' }}>
              <Space size={6}>
                <UserOutlined aria-hidden />
                <span aria-label="当前用户" style={{ whiteSpace: 'nowrap' }}>
                  {user.displayName}
                </span>
                <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                  {role}
                </Tag>
              </Space>
              <Button icon={<LogoutOutlined aria-hidden />} onClick={() => void onLogout()} loading={leaving}>
                退出登录
              </Button>
            </Space>
          </Layout.Header>
        )}
        {main}
        {narrow ? (
          <nav aria-label="主菜单" className="sx-bottom-tabs">
            {tabs.map((n) => (
              <button key={n.key} type="button" className={selected === n.key ? 'sx-tab sx-tab-active' : 'sx-tab'} aria-current={selected === n.key ? 'page' : undefined} onClick={() => go(n.key)}>
                {n.icon}
                <span>{n.key === '/' && deskCount ? `${n.label} ${deskCount}` : n.label}</span>
              </button>
            ))}
            <button type="button" className="sx-tab" onClick={() => setDrawer(true)}>
              <MenuOutlined aria-hidden />
              <span>更多</span>
            </button>
          </nav>
        ) : (
          <Layout.Footer style={{ textAlign: 'center', color: '#595959', padding: '12px 24px' }}>
            {PLATFORM_NAME} · 公示 · 全过程记录 · 法制审核
          </Layout.Footer>
        )}
        {narrow && (
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={300} title={PLATFORM_NAME} className="sx-nav-drawer">
            <div className="sx-drawer-user">
              <div>
                <UserOutlined aria-hidden /> {user.displayName}
              </div>
              <div>{user.agencyName}</div>
              <Tag color="blue">{role}</Tag>
            </div>
            <nav aria-label="全部功能">
              <Menu mode="inline" selectedKeys={[selected]} items={items} onClick={({ key }) => go(key)} />
            </nav>
            <Button block icon={<LogoutOutlined aria-hidden />} onClick={() => void onLogout()} loading={leaving} style={{ marginTop: 16 }}>
              退出登录
            </Button>
          </Drawer>
        )}
      </Layout>
    </Layout>
  );
}
