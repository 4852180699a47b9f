//! The benchmark's server and idle-connection client (run by `make bench-server`, see
//! `bench/run.py`): the same axum app served by hyper (`axum::serve`) or by h1x-tokio, on a
//! current-thread or a multi-thread runtime.
//!
//! ```text
//! bench_server serve --server h1x|hyper --rt current|multi [--addr 127.0.0.1:0]
//! bench_server idle --connect 127.0.0.1:PORT --count 10000
//! ```
//!
//! The app: `GET /1k` answers 1 KiB of text, `POST /echo` answers the request body.

use axum::body::Bytes;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use std::io::BufRead;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const USAGE: &str =
    "usage: bench_server serve --server h1x|hyper --rt current|multi [--addr A]\n       \
                     bench_server idle --connect ADDR --count N";

static ONE_KIB: [u8; 1024] = [b'x'; 1024];

fn app() -> Router {
    Router::new()
        .route("/1k", get(|| async { Bytes::from_static(&ONE_KIB) }))
        .route("/echo", post(|body: Bytes| async move { body }))
}

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => {
            let server = flag(&args, "--server").unwrap_or_else(|| "h1x".into());
            let rt = flag(&args, "--rt").unwrap_or_else(|| "multi".into());
            let addr = flag(&args, "--addr").unwrap_or_else(|| "127.0.0.1:0".into());
            let runtime = match rt.as_str() {
                "current" => tokio::runtime::Builder::new_current_thread(),
                "multi" => tokio::runtime::Builder::new_multi_thread(),
                _ => panic!("{USAGE}"),
            }
            .enable_all()
            .build()
            .expect("a runtime");
            runtime.block_on(serve(&server, &addr));
        }
        Some("idle") => {
            let addr = flag(&args, "--connect").expect(USAGE);
            let count: usize = flag(&args, "--count").expect(USAGE).parse().expect(USAGE);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let conns = runtime.block_on(idle(&addr, count));
            println!("ready {}", conns.len());
            // hold them until our stdin closes
            for _ in std::io::stdin().lock().lines() {}
            drop(conns);
        }
        _ => eprintln!("{USAGE}"),
    }
}

async fn serve(server: &str, addr: &str) {
    let listener = TcpListener::bind(addr).await.expect("bind");
    let local = listener.local_addr().expect("bound");
    println!("listening on http://{local} ({server})");
    match server {
        "hyper" => {
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, app()).await.expect("serve");
        }
        "h1x" => h1x_tokio::serve(listener, app()).await.expect("serve"),
        _ => panic!("{USAGE}"),
    }
}

/// Open `count` connections, one keep-alive GET on each, and return them (idle).
async fn idle(addr: &str, count: usize) -> Vec<TcpStream> {
    let mut conns = Vec::with_capacity(count);
    let request = b"GET /1k HTTP/1.1\r\nHost: bench\r\n\r\n";
    // in batches, so that the listen backlog never overflows
    for batch in (0..count).collect::<Vec<_>>().chunks(200) {
        let mut opened = Vec::with_capacity(batch.len());
        for _ in batch {
            let mut s = TcpStream::connect(addr).await.expect("connect");
            s.write_all(request).await.expect("write");
            opened.push(s);
        }
        for mut s in opened {
            let mut got = Vec::new();
            let mut buf = [0u8; 4096];
            // the response ends with the 1 KiB of 'x'
            while got.len() < 1024 || !got.ends_with(&ONE_KIB[..64]) {
                let n = s.read(&mut buf).await.expect("read");
                assert!(n > 0, "closed early");
                got.extend_from_slice(&buf[..n]);
            }
            conns.push(s);
        }
    }
    conns
}
