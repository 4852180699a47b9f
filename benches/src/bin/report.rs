//! Writes benches/RESULTS.md from criterion's output and the side measurements `make bench`
//! collects (instruction counts, wasm timings, h11's memory).
//!
//! ```text
//! report --criterion DIR [--icount FILE] [--icount-swar FILE] [--paired FILE] [--paired-swar FILE] [--wasm FILE] [--h11 FILE] [--out FILE]
//! ```
//!
//! Criterion's `new/estimates.json` and `new/benchmark.json` are read for every benchmark under
//! DIR; times are medians. Missing side files leave their section saying so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use h1x_benches::{INTERIM_HEADS, SHARED};
use serde_json::Value;

/// One criterion benchmark: median time in ns, its 95% interval, bytes per iteration.
#[derive(Debug, Clone, Copy)]
struct Est {
    median: f64,
    lo: f64,
    hi: f64,
    bytes: Option<u64>,
}

fn read_json(p: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
}

fn collect(dir: &Path, out: &mut BTreeMap<String, Est>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        if p.file_name().is_some_and(|n| n == "new") {
            let (Some(b), Some(est)) = (
                read_json(&p.join("benchmark.json")),
                read_json(&p.join("estimates.json")),
            ) else {
                continue;
            };
            let id = b["full_id"].as_str().unwrap_or_default().to_string();
            let m = &est["median"];
            out.insert(
                id,
                Est {
                    median: m["point_estimate"].as_f64().unwrap_or(f64::NAN),
                    lo: m["confidence_interval"]["lower_bound"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                    hi: m["confidence_interval"]["upper_bound"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                    bytes: b["throughput"]["Bytes"].as_u64(),
                },
            );
        } else {
            collect(&p, out);
        }
    }
}

fn ns(t: f64) -> String {
    if t >= 1e6 {
        format!("{:.2} ms", t / 1e6)
    } else if t >= 1e3 {
        format!("{:.2} µs", t / 1e3)
    } else {
        format!("{t:.0} ns")
    }
}

fn gbps(bytes: u64, t: f64) -> String {
    format!("{:.2}", bytes as f64 / t) // bytes per ns = GB/s
}

fn cmd(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn machine() -> String {
    let lscpu = cmd("lscpu", &[]);
    let field = |name: &str| {
        lscpu
            .lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| "?".into())
    };
    let simd = ["sse2", "sse4_2", "avx2"]
        .iter()
        .filter(|f| field("Flags:").split(' ').any(|x| x == **f))
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "- CPU: {} ({} logical CPUs, {} per core; {}: {})\n- SIMD flags: {}\n- {}\n- Load average when the report was written: {}",
        field("Model name:"),
        field("CPU(s):"),
        field("Thread(s) per core:"),
        field("Hypervisor vendor:").replace('?', "bare metal"),
        field("Virtualization type:"),
        simd,
        cmd("rustc", &["--version"]),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// `input parser count` lines from the callgrind runs.
fn icounts(path: Option<&PathBuf>) -> BTreeMap<(String, String), u64> {
    let mut m = BTreeMap::new();
    if let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) {
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let [input, parser, n] = f[..] {
                if let Ok(n) = n.parse() {
                    m.insert((input.to_string(), parser.to_string()), n);
                }
            }
        }
    }
    m
}

