//! The conformance scorecard (`CONFORMANCE.md` at the repository root), computed by this run.
//!
//! * llhttp's own test suite (`tests/conformance/llhttp/`, MIT, credit in its README): every case
//!   fed through a [`Connection`] in one piece, cut once at every offset and one byte at a time;
//!   the result must not depend on the split, and must equal llhttp's — accept/reject, upgrade
//!   pause, method, target, status, version, headers, body, chunk sizes, completion — unless
//!   `tests/conformance/llhttp_expectations.json` lists the case as an expected difference (and
//!   then h1x's own outcome is asserted) or a skip, each with its reason.
//! * the smuggling corpora (`tests/vectors/smuggling_*.json`, run at every split by
//!   `tests/vectors.rs` and by the Python and JS suites): counted per source, each case checked
//!   to be rejected or framed exactly as the file says.
//! * the RFC 9110/9112 rule table (`tests/conformance/rfc_rules.json`): every test it names
//!   must exist.
//!
//! The scorecard text is regenerated and compared with `CONFORMANCE.md`; `H1X_BLESS=1 cargo test
//! -p h1x --test conformance` rewrites it.

mod support;

use h1x::{Config, Connection, Event, Header, Leniency, Role, State};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn core_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// base64 (the corpus stores inputs as base64)

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 byte {c}"),
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for group in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in group.iter().enumerate() {
            acc |= val(c) << (18 - 6 * i);
        }
        out.extend_from_slice(&acc.to_be_bytes()[1..group.len()]);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One run of a case through a Connection, reduced to what llhttp's traces show.

