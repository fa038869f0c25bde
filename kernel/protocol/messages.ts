/**
 * Typed contents of the messages this kernel handles and sends (messaging spec 5.3), one type per
 * message type, and readers that turn a request's untrusted JSON into its typed content.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html
 */
import type { HistoryRequest } from '../history';
import type { ErrorContent } from '../execution/errors';
import type { MimeBundle } from '../display';

export type { HistoryRequest };

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  /** False when silent: a silent cell never counts nor enters the history. */
  store_history: boolean;
  stop_on_error: boolean;
}

export type ExecuteReply =
  | {
      status: 'ok';
      execution_count: number;
      payload: Record<string, unknown>[];
      user_expressions: Record<string, unknown>;
    }
  | ({ status: 'error'; execution_count: number } & ErrorContent)
  | { status: 'aborted'; execution_count: number };

/** complete_request and inspect_request: a cell and a cursor, in code points. */
export interface CursorRequest {
  code: string;
  cursor_pos: number;
}

/** One completion as JupyterLab's completer reads it from `_jupyter_types_experimental`. */
export interface CompletionItem {
  start: number;
  end: number;
  text: string;
  type: string;
  signature: string;
}

export interface CompleteReply {
  status: 'ok';
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: { _jupyter_types_experimental?: CompletionItem[] };
}

export interface InspectReply {
  status: 'ok';
  found: boolean;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export interface IsCompleteRequest {
  code: string;
}

export type IsCompleteReply =
  { status: 'complete' | 'invalid' | 'unknown' } | { status: 'incomplete'; indent: string };

export type HistoryEntry = [session: number, line: number, input: string | [string, string | null]];

export interface HistoryReply {
  status: 'ok';
  history: HistoryEntry[];
}

export interface CommInfoRequest {
  target_name?: string;
}

export interface CommInfoReply {
  status: 'ok';
  comms: Record<string, { target_name: string }>;
}

export interface CommOpen {
  comm_id: string;
  target_name: string;
  data: unknown;
}

export interface CommMsg {
  comm_id: string;
  data: unknown;
}

export interface ShutdownRequest {
  restart: boolean;
}

export interface ShutdownReply {
  status: 'ok';
  restart: boolean;
}

export interface KernelInfoReply {
  status: 'ok';
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    codemirror_mode: { name: string; typescript: boolean };
    pygments_lexer: string;
  };
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
}

/** Contents of what goes out on iopub, by message type. */
export interface IopubContents {
  status: { execution_state: 'starting' | 'busy' | 'idle' };
  stream: { name: 'stdout' | 'stderr'; text: string };
  execute_input: { code: string; execution_count: number };
  execute_result: { execution_count: number; data: MimeBundle; metadata: Record<string, unknown> };
  display_data: {
    data: MimeBundle;
    metadata: Record<string, unknown>;
    transient: { display_id?: string };
  };
  update_display_data: {
    data: MimeBundle;
    metadata: Record<string, unknown>;
    transient: { display_id: string };
  };
  clear_output: { wait: boolean };
  error: ErrorContent;
  comm_open: Record<string, unknown>;
  comm_msg: Record<string, unknown>;
  comm_close: Record<string, unknown>;
}

export type IopubType = keyof IopubContents;

/** Reply content, by request type; an `error` reply may answer any of them. */
export interface ReplyContents {
  kernel_info_reply: KernelInfoReply;
  execute_reply: ExecuteReply;
  complete_reply: CompleteReply;
  inspect_reply: InspectReply;
  is_complete_reply: IsCompleteReply;
  history_reply: HistoryReply;
  comm_info_reply: CommInfoReply;
  interrupt_reply: { status: 'ok' };
  shutdown_reply: ShutdownReply;
}

export type ReplyType = keyof ReplyContents;

type Content = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function readExecuteRequest(content: Content): ExecuteRequest {
  const silent = Boolean(content.silent);
  return {
    code: text(content.code),
    silent,
    store_history: content.store_history !== false && !silent,
    stop_on_error: content.stop_on_error !== false
  };
}

/** A missing cursor means the end of the cell. */
export function readCursorRequest(content: Content): CursorRequest {
  const code = text(content.code);
  const cursor = content.cursor_pos;
  return { code, cursor_pos: typeof cursor === 'number' ? cursor : [...code].length };
}

export function readIsCompleteRequest(content: Content): IsCompleteRequest {
  return { code: text(content.code) };
}

export function readShutdownRequest(content: Content): ShutdownRequest {
  return { restart: Boolean(content.restart) };
}

export function readCommInfoRequest(content: Content): CommInfoRequest {
  return { target_name: content.target_name as string | undefined };
}

export function readCommOpen(content: Content): CommOpen {
  return {
    comm_id: content.comm_id as string,
    target_name: content.target_name as string,
    data: content.data
  };
}

export function readCommMsg(content: Content): CommMsg {
  return { comm_id: content.comm_id as string, data: content.data };
}
