//! SDK-HMAC-SHA256 signer: the official vectors byte for byte, plus property tests.

// A failed expectation is how a test reports; panicking is its job.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt;

use huaweicloud_sdk_core::__private::signer::{
    EMPTY_BODY_SHA256, SignableRequest, Signed, canonical_query, canonical_uri, encode, sign,
};
use proptest::prelude::*;
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

// ---------------------------------------------------------------------------
// Official vectors
// ---------------------------------------------------------------------------

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/signing_vectors.json"
);

#[derive(Deserialize)]
struct VectorFile {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    id: String,
    request: VectorRequest,
    ak: String,
    sk: String,
    sdk_date: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct VectorRequest {
    method: String,
    url: String,
    query_params_decoded: Vec<(String, String)>,
    headers: OrderedPairs,
    body: String,
}

#[derive(Deserialize)]
struct Expected {
    headers_added_by_signer: Vec<String>,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    authorization: String,
    sent_headers: OrderedPairs,
    wire_path_and_query: String,
}

/// A JSON object of strings read in document order. The vectors' header objects are
/// ordered (they are the official signer's insertion order), and `serde_json::Value`
/// would sort them unless `preserve_order` were enabled, so read them directly.
#[derive(Debug, PartialEq)]
struct OrderedPairs(Vec<(String, String)>);

impl<'de> Deserialize<'de> for OrderedPairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairsVisitor;
        impl<'de> Visitor<'de> for PairsVisitor {
            type Value = OrderedPairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object with string values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedPairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    pairs.push(entry);
                }
                Ok(OrderedPairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor)
    }
}

fn load_vectors() -> Vec<Vector> {
    let text =
        std::fs::read_to_string(VECTORS).unwrap_or_else(|e| panic!("cannot read {VECTORS}: {e}"));
    let file: VectorFile =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {VECTORS}: {e}"));
    file.vectors
}

/// Splits `scheme://authority/path?query` into (authority, raw path); the query is
/// taken from `query_params_decoded` instead.
fn authority_and_path(url: &str) -> (&str, &str) {
    let (_, rest) = url
        .split_once("://")
        .unwrap_or_else(|| panic!("no scheme in {url}"));
    let path_start = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(path_start);
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    (authority, path)
}

fn sign_vector(v: &Vector) -> Signed {
    let (authority, path) = authority_and_path(&v.request.url);
    let req = SignableRequest {
        method: &v.request.method,
        authority,
        path,
        query: &v.request.query_params_decoded,
        headers: &v.request.headers.0,
        body: v.request.body.as_bytes(),
    };
    sign(&req, &v.ak, &v.sk, &v.sdk_date)
}

#[test]
fn official_vectors_count() {
    assert_eq!(load_vectors().len(), 12);
}

#[test]
fn official_vectors_reproduced_byte_for_byte() {
    for v in load_vectors() {
        let id = &v.id;
        let e = &v.expected;
        let s = sign_vector(&v);
        assert_eq!(
            s.canonical_request, e.canonical_request,
            "{id}: canonical_request"
        );
        assert_eq!(s.string_to_sign, e.string_to_sign, "{id}: string_to_sign");
        assert_eq!(s.signed_headers, e.signed_headers, "{id}: signed_headers");
        assert_eq!(s.authorization, e.authorization, "{id}: authorization");
        assert_eq!(s.headers, e.sent_headers.0, "{id}: sent headers (ordered)");
        assert_eq!(
            s.path_and_query, e.wire_path_and_query,
            "{id}: wire path and query"
        );

        let caller = v.request.headers.0.len();
        let added: Vec<&str> = s.headers[caller..s.headers.len() - 1]
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            added, e.headers_added_by_signer,
            "{id}: headers_added_by_signer"
        );
        assert_eq!(
            s.headers.last().map(|(name, _)| name.as_str()),
            Some("Authorization"),
            "{id}: Authorization comes last"
        );
    }
}

#[test]
fn trailing_slash_is_not_signed_v07_v08() {
    let vectors = load_vectors();
    let find = |prefix: &str| {
        vectors
            .iter()
            .find(|v| v.id.starts_with(prefix))
            .unwrap_or_else(|| panic!("no vector {prefix}"))
    };
    let (v07, v08) = (sign_vector(find("v07")), sign_vector(find("v08")));
    assert_eq!(v07.authorization, v08.authorization);
    assert_ne!(v07.path_and_query, v08.path_and_query);
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `s`; a `%` not followed by two hex digits stays literal.
fn pct_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).copied().and_then(hex_value),
                bytes.get(i + 2).copied().and_then(hex_value),
            ) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Checks `s` is only unreserved bytes and `%XX` with upper-case hex.
