//! Body framing: the decision of RFC 9112 section 6.3 ([`BodyKind`]), and the Content-Length,
//! chunked and read-until-close decoders.

mod chunked;
pub(crate) mod framing;
pub(crate) mod host;

pub use chunked::parse_chunk_size;
pub(crate) use chunked::{Chunk, ChunkedDecoder};
pub(crate) use framing::BodyKind;
