// Session context: who is logged in, the CSRF token for writes, and what the role may see.
// The server decides every permission; these helpers only hide what the role cannot use.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import type { Session, SessionUser } from './api.ts';
import type { Role } from './labels.ts';

export type AuthState =
  | { status: 'loading' }
  /** `why`: never logged in here, the session ran out, or the user logged out. */
  | { status: 'anonymous'; why: 'none' | 'expired' | 'logout' }
  /** Password accepted, second factor still to give (e.g. after a reload during login). */
  | { status: 'pending'; session: Session }
  | { status: 'authenticated'; session: Session }
  | { status: 'error'; error: ApiError };

interface AuthContextValue {
  state: AuthState;
  /** Re-reads GET /auth/session; resolves to the new state. */
  refresh: () => Promise<AuthState>;
  /** Keeps the CSRF token of a login answer for the next step (the TOTP POST). */
  acceptCsrfToken: (token: string) => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const refresh = useCallback(async (): Promise<AuthState> => {
    let next: AuthState;
    try {
      const session = await api.session();
      setCsrfToken(session.csrfToken);
      next =
        session.secondFactor === 'pending'
          ? { status: 'pending', session }
          : { status: 'authenticated', session };
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        setCsrfToken(null);
        next = { status: 'anonymous', why: 'none' };
      } else {
        next = { status: 'error', error: e instanceof ApiError ? e : new ApiError(0, { detail: String(e) }) };
      }
    }
    setState(next);
    return next;
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    // Any 401 from the API after login means the session is gone: back to the login page.
    setUnauthorizedHandler(() => {
      // Several requests may fail at once; the first one decides why.
      setCsrfToken(null);
      setState((prev) =>
        prev.status === 'anonymous' ? prev : { status: 'anonymous', why: prev.status === 'authenticated' ? 'expired' : 'none' },
      );
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The session may already be gone; leaving is what the user asked for.
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', why: 'logout' });
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ state, refresh, acceptCsrfToken: (t) => setCsrfToken(t), logout }),
    [state, refresh, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The logged-in session; only for screens behind RequireAuth. */
export function useSession(): Session {
  const { state } = useAuth();
  if (state.status !== 'authenticated') throw new Error('useSession without a session');
  return state.session;
}

// ---------- what each role may see (mirrors the server's policies; the server decides) ----------

const registryWriters: Role[] = ['agency_admin', 'system_admin'];
const caseReaders: Role[] = ['officer', 'reviewer', 'agency_head', 'agency_admin', 'supervisor', 'system_admin'];

export const can = {
  writeRegistry: (u: SessionUser) => registryWriters.includes(u.role),
  createAgency: (u: SessionUser) => u.role === 'system_admin',
  editAgency: (u: SessionUser, agencyId: string) =>
    u.role === 'system_admin' || (u.role === 'agency_admin' && u.agencyId === agencyId),
  editOfficer: (u: SessionUser, agencyId: string) =>
    u.role === 'system_admin' || (u.role === 'agency_admin' && u.agencyId === agencyId),
  /** An agency administrator works in its own agency only; the system administrator picks one. */
  chooseAgency: (u: SessionUser) => u.role === 'system_admin',
  importData: (u: SessionUser) => registryWriters.includes(u.role),
  readAudit: (u: SessionUser) => ['agency_admin', 'system_admin', 'supervisor'].includes(u.role),
  manageTokens: (u: SessionUser) => registryWriters.includes(u.role),
  /** Every back-office role reads cases (the server limits which ones). */
  readCases: (u: SessionUser) => caseReaders.includes(u.role),
  /** src/cases/policy.ts canCreateCase: officers and heads open their own agency's cases. */
  createCase: (u: SessionUser) => u.role === 'officer' || u.role === 'agency_head',
  /** canWorkOnCase: steps, documents and records by the agency's own officers, heads and reviewers. */
  workOnCase: (u: SessionUser, agencyId: string) => u.agencyId === agencyId && ['officer', 'agency_head', 'reviewer'].includes(u.role),
  /** canApprove (R-L09): the head of the case's agency. */
  approveCase: (u: SessionUser, agencyId: string) => u.role === 'agency_head' && u.agencyId === agencyId,
  /** canReview (R-L07): reviewers; one of another unit only when its roster is shared (the server checks). */
  reviewCase: (u: SessionUser) => u.role === 'reviewer',
};