/// A message as both sides report it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Msg {
    /// `GET /url` or `200`.
    start: String,
    version: String,
    /// Fields then trailer fields, as llhttp lists them.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Sizes of the data events (one per chunk when the input arrives in one piece).
    data_sizes: Vec<usize>,
    complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Decoding stopped for more data, or the connection closed cleanly.
    Accepted,
    /// An upgrade or CONNECT handed the connection over (llhttp's `HPE_PAUSED_UPGRADE`).
    Paused,
    /// An error, by kind.
    Rejected(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Trace {
    messages: Vec<Msg>,
    outcome: Outcome,
}

impl Trace {
    /// The trace without data-event sizes (those depend on the split).
    fn split_independent(&self) -> Trace {
        let mut t = self.clone();
        for m in &mut t.messages {
            m.data_sizes.clear();
        }
        t
    }
}

fn text(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn headers_of(h: &[Header<'_>]) -> Vec<(String, String)> {
    h.iter().map(|h| (text(h.name), text(h.value))).collect()
}

/// How one case is run.
#[derive(Clone)]
struct Setup {
    role: Role,
    config: Config,
    /// Client role: the method of the request sent before each response.
    method: &'static str,
    /// Client role: propose an upgrade (for 101 responses).
    upgrade: bool,
    /// Signal EOF after the input (llhttp's `llhttp_finish`).
    eof: bool,
}

struct Driver {
    conn: Connection,
    setup: Setup,
    messages: Vec<Msg>,
    out: Vec<u8>,
}

impl Driver {
    fn send(&mut self, ev: &Event<'_, '_>) {
        self.out.resize(4096, 0);
        self.conn.encode(ev, &mut self.out).expect("runner send");
    }

    fn send_request(&mut self) {
        let mut headers = vec![Header::new("Host", "example.com")];
        if self.setup.upgrade {
            headers.push(Header::new("Connection", "upgrade"));
            headers.push(Header::new("Upgrade", "h2c"));
        }
        self.send(&Event::request(self.setup.method, "/", &headers));
        if self.conn.our_state() == State::SendBody {
            self.send(&Event::end());
        }
    }

    /// After a message: the server answers, both sides start the next cycle.
    fn cycle(&mut self) {
        if self.conn.role() == Role::Server
            && self.conn.our_state() == State::SendResponse
            && self.conn.their_state() == State::Done
        {
            self.send(&Event::response(200, &[Header::new("Content-Length", "0")]));
            self.send(&Event::end());
        }
        if self.conn.our_state() == State::Done && self.conn.their_state() == State::Done {
            self.conn.start_next_cycle().unwrap();
            if self.conn.role() == Role::Client {
                self.send_request();
            }
        }
    }

    /// Takes events until more data is needed; `Some(outcome)` when decoding stopped for good.
    fn pump(&mut self, buf: &mut Vec<u8>) -> Option<Outcome> {
        loop {
            let mut storage = vec![Header::EMPTY; 128];
            let (n, ev) = match self.conn.decode(buf, &mut storage) {
                Ok(r) => r,
                Err(e) => return Some(Outcome::Rejected(e.kind().name().to_string())),
            };
            let mut stop = None;
            let mut eom = false;
            match ev {
                Event::Request(r) => self.messages.push(Msg {
                    start: format!("{} {}", text(r.method), text(r.target)),
                    version: r.version.as_str().to_string(),
                    headers: headers_of(r.headers),
                    body: vec![],
                    data_sizes: vec![],
                    complete: false,
                }),
                Event::InformationalResponse(r) | Event::Response(r) => {
                    self.messages.push(Msg {
                        start: r.status.to_string(),
                        version: r.version.as_str().to_string(),
                        headers: headers_of(r.headers),
                        body: vec![],
                        data_sizes: vec![],
                        // an interim response is a whole message: llhttp completes it too
                        complete: r.status < 200,
                    })
                }
                Event::Data(d) => {
                    let m = self.messages.last_mut().expect("data before a head");
                    m.body.extend_from_slice(d);
                    m.data_sizes.push(d.len());
                }
                Event::EndOfMessage(trailers) => {
                    let m = self.messages.last_mut().expect("end before a head");
                    m.headers.extend(headers_of(trailers));
                    m.complete = true;
                    eom = true;
                }
                Event::ConnectionClosed => stop = Some(Outcome::Accepted),
                Event::Paused => stop = Some(Outcome::Paused),
                Event::NeedData => {}
            }
            let need = matches!(ev, Event::NeedData);
            drop(storage);
            buf.drain(..n);
            if stop.is_some() {
                return stop;
            }
            if eom {
                self.cycle();
            }
            if need {
                return None;
            }
        }
    }
}

/// Runs `input` cut at `cuts` (offsets, ascending).
fn run(setup: &Setup, input: &[u8], cuts: &[usize]) -> Trace {
    let mut d = Driver {
        conn: Connection::with_config(setup.role, setup.config),
        setup: setup.clone(),
        messages: vec![],
        out: vec![],
    };
    if setup.role == Role::Client {
        d.send_request();
    }
    let mut buf = Vec::new();
    let mut prev = 0;
    let mut outcome = None;
    for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
        buf.extend_from_slice(&input[prev..cut]);
        prev = cut;
        outcome = d.pump(&mut buf);
        if outcome.is_some() {
            break;
        }
    }
    if outcome.is_none() && setup.eof {
        d.conn.receive_eof();
        outcome = d.pump(&mut buf);
    }
    Trace {
        messages: d.messages,
        outcome: outcome.unwrap_or(Outcome::Accepted),
    }
}

/// Runs every split: one piece, one cut at every offset, one byte at a time. All must agree
/// (data-event sizes aside); returns the one-piece trace.
fn run_every_split(setup: &Setup, input: &[u8]) -> Result<(Trace, usize), String> {
    let whole = run(setup, input, &[]);
    let want = whole.split_independent();
    let mut splits: Vec<Vec<usize>> = vec![(1..input.len()).collect()];
    splits.extend((1..input.len()).map(|c| vec![c]));
    for cuts in &splits {
        let got = run(setup, input, cuts).split_independent();
        if got != want {
            return Err(format!(
                "split-dependent result at cuts {:?}:\n  one piece {want:?}\n  split     {got:?}",
                &cuts[..cuts.len().min(8)]
            ));
        }
    }
    Ok((whole, splits.len() + 1))
}

// ---------------------------------------------------------------------------------------------
// llhttp's side

/// llhttp's log escapes some bytes in spans (`\t`, `\f`, `\xNN`) but not `"` or `\`, the
/// corpus decoder treated `\"` as an escape anyway, and bodies lose their CR and LF (logged as
/// separate `cr`/`lf` spans). So both sides are compared after undoing the escapes, dropping CR,
/// LF and backslashes, and trimming trailing whitespace (h1x trims field values; llhttp keeps
/// trailing OWS).
fn unescape_log(s: &str) -> Vec<u8> {
    let b: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let (byte, len) = match b[i + 1] {
                b't' => (b'\t', 2),
                b'f' => (0x0c, 2),
                b'r' => (b'\r', 2),
                b'n' => (b'\n', 2),
                b'"' => (b'"', 2),
                b'\\' => (b'\\', 2),
                b'x' if i + 3 < b.len() => {
                    let h = std::str::from_utf8(&b[i + 2..i + 4]).ok();
                    match h.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(v) => (v, 4),
                        None => (b'\\', 1),
                    }
                }
                _ => (b'\\', 1),
            };
            out.push(byte);
            i += len;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn comparable(mut b: Vec<u8>) -> Vec<u8> {
    b.retain(|&c| c != b'\r' && c != b'\n' && c != b'\\');
    while matches!(b.last(), Some(b' ' | b'\t')) {
        b.pop();
    }
    b
}

/// What llhttp reported for a case, reduced to the comparable parts.
struct Expected {
    messages: Vec<Msg>,
    outcome: Outcome,
    /// Chunk sizes per message (without the last chunk), when chunked.
    chunks: Vec<Vec<usize>>,
}

fn llhttp_expected(case: &Value, finish: Option<u64>) -> Expected {
    let e = &case["expect"];
    let mut messages = vec![];
    let mut chunks = vec![];
    for m in e["messages"].as_array().unwrap() {
        if m["headersComplete"] != Value::Bool(true) {
            continue;
        }
        let start = match (&m["method"], &m["status"]) {
            (Value::String(method), _) => format!("{method} {}", m["url"].as_str().unwrap()),
            (_, Value::Number(n)) => n.to_string(),
            _ => panic!("message without method or status: {m}"),
        };
        messages.push(Msg {
            start,
            version: m["version"].as_str().unwrap_or("").to_string(),
            headers: m["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap().to_string(),
                        p[1].as_str().unwrap().to_string(),
                    )
                })
                .collect(),
            body: unescape_log(m["body"].as_str().unwrap_or("")),
            data_sizes: vec![],
            complete: m["complete"] == Value::Bool(true),
        });
        chunks.push(
            m["chunks"]
                .as_array()
                .map(|c| {
                    c.iter()
                        .map(|n| n.as_u64().unwrap() as usize)
                        .filter(|&n| n > 0)
                        .collect()
                })
                .unwrap_or_default(),
        );
    }
    let mut outcome = match &e["error"] {
        Value::Null => Outcome::Accepted,
        err if err["code"] == 22 => Outcome::Paused,
        err => Outcome::Rejected(format!("llhttp code {}: {}", err["code"], err["reason"])),
    };
    // llhttp_finish(): 0 safe, 1 safe and completes the message, 2 unsafe (an error)
    match finish {
        Some(1) => {
            if let Some(m) = messages.last_mut() {
                m.complete = true;
            }
        }
        Some(2) => outcome = Outcome::Rejected("llhttp_finish: unsafe".into()),
        _ => {}
    }
    Expected {
        messages,
        outcome,
        chunks,
    }
}

