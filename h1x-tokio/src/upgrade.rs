//! Protocol switches (`Upgrade` + `101 Switching Protocols`, `CONNECT` + 2xx): the connection
//! hands its socket and the bytes it had already read to the handler.
//!
//! hyper's `hyper::upgrade::OnUpgrade` (which axum's `WebSocketUpgrade` looks for) cannot be
//! constructed outside hyper, so h1x-tokio puts its own [`OnUpgrade`] in the extensions of every
//! request that proposes a switch. Return a `101` response (with the `Upgrade` and `Connection`
//! fields) and await the handle in a spawned task: it gives the [`Upgraded`] stream, on which a
//! WebSocket library such as tokio-tungstenite runs (`WebSocketStream::from_raw_socket`).
//!
//! ```no_run
//! use axum::{body::Body, http::{Request, Response, StatusCode}};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! async fn echo(mut req: Request<Body>) -> Response<Body> {
//!     let on_upgrade = h1x_tokio::upgrade::on(&mut req);
//!     tokio::spawn(async move {
//!         let mut io = on_upgrade.await.unwrap();
//!         let mut buf = [0u8; 1024];
//!         while let Ok(n @ 1..) = io.read(&mut buf).await {
//!             let _ = io.write_all(&buf[..n]).await;
//!         }
//!     });
//!     Response::builder()
//!         .status(StatusCode::SWITCHING_PROTOCOLS)
//!         .header("connection", "upgrade")
//!         .header("upgrade", "echo")
//!         .body(Body::empty())
//!         .unwrap()
//! }
//! ```

use bytes::{Buf, Bytes};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::oneshot;

/// A socket the upgraded connection can run on: any tokio socket.
///
/// ```
/// fn takes_io(_: Box<dyn h1x_tokio::upgrade::Io>) {}
/// let (a, _b) = tokio::io::duplex(64);
/// takes_io(Box::new(a));
/// ```
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

pub(crate) type UpgradeSender = oneshot::Sender<Upgraded>;

/// Resolves to the connection's socket once the `101` (or the 2xx to `CONNECT`) was sent.
/// Cloneable so that it can live in request extensions; the first clone awaited takes it
/// (example: the [module](self)).
#[derive(Clone)]
pub struct OnUpgrade {
    rx: Option<Arc<Mutex<Option<oneshot::Receiver<Upgraded>>>>>,
}

impl std::fmt::Debug for OnUpgrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnUpgrade")
    }
}

impl OnUpgrade {
    pub(crate) fn pair() -> (UpgradeSender, OnUpgrade) {
        let (tx, rx) = oneshot::channel();
        (
            tx,
            OnUpgrade {
                rx: Some(Arc::new(Mutex::new(Some(rx)))),
            },
        )
    }

    fn none() -> Self {
        OnUpgrade { rx: None }
    }
}

/// The upgrade handle of `req`: it fails when the request proposed no switch or was not served
/// by h1x-tokio.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let mut req = http::Request::new(());
/// let handle = h1x_tokio::upgrade::on(&mut req); // not served by h1x-tokio
/// assert!(handle.await.is_err());
/// # }
/// ```
pub fn on<B>(req: &mut http::Request<B>) -> OnUpgrade {
    req.extensions_mut()
        .remove::<OnUpgrade>()
        .unwrap_or_else(OnUpgrade::none)
}

impl Future for OnUpgrade {
    type Output = Result<Upgraded, UpgradeError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(shared) = &self.rx else {
            return Poll::Ready(Err(UpgradeError(())));
        };
        let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
        let Some(rx) = slot.as_mut() else {
            drop(slot);
            self.rx = None;
            return Poll::Ready(Err(UpgradeError(())));
        };
        match Pin::new(rx).poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(r) => {
                *slot = None;
                Poll::Ready(r.map_err(|_| UpgradeError(())))
            }
        }
    }
}

/// The request proposed no switch, the response did not accept it, or the connection ended
/// (example: [`on`]).
#[derive(Debug)]
pub struct UpgradeError(());

impl std::fmt::Display for UpgradeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the connection was not upgraded")
    }
}

impl std::error::Error for UpgradeError {}

/// The socket after the switch, reading first the bytes the connection had already read
/// (example: the [module](self)).
pub struct Upgraded {
    io: Box<dyn Io>,
    read_buf: Bytes,
}

impl std::fmt::Debug for Upgraded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upgraded")
            .field("read_buf", &self.read_buf.len())
            .finish()
    }
}

impl Upgraded {
    pub(crate) fn new(io: Box<dyn Io>, read_buf: Bytes) -> Self {
        Upgraded { io, read_buf }
    }

    /// The socket and the bytes read from it that belong to the new protocol, for libraries
    /// that take both (tokio-tungstenite's `WebSocketStream::from_partially_read`).
    ///
    /// ```no_run
    /// # async fn f(on: h1x_tokio::upgrade::OnUpgrade) {
    /// let (io, already_read) = on.await.unwrap().into_parts();
    /// # let _ = (io, already_read);
    /// # }
    /// ```
    pub fn into_parts(self) -> (Box<dyn Io>, Bytes) {
        (self.io, self.read_buf)
    }
}

impl AsyncRead for Upgraded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.read_buf.is_empty() {
            let n = self.read_buf.len().min(buf.remaining());
            buf.put_slice(&self.read_buf[..n]);
            self.read_buf.advance(n);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for Upgraded {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}
