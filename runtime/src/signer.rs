//! `SDK-HMAC-SHA256` AK/SK request signing, as done by the official Huawei Cloud SDKs.
//!
//! The signer builds a canonical request from the method, path, query, headers and
//! body, hashes it into a string to sign, and signs that with HMAC-SHA256 keyed by the
//! secret key (SK) directly: there is no derived key, region or credential scope.
//!
//! [`sign`] is a pure function: it takes the request and the timestamp and returns
//! every intermediate value plus the exact headers and request line to send, so it can
//! be checked byte for byte against vectors produced by the official signer.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::digest::Key;
use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

const HEADER_AUTHORIZATION: &str = "Authorization";
const HEADER_CONTENT_TYPE: &str = "Content-Type";
const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
const HEADER_DATE: &str = "X-Sdk-Date";
const HEADER_HOST: &str = "Host";
/// The `X-Sdk-Content-Sha256` value of a body that is not hashed (forms, files, streams).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Bytes left literal by [`encode`]: `A-Z a-z 0-9 - _ . ~`. Everything else, including
/// every non-ASCII byte, is written as `%XX`.
const ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request as the signer sees it.
///
/// `headers` keeps insertion order and original name case; both matter for what is
/// sent, and the name case decides the "skip if `Authorization` is present" rule.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method in any case; upper-cased in the canonical request.
    pub method: &'a str,
    /// `host[:port]` exactly as in the endpoint URL; becomes the `Host` header.
    pub authority: &'a str,
    /// Path as sent on the wire, already percent-encoded.
    pub path: &'a str,
    /// Decoded query `(key, value)` pairs in caller order (repeated keys allowed).
    pub query: &'a [(String, String)],
    /// Caller headers before signing (no `Host`/`X-Sdk-Date` unless the caller set them).
    pub headers: &'a [(String, String)],
    /// Body bytes exactly as sent; empty means no body.
    pub body: &'a [u8],
}

/// Everything the signer produced. Holds no secret (the SK is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The canonical request that was hashed (empty when signing was skipped).
    pub canonical_request: String,
    /// `SDK-HMAC-SHA256\n<date>\n<hex sha256(canonical request)>` (empty when skipped).
    pub string_to_sign: String,
    /// Sorted lower-case signed header names joined by `;` (empty when skipped).
    pub signed_headers: String,
    /// The `Authorization` header value (empty when skipped).
    pub authorization: String,
    /// All headers to send, in order: caller headers (values trimmed), then the ones the
    /// signer added (`X-Sdk-Date`, `X-Sdk-Content-Sha256` when applicable, `Host`, in
    /// the official signer's order), then `Authorization`.
    pub headers: Vec<(String, String)>,
    /// Path + `?` + canonical query string (no `?` when the query is empty): what goes
    /// on the request line.
    pub path_and_query: String,
}

