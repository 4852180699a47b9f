//! A request-target taken apart (RFC 9112 section 3.2, RFC 3986 section 3): what a server routes
//! on, so that no embedder splits a target itself.

use super::target::is_authority_form;
use super::Request;

/// Which of the four request-target forms (RFC 9112 section 3.2) a target has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetForm {
    /// `/path?query`: every request to an origin server but CONNECT and server-wide OPTIONS.
    Origin,
    /// `scheme://authority/path?query` (or another `scheme:...`): requests to proxies, and any
    /// server must accept it (RFC 9112 section 3.2.2).
    Absolute,
    /// `host:port`: CONNECT.
    Authority,
    /// `*`: server-wide OPTIONS.
    Asterisk,
}

/// The parts of a request-target. Every part is a slice of the target, except the path of an
/// absolute-form target without one, which is `/` (RFC 9112 section 3.2.1: an empty path is
/// sent as `/`).
///
/// ```
/// use h1x::{Connection, Event, Header, Role, TargetForm};
/// let mut server = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 4];
/// let wire = b"GET http://example.com:8080/a%20b?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n";
/// let (_, Event::Request(req)) = server.decode(wire, &mut headers).unwrap() else { panic!() };
/// let t = req.target_parts();
/// assert_eq!(t.form, TargetForm::Absolute);
/// assert_eq!((t.scheme, t.authority), (&b"http"[..], &b"example.com:8080"[..]));
/// assert_eq!((t.path, t.query), (&b"/a%20b"[..], Some(&b"x=1"[..])));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TargetParts<'b> {
    /// The form.
    pub form: TargetForm,
    /// The scheme of an absolute-form target (`http`, `https`, as sent); empty otherwise.
    pub scheme: &'b [u8],
    /// `host[:port]` of an absolute-form `http`/`https` target, or the whole authority-form
    /// target; empty otherwise (origin-form: the Host field says it).
    pub authority: &'b [u8],
    /// The path, still percent-encoded: `/...` for origin- and `http`/`https` absolute-form
    /// targets, `*` for asterisk-form, empty for authority-form.
    pub path: &'b [u8],
    /// What follows the first `?`, if there is one (possibly empty).
    pub query: Option<&'b [u8]>,
}

impl<'b> TargetParts<'b> {
    /// Takes `target` apart. A target that [`Connection::decode`](crate::Connection::decode)
    /// accepted has exactly one form; for any other bytes the result is the form the target
    /// most resembles (origin-form by default), and only a valid target's parts are meaningful.
    ///
    /// ```
    /// use h1x::{TargetForm, TargetParts};
    /// let t = TargetParts::of(b"/search?q=102");
    /// assert_eq!((t.form, t.path, t.query), (TargetForm::Origin, &b"/search"[..], Some(&b"q=102"[..])));
    /// assert_eq!(TargetParts::of(b"example.com:443").form, TargetForm::Authority);
    /// assert_eq!(TargetParts::of(b"*").path, b"*");
    /// assert_eq!(TargetParts::of(b"https://a").path, b"/");
    /// ```
    pub fn of(target: &'b [u8]) -> Self {
        let empty: &'b [u8] = &target[..0];
        let origin = |form, rest: &'b [u8]| {
            let (path, query) = split_query(rest);
            TargetParts {
                form,
                scheme: empty,
                authority: empty,
                path,
                query,
            }
        };
        match target {
            [b'/', ..] | [] => return origin(TargetForm::Origin, target),
            b"*" => return origin(TargetForm::Asterisk, target),
            _ => {}
        }
        if is_authority_form(target) {
            return TargetParts {
                form: TargetForm::Authority,
                scheme: empty,
                authority: target,
                path: empty,
                query: None,
            };
        }
        let scheme_end = target
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')));
        let Some(colon) = scheme_end.filter(|&i| target[i] == b':' && i > 0) else {
            return origin(TargetForm::Origin, target);
        };
        let rest = &target[colon + 1..];
        let scheme = &target[..colon];
        let Some(hier) = rest.strip_prefix(b"//") else {
            // `urn:isbn:...` and other schemes without an authority
            let (path, query) = split_query(rest);
            return TargetParts {
                form: TargetForm::Absolute,
                scheme,
                authority: empty,
                path,
                query,
            };
        };
        let authority_end = hier
            .iter()
            .position(|&b| b == b'/' || b == b'?')
            .unwrap_or(hier.len());
        let (path, query) = split_query(&hier[authority_end..]);
        TargetParts {
            form: TargetForm::Absolute,
            scheme,
            authority: &hier[..authority_end],
            path: if path.is_empty() { b"/" } else { path },
            query,
        }
    }
}

fn split_query(s: &[u8]) -> (&[u8], Option<&[u8]>) {
    match s.iter().position(|&b| b == b'?') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

impl<'b> Request<'b, '_> {
    /// The request-target taken apart: its form, scheme, authority, path and query
    /// ([`TargetParts::of`]).
    pub fn target_parts(&self) -> TargetParts<'b> {
        TargetParts::of(self.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        type Case = (
            &'static str,
            TargetForm,
            &'static str,
            &'static str,
            &'static str,
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            ("/", TargetForm::Origin, "", "", "/", None),
            ("/a/b?", TargetForm::Origin, "", "", "/a/b", Some("")),
            ("/a?b?c", TargetForm::Origin, "", "", "/a", Some("b?c")),
            ("//a", TargetForm::Origin, "", "", "//a", None),
            ("*", TargetForm::Asterisk, "", "", "*", None),
            (
                "a.example:443",
                TargetForm::Authority,
                "",
                "a.example:443",
                "",
                None,
            ),
            (
                "[::1]:8443",
                TargetForm::Authority,
                "",
                "[::1]:8443",
                "",
                None,
            ),
            ("http://a", TargetForm::Absolute, "http", "a", "/", None),
            (
                "http://a?q",
                TargetForm::Absolute,
                "http",
                "a",
                "/",
                Some("q"),
            ),
            (
                "HTTPS://a:1/x/y?q=1",
                TargetForm::Absolute,
                "HTTPS",
                "a:1",
                "/x/y",
                Some("q=1"),
            ),
            (
                "http://[::1]:80/x",
                TargetForm::Absolute,
                "http",
                "[::1]:80",
                "/x",
                None,
            ),
            (
                "urn:isbn:0451450523",
                TargetForm::Absolute,
                "urn",
                "",
                "isbn:0451450523",
                None,
            ),
        ];
        for &(target, form, scheme, authority, path, query) in cases {
            let t = TargetParts::of(target.as_bytes());
            let got = (t.form, t.scheme, t.authority, t.path, t.query);
            let want = (
                form,
                scheme.as_bytes(),
                authority.as_bytes(),
                path.as_bytes(),
                query.map(str::as_bytes),
            );
            assert_eq!(got, want, "{target}");
        }
    }
}
