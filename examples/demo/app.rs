//! The demo application, shared by the std server (`demo`) and the tokio server (`tokio_server`):
//! routes, request validation, the simulated job and the response bodies. Nothing here speaks
//! HTTP: the servers do that with h1x.
//!
//! `Progress: 3/10` on each `102 Processing` is this application's own header (steps done / steps
//! in all), not a standard field: RFC 2518 dropped 102's body and RFC 9110 defines no progress
//! field, so clients that want progress need an agreement like this one.

#![allow(dead_code)] // each example uses a different part of it

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The application-defined progress header carried by each `102 Processing`.
pub const PROGRESS_HEADER: &str = "Progress";
/// Steps a job is divided into (the denominator of `Progress`).
pub const JOB_STEPS: u32 = 10;
/// `Link` fields of the `103 Early Hints` sent while a panorama renders.
pub const EARLY_HINTS: [&str; 2] = [
    "</static/panorama-viewer.js>; rel=preload; as=script",
    "</static/panorama.css>; rel=preload; as=style",
];
/// The panorama endpoint.
pub const PANORAMA_PATH: &str = "/api/generate-panorama";
/// Uploads go under this prefix.
pub const FILES_PREFIX: &str = "/files/";
/// Largest JSON body accepted by the panorama endpoint (413 beyond).
pub const MAX_JSON_BODY: u64 = 64 * 1024;
/// Largest upload accepted (413 beyond, before reading it when the client sent
/// `Expect: 100-continue`).
pub const MAX_UPLOAD: u64 = 1024 * 1024 * 1024;
/// The panorama's final body (the issue's wording, byte for byte).
pub const PANORAMA_DONE: &str = r#"{"status": "success", "url": "/images/panorama-123.jpg"}"#;

/// Server settings shared by both servers.
#[derive(Debug, Clone, Copy)]
pub struct ServerSettings {
    /// How long a job (render, post-upload processing) takes.
    pub job: Duration,
    /// Interval between `102 Processing` heartbeats.
    pub heartbeat: Duration,
    /// Stop sending heartbeats (and let the job hang) to show a client timing out.
    pub stall: bool,
    /// Read timeout: a client silent for this long is dropped (408 if mid-request).
    pub idle: Duration,
    /// Log each request to stderr.
    pub log: bool,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            job: Duration::from_secs(3),
            heartbeat: Duration::from_millis(1000),
            stall: false,
            idle: Duration::from_secs(10),
            log: false,
        }
    }
}

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Index,
    Panorama,
    Upload(String),
    MethodNotAllowed(&'static str),
    NotFound,
}

/// Route by method and target (query strings ignored).
pub fn route(method: &[u8], target: &[u8]) -> Route {
    let path = target.split(|&b| b == b'?').next().unwrap_or(b"");
    let path = String::from_utf8_lossy(path);
    if path == "/" {
        return match method {
            b"GET" | b"HEAD" => Route::Index,
            _ => Route::MethodNotAllowed("GET, HEAD"),
        };
    }
    if path == PANORAMA_PATH {
        return match method {
            b"POST" => Route::Panorama,
            _ => Route::MethodNotAllowed("POST"),
        };
    }
    if let Some(name) = path.strip_prefix(FILES_PREFIX) {
        let ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            && !name.starts_with('.');
        if !ok {
            return Route::NotFound;
        }
        return match method {
            b"PUT" => Route::Upload(name.to_string()),
            _ => Route::MethodNotAllowed("PUT"),
        };
    }
    Route::NotFound
}

/// The index page (GET /).
pub fn index_page() -> String {
    format!(
        "h1x demo server\n\n\
         POST {PANORAMA_PATH}   JSON {{\"images\": [\"a.jpg\", ...]}}: 103 Early Hints, 102 Processing \
         heartbeats with a `{PROGRESS_HEADER}: n/{JOB_STEPS}` header (ours, not a standard), then 200\n\
         PUT  {FILES_PREFIX}NAME              any body, Expect: 100-continue welcome: 100, 102 heartbeats, then 201\n"
    )
}

/// Check a panorama request body: a JSON object with a non-empty `images` array of strings and
/// an optional `projection`.
pub fn validate_panorama(body: &[u8]) -> Result<usize, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    let obj = value
        .as_object()
        .ok_or_else(|| "body must be a JSON object".to_string())?;
    let images = obj
        .get("images")
        .and_then(|v| v.as_array())
        .ok_or_else(|| "\"images\" must be an array of image names".to_string())?;
    if images.is_empty() || images.len() > 64 {
        return Err("\"images\" must hold 1 to 64 names".into());
    }
    if !images.iter().all(|v| v.is_string()) {
        return Err("\"images\" must hold strings".into());
    }
    match obj.get("projection").map(|p| p.as_str()) {
        None | Some(Some("equirectangular" | "cylindrical")) => Ok(images.len()),
        Some(_) => Err("\"projection\" must be \"equirectangular\" or \"cylindrical\"".into()),
    }
}

/// Whether a Content-Type names JSON (parameters ignored).
pub fn is_json(content_type: &[u8]) -> bool {
    let essence = content_type.split(|&b| b == b';').next().unwrap_or(b"");
    let text = String::from_utf8_lossy(essence);
    text.trim().eq_ignore_ascii_case("application/json")
}

