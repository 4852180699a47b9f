//! The reading side: bytes from the socket, request heads, body pieces handed to the handler
//! when it asks (backpressure), `100 Continue` on its first ask.

use super::*;

impl<I, S> Connection<I, S>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    /// Read more bytes into the read buffer; `Ok(true)` when something happened.
    pub(super) fn fill(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        if self.eof || self.read_blocked {
            return Ok(false);
        }
        let Some(io) = self.io.as_mut() else {
            return Ok(false);
        };
        let n = if self.read_buf.capacity() == 0 {
            // an idle connection holds no buffer: read into the stack, keep what came (in a
            // buffer of about its size: a request head, maybe a small body)
            let mut stack = [MaybeUninit::<u8>::uninit(); READ_CHUNK];
            let mut rb = ReadBuf::uninit(&mut stack);
            match Pin::new(io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => {
                    let got = rb.filled();
                    if !got.is_empty() {
                        self.read_buf.reserve(got.len().max(1024));
                        self.read_buf.extend_from_slice(got);
                    }
                    got.len()
                }
                Poll::Ready(Err(e)) => return Err(Error::io(e)),
                Poll::Pending => {
                    self.read_blocked = true;
                    return Ok(false);
                }
            }
        } else {
            if self.read_buf.capacity() - self.read_buf.len() < 1024 {
                self.read_buf.reserve(READ_CHUNK);
            }
            match tokio_util::io::poll_read_buf(Pin::new(io), cx, &mut self.read_buf) {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Err(Error::io(e)),
                Poll::Pending => {
                    self.read_blocked = true;
                    return Ok(false);
                }
            }
        };
        if n == 0 {
            self.eof = true;
            self.codec.receive_eof();
        }
        Ok(true)
    }

    pub(super) fn poll_read(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        match self.phase {
            Phase::Idle => self.read_head(cx),
            Phase::Ready(_) | Phase::Service | Phase::Body(_) => match self.req_body {
                ReqBody::Streaming => self.read_body(cx),
                ReqBody::Complete => {
                    // watch for the client vanishing while the handler works; what arrives
                    // (a pipelined request) waits in the buffer
                    if matches!(self.phase, Phase::Service) && self.read_buf.len() < READ_AHEAD {
                        self.fill(cx)
                    } else {
                        Ok(false)
                    }
                }
            },
            Phase::Upgrading | Phase::Closing(_) => Ok(false),
        }
    }

    pub(super) fn read_head(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        if self.read_buf.is_empty() {
            if self.shutdown {
                self.phase = Phase::Closing(None);
                return Ok(true);
            }
            if !self.eof {
                // nothing to decode yet
                return self.fill(cx);
            }
        }
        match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::Head(head))) => {
                self.start_exchange(head);
                Ok(true)
            }
            Ok(Some(_)) => Err(Error::internal("body event without a request")),
            Ok(None) => {
                if self.codec.conn().their_state() == State::Closed {
                    self.phase = Phase::Closing(None);
                    return Ok(true);
                }
                self.fill(cx)
            }
            Err(e) => {
                self.protocol_error(e);
                Ok(true)
            }
        }
    }

    pub(super) fn read_body(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let Some(ex) = self.ex.clone() else {
            return Ok(false);
        };
        if ex.is_body_dropped() {
            // nobody reads the rest: drop what is already here, never read more for it
            self.discard_buffered_body();
            return Ok(false);
        }
        if !ex.wants_data() {
            return Ok(false);
        }
        if self.codec.conn().they_are_waiting_for_100_continue()
            && self.codec.conn().our_state() == State::SendResponse
        {
            let _ =
                self.codec
                    .interim_to(StatusCode::CONTINUE, &HeaderMap::new(), &mut self.write_buf);
        }
        match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::Data(d))) => {
                ex.push_data(d);
                self.body_since = None;
                Ok(true)
            }
            Ok(Some(Incoming::End(trailers))) => {
                ex.push_end(trailers);
                self.req_body = ReqBody::Complete;
                Ok(true)
            }
            Ok(Some(Incoming::Head(_))) => Err(Error::internal("request head inside a body")),
            Ok(None) => self.fill(cx),
            Err(e) => {
                if let CodecError::Protocol(p) = &e {
                    ex.push_error(BodyError::protocol(*p));
                }
                self.protocol_error(e);
                Ok(true)
            }
        }
    }

    /// Decode and drop the request body bytes already buffered; returns whether it ended.
    pub(super) fn discard_buffered_body(&mut self) -> bool {
        while self.req_body == ReqBody::Streaming {
            match self.codec.decode_next(&mut self.read_buf) {
                Ok(Some(Incoming::End(_))) => self.req_body = ReqBody::Complete,
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => return false,
            }
        }
        true
    }

    pub(super) fn start_exchange(&mut self, head: RequestHead) {
        self.head_since = None;
        if head.unknown_expectation() {
            self.respond_error(
                StatusCode::EXPECTATION_FAILED,
                "only 100-continue is supported",
            );
            return;
        }
        if head.transfer_coded() && !self.settings.pass_transfer_coded {
            self.respond_error(
                StatusCode::NOT_IMPLEMENTED,
                "transfer codings other than chunked are not supported",
            );
            return;
        }
        let length = head.body_length();
        let upgrade = head.wants_upgrade();
        let request = head.request;
        let ex = self.spare_ex.take().unwrap_or_default();
        // a body that is already complete (none, or all here) needs no streaming
        self.req_body = ReqBody::Streaming;
        let body = match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::End(None))) => {
                self.req_body = ReqBody::Complete;
                Body::empty()
            }
            Ok(Some(Incoming::End(Some(trailers)))) => {
                self.req_body = ReqBody::Complete;
                ex.push_end(Some(trailers));
                Body::streaming(ex.clone(), Some(0))
            }
            Ok(Some(Incoming::Data(d))) => {
                // the whole body is here: take its end too, the handler needs no round trip
                if length == Some(d.len() as u64) {
                    if let Ok(Some(Incoming::End(trailers))) =
                        self.codec.decode_next(&mut self.read_buf)
                    {
                        ex.push_end(trailers);
                        self.req_body = ReqBody::Complete;
                    }
                }
                ex.push_data(d);
                Body::streaming(ex.clone(), length)
            }
            Ok(Some(Incoming::Head(_))) | Ok(None) => Body::streaming(ex.clone(), length),
            Err(e) => {
                self.protocol_error(e);
                return;
            }
        };
        let mut request = request.map(|()| body);
        request.extensions_mut().insert(Interim::new(ex.clone()));
        if upgrade {
            let (tx, on) = OnUpgrade::pair();
            self.upgrade = Some(tx);
            request.extensions_mut().insert(on);
        }
        self.ex = Some(ex);
        self.registered = false;
        self.body_since = None;
        self.phase = Phase::Ready(Some(request));
    }
}
