//! The shared wire-vector runner (rules in `tests/vectors/README.md`), used by `vectors.rs` and by
//! `conformance.rs` (for the smuggling corpora). Each test crate uses part of it.
#![allow(dead_code)]

use h1x::{Config, Connection, Event, Header, Leniency, Role, State, Version};
use serde_json::{json, Value};
use std::path::Path;

pub fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(c as u32).expect("vector strings are latin-1"))
        .collect()
}

fn text(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn config(case: &Value) -> (Config, usize) {
    let mut cfg = Config::default();
    let c = &case["config"];
    if let Some(list) = c["leniency"].as_array() {
        for l in list {
            cfg = cfg.lenient(match l.as_str().unwrap() {
                "BARE_LF" => Leniency::BARE_LF,
                "OBS_FOLD" => Leniency::OBS_FOLD,
                "MISSING_HOST" => Leniency::MISSING_HOST,
                "DUPLICATE_CONTENT_LENGTH" => Leniency::DUPLICATE_CONTENT_LENGTH,
                other => panic!("unknown leniency {other}"),
            });
        }
    }
    if let Some(n) = c["max_head_bytes"].as_u64() {
        cfg.max_head_bytes = n as u32;
    }
    if let Some(n) = c["max_line_bytes"].as_u64() {
        cfg.max_line_bytes = n as u32;
    }
    if let Some(n) = c["max_trailer_bytes"].as_u64() {
        cfg.max_trailer_bytes = n as u32;
    }
    if let Some(n) = c["max_chunk_ext_bytes"].as_u64() {
        cfg.max_chunk_ext_bytes = n as u16;
    }
    (cfg, c["max_headers"].as_u64().unwrap_or(64) as usize)
}

fn headers_json(h: &[Header<'_>]) -> Value {
    Value::Array(
        h.iter()
            .map(|h| json!([text(h.name).to_ascii_lowercase(), text(h.value)]))
            .collect(),
    )
}

fn event_json(ev: &Event<'_, '_>) -> Value {
    match ev {
        Event::Request(r) => {
            json!({"type": "request", "method": text(r.method), "target": text(r.target),
            "version": r.version.as_str(), "headers": headers_json(r.headers)})
        }
        Event::InformationalResponse(r) => {
            json!({"type": "informational_response", "status": r.status,
            "reason": text(r.reason), "version": r.version.as_str(), "headers": headers_json(r.headers)})
        }
        Event::Response(r) => {
            json!({"type": "response", "status": r.status, "reason": text(r.reason),
            "version": r.version.as_str(), "headers": headers_json(r.headers)})
        }
        Event::Data(d) => json!({"type": "data", "data": text(d)}),
        Event::EndOfMessage(t) => json!({"type": "end_of_message", "headers": headers_json(t)}),
        Event::ConnectionClosed => json!({"type": "connection_closed"}),
        Event::Paused => json!({"type": "paused"}),
        Event::NeedData => unreachable!(),
    }
}

/// Normalise expected events: lower-case header names, default empty headers.
fn normalise(expected: &Value) -> Vec<Value> {
    expected
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if let Some(h) = e.get_mut("headers") {
                for pair in h.as_array_mut().unwrap() {
                    let name = pair[0].as_str().unwrap().to_ascii_lowercase();
                    pair[0] = json!(name);
                }
            } else if matches!(
                e["type"].as_str(),
                Some("request" | "response" | "informational_response" | "end_of_message")
            ) {
                e["headers"] = json!([]);
            }
            if e["type"] != "data" && e.get("version").is_none() && e.get("status").is_some() {
                e["version"] = json!("1.1");
            }
            e
        })
        .collect()
}

struct Runner {
    conn: Connection,
    request: Value,
    events: Vec<Value>,
    out: Vec<u8>,
    /// The data of each chunk, cut where the core says chunks begin and end.
    chunks: Vec<String>,
    chunk_open: bool,
}

impl Runner {
    fn send(&mut self, ev: &Event<'_, '_>) {
        self.out.resize(64 * 1024, 0);
        let n = self.conn.encode(ev, &mut self.out).expect("runner send");
        self.out.truncate(n);
    }

