//! # h1x-wasm — the WebAssembly side of the npm package `h1x`
//!
//! A thin layer over [`h1x::Connection`]: it owns the receive buffer, the header storage and the
//! output buffer, and translates events to and from compact records in WASM memory. It holds no
//! protocol logic: every decision is the core's.
//!
//! The JS wrapper (`js/h1x.js`) talks to [`Conn`] through integer-only calls, so each crossing is
//! a plain WebAssembly call with no glue objects:
//!
//! * receiving: [`Conn::receive`] returns where to copy `n` new bytes; [`Conn::decode`] decodes one
//!   event and writes its record (see [`Conn::record_ptr`]); JS builds its strings from one pass over
//!   the head's bytes.
//! * sending: [`Conn::send_reserve`] returns an area for the event's arguments and bytes;
//!   [`Conn::send`] encodes it and leaves the output's location in the record.
//!
//! ## The record (`u32` words)
//!
//! | event | words |
//! | --- | --- |
//! | request, responses, end of message | `[1]` region address, `[2]` region length, `[3]` address of the end of the received bytes, `[4]` version (0 = 1.0, 1 = 1.1), `[5]` status, `[6..8]` method or reason (offset, length), `[8..10]` target, `[10]` header count, then per header: name offset, name length, name id, value offset, value length |
//! | data | `[1]` address, `[2]` length, `[3]` bit 0: begins a chunk, bit 1: ends a chunk |
//! | error | `[1]` kind name address, `[2]` its length, `[3]` offset, `[4]` status, `[5]` 1 if remote |
//! | send output | `[1]` address, `[2]` length |
//!
//! Offsets are relative to the region, the bytes the event consumed. The name id is the
//! 1-based index of a common field name in [`known_header_names`] (matched ignoring case), 0 for
//! another name in lower case, [`UPPER`] for another name with upper-case letters: JS then uses
//! its interned string, the bytes as they are, or lower-cases them.

#![warn(missing_docs)]
// On wasm32 the crate is `no_std` (with `alloc`): a panic -- a bug, never input -- traps at once
// instead of formatting a message nobody reads, which keeps std's panic machinery (about
// 4 KB after wasm-opt) out of the `.wasm`. Elsewhere (tests, clippy) std is there as usual.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use h1x::{Config, Connection, Error, Event, Header, Leniency, Request, Response, Role, Version};
use wasm_bindgen::prelude::*;

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Event codes returned by [`Conn::decode`] and [`Conn::send`].
pub mod code {
    /// More bytes are needed.
    pub const NEED_DATA: u32 = 0;
    /// A request head.
    pub const REQUEST: u32 = 1;
    /// An interim (1xx) response head.
    pub const INFORMATIONAL: u32 = 2;
    /// A final response head.
    pub const RESPONSE: u32 = 3;
    /// Body data.
    pub const DATA: u32 = 4;
    /// End of message, with trailers.
    pub const END_OF_MESSAGE: u32 = 5;
    /// The connection closed.
    pub const CONNECTION_CLOSED: u32 = 6;
    /// Paused until the next cycle (or forever after a protocol switch).
    pub const PAUSED: u32 = 7;
    /// A protocol error; its details are in the record.
    pub const ERROR: u32 = 8;
    /// Success without an event (sending, starting the next cycle).
    pub const OK: u32 = 9;
}

/// Words in the record before the header entries.
const HEAD_WORDS: usize = 11;
/// Words per header entry in the record.
const HEADER_WORDS: usize = 5;
/// Name id of an unknown name that has upper-case letters.
pub const UPPER: u32 = u32::MAX;

/// Common field names ([`h1x::COMMON_HEADER_NAMES`], the core's table): a received name that
/// matches one (ignoring case) is reported by its index, so JS uses an interned string instead of
/// building one.
pub const KNOWN: [&str; h1x::COMMON_HEADER_NAMES.len()] = h1x::COMMON_HEADER_NAMES;

/// Longest name in [`KNOWN`], plus one.
const BUCKETS: usize = 32;
/// Most names of one length in [`KNOWN`].
const PER_BUCKET: usize = 8;