fn is_strictly_encoded(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if is_unreserved(b[i]) {
            i += 1;
        } else if b[i] == b'%'
            && b.get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
            && b.get(i + 2)
                .is_some_and(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
        {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// The `name:value` lines of a canonical request's header block.
fn canonical_header_lines(canonical_request: &str) -> Vec<&str> {
    canonical_request
        .split('\n')
        .skip(3)
        .take_while(|line| !line.is_empty())
        .collect()
}

const METHOD: &str = "POST";
const AUTHORITY: &str = "gaussdb.cn-north-4.myhuaweicloud.com";
const PATH: &str = "/v3/p/instances";
const AK: &str = "AKFAKE";
const SK: &str = "SKfake";
const DATE: &str = "20240315T083000Z";

fn sign_with(headers: &[(String, String)], body: &[u8]) -> Signed {
    sign_full(headers, body, AUTHORITY, DATE)
}

fn sign_full(headers: &[(String, String)], body: &[u8], authority: &str, date: &str) -> Signed {
    let req = SignableRequest {
        method: METHOD,
        authority,
        path: PATH,
        query: &[],
        headers,
        body,
    };
    sign(&req, AK, SK, date)
}

/// A query key or value; a tiny alphabet half the time so keys and values collide.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof!["[ab]{0,2}", "\\PC{0,5}"]
}

/// `(name, padded value, trimmed value)`: unique names with mixed case, values with
/// leading/trailing spaces and tabs around a core whose ends are not whitespace.
fn plain_headers() -> impl Strategy<Value = Vec<(String, String, String)>> {
    prop::collection::vec(
        (
            "[A-Za-z0-9-]{0,8}",
            "[ \t]{0,3}",
            "([!-~]([ -~]{0,10}[!-~])?)?",
            "[ \t]{0,3}",
        ),
        1..6,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (name, pre, core, post))| {
                (
                    format!("X-Prop{i}-{name}"),
                    format!("{pre}{core}{post}"),
                    core,
                )
            })
            .collect()
    })
}

fn as_pairs(headers: &[(String, String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value, _)| (name.clone(), value.clone()))
        .collect()
}

/// A path segment (no `/`) and, per character, how the wire form writes it:
/// 0 literal, 1 `%XX` upper-case, 2 `%xx` lower-case (`%` is always escaped).
fn wire_segment() -> impl Strategy<Value = Vec<(char, u8)>> {
    prop::collection::vec(
        (any::<char>().prop_filter("no '/'", |c| *c != '/'), 0u8..3),
        0..6,
    )
}

fn wire_form(segment: &[(char, u8)]) -> (String, String) {
    let mut decoded = String::new();
    let mut wire = String::new();
    for &(c, mode) in segment {
        decoded.push(c);
        let mode = if c == '%' && mode == 0 { 1 } else { mode };
        if mode == 0 {
            wire.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                if mode == 1 {
                    wire.push_str(&format!("%{b:02X}"));
                } else {
                    wire.push_str(&format!("%{b:02x}"));
                }
            }
        }
    }
    (decoded, wire)
}

