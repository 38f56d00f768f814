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
    File(Bytes),
}

impl fmt::Debug for Multipart {
    /// Part names and sizes only: parts may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, part) in &self.parts {
            match part {
                Part::Text(t) => list.entry(&format_args!("{name}: {} bytes of text", t.len())),
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
    /// JSON text; `null` is left out.
    pub fn value<T: serde::Serialize + ?Sized>(
        &mut self,
        operation: &'static str,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        match to_value(operation, name, value)? {
            Value::Null => {}
            v @ (Value::Array(_) | Value::Object(_)) => self.text(name, v.to_string()),
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
                    Part::Text(t) => t.as_bytes(),
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
            let name = name.replace('"', "%22");
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(t) => {
                    out.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
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
        // The boundary never occurs inside a part.
        let mut clash = Multipart::new();
        clash.text("a", format!("huaweicloud-sdk-{:016x}", 0x5a17_c0de_u64));
        let (ct, _) = clash.encode();
        assert!(!ct.ends_with(&format!("{:016x}", 0x5a17_c0de_u64)), "{ct}");
    }
}
