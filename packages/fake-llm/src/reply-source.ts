import type { RecordedRequest, Reply, ReplyHandler } from './types';

/** Header naming the scenario queue a request draws its reply from. */
export const SCENARIO_HEADER = 'x-fake-scenario';

/** Header carrying a whole reply as JSON, for clients that cannot reach the script. */
export const INLINE_REPLY_HEADER = 'x-fake-reply';

/**
 * Chooses the reply of each request, first match wins: handlers in the order
 * added, the `x-fake-reply` header, the request's scenario queue (a request with
 * an `x-fake-scenario` header never takes from the shared queue, so parallel
 * tests cannot steal each other's replies), the shared queue, the default reply.
 */
export class ReplySource {
  private _queue: Reply[] = [];
  private readonly _scenarios = new Map<string, Reply[]>();
  private readonly _handlers = new Set<ReplyHandler>();

  constructor(private readonly _defaultReply: Reply) {}

  /** Queues replies for any request. */
  script(replies: Reply[]): void {
    this._queue.push(...replies);
  }

  /** Queues replies for requests of one scenario. */
  scriptScenario(scenario: string, replies: Reply[]): void {
    const queue = this._scenarios.get(scenario) ?? [];
    queue.push(...replies);
    this._scenarios.set(scenario, queue);
  }

  /** Adds a handler; returns its remover. */
  onRequest(handler: ReplyHandler): () => void {
    this._handlers.add(handler);
    return () => {
      this._handlers.delete(handler);
    };
  }

  /** The reply for `request`. Throws when the inline reply header is not JSON. */
  next(request: RecordedRequest): Reply {
    for (const handler of this._handlers) {
      const reply = handler(request);
      if (reply !== undefined) return reply;
    }
    const inline = request.headers[INLINE_REPLY_HEADER];
    if (inline !== undefined) return JSON.parse(inline) as Reply;
    if (request.scenario !== undefined) {
      return this._scenarios.get(request.scenario)?.shift() ?? this._defaultReply;
    }
    return this._queue.shift() ?? this._defaultReply;
  }

  /** Forgets queues, scenario queues and handlers. */
  reset(): void {
    this._queue = [];
    this._scenarios.clear();
    this._handlers.clear();
  }
}
