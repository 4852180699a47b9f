//! The chunked transfer coding (RFC 9112 section 7.1), decoded one byte of framing at a time and
//! chunk data as zero-copy slices, so any split of the input gives the same result.

use crate::head::is_token;
use crate::{Config, Error, ErrorKind, Leniency, Status};

/// Where in the chunked framing the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
enum St {
    /// At the start of a chunk-size line.
    #[default]
    SizeStart,
    /// Inside the hex digits.
    Size,
    /// Whitespace after the size, before `;`.
    SizeBws,
    /// After `;`, before the extension name.
    ExtStart,
    ExtName,
    /// Whitespace after a name: `=` or `;` must follow.
    ExtNameBws,
    /// After `=`, before the value.
    ExtValueStart,
    ExtToken,
    ExtQuoted,
    ExtQuotedPair,
    /// Whitespace after a value: `;` must follow.
    ExtAfterValue,
    /// CR of the size line seen.
    SizeLf,
    /// In chunk data.
    Data,
    /// Expecting the CR after chunk data.
    DataCr,
    /// Expecting the LF after chunk data.
    DataLf,
    /// Last chunk read: the trailer section follows.
    Trailers,
}

/// Decoder state: 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ChunkedDecoder {
    /// Chunk size being read, then bytes of it still to come.
    remaining: u64,
    st: St,
    digits: u8,
    ext_len: u16,
    /// In chunk data: none of this chunk's bytes was handed out yet.
    chunk_fresh: bool,
}

/// One step of chunked decoding.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Chunk<'b> {
    /// Body data (never empty), and whether it begins a chunk and whether it ends one (h11's
    /// `chunk_start` and `chunk_end`): whatever the split of the input, each chunk's data comes
    /// out as pieces of which the first begins it and the last ends it.
    Data(&'b [u8], bool, bool),
    /// The last chunk is done; the trailer section starts at the consumed offset.
    Trailers,
    /// Everything given was consumed; more is needed.
    NeedData,
}

fn hex(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u64),
        b'a'..=b'f' => Some((b - b'a' + 10) as u64),
        b'A'..=b'F' => Some((b - b'A' + 10) as u64),
        _ => None,
    }
}

/// qdtext / obs-text (RFC 9110 section 5.6.4).
fn is_qdtext(b: u8) -> bool {
    matches!(b, b'\t' | b' ' | 0x21 | 0x23..=0x5b | 0x5d..=0x7e | 0x80..=0xff)
}

