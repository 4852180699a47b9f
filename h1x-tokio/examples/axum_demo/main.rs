//! The h1x demo's routes as an axum `Router`, served by h1x-tokio (or by hyper through
//! `axum::serve` with `--hyper`, to compare):
//!
//! * `POST /api/generate-panorama` (JSON `{"images": [...]}`): `103 Early Hints` with two `Link`
//!   fields, a `102 Processing` with `Progress: n/10` every `--heartbeat-ms`, then `200` with
//!   `{"status": "success", "url": "/images/panorama-123.jpg"}` after `--job-secs`;
//! * `PUT /files/NAME`: `100 Continue` when the client asks (sent when the handler first reads the
//!   body), the body counted, `102`s while "processing", `201 Created`;
//! * `GET /`: a text page.
//!
//! On hyper the 1xx responses cannot be sent: hyper turns a 1xx from a service into a 500, and
//! the `Interim` handle is absent, so the same handlers answer with the final response only.
//!
//! ```text
//! cargo run --release -p h1x-tokio --example axum_demo -- --serve 127.0.0.1:8080
//! cargo run --release -p h1x-tokio --example axum_demo -- --serve 127.0.0.1:8080 --hyper
//! ```

#[path = "../../../examples/demo/app.rs"]
mod app;
mod routes;

use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: axum_demo [--serve ADDR] [--job-secs S] [--heartbeat-ms MS] [--idle-secs S] [--hyper]

  --serve ADDR        listen there (default 127.0.0.1:8080; port 0 = any)
  --job-secs S        length of each job (default 3; fractions allowed)
  --heartbeat-ms MS   interval between 102 Processing heartbeats (default 1000)
  --idle-secs S       header read, keep-alive and body read timeouts (default 10)
  --hyper             serve the same Router on axum::serve (hyper): no interim responses";

struct Args {
    addr: String,
    settings: routes::Settings,
    idle: Duration,
    hyper: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        addr: "127.0.0.1:8080".into(),
        settings: routes::Settings {
            job: Duration::from_secs(3),
            heartbeat: Duration::from_secs(1),
        },
        idle: Duration::from_secs(10),
        hyper: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--serve" => args.addr = value("--serve")?,
            "--job-secs" => args.settings.job = app::parse_secs(&value("--job-secs")?)?,
            "--heartbeat-ms" => args.settings.heartbeat = app::parse_ms(&value("--heartbeat-ms")?)?,
            "--idle-secs" => {
                args.idle = app::parse_secs(&value("--idle-secs")?)?;
                if args.idle.is_zero() {
                    return Err("--idle-secs must be above 0".into());
                }
            }
            "--hyper" => args.hyper = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("axum_demo: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound socket has an address");
    let app = routes::router(args.settings);
    let served = if args.hyper {
        println!("listening on http://{local} (axum on hyper)");
        axum::serve(listener, app).await
    } else {
        println!("listening on http://{local} (axum on h1x-tokio)");
        h1x_tokio::Builder::new()
            .header_read_timeout(Some(args.idle))
            .keep_alive_timeout(Some(args.idle))
            .body_read_timeout(Some(args.idle))
            .title_case_headers(true)
            .serve(listener, app)
            .await
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("axum_demo: {e}");
            ExitCode::FAILURE
        }
    }
}
