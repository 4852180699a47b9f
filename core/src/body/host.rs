//! Validation of a request's Host value (RFC 9112 section 3.2), one table lookup per byte.

/// unreserved / sub-delims (RFC 3986 section 2): the bytes of a reg-name besides pct-encoding.
const REG_NAME: u8 = 1;
/// HEXDIG, for pct-encoding.
const HEX: u8 = 2;
/// DIGIT, for the port.
const DIGIT: u8 = 4;

/// The classes above for every byte value, so the loops below test a byte with one load.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let reg = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
            );
        t[i] = (reg as u8 * REG_NAME)
            | (b.is_ascii_hexdigit() as u8 * HEX)
            | (b.is_ascii_digit() as u8 * DIGIT);
        i += 1;
    }
    t
};

#[inline(always)]
fn is(b: u8, class: u8) -> bool {
    CLASS[b as usize] & class != 0
}

/// A Host value: empty (RFC 9110 section 7.2), or `uri-host [ ":" port ]` (RFC 9112 section 3.2)
/// with uri-host an IP-literal in brackets or a reg-name (RFC 3986 section 3.2.2). Anything else
/// (spaces, `@`, `/`, obs-text...) MUST be answered with 400.
pub(crate) fn is_valid_host(v: &[u8]) -> bool {
    let port_at = if let Some(rest) = v.strip_prefix(b"[") {
        let Some(end) = rest.iter().position(|&b| b == b']') else {
            return false;
        };
        let literal = &rest[..end];
        if literal.is_empty() || !literal.iter().all(|&b| b == b':' || is(b, REG_NAME)) {
            return false;
        }
        end + 2
    } else {
        // The reg-name ends at the first byte that is neither a reg-name byte nor the start of
        // a pct-encoding. That byte must be the port's `:` (a `:` never hides inside a
        // pct-encoding, which is hex digits only) or the end; anything else fails below.
        // Runs of reg-name bytes are skipped with an iterator (no index check per byte: the
        // usual Host value is one such run, checked with one table load per byte).
        let mut i = 0;
        loop {
            i += v[i..]
                .iter()
                .position(|&b| !is(b, REG_NAME))
                .unwrap_or(v.len() - i);
            if v.get(i) == Some(&b'%')
                && v.get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(|&d| is(d, HEX)))
            {
                i += 3;
            } else {
                break i;
            }
        }
    };
    match v.get(port_at..).unwrap_or_default() {
        [] => true,
        [b':', port @ ..] => port.iter().all(|&d| is(d, DIGIT)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous implementation, straight from the grammar: the reference.
    fn reference(v: &[u8]) -> bool {
        let host_byte = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=".contains(&b);
        let port_at = if let Some(rest) = v.strip_prefix(b"[") {
            let Some(end) = rest.iter().position(|&b| b == b']') else {
                return false;
            };
            let literal = &rest[..end];
            if literal.is_empty() || !literal.iter().all(|&b| b == b':' || host_byte(b)) {
                return false;
            }
            end + 2
        } else {
            let end = v.iter().position(|&b| b == b':').unwrap_or(v.len());
            let mut i = 0;
            while i < end {
                match v[i] {
                    b'%' if v
                        .get(i + 1..i + 3)
                        .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) =>
                    {
                        i += 3
                    }
                    b if host_byte(b) => i += 1,
                    _ => return false,
                }
            }
            end
        };
        match &v[port_at.min(v.len())..] {
            [] => true,
            [b':', port @ ..] => port.iter().all(u8::is_ascii_digit),
            _ => false,
        }
    }

    #[test]
    fn matches_the_reference_for_every_byte_at_every_position() {
        let bases: &[&[u8]] = &[
            b"example.com:8080",
            b"[::1]:80",
            b"%41b:1",
            b"a%4",
            b"[v1.x]",
            b"",
        ];
        for base in bases {
            assert_eq!(is_valid_host(base), reference(base), "{base:?}");
            for pos in 0..=base.len() {
                for b in 0u8..=255 {
                    // replace the byte at `pos`, and insert one there
                    let mut replaced = base.to_vec();
                    if pos < base.len() {
                        replaced[pos] = b;
                        assert_eq!(
                            is_valid_host(&replaced),
                            reference(&replaced),
                            "{replaced:?}"
                        );
                    }
                    let mut inserted = base.to_vec();
                    inserted.insert(pos, b);
                    assert_eq!(
                        is_valid_host(&inserted),
                        reference(&inserted),
                        "{inserted:?}"
                    );
                }
            }
        }
    }
}
