//! `HeadParser::parse_request` on arbitrary bytes, under arbitrary leniencies and limits: no
//! panic, the grammar h1x promises holds for what it accepts, the result does not depend on how
//! the bytes arrived, and what it accepts survives `encode_request` and a second parse.
//!
//! Input layout: byte 0 = config (bits 0-3 leniencies, bit 5 small limits, bit 6 also grow one
//! byte at a time), byte 1 = header storage (0-31 slots), byte 2 = resume cut, then the bytes.
#![no_main]

#[path = "common/head.rs"]
mod head;

use h1x::{encode_request, HeadParser};
use head::{as_headers, check_resumable, config_from, request, roomy, Head};
use libfuzzer_sys::fuzz_target;

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
        let hs = as_headers(&headers);
        let mut out = vec![0u8; buf.len() + 64];
        let n = encode_request(&method, &target, version, &hs, &mut out)
            .expect("re-encode an accepted head");
        match request(&mut HeadParser::with_config(roomy(cfg)), &out[..n], slots) {
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