/// `input h1x_min httparse_min h1x_median httparse_median` lines from the paired runs.
fn paired(path: Option<&PathBuf>) -> BTreeMap<String, [f64; 4]> {
    let mut m = BTreeMap::new();
    if let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) {
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            if let [input, rest @ ..] = &f[..] {
                let v: Vec<f64> = rest.iter().filter_map(|x| x.parse().ok()).collect();
                if let [a, b, c, d] = v[..] {
                    m.insert(input.to_string(), [a, b, c, d]);
                }
            }
        }
    }
    m
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts: BTreeMap<&str, PathBuf> = BTreeMap::new();
    for pair in args.chunks(2) {
        match pair {
            [k, v] if k.starts_with("--") => {
                opts.insert(k.trim_start_matches("--"), PathBuf::from(v));
            }
            _ => {
                eprintln!("usage: report --criterion DIR [--icount FILE] [--icount-swar FILE] [--paired FILE] [--paired-swar FILE] [--wasm FILE] [--h11 FILE] [--out FILE]");
                std::process::exit(2);
            }
        }
    }
    let mut est = BTreeMap::new();
    let crit = opts
        .get("criterion")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    collect(&crit, &mut est);
    if est.is_empty() {
        eprintln!("report: no criterion results under {}", crit.display());
        std::process::exit(1);
    }
    let ic = icounts(opts.get("icount"));
    let ic_swar = icounts(opts.get("icount-swar"));
    let pair = paired(opts.get("paired"));
    let pair_swar = paired(opts.get("paired-swar"));
    let get = |id: &str| est.get(id).copied();

    let mut r = String::new();
    let w = &mut r;
    let _ = writeln!(w, "# h1x benchmark results\n");
    let _ = writeln!(
        w,
        "Written by `make bench` (benches/src/bin/report.rs from criterion's output). Do not edit by hand.\n"
    );
    let _ = writeln!(w, "## Machine\n\n{}\n", machine());
    let _ = writeln!(
        w,
        "Times are criterion medians (30 samples in 1.2 s per benchmark, after 0.3 s of warm-up) with their 95% \
         interval; h1x and httparse run back to back on the same bytes in the same process, so their \
         ratio is what to read on a shared, noisy machine. Instruction counts (callgrind, per parse, \
         load-independent) are the stable second opinion. GB/s is input bytes per nanosecond.\n"
    );

    // shared inputs
    let _ = writeln!(w, "## Head parsing: h1x against httparse\n");
    let _ = writeln!(
        w,
        "h1x runs its full strict validation (`HeadParser::parse_request` / `parse_response`, \
         `h1x::parse_chunk_size`); httparse 1.10 runs with its defaults (runtime-detected \
         AVX2/SSE4.2 on x86_64). `interim` is three heads (102, 103 with two `Link` fields, 200); \
         `kittyhell` is httparse's own benchmark request (seanmonstar/httparse, benches/parse.rs).\n"
    );
    let _ = writeln!(
        w,
        "| input | bytes | h1x | httparse | **h1x / httparse** | h1x GB/s | httparse GB/s | instructions h1x / httparse |"
    );
    let _ = writeln!(
        w,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut ratios = Vec::new();
    for (name, bytes) in SHARED {
        let (Some(a), Some(b)) = (
            get(&format!("head/{name}/h1x")),
            get(&format!("head/{name}/httparse")),
        ) else {
            continue;
        };
        let ratio = a.median / b.median;
        ratios.push((name, ratio));
        let instr = match (
            ic.get(&(name.to_string(), "h1x".into())),
            ic.get(&(name.to_string(), "httparse".into())),
        ) {
            (Some(x), Some(y)) => format!("{x} / {y} ({:.2})", *x as f64 / *y as f64),
            _ => "-".into(),
        };
        let _ = writeln!(
            w,
            "| `{name}` | {} | {} ({}–{}) | {} ({}–{}) | **{ratio:.2}** | {} | {} | {instr} |",
            bytes.len(),
            ns(a.median),
            ns(a.lo),
            ns(a.hi),
            ns(b.median),
            ns(b.lo),
            ns(b.hi),
            gbps(bytes.len() as u64, a.median),
            gbps(bytes.len() as u64, b.median),
        );
    }

    if !pair.is_empty() {
        let _ = writeln!(w, "\n### Paired rounds: the load-robust view\n");
        let _ = writeln!(
            w,
            "`benches/src/bin/paired.rs`: 200 rounds of about 1 ms that alternate h1x and httparse on the \
             same bytes, so load that comes and goes hits both alike; the fastest round of each is the \
             estimate least disturbed by the other jobs on the machine, the median the typical one.\n"
        );
        let _ = writeln!(
            w,
            "| input | h1x fastest | httparse fastest | **h1x / httparse (fastest)** | h1x median | httparse median | h1x / httparse (median) | h1x SWAR fastest | h1x SWAR / httparse (fastest) |"
        );
        let _ = writeln!(
            w,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        );
        for (name, _) in SHARED {
            let Some(p) = pair.get(name) else { continue };
            let swar = pair_swar.get(name);
            let _ = writeln!(
                w,
                "| `{name}` | {} | {} | **{:.2}** | {} | {} | {:.2} | {} | {} |",
                ns(p[0]),
                ns(p[1]),
                p[0] / p[1],
                ns(p[2]),
                ns(p[3]),
                p[2] / p[3],
                swar.map_or("-".into(), |s| ns(s[0])),
                swar.map_or("-".into(), |s| format!("{:.2}", s[0] / s[1])),
            );
        }
    }

    // SWAR build
    let swar: Vec<_> = SHARED
        .iter()
        .filter_map(|(name, bytes)| {
            Some((
                *name,
                bytes.len(),
                get(&format!("head-swar/{name}/h1x"))?,
                get(&format!("head-swar/{name}/httparse"))?,
            ))
        })
        .collect();
    let _ = writeln!(w, "\n### SIMD off: the portable SWAR build\n");
    if swar.is_empty() {
        let _ = writeln!(w, "Not measured in this run.");
    } else {
        let _ = writeln!(
            w,
            "`cargo bench -p h1x-benches --features swar` (h1x's `force-swar`: 8-byte SWAR scanners, what \
             no_std targets and wasm32 without simd128 get). httparse is re-measured in the same run with \
             its defaults.\n"
        );
        let _ = writeln!(
            w,
            "| input | h1x SWAR | httparse | **h1x SWAR / httparse** | instructions h1x SWAR |"
        );
        let _ = writeln!(w, "| --- | ---: | ---: | ---: | ---: |");
        for (name, _, a, b) in &swar {
            let instr = ic_swar
                .get(&(name.to_string(), "h1x".into()))
                .map_or("-".into(), |n| n.to_string());
            let _ = writeln!(
                w,
                "| `{name}` | {} | {} | **{:.2}** | {instr} |",
                ns(a.median),
                ns(b.median),
                a.median / b.median
            );
        }
    }

    // targets
    let _ = writeln!(w, "\n## Targets\n");
    let worst = ratios
        .iter()
        .cloned()
        .fold(("", 0.0f64), |m, x| if x.1 > m.1 { x } else { m });
    let interim_head = get("head/interim/h1x").map(|e| e.median / INTERIM_HEADS as f64);
    let conn = std::mem::size_of::<h1x::Connection>();
    let _ = writeln!(w, "| target | measured | met |");
    let _ = writeln!(w, "| --- | --- | --- |");
    let pair_ratios: Vec<(&str, f64)> = SHARED
        .iter()
        .filter_map(|(n, _)| pair.get(*n).map(|p| (*n, p[0] / p[1])))
        .collect();
    let pair_worst = pair_ratios
        .iter()
        .cloned()
        .fold(("", 0.0f64), |m, x| if x.1 > m.1 { x } else { m });
    let list = |r: &[(&str, f64)]| {
        r.iter()
            .map(|(n, r)| format!("{n} {r:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        w,
        "| h1x / httparse ≤ 1.0 on every shared input (aim 0.8), criterion medians | worst: `{}` {:.2} ({}) | {} |",
        worst.0,
        worst.1,
        list(&ratios),
        if worst.1 <= 1.0 { "yes" } else { "no" }
    );
    if !pair_ratios.is_empty() {
        let _ = writeln!(
            w,
            "| the same, paired fastest rounds | worst: `{}` {:.2} ({}) | {} |",
            pair_worst.0,
            pair_worst.1,
            list(&pair_ratios),
            if pair_worst.1 <= 1.0 { "yes" } else { "no" }
        );
    }
    if let Some(t) = interim_head {
        let _ = writeln!(
            w,
            "| interim head < 50 ns, criterion median | {t:.0} ns per head (`interim` / 3) | {} |",
            if t < 50.0 { "yes" } else { "no" }
        );
    }
    if let Some(p) = pair.get("interim") {
        let t = p[0] / INTERIM_HEADS as f64;
        let _ = writeln!(
            w,
            "| interim head < 50 ns, paired fastest round | {t:.0} ns per head (`interim` / 3) | {} |",
            if t < 50.0 { "yes" } else { "no" }
        );
    }
    let _ = writeln!(
        w,
        "| zero allocations per keep-alive cycle | 0 (core/tests/zero_alloc.rs, counting allocator, 100 cycles) | yes |"
    );
    let _ = writeln!(
        w,
        "| connection state ≤ 64 bytes | `size_of::<h1x::Connection>()` = {conn} bytes | {} |",
        if conn <= 64 { "yes" } else { "no" }
    );

    // h1x only
    let _ = writeln!(w, "\n## h1x only\n");
    let _ = writeln!(w, "| benchmark | what | time | GB/s |");
    let _ = writeln!(w, "| --- | --- | ---: | ---: |");
    let only = [
        ("cycle/server", "server cycle: decode a request with a chunked body and a trailer; encode 102, 102, 103 (two `Link`s), 200 with a 1 KiB chunked body and a trailer; `start_next_cycle`"),
        ("cycle/client", "the client mirror: encode that request, decode those four heads, the body and the trailer"),
        ("body/chunked_1mib", "decode a PUT with a 1 MiB chunked body (4 KiB chunks), zero-copy, through `Connection::decode`"),
        ("encode/response_head", "`encode_response`: 200 with six fields, validated"),
        ("encode/interim_103", "`Connection::encode` of a 103 with two `Link` fields (state checks included)"),
        ("encode/chunk_1k", "`encode_chunk` of 1 KiB"),
        ("floor/kittyhell/memchr_lf", "floor: `memchr` every LF of kittyhell"),
        ("floor/kittyhell/memmem_crlfcrlf", "floor: `memmem` for the `\\r\\n\\r\\n` of kittyhell"),
    ];
    for (id, what) in only {
        if let Some(e) = get(id) {
            let _ = writeln!(
                w,
                "| `{id}` | {what} | {} | {} |",
                ns(e.median),
                e.bytes.map_or("-".into(), |b| gbps(b, e.median))
            );
        }
    }
    if let (Some(k), Some(f)) = (get("head/kittyhell/h1x"), get("floor/kittyhell/memchr_lf")) {
        let _ = writeln!(
            w,
            "\nThe full strict parse of kittyhell costs {:.1}× a bare `memchr` for its line ends.",
            k.median / f.median
        );
    }

    // wasm
    let _ = writeln!(w, "\n## wasm32\n");
    match opts
        .get("wasm")
        .and_then(|p| std::fs::read_to_string(p).ok())
    {
        Some(text) => {
            let _ = writeln!(w, "{}", text.trim());
        }
        None => {
            let _ = writeln!(
                w,
                "Not measured in this run (needs the wasm32-unknown-unknown target and Node)."
            );
        }
    }

    // memory
    let _ = writeln!(
        w,
        "\n## Memory at scale: a million idle keep-alive connections\n"
    );
    let _ = writeln!(
        w,
        "Protocol state only: socket buffers, header storage and the application's own objects are \
         the same for every parser and left out.\n"
    );
    let _ = writeln!(w, "| stack | per connection | × 1,000,000 | source |");
    let _ = writeln!(w, "| --- | ---: | ---: | --- |");
    let _ = writeln!(
        w,
        "| h1x `Connection` | {conn} B | {:.0} MB | `size_of::<h1x::Connection>()`, measured here |",
        conn as f64
    );
    let _ = writeln!(
        w,
        "| llhttp `llhttp_t` | {LLHTTP_T} B | {:.0} MB | `sizeof(llhttp_t)` on LP64, from the struct \
         `llhttp__internal_s` in llhttp's published header `include/llhttp.h` (nodejs/llhttp 9.1.3); Node's \
         `HTTPParser` wrapper object comes on top |",
        LLHTTP_T as f64
    );
    match opts.get("h11").and_then(|p| read_json(p)) {
        Some(h) => {
            let idle = h["idle_after_cycle_bytes"].as_f64().unwrap_or(f64::NAN);
            let fresh = h["fresh_bytes"].as_f64().unwrap_or(f64::NAN);
            let _ = writeln!(
                w,
                "| h11 `Connection` (Python {}, h11 {}) | {idle:.0} B | {:.0} MB | tracemalloc: {} idle server \
                 connections after one keep-alive cycle each (fresh ones: {fresh:.0} B) |",
                h["python"].as_str().unwrap_or("?"),
                h["h11"].as_str().unwrap_or("?"),
                idle,
                h["connections"].as_u64().unwrap_or(0),
            );
        }
        None => {
            let _ = writeln!(
                w,
                "| h11 `Connection` | - | - | not measured in this run (needs Python and the benches/.venv) |"
            );
        }
    }

    let out = opts.get("out").cloned();
    match out {
        Some(p) => std::fs::write(&p, r).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        None => print!("{r}"),
    }
}

/// `sizeof(llhttp_t)` on an LP64 target, from `struct llhttp__internal_s` in llhttp's
/// `include/llhttp.h` (nodejs/llhttp 9.1.3): `int32_t _index` (4, padded to 8), `void*
/// _span_pos0`, `void* _span_cb0` (16), `int32_t error` (4, padded to 8), `const char* reason`,
/// `const char* error_pos`, `void* data`, `void* _current` (32), `uint64_t content_length` (8),
/// `uint8_t type, method, http_major, http_minor, header_state` (5, padded to 6), `uint16_t
/// lenient_flags` (2), `uint8_t upgrade, finish` (2), `uint16_t flags, status_code` (4),
/// `uint8_t initial_message_completed` (1, padded to 2), `void* settings` (8): 96 bytes, as a C
/// compiler lays it out (checked with gcc on x86_64).
const LLHTTP_T: usize = 8 + 16 + 8 + 32 + 8 + 6 + 2 + 2 + 4 + 2 + 8;
