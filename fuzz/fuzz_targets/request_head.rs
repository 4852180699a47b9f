//! `HeadParser::parse_request` on arbitrary bytes, under arbitrary leniencies and limits: no
//! panic, the grammar h1x promises holds for what it accepts, the result does not depend on how
//! the bytes arrived, and what it accepts survives `encode_request` and a second parse.
//!
//! Input layout: byte 0 = config (bits 0-3 leniencies, bit 5 small limits, bit 6 also grow one
//! byte at a time), byte 1 = header storage (0-31 slots), byte 2 = resume cut, then the bytes.
#![no_main]

#[path = "common/head.rs"]
mod head;

use h1x::{encode_request, HeadParser, Header};
use head::{check_resumable, request, Head};
use libfuzzer_sys::fuzz_target;

fn config_from(b: u8) -> h1x::Config {
    let mut cfg = h1x::Config::default().lenient(h1x::Leniency::from_bits_truncate(b & 0x0f));
    if b & 0x20 != 0 {
        cfg.max_head_bytes = 256;
        cfg.max_line_bytes = 64;
    }
    cfg
}

fuzz_target!(|data: &[u8]| {
    let [flags, slots, cut, buf @ ..] = data else {
        return;
    };
    let cfg = config_from(*flags);
    let slots = (*slots % 32) as usize;
    let cut = (*cut as usize).min(buf.len());
    check_resumable(
        buf,
        cut,
        flags & 0x40 != 0,
        |p, b| request(p, b, slots),
        cfg,
    );
    // what was accepted re-encodes to a head that parses to the same parts
    if let Head::Request {
        method,
        target,
        version,
        headers,
        ..
    } = request(&mut HeadParser::with_config(cfg), buf, slots)
    {
        let hs: Vec<Header<'_>> = headers
            .iter()
            .map(|(n, v)| Header { name: n, value: v })
            .collect();
        // re-parsed without the small limits: the encoder writes `Name: value`, maybe longer
        let roomy = h1x::Config {
            max_head_bytes: 1 << 20,
            max_line_bytes: 1 << 20,
            ..cfg
        };
        let mut out = vec![0u8; buf.len() + 64];
        let n = encode_request(&method, &target, version, &hs, &mut out)
            .expect("re-encode an accepted head");
        match request(&mut HeadParser::with_config(roomy), &out[..n], slots) {
            Head::Request {
                method: m2,
                target: t2,
                version: v2,
                headers: h2,
                len,
            } => {
                assert_eq!(len, n);
                assert_eq!((m2, t2, v2, h2), (method, target, version, headers));
            }
            other => panic!("re-encoded head parsed as {other:?}"),
        }
    }
});
