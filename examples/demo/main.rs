//! The h1x demo: a server and a client on 127.0.0.1, over `std::net`, showing interim responses.
//!
//! ```text
//! cargo run --release -p h1x-examples --example demo                      # both scenarios, in one process
//! cargo run --release -p h1x-examples --example demo -- --serve 127.0.0.1:8080    # only the server
//! cargo run --release -p h1x-examples --example demo -- --connect http://127.0.0.1:8080/   # only the client
//! cargo run --release -p h1x-examples --example demo -- --stall           # heartbeats stop: the client times out
//! ```
//!
//! Scenario 1: `POST /api/generate-panorama` with JSON. The server validates it, starts a job on
//! a worker thread, sends `103 Early Hints` (two `Link` fields), then `102 Processing` every
//! `--heartbeat-ms` with `Progress: n/10` (an application-defined header: ours, not a standard),
//! then `200 OK`.
//!
//! Scenario 2: `PUT /files/large-video.mp4` with `Expect: 100-continue` and `--upload-mib` MiB
//! streamed: `100 Continue`, the body counted, `102` heartbeats while "processing", `201 Created`.

mod app;
mod client;
mod server;

use app::ServerSettings;
use client::{Body, ClientSettings, Outcome, Url};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: demo [OPTIONS]                 server and client in one process, both scenarios
       demo --serve ADDR [OPTIONS]    only the server (e.g. 127.0.0.1:8080; port 0 = any)
       demo --connect URL [OPTIONS]   only the client, against any server
                                      (path /: both scenarios; /files/...: the upload;
                                       anything else: the panorama POST to that path)

options:
  --job-secs S        length of each job (default 3; fractions allowed)
  --heartbeat-ms MS   interval between 102 Processing heartbeats (default 1000)
  --upload-mib N      size of the upload in scenario 2 (default 64)
  --timeout-ms MS     client idle timeout, extended by every interim response
                      (default 2.5 x --heartbeat-ms)
  --idle-secs S       server read timeout for silent clients (default 10)
  --stall             the server stops its heartbeats after the first: the client times out
  -h, --help          this text";

struct Args {
    serve: Option<String>,
    connect: Option<String>,
    server: ServerSettings,
    upload_mib: u64,
    timeout: Option<Duration>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        serve: None,
        connect: None,
        server: ServerSettings::default(),
        upload_mib: 64,
        timeout: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--serve" => args.serve = Some(value("--serve")?),
            "--connect" => args.connect = Some(value("--connect")?),
            "--job-secs" => args.server.job = app::parse_secs(&value("--job-secs")?)?,
            "--heartbeat-ms" => args.server.heartbeat = app::parse_ms(&value("--heartbeat-ms")?)?,
            "--timeout-ms" => args.timeout = Some(app::parse_ms(&value("--timeout-ms")?)?),
            "--idle-secs" => {
                args.server.idle = app::parse_secs(&value("--idle-secs")?)?;
                if args.server.idle.is_zero() {
                    return Err("--idle-secs must be above 0".into());
                }
            }
            "--upload-mib" => {
                let v = value("--upload-mib")?;
                args.upload_mib = v
                    .parse()
                    .ok()
                    .filter(|&n| n <= 4096)
                    .ok_or_else(|| format!("--upload-mib: 0 to 4096, not {v}"))?;
            }
            "--stall" => args.server.stall = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n\n{USAGE}")),
        }
    }
    if args.serve.is_some() && args.connect.is_some() {
        return Err("--serve and --connect exclude each other".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("demo: {e}");
            return ExitCode::from(2);
        }
    };
    let client = ClientSettings {
        idle: args.timeout.unwrap_or(args.server.heartbeat.mul_f64(2.5)),
        continue_wait: Duration::from_secs(1),
    };

    if let Some(addr) = &args.serve {
        let listener = match TcpListener::bind(addr) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("demo: cannot listen on {addr}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let local = listener.local_addr().expect("bound socket has an address");
        println!("listening on http://{local}");
        println!(
            "try: curl -sv -H 'Content-Type: application/json' -d '{{\"images\": [\"a.jpg\", \"b.jpg\"]}}' http://{local}{}",
            app::PANORAMA_PATH
        );
        let settings = ServerSettings {
            log: true,
            ..args.server
        };
        server::serve(listener, settings);
        return ExitCode::SUCCESS;
    }

    if let Some(url) = &args.connect {
        let url = match Url::parse(url) {
            Ok(u) => u,
            Err(e) => {
                eprintln!("demo: {e}");
                return ExitCode::from(2);
            }
        };
        let scenarios: Vec<Scenario> = if url.path == "/" {
            vec![Scenario::Panorama, Scenario::Upload]
        } else if url.path.starts_with(app::FILES_PREFIX) {
            vec![Scenario::Upload]
        } else {
            vec![Scenario::Panorama]
        };
        let ok = scenarios.into_iter().all(|s| {
            let target = if url.path == "/" {
                s.default_path().to_string()
            } else {
                url.path.clone()
            };
            let u = Url {
                authority: url.authority.clone(),
                path: target,
            };
            matches!(run(s, &u, &args, client), Some(o) if o.status.is_some() && !o.timed_out)
        });
        return if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }

    // both sides in one process
    let listener = match TcpListener::bind("127.0.0.1:0") {
        Ok(l) => l,
        Err(e) => {
            eprintln!("demo: cannot listen on 127.0.0.1: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    let settings = args.server;
    std::thread::spawn(move || server::serve(listener, settings));
    println!(
        "h1x demo: server on http://{local}: jobs take {:.1} s, a 102 every {} ms{}\n\
         \x20         client: gives up after {} ms without a response or an interim response",
        settings.job.as_secs_f64(),
        settings.heartbeat.as_millis(),
        if settings.stall {
            ", --stall: the heartbeats stop after the first"
        } else {
            ""
        },
        client.idle.as_millis()
    );
    let mut ok = true;
    for s in [Scenario::Panorama, Scenario::Upload] {
        let url = Url {
            authority: local.to_string(),
            path: s.default_path().to_string(),
        };
        let outcome = run(s, &url, &args, client);
        // without --stall every job must finish; with it, the client must time out
        ok &= match outcome {
            Some(o) if settings.stall => o.timed_out,
            Some(o) => o.status.is_some_and(|s| (200..300).contains(&s)),
            None => false,
        };
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[derive(Clone, Copy)]
enum Scenario {
    Panorama,
    Upload,
}

impl Scenario {
    fn default_path(self) -> &'static str {
        match self {
            Scenario::Panorama => app::PANORAMA_PATH,
            Scenario::Upload => "/files/large-video.mp4",
        }
    }
}

fn run(s: Scenario, url: &Url, args: &Args, client: ClientSettings) -> Option<Outcome> {
    let (title, method, body) = match s {
        Scenario::Panorama => (
            "a panorama render: 103 Early Hints, 102 heartbeats with progress, 200",
            "POST",
            Body::Bytes(
                br#"{"images": ["north.jpg", "east.jpg", "south.jpg", "west.jpg"], "projection": "equirectangular"}"#
                    .to_vec(),
                "application/json",
            ),
        ),
        Scenario::Upload => (
            "an upload: Expect: 100-continue, 100 Continue, the body, 102 heartbeats, 201",
            "PUT",
            Body::Upload(args.upload_mib << 20),
        ),
    };
    println!("\n== {title}");
    match client::exchange(url, method, body, client) {
        Ok(o) => Some(o),
        Err(e) => {
            println!("xx {e}");
            None
        }
    }
}