/// For each length, the 1-based ids of the known names of that length (0 ends the list).
const BY_LENGTH: [[u8; PER_BUCKET]; BUCKETS] = {
    let mut t = [[0u8; PER_BUCKET]; BUCKETS];
    let mut i = 0;
    while i < KNOWN.len() {
        let len = KNOWN[i].len();
        let mut j = 0;
        while t[len][j] != 0 {
            j += 1;
        }
        t[len][j] = (i + 1) as u8;
        i += 1;
    }
    t
};

/// The name id (see the crate docs).
#[inline]
fn name_id(name: &[u8]) -> u32 {
    if let Some(bucket) = BY_LENGTH.get(name.len()) {
        for &id in bucket {
            if id == 0 {
                break;
            }
            if name.eq_ignore_ascii_case(KNOWN[id as usize - 1].as_bytes()) {
                return id as u32;
            }
        }
    }
    if name.iter().any(u8::is_ascii_uppercase) {
        UPPER
    } else {
        0
    }
}
/// Words in the send arguments before the header entries.
const ARG_WORDS: usize = 8;

/// One connection: the core state machine plus the buffers the JS side reads and writes.
#[wasm_bindgen]
pub struct Conn {
    conn: Connection,
    /// Received bytes; `buf[start..]` are not consumed yet.
    buf: Vec<u8>,
    start: usize,
    /// Header storage for `decode`; its length is the header-count limit.
    headers: Vec<Header<'static>>,
    /// The record of the last call (see the crate docs).
    record: Vec<u32>,
    /// Send arguments (`u32` words) followed by the event's bytes.
    args: Vec<u32>,
    /// Header entries the send area has room for (the bytes start after them).
    arg_headers: usize,
    /// Encoded output.
    out: Vec<u8>,
}

fn role(code: u32) -> Role {
    if code == 0 {
        Role::Client
    } else {
        Role::Server
    }
}

fn version_code(v: Version) -> u32 {
    match v {
        Version::Http10 => 0,
        Version::Http11 => 1,
    }
}

/// A state's number: its index in [`h1x::State::ALL`] (see [`state_names`]).
fn state_code(s: h1x::State) -> u32 {
    s as u32
}

/// Position of `s` within `buf` (every slice of a decoded event lies inside it).
#[inline(always)]
fn rel(s: &[u8], buf: &[u8]) -> u32 {
    h1x::Span::of(buf, s).map_or(0, |span| span.start as u32)
}

