//! Serving a tower service: [`serve`] on a listener, [`serve_connection`] on one socket, and
//! the [`Builder`] with the timeouts and options both use.

mod conn;
mod outbuf;
mod slot;
mod timer;

pub use conn::Connection;

use crate::body::Body;
use http::{Request, Response};
use std::future::{Future, IntoFuture};
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tower_service::Service;

/// A boxed error, as tower and `http-body` use.
///
/// ```
/// let e: h1x_tokio::server::BoxError = "failed".into();
/// assert_eq!(e.to_string(), "failed");
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Options shared by every connection of a server.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub header_read_timeout: Option<Duration>,
    pub keep_alive_timeout: Option<Duration>,
    pub body_read_timeout: Option<Duration>,
    pub linger: Duration,
    pub title_case: bool,
    pub pass_transfer_coded: bool,
    pub nodelay: bool,
    pub config: h1x::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            header_read_timeout: Some(Duration::from_secs(30)),
            keep_alive_timeout: Some(Duration::from_secs(60)),
            body_read_timeout: Some(Duration::from_secs(60)),
            linger: Duration::from_secs(1),
            title_case: false,
            pass_transfer_coded: false,
            nodelay: true,
            config: h1x::Config::default(),
        }
    }
}

/// Server options: timeouts, header case, h1x's limits.
///
/// ```no_run
/// use std::time::Duration;
/// # async fn run(app: axum::Router) {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
/// h1x_tokio::Builder::new()
///     .header_read_timeout(Some(Duration::from_secs(5)))
///     .keep_alive_timeout(Some(Duration::from_secs(30)))
///     .serve(listener, app)
///     .await
///     .unwrap();
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Builder {
    settings: Settings,
}

impl Builder {
    /// The defaults: 30 s to read a head, 60 s keep-alive idle, 60 s of silence while a handler
    /// waits for body bytes, lower-case field names, h1x's strict limits, 501 for transfer
    /// codings besides chunked, `TCP_NODELAY` on.
    ///
    /// ```
    /// use std::time::Duration;
    /// let builder = h1x_tokio::Builder::new()
    ///     .header_read_timeout(Some(Duration::from_secs(5)))
    ///     .keep_alive_timeout(Some(Duration::from_secs(30)))
    ///     .body_read_timeout(None)
    ///     .title_case_headers(true)
    ///     .pass_transfer_coded(false)
    ///     .tcp_nodelay(true)
    ///     .h1x_config(h1x::Config::default().with_max_head_bytes(8 * 1024));
    /// # let _ = builder;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a whole request head may take from its first byte (slowloris): the client gets
    /// 408 and the connection closes. `None`: no limit. (All setters: [`Builder::new`].)
    pub fn header_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.header_read_timeout = timeout;
        self
    }

    /// How long a connection may stay idle between requests (and before the first): it then
    /// closes without a word. `None`: no limit.
    pub fn keep_alive_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.keep_alive_timeout = timeout;
        self
    }

    /// How long a handler waiting for request body bytes waits: then the body fails, the client
    /// gets 408 (when no response started) and the connection closes. `None`: no limit.
    pub fn body_read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.body_read_timeout = timeout;
        self
    }

    /// Write field names in Title-Case (`Content-Type`) rather than lower case.
    pub fn title_case_headers(mut self, on: bool) -> Self {
        self.settings.title_case = on;
        self
    }

    /// Hand request bodies sent with codings besides `chunked` (`Transfer-Encoding: gzip,
    /// chunked`) to the service still coded, as hyper does, instead of answering 501 (the
    /// default: h1x removes only the chunked framing). The service then sees the
    /// `Transfer-Encoding` field and must decode the body itself.
    pub fn pass_transfer_coded(mut self, on: bool) -> Self {
        self.settings.pass_transfer_coded = on;
        self
    }

    /// Set `TCP_NODELAY` on accepted sockets ([`serve`] only; on by default).
    pub fn tcp_nodelay(mut self, on: bool) -> Self {
        self.settings.nodelay = on;
        self
    }

    /// h1x's limits and leniencies (head size, line length, ...).
    pub fn h1x_config(mut self, config: h1x::Config) -> Self {
        self.settings.config = config;
        self
    }

    /// Serve one connection.
    ///
    /// ```no_run
    /// # async fn run(app: axum::Router) {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
    /// let builder = h1x_tokio::Builder::new().title_case_headers(true);
    /// loop {
    ///     let (socket, _) = listener.accept().await.unwrap();
    ///     tokio::spawn(builder.serve_connection(socket, app.clone()));
    /// }
    /// # }
    /// ```
    pub fn serve_connection<I, S>(&self, io: I, service: S) -> Connection<I, S> {
        Connection::new(io, service, Arc::new(self.settings.clone()))
    }

    /// Accept connections on `listener`, each served on its own task by a clone of `service`
    /// (example: [`Builder`]).
    pub fn serve<S>(&self, listener: TcpListener, service: S) -> Serve<S> {
        Serve {
            listener,
            service,
            settings: Arc::new(self.settings.clone()),
        }
    }
}

