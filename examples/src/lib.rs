//! Runnable examples of h1x, kept out of the published crate (`publish = false`) so that the
//! core's dependencies stay what the core needs.
//!
//! * `demo` (`demo/`): a server and a client over `std::net` showing `103 Early Hints`,
//!   `102 Processing` heartbeats and `100 Continue`:
//!   `cargo run --release -p h1x-examples --example demo`.
//!
//! This library is empty: a package needs one target besides its examples.