/// Signs `req` with `SDK-HMAC-SHA256` and returns the headers and request line to send.
///
/// `sdk_date` must be `YYYYMMDDTHHMMSSZ` (see [`sdk_date()`]). It is used unless the
/// caller's headers already hold an `X-Sdk-Date` (name in any case); then that value
/// (trimmed) is signed and sent instead, as the official signer does. It is not
/// validated: a malformed caller value is signed as is.
///
/// Headers the signer adds, in this order, before `Authorization`:
/// - `X-Sdk-Date`, unless the caller set one;
/// - `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` when a `Content-Type` header (name in any
///   case) has a raw, untrimmed value that does not start with `application/json` or
///   `application/bson` (case-sensitive), unless the caller set that header already;
/// - `Host` (= `req.authority`), unless the caller set one (name in any case).
///
/// Every header is signed except those whose name contains `_` (still sent). The
/// payload hash is [`EMPTY_BODY_SHA256`] for an empty body (even with
/// `X-Sdk-Content-Sha256` present), else the `X-Sdk-Content-Sha256` value if present,
/// else the hex SHA-256 of the body.
///
/// **Skip rule:** if a header named exactly `Authorization` (case-sensitive) is
/// present, nothing is signed: `canonical_request`, `string_to_sign`,
/// `signed_headers` and `authorization` are empty strings, no header is added, the
/// caller's headers are passed through with trimmed values, and `path_and_query` still
/// carries the canonical query string. A differently-cased `authorization` header does
/// not trigger the rule and is signed like any other header.
pub fn sign(req: &SignableRequest<'_>, ak: &str, sk: &str, sdk_date: &str) -> Signed {
    let query = canonical_query(req.query);
    let path_and_query = if query.is_empty() {
        req.path.to_owned()
    } else {
        let mut pq = String::with_capacity(req.path.len() + 1 + query.len());
        pq.push_str(req.path);
        pq.push('?');
        pq.push_str(&query);
        pq
    };

    let mut headers: Vec<(String, String)> = Vec::with_capacity(req.headers.len() + 4);
    headers.extend(
        req.headers
            .iter()
            .map(|(name, value)| (name.clone(), trim(value).to_owned())),
    );

    if req
        .headers
        .iter()
        .any(|(name, _)| name == HEADER_AUTHORIZATION)
    {
        return Signed {
            canonical_request: String::new(),
            string_to_sign: String::new(),
            signed_headers: String::new(),
            authorization: String::new(),
            headers,
            path_and_query,
        };
    }

    let date = match find_header(&headers, HEADER_DATE) {
        Some(existing) => existing.to_owned(),
        None => {
            headers.push((HEADER_DATE.to_owned(), sdk_date.to_owned()));
            sdk_date.to_owned()
        }
    };
    let unsigned_payload = req.headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case(HEADER_CONTENT_TYPE)
            && !value.starts_with("application/json")
            && !value.starts_with("application/bson")
    });
    if unsigned_payload && find_header(&headers, HEADER_CONTENT_SHA256).is_none() {
        headers.push((
            HEADER_CONTENT_SHA256.to_owned(),
            UNSIGNED_PAYLOAD.to_owned(),
        ));
    }
    if find_header(&headers, HEADER_HOST).is_none() {
        headers.push((HEADER_HOST.to_owned(), req.authority.to_owned()));
    }

    let body_hash;
    let payload_hash = if req.body.is_empty() {
        EMPTY_BODY_SHA256
    } else if let Some(declared) = find_header(&headers, HEADER_CONTENT_SHA256) {
        declared
    } else {
        body_hash = sha256_hex(req.body);
        body_hash.as_str()
    };

    // Signed headers: every header whose name has no '_', lower-cased, sorted by name
    // (stable, so same-named headers keep their order).
    let mut signed: Vec<(String, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_lowercase(), value.as_str()))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));

    let mut signed_headers = String::with_capacity(signed.iter().map(|(n, _)| n.len() + 1).sum());
    for (i, (name, _)) in signed.iter().enumerate() {
        if i > 0 {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }

    let headers_len: usize = signed.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical_request = String::with_capacity(
        req.method.len()
            + req.path.len() * 3
            + 1
            + query.len()
            + headers_len
            + signed_headers.len()
            + payload_hash.len()
            + 8,
    );
    canonical_request.push_str(&req.method.to_uppercase());
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, req.path);
    canonical_request.push('\n');
    canonical_request.push_str(&query);
    canonical_request.push('\n');
    for (name, value) in &signed {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(value);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + date.len() + 66);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(&date);
    string_to_sign.push('\n');
    push_hex(
        &mut string_to_sign,
        &Sha256::digest(canonical_request.as_bytes()),
    );

    let mut signature = String::with_capacity(64);
    push_hex(
        &mut signature,
        &hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes()),
    );
    let authorization =
        format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_headers}, Signature={signature}");
    headers.push((HEADER_AUTHORIZATION.to_owned(), authorization.clone()));

    Signed {
        canonical_request,
        string_to_sign,
        signed_headers,
        authorization,
        headers,
        path_and_query,
    }
}

/// The official encoding E(s): keeps `A-Z a-z 0-9 - _ . ~` and writes every other
/// UTF-8 byte as `%XX` with upper-case hex (a space is `%20`, never `+`).
///
/// Also used by the client to encode path parameters, so `/` in a value becomes `%2F`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_encoded(&mut out, s);
    out
}

/// Canonical query string: the decoded `(key, value)` pairs sorted by key, then value,
/// comparing decoded text by code point (not the encoded forms), each written as
/// `E(key)=E(value)` and joined with `&`. An empty value gives `key=`; repeated keys
/// stay separate pairs. Empty input gives an empty string.
pub fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    // `str` ordering is byte-wise, which for UTF-8 is code-point order.
    order.sort_by(|&a, &b| {
        let (ka, va) = &pairs[a];
        let (kb, vb) = &pairs[b];
        (ka.as_str(), va.as_str()).cmp(&(kb.as_str(), vb.as_str()))
    });
    let len: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, &index) in order.iter().enumerate() {
        let (key, value) = &pairs[index];
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, key);
        out.push('=');
        push_encoded(&mut out, value);
    }
    out
}

/// Canonical URI: percent-decodes the whole path, splits it on `/`, applies [`encode`]
/// to each segment, joins with `/`, and appends `/` unless the result already ends
/// with one.
///
/// Consequences: `/a/b` and `/a/b/` give the same result; an encoded slash `%2F` becomes
/// a real separator; lower-case escapes come out upper-case; empty segments are kept.
/// Escapes that decode to invalid UTF-8 are replaced by U+FFFD (lossy), which is then
/// encoded as `%EF%BF%BD`.
pub fn canonical_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() * 3 + 1);
    push_canonical_uri(&mut out, path);
    out
}

