import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { passing } from './api/client';

/** How long a page waits before asking again after the shop was busy or unreachable. */
const RETRY_MS = 2_000;

export interface Request<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the data with what a write answered (the order a pay or cancel returned). */
  set: (data: T) => void;
}

/**
 * Loads `load()` when `key` changes, and again every `refresh.everyMs` while `refresh.while(data)`
 * holds and the tab is visible: how a page follows events settling behind it. After a failure that
 * may pass (busy, unreachable) it asks again every two seconds, so the page recovers by itself. A
 * reply that arrives after a newer request started is dropped.
 */
export function useRequest<T>(key: string, load: () => Promise<T>, refresh?: { everyMs: number; while: (data: T) => boolean }): Request<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: unknown) => mine === generation.current && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
  }, [key]);
  useEffect(run, [run]);

  const retry = !state.loading && passing(state.error);
  const again = refresh && state.data !== undefined && !state.loading && !state.error && refresh.while(state.data);
  const delayMs = retry ? RETRY_MS : again ? refresh.everyMs : undefined;
  useEffect(() => {
    if (delayMs === undefined) return;
    const timer = setTimeout(() => document.visibilityState === 'visible' && run(), delayMs);
    const onVisible = () => document.visibilityState === 'visible' && run();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [delayMs, state.data, state.error, run]);

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: run,
    set: (data: T) => {
      generation.current++;
      setState({ data, loading: false });
    },
  };
}

/** The page's title in the browser's tab and history: "<page> · Funshop". */
export function useTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · Funshop`;
  }, [page]);
}
