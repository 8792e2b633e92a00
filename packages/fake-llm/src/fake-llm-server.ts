import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FakeLlm, FakeLlmOptions, RecordedRequest, Reply, ReplyHandler, WaitOptions } from './types';
import type { Exchange, MutableRecord } from './internal-types';
import { serveMessages, serveCountTokens } from './anthropic-messages';
import { bedrockRequestView, serveBedrock } from './bedrock';
import { listenH2, type H2Listener } from './bedrock-h2';
import { handleControl } from './control-api';
import { serveChatCompletions } from './openai-chat-completions';
import { serveCompletions } from './openai-completions';
import { serveEmbeddings } from './openai-embeddings';
import { serveGenerateContent } from './gemini-generate-content';
import { serveResponses } from './openai-responses';
import { redactHeaders } from './redact-headers';
import { ReplySource, SCENARIO_HEADER } from './reply-source';
import { RequestLog } from './request-log';
import { resolveReply } from './resolve-reply';
import { ResponseChannel } from './response-channel';
import { routeRequest } from './route-request';
import { sendError } from './send-reply';

/** Largest request body read; a bigger one is answered 413. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 5000;

/** A request body as read off the socket. */
interface ReadBody {
  text: string;
  tooLarge: boolean;
}

function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise(resolve => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    const done = (): void => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge });
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
  });
}

