//! Exports for benches/wasm/run.mjs: run a shared input through h1x or httparse `iters` times.

use h1x_benches::{run_h1x, run_httparse, SHARED};

/// How many shared inputs there are (`run`'s `input` is an index into `h1x_benches::SHARED`).
#[no_mangle]
pub extern "C" fn inputs() -> u32 {
    SHARED.len() as u32
}

/// The byte length of input `input`.
#[no_mangle]
pub extern "C" fn input_len(input: u32) -> u32 {
    SHARED[input as usize].1.len() as u32
}

/// Parses input `input` `iters` times with h1x (`parser` 0) or httparse (`parser` 1); returns
/// the bytes the last parse consumed.
#[no_mangle]
pub extern "C" fn run(input: u32, parser: u32, iters: u32) -> u32 {
    let (name, bytes) = SHARED[input as usize];
    let cfg = h1x::Config::default();
    let mut p = h1x::HeadParser::new();
    let mut used = 0;
    for _ in 0..iters {
        let bytes = core::hint::black_box(bytes);
        used = if parser == 0 {
            run_h1x(name, bytes, &mut p, &cfg)
        } else {
            run_httparse(name, bytes)
        };
    }
    used as u32
}
