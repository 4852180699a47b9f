//! The `Date` field (RFC 9110 section 6.6.1), formatted once a second per thread.

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An IMF-fixdate is always 29 bytes: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) type DateBytes = [u8; 29];

thread_local! {
    /// The second `[from, until)` the bytes are right for (empty at first).
    static CACHE: Cell<(SystemTime, SystemTime, DateBytes)> =
        const { Cell::new((UNIX_EPOCH, UNIX_EPOCH, [0; 29])) };
}

/// The current date as an IMF-fixdate: one clock read and two comparisons while the second
/// lasts.
pub(crate) fn now() -> DateBytes {
    let now = SystemTime::now();
    CACHE.with(|c| {
        let (from, until, bytes) = c.get();
        if from <= now && now < until {
            return bytes;
        }
        let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let from = UNIX_EPOCH + Duration::from_secs(secs);
        let mut fresh = [0u8; 29];
        let text = httpdate::fmt_http_date(now);
        fresh.copy_from_slice(&text.as_bytes()[..29]);
        c.set((from, from + Duration::from_secs(1), fresh));
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

    #[test]
    fn the_cached_date_is_the_current_second() {
        for _ in 0..3 {
            let before = std::time::SystemTime::now();
            let d = super::now(); // the second call in this thread comes from the cache
            let cached = super::now();
            let after = std::time::SystemTime::now();
            let at = httpdate::parse_http_date(std::str::from_utf8(&cached).unwrap()).unwrap();
            let second = |t: std::time::SystemTime| {
                t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
            };
            let got = second(at);
            assert!(second(before) <= got && got <= second(after), "{got}");
            assert!(d == cached || second(before) != second(after));
            std::thread::sleep(std::time::Duration::from_millis(400));
        }
    }
}
