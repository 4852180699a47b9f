//! # h1x-tokio — serve axum and tower apps over HTTP/1.1 with interim (1xx) responses
//!
//! hyper turns any 1xx a service returns into a 500, so axum handlers cannot send
//! `103 Early Hints` or `102 Processing`. h1x-tokio serves the same `axum::Router` (any
//! `tower::Service<http::Request<_>>`) on tokio with [h1x](https://docs.rs/h1x) deciding every
//! protocol question, and gives handlers an [`Interim`] handle to send 1xx responses, plus a
//! [`HeartbeatLayer`](heartbeat::HeartbeatLayer) that sends `102 Processing` while a long
//! handler works.
//!
//! ```no_run
//! use axum::{routing::post, Extension, Router};
//! use h1x_tokio::{heartbeat::HeartbeatLayer, Interim};
//! use std::time::Duration;
//!
//! async fn render(Extension(interim): Extension<Interim>) -> &'static str {
//!     let _ = interim.early_hints(["</viewer.js>; rel=preload; as=script"]).await;
//!     tokio::time::sleep(Duration::from_secs(5)).await; // 102s go out meanwhile
//!     "done"
//! }
//!
//! #[tokio::main]
//! async fn main() {
//!     let app = Router::new()
//!         .route("/render", post(render))
//!         .layer(HeartbeatLayer::new(Duration::from_secs(1)));
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//!     h1x_tokio::serve(listener, app).await.unwrap();
//! }
//! ```
//!
//! Modules: [`codec`] (tokio-util `Decoder`/`Encoder`), [`server`] (connections and the
//! accept loop), [`interim`], [`heartbeat`], [`upgrade`], [`body`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod body;
pub mod codec;
mod date;
mod decisions;
mod exchange;
pub mod heartbeat;
pub mod interim;
pub mod server;
pub mod upgrade;

pub use body::Body;

/// The crate README's example, compiled as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
pub use interim::Interim;
pub use server::{serve, serve_connection, Builder, Connection};
