/**
 * The state of a service's in-memory adapters (fast use-case tests, no database), with
 * transactions that behave like the database's where a use case can tell: one runs at a time
 * (the next waits for it), and one that throws leaves nothing behind (the state is copied before
 * it and put back). `afterCommit` runs what a real adapter would defer to the commit (a receipt).
 */
export class InMemoryStore<State> {
  private queue: Promise<unknown> = Promise.resolve();
  private committed: (() => void)[] = [];

  constructor(
    private state: State,
    private readonly copy: (state: State) => State,
  ) {}

  /** The state as committed (or as the running transaction has changed it so far). */
  get current(): State {
    return this.state;
  }

  transaction<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const turn = this.queue.then(async () => {
      const before = this.copy(this.state);
      this.committed = [];
      try {
        const result = await work();
        signal?.throwIfAborted();
        for (const callback of this.committed) callback();
        return result;
      } catch (error) {
        this.state = before;
        throw error;
      } finally {
        this.committed = [];
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  afterCommit(callback: () => void): void {
    this.committed.push(callback);
  }
}