/// Compares h1x's one-piece trace with llhttp's; `Err` says how they differ, `Ok(true)` that they
/// agree with h1x refusing a head llhttp reported before refusing it.
fn compare(exp: &Expected, got: &Trace) -> Result<bool, String> {
    let same_outcome = matches!(
        (&exp.outcome, &got.outcome),
        (Outcome::Accepted, Outcome::Accepted)
            | (Outcome::Paused, Outcome::Paused)
            | (Outcome::Rejected(_), Outcome::Rejected(_))
    );
    if !same_outcome {
        return Err(format!(
            "outcome: llhttp {:?}, h1x {:?}",
            exp.outcome, got.outcome
        ));
    }
    // llhttp reports a head and then rejects it from its headers-complete step (bad framing
    // fields); h1x rejects the head as a whole. Both refuse the message before any body.
    let mut exp_messages = &exp.messages[..];
    if let (Outcome::Rejected(_), Outcome::Rejected(_), Some(last)) =
        (&exp.outcome, &got.outcome, exp.messages.last())
    {
        if exp.messages.len() == got.messages.len() + 1 && !last.complete && last.body.is_empty() {
            exp_messages = &exp.messages[..got.messages.len()];
        }
    }
    if exp_messages.len() != got.messages.len() {
        return Err(format!(
            "heads: llhttp {}, h1x {} ({:?})",
            exp_messages.len(),
            got.messages.len(),
            got.messages.iter().map(|m| &m.start).collect::<Vec<_>>()
        ));
    }
    for (i, (e, g)) in exp_messages.iter().zip(&got.messages).enumerate() {
        let fail = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            Err(format!("message {i} {what}: llhttp {a:?}, h1x {b:?}"))
        };
        if e.start != g.start {
            return fail("start line", &e.start, &g.start);
        }
        if e.version != g.version {
            return fail("version", &e.version, &g.version);
        }
        let eh: Vec<(String, Vec<u8>)> = e
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), comparable(unescape_log(v))))
            .collect();
        let gh: Vec<(String, Vec<u8>)> = g
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.clone(),
                    comparable(v.chars().map(|c| c as u32 as u8).collect()),
                )
            })
            .collect();
        if eh != gh {
            return fail("headers", &eh, &gh);
        }
        if comparable(e.body.clone()) != comparable(g.body.clone()) {
            return fail("body", &text(&e.body), &text(&g.body));
        }
        if !exp.chunks[i].is_empty() && exp.chunks[i] != g.data_sizes {
            return fail("chunk sizes", &exp.chunks[i], &g.data_sizes);
        }
        if e.complete != g.complete {
            return fail("complete", &e.complete, &g.complete);
        }
    }
    Ok(exp_messages.len() < exp.messages.len())
}

