//! h1x against httparse on the same inputs in the same run, plus h1x-only workloads.
//!
//! IDs: `head/<input>/{h1x,httparse}` (`head-swar/...` when built with `--features swar`),
//! `cycle/{server,client}`, `body/chunked_1mib`, `encode/{response_head,chunk_1k}`,
//! `floor/kittyhell/{memchr_lf,memmem_crlfcrlf}`. `make bench` turns them into RESULTS.md.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use h1x::{Connection, Event, Role, Version};
use h1x_benches::*;

const HEAD_GROUP: &str = if cfg!(feature = "swar") {
    "head-swar"
} else {
    "head"
};

fn heads(c: &mut Criterion) {
    let mut g = c.benchmark_group(HEAD_GROUP);
    let cfg = h1x::Config::default();
    for (name, bytes) in SHARED {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new(name, "h1x"), bytes, |b, bytes| {
            let mut parser = h1x::HeadParser::new();
            b.iter(|| run_h1x(name, black_box(bytes), &mut parser, &cfg))
        });
        g.bench_with_input(BenchmarkId::new(name, "httparse"), bytes, |b, bytes| {
            b.iter(|| run_httparse(name, black_box(bytes)))
        });
    }
    g.finish();
}

fn h1x_only(c: &mut Criterion) {
    if cfg!(feature = "swar") {
        return; // the SWAR build re-measures the shared heads only
    }
    let mut g = c.benchmark_group("cycle");
    let req = request_wire();
    let res = response_wire();
    g.throughput(Throughput::Bytes((req.len + res.len) as u64));
    g.bench_function("server", |b| {
        let mut server = Connection::new(Role::Server);
        let mut out = Wire::with_capacity(4096);
        b.iter(|| {
            let seen = drain(&mut server, black_box(req.bytes()));
            out.len = 0;
            server_send(&mut server, &mut out);
            server.start_next_cycle().unwrap();
            (seen, out.len)
        })
    });
    g.bench_function("client", |b| {
        let mut client = Connection::new(Role::Client);
        let mut out = Wire::with_capacity(4096);
        b.iter(|| {
            out.len = 0;
            client_send(&mut client, &mut out);
            let seen = drain(&mut client, black_box(res.bytes()));
            client.start_next_cycle().unwrap();
            (seen, out.len)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("body");
    let upload = chunked_upload(1 << 20, 4096);
    g.throughput(Throughput::Bytes(upload.len() as u64));
    g.bench_function("chunked_1mib", |b| {
        b.iter(|| {
            let mut server = Connection::new(Role::Server);
            drain(&mut server, black_box(&upload))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("encode");
    let fields = encode_fields();
    let mut out = [0u8; 1024];
    let n = h1x::encode_response(200, b"OK", Version::Http11, &fields, &mut out).unwrap();
    g.throughput(Throughput::Bytes(n as u64));
    g.bench_function("response_head", |b| {
        b.iter(|| {
            h1x::encode_response(200, b"OK", Version::Http11, black_box(&fields), &mut out).unwrap()
        })
    });
    let mut out = [0u8; 2048];
    g.throughput(Throughput::Bytes(RESP_BODY.len() as u64 + 7));
    g.bench_function("chunk_1k", |b| {
        b.iter(|| h1x::encode_chunk(black_box(&RESP_BODY), &mut out).unwrap())
    });
    let links = links();
    let mut out = [0u8; 512];
    let ev = Event::interim(103, &links);
    let n = {
        let mut s = Connection::new(Role::Server);
        drain(&mut s, request_wire().bytes());
        s.encode(&ev, &mut out).unwrap()
    };
    g.throughput(Throughput::Bytes(n as u64));
    g.bench_function("interim_103", |b| {
        let mut s = Connection::new(Role::Server);
        drain(&mut s, request_wire().bytes());
        b.iter(|| s.encode(black_box(&ev), &mut out).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("floor");
    g.throughput(Throughput::Bytes(KITTYHELL.len() as u64));
    g.bench_function(BenchmarkId::new("kittyhell", "memchr_lf"), |b| {
        b.iter(|| memchr::memchr_iter(b'\n', black_box(KITTYHELL)).count())
    });
    let finder = memchr::memmem::Finder::new(b"\r\n\r\n");
    g.bench_function(BenchmarkId::new("kittyhell", "memmem_crlfcrlf"), |b| {
        b.iter(|| finder.find(black_box(KITTYHELL)))
    });
    g.finish();
}

fn config() -> Criterion {
    // short on purpose: `make bench` must stay under 10 minutes on a shared 2-core machine;
    // the medians of 30 samples are stable enough for ratios taken in the same run
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = heads, h1x_only
}
criterion_main!(benches);
