//! A test app (an axum `Router`), a server on an ephemeral loopback port, and raw TCP clients.

#![allow(dead_code)] // each test file uses a part

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::{Extension, Router};
use h1x_tokio::heartbeat::{HeartbeatLayer, Progress};
use h1x_tokio::Interim;
use http_body::Frame;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the handlers report back to the tests.
#[derive(Clone, Default)]
pub struct Probe {
    /// Endless bodies dropped (the connection let go of them).
    pub endless_dropped: Arc<AtomicUsize>,
    /// The outcome of an interim response a handler tried after its final response.
    pub late_interim: Arc<Mutex<Option<String>>>,
    /// Request bodies that ended in an error.
    pub body_errors: Arc<AtomicUsize>,
}

/// The test app.
pub fn app(probe: Probe) -> Router {
    let slow = Router::new()
        .route("/slow", post(slow))
        .route_layer(HeartbeatLayer::new(Duration::from_millis(100)));
    Router::new()
        .route("/", get(|| async { "hello" }))
        .route("/echo", post(echo).put(echo))
        .route(
            "/stream-echo",
            post(|body: Body| async move { Response::new(body) }),
        )
        .route("/count", put(count))
        .route(
            "/reject",
            put(|| async { (StatusCode::PAYLOAD_TOO_LARGE, "no") }),
        )
        .route("/chunked", get(chunked))
        .route("/trailers", post(trailers))
        .route("/interim", post(interim))
        .route("/endless", get(endless))
        .route("/upgrade", any(upgrade))
        .merge(slow)
        .with_state(probe)
}

async fn echo(body: Bytes) -> Bytes {
    body
}

/// Read the body to its end and say how many bytes came (errors are counted).
pub async fn count(State(probe): State<Probe>, body: Body) -> Response {
    let mut n = 0;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(f) => n += f.data_ref().map_or(0, |d| d.len()),
            Err(_) => {
                probe.body_errors.fetch_add(1, Ordering::SeqCst);
                return StatusCode::BAD_REQUEST.into_response();
            }
        }
    }
    n.to_string().into_response()
}

/// A body given piece by piece, then trailers.
pub struct Pieces(pub Vec<Frame<Bytes>>);

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.0.is_empty() {
            Poll::Ready(None)
        } else {
            Poll::Ready(Some(Ok(self.0.remove(0))))
        }
    }
}

async fn chunked() -> Response {
    let mut trailers = HeaderMap::new();
    trailers.insert("x-checksum", HeaderValue::from_static("42"));
    Response::new(Body::new(Pieces(vec![
        Frame::data(Bytes::from_static(b"hello ")),
        Frame::data(Bytes::from_static(b"world")),
        Frame::trailers(trailers),
    ])))
}

async fn trailers(body: Body) -> String {
    let collected = body.collect().await.unwrap();
    let names: Vec<String> = collected
        .trailers()
        .map(|t| t.keys().map(|k| k.to_string()).collect())
        .unwrap_or_default();
    let data = collected.to_bytes();
    format!("{} bytes, trailers: {}", data.len(), names.join(","))
}

async fn interim(
    State(probe): State<Probe>,
    Extension(interim): Extension<Interim>,
) -> &'static str {
    let hints = interim
        .early_hints([
            "</a.css>; rel=preload; as=style",
            "</b.js>; rel=preload; as=script",
        ])
        .await;
    let processing = interim.processing().await;
    let later = interim.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let r = later.processing().await;
        *probe.late_interim.lock().unwrap() = Some(format!("{r:?}"));
    });
    match (hints, processing) {
        (Ok(()), Ok(())) => "sent",
        _ => "refused",
    }
}

async fn slow(Extension(progress): Extension<Progress>) -> &'static str {
    for step in 1..=3 {
        tokio::time::sleep(Duration::from_millis(120)).await;
        progress.set(format!("{step}/3"));
    }
    "done"
}

/// An endless body that counts its drop.
struct Endless(Arc<AtomicUsize>);

impl Drop for Endless {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl http_body::Body for Endless {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; 16 * 1024])))))
    }
}

async fn endless(State(probe): State<Probe>) -> Response {
    Response::new(Body::new(Endless(probe.endless_dropped.clone())))
}

async fn upgrade(mut req: Request) -> Response {
    let on_upgrade = h1x_tokio::upgrade::on(&mut req);
    tokio::spawn(async move {
        if let Ok(mut io) = on_upgrade.await {
            let mut buf = [0u8; 64];
            while let Ok(n @ 1..) = io.read(&mut buf).await {
                if io.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        }
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header("connection", "upgrade")
        .header("upgrade", "echo")
        .body(Body::empty())
        .unwrap()
}

/// A running server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub probe: Probe,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serve the test app with `builder` on 127.0.0.1:0.
pub async fn start(builder: h1x_tokio::Builder) -> TestServer {
    let probe = Probe::default();
    start_app(builder, app(probe.clone()), probe).await
}

/// Serve `app` with `builder` on 127.0.0.1:0.
pub async fn start_app(builder: h1x_tokio::Builder, app: Router, probe: Probe) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        builder.serve(listener, app).await.unwrap();
    });
    TestServer { addr, probe, task }
}

/// Send `raw`, then read until the server closes (at most 10 s).
pub async fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw).await.unwrap();
    read_to_close(&mut s).await
}

/// Everything until the server closes; panics after 10 s.
pub async fn read_to_close(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("the server did not close the connection")
        .ok();
    String::from_utf8_lossy(&out).into_owned()
}

/// Read until `out` contains `needle` (at most 10 s).
pub async fn read_until(s: &mut TcpStream, needle: &str) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    tokio::time::timeout(Duration::from_secs(10), async {
        while !String::from_utf8_lossy(&out).contains(needle) {
            let n = s.read(&mut buf).await.unwrap();
            assert!(
                n > 0,
                "closed before {needle:?}: {}",
                String::from_utf8_lossy(&out)
            );
            out.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {needle:?} in {}", String::from_utf8_lossy(&out)));
    String::from_utf8_lossy(&out).into_owned()
}

/// The status codes of every response head in `wire`, in order.
pub fn statuses(wire: &str) -> Vec<u16> {
    wire.match_indices("HTTP/1.1 ")
        .filter_map(|(i, _)| wire.get(i + 9..i + 12)?.parse().ok())
        .collect()
}

/// Whether a response in `wire` says `Connection: close` (any case: h1x writes the field when it
/// decides to close, handlers and the http crate write it in lower case).
pub fn closes(wire: &str) -> bool {
    wire.to_ascii_lowercase()
        .contains("\r\nconnection: close\r\n")
}
