import type { ServerResponse } from 'node:http';
import type { Reply } from './types';
import type { ReplySource } from './reply-source';
import type { RequestLog } from './request-log';
import { CONTROL_PREFIX } from './route-request';

/** What the control API drives. */
export interface ControlTarget {
  source: ReplySource;
  log: RequestLog;
  reset(): void;
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/**
 * The control API, for a client in another process (a CLI-started fake in CI):
 * `GET /__fake/requests` lists the records, `POST /__fake/script` queues a reply
 * or an array of replies (`?scenario=name` for a scenario queue), `POST
 * /__fake/reset` resets. Control requests are not recorded.
 */
export function handleControl(
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  res: ServerResponse,
  target: ControlTarget,
): void {
  const action = path.slice(CONTROL_PREFIX.length);
  if (method === 'GET' && action === 'requests') {
    reply(res, 200, target.log.records);
  } else if (method === 'POST' && action === 'script') {
    if (typeof body !== 'object' || body === null) {
      reply(res, 400, { error: { message: 'body must be a reply object or an array of them' } });
      return;
    }
    const replies = (Array.isArray(body) ? body : [body]) as Reply[];
    const scenario = query.get('scenario');
    if (scenario) target.source.scriptScenario(scenario, replies);
    else target.source.script(replies);
    reply(res, 204);
  } else if (method === 'POST' && action === 'reset') {
    target.reset();
    reply(res, 204);
  } else {
    reply(res, 404, { error: { message: `no control endpoint ${method} ${path}` } });
  }
}
