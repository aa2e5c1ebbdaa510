// An answer already written as JSON text (issue 20: the outline of a 2 MB sequence is 0.7 MB of
// JSON, kept and redone only where an edit moved it, lsp/symbolJson.ts). The stdio writer's encoder
// (serverMain.ts) puts the text into the response as it is; any other writer (in-process tests, the
// IPC channel VS Code uses) serializes the value, which `toJSON` parses back from the text.

import type { Message } from 'vscode-languageserver';

const TEXT = Symbol('cmts.rawJson');

export interface RawJson {
  readonly [TEXT]: string;
  toJSON(): unknown;
}

/**
 * `text` (JSON of a `T`) as an answer: typed as the `T` it stands for, since that is what every
 * writer sends (the handlers' signatures take the value, not its text).
 */
export function rawJson<T>(text: string): T {
  const raw: RawJson = { [TEXT]: text, toJSON: () => JSON.parse(text) as unknown };
  return raw as unknown as T;
}

function isRaw(v: unknown): v is RawJson {
  return typeof v === 'object' && v !== null && TEXT in v;
}

/** The JSON of a message, with a raw result put in as its text. */
export function messageJson(msg: Message): string {
  const m = msg as { jsonrpc: string; id?: unknown; result?: unknown };
  if (isRaw(m.result) && Object.keys(m).every((k) => k === 'jsonrpc' || k === 'id' || k === 'result')) {
    return `{"jsonrpc":${JSON.stringify(m.jsonrpc)},"id":${JSON.stringify(m.id ?? null)},"result":${m.result[TEXT]}}`;
  }
  return JSON.stringify(msg);
}

/** vscode-jsonrpc's application/json encoder, with raw results written as they are. */
export const rawJsonEncoder = {
  name: 'application/json',
  encode(msg: Message, options: { charset: BufferEncoding }): Promise<Uint8Array> {
    try {
      return Promise.resolve(Buffer.from(messageJson(msg), options.charset));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  },
};
