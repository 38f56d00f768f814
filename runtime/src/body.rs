//! Request payloads other than JSON, and the writing of parameter values: query,
//! header, path and cookie values of any type in the OpenAPI styles, form bodies,
//! multipart bodies.

use std::fmt;

use bytes::Bytes;
use serde_json::Value;

use crate::Error;
use crate::error::ValidationError;

/// The bytes of a request body: in memory, or a stream read while sending.
///
/// A body in memory is resent as it is when a request is retried; a stream can
/// be sent only once, so a call with a stream body is never retried.
pub struct Payload(pub(crate) PayloadInner);

pub(crate) enum PayloadInner {
    Bytes(Bytes),
    Stream(reqwest::Body),
}

impl Payload {
    /// A body read from `stream` while the request is sent (never buffered whole).
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        Payload(PayloadInner::Stream(reqwest::Body::wrap_stream(stream)))
    }

    /// The bytes, when the body is in memory.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.0 {
            PayloadInner::Bytes(b) => Some(b),
            PayloadInner::Stream(_) => None,
        }
    }
}

impl fmt::Debug for Payload {
    /// The size only: a body may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            PayloadInner::Bytes(b) => write!(f, "Payload({} bytes)", b.len()),
            PayloadInner::Stream(_) => f.write_str("Payload(stream)"),
        }
    }
}

impl From<Bytes> for Payload {
    fn from(value: Bytes) -> Self {
        Payload(PayloadInner::Bytes(value))
    }
}

impl From<Vec<u8>> for Payload {
    fn from(value: Vec<u8>) -> Self {
        Payload(PayloadInner::Bytes(value.into()))
    }
}

impl From<&'static [u8]> for Payload {
    fn from(value: &'static [u8]) -> Self {
        Payload(PayloadInner::Bytes(Bytes::from_static(value)))
    }
}

impl From<String> for Payload {
    fn from(value: String) -> Self {
        Payload(PayloadInner::Bytes(value.into()))
    }
}

impl From<&'static str> for Payload {
    fn from(value: &'static str) -> Self {
        Payload(PayloadInner::Bytes(Bytes::from_static(value.as_bytes())))
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter value is written (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `form`, exploded: a list repeats the name; an object writes each property
    /// as its own pair.
    FormExploded,
    /// `form`: `a,b,c`; an object as `k1,v1,k2,v2`.
    Form,
    /// `a b c`.
    SpaceDelimited,
    /// `a|b|c`.
    PipeDelimited,
    /// `name[key]=value` for each property of an object.
    DeepObject,
    /// `a,b,c`; an object as `k1,v1,k2,v2` (paths and headers).
    Simple,
    /// The value as JSON text.
    Json,
}

/// A scalar as text: strings as they are, `null` as empty, others as JSON.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The `(name, value)` pairs a parameter value is written as.
pub(crate) fn param_pairs(name: &str, value: &Value, style: Style) -> Vec<(String, String)> {
    let joined = |sep: &str, items: Vec<String>| vec![(name.to_owned(), items.join(sep))];
    match (value, style) {
        (_, Style::Json) => vec![(name.to_owned(), value.to_string())],
        (Value::Array(items), Style::FormExploded) => items
            .iter()
            .map(|v| (name.to_owned(), scalar_text(v)))
            .collect(),
        (Value::Array(items), Style::SpaceDelimited) => {
            joined(" ", items.iter().map(scalar_text).collect())
        }
        (Value::Array(items), Style::PipeDelimited) => {
            joined("|", items.iter().map(scalar_text).collect())
        }
        (Value::Array(items), _) => joined(",", items.iter().map(scalar_text).collect()),
        (Value::Object(map), Style::FormExploded) => map
            .iter()
            .map(|(k, v)| (k.clone(), scalar_text(v)))
            .collect(),
        (Value::Object(map), Style::DeepObject) => map
            .iter()
            .map(|(k, v)| (format!("{name}[{k}]"), scalar_text(v)))
            .collect(),
        (Value::Object(map), _) => joined(
            ",",
            map.iter()
                .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
                .collect(),
        ),
        (Value::Null, _) => Vec::new(),
        (scalar, _) => vec![(name.to_owned(), scalar_text(scalar))],
    }
}

/// One query pair: the decoded name and value (what is signed) and the value
/// as it goes on the wire (percent-encoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QueryPair {
    pub name: String,
    pub value: String,
    pub wire: String,
}

impl QueryPair {
    /// A pair whose value is percent-encoded whole.
    pub(crate) fn new(name: String, value: String) -> Self {
        let wire = crate::signer::encode(&value);
        QueryPair { name, value, wire }
    }
}