/// The h1x outcome an expected-difference entry asserts.
fn check_h1x_spec(spec: &Value, got: &Trace, setup: &Setup, input: &[u8]) -> Result<(), String> {
    let outcome = match &got.outcome {
        Outcome::Accepted => "accept".to_string(),
        Outcome::Paused => "paused".to_string(),
        Outcome::Rejected(kind) => kind.clone(),
    };
    let want = spec["outcome"].as_str().expect("h1x.outcome");
    if want != outcome {
        return Err(format!("h1x outcome {outcome}, expected {want}"));
    }
    if let Some(n) = spec["heads"].as_u64() {
        if got.messages.len() as u64 != n {
            return Err(format!(
                "h1x decoded {} heads, expected {n}",
                got.messages.len()
            ));
        }
    }
    if let Some(more) = spec["append"].as_str() {
        // the input ends early: these bytes complete it, and h1x must then give this outcome
        let mut input = input.to_vec();
        input.extend(more.chars().map(|c| c as u32 as u8));
        let (then, _) = run_every_split(setup, &input)?;
        let want = spec["then"].as_str().expect("h1x.then");
        let got = match &then.outcome {
            Outcome::Accepted => "accept",
            Outcome::Paused => "paused",
            Outcome::Rejected(kind) => kind.as_str(),
        };
        if want != got {
            return Err(format!(
                "with {more:?} appended: h1x {got}, expected {want}"
            ));
        }
    }
    if let Some(body) = spec["body"].as_str() {
        let all: Vec<u8> = got.messages.iter().flat_map(|m| m.body.clone()).collect();
        if text(&all) != body {
            return Err(format!("h1x body {:?}, expected {body:?}", text(&all)));
        }
    }
    Ok(())
}

/// A case's key in the expectations file: `file: name`, with ` (2)` for a repeated name.
fn case_keys(cases: &[Value]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    cases
        .iter()
        .map(|c| {
            let key = format!(
                "{}: {}",
                c["file"].as_str().unwrap(),
                c["name"].as_str().unwrap()
            );
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                key
            } else {
                format!("{key} ({n})")
            }
        })
        .collect()
}

/// llhttp's lenient modes that h1x has a counterpart for.
fn leniency_for(kind: &str) -> Option<Leniency> {
    if kind.ends_with("-lenient-optional-cr-before-lf") {
        Some(Leniency::BARE_LF)
    } else if kind.ends_with("-lenient-all") {
        Some(
            Leniency::BARE_LF
                | Leniency::OBS_FOLD
                | Leniency::MISSING_HOST
                | Leniency::DUPLICATE_CONTENT_LENGTH,
        )
    } else {
        None
    }
}

#[derive(Default)]
struct SourceScore {
    cases: usize,
    passed: usize,
    differ: usize,
    skipped: usize,
    runs: usize,
    missing_host: Vec<String>,
    /// Passed cases where h1x refused a head that llhttp reported and then refused.
    head_refused: Vec<String>,
    /// Cases with llhttp's `pause` meta (run as plain cases).
    paused: usize,
    mapped_leniency: Vec<String>,
    /// (key, outcome, reason)
    differences: Vec<(String, String, String)>,
    skips: Vec<(String, String)>,
}

