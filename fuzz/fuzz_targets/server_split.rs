//! A server connection fed arbitrary bytes, in one piece and cut at arbitrary points (or one byte
//! at a time): the events, and the error's kind and offset, must be the same.
//!
//! Input layout: byte 0 = config (bits 0-3 leniencies, bit 4 EOF after the input, bit 5 small
//! limits, bit 6 one byte at a time), byte 1 = header storage (1-32 slots), byte 2 = number of
//! cuts (0-7), then two bytes per cut, then the wire bytes.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::{config_from, cuts_from, every_byte, run, Req};
use h1x::Role;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [flags, slots, ncuts, rest @ ..] = data else {
        return;
    };
    let ncuts = (*ncuts % 8) as usize;
    if rest.len() < 2 * ncuts {
        return;
    }
    let (raw_cuts, input) = rest.split_at(2 * ncuts);
    let cfg = config_from(*flags);
    let eof = flags & 0x10 != 0;
    let max_headers = 1 + (*slots % 32) as usize;
    let req = Req::get();
    let whole = run(Role::Server, cfg, max_headers, &req, input, &[], eof);
    let cuts = if flags & 0x40 != 0 {
        every_byte(input.len())
    } else {
        cuts_from(raw_cuts, input.len())
    };
    let split = run(Role::Server, cfg, max_headers, &req, input, &cuts, eof);
    assert_eq!(whole, split, "cuts {cuts:?}");
    if let Some((_, offset)) = whole.error {
        assert!(
            offset <= input.len(),
            "error offset {offset} beyond the input"
        );
    }
});