/// The query pairs of a parameter value: [`param_pairs`] with the value as sent.
///
/// A `form` list or object keeps its commas literal, as RFC 6570 form expansion
/// (and OpenAPI's `color=blue,black,brown`) writes them: the items are encoded
/// one by one, so a comma inside an item goes out as `%2C` and the server can
/// tell the two apart. Every other value is percent-encoded whole (the space of
/// `spaceDelimited` as `%20`, the `|` of `pipeDelimited` as `%7C`, the brackets
/// of `deepObject` as `%5B`/`%5D`, none of which RFC 3986 allows in a query).
pub(crate) fn query_pairs(name: &str, value: &Value, style: Style) -> Vec<QueryPair> {
    let encode = |s: &str| crate::signer::encode(s);
    let literal_commas = match (value, style) {
        (Value::Array(items), Style::Form) => Some(
            items
                .iter()
                .map(|v| encode(&scalar_text(v)))
                .collect::<Vec<_>>()
                .join(","),
        ),
        (Value::Object(map), Style::Form) => Some(
            map.iter()
                .flat_map(|(k, v)| [encode(k), encode(&scalar_text(v))])
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => None,
    };
    let pairs = param_pairs(name, value, style);
    match (literal_commas, <[_; 1]>::try_from(pairs)) {
        (Some(wire), Ok([(name, value)])) => vec![QueryPair { name, value, wire }],
        (_, Ok(one)) => one.into_iter().map(|(n, v)| QueryPair::new(n, v)).collect(),
        (_, Err(pairs)) => pairs
            .into_iter()
            .map(|(n, v)| QueryPair::new(n, v))
            .collect(),
    }
}

/// A cookie value as sent: the bytes a `Cookie` header cannot carry (controls,
/// space, `"`, `;`, `\`, non-ASCII; RFC 6265 §4.1.1) and `%` itself
/// percent-encoded, so a value can neither end its cookie early nor add another.
pub(crate) fn cookie_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            0x21 | 0x23..=0x24 | 0x26..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E | b',' => {
                out.push(char::from(b))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// A media type as the official SDK sends it: the type and the parameter names
/// lower case, and the `charset` value (case-insensitive, RFC 9110 §8.3.2);
/// other parameter values keep their case (a multipart `boundary` is
/// case-sensitive).
pub(crate) fn media_type_lower(media: &str) -> String {
    let mut out = String::with_capacity(media.len());
    for (i, piece) in media.split(';').enumerate() {
        if i > 0 {
            out.push(';');
        }
        match piece.split_once('=') {
            Some((name, value)) if i > 0 => {
                out.extend(name.chars().map(|c| c.to_ascii_lowercase()));
                out.push('=');
                if name.trim().eq_ignore_ascii_case("charset") {
                    out.extend(value.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    // Other values (a multipart boundary) are case-sensitive.
                    out.push_str(value);
                }
            }
            _ => out.extend(piece.chars().map(|c| c.to_ascii_lowercase())),
        }
    }
    out
}

/// `value` as JSON, or a validation error naming the field.
pub(crate) fn to_value<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    field: &str,
    value: &T,
) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| {
        Error::Validation(Box::new(ValidationError {
            operation,
            field: field.to_owned(),
            rule: "JSON".to_owned(),
            message: format!("the value cannot be written: {e}"),
        }))
    })
}

/// `application/x-www-form-urlencoded` text of pairs (space as `+`).
pub(crate) fn form_encode(pairs: &[(String, String)]) -> String {
    fn push(out: &mut String, s: &str) {
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                    out.push(b as char)
                }
                b' ' => out.push('+'),
                other => out.push_str(&format!("%{other:02X}")),
            }
        }
    }
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push(&mut out, k);
        out.push('=');
        push(&mut out, v);
    }
    out
}

