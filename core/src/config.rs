//! Limits and named leniencies. Strict by default.

/// Opt-in leniencies. Each one trades strictness for compatibility with broken peers; each
/// carries a risk, documented on its constant. None is on by default.
///
/// ```
/// use h1x::{Config, Leniency};
/// let config = Config::default().lenient(Leniency::BARE_LF | Leniency::MISSING_HOST);
/// assert!(config.leniency.contains(Leniency::BARE_LF));
/// assert!(!config.leniency.contains(Leniency::OBS_FOLD));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Leniency(u8);

impl Leniency {
    /// No leniency (the default).
    pub const NONE: Leniency = Leniency(0);
    /// Accept LF without CR as a line terminator in heads, chunk lines and trailers.
    ///
    /// Risk: a front end that does not treat bare LF as a terminator sees different message
    /// boundaries than we do (request smuggling). Use only for talking to known broken peers.
    pub const BARE_LF: Leniency = Leniency(1);
    /// Accept obs-fold (continuation lines) in *response* heads. The field value slice then spans
    /// the folded lines, CRLF and leading whitespace included; replace each fold with SP before
    /// using it (RFC 9112 section 5.2). Requests with obs-fold are always rejected.
    ///
    /// Risk: consumers that do not unfold see CR/LF inside a value.
    pub const OBS_FOLD: Leniency = Leniency(2);
    /// Accept an HTTP/1.1 request without a Host field.
    ///
    /// Risk: the server cannot tell which origin the target belongs to.
    pub const MISSING_HOST: Leniency = Leniency(4);
    /// Accept several Content-Length fields (or a list) when every value is identical, as
    /// RFC 9110 section 8.6 permits.
    ///
    /// Risk: an intermediary that takes only the first or last field is harmless here, but one
    /// that rejects may disagree about whether a message exists at all.
    pub const DUPLICATE_CONTENT_LENGTH: Leniency = Leniency(8);

    /// Every leniency with its name (the constant's name), one bit each: for bindings that take
    /// leniencies by name.
    ///
    /// ```
    /// use h1x::Leniency;
    /// let by_name = |n: &str| Leniency::ALL.iter().find(|(name, _)| *name == n).map(|&(_, l)| l);
    /// assert_eq!(by_name("OBS_FOLD"), Some(Leniency::OBS_FOLD));
    /// let all = Leniency::ALL.iter().fold(Leniency::NONE, |acc, &(_, l)| acc | l);
    /// assert_eq!(Leniency::from_bits_truncate(0xff), all);
    /// ```
    pub const ALL: [(&'static str, Leniency); 4] = [
        ("BARE_LF", Leniency::BARE_LF),
        ("OBS_FOLD", Leniency::OBS_FOLD),
        ("MISSING_HOST", Leniency::MISSING_HOST),
        (
            "DUPLICATE_CONTENT_LENGTH",
            Leniency::DUPLICATE_CONTENT_LENGTH,
        ),
    ];

    /// Whether all leniencies in `other` are on.
    pub const fn contains(self, other: Leniency) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of two sets.
    pub const fn union(self, other: Leniency) -> Leniency {
        Leniency(self.0 | other.0)
    }

    /// The raw bits.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Build from raw bits; unknown bits are dropped.
    pub const fn from_bits_truncate(bits: u8) -> Leniency {
        Leniency(bits & 0x0f)
    }
}

impl core::ops::BitOr for Leniency {
    type Output = Leniency;
    fn bitor(self, rhs: Leniency) -> Leniency {
        self.union(rhs)
    }
}

/// Limits and leniencies for one connection or parser.
///
/// The header-count limit is the length of the header storage the caller passes in.
///
/// Fields will be added (new limits), so the struct is `#[non_exhaustive]`: start from
/// [`Config::DEFAULT`] (or `default()`) and change what you need with the `with_*` methods or by
/// assigning a field.
///
/// ```
/// use h1x::{Config, Leniency};
/// let config = Config::DEFAULT.with_max_head_bytes(8 * 1024).lenient(Leniency::BARE_LF);
/// assert_eq!(config.max_head_bytes, 8 * 1024);
/// assert_eq!(config.max_line_bytes, 8 * 1024);
///
/// let mut config = Config::default();
/// config.max_trailer_bytes = 1024;
/// assert_eq!(config, Config::DEFAULT.with_max_trailer_bytes(1024));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Config {
    /// Largest head (start line, fields and the blank line) accepted: 431 beyond. Default 16 KiB.
    pub max_head_bytes: u32,
    /// Longest single start or field line: 414 (request line) or 431 beyond. Default 8 KiB.
    pub max_line_bytes: u32,
    /// Largest trailer section: 431 beyond. Default 8 KiB.
    pub max_trailer_bytes: u32,
    /// Most chunk-extension bytes on one chunk line: 413 beyond. Default 1 KiB.
    pub max_chunk_ext_bytes: u16,
    /// Named leniencies; none by default.
    pub leniency: Leniency,
}

impl Config {
    /// The strict defaults.
    pub const DEFAULT: Config = Config {
        max_head_bytes: 16 * 1024,
        max_line_bytes: 8 * 1024,
        max_trailer_bytes: 8 * 1024,
        max_chunk_ext_bytes: 1024,
        leniency: Leniency::NONE,
    };

    /// This configuration with [`max_head_bytes`](Self::max_head_bytes) set to `n`.
    pub const fn with_max_head_bytes(mut self, n: u32) -> Config {
        self.max_head_bytes = n;
        self
    }

    /// This configuration with [`max_line_bytes`](Self::max_line_bytes) set to `n`.
    pub const fn with_max_line_bytes(mut self, n: u32) -> Config {
        self.max_line_bytes = n;
        self
    }

    /// This configuration with [`max_trailer_bytes`](Self::max_trailer_bytes) set to `n`.
    pub const fn with_max_trailer_bytes(mut self, n: u32) -> Config {
        self.max_trailer_bytes = n;
        self
    }

    /// This configuration with [`max_chunk_ext_bytes`](Self::max_chunk_ext_bytes) set to `n`.
    pub const fn with_max_chunk_ext_bytes(mut self, n: u16) -> Config {
        self.max_chunk_ext_bytes = n;
        self
    }

    /// This configuration with `leniency` switched on as well.
    pub const fn lenient(mut self, leniency: Leniency) -> Config {
        self.leniency = self.leniency.union(leniency);
        self
    }

    pub(crate) const fn allows(&self, leniency: Leniency) -> bool {
        self.leniency.contains(leniency)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::DEFAULT
    }
}
