import type { CallLifecycle, StreamTarget } from '@costtrace/pipeline';
import { wireChunks, type BodyMode, type WireChunk } from './wire-chunks';

/**
 * The caller's Response: the original's status, headers, url, `redirected` and `type`,
 * with a body that hands on the original bytes as the caller reads them (never ahead of it:
 * nothing is read that the caller did not ask for), each read observed by the call's
 * lifecycle. `json()`, `text()`, `body.getReader()` and `clone()` all read through it.
 */
export function observedResponse(original: Response, life: CallLifecycle, mode: BodyMode): Response {
  const source = wireChunks(original.body!, mode);
  let wrap: ((source: AsyncIterator<unknown>) => AsyncIterator<unknown>) | undefined;
  let reading: AsyncIterator<unknown> | undefined;
  const target: StreamTarget = {
    wrapIterator: (w) => {
      wrap = w;
      return true;
    },
    controllerAborted: () => false,
  };
  // Arms the unread timer; the first read of the body opens the observed stream.
  life.observeStream(target, true);
  const open = (): AsyncIterator<unknown> => (reading ??= wrap ? wrap(source) : source);
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller): Promise<void> {
        const it = open();
        // A plain promise chain, not an async loop: one promise fewer per read.
        const step = (): Promise<void> =>
          it.next().then(
            (result) => {
              if (result.done) return controller.close();
              const bytes = (result.value as WireChunk).bytes;
              if (bytes.length === 0) return step();
              controller.enqueue(bytes);
            },
            // A budget stop rejects the caller's read with the BudgetExceededError itself.
            (err: unknown) => controller.error(err),
          );
        return step();
      },
      async cancel() {
        await open().return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return sameMeta(new Response(body, { status: original.status, statusText: original.statusText, headers: original.headers }), original);
}

/** `url`, `redirected` and `type` are not settable through the constructor: own properties copy them, onto clones too. */
function sameMeta(response: Response, original: Response): Response {
  Object.defineProperty(response, 'url', { value: original.url, enumerable: false, configurable: true });
  Object.defineProperty(response, 'redirected', { value: original.redirected, enumerable: false, configurable: true });
  Object.defineProperty(response, 'type', { value: original.type, enumerable: false, configurable: true });
  const clone = response.clone;
  Object.defineProperty(response, 'clone', {
    value: function cloneWithMeta(this: Response): Response {
      return sameMeta(clone.call(this), original);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return response;
}
