import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import { LoadingOutlined } from '@ant-design/icons';
import zhCNModule from 'antd/locale/zh_CN.js';
import type { Locale } from 'antd/es/locale/index.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, can, useAuth } from './auth.tsx';
import type { SessionUser } from './api.ts';
import { FullPageSpin } from './components/FullPageSpin.tsx';

dayjs.locale('zh-cn');

// antd's locale files are CommonJS; depending on the bundler's interop the default import is the
// locale itself or a module namespace holding it.
const zhCN: Locale = 'default' in zhCNModule ? (zhCNModule.default as Locale) : (zhCNModule as unknown as Locale);

// The layout (menu) is not needed on the login screen, so it loads with the first page behind it.
const AppLayout = lazy(() => import('./layout/AppLayout.tsx'));
const LoginPage = lazy(() => import('./pages/LoginPage.tsx'));
const HomePage = lazy(() => import('./pages/HomePage.tsx'));
const PublicityPage = lazy(() => import('./pages/PublicityPage.tsx'));
const AgenciesPage = lazy(() => import('./pages/AgenciesPage.tsx'));
const OfficersPage = lazy(() => import('./pages/OfficersPage.tsx'));
const OfficerDetailPage = lazy(() => import('./pages/OfficerDetailPage.tsx'));
const OfficerFormPage = lazy(() => import('./pages/OfficerFormPage.tsx'));
const ReviewersPage = lazy(() => import('./pages/ReviewersPage.tsx'));
const ImportsPage = lazy(() => import('./pages/ImportsPage.tsx'));
const MattersPage = lazy(() => import('./pages/MattersPage.tsx'));
const CasesPage = lazy(() => import('./pages/CasesPage.tsx'));
const CaseDetailPage = lazy(() => import('./pages/CaseDetailPage.tsx'));
const AuditPage = lazy(() => import('./pages/AuditPage.tsx'));
const TokensPage = lazy(() => import('./pages/TokensPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));
const InspectionsPage = lazy(() => import('./pages/InspectionsPage.tsx'));
const SupervisionAlertsPage = lazy(() => import('./pages/supervision/AlertsPage.tsx'));
const SupervisionMattersPage = lazy(() => import('./pages/supervision/MattersPage.tsx'));
const SupervisionComplaintsPage = lazy(() => import('./pages/supervision/ComplaintsPage.tsx'));
const OnSitePage = lazy(() => import('./pages/case/OnSitePage.tsx'));
const BenchmarksPage = lazy(() => import('./pages/BenchmarksPage.tsx'));
const MyCertificatePage = lazy(() => import('./pages/case/MyCertificatePage.tsx'));
const SupervisionTasksPage = lazy(() => import('./pages/supervision/TasksPage.tsx'));
const SupervisionAssessmentPage = lazy(() => import('./pages/supervision/AssessmentPage.tsx'));
const SupervisionReviewsPage = lazy(() => import('./pages/supervision/ReviewsPage.tsx'));
const DevicesPage = lazy(() => import('./pages/devices/DevicesPage.tsx'));
const DeviceDetailPage = lazy(() => import('./pages/devices/DeviceDetailPage.tsx'));
const CustodiansPage = lazy(() => import('./pages/devices/CustodiansPage.tsx'));
const BoardsPage = lazy(() => import('./pages/BoardsPage.tsx'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { state, refresh } = useAuth();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return <FullPageSpin tip="正在确认登录状态…" />;
    case 'error':
      return (
        <Result
          status="error"
          title="无法连接服务器"
          subTitle={state.error.detail}
          extra={
            <Button type="primary" onClick={() => void refresh()}>
              重试
            </Button>
          }
        />
      );
    case 'anonymous':
      // After a logout the next person starts from the home page, not from where the last one left.
      return <Navigate to="/login" replace state={state.why === 'logout' ? null : { from: location }} />;
    case 'pending':
      return <Navigate to="/login" replace state={{ from: location }} />;
    case 'authenticated':
      // A temporary password is changed on the login page before anything else.
      if (state.session.user.mustChangePassword) return <Navigate to="/login" replace state={{ from: location }} />;
      return <>{children}</>;
  }
}

function RoleGate({ allow, children }: { allow: (u: SessionUser) => boolean; children: ReactNode }) {
  const { state } = useAuth();
  if (state.status === 'authenticated' && !allow(state.session.user)) {
    return <Result status="403" title="无权访问" subTitle="您的角色不能使用此功能。如需开通，请联系单位管理员。" />;
  }
  return <>{children}</>;
}

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      // antd would render two-character labels as "登 录"; keep "登录" so the accessible name is the word.
      // A hidden, motionless loading icon: antd's animated one can linger after a fast answer and
      // turn the button's accessible name into "loading 保存".
      button={{ autoInsertSpace: false, loadingIcon: <LoadingOutlined aria-hidden /> }}
      theme={{
        token: {
          colorPrimary: '#1e5bb8',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif",
        },
      }}
    >
      <AntApp>
        <BrowserRouter basename="/admin">
          <AuthProvider>
            <Suspense fallback={<FullPageSpin />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route
                  element={
                    <RequireAuth>
                      <AppLayout />
                    </RequireAuth>
                  }
                >
                  <Route index element={<HomePage />} />
                  <Route path="agencies" element={<AgenciesPage />} />
                  <Route path="officers" element={<OfficersPage />} />
                  <Route
                    path="officers/new"
                    element={
                      <RoleGate allow={can.writeRegistry}>
                        <OfficerFormPage />
                      </RoleGate>
                    }
                  />
                  <Route path="officers/:officerId" element={<OfficerDetailPage />} />
                  <Route
                    path="officers/:officerId/edit"
                    element={
                      <RoleGate allow={can.writeRegistry}>
                        <OfficerFormPage />
                      </RoleGate>
                    }
                  />
                  <Route path="reviewers" element={<ReviewersPage />} />
                  <Route path="inspections" element={<InspectionsPage />} />
                  <Route
                    path="cases"
                    element={
                      <RoleGate allow={can.readCases}>
                        <CasesPage />
                      </RoleGate>
                    }
                  />
                  <Route
                    path="cases/:id"
                    element={
                      <RoleGate allow={can.readCases}>
                        <CaseDetailPage />
                      </RoleGate>
                    }
                  />
                  <Route path="onsite" element={<RoleGate allow={can.createCase}><OnSitePage /></RoleGate>} />
                  <Route path="my-certificate" element={<MyCertificatePage />} />
                  <Route
                    path="imports"
                    element={
                      <RoleGate allow={can.importData}>
                        <ImportsPage />
                      </RoleGate>
                    }
                  />
                  <Route
                    path="audit"
                    element={
                      <RoleGate allow={can.readAudit}>
                        <AuditPage />
                      </RoleGate>
                    }
                  />
                  <Route
                    path="tokens"
                    element={
                      <RoleGate allow={can.manageTokens}>
                        <TokensPage />
                      </RoleGate>
                    }
                  />
                  <Route
                    path="publicity"
                    element={
                      <RoleGate allow={can.readCases}>
                        <PublicityPage />
                      </RoleGate>
                    }
                  />
                  <Route path="supervision/alerts" element={<SupervisionAlertsPage />} />
                  <Route path="supervision/matters" element={<SupervisionMattersPage />} />
                  <Route path="supervision/complaints" element={<SupervisionComplaintsPage />} />
                  <Route path="supervision/tasks" element={<SupervisionTasksPage />} />
                  <Route path="supervision/assessment" element={<SupervisionAssessmentPage />} />
                  <Route path="supervision/reviews" element={<SupervisionReviewsPage />} />
                  <Route path="matters" element={<MattersPage />} />
                  <Route path="benchmarks" element={<BenchmarksPage />} />
                  <Route path="devices" element={<DevicesPage />} />
                  <Route path="devices/:id" element={<DeviceDetailPage />} />
                  <Route path="custodians" element={<CustodiansPage />} />
                  <Route path="boards" element={<RoleGate allow={(u) => u.role === 'agency_admin' || u.role === 'agency_head'}><BoardsPage /></RoleGate>} />
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
