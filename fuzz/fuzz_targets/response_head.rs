//! `HeadParser::parse_response` on arbitrary bytes, under arbitrary leniencies and limits: no
//! panic, the grammar h1x promises holds for what it accepts, the result does not depend on how
//! the bytes arrived, and what it accepts (without obs-fold) survives `encode_response` and a
//! second parse.
//!
//! Input layout: byte 0 = config (bits 0-3 leniencies, bit 5 small limits, bit 6 also grow one
//! byte at a time), byte 1 = header storage (0-31 slots), byte 2 = resume cut, then the bytes.
#![no_main]

#[path = "common/head.rs"]
mod head;

use h1x::{encode_response, HeadParser, Leniency};
use head::{as_headers, check_resumable, config_from, response, roomy, Head};
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
        |p, b| response(p, b, slots, &cfg),
        cfg,
    );
    if cfg.leniency.contains(Leniency::OBS_FOLD) {
        return; // folded values hold CRLF: they are not re-encodable as they are
    }
    if let Head::Response {
        status,
        reason,
        version,
        headers,
        ..
    } = response(&mut HeadParser::with_config(cfg), buf, slots, &cfg)
    {
        let hs = as_headers(&headers);
        let roomy = roomy(cfg);
        let mut out = vec![0u8; buf.len() + 64];
        let n = encode_response(status, &reason, version, &hs, &mut out)
            .expect("re-encode an accepted head");
        match response(
            &mut HeadParser::with_config(roomy),
            &out[..n],
            slots,
            &roomy,
        ) {
            Head::Response {
                status: s2,
                reason: r2,
                version: v2,
                headers: h2,
                len,
            } => {
                assert_eq!(len, n);
                assert_eq!((s2, r2, v2, h2), (status, reason, version, headers));
            }
            other => panic!("re-encoded head parsed as {other:?}"),
        }
    }
});
