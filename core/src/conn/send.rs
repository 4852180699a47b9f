//! The sending side: events checked against the state table and the interim rules, then encoded.

use super::state::{EventType, States, Switch};
use super::{flag, head_bit, Connection, Event, Outgoing, Role, State};
use crate::body::{framing, BodyKind};
use crate::encode::{
    write_chunk_parts, write_last_chunk, write_request_head, write_response_head, Extra, Writer,
};
use crate::head::{Request, Response, Version};
use crate::{Config, Error, ErrorKind};

impl Connection {
    /// Encode `event` into `out` and return the number of bytes written.
    ///
    /// The event is checked first: against the state table, the interim rules (no 1xx to an
    /// HTTP/1.0 client, no 1xx after the final response, 101 only after `Upgrade`), and the
    /// declared framing (no more and no less body than Content-Length says). On a protocol error
    /// our state becomes `ERROR`. When `out` is too small the error says how many bytes are
    /// needed and nothing changes: call again with a larger buffer.
    ///
    /// Framing is completed the way h11 does it: a final response without Content-Length or
    /// Transfer-Encoding gets `Transfer-Encoding: chunked` (HTTP/1.1 peers) or is delimited by
    /// closing (HTTP/1.0 peers), and `Connection: close` is added when the connection will close.
    /// A final response sent instead of `100 Continue` (the client is still waiting to send its
    /// body) closes the connection: the client may send the body or not, so the stream's framing
    /// is unknown (RFC 9110 section 10.1.1). A final response sent while the body is arriving
    /// keeps the connection only if the body is then read to its end: keep decoding until
    /// `EndOfMessage`, or close (send `Connection: close` yourself to say so).
    ///
    /// ```
    /// use h1x::{Connection, Event, Header, Role, ErrorKind};
    /// let mut server = Connection::new(Role::Server);
    /// let mut headers = [Header::EMPTY; 8];
    /// let (n, _) = server.decode(b"GET / HTTP/1.0\r\n\r\n", &mut headers).unwrap();
    /// let mut out = [0u8; 128];
    /// // RFC 9110 15.2: no interim response to an HTTP/1.0 client
    /// let err = server.encode(&Event::interim(102, &[]), &mut out).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InterimToHttp10);
    /// ```
    pub fn encode(&mut self, event: &Event<'_, '_>, out: &mut [u8]) -> Result<usize, Error> {
        if self.our_state() == State::Error {
            return Err(Error::local(ErrorKind::ConnectionErrored));
        }
        let mut w = Writer::new(out);
        // Each event is all or nothing without a snapshot to restore: the `send_*` functions
        // work on copies and change `self` only at the end, after every check and after
        // `w.fits()` (so a refused event is refused whatever the buffer, as before).
        let r = self.encode_inner(event, &mut w);
        let head = event.is_head();
        self.encoded(r, head).map(|()| w.len())
    }

    /// A refused event puts our side in ERROR; a buffer too small changes nothing. After any
    /// other event than a head, the head's decisions are no longer fresh.
    fn encoded<T>(&mut self, r: Result<T, Error>, head: bool) -> Result<T, Error> {
        match r {
            Ok(v) => {
                if !head {
                    self.heads &= !head_bit::SENT_FRESH;
                }
                Ok(v)
            }
            Err(e) if matches!(e.kind(), ErrorKind::BufferTooSmall { .. }) => Err(e),
            Err(e) => {
                self.send_failed();
                Err(Error::local(e.kind()))
            }
        }
    }

    /// Like encoding `Event::Data` of `len` bytes, but the caller writes those bytes itself
    /// (h11's `send_with_data_passthrough`: a server hands a file to `sendfile` instead of
    /// reading it into memory). Writes into `out` the framing that goes before the data, then
    /// the framing that goes after it, and returns their lengths: nothing for a Content-Length
    /// or read-until-close body, the chunk-size line and CRLF for a chunked one. The checks and
    /// state changes are those of encoding `Event::Data`.
    ///
    /// ```
    /// use h1x::{Connection, Event, Header, Role};
    /// let mut server = Connection::new(Role::Server);
    /// let mut headers = [Header::EMPTY; 8];
    /// server.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut headers).unwrap();
    /// let mut out = [0u8; 64];
    /// server.encode(&Event::response(200, &[]), &mut out).unwrap(); // chunked: length unknown
    /// let (before, after) = server.encode_data_framing(1000, &mut out).unwrap();
    /// assert_eq!(&out[..before], b"3e8\r\n");
    /// assert_eq!(&out[before..before + after], b"\r\n");
    /// ```
    pub fn encode_data_framing(
        &mut self,
        len: usize,
        out: &mut [u8],
    ) -> Result<(usize, usize), Error> {
        if self.our_state() == State::Error {
            return Err(Error::local(ErrorKind::ConnectionErrored));
        }
        let mut w = Writer::new(out);
        let r = self.send_body(len, None, &mut w);
        self.encoded(r, false)
            .map(|before| (before, w.len() - before))
    }

