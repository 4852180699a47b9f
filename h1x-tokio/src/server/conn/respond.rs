//! The service and the response: calling the service, interim responses it queues, the final
//! head and body, the end of an exchange, error answers.

use super::*;

impl<I, S> Connection<I, S>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    pub(super) fn poll_service<B>(&mut self, cx: &mut Context<'_>) -> bool
    where
        S: Service<Request<Body>, Response = Response<B>>,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        if let Phase::Ready(req) = &mut self.phase {
            match self.service.poll_ready(cx) {
                Poll::Ready(Ok(())) => {
                    let Some(req) = req.take() else {
                        return false;
                    };
                    self.fut.put(self.service.call(req));
                    self.phase = Phase::Service;
                    // and poll it at once: most handlers answer on their first poll
                    self.poll_service(cx);
                    return true;
                }
                Poll::Ready(Err(_)) => {
                    self.respond_error(StatusCode::SERVICE_UNAVAILABLE, "service unavailable");
                    return true;
                }
                Poll::Pending => return false,
            }
        }
        match self.phase {
            Phase::Service => {
                let Some(fut) = self.fut.get::<S::Future>() else {
                    return false;
                };
                match fut.poll(cx) {
                    Poll::Ready(Ok(res)) => {
                        self.fut.clear();
                        self.send_interims();
                        self.start_response(res);
                        true
                    }
                    Poll::Ready(Err(_)) => {
                        self.fut.clear();
                        self.send_interims();
                        self.respond_error(StatusCode::INTERNAL_SERVER_ERROR, "the service failed");
                        true
                    }
                    Poll::Pending => self.send_interims(),
                }
            }
            Phase::Body(_) => self.send_interims(),
            _ => false,
        }
    }

    /// Encode the interim responses the handler queued (h1x checks each); `true` if any.
    pub(super) fn send_interims(&mut self) -> bool {
        let Some(ex) = &self.ex else {
            return false;
        };
        let Some(queue) = ex.take_queue() else {
            return false;
        };
        for q in queue {
            let sent = self
                .codec
                .interim_to(q.status, &q.headers, &mut self.write_buf)
                .map_err(InterimError::refused);
            if let Some(ack) = q.ack {
                let _ = ack.send(sent);
            }
        }
        true
    }

    pub(super) fn start_response<B>(&mut self, res: Response<B>)
    where
        B: http_body::Body + Send + 'static,
    {
        let (mut parts, body) = res.into_parts();
        if parts.status == StatusCode::SWITCHING_PROTOCOLS {
            match self
                .codec
                .interim_to(parts.status, &parts.headers, &mut self.write_buf)
            {
                Ok(()) => self.phase = Phase::Upgrading,
                Err(_) => self.respond_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "101 to a request that proposed no upgrade",
                ),
            }
            return;
        }
        if parts.status.is_informational() {
            self.respond_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "a 1xx as the final response",
            );
            return;
        }
        let body_dropped = self.ex.as_ref().is_some_and(|ex| ex.is_body_dropped());
        let unread =
            self.req_body == ReqBody::Streaming && body_dropped && !self.discard_buffered_body();
        if unread || self.shutdown {
            // nobody will read the rest of the request: this connection cannot be reused
            parts
                .headers
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        let content_length = if body.is_end_stream() {
            Some(0)
        } else {
            body.size_hint().exact()
        };
        let head = ResponseHead {
            status: parts.status,
            headers: &parts.headers,
            content_length,
        };
        if let Err(e) = self.codec.encode_response_head(&head, &mut self.write_buf) {
            let _ = e;
            self.respond_error(StatusCode::INTERNAL_SERVER_ERROR, "invalid response head");
            return;
        }
        // the next request's fields go into this map's memory (moved out of `parts`: no empty
        // map left behind to drop)
        let http::response::Parts { headers, .. } = parts;
        self.codec.recycle_headers(headers);
        if !self.codec.response_has_body() || content_length == Some(0) {
            self.finish_response(None);
        } else {
            self.body.put(body);
            self.phase = Phase::Body(None);
        }
    }

    pub(super) fn poll_response_body<B>(&mut self, cx: &mut Context<'_>) -> Result<bool, Error>
    where
        B: http_body::Body + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let Phase::Body(trailers) = &mut self.phase else {
            return Ok(false);
        };
        let Some(mut body) = self.body.get::<B>() else {
            return Ok(false);
        };
        let mut progress = false;
        while self.write_buf.len() < HIGH_WATER {
            match body.as_mut().poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    progress = true;
                    match frame.into_data() {
                        Ok(d) if !d.has_remaining() => {}
                        Ok(mut d) => {
                            let d = d.copy_to_bytes(d.remaining());
                            self.codec
                                .encode_to(Outgoing::Data(&d), &mut self.write_buf)
                                .map_err(Error::codec)?
                        }
                        Err(frame) => {
                            if let Ok(t) = frame.into_trailers() {
                                *trailers = Some(t);
                            }
                        }
                    }
                }
                Poll::Ready(None) => {
                    let trailers = trailers.take();
                    self.finish_response(trailers);
                    return Ok(true);
                }
                Poll::Ready(Some(Err(e))) => return Err(Error::body(e.into())),
                Poll::Pending => break,
            }
        }
        Ok(progress)
    }

    /// The response body is complete: end it, then the next request or close.
    pub(super) fn finish_response(&mut self, trailers: Option<HeaderMap>) {
        if let Err(e) = self
            .codec
            .encode_to(Outgoing::End(trailers.as_ref()), &mut self.write_buf)
        {
            let _ = e;
            self.phase = Phase::Closing(None);
            return;
        }
        let dropped = self.ex.as_ref().map_or(true, |ex| ex.is_body_dropped());
        if self.req_body == ReqBody::Streaming && dropped {
            self.discard_buffered_body();
        }
        self.end_exchange(Some(BodyError::closed()));
        if self.req_body == ReqBody::Complete && !self.shutdown && self.codec.start_next_cycle() {
            self.phase = Phase::Idle;
            self.idle_since = None;
            self.head_since = None;
        } else {
            // the client may have sent more (pipelined requests, an unread body): read and
            // drop it for a while after our FIN, so that it does not reset the answer away
            self.phase = Phase::Closing(Some(Instant::now() + self.settings.linger));
        }
    }

    pub(super) fn end_exchange(&mut self, error: Option<BodyError>) {
        if let Some(ex) = self.ex.take() {
            self.spare_ex = Exchange::finish(ex, error);
        }
        self.upgrade = None;
    }

    /// An idle connection's empty buffers give their memory back: idle connections cost little.
    pub(super) fn release_idle_buffers(&mut self) {
        if self.read_buf.is_empty() {
            self.read_buf = BytesMut::new();
        }
        self.write_buf.release();
        self.codec.release_spare();
        self.spare_ex = None;
        self.fut.release();
        self.body.release();
    }

    // -- errors

    pub(super) fn protocol_error(&mut self, e: CodecError) {
        match e.status() {
            Some(status) => self.respond_error(status, &e.to_string()),
            None => {
                self.end_exchange(Some(BodyError::closed()));
                self.phase = Phase::Closing(None);
            }
        }
    }

    /// Answer `status` with `Connection: close` if no response started yet; then close. The
    /// handler, if any, is dropped.
    pub(super) fn respond_error(&mut self, status: StatusCode, message: &str) {
        self.end_exchange(Some(BodyError::closed()));
        let linger = Some(Instant::now() + self.settings.linger);
        self.phase = Phase::Closing(linger);
        let conn = self.codec.conn();
        if !matches!(conn.our_state(), State::Idle | State::SendResponse) {
            return;
        }
        let body = format!("{} {}\n", status, message);
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
        let head = ResponseHead {
            status,
            headers: &headers,
            content_length: Some(body.len() as u64),
        };
        let _ = self
            .codec
            .encode_response_head(&head, &mut self.write_buf)
            .map_err(CodecError::from)
            .and_then(|()| {
                if self.codec.response_has_body() {
                    self.codec
                        .encode_to(Outgoing::Data(body.as_bytes()), &mut self.write_buf)?;
                }
                self.codec
                    .encode_to(Outgoing::End(None), &mut self.write_buf)
            });
    }
}