impl ChunkedDecoder {
    /// Decode from `buf`. Returns the bytes consumed and what they held. Errors carry offsets
    /// relative to `buf`.
    pub(crate) fn decode<'b>(
        &mut self,
        buf: &'b [u8],
        cfg: &Config,
    ) -> Result<(usize, Chunk<'b>), Error> {
        let mut i = 0;
        while i < buf.len() {
            match self.st {
                St::Data => {
                    let n = (buf.len() - i).min(self.remaining.min(usize::MAX as u64) as usize);
                    self.remaining -= n as u64;
                    let end = self.remaining == 0;
                    if end {
                        self.st = St::DataCr;
                    }
                    let start = core::mem::take(&mut self.chunk_fresh);
                    return Ok((i + n, Chunk::Data(&buf[i..i + n], start, end)));
                }
                St::Trailers => return Ok((i, Chunk::Trailers)),
                St::SizeStart => {
                    if let Some((n, size)) = whole_size_line(&buf[i..], cfg) {
                        self.remaining = size;
                        self.end_size_line();
                        i += n;
                        continue;
                    }
                    self.framing_byte(buf[i], i, cfg)?
                }
                _ => self.framing_byte(buf[i], i, cfg)?,
            }
            i += 1;
        }
        if self.st == St::Trailers {
            return Ok((i, Chunk::Trailers));
        }
        Ok((i, Chunk::NeedData))
    }

    /// One byte of framing (size line, extensions, the CRLF after data) at offset `i`.
    #[inline(always)]
    fn framing_byte(&mut self, b: u8, i: usize, cfg: &Config) -> Result<(), Error> {
        let lenient_lf = cfg.allows(Leniency::BARE_LF);
        let err = |kind| Err(Error::remote(kind, i));
        match self.st {
            St::Data | St::Trailers => unreachable!("not framing"),
            St::SizeStart | St::Size => match hex(b) {
                Some(d) => {
                    if self.digits == 16 {
                        return err(ErrorKind::InvalidChunkSize);
                    }
                    self.remaining = self.remaining << 4 | d;
                    self.digits += 1;
                    self.st = St::Size;
                }
                None if self.st == St::SizeStart => return err(ErrorKind::InvalidChunkSize),
                None => match b {
                    b'\r' => self.st = St::SizeLf,
                    b'\n' if lenient_lf => self.end_size_line(),
                    b'\n' => return err(ErrorKind::BareLf),
                    b';' => {
                        self.ext_len = 1;
                        self.st = St::ExtStart;
                    }
                    b' ' | b'\t' => {
                        self.ext_len = 1;
                        self.st = St::SizeBws;
                    }
                    _ => return err(ErrorKind::InvalidChunkSize),
                },
            },
            St::SizeLf => match b {
                b'\n' => self.end_size_line(),
                _ => return err(ErrorKind::BareCr),
            },
            St::DataCr => match b {
                b'\r' => self.st = St::DataLf,
                b'\n' if lenient_lf => self.st = St::SizeStart,
                _ => return err(ErrorKind::MissingChunkCrlf),
            },
            St::DataLf => match b {
                b'\n' => self.st = St::SizeStart,
                _ => return err(ErrorKind::MissingChunkCrlf),
            },
            ext => {
                // the extension's bytes count, its line ending does not
                self.ext_len = self
                    .ext_len
                    .saturating_add((b != b'\r' && b != b'\n') as u16);
                if self.ext_len > cfg.max_chunk_ext_bytes {
                    return err(ErrorKind::ChunkExtensionTooLong);
                }
                let ows = b == b' ' || b == b'\t';
                self.st = match (ext, b) {
                    (St::SizeBws, _) if ows => St::SizeBws,
                    (St::SizeBws, b';') => St::ExtStart,
                    (St::SizeBws, _) => return err(ErrorKind::InvalidChunkSize),
                    (St::ExtStart, _) if ows => St::ExtStart,
                    (St::ExtStart, _) if is_token(b) => St::ExtName,
                    (St::ExtName, _) if is_token(b) => St::ExtName,
                    (St::ExtName | St::ExtNameBws, _) if ows => St::ExtNameBws,
                    (St::ExtName | St::ExtNameBws, b'=') => St::ExtValueStart,
                    (St::ExtName | St::ExtNameBws | St::ExtToken | St::ExtAfterValue, b';') => {
                        St::ExtStart
                    }
                    (St::ExtValueStart, _) if ows => St::ExtValueStart,
                    (St::ExtValueStart, b'"') => St::ExtQuoted,
                    (St::ExtValueStart | St::ExtToken, _) if is_token(b) => St::ExtToken,
                    (St::ExtToken | St::ExtAfterValue, _) if ows => St::ExtAfterValue,
                    (St::ExtQuoted, b'"') => St::ExtAfterValue,
                    (St::ExtQuoted, b'\\') => St::ExtQuotedPair,
                    (St::ExtQuoted, _) if is_qdtext(b) => St::ExtQuoted,
                    (St::ExtQuotedPair, _) if b == b'\t' || b >= 0x20 && b != 0x7f => St::ExtQuoted,
                    (St::ExtName | St::ExtToken | St::ExtAfterValue, b'\r') => St::SizeLf,
                    (St::ExtName | St::ExtToken | St::ExtAfterValue, b'\n') if lenient_lf => {
                        self.end_size_line();
                        self.st
                    }
                    (_, b'\n') => return err(ErrorKind::BareLf),
                    _ => return err(ErrorKind::InvalidChunkExtension),
                };
            }
        }
        Ok(())
    }

    fn end_size_line(&mut self) {
        self.digits = 0;
        self.ext_len = 0;
        self.st = if self.remaining == 0 {
            St::Trailers
        } else {
            St::Data
        };
        self.chunk_fresh = true;
    }
}

