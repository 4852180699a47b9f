//! A tower [`Layer`] that sends `102 Processing` every interval while the inner service works,
//! until its response is ready: long jobs keep proxies and clients from timing out.
//!
//! Timing comes from h1x's sans-IO [`HeartbeatSchedule`] (any 1xx the handler sends itself
//! counts as a heartbeat only for the handler; the layer keeps its own rhythm). Each 102
//! carries `Progress: <value>` when the handler set a value on the [`Progress`] handle the
//! layer puts in the request's extensions (an application convention, not a standard field).
//! HTTP/1.0 clients get nothing: h1x refuses, and the layer stops at the first refusal. No
//! heartbeat goes out while the handler is waiting for request body bytes (the client, not the
//! server, is what everyone waits for then).
//!
//! ```no_run
//! use axum::{routing::post, Extension, Router};
//! use h1x_tokio::heartbeat::{HeartbeatLayer, Progress};
//! use std::time::Duration;
//!
//! async fn job(Extension(progress): Extension<Progress>) -> &'static str {
//!     for step in 1..=10 {
//!         tokio::time::sleep(Duration::from_secs(1)).await;
//!         progress.set(format!("{step}/10"));
//!     }
//!     "done"
//! }
//!
//! let app: Router = Router::new()
//!     .route("/job", post(job))
//!     .layer(HeartbeatLayer::new(Duration::from_secs(1)));
//! ```

use crate::interim::{Interim, SendInterim};
use h1x::HeartbeatSchedule;
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Request, StatusCode};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};
use tower_layer::Layer;
use tower_service::Service;

/// The field each heartbeat carries the progress value in.
///
/// ```
/// assert_eq!(h1x_tokio::heartbeat::PROGRESS, "progress");
/// ```
pub const PROGRESS: HeaderName = HeaderName::from_static("progress");

/// Sends `102 Processing` every `interval` until the response is ready.
///
/// ```
/// use tower_layer::Layer;
/// let layer = h1x_tokio::heartbeat::HeartbeatLayer::new(std::time::Duration::from_secs(1));
/// let service = layer.layer(tower_service_fn());
/// # fn tower_service_fn() -> axum::Router { axum::Router::new() }
/// # let _ = service;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct HeartbeatLayer {
    interval: Duration,
}

impl HeartbeatLayer {
    /// A heartbeat every `interval` (the first one `interval` after the request reached the
    /// layer; example: [`HeartbeatLayer`]).
    pub fn new(interval: Duration) -> Self {
        HeartbeatLayer { interval }
    }
}

impl<S> Layer<S> for HeartbeatLayer {
    type Service = Heartbeat<S>;

    fn layer(&self, inner: S) -> Heartbeat<S> {
        Heartbeat {
            inner,
            interval: self.interval,
        }
    }
}

/// The service [`HeartbeatLayer`] makes (example there).
#[derive(Debug, Clone)]
pub struct Heartbeat<S> {
    inner: S,
    interval: Duration,
}

/// The progress value the next heartbeats carry; set by the handler (found in the request's
/// extensions, in axum `Extension<Progress>`).
///
/// ```
/// let p = h1x_tokio::heartbeat::Progress::default();
/// p.set("3/10");
/// assert_eq!(p.get().unwrap(), "3/10");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Mutex<Option<HeaderValue>>>);

impl Progress {
    /// Set the value (ignored when it is not a valid field value; example: [`Progress`]).
    pub fn set(&self, value: impl AsRef<str>) {
        if let Ok(v) = HeaderValue::from_str(value.as_ref()) {
            *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(v);
        }
    }

    /// The current value (example: [`Progress`]).
    pub fn get(&self) -> Option<HeaderValue> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl<S, B> Service<Request<B>> for Heartbeat<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = HeartbeatFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<B>) -> Self::Future {
        let interim = req.extensions().get::<Interim>().cloned();
        let progress = Progress::default();
        req.extensions_mut().insert(progress.clone());
        let beat = interim.map(|interim| Beat {
            interim,
            progress,
            origin: Instant::now(),
            schedule: HeartbeatSchedule::new(self.interval),
            sleep: None,
            last: None,
        });
        HeartbeatFuture {
            inner: self.inner.call(req),
            beat,
        }
    }
}

struct Beat {
    interim: Interim,
    progress: Progress,
    origin: Instant,
    schedule: HeartbeatSchedule,
    sleep: Option<Pin<Box<Sleep>>>,
    /// The last heartbeat's outcome, checked before the next one.
    last: Option<SendInterim>,
}

impl Beat {
    /// Drive the timer; `false` once heartbeats must stop (refused, or the exchange is over).
    fn poll(&mut self, cx: &mut Context<'_>) -> bool {
        if let Some(last) = &mut self.last {
            match Pin::new(last).poll(cx) {
                Poll::Ready(Ok(())) => self.last = None,
                Poll::Ready(Err(_)) => return false,
                Poll::Pending => {}
            }
        }
        let sleep = self.sleep.get_or_insert_with(|| {
            self.schedule.start(Duration::ZERO);
            Box::pin(tokio::time::sleep_until(
                self.origin + self.schedule.interval(),
            ))
        });
        while sleep.as_mut().poll(cx).is_ready() {
            let now = self.origin.elapsed();
            // no heartbeat while the handler waits for the client's body: the client is the
            // one keeping things waiting
            if self.schedule.poll(now) && !self.interim.waiting_for_body() {
                let mut headers = HeaderMap::new();
                if let Some(v) = self.progress.get() {
                    headers.insert(PROGRESS, v);
                }
                self.last = Some(self.interim.send(StatusCode::PROCESSING, headers));
            }
            let Some(due) = self.schedule.next_due() else {
                return false;
            };
            sleep.as_mut().reset(self.origin + due);
        }
        true
    }
}

pin_project! {
    /// The response future of [`Heartbeat`]: the inner future's output, heartbeats meanwhile
    /// (example: [`HeartbeatLayer`]).
    pub struct HeartbeatFuture<F> {
        #[pin]
        inner: F,
        beat: Option<Beat>,
    }
}

impl<F: Future> Future for HeartbeatFuture<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        if let Poll::Ready(out) = this.inner.poll(cx) {
            return Poll::Ready(out);
        }
        if let Some(beat) = this.beat {
            if !beat.poll(cx) {
                *this.beat = None;
            }
        }
        Poll::Pending
    }
}