/// Formats `t` as `YYYYMMDDTHHMMSSZ` in UTC, the `X-Sdk-Date` format. Times before
/// 1970 clamp to the epoch.
pub fn sdk_date(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

/// Proleptic Gregorian `(year, month, day)` of `days` since 1970-01-01.
///
/// Shifts the epoch to 0000-03-01 so the leap day is the last day of a year, then
/// splits into 400-year eras (146 097 days each), years within the era and a
/// March-based day of year.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = z / 146_097;
    let doe = z - era * 146_097; // day of era, [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of March-based year, [0, 365]
    let mp = (5 * doy + 2) / 153; // March = 0 .. February = 11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

fn push_canonical_uri(out: &mut String, path: &str) {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    for (i, segment) in decoded.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_encoded(out, segment);
    }
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// Appends `s` percent-encoded as [`encode`] does.
pub fn push_encoded(out: &mut String, s: &str) {
    for chunk in utf8_percent_encode(s, ENCODE_SET) {
        out.push_str(chunk);
    }
}

/// Trims what Python's `str.strip()` removes: Unicode whitespace plus the ASCII
/// separators U+001C..U+001F, which Rust's `char::is_whitespace` does not include.
fn trim(value: &str) -> &str {
    value.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

/// First header named `name` (ASCII case-insensitive).
fn find_header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn sha256_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &Sha256::digest(data));
    out
}

/// HMAC-SHA256 of `msg` keyed by `key` (any length).
///
/// The key is prepared as RFC 2104 prescribes (hashed when longer than the 64-byte
/// block, then zero-padded to the block) and handed to the fixed-size, infallible
/// [`KeyInit::new`]; HMAC over the prepared block equals HMAC over the raw key. This
/// avoids the `Result` of `new_from_slice`, which never fails for HMAC anyway.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut block = Key::<Hmac<Sha256>>::default();
    let hashed;
    let key = if key.len() > block.len() {
        hashed = Sha256::digest(key);
        hashed.as_slice()
    } else {
        key
    };
    for (dst, src) in block.iter_mut().zip(key) {
        *dst = *src;
    }
    let tag = <Hmac<Sha256> as KeyInit>::new(&block)
        .chain_update(msg)
        .finalize()
        .into_bytes();
    tag.into()
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> String {
        sdk_date(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn sdk_date_epoch() {
        assert_eq!(at(0), "19700101T000000Z");
    }

    #[test]
    fn sdk_date_before_epoch_clamps() {
        assert_eq!(
            sdk_date(UNIX_EPOCH - Duration::from_secs(86_400 * 365)),
            "19700101T000000Z"
        );
    }

    #[test]
    fn sdk_date_leap_day_2024() {
        // 1970..=2023: 54 years, 13 of them leap (1972..=2020) -> 19 723 days to
        // 2024-01-01; + 31 (Jan) + 28 -> 2024-02-29 is day 19 782.
        assert_eq!(at(19_782 * 86_400 + 86_399), "20240229T235959Z");
        // One second later is March 1st.
        assert_eq!(at(19_783 * 86_400), "20240301T000000Z");
    }

    #[test]
    fn sdk_date_2000_03_01() {
        // 1970..=1999: 30 years, 7 leap -> 10 957 days to 2000-01-01; 2000 is a leap
        // year (divisible by 400), so + 31 + 29 -> day 11 017.
        assert_eq!(at(11_017 * 86_400), "20000301T000000Z");
        assert_eq!(at(11_016 * 86_400), "20000229T000000Z");
    }

    #[test]
    fn sdk_date_2100_is_not_leap() {
        // 1970..=2099: 130 years, 32 leap (1972..=2096) -> 47 482 days to 2100-01-01;
        // 2100 is not leap, so + 31 + 28 -> 2100-03-01 is day 47 541.
        assert_eq!(
            at(47_541 * 86_400 + 12 * 3_600 + 34 * 60 + 56),
            "21000301T123456Z"
        );
        assert_eq!(at(47_541 * 86_400 - 1), "21000228T235959Z");
    }

    #[test]
    fn hmac_key_preparation_matches_new_from_slice() {
        for len in [0_usize, 1, 32, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
            let expected = Hmac::<Sha256>::new_from_slice(&key)
                .ok()
                .map(|m| <[u8; 32]>::from(m.chain_update(b"msg").finalize().into_bytes()));
            assert_eq!(
                Some(hmac_sha256(&key, b"msg")),
                expected,
                "key length {len}"
            );
        }
    }

    #[test]
    fn hex_is_lower_case() {
        let mut s = String::new();
        push_hex(&mut s, &[0x00, 0x0f, 0xa5, 0xff]);
        assert_eq!(s, "000fa5ff");
        assert_eq!(sha256_hex(b""), EMPTY_BODY_SHA256);
    }

    #[test]
    fn trim_matches_python_strip() {
        assert_eq!(trim("\u{1c}\t a b \u{3000}\u{1f}"), "a b");
    }
}
