//! Paired timing of h1x and httparse on the shared inputs: rounds that alternate the two parsers
//! on the same bytes, so load that comes and goes on a shared machine hits both alike. Reports,
//! per input, the fastest round of each (the load-free estimate) and the median round.
//!
//! `paired [rounds]`; prints `input h1x_min_ns httparse_min_ns h1x_median_ns httparse_median_ns`.

use h1x_benches::{run_h1x, run_httparse, SHARED};
use std::hint::black_box;
use std::time::Instant;

fn round(iters: u32, mut f: impl FnMut() -> usize) -> f64 {
    let t = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    t.elapsed().as_nanos() as f64 / iters as f64
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .map_or(60, |r| r.parse().expect("rounds"));
    let cfg = h1x::Config::default();
    for (name, bytes) in SHARED {
        let mut p = h1x::HeadParser::new();
        // about 1 ms per round
        let iters = (1_000_000 / (bytes.len() as u32 * 2)).max(500);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for r in 0..rounds + 5 {
            let ta = round(iters, || run_h1x(name, black_box(bytes), &mut p, &cfg));
            let tb = round(iters, || run_httparse(name, black_box(bytes)));
            if r >= 5 {
                a.push(ta);
                b.push(tb);
            }
        }
        a.sort_by(f64::total_cmp);
        b.sort_by(f64::total_cmp);
        println!(
            "{name} {:.1} {:.1} {:.1} {:.1}",
            a[0],
            b[0],
            a[a.len() / 2],
            b[b.len() / 2]
        );
    }
}