/// Serve one connection with the default options; `io` is any tokio socket.
///
/// ```no_run
/// # async fn run(app: axum::Router) {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
/// let (socket, _) = listener.accept().await.unwrap();
/// h1x_tokio::serve_connection(socket, app).await.unwrap();
/// # }
/// ```
pub fn serve_connection<I, S>(io: I, service: S) -> Connection<I, S> {
    Builder::new().serve_connection(io, service)
}

/// Serve `service` on `listener` with the default options, like `axum::serve`.
///
/// ```no_run
/// use axum::{routing::get, Router};
/// # async fn run() {
/// let app = Router::new().route("/", get(|| async { "hello" }));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
/// h1x_tokio::serve(listener, app)
///     .with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; })
///     .await
///     .unwrap();
/// # }
/// ```
pub fn serve<S>(listener: TcpListener, service: S) -> Serve<S> {
    Builder::new().serve(listener, service)
}

/// A server not yet running: `.await` it (forever), or add a shutdown signal first.
///
/// ```no_run
/// # async fn run(app: axum::Router) {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// let server = h1x_tokio::serve(listener, app);
/// println!("listening on {}", server.local_addr().unwrap());
/// server.await.unwrap();
/// # }
/// ```
#[derive(Debug)]
pub struct Serve<S> {
    listener: TcpListener,
    service: S,
    settings: Arc<Settings>,
}

impl<S> Serve<S> {
    /// Stop accepting when `signal` completes, let every connection finish the request it is
    /// serving (idle ones close at once), and resolve when all are closed.
    ///
    /// ```no_run
    /// # async fn run(app: axum::Router) {
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
    /// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// let server = tokio::spawn(
    ///     h1x_tokio::serve(listener, app)
    ///         .with_graceful_shutdown(async { let _ = stopped.await; })
    ///         .into_future(),
    /// );
    /// stop.send(()).unwrap();
    /// server.await.unwrap().unwrap();
    /// # }
    /// # use std::future::IntoFuture;
    /// ```
    pub fn with_graceful_shutdown<F>(self, signal: F) -> WithGracefulShutdown<S, F>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        WithGracefulShutdown {
            serve: self,
            signal,
        }
    }

    /// The address the listener is bound to (example: [`Serve`]).
    pub fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.listener.local_addr()
    }
}

/// A server with a shutdown signal: `.await` it (example: [`Serve::with_graceful_shutdown`]).
#[derive(Debug)]
pub struct WithGracefulShutdown<S, F> {
    serve: Serve<S>,
    signal: F,
}

async fn run<S, B>(
    serve: Serve<S>,
    signal: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
) -> io::Result<()>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    let Serve {
        listener,
        service,
        settings,
    } = serve;
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);
    let mut signal = signal.unwrap_or_else(|| Box::pin(std::future::pending()));
    loop {
        let (socket, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    // e.g. out of file descriptors: wait a little rather than spin
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        if settings.nodelay {
            let _ = socket.set_nodelay(true);
        }
        let mut conn = Connection::new(socket, service.clone(), Arc::clone(&settings));
        let mut stop = stop_rx.clone();
        let done = done_tx.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = &mut conn => {}
                _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                    conn.graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(done);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(done_tx);
    let _ = done_rx.recv().await;
    Ok(())
}

impl<S, B> IntoFuture for Serve<S>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self, None))
    }
}

impl<S, B, F> IntoFuture for WithGracefulShutdown<S, F>
where
    S: Service<Request<Body>, Response = Response<B>> + Clone + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
    F: Future<Output = ()> + Send + 'static,
{
    type Output = io::Result<()>;
    type IntoFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self.serve, Some(Box::pin(self.signal))))
    }
}

/// Why a connection ended abnormally.
///
/// ```no_run
/// # async fn run(app: axum::Router, socket: tokio::net::TcpStream) {
/// if let Err(e) = h1x_tokio::serve_connection(socket, app).await {
///     if !e.is_io() {
///         eprintln!("{e}"); // a client going away is an I/O error: not worth a log line
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    Io(io::Error),
    Codec(crate::codec::CodecError),
    Body(BoxError),
    Internal(&'static str),
}

impl Error {
    pub(crate) fn io(e: io::Error) -> Self {
        Error {
            kind: ErrorKind::Io(e),
        }
    }

    pub(crate) fn codec(e: crate::codec::CodecError) -> Self {
        Error {
            kind: ErrorKind::Codec(e),
        }
    }

    pub(crate) fn body(e: BoxError) -> Self {
        Error {
            kind: ErrorKind::Body(e),
        }
    }

    pub(crate) fn internal(what: &'static str) -> Self {
        Error {
            kind: ErrorKind::Internal(what),
        }
    }

    /// Whether the socket failed (typically: the client went away; example: [`Error`]).
    pub fn is_io(&self) -> bool {
        matches!(self.kind, ErrorKind::Io(_))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ErrorKind::Io(e) => write!(f, "connection error: {e}"),
            ErrorKind::Codec(e) => write!(f, "protocol error: {e}"),
            ErrorKind::Body(e) => write!(f, "response body failed: {e}"),
            ErrorKind::Internal(what) => write!(f, "internal error: {what}"),
        }
    }
}

impl std::error::Error for Error {}
