import { useCallback, useEffect, useState } from 'react';
import { toApiError } from '../api.ts';
import type { ApiError } from '../api.ts';

export interface Remote<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads data for a screen; an answer that arrives after its inputs changed is dropped. */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[]): Remote<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(undefined);
    load().then(
      (d) => {
        if (!current) return;
        setData(d);
        setLoading(false);
      },
      (e: unknown) => {
        if (!current) return;
        setError(toApiError(e));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