    fn encode_inner(&mut self, event: &Event<'_, '_>, w: &mut Writer<'_>) -> Result<(), Error> {
        match *event {
            Event::Request(ref req) => self.send_request(req, w),
            Event::InformationalResponse(ref res) => self.send_interim(res, w),
            Event::Response(ref res) => self.send_response(res, w),
            Event::Data(data) => self.send_body(data.len(), Some(data), w).map(|_| ()),
            Event::EndOfMessage(trailers) => {
                match self.send {
                    Outgoing::Length(n) if n > 0 => {
                        return Err(Error::local(ErrorKind::BodyLengthMismatch))
                    }
                    Outgoing::Chunked => write_last_chunk(w, trailers)?,
                    _ if !trailers.is_empty() => return Err(Error::local(ErrorKind::IllegalEvent)),
                    _ => {}
                }
                let mut states = self.states;
                states.process(self.role, EventType::EndOfMessage, None)?;
                w.fits()?;
                self.states = states;
                if self.role == Role::Client {
                    self.set(flag::CLIENT_WAITING_100, false);
                }
                Ok(())
            }
            // writes nothing, and `process` changes nothing when it refuses
            Event::ConnectionClosed => {
                self.states
                    .process(self.role, EventType::ConnectionClosed, None)
            }
            Event::NeedData | Event::Paused => Err(Error::local(ErrorKind::IllegalEvent)),
        }
    }

    /// `len` bytes of body data, written from `data` or (`None`) by the caller between the
    /// framing written before and after them; returns the length of the framing before.
    fn send_body(
        &mut self,
        len: usize,
        data: Option<&[u8]>,
        w: &mut Writer<'_>,
    ) -> Result<usize, Error> {
        let mut states = self.states;
        states.process(self.role, EventType::Data, None)?;
        let mut send = self.send;
        let mut before = 0;
        match send {
            Outgoing::Length(n) if (len as u64) <= n => {
                send = Outgoing::Length(n - len as u64);
                w.put(data.unwrap_or_default());
            }
            Outgoing::Chunked => before = write_chunk_parts(w, len, data),
            Outgoing::UntilClose => w.put(data.unwrap_or_default()),
            _ if len == 0 => {}
            _ => return Err(Error::local(ErrorKind::BodyLengthMismatch)),
        }
        w.fits()?;
        self.states = states;
        self.send = send;
        if self.role == Role::Client {
            self.set(flag::CLIENT_WAITING_100, false);
        }
        Ok(before)
    }

    fn send_request(&mut self, req: &Request<'_, '_>, w: &mut Writer<'_>) -> Result<(), Error> {
        if self.role != Role::Client {
            return Err(Error::local(ErrorKind::IllegalEvent));
        }
        let strict = Config::default();
        let fields = framing::read_fields(req.headers, &[], &strict, true)?;
        let body = framing::request_body(&fields, req.version, &strict)?;
        let body = framing::check_connect(req.method, body)?;
        let mut states = self.states;
        states.proposals |= super::request_proposals(req.method, &fields);
        states.process(Role::Client, EventType::Request, None)?;
        write_request_head(
            w,
            req.method,
            req.target,
            req.version,
            req.headers,
            Extra::default(),
        )?;
        w.fits()?;
        self.states = states;
        self.note_request(
            req.method,
            req.version,
            &fields,
            head_bit::SENT_EXPECT_UNKNOWN,
        );
        self.send = body.into();
        self.sent_head(req.version, fields.te_coded);
        Ok(())
    }

    fn peer_is_http10(&self) -> bool {
        self.has(flag::THEIR_VERSION_10)
    }