/// The pairs of a form body: each property of the object; a list repeats the
/// name, a nested object is written as JSON text.
pub(crate) fn form_pairs(value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| match v {
                Value::Array(items) => items.iter().map(|i| (k.clone(), scalar_text(i))).collect(),
                Value::Null => Vec::new(),
                other => vec![(k.clone(), scalar_text(other))],
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A `multipart/form-data` body, part by part.
#[derive(Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

enum Part {
    Text(String),
    /// JSON text of a list or an object (OpenAPI 3.0.3 §4.7.14: such a property's
    /// part is `application/json`).
    Json(String),
    File(Bytes),
}

impl fmt::Debug for Multipart {
    /// Part names and sizes only: parts may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, part) in &self.parts {
            match part {
                Part::Text(t) => list.entry(&format_args!("{name}: {} bytes of text", t.len())),
                Part::Json(t) => list.entry(&format_args!("{name}: {} bytes of JSON", t.len())),
                Part::File(b) => list.entry(&format_args!("{name}: {} bytes", b.len())),
            };
        }
        list.finish()
    }
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// A text part.
    pub fn text(&mut self, name: &str, value: impl Into<String>) {
        self.parts.push((name.to_owned(), Part::Text(value.into())));
    }

    /// A file part (`application/octet-stream`, file name = part name).
    pub fn file(&mut self, name: &str, value: impl Into<Bytes>) {
        self.parts.push((name.to_owned(), Part::File(value.into())));
    }

    /// A part for any value: strings and numbers as text, lists and objects as
    /// JSON (`Content-Type: application/json`); `null` is left out.
    pub fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        operation: &'static str,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        match to_value(operation, name, value)? {
            Value::Null => {}
            v @ (Value::Array(_) | Value::Object(_)) => {
                self.parts
                    .push((name.to_owned(), Part::Json(v.to_string())));
            }
            scalar => self.text(name, scalar_text(&scalar)),
        }
        Ok(())
    }

    /// A part for each property of an object (or of a map).
    pub fn fields<T: serde::Serialize + ?Sized>(
        &mut self,
        operation: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if let Value::Object(map) = to_value(operation, "body", value)? {
            for (name, v) in &map {
                self.value(operation, name, v)?;
            }
        }
        Ok(())
    }

    /// The body and its `Content-Type` (with the boundary).
    pub(crate) fn encode(self) -> (String, Bytes) {
        // A boundary that occurs in no part.
        let mut n: u64 = 0x5a17_c0de;
        let boundary = loop {
            let candidate = format!("huaweicloud-sdk-{n:016x}");
            let clash = self.parts.iter().any(|(_, p)| {
                let bytes: &[u8] = match p {
                    Part::Text(t) | Part::Json(t) => t.as_bytes(),
                    Part::File(b) => b,
                };
                bytes
                    .windows(candidate.len())
                    .any(|w| w == candidate.as_bytes())
            });
            if !clash {
                break candidate;
            }
            n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        };
        let mut out: Vec<u8> = Vec::new();
        for (name, part) in self.parts {
            // As browsers write names (WHATWG): no quote or line break can end
            // the parameter or the header.
            let name = name
                .replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A");
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(t) => {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    out.extend_from_slice(t.as_bytes());
                }
                Part::Json(t) => {
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"\r\n\
                             Content-Type: application/json\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    out.extend_from_slice(t.as_bytes());
                }
                Part::File(b) => {
                    out.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                             Content-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    out.extend_from_slice(&b);
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            out.into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Sorted: object members come in the map's order, which depends on
    /// serde_json's `preserve_order` feature.
    fn pairs(value: Value, style: Style) -> Vec<(String, String)> {
        let mut pairs = param_pairs("id", &value, style);
        pairs.sort();
        pairs
    }

    fn p(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn styles_as_openapi_defines_them() {
        // OpenAPI 3.0.3 §4.7.12.4 style examples, for id = [3, 4, 5] and
        // {"role": "admin", "firstName": "Alex"}.
        let list = json!([3, 4, 5]);
        let object = json!({"role": "admin", "firstName": "Alex"});
        assert_eq!(
            pairs(list.clone(), Style::FormExploded),
            p(&[("id", "3"), ("id", "4"), ("id", "5")])
        );
        assert_eq!(pairs(list.clone(), Style::Form), p(&[("id", "3,4,5")]));
        assert_eq!(
            pairs(list.clone(), Style::SpaceDelimited),
            p(&[("id", "3 4 5")])
        );
        assert_eq!(
            pairs(list.clone(), Style::PipeDelimited),
            p(&[("id", "3|4|5")])
        );
        assert_eq!(pairs(list, Style::Simple), p(&[("id", "3,4,5")]));
        assert_eq!(
            pairs(object.clone(), Style::FormExploded),
            p(&[("firstName", "Alex"), ("role", "admin")])
        );
        let form = param_pairs("id", &object, Style::Form);
        assert!(
            form == p(&[("id", "firstName,Alex,role,admin")])
                || form == p(&[("id", "role,admin,firstName,Alex")]),
            "{form:?}"
        );
        assert_eq!(
            pairs(object.clone(), Style::DeepObject),
            p(&[("id[firstName]", "Alex"), ("id[role]", "admin")])
        );
        let json = pairs(object, Style::Json);
        assert_eq!(
            serde_json::from_str::<Value>(&json[0].1).ok(),
            Some(json!({"role": "admin", "firstName": "Alex"}))
        );
        assert_eq!(
            pairs(json!("x y"), Style::FormExploded),
            p(&[("id", "x y")])
        );
        assert_eq!(pairs(json!(true), Style::Simple), p(&[("id", "true")]));
        assert!(pairs(Value::Null, Style::Form).is_empty());
    }

    #[test]
    fn query_values_as_sent() {
        let wire = |value: Value, style: Style| -> Vec<(String, String)> {
            query_pairs("id", &value, style)
                .into_iter()
                .map(|p| (p.value, p.wire))
                .collect()
        };
        let one = |v: &str, w: &str| vec![(v.to_owned(), w.to_owned())];
        // form lists keep their separators literal, items are encoded apart.
        assert_eq!(
            wire(json!(["blue", "black", "brown"]), Style::Form),
            one("blue,black,brown", "blue,black,brown")
        );
        assert_eq!(
            wire(json!(["a,b", "c d"]), Style::Form),
            one("a,b,c d", "a%2Cb,c%20d")
        );
        assert_eq!(
            wire(json!({"R": 100, "G": 200}), Style::Form)[0]
                .1
                .split(',')
                .count(),
            4
        );
        assert_eq!(wire(json!([]), Style::Form), one("", ""));
        // the other styles' delimiters are not allowed in a query: encoded.
        assert_eq!(
            wire(json!(["a", "b"]), Style::SpaceDelimited),
            one("a b", "a%20b")
        );
        assert_eq!(
            wire(json!(["a", "b"]), Style::PipeDelimited),
            one("a|b", "a%7Cb")
        );
        assert_eq!(wire(json!("x,y"), Style::FormExploded), one("x,y", "x%2Cy"));
        let deep = query_pairs("f", &json!({"k": "v w"}), Style::DeepObject);
        assert_eq!(
            deep,
            [QueryPair {
                name: "f[k]".to_owned(),
                value: "v w".to_owned(),
                wire: "v%20w".to_owned()
            }]
        );
    }

    #[test]
    fn cookie_values_cannot_break_the_header() {
        assert_eq!(
            cookie_value("s-123_ok.~!#$&'()*+,/:<=>?@[]^`{|}"),
            "s-123_ok.~!#$&'()*+,/:<=>?@[]^`{|}"
        );
        assert_eq!(
            cookie_value("a b;c=d\"é%\\\r\n"),
            "a%20b%3Bc=d%22%C3%A9%25%5C%0D%0A"
        );
    }

    #[test]
    fn media_types_keep_the_case_of_parameter_values() {
        assert_eq!(
            media_type_lower("Multipart/Form-Data; Boundary=AbC"),
            "multipart/form-data; boundary=AbC"
        );
        assert_eq!(
            media_type_lower("application/json;charset=UTF-8"),
            "application/json;charset=utf-8"
        );
        assert_eq!(media_type_lower("Text/Plain"), "text/plain");
    }

    #[test]
    fn form_bodies() {
        let body = json!({"name": "a b&c", "tags": ["x", "y"], "meta": {"k": 1}, "gone": null});
        let mut pairs = form_pairs(&body);
        pairs.sort();
        assert_eq!(
            form_encode(&pairs),
            "meta=%7B%22k%22%3A1%7D&name=a+b%26c&tags=x&tags=y"
        );
    }

    #[test]
    fn multipart_bodies() {
        let mut form = Multipart::new();
        form.text("name", "report");
        form.file("file", Bytes::from_static(b"\x00\x01binary"));
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_default()
            .to_owned();
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\n")), "{text}");
        assert!(text.contains("name=\"name\"\r\n\r\nreport\r\n"), "{text}");
        assert!(
            text.contains("filename=\"file\"\r\nContent-Type: application/octet-stream"),
            "{text}"
        );
        assert!(text.ends_with(&format!("--{boundary}--\r\n")), "{text}");
        // Lists and objects are JSON parts, their media type says so.
        let mut json_part = Multipart::new();
        json_part
            .value("op", "meta", &json!({"size": 1}))
            .unwrap_or_default();
        json_part
            .value("op", "gone", &Value::Null)
            .unwrap_or_default();
        let (_, body) = json_part.encode();
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains(
                "name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"size\":1}\r\n"
            ),
            "{text}"
        );
        assert!(!text.contains("gone"), "{text}");
        // A name cannot end its parameter or header.
        let mut names = Multipart::new();
        names.text("a\"b\r\nX: y", "v");
        let (_, body) = names.encode();
        assert!(
            String::from_utf8_lossy(&body).contains("name=\"a%22b%0D%0AX: y\""),
            "{}",
            String::from_utf8_lossy(&body)
        );
        // The boundary never occurs inside a part.
        let mut clash = Multipart::new();
        clash.text("a", format!("huaweicloud-sdk-{:016x}", 0x5a17_c0de_u64));
        let (ct, _) = clash.encode();
        assert!(!ct.ends_with(&format!("{:016x}", 0x5a17_c0de_u64)), "{ct}");
    }
}