    fn send_request(&mut self) {
        let req = self.request.clone();
        let names: Vec<Vec<u8>> = req["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| latin1(p[0].as_str().unwrap()))
            .collect();
        let values: Vec<Vec<u8>> = req["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| latin1(p[1].as_str().unwrap()))
            .collect();
        let headers: Vec<Header<'_>> = names
            .iter()
            .zip(&values)
            .map(|(n, v)| Header { name: n, value: v })
            .collect();
        let method = latin1(req["method"].as_str().unwrap());
        let target = latin1(req["target"].as_str().unwrap());
        self.send(&Event::Request(h1x::Request {
            method: &method,
            target: &target,
            version: Version::Http11,
            headers: &headers,
        }));
        if self.conn.our_state() == State::SendBody {
            self.send(&Event::end());
        }
    }

    /// After a message ends: the server answers with an empty 200, the client sends its next
    /// request, so pipelined and keep-alive inputs keep flowing.
    fn cycle(&mut self) {
        let server = self.conn.role() == Role::Server;
        if server
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

    /// Decodes what `buf` holds; returns false once decoding stopped for good.
    fn pump(&mut self, buf: &mut Vec<u8>, max_headers: usize) -> Result<bool, h1x::Error> {
        loop {
            let mut headers = vec![Header::EMPTY; max_headers];
            let (n, ev) = self.conn.decode(buf, &mut headers)?;
            let json = match ev {
                Event::NeedData => None,
                ref ev => Some(event_json(ev)),
            };
            if let Event::Data(d) = ev {
                let (start, end) = self.conn.chunk_boundaries();
                if start {
                    self.chunks.push(String::new());
                    self.chunk_open = true;
                }
                if self.chunk_open {
                    self.chunks.last_mut().unwrap().push_str(&text(d));
                }
                self.chunk_open &= !end;
            }
            let stop = matches!(ev, Event::Paused | Event::ConnectionClosed);
            let eom = matches!(ev, Event::EndOfMessage(_));
            let need = matches!(ev, Event::NeedData);
            drop(headers);
            buf.drain(..n);
            if let Some(j) = json {
                match (self.events.last_mut(), j["type"].as_str()) {
                    (Some(last), Some("data")) if last["type"] == "data" => {
                        let merged = format!(
                            "{}{}",
                            last["data"].as_str().unwrap(),
                            j["data"].as_str().unwrap()
                        );
                        last["data"] = json!(merged);
                    }
                    _ => self.events.push(j),
                }
            }
            if stop {
                return Ok(false);
            }
            if eom {
                self.cycle();
            }
            if need {
                return Ok(true);
            }
        }
    }
}

/// Runs `case` with its input cut at `cuts`; returns the events, the error and the chunks.
pub fn run(case: &Value, cuts: &[usize]) -> (Vec<Value>, Value, Vec<String>) {
    let input = latin1(case["input"].as_str().unwrap());
    let (cfg, max_headers) = config(case);
    let role = match case["role"].as_str().unwrap() {
        "server" => Role::Server,
        "client" => Role::Client,
        r => panic!("role {r}"),
    };
    let request = if case["request"].is_null() {
        json!({"method": "GET", "target": "/", "headers": [["Host", "example.com"]]})
    } else {
        case["request"].clone()
    };
    let mut r = Runner {
        conn: Connection::with_config(role, cfg),
        request,
        events: vec![],
        out: vec![],
        chunks: vec![],
        chunk_open: false,
    };
    if role == Role::Client && !case["no_request"].as_bool().unwrap_or(false) {
        r.send_request();
    }
    let mut buf = Vec::new();
    let mut prev = 0;
    let result: Result<(), h1x::Error> = (|| {
        for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
            buf.extend_from_slice(&input[prev..cut]);
            prev = cut;
            if !r.pump(&mut buf, max_headers)? {
                return Ok(());
            }
        }
        if case["eof"].as_bool().unwrap_or(false) {
            r.conn.receive_eof();
            r.pump(&mut buf, max_headers)?;
        }
        Ok(())
    })();
    let error = match result {
        Ok(()) => Value::Null,
        Err(e) => json!({"kind": e.kind().name(), "offset": e.offset(), "status": e.status()}),
    };
    (r.events, error, r.chunks)
}

fn expected_error(case: &Value) -> Value {
    match &case["error"] {
        Value::Null => Value::Null,
        e => {
            let mut e = e.clone();
            if e.get("status").is_none() {
                // status is optional in the files: take it from the kind via a run-time lookup
                e["status"] = Value::Null;
            }
            e
        }
    }
}

pub fn check(file: &Path, case: &Value, cuts: &[usize], failures: &mut Vec<String>) {
    let (events, error, chunks) = run(case, cuts);
    let want_events = normalise(&case["events"]);
    if let Some(want) = case.get("chunks") {
        if json!(chunks) != *want {
            failures.push(format!(
                "{}: {:?} cuts {:?}\n  chunks   {:?}\n  expected {}",
                file.display(),
                case["name"].as_str().unwrap_or("?"),
                cuts,
                chunks,
                want
            ));
        }
    }
    let mut want_error = expected_error(case);
    let mut got_error = error.clone();
    if want_error.get("status").is_some_and(Value::is_null) {
        got_error["status"] = Value::Null;
        want_error["status"] = Value::Null;
    }
    if want_error.get("offset").is_none() && !got_error.is_null() {
        got_error.as_object_mut().unwrap().remove("offset");
    }
    if events != want_events || got_error != want_error {
        failures.push(format!(
            "{}: {:?} cuts {:?}\n  events   {}\n  expected {}\n  error    {}\n  expected {}",
            file.display(),
            case["name"].as_str().unwrap_or("?"),
            cuts,
            Value::Array(events),
            Value::Array(want_events),
            error,
            want_error
        ));
    }
}

pub fn load_cases(dir: &Path) -> Vec<(std::path::PathBuf, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = vec![];
    for f in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in doc["cases"].as_array().unwrap() {
            cases.push((f.clone(), c.clone()));
        }
    }
    cases
}
