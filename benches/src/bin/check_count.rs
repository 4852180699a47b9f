//! Profiling aid: the public validators as the Python binding calls them, once per constructed
//! event (`check_response_head` for a `102 Processing` and for a `200` with Content-Length, then
//! `check_fields` for that field), `N` times. Instructions per round as for `cycle_count`:
//!
//! ```text
//! cargo build --release -p h1x-benches --bin check_count
//! valgrind --tool=callgrind target/release/check_count 2000   # a
//! valgrind --tool=callgrind target/release/check_count 12000  # b
//! # (b - a) / 10000
//! ```

use std::hint::black_box;

use h1x::{check_fields, check_response_head, Header};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let fields = [Header::new("Content-Length", "1024")];
    let mut ok = 0usize;
    for _ in 0..n {
        ok += check_response_head(black_box(102), black_box(b"Processing"), black_box(&[])).is_ok()
            as usize;
        ok += check_response_head(black_box(200), black_box(b"OK"), black_box(&fields)).is_ok()
            as usize;
        ok += check_fields(black_box(&fields)).is_ok() as usize;
    }
    assert_eq!(ok, 3 * n);
    println!("{ok}");
}
