// Who is acting: a signed-in user or another system's API token. Every service receives one.
export const ROLES = ['officer', 'reviewer', 'agency_head', 'agency_admin', 'supervisor', 'system_admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  officer: '执法人员',
  reviewer: '法制审核人员',
  agency_head: '机关负责人',
  agency_admin: '单位管理员',
  supervisor: '司法行政监督人员',
  system_admin: '系统管理员',
};

/** Roles that administer and so need a second factor (等保2.0 三级). */
export const ADMIN_ROLES: readonly Role[] = ['agency_admin', 'system_admin'];

export interface Actor {
  kind: 'user' | 'token';
  id: string;
  name: string;
  role: Role;
  agencyId: string;
  /** For a supervisor: the region prefix its justice bureau oversees (e.g. `3301` for a city). */
  jurisdiction: string | null;
  /** For a token: what it may do. */
  scopes: string[];
}