fn llhttp_scorecard(failures: &mut Vec<String>) -> (SourceScore, SourceScore) {
    let dir = core_dir().join("tests/conformance");
    let corpus = load_json(&dir.join("llhttp/llhttp_corpus.json"));
    let cases = corpus.as_array().unwrap();
    let decisions = load_json(&dir.join("llhttp_expectations.json"));
    let keys = case_keys(cases);
    // every decision names a case that exists
    for section in ["cases", "finish"] {
        for k in decisions[section].as_object().unwrap().keys() {
            if !keys.contains(k) {
                failures.push(format!("llhttp_expectations.json {section}: no case {k:?}"));
            }
        }
    }
    let mut req = SourceScore::default();
    let mut res = SourceScore::default();
    for (case, key) in cases.iter().zip(&keys) {
        let kind = case["meta"]["type"].as_str().unwrap();
        let score = if kind.starts_with("request") {
            &mut req
        } else {
            &mut res
        };
        score.cases += 1;
        let decision = &decisions["cases"][key.as_str()];
        let status = decision["status"].as_str().unwrap_or("pass");
        let reason = decision["reason"].as_str().unwrap_or("").to_string();
        if status == "skip" {
            assert!(!reason.is_empty(), "{key}: skip without a reason");
            score.skipped += 1;
            score.skips.push((key.clone(), reason));
            continue;
        }
        if case["meta"].get("pause").is_some() {
            score.paused += 1;
        }
        let input = base64(case["input_b64"].as_str().unwrap());
        let request = kind.starts_with("request");
        let finish = decisions["finish"][key.as_str()].as_u64();
        let expected = llhttp_expected(case, finish);
        let mut setup = Setup {
            role: if request { Role::Server } else { Role::Client },
            config: Config::default(),
            method: if case["meta"]["skipBody"] == Value::Bool(true) {
                "HEAD"
            } else {
                "GET"
            },
            upgrade: expected.messages.iter().any(|m| m.start == "101"),
            eof: kind.ends_with("-finish"),
        };
        if let Some(l) = leniency_for(kind) {
            setup.config = setup.config.lenient(l);
            score.mapped_leniency.push(key.clone());
        }
        // llhttp does not check Host: where that alone stops h1x, run with MISSING_HOST
        if request && !setup.config.leniency.contains(Leniency::MISSING_HOST) {
            let strict = run(&setup, &input, &[]);
            if strict.outcome == Outcome::Rejected("MissingHost".into()) {
                setup.config = setup.config.lenient(Leniency::MISSING_HOST);
                score.missing_host.push(key.clone());
            }
        }
        let (trace, runs) = match run_every_split(&setup, &input) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("llhttp {key}: {e}"));
                continue;
            }
        };
        score.runs += runs;
        let cmp = compare(&expected, &trace);
        match (status, cmp) {
            ("pass", Ok(head_refused)) => {
                score.passed += 1;
                if head_refused {
                    score.head_refused.push(key.clone());
                }
            }
            ("pass", Err(e)) => failures.push(format!("llhttp {key}: {e}")),
            ("differ", Ok(_)) => failures.push(format!(
                "llhttp {key}: listed as an expected difference but h1x now agrees with llhttp"
            )),
            ("differ", Err(diff)) => {
                assert!(!reason.is_empty(), "{key}: difference without a reason");
                match check_h1x_spec(&decision["h1x"], &trace, &setup, &input) {
                    Ok(()) => {
                        score.differ += 1;
                        let outcome = decision["h1x"]["outcome"].as_str().unwrap().to_string();
                        score.differences.push((key.clone(), outcome, reason));
                    }
                    Err(e) => {
                        failures.push(format!("llhttp {key}: {e} (differs from llhttp: {diff})"))
                    }
                }
            }
            (other, _) => failures.push(format!("llhttp {key}: unknown status {other}")),
        }
    }
    (req, res)
}

// ---------------------------------------------------------------------------------------------
// Smuggling corpora

struct SmugglingScore {
    file: String,
    description: String,
    /// source prefix -> (cases, rejected, framed)
    by_source: BTreeMap<String, (usize, usize, usize)>,
    kinds: BTreeMap<String, usize>,
}

