import { useEffect, useState } from 'preact/hooks';

export interface Stored<T> {
  get(): T;
  set(value: T): void;
  subscribe(listener: () => void): () => void;
}

/**
 * A value kept for this tab only (sessionStorage: it survives a reload, not the tab), which tells
 * its subscribers when it changes. The app's only shared state: who is signed in, what is chosen.
 */
export function stored<T>(key: string, empty: T): Stored<T> {
  const listeners = new Set<() => void>();
  return {
    get() {
      const text = sessionStorage.getItem(key);
      return text === null ? empty : (JSON.parse(text) as T);
    },
    set(value) {
      if (value === empty) sessionStorage.removeItem(key);
      else sessionStorage.setItem(key, JSON.stringify(value));
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The stored value, re-rendering when it changes. */
export function useStored<T>(value: Stored<T>): T {
  const [current, setCurrent] = useState(value.get);
  useEffect(() => value.subscribe(() => setCurrent(value.get())), [value]);
  return current;
}
