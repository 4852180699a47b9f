//! Writing and closing: the write buffer to the socket, the lingering close, the hand-over of
//! the socket after an upgrade.

use super::*;

impl<I, S> Connection<I, S>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    pub(super) fn poll_write(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let Some(io) = self.io.as_mut() else {
            self.write_buf.clear();
            return Ok(false);
        };
        let mut progress = false;
        while !self.write_buf.is_empty() {
            match Pin::new(&mut *io).poll_write(cx, self.write_buf.pending()) {
                Poll::Ready(Ok(0)) => {
                    self.codec.send_failed();
                    return Err(Error::io(io::ErrorKind::WriteZero.into()));
                }
                Poll::Ready(Ok(n)) => {
                    self.write_buf.advance(n);
                    progress = true;
                }
                Poll::Ready(Err(e)) => {
                    self.codec.send_failed();
                    return Err(Error::io(e));
                }
                Poll::Pending => return Ok(progress),
            }
        }
        if progress {
            if let Poll::Ready(Err(e)) = Pin::new(&mut *io).poll_flush(cx) {
                return Err(Error::io(e));
            }
        }
        Ok(progress)
    }

    /// Shut the write side, then read (and drop) until the client closes or the linger time
    /// passes, so that unread request bytes do not turn into a reset that destroys the answer.
    pub(super) fn poll_close(&mut self, cx: &mut Context<'_>) -> Result<Poll<()>, Error> {
        let Some(io) = self.io.as_mut() else {
            return Ok(Poll::Ready(()));
        };
        if Pin::new(&mut *io).poll_shutdown(cx).is_pending() {
            return Ok(Poll::Pending);
        }
        let Phase::Closing(Some(_)) = self.phase else {
            self.io = None;
            return Ok(Poll::Ready(()));
        };
        let mut scratch = [0u8; 4096];
        loop {
            let mut rb = ReadBuf::new(&mut scratch);
            match Pin::new(&mut *io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) if rb.filled().is_empty() => break,
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(_)) => break,
                Poll::Pending => return Ok(Poll::Pending),
            }
        }
        self.io = None;
        Ok(Poll::Ready(()))
    }

    /// After the 101: the socket and the bytes already read go to the handler's `OnUpgrade`.
    pub(super) fn hand_over(&mut self) {
        let rest: Bytes = self.read_buf.split().freeze();
        if let (Some(io), Some(tx)) = (self.io.take(), self.upgrade.take()) {
            let _ = tx.send(Upgraded::new(Box::new(io), rest));
        }
        self.end_exchange(None);
    }
}