fn smuggling_scorecard(failures: &mut Vec<String>) -> Vec<SmugglingScore> {
    let dir = core_dir().join("tests/vectors");
    let mut out = vec![];
    for file in [
        "smuggling_requests.json",
        "smuggling_corpus.json",
        "smuggling_responses.json",
    ] {
        let doc = load_json(&dir.join(file));
        let mut score = SmugglingScore {
            file: file.to_string(),
            description: doc["description"].as_str().unwrap_or("").to_string(),
            by_source: BTreeMap::new(),
            kinds: BTreeMap::new(),
        };
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            // the source is the name's prefix: its first word (two for desync-guardian's tiers)
            let source = match name.split_once(": ") {
                Some((src, _)) if file != "smuggling_requests.json" => {
                    let words: Vec<&str> = src.split(' ').collect();
                    match words[0] {
                        "desync-guardian" => words[..2].join(" "),
                        "RFC" => "RFC 9110/9112".to_string(),
                        w => w.to_string(),
                    }
                }
                _ => "DESIGN.md list".to_string(),
            };
            // the one-piece run must match the file (tests/vectors.rs runs every split)
            let (events, error, _) = support::run(case, &[]);
            let rejected = !case["error"].is_null();
            if rejected {
                if error["kind"] != case["error"]["kind"] {
                    failures.push(format!(
                        "{file} {name:?}: expected {} got {error}",
                        case["error"]["kind"]
                    ));
                }
                *score
                    .kinds
                    .entry(case["error"]["kind"].as_str().unwrap().to_string())
                    .or_default() += 1;
            } else if !error.is_null() || events.is_empty() {
                failures.push(format!(
                    "{file} {name:?}: framed case must decode without error: {error}"
                ));
            }
            let e = score.by_source.entry(source).or_default();
            e.0 += 1;
            if rejected {
                e.1 += 1;
            } else {
                e.2 += 1;
            }
        }
        out.push(score);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The RFC rule table

/// Checks that `reference` (`path#case name` for a vectors file, `path::fn_name` for a Rust
/// test) exists.
fn check_reference(reference: &str) -> Result<(), String> {
    let core = core_dir();
    if let Some((path, case)) = reference.split_once('#') {
        let doc = load_json(&core.join(path));
        let found = doc["cases"]
            .as_array()
            .is_some_and(|cs| cs.iter().any(|c| c["name"] == case));
        if !found {
            return Err(format!("no case {case:?} in {path}"));
        }
        Ok(())
    } else if let Some((path, func)) = reference.split_once("::") {
        let src = std::fs::read_to_string(core.join(path)).map_err(|e| format!("{path}: {e}"))?;
        if !src.contains(&format!("fn {func}(")) {
            return Err(format!("no fn {func} in {path}"));
        }
        Ok(())
    } else {
        Err(format!("malformed reference {reference:?}"))
    }
}

// ---------------------------------------------------------------------------------------------
// The scorecard text

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn render(
    req: &SourceScore,
    res: &SourceScore,
    smuggling: &[SmugglingScore],
    rules: &Value,
) -> String {
    let mut s = String::new();
    let w = &mut s;
    writeln!(w, "# h1x conformance scorecard\n").unwrap();
    writeln!(
        w,
        "<!-- Generated by `cargo test -p h1x --test conformance` (core/tests/conformance.rs). \
Do not edit: the test fails when this file differs from what the run reports; \
`H1X_BLESS=1 cargo test -p h1x --test conformance` rewrites it. -->\n"
    )
    .unwrap();
    writeln!(
        w,
        "Every case below runs on every `make test`. Each input is fed in one piece, cut once at \
every offset, and one byte at a time; the outcome must not depend on the split.\n"
    )
    .unwrap();
    writeln!(w, "## Scorecard\n").unwrap();
    writeln!(
        w,
        "| source | cases | passed | expected differences | skipped |\n| --- | ---: | ---: | ---: | ---: |"
    )
    .unwrap();
    for (name, sc) in [
        ("llhttp v9.4.2 suite: requests", req),
        ("llhttp v9.4.2 suite: responses", res),
    ] {
        writeln!(
            w,
            "| {name} | {} | {} | {} | {} |",
            sc.cases, sc.passed, sc.differ, sc.skipped
        )
        .unwrap();
    }
    for sm in smuggling {
        for (src, (n, _, _)) in &sm.by_source {
            writeln!(
                w,
                "| `{}` — {} | {n} | {n} | 0 | 0 |",
                sm.file,
                md_escape(src)
            )
            .unwrap();
        }
    }
    let total_rules = rules["rules"].as_array().unwrap().len();
    writeln!(
        w,
        "| RFC 9110/9112 rules (table below), each shown by tests that exist and pass | {total_rules} | {total_rules} | 0 | 0 |\n"
    )
    .unwrap();
    writeln!(
        w,
        "A smuggling case passes when h1x rejects it with the error kind the file names, or frames \
it exactly as the file's events say; an llhttp case passes when accept/reject, upgrade pause, \
start line, version, header fields (trailers included), body, chunk sizes and completion all \
equal llhttp's trace. An expected difference asserts h1x's own outcome, and fails if h1x starts \
agreeing with llhttp (so the list cannot go stale).\n"
    )
    .unwrap();

    writeln!(w, "## llhttp's suite\n").unwrap();
    writeln!(
        w,
        "Source: llhttp v9.4.2 `test/request/*.md` and `test/response/*.md` (github.com/nodejs/llhttp, \
commit 01e105a), MIT, decoded to `core/tests/conformance/llhttp/llhttp_corpus.json` (licence and \
credit in that folder). Requests run through a server `Connection`; responses through a client \
`Connection` that first sent `GET /` (`HEAD` where llhttp's `skipBody` applies, an `Upgrade` \
request where a `101` is expected). `*-finish` cases signal EOF after the input (llhttp_finish).\n"
    )
    .unwrap();
    writeln!(
        w,
        "llhttp's suite has no case of an interim response other than 100-103 carrying \
Content-Length: llhttp frames a body after such a `104` (its no-body list names only 100, 101, \
102, 103, 204 and 304), while RFC 9110 §15.2 gives every 1xx no content. That case is in \
`smuggling_responses.json` (`llhttp: 104 with Content-Length has no body`).\n"
    )
    .unwrap();
    writeln!(
        w,
        "The {} `pause` cases run as plain cases: pausing is an llhttp callback feature, and h1x \
returns to its caller after every event anyway; their inputs and traces are compared like any \
other.\n",
        req.paused + res.paused
    )
    .unwrap();
    let hr: Vec<&String> = req.head_refused.iter().chain(&res.head_refused).collect();
    writeln!(
        w,
        "In {} passed cases llhttp reports a head and then refuses it from its headers-complete \
step (bad framing fields), while h1x refuses the head as a whole; both refuse the message before \
any body, and the head is not counted as a difference: {}.\n",
        hr.len(),
        hr.iter()
            .map(|k| md_escape(k))
            .collect::<Vec<_>>()
            .join("; ")
    )
    .unwrap();
    let runs = req.runs + res.runs;
    writeln!(w, "Split runs: {runs}.\n").unwrap();
    let mh: Vec<&String> = req.missing_host.iter().chain(&res.missing_host).collect();
    writeln!(
        w,
        "llhttp does not require `Host`; h1x rejects an HTTP/1.1 request without it (RFC 9112 §3.2). \
The runner first runs each request case strictly; the {} cases whose only obstacle is `MissingHost` \
then run with `Leniency::MISSING_HOST`: {}.\n",
        mh.len(),
        mh.iter().map(|k| md_escape(k)).collect::<Vec<_>>().join("; ")
    )
    .unwrap();
    let ml: Vec<&String> = req
        .mapped_leniency
        .iter()
        .chain(&res.mapped_leniency)
        .collect();
    writeln!(
        w,
        "llhttp lenient modes with an h1x counterpart run with it (`*-lenient-optional-cr-before-lf` → \
`BARE_LF`; `*-lenient-all` → every h1x leniency): {}. Every other lenient mode runs strict: it \
passes where strict h1x already agrees, and is an expected difference otherwise.\n",
        ml.iter().map(|k| md_escape(k)).collect::<Vec<_>>().join("; ")
    )
    .unwrap();
    writeln!(w, "### Expected differences\n").unwrap();
    writeln!(w, "| case | h1x | reason |\n| --- | --- | --- |").unwrap();
    for sc in [req, res] {
        for (k, o, r) in &sc.differences {
            writeln!(
                w,
                "| {} | {} | {} |",
                md_escape(k),
                md_escape(o),
                md_escape(r)
            )
            .unwrap();
        }
    }
    writeln!(w, "\n### Skipped\n").unwrap();
    writeln!(w, "| case | reason |\n| --- | --- |").unwrap();
    for sc in [req, res] {
        for (k, r) in &sc.skips {
            writeln!(w, "| {} | {} |", md_escape(k), md_escape(r)).unwrap();
        }
    }

    writeln!(w, "\n## Smuggling corpora\n").unwrap();
    writeln!(
        w,
        "Shared wire vectors (`core/tests/vectors/`), run at every split by the Rust, Python and JS \
suites. Each is rejected, or framed unambiguously.\n"
    )
    .unwrap();
    for sm in smuggling {
        let total: usize = sm.by_source.values().map(|v| v.0).sum();
        let rejected: usize = sm.by_source.values().map(|v| v.1).sum();
        writeln!(
            w,
            "### `{}`: {total} cases, {rejected} rejected, {} framed\n\n{}\n",
            sm.file,
            total - rejected,
            md_escape(&sm.description)
        )
        .unwrap();
        writeln!(
            w,
            "| source | cases | rejected | framed |\n| --- | ---: | ---: | ---: |"
        )
        .unwrap();
        for (src, (n, r, f)) in &sm.by_source {
            writeln!(w, "| {} | {n} | {r} | {f} |", md_escape(src)).unwrap();
        }
        let kinds: Vec<String> = sm.kinds.iter().map(|(k, n)| format!("`{k}` {n}")).collect();
        writeln!(w, "\nRejections by kind: {}.\n", kinds.join(", ")).unwrap();
    }

    writeln!(w, "## RFC 9110/9112 rules\n").unwrap();
    writeln!(w, "{}\n", rules["description"].as_str().unwrap()).unwrap();
    writeln!(
        w,
        "| id | rule | source | level | shown by |\n| --- | --- | --- | --- | --- |"
    )
    .unwrap();
    for r in rules["rules"].as_array().unwrap() {
        let tests: Vec<String> = r["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| format!("`{}`", md_escape(t.as_str().unwrap())))
            .collect();
        writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            r["id"].as_str().unwrap(),
            md_escape(r["rule"].as_str().unwrap()),
            md_escape(r["source"].as_str().unwrap()),
            md_escape(r["level"].as_str().unwrap()),
            tests.join("<br>")
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n## Reproduce\n\n```sh\ncargo test -p h1x --test conformance   # llhttp suite, corpora, rule table, this file\n\
cargo test -p h1x --test vectors       # every shared vector at every split\n\
cargo test -p h1x --test roundtrip     # encoder properties\n\
python3 core/tests/conformance/gen_smuggling.py   # rewrite the smuggling corpora\n```"
    )
    .unwrap();
    s
}

#[test]
fn conformance_scorecard() {
    let mut failures = vec![];
    let (req, res) = llhttp_scorecard(&mut failures);
    let smuggling = smuggling_scorecard(&mut failures);
    let rules = load_json(&core_dir().join("tests/conformance/rfc_rules.json"));
    let mut ids = std::collections::BTreeSet::new();
    for r in rules["rules"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        if !ids.insert(id.to_string()) {
            failures.push(format!("rfc_rules.json: duplicate id {id}"));
        }
        let tests = r["tests"].as_array().unwrap();
        if tests.is_empty() {
            failures.push(format!("rfc_rules.json {id}: no test"));
        }
        for t in tests {
            if let Err(e) = check_reference(t.as_str().unwrap()) {
                failures.push(format!("rfc_rules.json {id}: {e}"));
            }
        }
    }
    if !failures.is_empty() {
        panic!("{} failures:\n{}", failures.len(), failures.join("\n"));
    }
    for sc in [&req, &res] {
        assert_eq!(sc.cases, sc.passed + sc.differ + sc.skipped);
    }
    let text = render(&req, &res, &smuggling, &rules);
    let path = core_dir().join("../CONFORMANCE.md");
    if std::env::var_os("H1X_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == text,
        "CONFORMANCE.md is out of date: run `H1X_BLESS=1 cargo test -p h1x --test conformance` \
and commit the result"
    );
}

#[test]
fn base64_decodes() {
    assert_eq!(base64("aGVsbG8="), b"hello");
    assert_eq!(base64("aGk="), b"hi");
    assert_eq!(base64("YWJj"), b"abc");
}
