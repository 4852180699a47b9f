//! Profiling aid: runs the server-side keep-alive cycle the Python binding's benchmark drives
//! (decode a 424-byte GET with 8 fields, then send two `102 Processing`, a `200` with
//! Content-Length, 1 KiB of data and the end of the message) `N` times.
//!
//! Instructions per cycle, independent of the machine's load (start-up cost cancels out):
//!
//! ```text
//! cargo build --release -p h1x-benches --bin cycle_count
//! valgrind --tool=callgrind target/release/cycle_count 2000   # a
//! valgrind --tool=callgrind target/release/cycle_count 12000  # b
//! # (b - a) / 10000; `callgrind_annotate --inclusive=yes` splits it into decode and encode
//! ```

use std::hint::black_box;

use h1x::{Connection, Event, Header, Role};

const REQUEST: &[u8] = b"GET /api/v1/panorama/render?id=8472&quality=high&format=jpeg HTTP/1.1\r\n\
Host: renders.example.com\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: en-US,en;q=0.5\r\n\
Accept-Encoding: gzip, deflate, br\r\n\
Connection: keep-alive\r\n\
Cookie: session=4f2a9c1e7b3d5a8f0; theme=dark1\r\n\
Cache-Control: max-age=0\r\n\
\r\n";

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    assert_eq!(REQUEST.len(), 424);
    let body = [b'x'; 1024];
    let response_fields = [Header::new("Content-Length", "1024")];
    let mut out = [0u8; 2048];
    let mut conn = Connection::new(Role::Server);
    let mut total = 0usize;
    for _ in 0..n {
        let mut headers = [Header::EMPTY; 32];
        let input = black_box(REQUEST);
        let (a, ev) = conn.decode(input, &mut headers).unwrap();
        assert!(matches!(ev, Event::Request(ref r) if r.headers.len() == 8));
        let (b, ev) = conn.decode(&input[a..], &mut headers).unwrap();
        assert_eq!(ev, Event::EndOfMessage(&[]));
        total += a + b;
        let events = [
            Event::interim(102, &[]),
            Event::interim(102, &[]),
            Event::response(200, &response_fields),
            Event::Data(&body),
            Event::EndOfMessage(&[]),
        ];
        for ev in black_box(&events) {
            total += conn.encode(ev, &mut out).unwrap();
        }
        conn.start_next_cycle().unwrap();
    }
    println!("{}", black_box(total));
}
