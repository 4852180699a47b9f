//! Runs one shared input through one parser `N` times: a fixed workload for instruction counts
//! (`valgrind --tool=callgrind`), which, unlike wall time, do not depend on the machine's load.
//!
//! `iterate <input> <h1x|httparse> <N>`; prints the bytes consumed per run.

use h1x_benches::{run_h1x, run_httparse, SHARED};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, parser, n] = &args[..] else {
        eprintln!("usage: iterate <input> <h1x|httparse> <N>");
        std::process::exit(2);
    };
    let (name, bytes) = SHARED
        .iter()
        .find(|(name, _)| name == input)
        .unwrap_or_else(|| panic!("unknown input {input}"));
    let n: usize = n.parse().expect("N");
    let cfg = h1x::Config::default();
    let mut p = h1x::HeadParser::new();
    let mut used = 0;
    for _ in 0..n {
        used = match parser.as_str() {
            "h1x" => run_h1x(name, black_box(bytes), &mut p, &cfg),
            "httparse" => run_httparse(name, black_box(bytes)),
            other => panic!("unknown parser {other}"),
        };
    }
    println!("{used}");
}
