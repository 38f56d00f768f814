//! What a request's path and headers may hold, checked before anything is
//! signed or sent. These are guarantees of the encoding, not rules of an API,
//! so they hold with validation off: a value can never make a request reach
//! another resource than its operation's, nor frame the request itself.

use crate::Error;
use crate::error::{ValidationError, shown};

/// Headers the client sets or that frame the request: a raw call may not set
/// them (its body and media type have their own methods; the credentials and
/// the project id come from the configuration). Lower case.
const OWNED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "content-length",
    "transfer-encoding",
    "content-type",
    "user-agent",
    "x-sdk-date",
    "x-sdk-content-sha256",
    "x-security-token",
    "x-auth-token",
    "x-project-id",
    // Hop-by-hop headers (RFC 9110 §7.6.1): they describe the connection, which
    // the HTTP client owns.
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "upgrade",
];

fn refuse(operation: &'static str, field: &str, rule: &str, message: String) -> Error {
    Error::Validation(Box::new(ValidationError {
        operation,
        field: field.to_owned(),
        rule: rule.to_owned(),
        message,
    }))
}

/// A value that fills one path segment: `.` and `..` would be removed by URL
/// normalisation (RFC 3986 §5.2.4, and the URL parser on the way out), and an
/// empty value drops the segment, so each would name another resource.
pub(crate) fn check_segment(operation: &'static str, name: &str, value: &str) -> Result<(), Error> {
    let (rule, why) = match value {
        "" => (
            "non-empty path segment",
            "is empty, which would drop the segment from the path",
        ),
        "." => (
            "not a dot segment",
            "is `.`, a dot segment that URL normalisation removes",
        ),
        ".." => (
            "not a dot segment",
            "is `..`, a dot segment that URL normalisation turns into the parent path",
        ),
        _ => return Ok(()),
    };
    Err(refuse(
        operation,
        name,
        rule,
        format!("{why}, so the request would reach another resource"),
    ))
}

/// Whether a segment of an already-encoded path is a dot segment, spelled as
/// the WHATWG URL Standard reads one: `.` or `..`, each dot possibly written
/// `%2e` (either case).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | "%2e" | ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}

/// The path of a raw call, as the caller wrote it (segments percent-encoded,
/// `{project_id}` still a placeholder).
pub(crate) fn check_raw_path(operation: &'static str, path: &str) -> Result<(), Error> {
    let fail = |message: String| Err(refuse(operation, "path", "raw path", message));
    if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return fail(format!(
            "holds `{c}`: the path is sent as given, so give the query with .query(name, value) \
             (each pair is percent-encoded and signed) and leave out any fragment"
        ));
    }
    if let Some((at, c)) = path.char_indices().find(|(_, c)| c.is_control()) {
        return fail(format!(
            "holds the control character {} at byte {at}: percent-encode it (e.g. %0A)",
            shown(c.encode_utf8(&mut [0; 4]))
        ));
    }
    if path.contains('\\') {
        return fail(
            "holds `\\`, which URL parsers read as `/` in http(s) URLs: percent-encode it as %5C"
                .to_owned(),
        );
    }
    if let Some(segment) = path.split('/').find(|s| is_dot_segment(s)) {
        return fail(format!(
            "holds the dot segment `{}`, which URL normalisation removes, so the request would \
             reach another resource; name the resource's own path",
            shown(segment)
        ));
    }
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let placeholder = close.map_or(&rest[open..], |c| &rest[open..=c]);
        if placeholder != "{project_id}" {
            return fail(format!(
                "holds `{}`: a raw call fills only {{project_id}}; write other values into the \
                 path, percent-encoded (`{{` is %7B)",
                shown(placeholder)
            ));
        }
        rest = &rest[open + placeholder.len()..];
    }
    Ok(())
}

/// A header a raw call may set: not one the client owns.
pub(crate) fn check_raw_header(operation: &'static str, name: &str) -> Result<(), Error> {
    let lower = name.to_ascii_lowercase();
    if !OWNED_HEADERS.contains(&lower.as_str()) {
        return Ok(());
    }
    let how = match lower.as_str() {
        "content-type" | "content-length" | "transfer-encoding" => {
            "the body's method sets it (.json(body) sends application/json)"
        }
        "authorization"
        | "x-sdk-date"
        | "x-sdk-content-sha256"
        | "x-security-token"
        | "x-auth-token" => "the credentials of the configuration set it",
        "x-project-id" => "the project id of the configuration sets it",
        "user-agent" => "Config::with_user_agent sets it",
        "host" => "the endpoint sets it",
        _ => "the HTTP client manages the connection",
    };
    Err(refuse(
        operation,
        &format!("header {}", shown(name)),
        "header the client sets",
        format!("a raw call cannot set it: {how}"),
    ))
}

