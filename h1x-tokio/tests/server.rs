//! An axum `Router` served by h1x-tokio over real TCP on loopback: keep-alive, pipelining, HEAD,
//! HTTP/1.0, 100-continue, 417, chunked bodies and trailers, interim responses, the heartbeat
//! layer, upgrades, graceful shutdown.

mod common;

use common::{exchange, read_to_close, read_until, start, statuses};
use h1x_tokio::Builder;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const H: &str = "Host: t\r\n";

#[tokio::test]
async fn keep_alive_pipelining_and_head() {
    let srv = start(Builder::new()).await;
    let raw = format!(
        "GET / HTTP/1.1\r\n{H}\r\nPOST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\n\r\nworld\
         HEAD / HTTP/1.1\r\n{H}\r\nGET / HTTP/1.1\r\n{H}Connection: close\r\n\r\n"
    );
    let wire = exchange(srv.addr, raw.as_bytes()).await;
    assert_eq!(statuses(&wire), [200, 200, 200, 200], "{wire}");
    let bodies: Vec<&str> = wire.split("\r\n\r\n").skip(1).collect();
    assert!(bodies[0].starts_with("helloHTTP/1.1"), "{wire}");
    assert!(bodies[1].starts_with("worldHTTP/1.1"), "{wire}");
    // HEAD: the length GET would send, no body
    let head = wire.split("HTTP/1.1").nth(3).unwrap();
    assert!(head.contains("content-length: 5\r\n"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "{head}");
    let last = wire.rsplit("HTTP/1.1 ").next().unwrap();
    assert!(
        common::closes(last) && last.ends_with("\r\n\r\nhello"),
        "{last}"
    );
}

#[tokio::test]
async fn http10_gets_no_interim_response_and_a_closed_connection() {
    let srv = start(Builder::new()).await;
    let wire = exchange(srv.addr, b"GET / HTTP/1.0\r\n\r\n").await;
    assert!(
        wire.starts_with("HTTP/1.1 200 OK\r\n") && wire.ends_with("hello"),
        "{wire}"
    );
    let wire = exchange(
        srv.addr,
        b"POST /interim HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert_eq!(statuses(&wire), [200], "{wire}");
    assert!(
        wire.ends_with("refused"),
        "the handler saw the refusal: {wire}"
    );
}

#[tokio::test]
async fn continue_is_sent_when_the_handler_reads_the_body() {
    let srv = start(Builder::new()).await;
    let mut s = TcpStream::connect(srv.addr).await.unwrap();
    s.write_all(
        format!("PUT /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            .as_bytes(),
    )
    .await
    .unwrap();
    let first = read_until(&mut s, "\r\n\r\n").await;
    assert_eq!(first, "HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(b"hello").await.unwrap();
    let rest = read_until(&mut s, "hello").await;
    assert!(rest.starts_with("HTTP/1.1 200 OK\r\n"), "{rest}");

    // a handler that answers without reading: no 100, and the connection closes
    let wire = exchange(
        srv.addr,
        format!("PUT /reject HTTP/1.1\r\n{H}Content-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            .as_bytes(),
    )
    .await;
    assert_eq!(statuses(&wire), [413], "{wire}");
    assert!(common::closes(&wire), "{wire}");
}

#[tokio::test]
async fn unknown_expectation_gets_417_and_close() {
    let srv = start(Builder::new()).await;
    let wire = exchange(
        srv.addr,
        format!("PUT /echo HTTP/1.1\r\n{H}Expect: teapot\r\nContent-Length: 1\r\n\r\nx").as_bytes(),
    )
    .await;
    assert_eq!(statuses(&wire), [417], "{wire}");
    assert!(common::closes(&wire), "{wire}");
}

#[tokio::test]
async fn chunked_bodies_and_trailers_both_ways() {
    let srv = start(Builder::new()).await;
    let wire = exchange(
        srv.addr,
        format!(
            "POST /trailers HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
             3\r\nabc\r\n2\r\nde\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"
        )
        .as_bytes(),
    )
    .await;
    assert!(wire.ends_with("5 bytes, trailers: a,b"), "{wire}");

    let wire = exchange(
        srv.addr,
        format!("GET /chunked HTTP/1.1\r\n{H}Connection: close\r\n\r\n").as_bytes(),
    )
    .await;
    assert!(
        wire.to_ascii_lowercase()
            .contains("transfer-encoding: chunked\r\n"),
        "{wire}"
    );
    assert!(
        wire.ends_with("\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\nx-checksum: 42\r\n\r\n"),
        "{wire:?}"
    );
}

#[tokio::test]
async fn interim_responses_from_the_handler_in_order() {
    let srv = start(Builder::new()).await;
    let wire = exchange(
        srv.addr,
        format!("POST /interim HTTP/1.1\r\n{H}Content-Length: 0\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await;
    assert_eq!(statuses(&wire), [103, 102, 200], "{wire}");
    assert!(wire.starts_with(
        "HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload; as=style\r\n\
         link: </b.js>; rel=preload; as=script\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
    ));
    assert!(wire.ends_with("sent"), "{wire}");
    // after the final response: refused, reported to the handler
    tokio::time::sleep(Duration::from_millis(300)).await;
    let late = srv.probe.late_interim.lock().unwrap().clone();
    assert!(
        late.as_deref().is_some_and(|r| r.starts_with("Err")),
        "{late:?}"
    );
}

#[tokio::test]
async fn heartbeat_layer_sends_102_with_progress_until_the_response() {
    let srv = start(Builder::new()).await;
    let wire = exchange(
        srv.addr,
        format!("POST /slow HTTP/1.1\r\n{H}Content-Length: 0\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .await;
    let st = statuses(&wire);
    assert_eq!(st.last(), Some(&200), "{wire}");
    assert!(
        st.len() >= 3 && st[..st.len() - 1].iter().all(|&s| s == 102),
        "{wire}"
    );
    assert!(
        wire.contains("HTTP/1.1 102 Processing\r\nprogress: "),
        "{wire}"
    );
    assert!(wire.ends_with("done"), "{wire}");
    // HTTP/1.0: the layer's 102s are refused, only the final response goes out
    let wire = exchange(
        srv.addr,
        b"POST /slow HTTP/1.0\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    assert_eq!(statuses(&wire), [200], "{wire}");
}

#[tokio::test]
async fn streaming_echo_of_a_large_body() {
    let srv = start(Builder::new()).await;
    let s = TcpStream::connect(srv.addr).await.unwrap();
    let (mut rd, mut wr) = s.into_split();
    const SIZE: usize = 4 * 1024 * 1024;
    let writer = tokio::spawn(async move {
        wr.write_all(format!("POST /stream-echo HTTP/1.1\r\n{H}Content-Length: {SIZE}\r\nConnection: close\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let piece = vec![b'z'; 64 * 1024];
        for _ in 0..SIZE / piece.len() {
            wr.write_all(&piece).await.unwrap();
        }
        wr
    });
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), rd.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let _wr = writer.await.unwrap();
    let text = String::from_utf8_lossy(&out[..200.min(out.len())]).into_owned();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(
        text.contains(&format!("content-length: {SIZE}\r\n")),
        "{text}"
    );
    let body_start = out.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(out.len() - body_start, SIZE);
    assert!(out[body_start..].iter().all(|&b| b == b'z'));
}

#[tokio::test]
async fn upgrade_hands_over_the_socket_and_the_bytes_already_read() {
    let srv = start(Builder::new()).await;
    let mut s = TcpStream::connect(srv.addr).await.unwrap();
    // "ping" arrives with the head: it belongs to the new protocol
    s.write_all(
        format!("GET /upgrade HTTP/1.1\r\n{H}Connection: upgrade\r\nUpgrade: echo\r\n\r\nping")
            .as_bytes(),
    )
    .await
    .unwrap();
    let got = read_until(&mut s, "ping").await;
    assert!(
        got.starts_with("HTTP/1.1 101 Switching Protocols\r\n"),
        "{got}"
    );
    s.write_all(b"pong").await.unwrap();
    let got = read_until(&mut s, "pong").await;
    assert_eq!(got, "pong");

    // no Upgrade in the request: the 101 is refused by h1x, the client gets a 500
    let wire = exchange(
        srv.addr,
        format!("GET /upgrade HTTP/1.1\r\n{H}\r\n").as_bytes(),
    )
    .await;
    assert_eq!(statuses(&wire), [500], "{wire}");
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_request_in_flight() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        h1x_tokio::serve(listener, common::app(Default::default()))
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .into_future(),
    );
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(format!("GET / HTTP/1.1\r\n{H}\r\n").as_bytes())
        .await
        .unwrap();
    read_until(&mut idle, "hello").await;
    let mut busy = TcpStream::connect(addr).await.unwrap();
    busy.write_all(format!("POST /slow HTTP/1.1\r\n{H}Content-Length: 0\r\n\r\n").as_bytes())
        .await
        .unwrap();
    read_until(&mut busy, "102 Processing").await;
    stop_tx.send(()).unwrap();
    // the idle connection closes at once; the busy one gets its response, then closes
    assert_eq!(read_to_close(&mut idle).await, "");
    let rest = read_to_close(&mut busy).await;
    assert!(
        rest.contains("HTTP/1.1 200 OK\r\n") && rest.ends_with("done"),
        "{rest}"
    );
    assert!(common::closes(&rest), "{rest}");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve ends once its connections are closed")
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

use std::future::IntoFuture;

/// A client that goes on sending after a `Connection: close` request (here 256 KiB) still gets
/// its answer whole. (The server reads and drops what follows for up to a second after its FIN,
/// as nginx's lingering close does; Linux over loopback keeps the answer readable even without
/// that, other stacks drop received data on a reset.)
#[tokio::test]
async fn a_closing_answer_survives_bytes_sent_after_it() {
    let srv = start(Builder::new()).await;
    let mut s = TcpStream::connect(srv.addr).await.unwrap();
    let (mut rd, mut wr) = s.split();
    let request = format!("GET / HTTP/1.1\r\n{H}Connection: close\r\n\r\n");
    let junk = vec![b'j'; 256 * 1024];
    let write = async {
        wr.write_all(request.as_bytes()).await.unwrap();
        let _ = wr.write_all(&junk).await; // may fail once the server is gone: fine
    };
    let mut wire = Vec::new();
    // the answer waits in our receive buffer while the junk goes out: a reset now would lose it
    let read = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        tokio::time::timeout(Duration::from_secs(10), rd.read_to_end(&mut wire)).await
    };
    let (_, got) = tokio::join!(write, read);
    let got = got.expect("the server closes");
    assert!(got.is_ok(), "no reset: {got:?}");
    let wire = String::from_utf8_lossy(&wire);
    assert!(
        wire.starts_with("HTTP/1.1 200 OK\r\n") && wire.ends_with("hello"),
        "{wire}"
    );
}
