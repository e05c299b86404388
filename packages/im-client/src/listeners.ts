import type { IMSendResult, PushKind } from '@box-im/im-common';
import type { IMClientLogger, ResultListener } from './types';

/** Result listeners per push kind. A failing listener is logged and does not stop the others. */
export class ListenerRegistry {
  private readonly listeners: Record<PushKind, Set<ResultListener>> = {
    private: new Set(),
    group: new Set(),
    system: new Set(),
  };

  constructor(private readonly logger: IMClientLogger) {}

  /** Add a listener; returns a function that removes it. */
  add(kind: PushKind, listener: ResultListener): () => void {
    this.listeners[kind].add(listener);
    return () => void this.listeners[kind].delete(listener);
  }

  /** Whether anyone listens for results of `kind` (results nobody reads need not be built). */
  has(kind: PushKind): boolean {
    return this.listeners[kind].size > 0;
  }

  async dispatch(kind: PushKind, results: IMSendResult[]): Promise<void> {
    if (results.length === 0) return;
    for (const listener of [...this.listeners[kind]]) {
      try {
        await listener(results);
      } catch (error) {
        this.logger.error({ err: error, kind }, 'result listener failed');
      }
    }
  }
}
