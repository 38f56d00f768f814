//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

/// Everything that can go wrong with a call. Match on the variant; each carries
/// what is needed to act on it, and none carries a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error status (4xx/5xx).
    Api(Box<ApiError>),
    /// The request did not get a reply: connection refused or dropped, DNS, TLS.
    Transport(Box<TransportError>),
    /// A time limit ran out.
    Timeout(Box<TimeoutError>),
    /// A success reply whose body could not be decoded.
    Decode(Box<DecodeError>),
    /// An input broke a constraint of the API; nothing was sent.
    Validation(Box<ValidationError>),
    /// The client is not configured well enough to send anything.
    Config(String),
    /// Asynchronous work ended in a failure status (a waiter saw it).
    Job(Box<JobError>),
    /// A paged list contradicted itself (its count and its pages disagree, or
    /// its next marker is the one just sent, which would repeat the page forever).
    Pagination(Box<PaginationError>),
}

impl Error {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The request id the service gave the failed call, if any: the
    /// `X-Request-Id` header, or for API errors without one the body's `request_id`.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The service's `error_code`, for API errors.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.error_code),
            _ => None,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Timeout(e) => e.fmt(f),
            Error::Decode(e) => e.fmt(f),
            Error::Validation(e) => e.fmt(f),
            Error::Config(message) => write!(
                f,
                "configuration error: {}",
                Shown {
                    text: message,
                    max: MESSAGE_SHOWN_LEN
                }
            ),
            Error::Job(e) => e.fmt(f),
            Error::Pagination(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => e.source.as_deref().map(|s| s as _),
            _ => None,
        }
    }
}

/// An error reply from the service.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that failed (its `operationId`).
    pub operation: &'static str,
    /// The host the request went to.
    pub host: String,
    /// HTTP status.
    pub status: u16,
    /// The request id, to quote to Huawei Cloud support: the `X-Request-Id`
    /// response header; when the reply has none, the body's `request_id` (the
    /// header wins when both are there).
    pub request_id: Option<String>,
    /// The service's error code (e.g. `DBS.200022`); the HTTP status as text when the
    /// body has none.
    pub error_code: String,
    /// The service's message; the raw body when it is not a JSON error object.
    pub error_msg: String,
    /// `error_details` (or `details`), when the service adds them (ROMA Connect
    /// does); shown by `Display` cut to [`ApiError::DETAILS_DISPLAY_LEN`] bytes.
    /// `Display` shows this, the message, the code, the host and the request id
    /// as [`SHOWN_TEXT_LEN`] says; the fields keep them whole.
    pub error_details: Option<String>,
    /// `encoded_authorization_message`, when an authorization failure comes with one.
    pub encoded_authorization_message: Option<String>,
    /// The raw body, cut at the client's size limit.
    pub body: String,
    /// How many attempts were made (the last one got this reply).
    pub attempts: u32,
    /// The reply's `Retry-After`, when it had one.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// How much of [`error_details`](Self::error_details) `Display` shows (as
    /// of every other text: [`SHOWN_TEXT_LEN`]).
    pub const DETAILS_DISPLAY_LEN: usize = SHOWN_TEXT_LEN;

    /// Builds an API error from a reply, reading the error fields the way the
    /// official SDK does: `error_code`/`error_msg`, then `errorCode`/`errorMsg`, then
    /// `code`/`message`, at the top level or in any nested object. Beside them:
    /// `error_details`, else `details` (from the object that holds the pair, else
    /// the top level), and, when the `request_id` argument (the `X-Request-Id`
    /// header) is `None`, the body's `request_id`: the header wins.
    pub fn from_reply(
        operation: &'static str,
        host: &str,
        status: u16,
        request_id: Option<String>,
        body: &str,
        attempts: u32,
    ) -> Self {
        let mut error_code = String::new();
        let mut error_msg = String::new();
        let mut error_details = None;
        let mut encoded = None;
        let mut request_id = request_id;
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body)
        {
            encoded = map
                .get("encoded_authorization_message")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            // The object that holds the error pair: the body itself or one inside it.
            let found = error_pair(&map).map(|pair| (pair, &map)).or_else(|| {
                map.values()
                    .filter_map(|v| v.as_object())
                    .find_map(|inner| error_pair(inner).map(|pair| (pair, inner)))
            });
            let holder = match found {
                Some(((code, msg), holder)) => {
                    error_code = code;
                    error_msg = msg;
                    holder
                }
                None => &map,
            };
            let field = |names: &[&str]| {
                [holder, &map].iter().find_map(|object| {
                    names
                        .iter()
                        .filter_map(|name| object.get(*name))
                        .map(text)
                        .find(|value| !value.is_empty())
                })
            };
            error_details = field(&["error_details", "details"]);
            if request_id.is_none() {
                request_id = field(&["request_id"]);
            }
        }
        if error_msg.is_empty() {
            error_msg = body.to_owned();
        }
        if error_code.is_empty() {
            error_code = status.to_string();
        }
        ApiError {
            operation,
            host: host.to_owned(),
            status,
            request_id,
            error_code,
            error_msg,
            error_details,
            encoded_authorization_message: encoded,
            body: body.to_owned(),
            attempts,
            retry_after: None,
        }
    }
}

