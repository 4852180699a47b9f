//! The demo's routes as axum handlers. Interim responses go through `Extension<Interim>` and the
//! heartbeat layer's `Extension<Progress>`; both are absent on hyper (the handlers then just
//! answer).

use crate::app::{
    self, EARLY_HINTS, FILES_PREFIX, JOB_STEPS, MAX_JSON_BODY, MAX_UPLOAD, PANORAMA_DONE,
    PANORAMA_PATH,
};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Router};
use h1x_tokio::heartbeat::{HeartbeatLayer, Progress};
use h1x_tokio::Interim;
use http_body::Body as _;
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::time::Instant;

/// The demo's timings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// How long a job takes.
    pub job: Duration,
    /// Interval between `102 Processing` heartbeats.
    pub heartbeat: Duration,
}

/// The demo's routes.
pub fn router(settings: Settings) -> Router {
    let jobs = Router::new()
        .route(PANORAMA_PATH, post(panorama))
        .route(&format!("{FILES_PREFIX}{{name}}"), put(upload))
        .route_layer(HeartbeatLayer::new(settings.heartbeat));
    Router::new()
        .route("/", get(index))
        .merge(jobs)
        .fallback(not_found)
        .with_state(settings)
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    json(status, app::error_json(message))
}

async fn index() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        app::index_page(),
    )
        .into_response()
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not found")
}

/// `JOB_STEPS` steps over `total`, each reported on the progress handle.
async fn run_job(total: Duration, progress: Option<&Progress>) {
    let start = Instant::now();
    for i in 1..=JOB_STEPS {
        tokio::time::sleep_until(start + total * i / JOB_STEPS).await;
        if let Some(p) = progress {
            p.set(format!("{i}/{JOB_STEPS}"));
        }
    }
}

async fn panorama(
    State(settings): State<Settings>,
    interim: Option<Extension<Interim>>,
    progress: Option<Extension<Progress>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let progress = progress.map(|Extension(p)| p);
    if let Some(p) = &progress {
        p.set(format!("0/{JOB_STEPS}"));
    }
    if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| !app::is_json(ct.as_bytes()))
    {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    if body.size_hint().lower() > MAX_JSON_BODY {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "body too large");
    }
    let bytes = match axum::body::to_bytes(body, MAX_JSON_BODY as usize).await {
        Ok(b) => b,
        Err(_) => return error(StatusCode::PAYLOAD_TOO_LARGE, "body too large"),
    };
    if let Err(msg) = app::validate_panorama(&bytes) {
        return error(StatusCode::BAD_REQUEST, &msg);
    }
    if let Some(Extension(interim)) = interim {
        // refused for HTTP/1.0 clients: they get the final response only
        let _ = interim.early_hints(EARLY_HINTS).await;
    }
    run_job(settings.job, progress.as_ref()).await;
    json(StatusCode::OK, PANORAMA_DONE.into())
}

async fn upload(
    State(settings): State<Settings>,
    Path(name): Path<String>,
    progress: Option<Extension<Progress>>,
    body: Body,
) -> Response {
    let progress = progress.map(|Extension(p)| p);
    if let Some(p) = &progress {
        p.set(format!("0/{JOB_STEPS}"));
    }
    let valid = !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !valid {
        return error(StatusCode::NOT_FOUND, "not found");
    }
    // refused before `100 Continue`: the body is never asked for
    if body.size_hint().lower() > MAX_UPLOAD {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "upload too large");
    }
    let mut received = 0u64;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(f) => received += f.data_ref().map_or(0, |d| d.len() as u64),
            Err(_) => return error(StatusCode::BAD_REQUEST, "upload failed"),
        }
        if received > MAX_UPLOAD {
            return error(StatusCode::PAYLOAD_TOO_LARGE, "upload too large");
        }
    }
    run_job(settings.job, progress.as_ref()).await;
    let location = format!("{FILES_PREFIX}{name}");
    let mut res = json(StatusCode::CREATED, app::upload_done(&name, received));
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}
