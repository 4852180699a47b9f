//! The `Date` field (RFC 9110 section 6.6.1), formatted once a second per thread.

use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

/// An IMF-fixdate is always 29 bytes: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) type DateBytes = [u8; 29];

thread_local! {
    static CACHE: Cell<(u64, DateBytes)> = const { Cell::new((u64::MAX, [0; 29])) };
}

/// The current date as an IMF-fixdate.
pub(crate) fn now() -> DateBytes {
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    CACHE.with(|c| {
        let (at, bytes) = c.get();
        if at == secs {
            return bytes;
        }
        let mut fresh = [0u8; 29];
        let text = httpdate::fmt_http_date(now);
        fresh.copy_from_slice(&text.as_bytes()[..29]);
        c.set((secs, fresh));
        fresh
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn date_is_an_imf_fixdate() {
        let d = super::now();
        let text = std::str::from_utf8(&d).unwrap();
        assert!(text.ends_with(" GMT"), "{text}");
        assert!(httpdate::parse_http_date(text).is_ok(), "{text}");
    }
}