/// A header's name and value as HTTP can carry them: a name of token
/// characters (RFC 9110 §5.1), a value of visible ASCII, spaces and tabs
/// (no line breaks, NUL or other controls; other text needs an encoding the
/// API defines).
pub(crate) fn check_header(operation: &'static str, name: &str, value: &str) -> Result<(), Error> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(refuse(
            operation,
            &format!("header {}", shown(name)),
            "header name",
            "a header name is letters, digits and !#$%&'*+-.^_`|~ only".to_owned(),
        ));
    }
    if let Some((at, c)) = value
        .char_indices()
        .find(|(_, c)| !(c.is_ascii() && (!c.is_ascii_control() || *c == '\t')))
    {
        let what = if c.is_control() {
            "the control character"
        } else {
            "the non-ASCII character"
        };
        return Err(refuse(
            operation,
            &format!("header {}", shown(name)),
            "header value",
            format!(
                "holds {what} {} at byte {at}; a header value is visible ASCII, spaces and tabs",
                shown(c.encode_utf8(&mut [0; 4]))
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), Error>) -> String {
        match result {
            Err(e) => e.to_string(),
            Ok(()) => String::new(),
        }
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        for value in ["", ".", ".."] {
            let text = message(check_segment("op", "instance_id", value));
            assert!(text.contains("`instance_id`"), "{value:?}: {text}");
            assert!(text.contains("another resource"), "{value:?}: {text}");
        }
        for value in ["...", ".a", "a.", "%2e", "a/b", " "] {
            assert!(check_segment("op", "id", value).is_ok(), "{value:?}");
        }
    }

    #[test]
    fn raw_paths_with_dot_segments_queries_or_controls_are_refused() {
        for path in [
            "/v3/{project_id}/instances/../x",
            "/v3/./x",
            "/v3/%2E%2e/x",
            "/v3/.%2E",
            "/v3/%2e./x",
            "..",
            "/v3/x?limit=1",
            "/v3/x#frag",
            "/v3/x\r\nX-Evil: 1",
            "/v3/a\\..\\b",
            "/v3/{project_id}/instances/{instance_id}",
            "/v3/{project_id",
        ] {
            let text = message(check_raw_path("raw_request", path));
            assert!(text.contains("invalid input `path`"), "{path:?}: {text}");
            assert!(!text.contains('\r') && !text.contains('\n'), "{text}");
        }
        let query = message(check_raw_path("raw_request", "/x?a=1"));
        assert!(query.contains(".query(name, value)"), "{query}");
        for path in [
            "/v3/{project_id}/instances",
            "/v3/a..b/.x/x./...",
            "/v3//x",
            "/",
            "",
        ] {
            assert!(check_raw_path("raw_request", path).is_ok(), "{path:?}");
        }
    }

    #[test]
    fn owned_headers_are_refused_in_any_case() {
        for name in [
            "Host",
            "authorization",
            "CONTENT-LENGTH",
            "Transfer-Encoding",
            "x-sdk-date",
            "X-Security-Token",
            "x-project-id",
            "User-Agent",
            "content-type",
            "X-Auth-Token",
            "Connection",
        ] {
            let text = message(check_raw_header("raw_request", name));
            assert!(text.contains("a raw call cannot set it"), "{name}: {text}");
        }
        assert!(check_raw_header("raw_request", "X-Language").is_ok());
    }

    #[test]
    fn header_names_and_values_are_what_http_carries() {
        assert!(check_header("op", "X-Language", "en-us").is_ok());
        assert!(check_header("op", "X-A", "a\tb c~").is_ok());
        for (name, value) in [
            ("X-A", "a\r\nX-Evil: 1"),
            ("X-A", "a\0"),
            ("X-A", "é"),
            ("X A", "a"),
            ("X-A:", "a"),
            ("", "a"),
        ] {
            let text = message(check_header("op", name, value));
            assert!(text.contains("invalid input `header"), "{name:?}: {text}");
            assert!(!text.contains('\r') && !text.contains('\n'), "{text}");
        }
    }
}