/// The fast path for a chunk-size line that is complete in `buf` and plainly valid: hex digits,
/// token extensions (`;name` or `;name=value`), CRLF. Returns its length and the size, or `None`
/// for anything else (incomplete, quoted values, whitespace, bare LF, limits, errors), which the
/// byte-at-a-time state machine then decodes from the same position, so the outcome, errors and
/// their offsets included, is the same either way.
#[inline]
fn whole_size_line(buf: &[u8], cfg: &Config) -> Option<(usize, u64)> {
    let mut size = 0u64;
    let mut i = 0;
    while let Some(d) = buf.get(i).and_then(|&b| hex(b)) {
        if i == 16 {
            return None;
        }
        size = size << 4 | d;
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let ext_start = i;
    while buf.get(i) == Some(&b';') {
        i += 1;
        let name = i;
        while buf.get(i).is_some_and(|&b| is_token(b)) {
            i += 1;
        }
        if i == name {
            return None;
        }
        if buf.get(i) == Some(&b'=') {
            i += 1;
            let value = i;
            while buf.get(i).is_some_and(|&b| is_token(b)) {
                i += 1;
            }
            if i == value {
                return None;
            }
        }
    }
    if i - ext_start > cfg.max_chunk_ext_bytes as usize {
        return None;
    }
    match buf.get(i..i + 2) {
        Some(b"\r\n") => Some((i + 2, size)),
        _ => None,
    }
}

/// Decode one chunk-size line (`chunk-size [ chunk-ext ] CRLF`, RFC 9112 section 7.1) at the
/// start of `buf`, with exactly the strictness of the connection's chunked decoder: hex digits
/// only (at most 16), extensions checked for token / quoted-string syntax and capped at
/// `config.max_chunk_ext_bytes`, no bare CR, bare LF only with [`Leniency::BARE_LF`].
///
/// Returns the line's length and the chunk size (`0` for the last chunk), or `Partial` when the
/// line is not complete yet. For callers who frame bodies themselves (it is the counterpart of
/// `httparse::parse_chunk_size`); [`Connection`](crate::Connection) does this for you.
///
/// ```
/// use h1x::{parse_chunk_size, Config, ErrorKind, Status};
/// let cfg = Config::default();
/// assert_eq!(parse_chunk_size(b"1a;name=\"v\"\r\nrest", &cfg), Ok(Status::Complete((13, 26))));
/// assert_eq!(parse_chunk_size(b"1a;na", &cfg), Ok(Status::Partial));
/// assert_eq!(parse_chunk_size(b"0x1a\r\n", &cfg).unwrap_err().kind(), ErrorKind::InvalidChunkSize);
/// ```
pub fn parse_chunk_size(buf: &[u8], config: &Config) -> Result<Status<(usize, u64)>, Error> {
    if let Some(line) = whole_size_line(buf, config) {
        return Ok(Status::Complete(line));
    }
    let mut d = ChunkedDecoder::default();
    for (i, &b) in buf.iter().enumerate() {
        d.framing_byte(b, i, config)?;
        if matches!(d.st, St::Data | St::Trailers) {
            return Ok(Status::Complete((i + 1, d.remaining)));
        }
    }
    Ok(Status::Partial)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// Decodes `input` fed in pieces of `step` bytes: the data, or the error kind and its
    /// absolute offset; `None` in the data when the trailers were reached.
    fn run(input: &[u8], step: usize, cfg: &Config) -> Result<(Vec<u8>, bool), (ErrorKind, usize)> {
        run_chunks(input, step, cfg).map(|(chunks, done)| (chunks.concat(), done))
    }

    /// Each chunk's data.
    type Chunks = Vec<Vec<u8>>;

    /// As [`run`], with the data cut where the decoder says chunks begin and end (checking that
    /// every chunk's pieces begin with `start` and end with `end`).
    fn run_chunks(
        input: &[u8],
        step: usize,
        cfg: &Config,
    ) -> Result<(Chunks, bool), (ErrorKind, usize)> {
        let mut d = ChunkedDecoder::default();
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        let mut open = false; // a chunk began and has not ended
        let mut start = 0; // first unconsumed byte
        let mut avail = 0;
        loop {
            avail = (avail + step).min(input.len());
            loop {
                let (n, ev) = d
                    .decode(&input[start..avail], cfg)
                    .map_err(|e| (e.kind(), e.offset() + start))?;
                start += n;
                match ev {
                    Chunk::Data(s, begins, ends) => {
                        assert_eq!(begins, !open, "a chunk begins exactly when none is open");
                        if begins {
                            chunks.push(Vec::new());
                        }
                        chunks.last_mut().unwrap().extend_from_slice(s);
                        open = !ends;
                    }
                    Chunk::Trailers => {
                        assert!(!open);
                        return Ok((chunks, true));
                    }
                    Chunk::NeedData => break,
                }
            }
            if avail == input.len() {
                return Ok((chunks, false));
            }
        }
    }

    #[test]
    fn decodes_at_every_split() {
        let cfg = Config::default();
        let input = b"5;a=b;c=\"d\\\"e\"\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n";
        for step in 1..input.len() {
            let (data, done) = run(input, step, &cfg).unwrap();
            assert!(done);
            assert_eq!(data, b"helloabcdefghijklmnopqrstuvwxyz");
        }
    }

    #[test]
    fn chunk_boundaries_at_every_split() {
        let cfg = Config::default();
        let input = b"5;a=b\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n1\r\n!\r\n0\r\n";
        for step in 1..=input.len() {
            let (chunks, done) = run_chunks(input, step, &cfg).unwrap();
            assert!(done);
            assert_eq!(
                chunks,
                [&b"hello"[..], b"abcdefghijklmnopqrstuvwxyz", b"!"],
                "step {step}"
            );
        }
    }

    #[test]
    fn rejects_malformed_framing() {
        use ErrorKind::*;
        let cfg = Config::default();
        let cases: &[(&[u8], ErrorKind, usize)] = &[
            (b"\r\n", InvalidChunkSize, 0),
            (b"-5\r\n", InvalidChunkSize, 0),
            (b"+5\r\n", InvalidChunkSize, 0),
            (b"0x5\r\n", InvalidChunkSize, 1),
            (b"5_0\r\n", InvalidChunkSize, 1),
            (b"5 0\r\n", InvalidChunkSize, 2),
            (b"5 \r\n", InvalidChunkSize, 2),
            (b"11111111111111111\r\n", InvalidChunkSize, 16),
            (b"5\nhello\r\n", BareLf, 1),
            (b"5\rhello\r\n", BareCr, 2),
            (b"5\r\nhelloXX0\r\n\r\n", MissingChunkCrlf, 8),
            (b"5\r\nhello\rX", MissingChunkCrlf, 9),
            (b"5;a\"b\r\n", InvalidChunkExtension, 3),
            (b"5;a=\"b\rc\"\r\n", InvalidChunkExtension, 6),
            (b"5;a=b\nc\r\n", BareLf, 5),
            (b"5;\r\n", InvalidChunkExtension, 2),
        ];
        for (input, kind, offset) in cases {
            for step in 1..=input.len() {
                assert_eq!(
                    run(input, step, &cfg),
                    Err((*kind, *offset)),
                    "{:?} step {step}",
                    core::str::from_utf8(input)
                );
            }
        }
    }

    #[test]
    fn chunk_size_line_matches_the_decoder() {
        let cfg = Config::default();
        let lines: &[&[u8]] = &[
            b"5\r\n",
            b"0\r\n",
            b"ffffffffffffffff\r\n",
            b"1A;a=b;c=\"d\\\"e\"\r\n",
            b"5 ;x\r\n",
            b"\r\n",
            b"0x5\r\n",
            b"5\n",
            b"5;a\"b\r\n",
            b"11111111111111111\r\n",
        ];
        for line in lines {
            let mut d = ChunkedDecoder::default();
            let whole = d.decode(line, &cfg);
            let got = parse_chunk_size(line, &cfg);
            match (whole, got) {
                (Err(a), Err(b)) => assert_eq!(a, b),
                (Ok((n, _)), Ok(Status::Complete((m, size)))) => {
                    assert_eq!(n, m);
                    assert!(matches!(d.st, St::Data | St::Trailers));
                    assert_eq!(d.remaining, size);
                }
                other => panic!("{:?}: {other:?}", core::str::from_utf8(line)),
            }
            for k in 0..line.len() {
                if let Ok(s) = parse_chunk_size(&line[..k], &cfg) {
                    assert_eq!(s, Status::Partial);
                }
            }
        }
        assert_eq!(
            parse_chunk_size(b"ffffffffffffffff\r\n", &cfg),
            Ok(Status::Complete((18, u64::MAX)))
        );
    }

    /// The whole-line fast path agrees with the byte-at-a-time state machine wherever it answers.
    #[test]
    fn fast_size_line_matches_the_state_machine() {
        let cfg = Config {
            max_chunk_ext_bytes: 8,
            ..Config::default()
        };
        let lines: &[&[u8]] = &[
            b"5\r\n",
            b"0\r\n",
            b"fFfFfFfFfFfFfFfF\r\n",
            b"11111111111111111\r\n",
            b"1a;x\r\n",
            b"1a;x=y;z\r\n",
            b"1a;x=y;z=1234\r\n",
            b"1a;x=y;z=12345\r\n",
            b"1a;\r\n",
            b"1a;=y\r\n",
            b"1a;x=\r\n",
            b"1a;x=\"y\"\r\n",
            b"1a ;x\r\n",
            b"1a\n",
            b"1a\rx",
            b"1a;x\n",
            b"1a;x y\r\n",
            b"\r\n",
            b"g\r\n",
        ];
        for line in lines {
            let mut slow = ChunkedDecoder::default();
            let mut result = Err(Error::remote(ErrorKind::InvalidChunkSize, usize::MAX));
            for (i, &b) in line.iter().enumerate() {
                if let Err(e) = slow.framing_byte(b, i, &cfg) {
                    result = Err(e);
                    break;
                }
                if matches!(slow.st, St::Data | St::Trailers) {
                    result = Ok((i + 1, slow.remaining));
                    break;
                }
            }
            if let Some(fast) = whole_size_line(line, &cfg) {
                assert_eq!(Ok(fast), result, "{:?}", core::str::from_utf8(line));
            }
            let mut d = ChunkedDecoder::default();
            let got = d.decode(line, &cfg).map(|(n, _)| (n, d.remaining));
            match result {
                Ok((n, _)) => {
                    assert_eq!(got.map(|g| g.0), Ok(n), "{:?}", core::str::from_utf8(line))
                }
                Err(e) => assert!(
                    got.is_err_and(|g| g == e) || e.offset() == usize::MAX,
                    "{:?}",
                    core::str::from_utf8(line)
                ),
            }
        }
    }

    #[test]
    fn extension_limit() {
        let cfg = Config {
            max_chunk_ext_bytes: 4,
            ..Config::default()
        };
        assert_eq!(
            run(b"1;abc\r\nx\r\n0\r\n", 100, &cfg).map(|r| r.1),
            Ok(true)
        );
        assert_eq!(
            run(b"1;abcd\r\nx\r\n", 100, &cfg),
            Err((ErrorKind::ChunkExtensionTooLong, 5))
        );
    }

    #[test]
    fn lenient_bare_lf() {
        let cfg = Config::default().lenient(Leniency::BARE_LF);
        assert_eq!(run(b"2\nab\n0\n", 1, &cfg), Ok((b"ab".to_vec(), true)));
    }
}