#[wasm_bindgen]
impl Conn {
    /// A connection. `role`: 0 client, 1 server. Limits as in [`h1x::Config`]; `leniency` is
    /// [`Leniency`]'s bits; `max_headers` is the header-count limit.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        role_code: u32,
        max_head_bytes: u32,
        max_line_bytes: u32,
        max_trailer_bytes: u32,
        max_chunk_ext_bytes: u32,
        leniency: u32,
        max_headers: u32,
    ) -> Conn {
        let config = Config::DEFAULT
            .with_max_head_bytes(max_head_bytes)
            .with_max_line_bytes(max_line_bytes)
            .with_max_trailer_bytes(max_trailer_bytes)
            .with_max_chunk_ext_bytes(max_chunk_ext_bytes.min(u16::MAX as u32) as u16)
            .lenient(Leniency::from_bits_truncate(leniency as u8));
        // header storage is allocated up front: keep it sane (64 Ki fields is far beyond any limit)
        let max_headers = max_headers.clamp(1, 1 << 16) as usize;
        Conn {
            conn: Connection::with_config(role(role_code), config),
            buf: Vec::new(),
            start: 0,
            headers: vec![Header::EMPTY; max_headers],
            record: vec![0; HEAD_WORDS + HEADER_WORDS * max_headers],
            args: Vec::new(),
            arg_headers: 0,
            out: vec![0; 1024],
        }
    }

    /// Address of the record (it never moves during the connection's life).
    pub fn record_ptr(&self) -> *const u32 {
        self.record.as_ptr()
    }

    /// Make room for `n` more received bytes and return the address to copy them to.
    pub fn receive(&mut self, n: usize) -> *mut u8 {
        if self.start > 0 {
            // drop what was consumed; the unconsumed rest keeps its relative position
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let at = self.buf.len();
        self.buf.resize(at + n, 0);
        // SAFETY: `at <= len`, so the pointer stays within (or one past) the allocation.
        unsafe { self.buf.as_mut_ptr().add(at) }
    }

    /// The peer closed its side.
    pub fn receive_eof(&mut self) {
        self.conn.receive_eof();
    }

    /// Decode the next event, write its record, and return its code.
    pub fn decode(&mut self) -> u32 {
        let buf = &self.buf[self.start..];
        // SAFETY: the storage holds `Header<'static>` only to be reused between calls; here it is
        // lent out as `Header<'b>` for this call's buffer. Nothing reads an entry afterwards
        // without `decode` having written it first, so no stale slice is ever looked at.
        let headers: &mut [Header<'_>] = unsafe {
            core::slice::from_raw_parts_mut(self.headers.as_mut_ptr().cast(), self.headers.len())
        };
        let rec = &mut self.record[..];
        let (n, code) = match self.conn.decode(buf, headers) {
            Ok((n, ev)) => {
                let code = match ev {
                    Event::NeedData => code::NEED_DATA,
                    Event::Paused => code::PAUSED,
                    Event::ConnectionClosed => code::CONNECTION_CLOSED,
                    Event::Data(d) => {
                        rec[1] = d.as_ptr() as u32;
                        rec[2] = d.len() as u32;
                        let (start, end) = self.conn.chunk_boundaries();
                        rec[3] = start as u32 | (end as u32) << 1;
                        code::DATA
                    }
                    Event::Request(Request {
                        method,
                        target,
                        version,
                        headers,
                    }) => {
                        rec[4] = version_code(version);
                        rec[5] = 0;
                        rec[6] = rel(method, buf);
                        rec[7] = method.len() as u32;
                        rec[8] = rel(target, buf);
                        rec[9] = target.len() as u32;
                        write_headers(rec, headers, buf);
                        code::REQUEST
                    }
                    Event::InformationalResponse(r) | Event::Response(r) => {
                        let Response {
                            status,
                            reason,
                            version,
                            headers,
                        } = r;
                        rec[4] = version_code(version);
                        rec[5] = status as u32;
                        rec[6] = rel(reason, buf);
                        rec[7] = reason.len() as u32;
                        write_headers(rec, headers, buf);
                        if status < 200 {
                            code::INFORMATIONAL
                        } else {
                            code::RESPONSE
                        }
                    }
                    Event::EndOfMessage(trailers) => {
                        write_headers(rec, trailers, buf);
                        code::END_OF_MESSAGE
                    }
                };
                (n, code)
            }
            Err(e) => {
                // TooManyHeaders leaves the connection as it was, for a retry with more header
                // storage; this binding's storage is fixed (`max_headers`), so the peer's side
                // fails as it does for any other error (h11's behaviour)
                if e.needed_headers().is_some() {
                    self.conn.receive_failed();
                }
                write_error(rec, &e);
                (0, code::ERROR)
            }
        };
        if matches!(
            code,
            code::REQUEST | code::INFORMATIONAL | code::RESPONSE | code::END_OF_MESSAGE
        ) {
            let region = &self.buf[self.start..];
            self.record[1] = region.as_ptr() as u32;
            self.record[2] = n as u32;
            self.record[3] = region.as_ptr_range().end as u32;
        }
        self.start += n;
        if self.start == self.buf.len() {
            // everything consumed: start afresh without moving bytes
            self.buf.clear();
            self.start = 0;
        }
        code
    }

    /// Both states and the 100-continue flags, packed: our state (bits 0-7), their state
    /// (bits 8-15), client waiting for 100 (bit 16), they are waiting (bit 17), their version
    /// known (bit 18), their version is 1.0 (bit 19). States are numbered as in [`h1x::State`].
    pub fn states(&self) -> u32 {
        let c = &self.conn;
        let mut s = state_code(c.our_state()) | state_code(c.their_state()) << 8;
        if c.client_is_waiting_for_100_continue() {
            s |= 1 << 16;
        }
        if c.they_are_waiting_for_100_continue() {
            s |= 1 << 17;
        }
        match c.their_http_version() {
            Some(Version::Http10) => s |= 3 << 18,
            Some(Version::Http11) => s |= 1 << 18,
            None => {}
        }
        if c.eof_received() {
            s |= 1 << 20;
        }
        s
    }

    /// The unconsumed received bytes: address in record word 1, length in word 2.
    pub fn trailing(&mut self) {
        let rest = &self.buf[self.start..];
        self.record[1] = rest.as_ptr() as u32;
        self.record[2] = rest.len() as u32;
    }

    /// Reset both sides to IDLE after a complete cycle; returns [`code::OK`] or [`code::ERROR`].
    pub fn start_next_cycle(&mut self) -> u32 {
        match self.conn.start_next_cycle() {
            Ok(()) => code::OK,
            Err(e) => {
                write_error(&mut self.record, &e);
                code::ERROR
            }
        }
    }

    /// Mark our side as failed (h11's `send_failed`).
    pub fn send_failed(&mut self) {
        self.conn.send_failed();
    }

    /// Lay out the send area for up to `headers` header entries and `bytes` bytes: 8 argument
    /// words, 4 words per header, then the bytes. Returns the area's address (4-byte aligned),
    /// valid for every send until the next call.
    pub fn send_reserve(&mut self, bytes: usize, headers: usize) -> *mut u32 {
        self.arg_headers = headers;
        let words = ARG_WORDS + 4 * headers + bytes.div_ceil(4);
        if self.args.len() < words {
            self.args.resize(words, 0);
        }
        self.args.as_mut_ptr()
    }

    /// Encode the event in the send area (`kind` is an event code) and return [`code::OK`]
    /// (output address and length in record words 1 and 2) or [`code::ERROR`].
    pub fn send(&mut self, kind: u32) -> u32 {
        let args = &self.args[..];
        let nh = (args[6] as usize).min(self.arg_headers);
        let data_at = ARG_WORDS + 4 * self.arg_headers;
        // SAFETY: viewing initialised `u32` words as bytes is always valid; the bytes area starts
        // at word `data_at` and the slice ends within the vector.
        let bytes: &[u8] = unsafe {
            core::slice::from_raw_parts(
                args.as_ptr().add(data_at).cast(),
                (args.len() - data_at) * 4,
            )
        };
        let part = |off: u32, len: u32| &bytes[off as usize..(off + len) as usize];
        let mut storage = [Header::EMPTY; 32];
        let mut heap;
        let list: &mut [Header<'_>] = if nh <= storage.len() {
            &mut storage[..nh]
        } else {
            heap = vec![Header::EMPTY; nh];
            &mut heap[..]
        };
        for (i, h) in list.iter_mut().enumerate() {
            let a = &args[ARG_WORDS + 4 * i..];
            *h = Header {
                name: part(a[0], a[1]),
                value: part(a[2], a[3]),
            };
        }
        let version = if args[1] == 0 {
            Version::Http10
        } else {
            Version::Http11
        };
        let first = part(args[2], args[3]);
        let response = |status: u32| {
            // a code that does not fit u16 becomes 0, which the core refuses (InvalidStatus)
            let status = u16::try_from(status).unwrap_or(0);
            Response {
                status,
                reason: if args[7] == 1 {
                    h1x::reason_phrase(status).as_bytes()
                } else {
                    first
                },
                version,
                headers: list,
            }
        };
        let event = match kind {
            code::REQUEST => Event::Request(Request {
                method: first,
                target: part(args[4], args[5]),
                version,
                headers: list,
            }),
            code::INFORMATIONAL => Event::InformationalResponse(response(args[0])),
            code::RESPONSE => Event::Response(response(args[0])),
            code::DATA => Event::Data(first),
            code::END_OF_MESSAGE => Event::EndOfMessage(list),
            code::CONNECTION_CLOSED => Event::ConnectionClosed,
            _ => Event::NeedData,
        };
        let result = loop {
            match self.conn.encode(&event, &mut self.out) {
                Err(e) => match e.kind() {
                    h1x::ErrorKind::BufferTooSmall { needed } => self.out.resize(needed, 0),
                    _ => break Err(e),
                },
                ok => break ok,
            }
        };
        match result {
            Ok(n) => {
                self.record[1] = self.out.as_ptr() as u32;
                self.record[2] = n as u32;
                code::OK
            }
            Err(e) => {
                write_error(&mut self.record, &e);
                code::ERROR
            }
        }
    }
}

