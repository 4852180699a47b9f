//! Request-target forms (RFC 9112 section 3.2) and the methods they go with.
//!
//! | form | shape | methods |
//! | --- | --- | --- |
//! | origin-form | `/path?query` | every method but CONNECT |
//! | absolute-form | `scheme:...`; for `http`/`https` `scheme://host[:port]/path?query` | every method but CONNECT |
//! | authority-form | `host:port`, port required | CONNECT only (RFC 9110 section 9.3.6) |
//! | asterisk-form | exactly `*` | OPTIONS only |
//!
//! A fragment (`#...`) belongs to no form: the byte scanners stop at `#` as at a control byte.
//! An `http`/`https` target with userinfo (`user:pw@host`) or an empty host is invalid
//! (RFC 9110 sections 4.2.1 and 4.2.4). With the absolute-form the server takes the host from the
//! target and ignores Host (RFC 9112 section 3.2.2), which HTTP/1.1 still requires to be there,
//! once, and well-formed (section 3.2): those rules are checked with the other fields.
//!
//! Path and query bytes are not checked beyond VCHAR (no `"`, `{`, `|` ... refusal): servers and
//! proxies in use accept them, and they cannot change where the target ends.

use crate::body::host::is_valid_host;
use crate::ErrorKind;

/// Checks that `target` (non-empty VCHAR without `#`, as the callers have checked) has a form
/// that goes with `method`: [`ErrorKind::TargetFormMismatch`] when it is a valid form for another
/// method, [`ErrorKind::InvalidTarget`] when it is no valid form at all.
#[inline(always)]
pub(crate) fn check_form(method: &[u8], target: &[u8]) -> Result<(), ErrorKind> {
    // the usual request: origin-form, and a method other than CONNECT (and OPTIONS, also seven
    // bytes long, which only costs it the call below)
    if target.first() == Some(&b'/') && method.len() != 7 {
        return Ok(());
    }
    check_form_slow(method, target)
}

#[inline(never)]
fn check_form_slow(method: &[u8], target: &[u8]) -> Result<(), ErrorKind> {
    if method == b"CONNECT" {
        return if is_authority_form(target) {
            Ok(())
        } else {
            Err(ErrorKind::TargetFormMismatch)
        };
    }
    match target {
        [b'/', ..] => Ok(()),
        b"*" if method == b"OPTIONS" => Ok(()),
        b"*" => Err(ErrorKind::TargetFormMismatch),
        _ if is_authority_form(target) => Err(ErrorKind::TargetFormMismatch),
        _ => check_absolute_form(target),
    }
}

/// `uri-host ":" port` (RFC 9112 section 3.2.3) with a non-empty host and at least one digit of
/// port.
pub(crate) fn is_authority_form(target: &[u8]) -> bool {
    let Some(colon) = target.iter().rposition(|&b| b == b':') else {
        return false;
    };
    let port = &target[colon + 1..];
    colon > 0 && !port.is_empty() && port.iter().all(u8::is_ascii_digit) && is_valid_host(target)
}

/// `absolute-URI` (RFC 3986 section 4.3): a scheme, `:`, and the rest; for `http` and `https`
/// the rest is `//` authority path-abempty [`?` query] with a non-empty host and no userinfo.
fn check_absolute_form(target: &[u8]) -> Result<(), ErrorKind> {
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    let scheme_end = target
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .unwrap_or(target.len());
    let scheme = &target[..scheme_end];
    if !scheme.first().is_some_and(u8::is_ascii_alphabetic) || target.get(scheme_end) != Some(&b':')
    {
        return Err(ErrorKind::InvalidTarget);
    }
    if !(scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https")) {
        return Ok(());
    }
    let Some(rest) = target[scheme_end + 1..].strip_prefix(b"//") else {
        return Err(ErrorKind::InvalidTarget);
    };
    let authority_end = rest
        .iter()
        .position(|&b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    // userinfo (`@`, which no valid host holds) and empty hosts are refused here
    let host_empty = matches!(authority.first(), None | Some(b':'));
    if host_empty || !is_valid_host(authority) {
        return Err(ErrorKind::InvalidTarget);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorKind::{InvalidTarget, TargetFormMismatch};

    #[test]
    fn forms_and_methods() {
        let cases: &[(&str, &str, Result<(), ErrorKind>)] = &[
            ("GET", "/", Ok(())),
            ("GET", "/a?b=c/d", Ok(())),
            ("GET", "//a", Ok(())),
            ("OPTIONS", "/", Ok(())),
            ("OPTIONS", "*", Ok(())),
            ("OPTIONS", "*?a", Err(InvalidTarget)),
            ("OPTIONS", "**", Err(InvalidTarget)),
            ("GET", "*", Err(TargetFormMismatch)),
            ("PUTXYZW", "*", Err(TargetFormMismatch)),
            ("options", "*", Err(TargetFormMismatch)),
            ("CONNECT", "example.com:443", Ok(())),
            ("CONNECT", "[::1]:8443", Ok(())),
            ("CONNECT", "10.0.0.1:1", Ok(())),
            ("CONNECT", "example.com", Err(TargetFormMismatch)),
            ("CONNECT", "example.com:", Err(TargetFormMismatch)),
            ("CONNECT", ":443", Err(TargetFormMismatch)),
            ("CONNECT", "[::1]", Err(TargetFormMismatch)),
            ("CONNECT", "a:1:2", Err(TargetFormMismatch)),
            ("CONNECT", "user@a:443", Err(TargetFormMismatch)),
            ("CONNECT", "a:44x", Err(TargetFormMismatch)),
            ("CONNECT", "/", Err(TargetFormMismatch)),
            ("CONNECT", "*", Err(TargetFormMismatch)),
            ("CONNECT", "http://a:443/", Err(TargetFormMismatch)),
            ("GET", "example.com:443", Err(TargetFormMismatch)),
            ("OPTIONS", "example.com:443", Err(TargetFormMismatch)),
            ("GET", "http://a/b", Ok(())),
            ("GET", "HTTPS://a:8443", Ok(())),
            ("GET", "http://a?q", Ok(())),
            ("GET", "http://[::1]:80/x", Ok(())),
            ("OPTIONS", "http://a", Ok(())),
            ("GET", "urn:isbn:0451450523", Ok(())),
            ("GET", "ftp://user@a/f", Ok(())),
            ("GET", "a+b.c-d:x", Ok(())),
            ("GET", "http://user@a/", Err(InvalidTarget)),
            ("GET", "http://user:pw@a/", Err(InvalidTarget)),
            ("GET", "https://@a/", Err(InvalidTarget)),
            ("GET", "http:///a", Err(InvalidTarget)),
            ("GET", "http://", Err(InvalidTarget)),
            ("GET", "http://:80/", Err(InvalidTarget)),
            ("GET", "http:/a", Err(InvalidTarget)),
            ("GET", "http:a", Err(InvalidTarget)),
            ("GET", "http://a b/", Err(InvalidTarget)),
            ("GET", "http://a:8x/", Err(InvalidTarget)),
            ("GET", "index.html", Err(InvalidTarget)),
            ("GET", "1http://a/", Err(InvalidTarget)),
            ("GET", ":a", Err(InvalidTarget)),
            ("GET", "?a", Err(InvalidTarget)),
        ];
        for &(method, target, want) in cases {
            assert_eq!(
                check_form(method.as_bytes(), target.as_bytes()),
                want,
                "{method} {target}"
            );
        }
    }
}