proptest! {
    #[test]
    fn encode_is_strict_and_round_trips(s in any::<String>()) {
        let encoded = encode(&s);
        prop_assert!(is_strictly_encoded(&encoded), "{encoded:?}");
        prop_assert_eq!(pct_decode(&encoded), s.as_bytes().to_vec());
    }

    #[test]
    fn canonical_query_ignores_input_order_and_sorts_decoded(
        (pairs, shuffled) in prop::collection::vec((query_text(), query_text()), 0..8)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let canonical = canonical_query(&pairs);
        prop_assert_eq!(&canonical, &canonical_query(&shuffled));
        if pairs.is_empty() {
            prop_assert_eq!(canonical.as_str(), "");
        } else {
            let decoded: Vec<(Vec<u8>, Vec<u8>)> = canonical
                .split('&')
                .map(|pair| {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (pct_decode(k), pct_decode(v))
                })
                .collect();
            prop_assert_eq!(decoded.len(), pairs.len());
            // Byte order of UTF-8 equals code-point order of the decoded text.
            prop_assert!(decoded.windows(2).all(|w| w[0] <= w[1]), "{canonical}");
            let mut expected: Vec<(Vec<u8>, Vec<u8>)> = pairs
                .iter()
                .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
                .collect();
            expected.sort();
            prop_assert_eq!(decoded, expected);
        }
    }

    #[test]
    fn canonical_uri_ignores_trailing_slash(p in "\\PC{1,24}") {
        prop_assume!(!p.ends_with('/'));
        // If the *decoded* path ends with '/' (e.g. "...%2F"), appending '/' adds an
        // empty segment, which is signed: outside this property.
        prop_assume!(pct_decode(&p).last() != Some(&b'/'));
        prop_assert_eq!(canonical_uri(&p), canonical_uri(&format!("{p}/")));
    }

    #[test]
    fn canonical_uri_encodes_decoded_segments(
        segments in prop::collection::vec(wire_segment(), 1..5)
    ) {
        let forms: Vec<(String, String)> = segments.iter().map(|s| wire_form(s)).collect();
        let wire = forms.iter().fold(String::new(), |acc, (_, w)| acc + "/" + w);
        let mut expected = forms.iter().fold(String::new(), |acc, (d, _)| acc + "/" + &encode(d));
        if !expected.ends_with('/') {
            expected.push('/');
        }
        prop_assert_eq!(canonical_uri(&wire), expected, "wire path {:?}", wire);
    }

    #[test]
    fn canonical_headers_are_lower_cased_trimmed_and_sorted(headers in plain_headers()) {
        let signed = sign_with(&as_pairs(&headers), b"");
        let lines = canonical_header_lines(&signed.canonical_request);
        for (name, _, core) in &headers {
            let line = format!("{}:{}", name.to_ascii_lowercase(), core);
            prop_assert!(lines.contains(&line.as_str()), "missing {line:?} in {lines:?}");
        }
        let names: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.split_once(':'))
            .map(|(n, _)| n)
            .collect();
        prop_assert!(names.iter().all(|n| !n.bytes().any(|b| b.is_ascii_uppercase())));
        prop_assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
        prop_assert_eq!(names.join(";"), signed.signed_headers.clone());
        // Sent headers: caller's first, in order, values trimmed.
        for ((name, _, core), (sent_name, sent_value)) in headers.iter().zip(&signed.headers) {
            prop_assert_eq!(name, sent_name);
            prop_assert_eq!(core, sent_value);
        }
    }

    #[test]
    fn underscore_header_is_sent_but_not_signed(
        headers in plain_headers(),
        suffix in "[A-Za-z0-9]{0,6}",
        value in "[!-~]{0,10}",
        at in any::<prop::sample::Index>(),
    ) {
        let mut pairs = as_pairs(&headers);
        let name = format!("X_Under_{suffix}");
        pairs.insert(at.index(pairs.len() + 1), (name.clone(), value.clone()));
        let signed = sign_with(&pairs, b"body");
        prop_assert!(signed.headers.contains(&(name.clone(), value)));
        prop_assert!(signed.signed_headers.split(';').all(|n| !n.contains('_')));
        prop_assert!(!signed.signed_headers.contains(&name.to_ascii_lowercase()));
        prop_assert!(!signed.canonical_request.contains(&name.to_ascii_lowercase()));
    }

    #[test]
    fn present_authorization_header_is_never_signed(
        headers in plain_headers(),
        value in "[ -~]{0,20}",
        at in any::<prop::sample::Index>(),
        query in prop::collection::vec((query_text(), query_text()), 0..4),
    ) {
        let mut pairs = as_pairs(&headers);
        pairs.insert(at.index(pairs.len() + 1), ("Authorization".to_owned(), value));
        let req = SignableRequest {
            method: METHOD,
            authority: AUTHORITY,
            path: PATH,
            query: &query,
            headers: &pairs,
            body: b"body",
        };
        let signed = sign(&req, AK, SK, DATE);
        prop_assert_eq!(signed.canonical_request.as_str(), "");
        prop_assert_eq!(signed.string_to_sign.as_str(), "");
        prop_assert_eq!(signed.signed_headers.as_str(), "");
        prop_assert_eq!(signed.authorization.as_str(), "");
        let trimmed: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.clone(), v.trim().to_owned()))
            .collect();
        prop_assert_eq!(signed.headers, trimmed);
        let cq = canonical_query(&query);
        let expected = if cq.is_empty() { PATH.to_owned() } else { format!("{PATH}?{cq}") };
        prop_assert_eq!(signed.path_and_query, expected);
    }

    #[test]
    fn signature_covers_every_signed_header_and_the_body(
        headers in plain_headers(),
        body in prop::collection::vec(any::<u8>(), 0..64),
        extra in any::<u8>(),
        which in any::<prop::sample::Index>(),
    ) {
        let pairs = as_pairs(&headers);
        let base = sign_with(&pairs, &body);
        prop_assert!(!base.signed_headers.contains("authorization"));
        prop_assert!(
            base.authorization
                .starts_with("SDK-HMAC-SHA256 Access=AKFAKE, SignedHeaders=")
        );
        if body.is_empty() {
            prop_assert!(base.canonical_request.ends_with(EMPTY_BODY_SHA256));
        }

        let mut changed = pairs.clone();
        let i = which.index(changed.len());
        changed[i].1.push('x');
        prop_assert_ne!(&base.authorization, &sign_with(&changed, &body).authorization);

        let mut longer = body.clone();
        longer.push(extra);
        prop_assert_ne!(&base.authorization, &sign_with(&pairs, &longer).authorization);

        // Host and X-Sdk-Date, which the signer adds itself, are signed too.
        let other_host = sign_full(&pairs, &body, "gaussdb.cn-east-3.myhuaweicloud.com", DATE);
        prop_assert_ne!(&base.authorization, &other_host.authorization);
        let other_date = sign_full(&pairs, &body, AUTHORITY, "20240315T083001Z");
        prop_assert_ne!(&base.authorization, &other_date.authorization);
    }
}
