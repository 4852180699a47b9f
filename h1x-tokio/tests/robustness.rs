//! Hostile and broken clients over real TCP: the shared smuggling vectors, malformed heads,
//! slowloris, silent connections, clients vanishing mid-body and mid-response, and 2,000 idle
//! keep-alive connections. Each test checks that the server answers as h1x suggests, leaks
//! nothing and keeps serving.

mod common;

use common::{exchange, read_to_close, read_until, start, statuses};
use h1x_tokio::Builder;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const H: &str = "Host: t\r\n";

async fn still_serving(addr: std::net::SocketAddr) {
    let wire = exchange(
        addr,
        format!("GET / HTTP/1.1\r\n{H}Connection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(
        wire.starts_with("HTTP/1.1 200 OK\r\n") && wire.ends_with("hello"),
        "{wire}"
    );
}

fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| c as u32 as u8).collect()
}

/// Every server-side case of the shared smuggling vectors (core/tests/vectors), sent over TCP:
/// a case h1x rejects gets h1x's status with `Connection: close`, then the close; the requests
/// of a case it accepts are served. Cases with a non-default h1x config are left to the core's own runner
/// (this server runs the strict defaults).
#[tokio::test]
async fn shared_smuggling_vectors_over_tcp() {
    // every request's body is read to its end, so that errors in bodies surface too
    let probe = common::Probe::default();
    let app = axum::Router::new()
        .fallback(common::count)
        .with_state(probe.clone());
    let srv = common::start_app(Builder::new(), app, probe).await;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/vectors/");
    let mut cases = Vec::new();
    for file in ["smuggling_requests.json", "smuggling_corpus.json"] {
        let text = std::fs::read_to_string(format!("{dir}{file}")).unwrap();
        let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
        cases.extend(vectors["cases"].as_array().unwrap().iter().cloned());
    }
    let mut rejected = 0;
    for case in &cases {
        if case["role"] != "server" || case.get("config").is_some() {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let input = latin1(case["input"].as_str().unwrap());
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(&input).await.unwrap();
        let _ = s.shutdown().await; // the client is done: EOF after the input
        let wire = read_to_close(&mut s).await;
        let st = statuses(&wire);
        let lower = wire.to_ascii_lowercase();
        // the requests h1x decoded to their end before any error are served
        let requests = case["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "end_of_message")
            .count();
        assert!(st.len() >= requests, "{name}: {wire}");
        assert!(st[..requests].iter().all(|&s| s == 200), "{name}: {wire}");
        match case.get("error") {
            // the error gets h1x's status and the close ...
            Some(err) if st.len() > requests => {
                rejected += 1;
                assert_eq!(st.len(), requests + 1, "{name}: {wire}");
                if let Some(status) = err.get("status").and_then(|s| s.as_u64()) {
                    assert_eq!(st[requests] as u64, status, "{name}: {wire}");
                } else {
                    assert!(st[requests] >= 400, "{name}: {wire}");
                }
                assert!(lower.contains("connection: close\r\n"), "{name}: {wire}");
            }
            // ... unless the last request closed the connection: what follows is never read
            Some(_) => assert!(lower.contains("connection: close\r\n"), "{name}: {wire}"),
            // bytes after the requests, cut short by the EOF, may still earn a 400
            None => {}
        }
    }
    assert!(rejected >= 20, "only {rejected} rejected cases ran");
    let wire = exchange(
        srv.addr,
        format!("GET / HTTP/1.1\r\n{H}Connection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(
        wire.starts_with("HTTP/1.1 200 OK\r\n") && wire.ends_with("\r\n\r\n0"),
        "{wire}"
    );
}

#[tokio::test]
async fn malformed_heads_get_the_suggested_status_and_close() {
    let srv = start(Builder::new()).await;
    let many = |n: usize| (0..n).map(|i| format!("X-F{i}: v\r\n")).collect::<String>();
    let cases: Vec<(Vec<u8>, u16)> = vec![
        (b"GET / HTTP/1.1\nHost: a\r\n\r\n".to_vec(), 400),
        (format!("GET / HTTP/1.1\r\n{H}{H}\r\n").into_bytes(), 400),
        (format!("GET / HTTP/2.0\r\n{H}\r\n").into_bytes(), 505),
        (
            format!("GET /{} HTTP/1.1\r\n{H}\r\n", "a".repeat(9000)).into_bytes(),
            414,
        ),
        (
            format!("GET / HTTP/1.1\r\n{H}{}\r\n", many(120)).into_bytes(),
            431,
        ),
        (
            format!("POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
                .into_bytes(),
            501,
        ),
        (
            format!("POST /count HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nzz\r\n")
                .into_bytes(),
            400,
        ),
        (
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n".to_vec(),
            400,
        ),
    ];
    for (raw, status) in cases {
        let wire = exchange(srv.addr, &raw).await;
        assert_eq!(statuses(&wire), [status], "{wire}");
        assert!(common::closes(&wire), "{wire}");
    }
    // 33 to 100 fields: decoded again with room for all of them (the core's retry), served
    let wire = exchange(
        srv.addr,
        format!("GET / HTTP/1.1\r\n{H}{}Connection: close\r\n\r\n", many(90)).as_bytes(),
    )
    .await;
    assert_eq!(statuses(&wire), [200], "{wire}");
    still_serving(srv.addr).await;
}

#[tokio::test]
async fn slowloris_head_is_cut_at_the_header_timeout() {
    let srv = start(Builder::new().header_read_timeout(Some(Duration::from_millis(400)))).await;
    let mut s = TcpStream::connect(srv.addr).await.unwrap();
    let head = format!("GET / HTTP/1.1\r\n{H}X-Slow: {}\r\n\r\n", "z".repeat(100));
    let started = Instant::now();
    let mut sent = 0;
    // one byte every 50 ms: each read is quick, the whole head is not
    for b in head.bytes() {
        if s.write_all(&[b]).await.is_err() {
            break;
        }
        sent += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
        if started.elapsed() > Duration::from_secs(2) {
            break;
        }
    }
    let wire = read_to_close(&mut s).await;
    assert!(sent < head.len(), "the server waited for the whole trickle");
    assert_eq!(statuses(&wire), [408], "{wire}");
    assert!(common::closes(&wire), "{wire}");
    still_serving(srv.addr).await;
}

#[tokio::test]
async fn silent_connections_close_at_the_keep_alive_timeout() {
    let srv = start(Builder::new().keep_alive_timeout(Some(Duration::from_millis(300)))).await;
    let mut fresh = TcpStream::connect(srv.addr).await.unwrap();
    let mut used = TcpStream::connect(srv.addr).await.unwrap();
    used.write_all(format!("GET / HTTP/1.1\r\n{H}\r\n").as_bytes())
        .await
        .unwrap();
    read_until(&mut used, "hello").await;
    let started = Instant::now();
    assert_eq!(read_to_close(&mut fresh).await, "", "closed without a word");
    assert_eq!(read_to_close(&mut used).await, "");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_stalled_body_gets_408_at_the_body_timeout() {
    let srv = start(Builder::new().body_read_timeout(Some(Duration::from_millis(300)))).await;
    let wire_task = tokio::spawn(async move {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(format!("PUT /count HTTP/1.1\r\n{H}Content-Length: 100\r\n\r\nabc").as_bytes())
            .await
            .unwrap();
        let wire = read_to_close(&mut s).await;
        (wire, srv)
    });
    let (wire, srv) = wire_task.await.unwrap();
    assert_eq!(statuses(&wire), [408], "{wire}");
    assert_eq!(
        srv.probe.body_errors.load(Ordering::SeqCst),
        0,
        "the handler was dropped, not answered"
    );
    still_serving(srv.addr).await;
}

#[tokio::test]
async fn clients_vanishing_mid_body_and_mid_response() {
    let srv = start(Builder::new()).await;
    // mid-body: the handler's body fails, the connection ends
    {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(
            format!("PUT /count HTTP/1.1\r\n{H}Content-Length: 1000000\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
        s.write_all(&[b'x'; 1000]).await.unwrap();
    }
    // mid-response: an endless body, the client reads a little and leaves
    {
        let mut s = TcpStream::connect(srv.addr).await.unwrap();
        s.write_all(format!("GET /endless HTTP/1.1\r\n{H}\r\n").as_bytes())
            .await
            .unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 OK\r\n"));
    }
    // reset instead of close
    {
        let s = TcpStream::connect(srv.addr).await.unwrap();
        #[allow(deprecated)] // blocking on drop is what a reset needs here (zero linger: no wait)
        s.set_linger(Some(Duration::ZERO)).unwrap();
        let mut s = s;
        s.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while srv.probe.endless_dropped.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the endless body was never dropped"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    still_serving(srv.addr).await;
}

/// 2,000 keep-alive connections, each after one request, held idle: the server keeps serving
/// others, and once the clients close, every connection's task ends (the per-connection clone
/// of the service is dropped: nothing leaked).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_idle_keep_alive_connections() {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    let live = Arc::new(AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = Counted {
        inner: common::app(Default::default()),
        live: Arc::clone(&live),
        counts: false,
    };
    let server = tokio::spawn(async move { h1x_tokio::serve(listener, app).await.unwrap() });
    const N: usize = 2000;
    // client and server sides in one process: 4,000 descriptors and some
    rlimit::increase_nofile_limit(3 * N as u64).unwrap();
    let mut conns = Vec::with_capacity(N);
    for _ in 0..N {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET / HTTP/1.1\r\n{H}\r\n").as_bytes())
            .await
            .unwrap();
        conns.push(s);
    }
    for s in &mut conns {
        read_until(s, "hello").await;
    }
    assert_eq!(
        live.load(Ordering::SeqCst),
        N,
        "one live connection per client"
    );
    still_serving(addr).await;
    drop(conns);
    let deadline = Instant::now() + Duration::from_secs(10);
    while live.load(Ordering::SeqCst) > 0 {
        assert!(
            Instant::now() < deadline,
            "{} connections never ended",
            live.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.abort();
}

/// The app, counting its per-connection clones that are alive.
struct Counted<S> {
    inner: S,
    live: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    counts: bool,
}

impl<S: Clone> Clone for Counted<S> {
    fn clone(&self) -> Self {
        self.live.fetch_add(1, Ordering::SeqCst);
        Counted {
            inner: self.inner.clone(),
            live: self.live.clone(),
            counts: true,
        }
    }
}

impl<S> Drop for Counted<S> {
    fn drop(&mut self) {
        if self.counts {
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl<S, R> tower_service::Service<R> for Counted<S>
where
    S: tower_service::Service<R>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> S::Future {
        self.inner.call(req)
    }
}