/// The first of the SDK's error field pairs present in `map`, as text.
fn error_pair(map: &serde_json::Map<String, serde_json::Value>) -> Option<(String, String)> {
    const PAIRS: [(&str, &str); 3] = [
        ("error_code", "error_msg"),
        ("errorCode", "errorMsg"),
        ("code", "message"),
    ];
    PAIRS.iter().find_map(|(c, m)| {
        let code = map.get(*c)?;
        let msg = map.get(*m)?;
        Some((text(code), text(msg)))
    })
}

/// A JSON value as text: a string as it is, `null` as nothing, anything else as JSON.
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Everything but the operation and the numbers came from the server or
        // the configuration: each is shown escaped and cut.
        write!(
            f,
            "{} failed: HTTP {} from {}: {}: {}",
            self.operation,
            self.status,
            shown(&self.host),
            shown(&self.error_code),
            shown(&self.error_msg)
        )?;
        if let Some(details) = &self.error_details {
            write!(f, " (details: \"{}\")", shown(details))?;
        }
        match &self.request_id {
            Some(id) => write!(f, " (request id {}", shown(id))?,
            None => write!(f, " (no request id")?,
        }
        match self.attempts {
            0 | 1 => write!(f, ")"),
            n => write!(f, "; after {n} attempts)"),
        }
    }
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// Could not open a connection (refused, unreachable, DNS, TLS handshake).
    Connect,
    /// The connection broke after the request started (reset, closed early).
    Connection,
    /// The request could not be built (an invalid header value, say).
    Request,
}

/// A request that got no reply.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// The operation (its `operationId`).
    pub operation: &'static str,
    /// The host tried.
    pub host: String,
    /// What failed.
    pub kind: TransportKind,
    /// How many attempts were made.
    pub attempts: u32,
    /// The underlying error, for its chain of causes.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect to",
            TransportKind::Connection => "connection failed with",
            TransportKind::Request => "could not build the request for",
        };
        write!(f, "{} failed: {what} {}", self.operation, shown(&self.host))?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        // Each cause is shown escaped and cut, and at most this many of them.
        const CAUSES: usize = 6;
        if let Some(source) = &self.source {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(source.as_ref());
            for _ in 0..CAUSES {
                let Some(c) = cause else { break };
                write!(f, ": {}", shown(&c.to_string()))?;
                cause = c.source();
            }
            if cause.is_some() {
                f.write_str(": …")?;
            }
        }
        Ok(())
    }
}

/// Which time limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// Opening the connection.
    Connect,
    /// One attempt (sending the request and reading the reply).
    Attempt,
    /// The overall deadline across all attempts and back-off waits.
    Deadline,
    /// The deadline (or the number of polls) of a wait for asynchronous work.
    Wait,
    /// Reading a download: no data arrived for this long.
    Read,
}

/// A call that ran out of time.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TimeoutError {
    /// The operation (its `operationId`).
    pub operation: &'static str,
    /// The host tried.
    pub host: String,
    /// Which limit.
    pub kind: TimeoutKind,
    /// The limit that ran out.
    pub after: Duration,
    /// How many attempts were made.
    pub attempts: u32,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Connect => "connect timeout",
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Deadline => "overall deadline",
            TimeoutKind::Wait => "wait",
            TimeoutKind::Read => "read timeout",
        };
        write!(
            f,
            "{} failed: {what} of {:?} ran out talking to {}",
            self.operation,
            self.after,
            shown(&self.host)
        )?;
        match (self.kind, self.attempts) {
            (TimeoutKind::Wait, n) => write!(f, " (after {n} polls)"),
            (_, 0 | 1) => Ok(()),
            (_, n) => write!(f, " (after {n} attempts)"),
        }
    }
}

