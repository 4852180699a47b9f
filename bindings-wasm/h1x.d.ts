// Types for the npm package `h1x` (the same API in Node CommonJS, Node ESM and browsers).

/** A header field: `[name, value]`, one char per byte (latin-1). Received names are lower-cased. */
export type Header = [name: string, value: string];

/** "1.0" or "1.1". */
export type HttpVersion = "1.0" | "1.1";

/** h11's state names. */
export type State =
  | "IDLE"
  | "SEND_RESPONSE"
  | "SEND_BODY"
  | "DONE"
  | "MUST_CLOSE"
  | "CLOSED"
  | "MIGHT_SWITCH_PROTOCOL"
  | "SWITCHED_PROTOCOL"
  | "ERROR";

export interface RequestEvent {
  type: "request";
  method: string;
  target: string;
  headers: Header[];
  /** Received: the request's version. Sent: defaults to "1.1". */
  httpVersion?: HttpVersion;
}

export interface InformationalResponseEvent {
  type: "informationalResponse";
  /** 100-199 */
  statusCode: number;
  /** Sent: defaults to the standard phrase ("Processing" for 102). */
  reason?: string;
  headers?: Header[];
  httpVersion?: HttpVersion;
}

export interface ResponseEvent {
  type: "response";
  /** 200-999 */
  statusCode: number;
  reason?: string;
  headers?: Header[];
  httpVersion?: HttpVersion;
}

export interface DataEvent {
  type: "data";
  /** Received: always a Uint8Array (a copy). Sent: a Uint8Array or a latin-1 string. */
  data: Uint8Array | string;
  /** Received on a chunked body: this data begins a chunk (h11's `chunk_start`); else false. Ignored when sent. */
  chunkStart?: boolean;
  /** Received on a chunked body: this data ends a chunk (h11's `chunk_end`); else false. Ignored when sent. */
  chunkEnd?: boolean;
}

export interface EndOfMessageEvent {
  type: "endOfMessage";
  /** Trailer fields (chunked bodies only). */
  headers?: Header[];
}

export interface ConnectionClosedEvent {
  type: "connectionClosed";
}

/** What `send` accepts. */
export type Event =
  | RequestEvent
  | InformationalResponseEvent
  | ResponseEvent
  | DataEvent
  | EndOfMessageEvent
  | ConnectionClosedEvent;

/** What `nextEvent` returns: an event with every field set (data as Uint8Array), or a sentinel. */
export type ReceivedEvent =
  | Required<RequestEvent>
  | Required<InformationalResponseEvent>
  | Required<ResponseEvent>
  | { type: "data"; data: Uint8Array }
  | Required<EndOfMessageEvent>
  | ConnectionClosedEvent
  | typeof NEED_DATA
  | typeof PAUSED;

/** More bytes are needed (compare with `===`). */
export declare const NEED_DATA: Readonly<{ type: "needData" }>;
/** Nothing more until `startNextCycle()` (pipelining), or ever (after a protocol switch). */
export declare const PAUSED: Readonly<{ type: "paused" }>;

export type Leniency = "BARE_LF" | "OBS_FOLD" | "MISSING_HOST" | "DUPLICATE_CONTENT_LENGTH";

export interface ConnectionOptions {
  role: "client" | "server";
  /** Largest head (and trailer section) accepted; default 16384 (h11's default). */
  maxIncompleteEventSize?: number;
  /** Named leniencies, all off by default (see the Rust crate's `Leniency` for each one's risk). */
  leniency?: Leniency[];
  /** Finer limits (defaults derive from maxIncompleteEventSize). */
  maxHeadBytes?: number;
  maxLineBytes?: number;
  maxTrailerBytes?: number;
  maxChunkExtBytes?: number;
  /** Most header fields in one head; default 128. */
  maxHeaders?: number;
}

/** A protocol error. */
export declare class ProtocolError extends Error {
  /** The error kind's stable name, e.g. "BareLf", "IllegalEvent". */
  readonly kind: string;
  /** For remote errors, the offending byte's position in the stream (0 for local errors). */
  readonly offset: number;
  /** The status a server should answer with: 400, 413, 414, 431, 501, 505 (500 for local). */
  readonly errorStatusHint: number;
}
/** The peer broke the protocol; their state is now ERROR. */
export declare class RemoteProtocolError extends ProtocolError {}
/** The event may not be sent now; our state is now ERROR. */
export declare class LocalProtocolError extends ProtocolError {}

/** A sans-IO HTTP/1.1 connection, client or server (h11's model). */
export declare class Connection {
  constructor(options: ConnectionOptions);
  readonly role: "client" | "server";
  /** Append received bytes; an empty array means the peer closed (EOF). */
  receiveData(data: Uint8Array): void;
  /** The next event, NEED_DATA or PAUSED. Throws RemoteProtocolError. */
  nextEvent(): ReceivedEvent;
  /** The event's bytes, or null for connectionClosed. Throws LocalProtocolError. */
  send(event: ConnectionClosedEvent): null;
  send(event: Event): Uint8Array;
  /** Both sides back to IDLE after a complete keep-alive cycle. Throws LocalProtocolError. */
  startNextCycle(): void;
  /** Mark our side as failed (h11's send_failed). */
  sendFailed(): void;
  readonly ourState: State;
  readonly theirState: State;
  /** The peer's HTTP version once its first head arrived, else null. */
  readonly theirHttpVersion: HttpVersion | null;
  readonly clientIsWaitingFor100Continue: boolean;
  readonly theyAreWaitingFor100Continue: boolean;
  /** Received bytes not consumed yet, and whether EOF was received. */
  readonly trailingData: { data: Uint8Array; closed: boolean };
  /** Release the WASM memory now (otherwise garbage collection does it). */
  free(): void;
}