    fn send_interim(&mut self, res: &Response<'_, '_>, w: &mut Writer<'_>) -> Result<(), Error> {
        if self.role != Role::Server {
            return Err(Error::local(ErrorKind::IllegalEvent));
        }
        if !(100..200).contains(&res.status) {
            return Err(Error::local(ErrorKind::InvalidStatus));
        }
        if self.peer_is_http10() {
            return Err(Error::local(ErrorKind::InterimToHttp10));
        }
        let switch = (res.status == 101).then_some(Switch::Upgrade);
        let mut states = self.states;
        states.process(Role::Server, EventType::Interim, switch)?;
        write_response_head(
            w,
            res.status,
            res.reason,
            res.version,
            res.headers,
            Extra::default(),
        )?;
        w.fits()?;
        self.states = states;
        if res.status == 100 {
            self.set(flag::CLIENT_WAITING_100, false);
        }
        self.sent_head(res.version, false);
        Ok(())
    }

    fn send_response(&mut self, res: &Response<'_, '_>, w: &mut Writer<'_>) -> Result<(), Error> {
        if self.role != Role::Server {
            return Err(Error::local(ErrorKind::IllegalEvent));
        }
        if !(200..=999).contains(&res.status) {
            return Err(Error::local(ErrorKind::InvalidStatus));
        }
        let (fields, valid_field) = framing::read_sent_response_fields(res.headers)?;
        let head = self.has(flag::REQUEST_HEAD);
        let connect = self.has(flag::REQUEST_CONNECT);
        let switch = (connect && res.status < 300).then_some(Switch::Connect);
        // decide the headers as for GET, so a HEAD response announces what GET would send
        let (kind, _) = framing::response_body(&fields, res.version, res.status, false, connect)?;
        let mut extra = Extra {
            valid_field,
            ..Extra::default()
        };
        let mut need_close = false; // the framing needs the connection to close
        let known_11 = self.has(flag::THEIR_VERSION_KNOWN) && !self.peer_is_http10();
        let mut send = match kind {
            BodyKind::Empty => Outgoing::Length(0),
            BodyKind::Length(n) => Outgoing::Length(n),
            BodyKind::Chunked | BodyKind::UntilClose if known_11 => {
                extra.drop_content_length = true;
                extra.drop_transfer_encoding = true;
                extra.add_chunked = true;
                Outgoing::Chunked
            }
            BodyKind::Chunked | BodyKind::UntilClose => {
                extra.drop_content_length = true;
                extra.drop_transfer_encoding = true;
                need_close |= !head;
                Outgoing::UntilClose
            }
        };
        if head || res.status == 204 || res.status == 304 || switch.is_some() {
            send = Outgoing::Length(0);
        }
        let mut states: States = self.states;
        states.process(Role::Server, EventType::Response, switch)?;
        // a final response instead of 100 Continue: whether the body follows is the client's
        // choice, so the stream cannot be reused (a body already arriving can still be read)
        let body_may_never_come =
            states.client == State::SendBody && self.they_are_waiting_for_100_continue();
        let we_close =
            need_close || body_may_never_come || self.peer_is_http10() || !states.keep_alive;
        if we_close || fields.close {
            states.disable_keep_alive();
        }
        // As h11 does: a connection that closes whatever the response says gets one
        // `Connection: close` in place of the caller's Connection fields; a response that closes
        // it by its own `Connection: close` goes out as given.
        extra.add_close = we_close && switch.is_none();
        write_response_head(w, res.status, res.reason, res.version, res.headers, extra)?;
        w.fits()?;
        self.states = states;
        self.send = send;
        self.set(flag::CLIENT_WAITING_100, false);
        self.sent_head(
            res.version,
            fields.te_coded && !extra.drop_transfer_encoding,
        );
        Ok(())
    }

    /// Records that a head of `version` was just written (its body transfer-coded besides
    /// `chunked` or not), for [`Connection::sent`].
    fn sent_head(&mut self, version: Version, coded: bool) {
        self.heads |= head_bit::SENT_FRESH;
        if coded {
            self.heads |= head_bit::SENT_CODED;
        } else {
            self.heads &= !head_bit::SENT_CODED;
        }
        if version == Version::Http10 {
            self.heads |= head_bit::SENT_HTTP10;
        } else {
            self.heads &= !head_bit::SENT_HTTP10;
        }
    }
}