function parseBody(text: string): { value: unknown; valid: boolean } {
  if (text === '') return { value: undefined, valid: true };
  try {
    return { value: JSON.parse(text), valid: true };
  } catch {
    return { value: text, valid: false };
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The fake LLM server behind {@link startFakeLlm}. */
class FakeLlmServer implements FakeLlm {
  readonly url: string;
  readonly port: number;
  readonly openaiBaseURL: string;
  readonly anthropicBaseURL: string;
  readonly geminiBaseURL: string;
  readonly bedrockEndpoint: string;
  private _seq = 0;
  private _closing: Promise<void> | undefined;

  constructor(
    private readonly _server: Server,
    private readonly _sockets: Set<Socket>,
    private readonly _log: RequestLog,
    private readonly _source: ReplySource,
    private readonly _controlApi: boolean,
    host: string,
    private readonly _h2: H2Listener,
  ) {
    const address = _server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.url = `http://${hostForUrl(host)}:${this.port}`;
    this.openaiBaseURL = `${this.url}/v1`;
    this.anthropicBaseURL = this.url;
    this.geminiBaseURL = this.url;
    this.bedrockEndpoint = _h2.url;
    _server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this._handle(req, res).catch(() => {
        // _handle answers its own failures; this only guards against a throw while answering one.
        if (!res.headersSent) res.destroy();
      });
    });
  }

  get requests(): readonly RecordedRequest[] {
    return this._log.records;
  }

  script(...replies: Reply[]): void {
    this._source.script(replies);
  }

  scriptScenario(scenario: string, ...replies: Reply[]): void {
    this._source.scriptScenario(scenario, replies);
  }

  onRequest(handler: ReplyHandler): () => void {
    return this._source.onRequest(handler);
  }

  waitForRequests(count: number, options?: WaitOptions): Promise<readonly RecordedRequest[]> {
    return this._log.waitForRequests(count, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  waitForClose(id: string, options?: WaitOptions): Promise<RecordedRequest> {
    return this._log.waitForClose(id, options?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  reset(): void {
    this._log.reset();
    this._source.reset();
  }

  close(): Promise<void> {
    this._closing ??= new Promise(resolve => {
      this._log.dispose();
      const closed = new Promise<void>((done) => this._server.close(() => done()));
      void Promise.all([closed, this._h2.close()]).then(() => resolve());
      // Idle keep-alive sockets and streams in progress alike: nothing may keep close() waiting.
      this._server.closeAllConnections();
      for (const socket of this._sockets) socket.destroy();
    });
    return this._closing;
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake-llm');
    const route = routeRequest(method, url.pathname);
    const read = await readBody(req);
    const parsed = parseBody(read.text);

    if (route.api === 'control') {
      if (this._controlApi) {
        handleControl(method, url.pathname, url.searchParams, parsed.value, res, {
          source: this._source,
          log: this._log,
          reset: () => this.reset(),
        });
      } else {
        res.writeHead(404).end();
      }
      return;
    }

    this._seq += 1;
    const seq = this._seq;
    const object =
      typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value)
        ? (parsed.value as Record<string, unknown>)
        : {};
    const body = route.provider === 'bedrock' ? bedrockRequestView(url.pathname, object) : object;
    const headers = redactHeaders(req.headers);
    const record: MutableRecord = {
      id: `req_fake${String(seq).padStart(6, '0')}`,
      seq,
      method,
      path: url.pathname,
      provider: route.provider,
      api: route.api,
      headers,
      body: parsed.value,
      model: route.model ?? (typeof body['model'] === 'string' ? body['model'] : undefined),
      stream: route.stream ?? body['stream'] === true,
      scenario: headers[SCENARIO_HEADER],
      startedAt: Date.now(),
      endedAt: undefined,
      status: undefined,
      chunksSent: 0,
      eventsSent: 0,
      completed: false,
      clientClosedEarly: false,
      disconnected: false,
    };
    const channel = new ResponseChannel(res, record);
    this._log.add(record, channel.closed);

    const exchange: Exchange = {
      record,
      body,
      query: url.searchParams,
      channel,
      created: Math.floor(record.startedAt / 1000),
      reply: resolveReply({}, route.api, body, route.model),
    };
    const provider = route.provider;
    const fail = (status: number, type: string, message: string): void => {
      exchange.reply = { ...exchange.reply, status, error: { type, message }, headers: {} };
      sendError(exchange, provider);
    };

    if (read.tooLarge) return fail(413, 'request_too_large', 'fake-llm: request body too large');
    if (!parsed.valid) return fail(400, 'invalid_request_error', 'fake-llm: request body is not valid JSON');

    let reply: Reply;
    try {
      reply = this._source.next(record);
      exchange.reply = resolveReply(reply, route.api, body, route.model);
    } catch (error) {
      return fail(400, 'invalid_request_error', `fake-llm: bad scripted reply: ${String(error)}`);
    }

    try {
      if (!(await channel.sleep(exchange.reply.delayMs))) return;
      const resolved = exchange.reply;
      if (resolved.rawBody !== undefined) {
        channel.send(resolved.status, { 'content-type': 'application/json', ...resolved.headers }, resolved.rawBody);
        return;
      }
      if (provider === 'bedrock') return await serveBedrock(exchange);
      if (resolved.status >= 400) return sendError(exchange, provider);
      switch (route.api) {
        case 'chat.completions':
          return await serveChatCompletions(exchange);
        case 'responses':
          return await serveResponses(exchange);
        case 'completions':
          return await serveCompletions(exchange);
        case 'embeddings':
          return await serveEmbeddings(exchange);
        case 'messages':
          return await serveMessages(exchange);
        case 'messages.count_tokens':
          return await serveCountTokens(exchange);
        case 'generateContent':
        case 'streamGenerateContent':
          return await serveGenerateContent(exchange);
        default:
          exchange.reply = { ...resolved, status: 404, error: { message: `fake-llm: no route ${method} ${url.pathname}` } };
          return sendError(exchange, provider);
      }
    } catch (error) {
      if (!res.headersSent) {
        exchange.reply = { ...exchange.reply, status: 500, error: { message: `fake-llm: ${String(error)}` } };
        sendError(exchange, provider);
      }
      else channel.destroy();
    }
  }
}

/**
 * Starts a fake LLM server on loopback that speaks the OpenAI (chat completions,
 * Responses, completions, embeddings), Anthropic (messages) and Google Gemini
 * (`generateContent`, `streamGenerateContent`, Gemini API and Vertex AI) wire
 * protocols, JSON and SSE.
 *
 * @example
 * ```ts
 * const fake = await startFakeLlm();
 * fake.script({ usage: { inputTokens: 120, outputTokens: 8, cacheReadTokens: 100 } });
 * const openai = new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'test' });
 * // …
 * await fake.close();
 * ```
 */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 5000 });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that resets its connection must not surface as an uncaught error.
    socket.on('error', () => undefined);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const maxRecords = options.maxRecords !== undefined && options.maxRecords > 0 ? options.maxRecords : 1000;
  // Bedrock clients speak HTTP/2 by default: their requests reach the same handler.
  const h2 = await listenH2(host, (req, res) => server.emit('request', req, res));
  return new FakeLlmServer(
    server,
    sockets,
    new RequestLog(maxRecords),
    new ReplySource(options.defaultReply ?? {}),
    options.controlApi ?? true,
    host,
    h2,
  );
}
