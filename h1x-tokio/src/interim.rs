//! Interim (1xx) responses from handlers: the [`Interim`] handle in each request's extensions.
//!
//! In axum, take it with the `Extension` extractor:
//!
//! ```no_run
//! use axum::{routing::post, Extension, Router};
//! use h1x_tokio::Interim;
//!
//! async fn render(Extension(interim): Extension<Interim>) -> &'static str {
//!     // 103 Early Hints: the client can preload while we work
//!     let _ = interim.early_hints(["</app.css>; rel=preload; as=style"]).await;
//!     let _ = interim.send(http::StatusCode::PROCESSING, http::HeaderMap::new()).await;
//!     "done"
//! }
//!
//! # async fn run() {
//! let app: Router = Router::new().route("/render", post(render));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//! h1x_tokio::serve(listener, app).await.unwrap();
//! # }
//! ```

use crate::exchange::{Exchange, Queued};
use http::header::{HeaderValue, LINK};
use http::{HeaderMap, StatusCode};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::oneshot;

/// Sends interim (1xx) responses before the final one. Found in every request's extensions.
///
/// Each response is checked by h1x when the connection sends it: nothing goes to an HTTP/1.0
/// client, nothing after the final response started, no invalid field; those come back as
/// `Err`, and the connection stays usable. `101` is refused: return a `101` response instead
/// (see [`upgrade`](crate::upgrade)).
#[derive(Clone)]
pub struct Interim {
    ex: Arc<Exchange>,
}

impl std::fmt::Debug for Interim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interim")
    }
}

impl Interim {
    pub(crate) fn new(ex: Arc<Exchange>) -> Self {
        Interim { ex }
    }

    /// Queue an interim response; the returned future resolves once h1x accepted it and it was
    /// written to the connection's buffer (or with why not). Dropping the future does not
    /// cancel the response.
    ///
    /// ```no_run
    /// # async fn f(interim: h1x_tokio::Interim) {
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("progress", "3/10".parse().unwrap());
    /// interim.send(http::StatusCode::PROCESSING, headers).await.unwrap();
    /// # }
    /// ```
    pub fn send(&self, status: StatusCode, headers: HeaderMap) -> SendInterim {
        if !status.is_informational() || status == StatusCode::SWITCHING_PROTOCOLS {
            return SendInterim::failed(InterimError::status(status));
        }
        let (tx, rx) = oneshot::channel();
        let queued = Queued {
            status,
            headers,
            ack: Some(tx),
        };
        match self.ex.queue(queued) {
            Ok(()) => SendInterim {
                rx: Some(rx),
                error: None,
            },
            Err(_) => SendInterim::failed(InterimError::closed()),
        }
    }

    /// `103 Early Hints` with one `Link` field per link (RFC 8297).
    ///
    /// ```no_run
    /// # async fn f(interim: h1x_tokio::Interim) {
    /// interim
    ///     .early_hints(["</style.css>; rel=preload; as=style", "</app.js>; rel=preload; as=script"])
    ///     .await
    ///     .unwrap();
    /// # }
    /// ```
    pub fn early_hints<I, L>(&self, links: I) -> SendInterim
    where
        I: IntoIterator<Item = L>,
        L: AsRef<str>,
    {
        let mut headers = HeaderMap::new();
        for link in links {
            match HeaderValue::from_str(link.as_ref()) {
                Ok(v) => {
                    headers.append(LINK, v);
                }
                Err(_) => return SendInterim::failed(InterimError::invalid_field()),
            }
        }
        self.send(StatusCode::EARLY_HINTS, headers)
    }

    /// Whether the handler is waiting for request body bytes right now.
    pub(crate) fn waiting_for_body(&self) -> bool {
        self.ex.wants_data()
    }

    /// `102 Processing` without fields.
    ///
    /// ```no_run
    /// # async fn f(interim: h1x_tokio::Interim) {
    /// if let Err(e) = interim.processing().await {
    ///     // e.g. an HTTP/1.0 client: h1x refuses every 1xx
    ///     assert!(e.refusal().is_some() || e.is_closed());
    /// }
    /// # }
    /// ```
    pub fn processing(&self) -> SendInterim {
        self.send(StatusCode::PROCESSING, HeaderMap::new())
    }
}

/// The outcome of one [`Interim::send`] (examples there).
#[derive(Debug)]
#[must_use = "the response is queued either way; await this to learn whether it was sent"]
pub struct SendInterim {
    rx: Option<oneshot::Receiver<Result<(), InterimError>>>,
    error: Option<InterimError>,
}

impl SendInterim {
    fn failed(e: InterimError) -> Self {
        SendInterim {
            rx: None,
            error: Some(e),
        }
    }
}

impl Future for SendInterim {
    type Output = Result<(), InterimError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(e) = self.error.take() {
            return Poll::Ready(Err(e));
        }
        match &mut self.rx {
            Some(rx) => Pin::new(rx)
                .poll(cx)
                .map(|r| r.unwrap_or_else(|_| Err(InterimError::closed()))),
            None => Poll::Ready(Err(InterimError::closed())),
        }
    }
}

/// Why an interim response was not sent.
///
/// ```no_run
/// # async fn f(interim: h1x_tokio::Interim) {
/// match interim.processing().await {
///     Ok(()) => {}
///     Err(e) if e.is_closed() => {} // the response is done, or the client left
///     Err(e) => match e.refusal().map(|r| r.kind()) {
///         Some(h1x::ErrorKind::InterimToHttp10) => {} // HTTP/1.0 client: no 1xx
///         _ => eprintln!("{e}"),
///     },
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct InterimError {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// h1x refused it (HTTP/1.0 client, final response started, invalid field...).
    Refused(h1x::Error),
    /// Not a 1xx status, or 101.
    Status(StatusCode),
    /// A field value that is not valid.
    InvalidField,
    /// The exchange is over or the connection is gone.
    Closed,
}

impl InterimError {
    pub(crate) fn refused(e: h1x::Error) -> Self {
        InterimError {
            kind: Kind::Refused(e),
        }
    }

    pub(crate) fn closed() -> Self {
        InterimError { kind: Kind::Closed }
    }

    fn status(s: StatusCode) -> Self {
        InterimError {
            kind: Kind::Status(s),
        }
    }

    fn invalid_field() -> Self {
        InterimError {
            kind: Kind::InvalidField,
        }
    }

    /// (example: [`InterimError`]) The h1x error when h1x refused the response, e.g.
    /// [`ErrorKind::InterimToHttp10`](h1x::ErrorKind::InterimToHttp10) or
    /// [`ErrorKind::IllegalEvent`](h1x::ErrorKind::IllegalEvent) after the final response.
    pub fn refusal(&self) -> Option<&h1x::Error> {
        match &self.kind {
            Kind::Refused(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the exchange was over (final response finished, or client gone; example:
    /// [`InterimError`]).
    pub fn is_closed(&self) -> bool {
        matches!(self.kind, Kind::Closed)
    }
}

impl std::fmt::Display for InterimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            Kind::Refused(e) => write!(f, "interim response refused: {e}"),
            Kind::Status(s) => write!(f, "{s} is not an interim status this handle sends"),
            Kind::InvalidField => f.write_str("invalid field value"),
            Kind::Closed => f.write_str("the exchange is over"),
        }
    }
}

impl std::error::Error for InterimError {}