/// A success reply whose body could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation (its `operationId`).
    pub operation: &'static str,
    /// The host that replied.
    pub host: String,
    /// HTTP status of the reply.
    pub status: u16,
    /// The `X-Request-Id` response header.
    pub request_id: Option<String>,
    /// The reply's `Content-Type`.
    pub content_type: Option<String>,
    /// Where in the JSON decoding failed, e.g. `instances[0].port` (`.` is the root).
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The start of the body, at most [`DecodeError::EXCERPT_LEN`] bytes (empty
    /// for a download, whose bytes are not shown). `Display` shows its start as
    /// [`SHOWN_TEXT_LEN`] says, as it shows the message and the path.
    pub excerpt: String,
}

impl DecodeError {
    /// How much of the body an error keeps.
    pub const EXCERPT_LEN: usize = 512;
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: HTTP {} reply from {} did not decode at `{}`: {}",
            self.operation,
            self.status,
            shown(&self.host),
            shown(&self.path),
            shown(&self.message)
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {})", shown(id))?;
        }
        if self.excerpt.is_empty() {
            return Ok(());
        }
        write!(f, "; body starts: \"{}\"", shown(&self.excerpt))
    }
}

/// An input that breaks a constraint of the API.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValidationError {
    /// The operation (its `operationId`).
    pub operation: &'static str,
    /// Path of the offending input, e.g. `body.fe_volume.capacity_in_gb`.
    pub field: String,
    /// The rule broken, e.g. `multipleOf 10`.
    pub rule: String,
    /// Details (never the value of a secret).
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: invalid input `{}` ({}): {}; nothing was sent",
            self.operation,
            shown(&self.field),
            Shown {
                text: &self.rule,
                max: RULE_SHOWN_LEN
            },
            Shown {
                text: &self.message,
                max: MESSAGE_SHOWN_LEN
            }
        )
    }
}

/// Asynchronous work that ended in a failure status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobError {
    /// The operation that started the work (its `operationId`).
    pub operation: &'static str,
    /// The id of the work (job, task, workflow...).
    pub id: String,
    /// The status the service reported.
    pub status: Option<String>,
    /// The service's reason (`fail_reason`, `error_code`/`error_msg`, ...), if any.
    pub reason: Option<String>,
    /// How many polls were made.
    pub polls: u32,
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed: the work `{}` ended",
            self.operation,
            shown(&self.id)
        )?;
        if let Some(status) = &self.status {
            write!(f, " with status `{}`", shown(status))?;
        }
        if let Some(reason) = &self.reason {
            write!(f, ": {}", shown(reason))?;
        }
        write!(f, " (after {} polls)", self.polls)
    }
}

/// A paged list whose count and pages disagree, or whose next marker would
/// repeat a page forever.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PaginationError {
    /// The list operation (its `operationId`).
    pub operation: &'static str,
    /// The offset of the page that showed it (0 for a list paged by marker).
    pub offset: u64,
    /// Items received so far.
    pub seen: u64,
    /// The count the service reported.
    pub total: Option<u64>,
    /// For a list paged by marker: the next marker the service gave, which
    /// paging cannot go on with.
    pub marker: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.marker {
            // The marker came from the server: shown escaped and cut.
            Some(marker) => write!(
                f,
                "{} failed: paging stopped at marker \"{}\" after {} item(s): {}",
                self.operation,
                shown(marker),
                self.seen,
                self.message
            ),
            None => write!(
                f,
                "{} failed: paging stopped at offset {} after {} item(s): {}",
                self.operation, self.offset, self.seen, self.message
            ),
        }
    }
}

/// How many bytes of any one text that came from a server or a caller (a
/// message, a body excerpt, a host, an id, an input) an error's `Display` shows;
/// longer texts are cut and end with `…`. Control characters (and the Unicode
/// line and direction controls) are shown escaped (`\r`, `\n`, `\u{1b}`) and
/// counted as escaped, so a message stays on one line and a few hundred bytes
/// long, whatever the server sent. The fields keep the whole text.
pub const SHOWN_TEXT_LEN: usize = 256;

/// How much of a message of this crate's own `Display` shows (a validation or
/// configuration message, which may quote a caller's input, itself shown as
/// [`SHOWN_TEXT_LEN`] says): escaped and cut like any other text.
const MESSAGE_SHOWN_LEN: usize = 1024;