fn write_headers(rec: &mut [u32], headers: &[Header<'_>], buf: &[u8]) {
    rec[10] = headers.len() as u32;
    for (h, w) in headers
        .iter()
        .zip(rec[HEAD_WORDS..].chunks_exact_mut(HEADER_WORDS))
    {
        w[0] = rel(h.name, buf);
        w[1] = h.name.len() as u32;
        w[2] = name_id(h.name);
        w[3] = rel(h.value, buf);
        w[4] = h.value.len() as u32;
    }
}

fn write_error(rec: &mut [u32], e: &Error) {
    let name = e.kind().name();
    rec[1] = name.as_ptr() as u32;
    rec[2] = name.len() as u32;
    rec[3] = e.offset() as u32;
    rec[4] = e.status() as u32;
    rec[5] = e.is_remote() as u32;
}

/// The common field names ([`KNOWN`]) in lower case, joined by `\n`: JS interns them once.
#[wasm_bindgen]
pub fn known_header_names() -> String {
    KNOWN.join("\n").to_ascii_lowercase()
}

/// The state names ([`h1x::State::ALL`]'s h11 names), in the order of the state numbers,
/// joined by `\n`.
#[wasm_bindgen]
pub fn state_names() -> String {
    h1x::State::ALL.map(h1x::State::name).join("\n")
}

/// The leniencies ([`h1x::Leniency::ALL`]) as `NAME=bits` lines: JS takes them by name.
#[wasm_bindgen]
pub fn leniency_names() -> String {
    let mut lines = String::new();
    for (name, l) in Leniency::ALL {
        if !lines.is_empty() {
            lines.push('\n');
        }
        lines.push_str(name);
        lines.push('=');
        // the bits in decimal, without `format!`: the formatting machinery would cost the .wasm
        // about 3 KB (its size budget is tested)
        let bits = l.bits();
        for (div, always) in [(100, false), (10, false), (1, true)] {
            if always || bits >= div {
                lines.push(char::from(b'0' + bits / div % 10));
            }
        }
    }
    lines
}

/// The WebAssembly memory, so the JS side can view the records and buffers.
#[wasm_bindgen]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_found_ignoring_case() {
        for (i, k) in KNOWN.iter().enumerate() {
            assert_eq!(name_id(k.as_bytes()), i as u32 + 1, "{k}");
            assert_eq!(
                name_id(k.to_ascii_uppercase().as_bytes()),
                i as u32 + 1,
                "{k}"
            );
            assert_eq!(
                name_id(k.to_ascii_lowercase().as_bytes()),
                i as u32 + 1,
                "{k}"
            );
        }
        assert_eq!(name_id(b"x-custom"), 0);
        assert_eq!(name_id(b"X-Custom"), UPPER);
        assert_eq!(
            name_id(b"X-A-Very-Long-Field-Name-Beyond-The-Buckets"),
            UPPER
        );
        assert_eq!(name_id(b""), 0);
        let lower = known_header_names();
        assert_eq!(lower.lines().count(), KNOWN.len());
        assert!(lower.lines().any(|n| n == "etag"));
    }

    #[test]
    fn state_numbers_and_names() {
        let names = state_names();
        for (i, s) in h1x::State::ALL.iter().enumerate() {
            assert_eq!(state_code(*s), i as u32);
            assert_eq!(names.lines().nth(i), Some(s.name()));
        }
        assert_eq!(
            leniency_names().lines().next(),
            Some("BARE_LF=1"),
            "{}",
            leniency_names()
        );
        // the hand-written decimal digits say what format! would
        let formatted: Vec<String> = Leniency::ALL
            .iter()
            .map(|(name, l)| format!("{name}={}", l.bits()))
            .collect();
        assert_eq!(leniency_names(), formatted.join("\n"));
    }
}
