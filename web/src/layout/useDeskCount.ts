import { useEffect, useState } from 'react';
import { deskApi } from '../deskApi.ts';

/**
 * Issue 9: how many items wait on the signed-in person, for the navigation's 首页 entry. Asked again
 * on every page change, so the count follows what was just done; a failure leaves no count.
 */
export function useDeskCount(path: string, role: string): number | null {
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    if (role === 'supervisor' || role === 'system_admin') return;
    let current = true;
    deskApi.myWork().then(
      (r) => current && setN(r.items.filter((i) => !['workload', 'reviewer_ratio', 'users'].includes(i.kind)).length),
      () => current && setN(null),
    );
    return () => {
      current = false;
    };
  }, [path, role]);
  return n;
}
