//! The chunked decoder, driven through a server connection: a chunked request head, then the
//! fuzzer's bytes as the body. Checks that any split gives the same result, and that an accepted
//! body carries exactly the data a naive reading of the chunk sizes gives.
//!
//! Input layout: byte 0 = config (bits 0-3 leniencies, bit 5 small limits), byte 1 = split step
//! (1-16 bytes per piece), then the body bytes.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::{config_from, run, Ev, Req};
use h1x::Role;
use libfuzzer_sys::fuzz_target;

const HEAD: &[u8] =
    b"POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n";

/// A deliberately simple reading of an accepted chunked body: each size line starts with hex
/// digits, data follows its line, a zero size ends it. Returns the data.
fn naive_data(body: &[u8]) -> Vec<u8> {
    let mut at = 0;
    let mut data = Vec::new();
    loop {
        let lf = at
            + body[at..]
                .iter()
                .position(|&b| b == b'\n')
                .expect("size line");
        let digits: Vec<u8> = body[at..lf]
            .iter()
            .copied()
            .take_while(u8::is_ascii_hexdigit)
            .collect();
        let size = u64::from_str_radix(std::str::from_utf8(&digits).unwrap(), 16).expect("hex size")
            as usize;
        at = lf + 1;
        if size == 0 {
            return data;
        }
        data.extend_from_slice(&body[at..at + size]);
        at += size;
        // CRLF (or LF when lenient) after the data
        at += if body[at] == b'\r' { 2 } else { 1 };
    }
}

fuzz_target!(|data: &[u8]| {
    let [flags, step, body @ ..] = data else {
        return;
    };
    let cfg = config_from(*flags & 0x2f);
    let input = [HEAD, body].concat();
    let req = Req::get();
    let whole = run(Role::Server, cfg, 16, &req, &input, &[], false);
    let step = 1 + (*step % 16) as usize;
    let cuts: Vec<usize> = (HEAD.len()..input.len()).step_by(step).collect();
    let split = run(Role::Server, cfg, 16, &req, &input, &cuts, false);
    assert_eq!(whole, split, "step {step}");
    assert!(
        matches!(whole.events.first(), Some(Ev::Request { .. })),
        "{whole:?}"
    );
    // the first message's body: data up to its EndOfMessage
    if let Some(end) = whole.events.iter().position(|e| matches!(e, Ev::End(_))) {
        let got: Vec<u8> = whole.events[1..end]
            .iter()
            .flat_map(|e| match e {
                Ev::Data(d) => d.clone(),
                other => panic!("{other:?} inside the body"),
            })
            .collect();
        assert_eq!(got, naive_data(body));
    }
    if let Some((_, offset)) = whole.error {
        assert!(
            offset >= HEAD.len() && offset <= input.len(),
            "offset {offset}"
        );
    }
});
