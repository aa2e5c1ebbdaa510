// Protocol hygiene around vscode-jsonrpc's reader (issue 21): answers what the library drops or
// misreads as JSON-RPC and LSP ask: -32700 for a body that is not JSON, -32600 for a message that
// is not a request, notification or response, -32002 for a request before `initialize` (and
// -32600 for a second one, or a request after `shutdown`). A broken frame (a Content-Length
// missing or not a number) cannot be resynchronised: `onFatal` ends the process so the client restarts it.

import { Emitter, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';

/** The codes JSON-RPC 2.0 and LSP give these errors. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const SERVER_NOT_INITIALIZED = -32002;

type Id = string | number | null;

export class GuardedReader implements MessageReader {
  private readonly errors = new Emitter<Error>();
  private initialized = false;
  private shutdown = false;

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    private readonly onFatal: (error: Error) => void,
  ) {}

  /** Whether `shutdown` was received (the process exits 0 then, 1 otherwise, as LSP asks). */
  get shutdownReceived(): boolean {
    return this.shutdown;
  }

  get onError() {
    return this.errors.event;
  }
  get onClose() {
    return this.inner.onClose;
  }
  get onPartialMessage() {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    this.inner.onError((e) => {
      // JSON.parse's error: the frame was read whole, so the stream is still in step; the next message is fine.
      if (e instanceof SyntaxError) this.reply(null, PARSE_ERROR, `Parse error: the message body is not JSON (${e.message}).`);
      else this.onFatal(e);
    });
    return this.inner.listen((message) => this.filter(message as unknown, callback));
  }

  dispose(): void {
    this.inner.dispose();
    this.errors.dispose();
  }

  private filter(message: unknown, pass: DataCallback): void {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return this.reply(null, INVALID_REQUEST, 'Invalid request: a message is one JSON object (batches are not used by LSP).');
    }
    const m = message as Record<string, unknown>;
    const hasId = 'id' in m && m.id !== undefined;
    const id = m.id;
    const idOk = !hasId || id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
    const replyId: Id = hasId && idOk ? (id as Id) : null;
    if (m.jsonrpc !== '2.0') return this.reply(replyId, INVALID_REQUEST, 'Invalid request: "jsonrpc" must be "2.0".');
    if (!idOk) return this.reply(null, INVALID_REQUEST, 'Invalid request: "id" must be a string, a number or null.');
    if (typeof m.method !== 'string') {
      // A response to one of the server's own requests.
      if (hasId && ('result' in m || 'error' in m)) return pass(m as unknown as Message);
      return this.reply(replyId, INVALID_REQUEST, 'Invalid request: a message needs a "method" (or is a response with "result" or "error").');
    }
    // `"params": null` is how some clients (Emacs's jsonrpc) write a request without parameters
    // (shutdown): taken as no params, as vscode-jsonrpc itself does.
    if (m.params === null) delete m.params;
    if (m.params !== undefined && typeof m.params !== 'object') {
      return hasId ? this.reply(replyId, INVALID_REQUEST, 'Invalid request: "params" must be an object or an array.') : undefined;
    }
    if (!this.initialized) {
      if (m.method === 'initialize' && hasId) {
        this.initialized = true;
        return pass(m as unknown as Message);
      }
      // Notifications before initialize are dropped, except exit (LSP, "initialize").
      if (hasId) return this.reply(replyId, SERVER_NOT_INITIALIZED, `Server not initialized: "${m.method}" came before "initialize".`);
      return m.method === 'exit' ? pass(m as unknown as Message) : undefined;
    }
    if (hasId && m.method === 'initialize') return this.reply(replyId, INVALID_REQUEST, 'Invalid request: "initialize" was already received.');
    if (hasId && this.shutdown) return this.reply(replyId, INVALID_REQUEST, `Invalid request: "${m.method}" came after "shutdown".`);
    if (hasId && m.method === 'shutdown') this.shutdown = true;
    pass(m as unknown as Message);
  }

  private reply(id: Id, code: number, message: string): void {
    void this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message).catch(() => undefined);
  }
}
