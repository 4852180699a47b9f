//! Resumable search for the end of a head or trailer section (the first empty line), with the
//! size limits enforced as bytes arrive.
//!
//! This is what makes partial reads linear: when a head arrives in pieces, only the new bytes are
//! searched, and the full parse runs once, when the head is complete. Every limit triggers at a
//! fixed byte position, so the outcome never depends on how the input was split.

use super::{is_token, HeadKind};
use crate::{Error, ErrorKind};

/// Where the scan stopped last time: both offsets count from the start of the section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SectionScanner {
    /// Start of the line being scanned.
    line_start: u32,
    /// First byte not yet searched for LF (>= `line_start`).
    pos: u32,
}

/// Limits applied while scanning.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScanLimits {
    /// Largest section, terminator included.
    pub max_bytes: usize,
    /// Longest line content (CR included, LF excluded).
    pub max_line: usize,
    /// Error kind for a section over `max_bytes`.
    pub too_large: ErrorKind,
    /// Error kind for an overlong first line (414 for request lines).
    pub first_line_kind: ErrorKind,
}

impl SectionScanner {
    /// Start over (for the next message).
    pub(crate) fn reset(&mut self) {
        *self = SectionScanner::default();
    }

    /// Whether nothing has been scanned yet.
    pub(crate) fn is_fresh(&self) -> bool {
        self.pos == 0
    }

    /// Search `buf` (the section from its first byte, grown since the last call) for the empty
    /// line. Returns the section's length, terminator included, once found.
    pub(crate) fn find_end(
        &mut self,
        buf: &[u8],
        lim: &ScanLimits,
    ) -> Result<Option<usize>, Error> {
        let mut line_start = self.line_start as usize;
        let mut pos = self.pos as usize;
        loop {
            if line_start >= buf.len() {
                break;
            }
            if pos == line_start {
                match buf[line_start] {
                    b'\n' => {
                        check(lim, line_start, line_start, line_start + 1)?;
                        return Ok(Some(line_start + 1));
                    }
                    b'\r' => {
                        let Some(&next) = buf.get(line_start + 1) else {
                            check(lim, line_start, line_start, buf.len())?;
                            break;
                        };
                        check(lim, line_start, line_start, line_start + 2)?;
                        if next == b'\n' {
                            return Ok(Some(line_start + 2));
                        }
                        return Err(Error::remote(ErrorKind::BareCr, line_start));
                    }
                    _ => {}
                }
            }
            match memchr::memchr(b'\n', &buf[pos..]) {
                Some(i) => {
                    let lf = pos + i;
                    check(lim, line_start, lf, lf + 1)?;
                    line_start = lf + 1;
                    pos = line_start;
                }
                None => {
                    check(lim, line_start, buf.len(), buf.len())?;
                    pos = buf.len();
                    break;
                }
            }
        }
        self.line_start = line_start as u32;
        self.pos = pos as u32;
        Ok(None)
    }
}

/// Early rejection: an error as soon as the first bytes of a head cannot begin a start line of
/// `kind`, before its line ending arrives (a TLS handshake sent to a plaintext port, a NUL, a
/// leading space), instead of waiting for the whole line up to the size limit. h11 does the same
/// for bytes below `!`.
///
/// A request line starts with a method, a token: any other first byte is `InvalidMethod` at 0. A
/// status line starts with `HTTP/DIGIT.DIGIT`: any byte of those eight that does not fit is
/// `InvalidVersion` at 0. These are the errors the full parse reports for the same bytes, and
/// they depend only on bytes at fixed positions, so the outcome is the same however the input is
/// split. CR and LF are left to the empty-line rules. Called only when a head is not complete
/// (the complete-head fast path never pays for it).
pub(crate) fn check_start(kind: HeadKind, buf: &[u8]) -> Result<(), Error> {
    let Some(&first) = buf.first() else {
        return Ok(());
    };
    if first == b'\r' || first == b'\n' {
        return Ok(());
    }
    match kind {
        HeadKind::Request if !is_token(first) => Err(Error::remote(ErrorKind::InvalidMethod, 0)),
        HeadKind::Request => Ok(()),
        HeadKind::Response => {
            let fits = buf.iter().take(8).enumerate().all(|(i, &b)| match i {
                0..=4 => b == b"HTTP/"[i],
                6 => b == b'.',
                _ => b.is_ascii_digit(),
            });
            if fits {
                Ok(())
            } else {
                Err(Error::remote(ErrorKind::InvalidVersion, 0))
            }
        }
    }
}

