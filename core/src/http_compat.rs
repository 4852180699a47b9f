//! Conversions to and from the `http` crate's types (feature `http`).

use crate::{Header, Request, Response, Version};

fn version(v: Version) -> http::Version {
    match v {
        Version::Http10 => http::Version::HTTP_10,
        Version::Http11 => http::Version::HTTP_11,
    }
}

fn copy_headers(headers: &[Header<'_>], map: &mut http::HeaderMap) -> Result<(), http::Error> {
    for h in headers {
        let name = http::header::HeaderName::from_bytes(h.name).map_err(http::Error::from)?;
        let value = http::header::HeaderValue::from_bytes(h.value).map_err(http::Error::from)?;
        map.append(name, value);
    }
    Ok(())
}

impl Request<'_, '_> {
    /// Copy into an [`http::Request`] with an empty body.
    ///
    /// ```
    /// let mut headers = [h1x::Header::EMPTY; 4];
    /// let (_, req) = h1x::parse_request(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n", &mut headers).unwrap().complete().unwrap();
    /// let req = req.to_http().unwrap();
    /// assert_eq!(req.uri(), "/a");
    /// assert_eq!(req.headers()["host"], "x");
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http(&self) -> Result<http::Request<()>, http::Error> {
        let mut req = http::Request::builder()
            .method(http::Method::from_bytes(self.method).map_err(http::Error::from)?)
            .uri(http::Uri::try_from(self.target).map_err(http::Error::from)?)
            .version(version(self.version))
            .body(())?;
        copy_headers(self.headers, req.headers_mut())?;
        Ok(req)
    }
}

impl Response<'_, '_> {
    /// Copy into an [`http::Response`] with an empty body.
    ///
    /// ```
    /// let mut headers = [h1x::Header::EMPTY; 4];
    /// let (_, res) = h1x::parse_response(b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n", &mut headers).unwrap().complete().unwrap();
    /// assert_eq!(res.to_http().unwrap().status(), 103);
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http(&self) -> Result<http::Response<()>, http::Error> {
        let mut res = http::Response::builder()
            .status(self.status)
            .version(version(self.version))
            .body(())?;
        copy_headers(self.headers, res.headers_mut())?;
        Ok(res)
    }
}

/// Borrow an [`http::HeaderMap`] as h1x headers in `storage` (for encoding); returns the filled
/// part, or `None` when `storage` is too small.
///
/// ```
/// let mut map = http::HeaderMap::new();
/// map.insert("link", "</a.css>; rel=preload".parse().unwrap());
/// let mut storage = [h1x::Header::EMPTY; 4];
/// let headers = h1x::headers_from_http(&map, &mut storage).unwrap();
/// assert_eq!(headers[0].name, b"link");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub fn headers_from_http<'m, 's>(
    map: &'m http::HeaderMap,
    storage: &'s mut [Header<'m>],
) -> Option<&'s [Header<'m>]> {
    let mut n = 0;
    for (name, value) in map {
        *storage.get_mut(n)? = Header {
            name: name.as_str().as_bytes(),
            value: value.as_bytes(),
        };
        n += 1;
    }
    Some(&storage[..n])
}
