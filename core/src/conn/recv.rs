//! The receiving side: heads, bodies and trailers from the peer, checked against the state table.

use super::state::{EventType, Switch, PROPOSED_UPGRADE};
use super::{flag, head_bit, Connection, Event, Recv, Role, State};
use crate::body::{framing, BodyKind, Chunk};
use crate::head::scan::{ScanLimits, SectionScanner};
use crate::head::{self, parse, HeadKind, Header, Request, Response, StartLine, Version};
use crate::{Error, ErrorKind};

type Decoded<'b, 'h> = Result<(usize, Event<'b, 'h>), Error>;

impl Connection {
    /// Decode the next event from `buf`, the peer's bytes not yet consumed. Returns how many
    /// bytes the event consumed (drop them before the next call) and the event.
    ///
    /// `NeedData` means: append more bytes (or call [`receive_eof`](Self::receive_eof)) and call
    /// again; it may still consume bytes (framing, skipped empty lines). Slices in the event point
    /// into `buf`; headers are stored in `headers`, whose length is the header-count limit.
    ///
    /// Any error moves the peer's state to `ERROR`; the error says what, where (counting from
    /// the first byte ever received) and which status to answer.
    ///
    /// ```
    /// use h1x::{Connection, Event, Header, Role};
    /// let mut client = Connection::new(Role::Client);
    /// let mut out = [0u8; 128];
    /// client.encode(&Event::request("GET", "/", &[Header::new("Host", "a")]), &mut out).unwrap();
    /// client.encode(&Event::end(), &mut out).unwrap();
    ///
    /// let wire = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
    /// let mut headers = [Header::EMPTY; 8];
    /// let (n, ev) = client.decode(wire, &mut headers).unwrap();
    /// assert!(matches!(ev, Event::InformationalResponse(r) if r.status == 103 && r.headers.len() == 1));
    /// let (_, ev) = client.decode(&wire[n..], &mut headers).unwrap();
    /// assert!(matches!(ev, Event::Response(r) if r.status == 204));
    /// ```
    pub fn decode<'b, 'h>(
        &mut self,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
    ) -> Decoded<'b, 'h> {
        if self.their_state() == State::Error {
            return Err(Error::remote(
                ErrorKind::ConnectionErrored,
                self.offset as usize,
            ));
        }
        let heads = self.heads;
        self.heads &= !head_bit::RECV_FRESH;
        match self.decode_inner(buf, headers) {
            Ok((n, ev)) => {
                self.offset += n as u64;
                Ok((n, ev))
            }
            // the caller may retry with more header storage: nothing changed
            Err(e) if e.kind() == ErrorKind::TooManyHeaders => {
                self.heads = heads;
                Err(e.shifted(self.offset as usize))
            }
            Err(e) => {
                self.states.fail(self.role.peer());
                // state-table refusals of the peer's events are the peer's fault
                let at = e.offset() + self.offset as usize;
                Err(Error::remote(
                    e.kind(),
                    if e.is_remote() {
                        at
                    } else {
                        self.offset as usize
                    },
                ))
            }
        }
    }

    fn decode_inner<'b, 'h>(
        &mut self,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
    ) -> Decoded<'b, 'h> {
        let eof = self.has(flag::EOF);
        match self.their_state() {
            State::Done if !buf.is_empty() => return Ok((0, Event::Paused)),
            State::MightSwitchProtocol | State::SwitchedProtocol => return Ok((0, Event::Paused)),
            State::Done | State::MustClose | State::Closed => {
                return if !buf.is_empty() {
                    Err(Error::remote(ErrorKind::UnexpectedData, 0))
                } else if eof {
                    self.closed()
                } else {
                    Ok((0, Event::NeedData))
                };
            }
            State::Error => return Err(Error::remote(ErrorKind::ConnectionErrored, 0)),
            State::Idle | State::SendResponse | State::SendBody => {}
        }
        match self.recv {
            Recv::Head(scanner) => self.decode_head(scanner, buf, headers, eof),
            Recv::Length(remaining) => {
                if remaining == 0 {
                    return self.end_of_message(0, &[]);
                }
                if buf.is_empty() {
                    return self.need_data(0, eof);
                }
                let n = buf.len().min(remaining.min(usize::MAX as u64) as usize);
                self.recv = Recv::Length(remaining - n as u64);
                self.body_data(n, &buf[..n])
            }
            Recv::UntilClose => {
                if !buf.is_empty() {
                    self.body_data(buf.len(), buf)
                } else if eof {
                    self.end_of_message(0, &[])
                } else {
                    Ok((0, Event::NeedData))
                }
            }
            Recv::Chunked(mut dec) => {
                let before = self.recv;
                let (n, step) = dec.decode(buf, &self.config)?;
                self.recv = Recv::Chunked(dec);
                match step {
                    Chunk::Data(data, start, end) => {
                        let r = self.body_data(n, data);
                        self.set(flag::DATA_CHUNK_START, start);
                        self.set(flag::DATA_CHUNK_END, end);
                        r
                    }
                    Chunk::NeedData => self.need_data(n, eof),
                    Chunk::Trailers => {
                        self.recv = Recv::Trailers(SectionScanner::default());
                        let (m, ev) = self
                            .decode_trailers(SectionScanner::default(), &buf[n..], headers, eof)
                            .map_err(|e| {
                                if e.kind() == ErrorKind::TooManyHeaders {
                                    // unchanged, for a retry with more header storage
                                    self.recv = before;
                                }
                                e.shifted(n)
                            })?;
                        Ok((n + m, ev))
                    }
                }
            }
            Recv::Trailers(scanner) => self.decode_trailers(scanner, buf, headers, eof),
        }
    }