/// Checks the limits for a line whose content is `[line_start, content_end)` and whose bytes up
/// to `seen` (exclusive) belong to the section. Reports the earliest position that breaks a limit.
fn check(
    lim: &ScanLimits,
    line_start: usize,
    content_end: usize,
    seen: usize,
) -> Result<(), Error> {
    let line_trigger = line_start + lim.max_line; // first content byte too many
    let head_trigger = lim.max_bytes; // first byte beyond the section limit
    let line_hit = line_trigger < content_end;
    let head_hit = head_trigger < seen;
    match (line_hit, head_hit) {
        (false, false) => Ok(()),
        (true, hit_head) if !hit_head || line_trigger < head_trigger => {
            let kind = if line_start == 0 {
                lim.first_line_kind
            } else {
                ErrorKind::LineTooLong
            };
            Err(Error::remote(kind, line_trigger))
        }
        _ => Err(Error::remote(lim.too_large, head_trigger)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: ScanLimits = ScanLimits {
        max_bytes: 64,
        max_line: 20,
        too_large: ErrorKind::HeadTooLarge,
        first_line_kind: ErrorKind::UriTooLong,
    };

    fn one_shot(buf: &[u8]) -> Result<Option<usize>, Error> {
        SectionScanner::default().find_end(buf, &LIM)
    }

    fn byte_by_byte(buf: &[u8]) -> Result<Option<usize>, Error> {
        let mut s = SectionScanner::default();
        for n in 0..=buf.len() {
            if let Some(end) = s.find_end(&buf[..n], &LIM)? {
                return Ok(Some(end));
            }
        }
        Ok(None)
    }

    #[test]
    fn early_rejection() {
        let reject: &[(HeadKind, &[u8], ErrorKind)] = &[
            (
                HeadKind::Request,
                b"\x16\x03\x01\x02\x00",
                ErrorKind::InvalidMethod,
            ),
            (HeadKind::Request, b"\x00", ErrorKind::InvalidMethod),
            (HeadKind::Request, b" GET", ErrorKind::InvalidMethod),
            (HeadKind::Request, b"/index", ErrorKind::InvalidMethod),
            (HeadKind::Response, b"X", ErrorKind::InvalidVersion),
            (HeadKind::Response, b"HTTP/x", ErrorKind::InvalidVersion),
            (HeadKind::Response, b"HTTP/1,1", ErrorKind::InvalidVersion),
            (
                HeadKind::Response,
                b"\x16\x03\x03",
                ErrorKind::InvalidVersion,
            ),
        ];
        for (kind, buf, want) in reject {
            assert_eq!(
                check_start(*kind, buf),
                Err(Error::remote(*want, 0)),
                "{buf:?}"
            );
        }
        let fine: &[(HeadKind, &[u8])] = &[
            (HeadKind::Request, b""),
            (HeadKind::Request, b"G"),
            (HeadKind::Request, b"\r"),
            (HeadKind::Request, b"\n"),
            (HeadKind::Response, b"H"),
            (HeadKind::Response, b"HTTP/1."),
            (HeadKind::Response, b"HTTP/2.0 200"),
            (HeadKind::Response, b"\r\n"),
        ];
        for (kind, buf) in fine {
            assert_eq!(check_start(*kind, buf), Ok(()), "{buf:?}");
        }
    }

    #[test]
    fn finds_the_empty_line_at_every_split() {
        let cases: &[&[u8]] = &[
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY",
            b"\r\n",
            b"\n",
            b"A: b\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n\rX",
            b"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\n",
        ];
        for case in cases {
            assert_eq!(
                one_shot(case),
                byte_by_byte(case),
                "{:?}",
                core::str::from_utf8(case)
            );
        }
        assert_eq!(one_shot(cases[0]), Ok(Some(27)));
        assert_eq!(one_shot(cases[1]), Ok(Some(2)));
        assert_eq!(one_shot(cases[4]).unwrap_err().kind(), ErrorKind::BareCr);
        assert_eq!(
            one_shot(cases[5]).unwrap_err().kind(),
            ErrorKind::UriTooLong
        );
        assert_eq!(
            one_shot(cases[6]).unwrap_err().kind(),
            ErrorKind::LineTooLong
        );
        assert_eq!(
            one_shot(cases[7]).unwrap_err().kind(),
            ErrorKind::HeadTooLarge
        );
        assert_eq!(one_shot(cases[7]).unwrap_err().offset(), 64);
        assert_eq!(one_shot(cases[8]), Ok(None));
    }
}
