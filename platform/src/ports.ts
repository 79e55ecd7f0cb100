import { randomUUID } from 'node:crypto';

/**
 * What every service's use cases ask of the world besides their own ports: the time and new ids.
 * Declared once here; each service's app/ports.ts re-exports them beside its own ports, and a
 * test passes a fixed clock or predictable ids.
 */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Random UUIDs (v4), the ids of every aggregate and event. */
export const randomIds: IdGenerator = { newId: () => randomUUID() };