    fn need_data<'b, 'h>(&mut self, consumed: usize, eof: bool) -> Decoded<'b, 'h> {
        if eof {
            Err(Error::remote(ErrorKind::IncompleteMessage, consumed))
        } else {
            Ok((consumed, Event::NeedData))
        }
    }

    /// The peer closed cleanly.
    fn closed<'b, 'h>(&mut self) -> Decoded<'b, 'h> {
        self.states
            .process(self.role.peer(), EventType::ConnectionClosed, None)
            .map_err(|_| Error::remote(ErrorKind::IncompleteMessage, 0))?;
        Ok((0, Event::ConnectionClosed))
    }

    fn body_data<'b, 'h>(&mut self, consumed: usize, data: &'b [u8]) -> Decoded<'b, 'h> {
        self.states
            .process(self.role.peer(), EventType::Data, None)?;
        // no chunk boundaries (the chunked path sets them after this call: `chunk_boundaries`)
        self.flags &= !(flag::DATA_CHUNK_START | flag::DATA_CHUNK_END);
        if self.role == Role::Server {
            self.set(flag::CLIENT_WAITING_100, false);
        }
        Ok((consumed, Event::Data(data)))
    }

    fn end_of_message<'b, 'h>(
        &mut self,
        consumed: usize,
        trailers: &'h [Header<'b>],
    ) -> Decoded<'b, 'h> {
        self.states
            .process(self.role.peer(), EventType::EndOfMessage, None)?;
        if self.role == Role::Server {
            self.set(flag::CLIENT_WAITING_100, false);
        }
        // nothing more is read in this cycle: the next head starts afresh
        self.recv = Recv::Head(SectionScanner::default());
        Ok((consumed, Event::EndOfMessage(trailers)))
    }

    fn decode_trailers<'b, 'h>(
        &mut self,
        mut scanner: SectionScanner,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
        eof: bool,
    ) -> Decoded<'b, 'h> {
        let cfg = self.config;
        let limits = ScanLimits {
            max_bytes: cfg.max_trailer_bytes as usize,
            max_line: cfg.max_line_bytes as usize,
            too_large: ErrorKind::TrailerTooLarge,
            first_line_kind: ErrorKind::LineTooLong,
        };
        let Some(end) = scanner.find_end(buf, &limits)? else {
            self.recv = Recv::Trailers(scanner);
            return self.need_data(0, eof);
        };
        let n = match parse::fields(&buf[..end], 0, headers, &cfg, false)? {
            Some((n, _)) => n,
            None => return Err(Error::remote(ErrorKind::InvalidHeaderValue, end)),
        };
        let trailers: &'h [Header<'b>] = &headers[..n];
        self.end_of_message(end, trailers)
    }

    fn decode_head<'b, 'h>(
        &mut self,
        mut scanner: SectionScanner,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
        eof: bool,
    ) -> Decoded<'b, 'h> {
        let cfg = self.config;
        let (kind, skip) = match self.role {
            Role::Server => (
                HeadKind::Request,
                if scanner.is_fresh() {
                    head::skip_empty_lines(buf, &cfg)
                } else {
                    0
                },
            ),
            Role::Client => (HeadKind::Response, 0),
        };
        let buf_head = &buf[skip..];
        if buf_head.is_empty() {
            if eof {
                return if skip == 0 {
                    self.closed()
                } else {
                    Ok((skip, Event::NeedData))
                };
            }
            return Ok((skip, Event::NeedData));
        }
        let parsed = head::parse_head(&mut scanner, kind, buf_head, headers, &cfg)
            .map_err(|e| e.shifted(skip))?;
        let Some((line, n, end)) = parsed else {
            self.recv = Recv::Head(scanner);
            return self.need_data(skip, eof);
        };
        self.recv = Recv::Head(SectionScanner::default());
        let headers: &'h [Header<'b>] = &headers[..n];
        let consumed = skip + end;
        // RFC 9112 6.3 rule 1: a 1xx ends at its empty line regardless of its fields, so its
        // Content-Length / Transfer-Encoding are neither used nor validated (found by fuzzing)
        let interim = matches!(line, StartLine::Response(ref l) if l.status < 200);
        let fields = if interim {
            framing::Fields::default()
        } else {
            framing::read_fields(headers, buf, &cfg, kind == HeadKind::Request)?
        };
        match line {
            StartLine::Request(l) => {
                let body = framing::request_body(&fields, l.version, &cfg)
                    .and_then(|body| framing::check_connect(l.method, body))
                    .map_err(|e| {
                        if e.offset() == 0 {
                            Error::remote(e.kind(), skip)
                        } else {
                            e
                        }
                    })?;
                let req = Request {
                    method: l.method,
                    target: l.target,
                    version: l.version,
                    headers,
                };
                self.received_request(&req, &fields, body)?;
                self.received_head(fields.te_coded);
                Ok((consumed, Event::Request(req)))
            }
            StartLine::Response(l) => {
                let res = Response {
                    status: l.status,
                    reason: l.reason,
                    version: l.version,
                    headers,
                };
                self.received_response(&res, &fields)
                    .map_err(|e| {
                        if e.is_remote() {
                            e
                        } else {
                            Error::remote(e.kind(), 0)
                        }
                    })
                    .map(|interim| {
                        self.received_head(fields.te_coded);
                        let ev = if interim {
                            Event::InformationalResponse(res)
                        } else {
                            Event::Response(res)
                        };
                        (consumed, ev)
                    })
            }
        }
    }

    /// Records that a head was just decoded, for [`Connection::received`].
    fn received_head(&mut self, coded: bool) {
        self.heads |= head_bit::RECV_FRESH;
        if coded {
            self.heads |= head_bit::RECV_CODED;
        } else {
            self.heads &= !head_bit::RECV_CODED;
        }
    }

    fn set_their_version(&mut self, v: Version) {
        self.flags |= flag::THEIR_VERSION_KNOWN;
        self.set(flag::THEIR_VERSION_10, v == Version::Http10);
    }

    fn received_request(
        &mut self,
        req: &Request<'_, '_>,
        fields: &framing::Fields,
        body: BodyKind,
    ) -> Result<(), Error> {
        self.states.proposals |= super::request_proposals(req.method, fields);
        self.states
            .process(Role::Client, EventType::Request, None)?;
        self.set_their_version(req.version);
        self.note_request(
            req.method,
            req.version,
            fields,
            head_bit::RECV_EXPECT_UNKNOWN,
        );
        self.recv = body.into();
        Ok(())
    }

    /// Applies a response head; returns whether it was interim.
    fn received_response(
        &mut self,
        res: &Response<'_, '_>,
        fields: &framing::Fields,
    ) -> Result<bool, Error> {
        // A final response before any request is the server's to send (e.g. `408 Request
        // Timeout` on an idle keep-alive connection, RFC 9110 section 15.5.9; h11 allows it
        // too): the state table takes it from IDLE. An interim response needs a request.
        if self.states.client == State::Idle && res.status < 200 {
            return Err(Error::remote(ErrorKind::UnexpectedResponse, 0));
        }
        self.set_their_version(res.version);
        if res.status < 200 {
            let switch = if res.status == 101 {
                if self.states.proposals & PROPOSED_UPGRADE == 0 {
                    return Err(Error::remote(ErrorKind::UnexpectedSwitch, 9));
                }
                Some(Switch::Upgrade)
            } else {
                None
            };
            self.states
                .process(Role::Server, EventType::Interim, switch)?;
            if res.status == 100 {
                self.set(flag::CLIENT_WAITING_100, false);
            }
            // an interim response never has a body, whatever its fields say: the next head follows
            return Ok(true);
        }
        let connect = self.has(flag::REQUEST_CONNECT);
        let switch = (connect && res.status < 300).then_some(Switch::Connect);
        let (body, close) = framing::response_body(
            fields,
            res.version,
            res.status,
            self.has(flag::REQUEST_HEAD),
            connect,
        )?;
        self.states
            .process(Role::Server, EventType::Response, switch)?;
        self.set(flag::CLIENT_WAITING_100, false);
        if close || fields.close || res.version == Version::Http10 {
            self.states.disable_keep_alive();
        }
        self.recv = body.into();
        Ok(false)
    }
}