/// How much of a broken rule `Display` shows (a rule quotes the spec's pattern).
const RULE_SHOWN_LEN: usize = 512;

/// Shows `text` as [`SHOWN_TEXT_LEN`] says: escaped and cut.
pub(crate) fn shown(text: &str) -> Shown<'_> {
    Shown {
        text,
        max: SHOWN_TEXT_LEN,
    }
}

/// A text shown escaped and cut to `max` bytes (see [`SHOWN_TEXT_LEN`]).
#[derive(Clone, Copy)]
pub(crate) struct Shown<'a> {
    pub(crate) text: &'a str,
    pub(crate) max: usize,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const CUT: &str = "…";
        let mut whole = 0;
        let fits = self.text.chars().all(|c| {
            whole += shown_len(c);
            whole <= self.max
        });
        // Room for the mark when the text is cut, so the whole stays within `max`.
        let room = if fits {
            self.max
        } else {
            self.max.saturating_sub(CUT.len())
        };
        let mut written = 0;
        let mut buffer = [0u8; 4];
        for c in self.text.chars() {
            let len = shown_len(c);
            if written + len > room {
                break;
            }
            written += len;
            match c {
                '\r' => f.write_str("\\r")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                c if needs_escape(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_str(c.encode_utf8(&mut buffer))?,
            }
        }
        if !fits {
            f.write_str(CUT)?;
        }
        Ok(())
    }
}

