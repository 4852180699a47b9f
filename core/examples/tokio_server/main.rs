//! The demo server on tokio: h1x behind a tokio-util `Decoder`/`Encoder` (`codec.rs`), the same
//! routes and behaviour as the std demo server (`POST /api/generate-panorama`: 103, 102 heartbeats
//! with `Progress`, 200; `PUT /files/NAME`: 100, body, 102 heartbeats, 201), heartbeats timed by
//! `h1x::HeartbeatSchedule` with tokio's clock.
//!
//! ```text
//! cargo run -p h1x --features bytes --example tokio_server -- --serve 127.0.0.1:8080
//! ```

#[path = "../demo/app.rs"]
mod app;
mod codec;

use app::{Route, ServerSettings, JOB_STEPS, PROGRESS_HEADER};
use bytes::Bytes;
use codec::{CodecError, H1Codec, Incoming, Outgoing, RequestHead};
use futures_util::{SinkExt, StreamExt};
use h1x::{HeartbeatSchedule, State, Version};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{timeout, Instant};
use tokio_util::codec::Framed;

type Conn = Framed<TcpStream, H1Codec>;

const USAGE: &str = "\
usage: tokio_server --serve ADDR [--job-secs S] [--heartbeat-ms MS] [--idle-secs S]";

fn parse_args() -> Result<(String, ServerSettings), String> {
    let mut addr = None;
    let mut s = ServerSettings {
        log: true,
        ..ServerSettings::default()
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--serve" => addr = Some(value("--serve")?),
            "--job-secs" => s.job = app::parse_secs(&value("--job-secs")?)?,
            "--heartbeat-ms" => s.heartbeat = app::parse_ms(&value("--heartbeat-ms")?)?,
            "--idle-secs" => s.idle = app::parse_secs(&value("--idle-secs")?)?,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if s.idle.is_zero() {
        return Err("--idle-secs must be above 0".into());
    }
    Ok((addr.unwrap_or_else(|| "127.0.0.1:8080".into()), s))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, settings) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("tokio_server: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    println!("listening on http://{local} (tokio)");
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(connection(stream, settings));
            }
            Err(e) => {
                eprintln!("tokio_server: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Why an exchange ended early.
enum Fail {
    Codec(CodecError),
    /// Silent for too long; `mid_message` when a request had begun.
    Timeout {
        mid_message: bool,
    },
    Closed,
}

impl From<CodecError> for Fail {
    fn from(e: CodecError) -> Self {
        Fail::Codec(e)
    }
}

async fn connection(stream: TcpStream, settings: ServerSettings) {
    let _ = stream.set_nodelay(true);
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let mut framed = Framed::new(stream, H1Codec::new());
    loop {
        match exchange(&mut framed, &settings, &peer).await {
            Ok(true) => {
                if framed.codec_mut().start_next_cycle().is_err() {
                    break;
                }
                // re-arm decoding: a pipelined request may already sit in the read buffer
                framed = Framed::from_parts(framed.into_parts());
            }
            Ok(false) => break,
            Err(fail) => {
                answer_failure(&mut framed, fail, &settings, &peer).await;
                break;
            }
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), framed.close()).await;
}

/// Read the next item within the idle timeout.
async fn next(framed: &mut Conn, settings: &ServerSettings) -> Result<Incoming, Fail> {
    let mid = |framed: &Conn| {
        framed.codec().conn().their_state() != State::Idle || !framed.read_buffer().is_empty()
    };
    let mid_message = mid(framed);
    // one timeout for the whole item: a head must arrive whole within `idle`
    match timeout(settings.idle, framed.next()).await {
        Err(_) => Err(Fail::Timeout {
            mid_message: mid(framed),
        }),
        Ok(None) if mid_message => Err(Fail::Codec(CodecError::Protocol(h1x::Error::remote(
            h1x::ErrorKind::IncompleteMessage,
            0,
        )))),
        Ok(None) => Err(Fail::Closed),
        Ok(Some(item)) => Ok(item?),
    }
}

async fn exchange(framed: &mut Conn, settings: &ServerSettings, peer: &str) -> Result<bool, Fail> {
    let req = match next(framed, settings).await {
        Ok(Incoming::Request(r)) => r,
        Err(Fail::Closed) => return Ok(false),
        Ok(_) => return Ok(false),
        Err(e) => return Err(e),
    };
    // what h1x decided about the head just yielded (the codec decodes one event per call)
    let decided = framed
        .codec()
        .conn()
        .received()
        .expect("decisions come with every head");
    let unknown_expectation = decided.expect == h1x::Expectation::Unknown;
    let coded = decided.transfer_coded;
    let status = if coded {
        let body = "transfer codings other than chunked are not supported\n".to_string();
        respond(framed, &req, 501, vec![], "text/plain", body).await?
    } else if unknown_expectation {
        respond(
            framed,
            &req,
            417,
            vec![],
            "text/plain",
            "only 100-continue is supported\n".into(),
        )
        .await?
    } else {
        match app::route(&req.method, &req.target) {
            Route::Index => {
                read_body(framed, settings, usize::MAX).await?;
                respond(
                    framed,
                    &req,
                    200,
                    vec![],
                    "text/plain; charset=utf-8",
                    app::index_page(),
                )
                .await?
            }
            Route::Panorama => panorama(framed, settings, &req).await?,
            Route::Upload(name) => upload(framed, settings, &req, &name).await?,
            Route::MethodNotAllowed(allow) => {
                let body = app::error_json("method not allowed");
                respond(
                    framed,
                    &req,
                    405,
                    vec![("Allow", allow.into())],
                    "application/json",
                    body,
                )
                .await?
            }
            Route::NotFound => {
                respond(
                    framed,
                    &req,
                    404,
                    vec![],
                    "application/json",
                    app::error_json("not found"),
                )
                .await?
            }
        }
    };
    if settings.log {
        eprintln!(
            "tokio_server: {peer} {} {} -> {status}",
            String::from_utf8_lossy(&req.method),
            String::from_utf8_lossy(&req.target)
        );
    }
    let conn = framed.codec().conn();
    if !conn.keep_alive() || conn.our_state() != State::Done {
        return Ok(false);
    }
    // a request answered before its end still owes its EndOfMessage (and maybe body bytes)
    while framed.codec().conn().their_state() == State::SendBody {
        if let Incoming::Request(_) = next(framed, settings).await? {
            return Ok(false);
        }
    }
    Ok(framed.codec().conn().their_state() == State::Done)
}

/// Read the body up to `limit` bytes; `None` when it is larger.
async fn read_body(
    framed: &mut Conn,
    settings: &ServerSettings,
    limit: usize,
) -> Result<Option<Vec<u8>>, Fail> {
    let mut body = Vec::new();
    let mut counted = 0usize;
    while framed.codec().conn().their_state() == State::SendBody {
        match next(framed, settings).await? {
            Incoming::Data(d) => {
                counted = counted.saturating_add(d.len());
                if counted > limit {
                    return Ok(None);
                }
                if limit != usize::MAX {
                    body.extend_from_slice(&d);
                }
            }
            Incoming::End => break,
            Incoming::Request(_) => return Err(Fail::Closed),
        }
    }
    Ok(Some(body))
}

async fn continue_if_expected(framed: &mut Conn) -> Result<(), Fail> {
    if framed.codec().conn().they_are_waiting_for_100_continue() {
        framed.send(Outgoing::Interim(100, vec![])).await?;
    }
    Ok(())
}

async fn panorama(
    framed: &mut Conn,
    settings: &ServerSettings,
    req: &RequestHead,
) -> Result<u16, Fail> {
    if req
        .header("content-type")
        .is_some_and(|ct| !app::is_json(ct))
    {
        let body = app::error_json("Content-Type must be application/json");
        return respond(framed, req, 415, vec![], "application/json", body).await;
    }
    let declared = req
        .header("content-length")
        .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app::MAX_JSON_BODY) {
        return respond(
            framed,
            req,
            413,
            vec![],
            "application/json",
            app::error_json("body too large"),
        )
        .await;
    }
    continue_if_expected(framed).await?;
    let Some(body) = read_body(framed, settings, app::MAX_JSON_BODY as usize).await? else {
        return respond(
            framed,
            req,
            413,
            vec![],
            "application/json",
            app::error_json("body too large"),
        )
        .await;
    };
    if let Err(msg) = app::validate_panorama(&body) {
        return respond(
            framed,
            req,
            400,
            vec![],
            "application/json",
            app::error_json(&msg),
        )
        .await;
    }
    let interim_ok = req.version == Version::Http11;
    if interim_ok {
        let links = app::EARLY_HINTS
            .iter()
            .map(|l| ("Link", l.to_string()))
            .collect();
        framed.send(Outgoing::Interim(103, links)).await?;
    }
    run_job(framed, settings, interim_ok).await?;
    respond(
        framed,
        req,
        200,
        vec![],
        "application/json",
        app::PANORAMA_DONE.into(),
    )
    .await
}

async fn upload(
    framed: &mut Conn,
    settings: &ServerSettings,
    req: &RequestHead,
    name: &str,
) -> Result<u16, Fail> {
    let declared = req
        .header("content-length")
        .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > app::MAX_UPLOAD) {
        return respond(
            framed,
            req,
            413,
            vec![],
            "application/json",
            app::error_json("upload too large"),
        )
        .await;
    }
    continue_if_expected(framed).await?;
    let mut received = 0u64;
    while framed.codec().conn().their_state() == State::SendBody {
        match next(framed, settings).await? {
            Incoming::Data(d) => received += d.len() as u64,
            Incoming::End => break,
            Incoming::Request(_) => return Err(Fail::Closed),
        }
        if received > app::MAX_UPLOAD {
            return respond(
                framed,
                req,
                413,
                vec![],
                "application/json",
                app::error_json("upload too large"),
            )
            .await;
        }
    }
    run_job(framed, settings, req.version == Version::Http11).await?;
    let location = format!("{}{name}", app::FILES_PREFIX);
    respond(
        framed,
        req,
        201,
        vec![("Location", location)],
        "application/json",
        app::upload_done(name, received),
    )
    .await
}

/// The job runs as a task; `102 Processing` with `Progress` goes out whenever the heartbeat
/// schedule says one is due.
async fn run_job(
    framed: &mut Conn,
    settings: &ServerSettings,
    interim_ok: bool,
) -> Result<(), Fail> {
    let job = Arc::new(app::JobState::default());
    let worker = Arc::clone(&job);
    let total = settings.job;
    let start = Instant::now();
    let mut done = tokio::spawn(async move {
        for i in 1..=JOB_STEPS {
            tokio::time::sleep_until(start + total * i / JOB_STEPS).await;
            worker.step();
        }
    });
    let clock = Instant::now();
    let mut beat = HeartbeatSchedule::new(settings.heartbeat);
    beat.start(clock.elapsed());
    loop {
        let due = beat.next_due().unwrap_or(Duration::from_secs(3600));
        tokio::select! {
            biased; // a finished job wins over a heartbeat due at the same moment
            _ = &mut done => return Ok(()),
            _ = tokio::time::sleep_until(clock + due) => {
                if interim_ok && beat.poll(clock.elapsed()) {
                    let progress = job.progress();
                    let sent = framed.send(Outgoing::Interim(102, vec![(PROGRESS_HEADER, progress)])).await;
                    if let Err(e) = sent {
                        done.abort();
                        return Err(e.into());
                    }
                } else if !interim_ok {
                    beat.stop();
                }
            }
        }
    }
}

/// A final response with a body (none for HEAD); returns its status.
async fn respond(
    framed: &mut Conn,
    req: &RequestHead,
    status: u16,
    mut fields: Vec<(&'static str, String)>,
    ctype: &'static str,
    body: String,
) -> Result<u16, Fail> {
    fields.insert(0, ("Content-Type", ctype.into()));
    fields.insert(1, ("Content-Length", body.len().to_string()));
    let declared_body = req.header("transfer-encoding").is_some()
        || req.header("content-length").is_some_and(|v| v != b"0");
    if framed.codec().conn().their_state() == State::SendBody && declared_body {
        // answering before the body was read: do not wait for (or parse) the rest of it
        fields.push(("Connection", "close".into()));
    }
    framed.feed(Outgoing::Response(status, fields)).await?;
    if &req.method[..] != b"HEAD" {
        framed.feed(Outgoing::Data(Bytes::from(body))).await?;
    }
    framed.send(Outgoing::End).await?;
    Ok(status)
}

/// The error path: answer if we still can; the connection then closes.
async fn answer_failure(framed: &mut Conn, fail: Fail, settings: &ServerSettings, peer: &str) {
    let (status, message) = match fail {
        Fail::Codec(CodecError::Protocol(e)) if e.is_remote() => (e.status(), e.to_string()),
        Fail::Codec(CodecError::Protocol(e)) => (500, format!("server bug: {e}")),
        Fail::Timeout { mid_message: true } => (408, "request timed out".to_string()),
        Fail::Codec(CodecError::Io(_)) | Fail::Timeout { .. } | Fail::Closed => return,
    };
    if settings.log {
        eprintln!("tokio_server: {peer} error {status}: {message}");
    }
    if !matches!(
        framed.codec().conn().our_state(),
        State::Idle | State::SendResponse
    ) {
        return;
    }
    let body = format!("{status} {}: {message}\n", h1x::reason_phrase(status));
    let fields = vec![
        ("Content-Type", "text/plain; charset=utf-8".to_string()),
        ("Content-Length", body.len().to_string()),
        ("Connection", "close".to_string()),
    ];
    let _ = framed.feed(Outgoing::Response(status, fields)).await;
    let _ = framed.feed(Outgoing::Data(Bytes::from(body))).await;
    let _ = framed.send(Outgoing::End).await;
}