/// A JSON error body.
pub fn error_json(message: &str) -> String {
    serde_json::json!({ "status": "error", "message": message }).to_string()
}

/// The upload's final body.
pub fn upload_done(name: &str, bytes: u64) -> String {
    serde_json::json!({ "status": "created", "location": format!("{FILES_PREFIX}{name}"), "bytes": bytes })
        .to_string()
}

/// A job's shared state: steps done, and whether it should stop early.
#[derive(Debug, Default)]
pub struct JobState {
    done: AtomicU32,
    cancel: AtomicBool,
}

impl JobState {
    /// Steps done so far.
    pub fn done(&self) -> u32 {
        self.done.load(Ordering::Acquire)
    }

    /// The value of the `Progress` header now.
    pub fn progress(&self) -> String {
        format!("{}/{JOB_STEPS}", self.done())
    }

    /// Ask the job to stop (its client went away).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Release);
    }

    /// Whether cancelled.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Acquire)
    }

    /// Record one more step done.
    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::AcqRel);
    }
}

/// Run a simulated job on a worker thread: `JOB_STEPS` steps over `total`. A stalled job stops
/// after its first step and hangs until cancelled. The returned receiver yields once at the end.
pub fn spawn_job(total: Duration, stall: bool) -> (Arc<JobState>, std::sync::mpsc::Receiver<()>) {
    let state = Arc::new(JobState::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let job = Arc::clone(&state);
    std::thread::spawn(move || {
        let start = std::time::Instant::now();
        for i in 1..=JOB_STEPS {
            if stall && i == 2 {
                while !job.cancelled() {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            if job.cancelled() {
                return;
            }
            // step i ends at i/JOB_STEPS of the total, however long the sleeps overshoot
            let end = start + total * i / JOB_STEPS;
            std::thread::sleep(end.saturating_duration_since(std::time::Instant::now()));
            job.step();
        }
        let _ = tx.send(());
    });
    (state, rx)
}

/// Parse a duration in (possibly fractional) seconds.
pub fn parse_secs(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("not a number of seconds: {s}"))?;
    if !(0.0..=86_400.0).contains(&v) {
        return Err(format!("out of range: {s}"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// Parse a duration in milliseconds (at least 1).
pub fn parse_ms(s: &str) -> Result<Duration, String> {
    let v: u64 = s.parse().map_err(|_| format!("not a number of ms: {s}"))?;
    if v == 0 || v > 86_400_000 {
        return Err(format!("out of range: {s}"));
    }
    Ok(Duration::from_millis(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(route(b"GET", b"/"), Route::Index);
        assert_eq!(
            route(b"POST", b"/api/generate-panorama?x=1"),
            Route::Panorama
        );
        assert_eq!(
            route(b"GET", b"/api/generate-panorama"),
            Route::MethodNotAllowed("POST")
        );
        assert_eq!(
            route(b"PUT", b"/files/large-video.mp4"),
            Route::Upload("large-video.mp4".into())
        );
        assert_eq!(route(b"PUT", b"/files/../etc/passwd"), Route::NotFound);
        assert_eq!(route(b"PUT", b"/files/"), Route::NotFound);
        assert_eq!(route(b"GET", b"/nope"), Route::NotFound);
    }

    #[test]
    fn panorama_validation() {
        assert_eq!(
            validate_panorama(br#"{"images": ["a.jpg", "b.jpg"]}"#),
            Ok(2)
        );
        assert!(validate_panorama(br#"{"images": []}"#).is_err());
        assert!(validate_panorama(br#"{"images": [1]}"#).is_err());
        assert!(validate_panorama(br#"["a.jpg"]"#).is_err());
        assert!(validate_panorama(b"{not json").is_err());
        assert!(validate_panorama(br#"{"images": ["a"], "projection": "flat"}"#).is_err());
        assert!(validate_panorama(br#"{"images": ["a"], "projection": "cylindrical"}"#).is_ok());
    }

    #[test]
    fn json_content_type() {
        assert!(is_json(b"application/json"));
        assert!(is_json(b"Application/JSON; charset=utf-8"));
        assert!(!is_json(b"text/plain"));
    }

    #[test]
    fn final_bodies_are_json() {
        let v: serde_json::Value = serde_json::from_str(PANORAMA_DONE).unwrap();
        assert_eq!(v["url"], "/images/panorama-123.jpg");
        let v: serde_json::Value = serde_json::from_str(&upload_done("a.mp4", 7)).unwrap();
        assert_eq!(v["bytes"], 7);
        assert_eq!(v["location"], "/files/a.mp4");
    }

    #[test]
    fn job_runs_its_steps_and_can_be_cancelled() {
        let (state, done) = spawn_job(Duration::from_millis(10), false);
        done.recv().unwrap();
        assert_eq!(state.progress(), "10/10");
        let (state, done) = spawn_job(Duration::from_millis(10), true);
        state.cancel();
        assert!(done.recv().is_err(), "a cancelled job never reports done");
        assert!(state.done() <= 1);
    }
}