/// How many bytes [`Shown`] writes for `c`.
fn shown_len(c: char) -> usize {
    match c {
        '\r' | '\n' | '\t' => 2,
        // `\u{`, the hex digits, `}`
        c if needs_escape(c) => {
            let bits = (u32::BITS - u32::from(c).leading_zeros()).max(1);
            4 + bits.div_ceil(4) as usize
        }
        c => c.len_utf8(),
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Characters that would break a log line or change how it reads: C0 and C1
/// controls (CR, LF, ESC, NEL, ...), the line and paragraph separators, and the
/// bidirectional embedding, override and isolate controls.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Cuts `text` to at most `max` bytes at a character boundary.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_fields_in_sdk_order() {
        let e = ApiError::from_reply(
            "op",
            "h",
            400,
            None,
            r#"{"error_code":"DBS.1","error_msg":"m"}"#,
            1,
        );
        assert_eq!(
            (e.error_code.as_str(), e.error_msg.as_str()),
            ("DBS.1", "m")
        );
        let e = ApiError::from_reply(
            "op",
            "h",
            400,
            None,
            r#"{"errorCode":"A","errorMsg":"b"}"#,
            1,
        );
        assert_eq!((e.error_code.as_str(), e.error_msg.as_str()), ("A", "b"));
        let e = ApiError::from_reply(
            "op",
            "h",
            401,
            None,
            r#"{"error":{"code":"APIGW.0301","message":"bad"}}"#,
            1,
        );
        assert_eq!(
            (e.error_code.as_str(), e.error_msg.as_str()),
            ("APIGW.0301", "bad")
        );
        let e = ApiError::from_reply("op", "h", 502, Some("r".into()), "Bad Gateway", 3);
        assert!(
            e.to_string().ends_with("(request id r; after 3 attempts)"),
            "{e}"
        );
        assert_eq!(
            (e.error_code.as_str(), e.error_msg.as_str()),
            ("502", "Bad Gateway")
        );
    }

    #[test]
    fn error_details_and_the_request_id_of_the_body() {
        // ROMA Connect's error body.
        let roma = r#"{"error_code":"APIC.7211","error_msg":"Parameter error","error_details":"name: too long","request_id":"body-1"}"#;
        let e = ApiError::from_reply("op", "h", 400, None, roma, 1);
        assert_eq!(e.error_details.as_deref(), Some("name: too long"));
        assert_eq!(e.request_id.as_deref(), Some("body-1"));
        assert_eq!(
            e.to_string(),
            r#"op failed: HTTP 400 from h: APIC.7211: Parameter error (details: "name: too long") (request id body-1)"#
        );
        // The header wins over the body.
        let e = ApiError::from_reply("op", "h", 400, Some("hdr-1".into()), roma, 1);
        assert_eq!(e.request_id.as_deref(), Some("hdr-1"));
        // `code`/`message` beside `error_code`/`error_msg`; `details` when there is
        // no `error_details`; nothing shown when there are none.
        let both = r#"{"code":"C","message":"M","error_code":"E.1","error_msg":"m","details":"d"}"#;
        let e = ApiError::from_reply("op", "h", 409, None, both, 1);
        assert_eq!((e.error_code.as_str(), e.error_msg.as_str()), ("E.1", "m"));
        assert_eq!(e.error_details.as_deref(), Some("d"));
        assert_eq!(e.request_id, None);
        let e = ApiError::from_reply(
            "op",
            "h",
            409,
            None,
            r#"{"error_code":"E","error_msg":"m","error_details":"","request_id":null}"#,
            1,
        );
        assert_eq!((&e.error_details, &e.request_id), (&None, &None));
        assert!(!e.to_string().contains("details"), "{e}");
        // Nested: from the object that holds the pair.
        let nested = r#"{"error":{"code":"X.1","message":"m","details":[{"field":"a"}]},"request_id":"top"}"#;
        let e = ApiError::from_reply("op", "h", 400, None, nested, 1);
        assert_eq!(e.error_details.as_deref(), Some(r#"[{"field":"a"}]"#));
        assert_eq!(e.request_id.as_deref(), Some("top"));
        // Long details are cut in the message, kept whole in the field.
        let long = format!(
            r#"{{"error_code":"E","error_msg":"m","error_details":"{}"}}"#,
            "é".repeat(400)
        );
        let e = ApiError::from_reply("op", "h", 400, None, &long, 1);
        assert_eq!(e.error_details.as_deref().map(str::len), Some(800));
        let shown = e.to_string();
        assert!(shown.len() < 300 + 60, "{} bytes: {shown}", shown.len());
        assert!(shown.contains("…\")"), "{shown}");
    }

    #[test]
    fn shown_text_is_escaped_and_cut_within_the_bound() {
        let show = |text: &str, max: usize| Shown { text, max }.to_string();
        assert_eq!(show("a\r\nb\tc", 64), "a\\r\\nb\\tc");
        assert_eq!(
            show("\u{0}\u{1b}\u{85}\u{2028}\u{202e}", 64),
            "\\u{0}\\u{1b}\\u{85}\\u{2028}\\u{202e}"
        );
        assert_eq!(show("héllo", 64), "héllo");
        // Cut: the mark fits in the bound, never half a character or escape.
        assert_eq!(show("abcdefgh", 6), "abc…");
        assert_eq!(show("ab\ncdef", 6), "ab…");
        assert_eq!(show("ééé", 6), "ééé");
        assert_eq!(show("éééé", 6), "é…");
        for len in 0..40 {
            let text = "x\r\u{1b}é".repeat(len);
            for max in [3, 4, 5, 10, 17, 256] {
                let out = show(&text, max);
                assert!(out.len() <= max, "{max}: {out:?}");
                assert!(!out.chars().any(char::is_control), "{out:?}");
            }
        }
    }

    #[test]
    fn every_error_shows_server_text_on_one_bounded_line() {
        let hostile = format!("a\r\nINFO forged\u{1b}[0m{}", "z".repeat(10_000));
        let errors = [
            Error::Job(Box::new(JobError {
                operation: "op",
                id: hostile.clone(),
                status: Some(hostile.clone()),
                reason: Some(hostile.clone()),
                polls: 2,
            })),
            Error::Timeout(Box::new(TimeoutError {
                operation: "op",
                host: hostile.clone(),
                kind: TimeoutKind::Wait,
                after: Duration::from_secs(1),
                attempts: 1,
            })),
            Error::Validation(Box::new(ValidationError {
                operation: "op",
                field: hostile.clone(),
                rule: hostile.clone(),
                message: hostile.clone(),
            })),
            Error::Config(hostile.clone()),
            Error::Transport(Box::new(TransportError {
                operation: "op",
                host: hostile.clone(),
                kind: TransportKind::Connection,
                attempts: 2,
                source: Some(hostile.clone().into()),
            })),
        ];
        for e in errors {
            let shown = e.to_string();
            let bound = SHOWN_TEXT_LEN + RULE_SHOWN_LEN + MESSAGE_SHOWN_LEN + 128;
            assert!(shown.len() <= bound, "{}", shown.len());
            assert!(!shown.chars().any(char::is_control), "{shown:?}");
            assert!(shown.contains("a\\r\\nINFO"), "{shown}");
        }
    }

    #[test]
    fn excerpt_respects_char_boundaries() {
        assert_eq!(excerpt("héllo", 2), "h…");
        assert_eq!(excerpt("abc", 5), "abc");
    }
}
