//! # h1x — a sans-IO HTTP/1.1 codec with first-class interim (1xx) responses
//!
//! Bytes in, events out; events in, bytes out. No sockets, no threads, no clocks, no heap.
//!
//! * [`Connection`]: h11's client/server state machine with RFC 9110/9112's rules, including
//!   any number of `100`/`102`/`103`/unknown `1xx` responses before the final one.
//! * [`HeadParser`], [`parse_request`], [`parse_response`]: zero-copy, resumable head parsing for
//!   callers who frame bodies themselves.
//! * [`encode_request`], [`encode_response`], [`encode_chunk`], [`encode_last_chunk`]: encoders
//!   that refuse to put invalid bytes on the wire.
//! * [`HeartbeatSchedule`] and [`InterimDeadline`]: `102 Processing` heartbeats with time as an
//!   input.
//!
//! Strict by default: every malformed or ambiguous input is an [`Error`] with its
//! [`ErrorKind`], byte offset and suggested status. Leniencies are named opt-ins ([`Leniency`]).
//!
//! ```
//! use h1x::{Connection, Event, Header, Role};
//!
//! let mut client = Connection::new(Role::Client);
//! let mut out = [0u8; 256];
//! let n = client.encode(&Event::request("POST", "/render", &[Header::new("Host", "x"), Header::new("Content-Length", "0")]), &mut out).unwrap();
//! assert!(out[..n].starts_with(b"POST /render HTTP/1.1\r\n"));
//! client.encode(&Event::end(), &mut out).unwrap();
//!
//! let wire = b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
//! let mut headers = [Header::EMPTY; 16];
//! let mut at = 0;
//! let mut interim = 0;
//! loop {
//!     let (n, event) = client.decode(&wire[at..], &mut headers).unwrap();
//!     at += n;
//!     match event {
//!         Event::InformationalResponse(r) => { assert_eq!(r.status, 102); interim += 1 }
//!         Event::Response(r) => assert_eq!(r.status, 200),
//!         Event::Data(d) => assert_eq!(d, b"ok"),
//!         Event::EndOfMessage(_) => break,
//!         other => panic!("{other:?}"),
//!     }
//! }
//! assert_eq!(interim, 2);
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// `unsafe` is denied everywhere but in head/simd.rs (16-byte SIMD loads; see its docs)
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(any(feature = "std", test))]
extern crate std;

// Every public item has one path: the crate root (the modules are private; see the re-exports).
mod body;
#[cfg(feature = "bytes")]
mod bytes_compat;
mod config;
mod conn;
mod encode;
mod error;
mod head;
mod heartbeat;
#[cfg(feature = "http")]
mod http_compat;
mod span;
#[cfg(test)]
mod test_rng;

pub use body::parse_chunk_size;
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
pub use bytes_compat::ConnectionBytesExt;
pub use config::{Config, Leniency};
pub use conn::{reason_phrase, Connection, Decisions, Event, Expectation, Framing, Role, State};
pub use encode::{
    check_fields, check_request_fields, check_request_head, check_response_head, encode_chunk,
    encode_last_chunk, encode_request, encode_response,
};
pub use error::{Error, ErrorKind, Origin};
pub use head::{
    comma_list, find_header, parse_request, parse_response, HeadParser, Header, Request, Response,
    Status, TargetForm, TargetParts, Version, COMMON_HEADER_NAMES,
};
pub use heartbeat::{HeartbeatSchedule, InterimDeadline};
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use http_compat::headers_from_http;
pub use span::{RequestSpans, ResponseSpans, Span};

/// The crate README's examples (core/README.md, packaged with the crate), compiled and run as
/// doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
