//! Wire tests of the generator's fixtures (`codegen/fixtures/*.yaml`, generated
//! into `codegen/fixtures/generated/`): every body, reply and parameter construct
//! the generator supports, sent through its generated client to a server on
//! 127.0.0.1.
//!
//! Each test checks what goes on the wire byte for byte (Content-Type, the
//! encoded body, the query string of each OpenAPI style, cookies, fixed
//! parameters), that the AK/SK signature verifies over what the server received
//! (recomputed independently by `sdk_tests::wire::verify_signature`), and what
//! the client decodes from each reply. A mock server (wiremock) is used where it
//! shows everything; the raw TCP server of `sdk_tests::tcp` where the framing or
//! the pace of the bytes matters: a streamed request body, a slow or stalled
//! chunked download, a reply larger than any limit.
//!
//! Every call is bounded in time (`bounded`, 20 s) on top of the client's own
//! timeouts.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use huaweicloud_sdk_core::__private::Multipart;
use huaweicloud_sdk_fixture_bodies::{
    self as bodies, Bytes, Config, Credentials, Error, Payload, RetryPolicy,
};
use huaweicloud_sdk_fixture_composition as composition;
use huaweicloud_sdk_fixture_errors as errors;
use huaweicloud_sdk_fixture_maps as maps;
use huaweicloud_sdk_fixture_paging as paging;
use huaweicloud_sdk_fixture_params as params;
use huaweicloud_sdk_fixture_recursion as recursion;
use huaweicloud_sdk_fixture_scalars as scalars;
use sdk_tests::tcp::{RawRequest, RawServer, end_chunks, start_chunked, write_chunk, write_reply};
use sdk_tests::wire::{
    AK, PROJECT_ID, SK, USER_AGENT_PREFIX, assert_hidden, assert_signed_request, bounded,
    expect_ok, header_text, only_request, percent_decode, raw_query_pairs, received,
    received_queries, signed_mock, verify_raw_signature, verify_signature,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `X-Sdk-Content-Sha256` value of a body that is not hashed.
const UNSIGNED: &str = "UNSIGNED-PAYLOAD";

/// A signed configuration for `uri`: no retries, short timeouts.
fn config(uri: &str) -> Config {
    Config::new()
        .with_endpoint(uri)
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::aksk(AK, SK))
        .with_retry(RetryPolicy::disabled())
        .with_connect_timeout(Duration::from_secs(2))
        .with_attempt_timeout(Duration::from_secs(10))
        .with_deadline(Duration::from_secs(15))
}

/// [`config`] with up to 3 attempts and short back-off.
fn retrying(uri: &str) -> Config {
    config(uri).with_retry(
        RetryPolicy::default()
            .with_max_attempts(3)
            .with_backoff(Duration::from_millis(10), Duration::from_millis(40)),
    )
}

fn bodies_client(uri: &str) -> bodies::Client {
    expect_ok(bodies::Client::new(&config(uri)), "bodies client")
}

/// Checks the headers every signed request carries and verifies the signature.
/// `content_type` is the exact `Content-Type`; `unsigned` says whether the body
/// is declared an unsigned payload (non-JSON bodies, as the official SDK sends
/// them).
#[track_caller]
fn assert_signed(request: &Request, content_type: &str, unsigned: bool) -> Vec<String> {
    assert_eq!(
        header_text(request, "Content-Type"),
        Some(content_type),
        "Content-Type"
    );
    assert_eq!(
        request.headers.get_all("content-type").iter().count(),
        1,
        "one Content-Type header"
    );
    let expected_sha = unsigned.then_some(UNSIGNED);
    assert_eq!(
        header_text(request, "X-Sdk-Content-Sha256"),
        expected_sha,
        "X-Sdk-Content-Sha256"
    );
    assert_eq!(header_text(request, "X-Project-Id"), Some(PROJECT_ID));
    assert!(
        header_text(request, "User-Agent").is_some_and(|a| a.starts_with(USER_AGENT_PREFIX)),
        "User-Agent"
    );
    let names = verify_signature(request, AK, SK)
        .unwrap_or_else(|e| panic!("the signature does not verify: {e}"));
    let mut required = vec!["content-type", "host", "x-project-id", "x-sdk-date"];
    if unsigned {
        required.push("x-sdk-content-sha256");
    }
    for name in required {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is not signed: {names:?}"
        );
    }
    names
}

/// [`assert_signed`] for a request the raw server received.
#[track_caller]
fn assert_raw_signed(request: &RawRequest, content_type: &str, unsigned: bool) {
    assert_eq!(request.header("Content-Type"), Some(content_type));
    assert_eq!(
        request.header("X-Sdk-Content-Sha256"),
        unsigned.then_some(UNSIGNED)
    );
    let names = verify_raw_signature(request, AK, SK)
        .unwrap_or_else(|e| panic!("the signature does not verify: {e}"));
    if unsigned {
        assert!(
            names.iter().any(|n| n == "x-sdk-content-sha256"),
            "{names:?}"
        );
    }
}

/// A `application/x-www-form-urlencoded` body read back (`+` is a space).
fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8(body.to_vec()).unwrap_or_else(|e| panic!("form body: {e}"));
    for byte in text.bytes() {
        assert!(
            byte.is_ascii_alphanumeric() || b"*-._+%&=".contains(&byte),
            "byte {:?} must be percent-encoded in a form body: {text}",
            char::from(byte)
        );
    }
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let d = |s: &str| percent_decode(&s.replace('+', " "));
            (d(k), d(v))
        })
        .collect()
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, PartialEq)]
struct Part {
    /// The header lines, as sent.
    headers: Vec<String>,
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

/// A part as (name, file name, Content-Type, data).
type PartSummary<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

/// Reads a `multipart/form-data` body back (RFC 7578, RFC 2046 §5.1.1): the
/// boundary from the `Content-Type`, the body as `--boundary CRLF part CRLF ...
/// --boundary-- CRLF`, each part as header lines, a blank line and the data.
/// Panics on anything malformed.
fn parse_multipart(content_type: &str, body: &[u8]) -> (String, Vec<Part>) {
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not a multipart Content-Type: {content_type:?}"))
        .to_owned();
    assert!(
        (1..=70).contains(&boundary.len())
            && boundary
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"'()+_,-./:=?".contains(&b)),
        "RFC 2046 boundary: {boundary:?}"
    );
    let delimiter = format!("\r\n--{boundary}");
    // The first delimiter has no CRLF before it; give it one to split uniformly.
    let mut text = b"\r\n".to_vec();
    text.extend_from_slice(body);
    let pieces = split_bytes(&text, delimiter.as_bytes());
    assert!(
        pieces.first().is_some_and(|p| p.is_empty()),
        "the body must start with --boundary"
    );
    let last = pieces.last().copied().unwrap_or_default();
    assert_eq!(last, b"--\r\n", "the body must end with --boundary-- CRLF");
    let mut parts = Vec::new();
    for piece in &pieces[1..pieces.len() - 1] {
        let piece = piece
            .strip_prefix(b"\r\n")
            .unwrap_or_else(|| panic!("a delimiter must end with CRLF"));
        let split = find_bytes(piece, b"\r\n\r\n")
            .unwrap_or_else(|| panic!("a part without a blank line after its headers"));
        let head = String::from_utf8(piece[..split].to_vec())
            .unwrap_or_else(|e| panic!("part headers: {e}"));
        let data = piece[split + 4..].to_vec();
        let headers: Vec<String> = head.split("\r\n").map(str::to_owned).collect();
        let mut name = None;
        let mut filename = None;
        let mut part_type = None;
        for line in &headers {
            let (field, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("part header line {line:?}"));
            match field.to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    let mut params = value.split("; ");
                    assert_eq!(params.next(), Some("form-data"), "{line}");
                    for param in params {
                        let (k, v) = param
                            .split_once('=')
                            .unwrap_or_else(|| panic!("parameter {param:?}"));
                        let v = v
                            .strip_prefix('"')
                            .and_then(|v| v.strip_suffix('"'))
                            .unwrap_or_else(|| panic!("unquoted {param:?}"))
                            .to_owned();
                        match k {
                            "name" => name = Some(v),
                            "filename" => filename = Some(v),
                            other => panic!("unexpected parameter {other}"),
                        }
                    }
                }
                "content-type" => part_type = Some(value.to_owned()),
                other => panic!("unexpected part header {other}"),
            }
        }
        parts.push(Part {
            headers,
            name: name.unwrap_or_else(|| panic!("a part without a name")),
            filename,
            content_type: part_type,
            data,
        });
    }
    (boundary, parts)
}

fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split_bytes<'a>(mut haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    while let Some(at) = find_bytes(haystack, needle) {
        out.push(&haystack[..at]);
        haystack = &haystack[at + needle.len()..];
    }
    out.push(haystack);
    out
}

/// A stream of `items`, each its own chunk.
fn stream_of(items: &[&'static str]) -> Payload {
    let items: Vec<Result<Bytes, std::io::Error>> = items
        .iter()
        .map(|s| Ok(Bytes::from_static(s.as_bytes())))
        .collect();
    Payload::from_stream(futures_util::stream::iter(items))
}

/// Mounts a reply for any request.
async fn reply_with(server: &MockServer, template: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(server)
        .await;
}

// ---------------------------------------------------------------------------
// Form bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn form_body_is_urlencoded_and_sent_as_an_unsigned_payload() {
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = bodies_client(&server.uri());
    let body = bodies::models::SubmitFormBody::new("a b&c=d/é+~")
        .with_tags(vec!["x".to_owned(), "y z".to_owned()]);
    expect_ok(bounded(client.submit_form(body)).await, "submit_form");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/forms");
    assert_eq!(request.url.query(), None);
    assert_signed(&request, "application/x-www-form-urlencoded", true);
    // WHATWG urlencoded serializer: space as +, everything but
    // ALPHA / DIGIT / * - . _ percent-encoded; a list repeats the name.
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "name=a+b%26c%3Dd%2F%C3%A9%2B%7E&tags=x&tags=y+z"
    );
    assert_eq!(
        parse_form(&request.body),
        [
            ("name".to_owned(), "a b&c=d/é+~".to_owned()),
            ("tags".to_owned(), "x".to_owned()),
            ("tags".to_owned(), "y z".to_owned()),
        ]
    );
    assert_eq!(
        header_text(&request, "Content-Length"),
        Some(request.body.len().to_string().as_str())
    );
}

#[tokio::test]
async fn form_body_leaves_out_absent_fields() {
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = bodies_client(&server.uri());
    expect_ok(
        bounded(client.submit_form(bodies::models::SubmitFormBody::new("solo"))).await,
        "submit_form",
    );
    let request = only_request(&server).await;
    assert_eq!(String::from_utf8_lossy(&request.body), "name=solo");
    assert_signed(&request, "application/x-www-form-urlencoded", true);
}

// ---------------------------------------------------------------------------
// Multipart bodies
// ---------------------------------------------------------------------------

/// A file with bytes a text codec would mangle, CRLFs and a fake delimiter.
const FILE: &[u8] = b"\x00\x01\xff\r\n--not-the-boundary\r\n\x89PNG\r\n";

#[tokio::test]
async fn multipart_body_has_one_part_per_field_and_a_boundary_found_in_none() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({"id": "f-1"})),
    )
    .await;
    let client = bodies_client(&server.uri());
    let body = bodies::models::UploadFileBody::new(Bytes::from_static(FILE))
        .with_thumbnail(Bytes::from_static(b"thumb"))
        .with_description("quarterly \"report\"\r\nline 2 é")
        .with_meta(bodies::models::UploadFileBodyMeta::default().with_size(42));
    let reply = expect_ok(bounded(client.upload_file(body)).await, "upload_file");
    assert_eq!(reply.id.as_deref(), Some("f-1"), "the 201 reply decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/files");
    let content_type = header_text(&request, "Content-Type").unwrap_or_default();
    let (boundary, parts) = parse_multipart(content_type, &request.body);
    assert_signed(&request, content_type, true);
    for part in &parts {
        assert!(
            find_bytes(&part.data, boundary.as_bytes()).is_none(),
            "the boundary occurs in part {}",
            part.name
        );
    }
    let summary: Vec<PartSummary<'_>> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.filename.as_deref(),
                p.content_type.as_deref(),
                p.data.as_slice(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("file", Some("file"), Some("application/octet-stream"), FILE),
            (
                "thumbnail",
                Some("thumbnail"),
                Some("application/octet-stream"),
                b"thumb".as_slice()
            ),
            (
                "description",
                None,
                None,
                "quarterly \"report\"\r\nline 2 é".as_bytes()
            ),
            // OpenAPI 3.0.3 §4.7.14: an object property's part is application/json.
            (
                "meta",
                None,
                Some("application/json"),
                br#"{"size":42}"#.as_slice()
            ),
        ]
    );
    // And byte for byte, as RFC 7578 frames it.
    let mut expected: Vec<u8> = Vec::new();
    for (name, file, part_type, data) in &summary {
        expected.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => {
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n")
            }
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        expected.extend_from_slice(disposition.as_bytes());
        if let Some(t) = part_type {
            expected.extend_from_slice(format!("Content-Type: {t}\r\n").as_bytes());
        }
        expected.extend_from_slice(b"\r\n");
        expected.extend_from_slice(data);
        expected.extend_from_slice(b"\r\n");
    }
    expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
}

#[tokio::test]
async fn multipart_boundary_changes_when_a_part_contains_it() {
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(201).set_body_json(json!({}))).await;
    let client = bodies_client(&server.uri());
    // First learn the boundary the client picks for a harmless file ...
    expect_ok(
        bounded(
            client.upload_file(bodies::models::UploadFileBody::new(Bytes::from_static(
                b"x",
            ))),
        )
        .await,
        "upload_file",
    );
    let first = only_request(&server).await;
    let first_type = header_text(&first, "Content-Type")
        .unwrap_or_default()
        .to_owned();
    let (boundary, parts) = parse_multipart(&first_type, &first.body);
    assert_eq!(
        parts.len(),
        1,
        "absent optional parts are left out: {parts:?}"
    );
    // ... then upload a file that contains exactly that delimiter.
    let trap = format!("before\r\n--{boundary}\r\nafter--{boundary}--");
    expect_ok(
        bounded(
            client.upload_file(bodies::models::UploadFileBody::new(Bytes::from(
                trap.clone().into_bytes(),
            ))),
        )
        .await,
        "upload_file",
    );
    let all = received(&server).await;
    let second = &all[1];
    let second_type = header_text(second, "Content-Type").unwrap_or_default();
    let (other, parts) = parse_multipart(second_type, &second.body);
    assert_ne!(other, boundary, "the boundary must change");
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].data, trap.as_bytes(), "the file arrives whole");
    assert_signed(second, second_type, true);
}

// ---------------------------------------------------------------------------
// Binary uploads
// ---------------------------------------------------------------------------

#[tokio::test]
async fn binary_upload_from_bytes_is_sent_as_is() {
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(200)).await;
    let client = bodies_client(&server.uri());
    let data: Vec<u8> = (0..=255u8).rev().collect();
    expect_ok(
        bounded(client.put_blob("a/b c", Payload::from(data.clone()))).await,
        "put_blob",
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        request.url.path(),
        "/v1/blobs/a%2Fb%20c",
        "one encoded segment"
    );
    assert_eq!(request.body, data);
    assert_eq!(header_text(&request, "Content-Length"), Some("256"));
    assert_eq!(header_text(&request, "Transfer-Encoding"), None);
    assert_signed(&request, "application/octet-stream", true);
}

#[tokio::test]
async fn stream_upload_is_chunked_and_signed_as_an_unsigned_payload() {
    let server = RawServer::start(|_, _, mut stream| async move {
        write_reply(&mut stream, "200 OK", &[], b"").await;
    })
    .await;
    let client = bodies_client(&server.uri());
    expect_ok(
        bounded(client.put_blob("blob-1", stream_of(&["alpha", "beta", "gamma!"]))).await,
        "put_blob",
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("PUT", "/v1/blobs/blob-1")
    );
    assert_eq!(request.header("Transfer-Encoding"), Some("chunked"));
    assert_eq!(
        request.header("Content-Length"),
        None,
        "a stream has no length"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.wire_body),
        "5\r\nalpha\r\n4\r\nbeta\r\n6\r\ngamma!\r\n0\r\n\r\n",
        "each item of the stream is one chunk"
    );
    assert_eq!(request.body, b"alphabetagamma!");
    assert_eq!(request.header("Host"), Some(server.authority().as_str()));
    assert_raw_signed(request, "application/octet-stream", true);
}

#[tokio::test]
async fn stream_body_is_not_retried_after_503_while_a_bytes_body_is() {
    // Every request gets a 503 first, then 200s.
    let handler = |index: usize, _: RawRequest, mut stream: tokio::net::TcpStream| async move {
        let status = if index == 0 {
            "503 Service Unavailable"
        } else {
            "200 OK"
        };
        let body = br#"{"error_code":"SYS.0503","error_msg":"busy"}"#;
        write_reply(
            &mut stream,
            status,
            &[
                ("Content-Type", "application/json"),
                ("X-Request-Id", "r-503"),
            ],
            body,
        )
        .await;
    };

    // A stream: sent once, the 503 is the answer.
    let server = RawServer::start(handler).await;
    let client = expect_ok(bodies::Client::new(&retrying(&server.uri())), "client");
    let started = Instant::now();
    let result = bounded(client.put_blob("b", stream_of(&["only", "once"]))).await;
    let elapsed = started.elapsed();
    match result {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 503);
            assert_eq!(api.attempts, 1, "a stream cannot be sent again");
            assert_eq!(api.error_code, "SYS.0503");
        }
        other => panic!("expected the 503 as Error::Api, got {other:?}"),
    }
    // Give a (wrong) retry the time to arrive before counting.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "the stream was sent {} times",
        requests.len()
    );
    assert_eq!(requests[0].body, b"onlyonce");
    assert_raw_signed(&requests[0], "application/octet-stream", true);
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");

    // Bytes: the same 503 is retried (PUT is idempotent) and the retry succeeds.
    let server = RawServer::start(handler).await;
    let client = expect_ok(bodies::Client::new(&retrying(&server.uri())), "client");
    expect_ok(
        bounded(client.put_blob("b", Payload::from("only once"))).await,
        "put_blob",
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "bytes are sent again after a 503");
    for request in &requests {
        assert_eq!(request.body, b"only once", "the same body each time");
        assert_eq!(request.header("Content-Length"), Some("9"));
        assert_raw_signed(request, "application/octet-stream", true);
    }
}

#[tokio::test]
async fn bytes_body_is_resent_whole_by_a_mock_server_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    reply_with(&server, ResponseTemplate::new(200)).await;
    let client = expect_ok(bodies::Client::new(&retrying(&server.uri())), "client");
    expect_ok(
        bounded(client.put_blob("b", Payload::from(vec![7u8; 1000]))).await,
        "put_blob",
    );
    let all = received(&server).await;
    assert_eq!(all.len(), 2);
    for request in &all {
        assert_eq!(request.body, vec![7u8; 1000]);
        assert_signed(request, "application/octet-stream", true);
    }
}

// ---------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------

/// Bytes that are not text.
fn blob(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[tokio::test]
async fn download_read_whole() {
    let server = MockServer::start().await;
    let data = blob(300_000);
    Mock::given(method("GET"))
        .and(path("/v1/blobs/b-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "dl-1")
                .set_body_raw(data.clone(), "application/octet-stream"),
        )
        .mount(&server)
        .await;
    let client = bodies_client(&server.uri());
    let download = expect_ok(bounded(client.get_blob("b-1")).await, "get_blob");
    assert_eq!(download.status(), 200);
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.request_id(), Some("dl-1"));
    assert_eq!(download.content_length(), Some(300_000));
    let shown = format!("{download:?}");
    assert!(shown.contains("get_blob") && shown.len() < 400, "{shown}");
    let bytes = expect_ok(bounded(download.bytes()).await, "bytes");
    assert_eq!(bytes.len(), data.len());
    assert!(bytes == data, "the download arrives unchanged");

    let request = only_request(&server).await;
    assert_eq!(request.body, b"", "a GET has no body");
    assert_signed(&request, "application/json", false);
}

#[tokio::test]
async fn download_read_in_chunks_as_the_server_sends_them() {
    // The server sends the next chunk only once the test has read the previous
    // one: a client that buffered the whole body before returning would hang.
    let read = Arc::new(tokio::sync::Notify::new());
    let pieces: Vec<Vec<u8>> = (0..5u8)
        .map(|i| vec![b'a' + i; 1000 + usize::from(i)])
        .collect();
    let server = {
        let read = Arc::clone(&read);
        let pieces = pieces.clone();
        RawServer::start(move |_, _, mut stream| {
            let read = Arc::clone(&read);
            let pieces = pieces.clone();
            async move {
                if !start_chunked(
                    &mut stream,
                    "200 OK",
                    &[
                        ("Content-Type", "application/zip"),
                        ("X-Request-Id", "dl-2"),
                    ],
                )
                .await
                {
                    return;
                }
                for piece in &pieces {
                    if !write_chunk(&mut stream, piece).await {
                        return;
                    }
                    read.notified().await;
                    // Slow: the whole body takes longer than the attempt timeout.
                    tokio::time::sleep(Duration::from_millis(350)).await;
                }
                end_chunks(&mut stream).await;
            }
        })
        .await
    };
    let config = config(&server.uri()).with_attempt_timeout(Duration::from_secs(1));
    let client = expect_ok(bodies::Client::new(&config), "client");
    let started = Instant::now();
    let mut download = expect_ok(bounded(client.get_blob("zip")).await, "get_blob");
    assert_eq!(download.content_type(), Some("application/zip"));
    assert_eq!(download.request_id(), Some("dl-2"));
    assert_eq!(download.content_length(), None, "chunked: no length");
    let mut got: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    while let Some(chunk) = expect_ok(bounded(download.chunk()).await, "chunk") {
        current.extend_from_slice(&chunk);
        // Chunks may arrive split; a piece is whole when its length is reached.
        if got.len() < pieces.len() && current.len() == pieces[got.len()].len() {
            got.push(std::mem::take(&mut current));
            read.notify_one();
        }
    }
    assert_eq!(got, pieces, "every piece, in order");
    assert!(current.is_empty());
    assert!(
        started.elapsed() > Duration::from_millis(1500),
        "the download took longer than the attempt timeout of 1 s, and still completed"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn download_that_stalls_ends_with_a_timeout() {
    let server = RawServer::start(|_, _, mut stream| async move {
        if start_chunked(
            &mut stream,
            "200 OK",
            &[("Content-Type", "application/octet-stream")],
        )
        .await
        {
            write_chunk(&mut stream, b"first").await;
            // Then nothing, for longer than the test waits.
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    })
    .await;
    let config = config(&server.uri()).with_attempt_timeout(Duration::from_millis(700));
    let client = expect_ok(bodies::Client::new(&config), "client");
    let mut download = expect_ok(bounded(client.get_blob("stall")).await, "get_blob");
    let first = expect_ok(bounded(download.chunk()).await, "chunk");
    assert_eq!(first.as_deref(), Some(b"first".as_slice()));
    let started = Instant::now();
    match bounded(download.chunk()).await {
        Err(Error::Timeout(t)) => {
            assert_eq!(t.after, Duration::from_millis(700), "{t}");
        }
        other => panic!("a stalled download should time out, got {other:?}"),
    }
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(600) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[tokio::test]
async fn download_over_the_limit_is_refused_whole_but_readable_in_chunks() {
    let server = MockServer::start().await;
    let secret_start = b"-----BEGIN PRIVATE KEY----- do-not-print";
    let mut data = secret_start.to_vec();
    data.extend_from_slice(&blob(100_000));
    reply_with(
        &server,
        ResponseTemplate::new(200).set_body_raw(data.clone(), "application/octet-stream"),
    )
    .await;
    let config = config(&server.uri()).with_max_response_bytes(64 * 1024);
    let client = expect_ok(bodies::Client::new(&config), "client");

    let download = expect_ok(bounded(client.get_blob("big")).await, "get_blob");
    match bounded(download.bytes()).await {
        Err(Error::Decode(d)) => {
            assert!(d.message.contains("65536"), "{d}");
            assert!(d.message.contains("chunk()"), "says what to do: {d}");
            let shown = format!("{d} {d:?}");
            assert_hidden(
                &shown,
                "do-not-print",
                "get_blob",
                "a refused download's error",
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    let download = expect_ok(bounded(client.get_blob("big")).await, "get_blob");
    let whole = expect_ok(bounded(download.bytes_up_to(200_000)).await, "bytes_up_to");
    assert!(
        whole == data,
        "bytes_up_to with a larger limit reads it all"
    );
    let mut download = expect_ok(bounded(client.get_blob("big")).await, "get_blob");
    let mut total = Vec::new();
    while let Some(chunk) = expect_ok(bounded(download.chunk()).await, "chunk") {
        total.extend_from_slice(&chunk);
    }
    assert!(total == data, "chunk() is not bounded by the limit");
}

#[tokio::test]
async fn download_of_an_endless_body_stops_at_the_limit() {
    let server = RawServer::start(|_, _, mut stream| async move {
        if start_chunked(
            &mut stream,
            "200 OK",
            &[("Content-Type", "application/octet-stream")],
        )
        .await
        {
            let piece = vec![b'z'; 16 * 1024];
            // Until the client hangs up (at most 4 GiB).
            for _ in 0..(1 << 18) {
                if !write_chunk(&mut stream, &piece).await {
                    return;
                }
            }
        }
    })
    .await;
    let config = config(&server.uri()).with_max_response_bytes(256 * 1024);
    let client = expect_ok(bodies::Client::new(&config), "client");
    let download = expect_ok(bounded(client.get_blob("endless")).await, "get_blob");
    let started = Instant::now();
    match bounded(download.bytes()).await {
        Err(Error::Decode(d)) => assert!(d.message.contains("262144"), "{d}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn download_error_reply_is_an_api_error() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(404)
            .insert_header("X-Request-Id", "r-404")
            .set_body_json(json!({"error_code": "BLOB.404", "error_msg": "no such blob"})),
    )
    .await;
    let client = bodies_client(&server.uri());
    match bounded(client.get_blob("gone")).await {
        Err(Error::Api(api)) => {
            assert_eq!(
                (
                    api.status,
                    api.error_code.as_str(),
                    api.request_id.as_deref()
                ),
                (404, "BLOB.404", Some("r-404"))
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Text bodies and replies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn text_body_and_text_reply() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(200).set_body_raw("<p>rendered ü</p>", "text/html; charset=utf-8"),
    )
    .await;
    let client = bodies_client(&server.uri());
    let html = expect_ok(
        bounded(
            client
                .post_note()
                .body("<b>note</b> ü\r\n{\"not\": \"json\"}"),
        )
        .await,
        "post_note",
    );
    assert_eq!(html, "<p>rendered ü</p>");
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "<b>note</b> ü\r\n{\"not\": \"json\"}"
    );
    assert_signed(&request, "text/plain", true);
}

#[tokio::test]
async fn text_reply_that_is_not_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(200).set_body_raw(b"\xff\xfe bad".to_vec(), "text/html"),
    )
    .await;
    let client = bodies_client(&server.uri());
    match bounded(client.post_note()).await {
        Err(Error::Decode(d)) => assert!(d.message.contains("UTF-8"), "{d}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    // Without a body: nothing is sent, and the request is signed as bodyless.
    let request = only_request(&server).await;
    assert!(request.body.is_empty());
    assert_signed(&request, "application/json", false);
}

// ---------------------------------------------------------------------------
// Several media types: the raw-body alternative
// ---------------------------------------------------------------------------

#[tokio::test]
async fn typed_body_is_json_and_raw_bodies_keep_their_media_type() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"theme": "dark", "size": 3})),
    )
    .await;
    let client = bodies_client(&server.uri());
    let settings = bodies::models::Settings::default()
        .with_theme("dark")
        .with_size(3);
    let cases: Vec<(Option<&str>, &str, &str, bool)> = vec![
        // (raw Content-Type, body sent, Content-Type on the wire, unsigned)
        (
            None,
            r#"{"theme":"dark","size":3}"#,
            "application/json",
            false,
        ),
        (
            Some("application/merge-patch+json"),
            r#"{"size":null}"#,
            "application/merge-patch+json",
            true,
        ),
        (
            Some("application/x-www-form-urlencoded"),
            "theme=dark&size=3",
            "application/x-www-form-urlencoded",
            true,
        ),
        // A media type's parameters keep their case: a boundary is case-sensitive.
        (
            Some("multipart/form-data; boundary=AbC-123"),
            "--AbC-123\r\nContent-Disposition: form-data; name=\"theme\"\r\n\r\ndark\r\n--AbC-123--\r\n",
            "multipart/form-data; boundary=AbC-123",
            true,
        ),
    ];
    for (raw, body, _, _) in &cases {
        let mut call = client.patch_settings(settings.clone());
        if let Some(content_type) = raw {
            call = call.raw_body(*content_type, Payload::from(body.to_string()));
        }
        let reply = expect_ok(bounded(call).await, "patch_settings");
        assert_eq!(
            reply,
            bodies::operations::PatchSettingsReply::Ok(settings.clone())
        );
    }
    let all = received(&server).await;
    assert_eq!(all.len(), cases.len());
    for (request, (_, body, content_type, unsigned)) in all.iter().zip(&cases) {
        assert_eq!(request.method.as_str(), "PATCH");
        assert_eq!(String::from_utf8_lossy(&request.body), *body);
        assert_signed(request, content_type, *unsigned);
    }
}

#[tokio::test]
async fn raw_json_body_from_a_stream_is_signed_as_an_unsigned_payload() {
    // A stream cannot be hashed before it is sent, whatever its media type.
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = bodies_client(&server.uri());
    let reply = expect_ok(
        bounded(
            client
                .patch_settings(bodies::models::Settings::default())
                .raw_body(
                    "application/json",
                    stream_of(&["{\"theme\":", "\"light\"}"]),
                ),
        )
        .await,
        "patch_settings",
    );
    assert_eq!(reply, bodies::operations::PatchSettingsReply::NoContent);
    let request = only_request(&server).await;
    assert_eq!(request.body, br#"{"theme":"light"}"#);
    assert_signed(&request, "application/json", true);
}

// ---------------------------------------------------------------------------
// Replies by status, default replies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn reply_by_status_decodes_each_documented_status_and_keeps_others() {
    use bodies::operations::PatchSettingsReply;
    let settings = bodies::models::Settings::default()
        .with_theme("dark")
        .with_size(3);
    let mut accepted = bodies::models::PatchSettingsResponse::default();
    accepted.job_id = Some("j-9".to_owned());
    let cases = [
        (
            ResponseTemplate::new(200).set_body_json(json!({"theme": "dark", "size": 3, "new": 1})),
            PatchSettingsReply::Ok(settings.clone()),
        ),
        (
            ResponseTemplate::new(202).set_body_json(json!({"job_id": "j-9"})),
            PatchSettingsReply::Accepted(accepted),
        ),
        (ResponseTemplate::new(204), PatchSettingsReply::NoContent),
        // An undocumented 2xx: its status, the body not read.
        (
            ResponseTemplate::new(203).set_body_raw("<not json>", "text/html"),
            PatchSettingsReply::Other(203),
        ),
    ];
    for (template, expected) in cases {
        let server = MockServer::start().await;
        reply_with(&server, template).await;
        let client = bodies_client(&server.uri());
        let reply = expect_ok(
            bounded(client.patch_settings(settings.clone())).await,
            "patch_settings",
        );
        assert_eq!(reply, expected);
        let request = only_request(&server).await;
        assert_eq!(request.body, br#"{"theme":"dark","size":3}"#);
        assert_signed(&request, "application/json", false);
    }

    // A documented status whose body does not decode is a Decode error...
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(202).set_body_json(json!({"job_id": {"id": 7}})),
    )
    .await;
    let client = bodies_client(&server.uri());
    match bounded(client.patch_settings(settings.clone())).await {
        Err(Error::Decode(d)) => assert_eq!((d.status, d.path.as_str()), (202, "job_id"), "{d}"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    // ... and an error status is an API error.
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(409)
            .set_body_json(json!({"error_code": "SET.409", "error_msg": "conflict"})),
    )
    .await;
    let client = bodies_client(&server.uri());
    match bounded(client.patch_settings(settings)).await {
        Err(Error::Api(api)) => assert_eq!((api.status, api.error_code.as_str()), (409, "SET.409")),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn default_reply_is_the_body_of_any_success_status() {
    for status in [200u16, 201] {
        let server = MockServer::start().await;
        reply_with(
            &server,
            ResponseTemplate::new(status).set_body_json(json!({"ok": status == 200})),
        )
        .await;
        let client = bodies_client(&server.uri());
        let health = expect_ok(bounded(client.check_health()).await, "check_health");
        assert_eq!(health.ok, Some(status == 200), "HTTP {status}");
        let request = only_request(&server).await;
        assert_eq!(
            (request.method.as_str(), request.url.path()),
            ("GET", "/v1/health")
        );
        assert_signed(&request, "application/json", false);
    }
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(500)
            .set_body_json(json!({"error_code": "SYS.500", "error_msg": "down", "ok": false})),
    )
    .await;
    let client = bodies_client(&server.uri());
    match bounded(client.check_health()).await {
        Err(Error::Api(api)) => assert_eq!(api.status, 500),
        other => panic!("an error status is an Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Secrets in what the client prints
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bodies_print_no_content() {
    let secret = "hunter2-body-secret";
    let bytes = Payload::from(secret.to_owned());
    assert_eq!(
        format!("{bytes:?}"),
        format!("Payload({} bytes)", secret.len())
    );
    let stream = stream_of(&["hunter2-", "stream"]);
    assert_eq!(format!("{stream:?}"), "Payload(stream)");

    let mut form = Multipart::new();
    form.text("password", secret);
    form.file("key", Bytes::from_static(b"hunter2-file-secret"));
    let shown = format!("{form:?}");
    assert_hidden(&shown, "hunter2", "password", "Debug of a Multipart");
    assert!(shown.contains("key"), "{shown}");

    let server = MockServer::start().await;
    let client = bodies_client(&server.uri());
    let builder = client.put_blob("b", Payload::from(secret.to_owned()));
    assert_hidden(
        &format!("{builder:?}"),
        secret,
        "Payload(",
        "Debug of put_blob",
    );
    let builder = client
        .patch_settings(bodies::models::Settings::default())
        .raw_body("text/plain", Payload::from(secret.to_owned()));
    assert_hidden(
        &format!("{builder:?}"),
        secret,
        "Payload(",
        "Debug of patch_settings",
    );
    assert_hidden(
        &format!("{client:?}"),
        SK,
        "127.0.0.1",
        "Debug of the client",
    );

    // File fields of a model (and of a builder holding it) show their size.
    let body = bodies::models::UploadFileBody::new(Bytes::from_static(b"PRIVATE-KEY-abc"));
    let shown = format!("{body:?}");
    assert_hidden(&shown, "PRIVATE-KEY", "<15 bytes>", "Debug of a file field");
    let builder = client.upload_file(body);
    assert_hidden(
        &format!("{builder:?}"),
        "PRIVATE-KEY",
        "<15 bytes>",
        "Debug of upload_file",
    );
}

// ---------------------------------------------------------------------------
// Parameters in every style
// ---------------------------------------------------------------------------

fn params_client(uri: &str) -> params::Client {
    expect_ok(params::Client::new(&config(uri)), "params client")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// OpenAPI 3.0.3 §4.7.12.4 (style examples), for the array `blue, black, brown`
/// and the object `{x: 1, y: 2}` (the spec's `R, G, B` object):
///
/// | style | explode | the spec's rendering | sent |
/// |---|---|---|---|
/// | form | true | `color=blue&color=black&color=brown` | the same |
/// | form | false | `color=blue,black,brown` | the same (literal commas) |
/// | spaceDelimited | false | `blue%20black%20brown` | `words=blue%20black%20brown` |
/// | pipeDelimited | false | `blue\|black\|brown` | `codes=blue%7Cblack%7Cbrown` (RFC 3986 has no literal `\|` in a query) |
/// | deepObject | true | `color[R]=100&color[G]=200` | `filter%5Bcolor%5D=red&filter%5Bsize%5D=2` (brackets encoded, RFC 3986) |
/// | form (object) | true | `R=100&G=200&B=150` | `x=1&y=2` |
///
/// Pairs go out sorted by name (as the signature's canonical query is), each
/// name's values in the order given.
#[tokio::test]
async fn query_styles_cookies_headers_and_the_fixed_parameter() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([{"id": 1}, {"id": 2}])),
    )
    .await;
    let client = params_client(&server.uri());
    let items = expect_ok(
        bounded(
            client
                .list_items(params::models::RegionName::CnNorth4)
                .x_trace(true)
                .ids(vec![5, 3, 4])
                .names(strings(&["blue", "black", "brown"]))
                .words(strings(&["blue", "black", "brown"]))
                .codes(strings(&["blue", "black", "brown"]))
                .filter(
                    params::models::ListItemsFilter::default()
                        .with_color("red")
                        .with_size(2),
                )
                .point(
                    params::models::ListItemsPoint::default()
                        .with_x(1)
                        .with_y(2),
                )
                .sort(params::models::Sort::Desc)
                .r#where(params::models::ListItemsWhere::default().with_field("a b"))
                .session("s-123")
                .x_page(2),
        )
        .await,
        "list_items",
    );
    let ids: Vec<Option<i64>> = items.iter().map(|i| i.id).collect();
    assert_eq!(ids, [Some(1), Some(2)], "the array reply decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/regions/cn-north-4/items");
    assert_eq!(
        request.url.query(),
        Some(
            "codes=blue%7Cblack%7Cbrown\
             &filter%5Bcolor%5D=red&filter%5Bsize%5D=2\
             &ids=5&ids=3&ids=4\
             &include_deleted=false\
             &names=blue,black,brown\
             &sort=desc\
             &where=%7B%22field%22%3A%22a%20b%22%7D\
             &words=blue%20black%20brown\
             &x=1&y=2"
        )
    );
    let decoded = raw_query_pairs(request.url.query().unwrap_or_default());
    let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert_eq!(
        decoded,
        [
            p("codes", "blue|black|brown"),
            p("filter[color]", "red"),
            p("filter[size]", "2"),
            p("ids", "5"),
            p("ids", "3"),
            p("ids", "4"),
            p("include_deleted", "false"),
            p("names", "blue,black,brown"),
            p("sort", "desc"),
            p("where", r#"{"field":"a b"}"#),
            p("words", "blue black brown"),
            p("x", "1"),
            p("y", "2"),
        ],
        "decoded, the pairs are the spec's renderings"
    );
    let cookies: Vec<&str> = request
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(cookies, ["session=s-123"], "one Cookie header");
    assert_eq!(header_text(&request, "X-Trace"), Some("true"));
    assert_eq!(header_text(&request, "X-Page"), Some("2"));
    let signed = assert_signed(&request, "application/json", false);
    for name in ["cookie", "x-trace", "x-page"] {
        assert!(
            signed.iter().any(|n| n == name),
            "{name} unsigned: {signed:?}"
        );
    }
}

#[tokio::test]
async fn query_values_holding_their_separator_stay_apart_and_empty_lists() {
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = params_client(&server.uri());
    // A comma inside an item of a form list is encoded; the separators are not.
    expect_ok(
        bounded(
            client
                .list_items(params::models::RegionName::ApSoutheast1)
                .names(strings(&["a,b", "c d", "é&="]))
                .ids(Vec::new())
                .filter(params::models::ListItemsFilter::default().with_color("x y&z"))
                .session("a b;c=d\"é"),
        )
        .await,
        "list_items",
    );
    // Only the fixed parameter, when nothing optional is set.
    expect_ok(
        bounded(client.list_items(params::models::RegionName::ApSoutheast1)).await,
        "list_items",
    );
    // An empty form list is `name=` (the spec's "empty" column).
    expect_ok(
        bounded(
            client
                .list_items(params::models::RegionName::CnNorth4)
                .names(Vec::new()),
        )
        .await,
        "list_items",
    );
    let all = received(&server).await;
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].url.path(), "/v1/regions/ap-southeast-1/items");
    assert_eq!(
        all[0].url.query(),
        Some(
            "filter%5Bcolor%5D=x%20y%26z&include_deleted=false\
             &names=a%2Cb,c%20d,%C3%A9%26%3D"
        ),
        "an exploded empty list sends nothing"
    );
    // A cookie value cannot hold `;`, `"`, spaces or non-ASCII: percent-encoded.
    assert_eq!(
        header_text(&all[0], "Cookie"),
        Some("session=a%20b%3Bc=d%22%C3%A9")
    );
    assert_eq!(all[1].url.query(), Some("include_deleted=false"));
    assert_eq!(header_text(&all[1], "Cookie"), None, "no cookie, no header");
    assert_eq!(all[2].url.query(), Some("include_deleted=false&names="));
    for request in &all {
        assert_signed(request, "application/json", false);
    }
}

/// The fixtures have one cookie parameter per operation; several cookies are
/// written by the runtime the way generated code calls it.
#[tokio::test]
async fn several_cookies_go_in_one_cookie_header() {
    use huaweicloud_sdk_core::__private::{
        In, OperationInfo, Request as Call, ServiceClient, ServiceInfo, Style,
    };
    use huaweicloud_sdk_core::Method;
    static SERVICE: ServiceInfo = ServiceInfo {
        name: "cookies",
        env_key: "COOKIES",
        endpoint_template: "",
        endpoints: &[],
    };
    static EAT: OperationInfo = OperationInfo {
        id: "eat_cookies",
        method: Method::Get,
        path: "/v1/jar",
        client_params: &[],
        success_status: 204,
    };
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = expect_ok(
        ServiceClient::new(&config(&server.uri()), &SERVICE),
        "client",
    );
    let mut call = Call::new(&EAT);
    call.cookie("session", "s-1");
    expect_ok(
        call.param(In::Cookie, "flavors", &["choc", "oat milk"], Style::Form),
        "param",
    );
    expect_ok(
        call.param(
            In::Cookie,
            "prefs",
            &json!({"lang": "en"}),
            Style::FormExploded,
        ),
        "param",
    );
    expect_ok(bounded(client.send_empty(call)).await, "eat_cookies");
    let request = only_request(&server).await;
    let cookies: Vec<&str> = request
        .headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(
        cookies,
        ["session=s-1; flavors=choc,oat%20milk; lang=en"],
        "one header, `; ` between cookies (RFC 6265 §5.4), form style values"
    );
    let signed = assert_signed(&request, "application/json", false);
    assert!(signed.iter().any(|n| n == "cookie"), "{signed:?}");
}

#[tokio::test]
async fn parameter_rules_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = params_client(&server.uri());
    match bounded(
        client
            .list_items(params::models::RegionName::CnNorth4)
            .x_page(0),
    )
    .await
    {
        Err(Error::Validation(v)) => assert_eq!(v.field, "X-Page", "{v}"),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn json_body_from_a_shared_request_body_and_path_enum() {
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(201).insert_header("Location", "/v1/regions/cn-north-4/items/9"),
    )
    .await;
    let client = params_client(&server.uri());
    expect_ok(
        bounded(
            client
                .create_item(
                    params::models::RegionName::CnNorth4,
                    params::models::Item::default().with_id(9),
                )
                .x_trace(false),
        )
        .await,
        "create_item",
    );
    let request = only_request(&server).await;
    assert_eq!(
        (request.method.as_str(), request.url.path()),
        ("POST", "/v1/regions/cn-north-4/items")
    );
    assert_eq!(request.body, br#"{"id":9}"#);
    assert_eq!(header_text(&request, "X-Trace"), Some("false"));
    assert_signed(&request, "application/json", false);
}

// ---------------------------------------------------------------------------
// Unions
// ---------------------------------------------------------------------------

fn composition_client(uri: &str) -> composition::Client {
    expect_ok(composition::Client::new(&config(uri)), "composition client")
}

#[tokio::test]
async fn tagged_union_request_alternatives_and_the_reply_unions() {
    use composition::models::{Cat, Color, Dog, DogBark, Owner, Pet, PetRecord, Size};
    let server = MockServer::start().await;
    // The spec's reply example first, then variations of each field.
    let replies = [
        json!({"id": 7, "name": "Rex", "owner": null, "color": "teal", "size": 3}),
        json!({"name": "Tom", "color": "red", "size": "large"}),
        json!({"name": "Kit", "owner": {"id": 1}, "color": "green", "size": 2.5}),
        json!({"name": "Big", "size": 3_000_000_000_u64}),
    ];
    for reply in &replies {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(reply))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let client = composition_client(&server.uri());
    let pets: Vec<Pet> = vec![
        Dog::new("Rex", "dog").with_bark(DogBark::Loud).into(),
        Cat::new("Tom", "cat").with_lives(9).into(),
        Pet::Unknown(json!({"pet_type": "bird", "name": "Kit", "wings": 2})),
        Dog::new("Big", "dog").into(),
    ];
    let mut records: Vec<PetRecord> = Vec::new();
    for pet in pets {
        records.push(expect_ok(
            bounded(client.create_pet(pet)).await,
            "create_pet",
        ));
    }
    let all = received(&server).await;
    let sent: Vec<String> = all
        .iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .collect();
    assert_eq!(
        sent,
        [
            r#"{"name":"Rex","pet_type":"dog","bark":"loud"}"#,
            r#"{"name":"Tom","pet_type":"cat","lives":9}"#,
            r#"{"pet_type":"bird","name":"Kit","wings":2}"#,
            r#"{"name":"Big","pet_type":"dog"}"#,
        ],
        "each alternative as itself, an unknown one as it was kept"
    );
    for request in &all {
        assert_signed(request, "application/json", false);
    }
    // The first body is the spec's request example.
    let example: Value = json!({"pet_type": "dog", "name": "Rex", "bark": "loud"});
    assert_eq!(
        serde_json::from_slice::<Value>(&all[0].body).ok(),
        Some(example)
    );

    // owner: null / absent / a value; color: unknown / known; size: each alternative.
    let owner = |id| {
        let mut o = Owner::default();
        o.id = Some(id);
        o
    };
    let seen: Vec<_> = records
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.owner.clone(),
                r.color.clone(),
                r.size.clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "Rex",
                Some(None),
                Some(Color::from("teal".to_owned())),
                Some(Size::Integer(3))
            ),
            (
                "Tom",
                None,
                Some(Color::Red),
                Some(Size::String("large".to_owned()))
            ),
            (
                "Kit",
                Some(Some(owner(1))),
                Some(Color::Green),
                Some(Size::Other(json!(2.5)))
            ),
            (
                "Big",
                None,
                None,
                Some(Size::Other(json!(3_000_000_000_u64)))
            ),
        ]
    );
    assert!(
        matches!(&records[0].color, Some(Color::Unknown(v)) if v.as_str() == "teal"),
        "an unknown string is kept: {:?}",
        records[0].color
    );
    assert_eq!(records[0].id, Some(7));
}

#[tokio::test]
async fn tagged_union_rules_are_checked_per_alternative() {
    use composition::models::{Cat, Dog, Pet};
    let server = MockServer::start().await;
    let client = composition_client(&server.uri());
    let bad: [(Pet, &str, &str); 4] = [
        (
            Cat::new("Tom", "cat").with_lives(10).into(),
            "lives",
            "maximum",
        ),
        (Dog::new("x".repeat(33), "dog").into(), "name", "maxLength"),
        // An alternative whose tag names another: sent, it would come back a Cat.
        (Dog::new("Rex", "cat").into(), "pet_type", "discriminator"),
        (Cat::new("Tom", "").into(), "pet_type", "discriminator"),
    ];
    for (pet, field, rule) in bad {
        match bounded(client.create_pet(pet)).await {
            Err(Error::Validation(v)) => {
                assert!(v.field.ends_with(field), "{v}");
                assert!(v.rule.starts_with(rule), "{v}");
            }
            other => panic!("expected Error::Validation for {field}, got {other:?}"),
        }
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn tagged_union_list_round_trips_with_an_unknown_tag() {
    use composition::models::{
        JobUpdate, LimitUpdate, LimitUpdateParams, NameUpdate, NameUpdateParams, UpdateJobsBody,
    };
    // No operation of the fixture replies with a tagged union, so the reply is
    // fetched raw and decoded into the model the client would use.
    let listed = json!([
        {"type": "name", "params": {"name": "nightly"}},
        {"type": "limit", "params": {"speed": 10}},
        {"type": "pause", "params": {"for": "1h"}},
        {"params": {"untagged": true}}
    ]);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&listed))
        .mount(&server)
        .await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = composition_client(&server.uri());
    let value = expect_ok(
        bounded(client.raw(composition::Method::Get, "/v1/jobs")).await,
        "raw",
    );
    let jobs: Vec<JobUpdate> =
        serde_json::from_value(value).unwrap_or_else(|e| panic!("the list does not decode: {e}"));
    assert_eq!(
        jobs,
        [
            JobUpdate::NameUpdate(NameUpdate::new("name", NameUpdateParams::new("nightly"))),
            JobUpdate::LimitUpdate(LimitUpdate::new("limit", LimitUpdateParams::new(10))),
            JobUpdate::Unknown(listed[2].clone()),
            JobUpdate::Unknown(listed[3].clone()),
        ]
    );
    // A known tag with a body that does not fit its alternative is an error.
    let broken: Result<JobUpdate, _> =
        serde_json::from_value(json!({"type": "limit", "params": {"speed": "fast"}}));
    assert!(broken.is_err(), "{broken:?}");

    // Sent back unchanged, the unknown alternatives included.
    expect_ok(
        bounded(client.update_jobs(UpdateJobsBody::new(jobs))).await,
        "update_jobs",
    );
    let all = received(&server).await;
    let put = all
        .iter()
        .find(|r| r.method.as_str() == "PUT")
        .unwrap_or_else(|| panic!("no PUT"));
    assert_eq!(put.url.path(), "/v1/jobs");
    assert_eq!(
        serde_json::from_slice::<Value>(&put.body).ok(),
        Some(json!({ "jobs": listed }))
    );
    assert_signed(put, "application/json", false);
    // The limit alternative's rules apply inside the list.
    let bad = UpdateJobsBody::new(vec![JobUpdate::LimitUpdate(LimitUpdate::new(
        "limit",
        LimitUpdateParams::new(0),
    ))]);
    match bounded(client.update_jobs(bad)).await {
        Err(Error::Validation(v)) => assert!(v.field.contains("speed"), "{v}"),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Maps and additional properties
// ---------------------------------------------------------------------------

#[tokio::test]
async fn additional_properties_are_kept_and_sent_back() {
    let reply = json!({
        "name": "sales",
        "databases": {"sales": {"schemas": {"public": {"tables": {"orders": {"rows": 10}}}}}},
        "labels": {"team": "olap", "tier": "gold"},
        "settings": {"anything": [1, 2], "at": "all"},
        "comment": "kept",
        "owner": {"team": "olap", "since": 2020}
    });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/catalogs/c%2F1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&reply))
        .mount(&server)
        .await;
    reply_with(&server, ResponseTemplate::new(204)).await;
    let client = expect_ok(maps::Client::new(&config(&server.uri())), "maps client");
    let catalog = expect_ok(bounded(client.show_catalog("c/1")).await, "show_catalog");
    assert_eq!(catalog.name, "sales");
    let extra: BTreeMap<String, Value> = [
        ("comment".to_owned(), json!("kept")),
        ("owner".to_owned(), json!({"team": "olap", "since": 2020})),
    ]
    .into();
    assert_eq!(catalog.additional_properties, extra);
    assert_eq!(
        catalog
            .labels
            .as_ref()
            .and_then(|l| l.get("tier"))
            .map(String::as_str),
        Some("gold")
    );
    let rows = catalog
        .databases
        .as_ref()
        .and_then(|d| d.get("sales"))
        .and_then(|d| d.schemas.as_ref())
        .and_then(|s| s.get("public"))
        .and_then(|s| s.tables.as_ref())
        .and_then(|t| t.get("orders"))
        .and_then(|t| t.rows);
    assert_eq!(rows, Some(10));
    assert_eq!(
        serde_json::to_value(&catalog).ok().as_ref(),
        Some(&reply),
        "written back, the catalog is the reply"
    );
    // Sent back (no operation takes a Catalog; the raw call sends the model).
    let written = serde_json::to_value(&catalog).unwrap_or_default();
    expect_ok(
        bounded(
            client
                .raw(maps::Method::Put, "/v1/catalogs/c%2F1")
                .json(written),
        )
        .await,
        "raw put",
    );
    let all = received(&server).await;
    assert_eq!(all.len(), 2);
    assert_signed(&all[0], "application/json", false);
    assert_eq!(
        serde_json::from_slice::<Value>(&all[1].body).ok().as_ref(),
        Some(&reply)
    );
    assert_signed(&all[1], "application/json", false);
}

#[tokio::test]
async fn a_catalog_with_drift_is_read_with_its_extras() {
    // `rows` as a string: the lenient path reads it, the extras stay.
    let reply = json!({
        "name": "sales",
        "databases": {"d": {"schemas": {"s": {"tables": {"t": {"rows": "12"}}}}}},
        "zone": "az1"
    });
    let server = MockServer::start().await;
    reply_with(&server, ResponseTemplate::new(200).set_body_json(&reply)).await;
    let client = expect_ok(maps::Client::new(&config(&server.uri())), "maps client");
    let catalog = expect_ok(bounded(client.show_catalog("c")).await, "show_catalog");
    let rows = catalog.databases.as_ref().and_then(|d| {
        d.get("d")?
            .schemas
            .as_ref()?
            .get("s")?
            .tables
            .as_ref()?
            .get("t")?
            .rows
    });
    assert_eq!(rows, Some(12));
    assert_eq!(
        catalog.additional_properties.get("zone"),
        Some(&json!("az1"))
    );
}

// ---------------------------------------------------------------------------
// Recursive types
// ---------------------------------------------------------------------------

#[tokio::test]
async fn recursive_values_go_out_and_come_back() {
    use recursion::models::{Endpoint, Folder};
    let server = MockServer::start().await;
    let reply = json!({
        "name": "root",
        "children": [{"name": "leaf"}],
        "readme": {"title": "hello", "folder": {"name": "root"}}
    });
    reply_with(&server, ResponseTemplate::new(200).set_body_json(&reply)).await;
    let client = expect_ok(recursion::Client::new(&config(&server.uri())), "client");
    let endpoint = Endpoint::new("primary")
        .with_backup(Endpoint::new("standby"))
        .with_shards(vec![Endpoint::new("shard-1")])
        .with_peers(BTreeMap::from([(
            "east".to_owned(),
            Endpoint::new("east-1"),
        )]));
    let folder: Folder = expect_ok(bounded(client.create_endpoint(endpoint)).await, "create");
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        r#"{"name":"primary","backup":{"name":"standby"},"shards":[{"name":"shard-1"}],"peers":{"east":{"name":"east-1"}}}"#,
        "the spec's request example"
    );
    assert_signed(&request, "application/json", false);
    assert_eq!(folder.name.as_deref(), Some("root"));
    let inner = folder
        .readme
        .as_ref()
        .and_then(|d| d.folder.as_ref())
        .and_then(|f| f.name.as_deref());
    assert_eq!(inner, Some("root"), "the cycle Folder → Document → Folder");
    assert_eq!(serde_json::to_value(&folder).ok(), Some(reply));
}

#[tokio::test]
async fn deeply_recursive_replies_decode_up_to_a_depth_and_fail_cleanly_past_it() {
    fn nested(depth: usize) -> String {
        let mut text = String::from(r#"{"name":"leaf"}"#);
        for _ in 0..depth {
            text = format!(r#"{{"name":"n","children":[{text}]}}"#);
        }
        text
    }
    fn depth(folder: &recursion::models::Folder) -> usize {
        folder
            .children
            .as_ref()
            .and_then(|c| c.first())
            .map_or(0, |c| 1 + depth(c))
    }
    for (levels, decodes) in [(50, true), (5000, false)] {
        let server = MockServer::start().await;
        reply_with(
            &server,
            ResponseTemplate::new(200).set_body_raw(nested(levels), "application/json"),
        )
        .await;
        let client = expect_ok(recursion::Client::new(&config(&server.uri())), "client");
        let result = bounded(client.create_endpoint(recursion::models::Endpoint::new("e"))).await;
        match (result, decodes) {
            (Ok(folder), true) => assert_eq!(depth(&folder), levels),
            (Err(Error::Decode(d)), false) => {
                assert!(d.message.contains("recursion"), "{d}");
            }
            (other, _) => panic!("{levels} levels: unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn recursive_rules_are_checked_at_their_path() {
    use recursion::models::Endpoint;
    let server = MockServer::start().await;
    let client = expect_ok(recursion::Client::new(&config(&server.uri())), "client");
    let bad = Endpoint::new("ok").with_backup(Endpoint::new("fine").with_backup(Endpoint::new("")));
    match bounded(client.create_endpoint(bad)).await {
        Err(Error::Validation(v)) => assert_eq!(v.field, "body.backup.backup.name", "{v}"),
        other => panic!("expected Error::Validation, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------
// Scalars and nullable fields
// ---------------------------------------------------------------------------

#[tokio::test]
async fn nullable_fields_absent_null_or_set_and_big_integers_exact() {
    use scalars::models::{Sample, SampleMode};
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(202).set_body_json(json!({"job_id": "j-1"})),
    )
    .await;
    let client = expect_ok(scalars::Client::new(&config(&server.uri())), "client");
    let base = Sample::new(-8, u64::MAX).with_secret("hunter2-sample-secret");
    let mut null_note = base.clone();
    null_note.note = Some(None);
    null_note.mode = Some(None);
    let set = base
        .clone()
        .with_note("x")
        .with_note_required("y")
        .with_mode(SampleMode::Fast);
    for sample in [base.clone(), null_note, set] {
        let builder = client.create_sample(sample);
        assert_hidden(
            &format!("{builder:?}"),
            "hunter2-sample-secret",
            "Sample",
            "Debug of create_sample",
        );
        let reply = expect_ok(bounded(builder).await, "create_sample");
        assert_eq!(reply.job_id.as_deref(), Some("j-1"));
    }
    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| {
            assert_signed(r, "application/json", false);
            String::from_utf8_lossy(&r.body).into_owned()
        })
        .collect();
    assert_eq!(
        sent,
        [
            // absent optional nullable: left out; required nullable: null.
            r#"{"i8":-8,"u64":18446744073709551615,"secret":"hunter2-sample-secret","note_required":null}"#,
            r#"{"i8":-8,"u64":18446744073709551615,"secret":"hunter2-sample-secret","note":null,"note_required":null,"mode":null}"#,
            r#"{"i8":-8,"u64":18446744073709551615,"secret":"hunter2-sample-secret","note":"x","note_required":"y","mode":"fast"}"#,
        ]
    );
}

// ---------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn error_bodies_of_each_shape_and_no_retry_of_a_post() {
    let cases = [
        (
            400u16,
            json!({"code": "APIGW.0101", "message": "bad", "error_code": "TSK.0001", "error_msg": "no such task"}),
            "TSK.0001",
            Some("r-header"),
        ),
        (
            403,
            json!({"error_code": "TSK.0002", "error_msg": "denied", "error_details": "needs role x", "request_id": "r-1"}),
            "TSK.0002",
            None,
        ),
        (
            503,
            json!({"error_code": "TSK.0503", "error_msg": "later"}),
            "TSK.0503",
            Some("r-header"),
        ),
    ];
    for (status, body, code, header_id) in cases {
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(status).set_body_json(&body);
        if let Some(id) = header_id {
            template = template.insert_header("X-Request-Id", id);
        }
        reply_with(&server, template).await;
        let client = expect_ok(errors::Client::new(&retrying(&server.uri())), "client");
        match bounded(client.start_task()).await {
            Err(Error::Api(api)) => {
                assert_eq!((api.status, api.error_code.as_str()), (status, code));
                assert_eq!(
                    api.request_id.as_deref(),
                    header_id.or(Some("r-1")),
                    "X-Request-Id, else the body's request_id"
                );
                if status == 403 {
                    assert_eq!(api.error_details.as_deref(), Some("needs role x"));
                }
                assert_eq!(api.attempts, 1, "a POST is not retried after {status}");
            }
            other => panic!("HTTP {status}: expected Error::Api, got {other:?}"),
        }
        let request = only_request(&server).await;
        assert_signed(&request, "application/json", false);
    }
    let server = MockServer::start().await;
    reply_with(
        &server,
        ResponseTemplate::new(202).set_body_json(json!({"task_id": "t-1"})),
    )
    .await;
    let client = expect_ok(errors::Client::new(&config(&server.uri())), "client");
    let started = expect_ok(bounded(client.start_task()).await, "start_task");
    assert_eq!(started.task_id.as_deref(), Some("t-1"));
}

// ---------------------------------------------------------------------------
// Paging by marker (`fixture_paging`)
// ---------------------------------------------------------------------------

fn paging_client(server: &MockServer) -> paging::Client {
    expect_ok(paging::Client::new(&config(&server.uri())), "paging client")
}

/// Answers the signed `GET path` whose `marker` is `marker` (absent for `None`)
/// with `body`, exactly once.
async fn page_at(server: &MockServer, route: &str, marker: Option<&str>, body: Value) {
    let mock = signed_mock("GET", &format!("/v1/{PROJECT_ID}/{route}"));
    let mock = match marker {
        Some(m) => mock.and(query_param("marker", m)),
        None => mock.and(query_param_is_missing("marker")),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// A page of `list_servers`: servers `ids`, and `next` as `page_info.next_marker`.
fn servers(ids: &[&str], next: Option<&str>) -> Value {
    let servers: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "name": "web"}))
        .collect();
    match next {
        Some(next) => {
            json!({"servers": servers, "page_info": {"next_marker": next, "current_count": ids.len()}})
        }
        None => json!({"servers": servers, "page_info": {"current_count": ids.len()}}),
    }
}

/// A page of `list_volumes`: volumes with `ids`, under `data`.
fn volumes(ids: &[i64]) -> Value {
    let volumes: Vec<Value> = ids.iter().map(|id| json!({"id": id, "size": 10})).collect();
    json!({"data": {"volumes": volumes}})
}

/// Every request the server received is signed and verifies; returns their
/// query strings in order.
async fn signed_queries(server: &MockServer) -> Vec<String> {
    for request in received(server).await {
        assert_signed_request(&request, &[]);
    }
    received_queries(server).await
}

#[tokio::test]
async fn a_reply_marker_list_asks_for_each_page_with_the_marker_the_last_gave() {
    let server = MockServer::start().await;
    page_at(&server, "servers", None, servers(&["s1", "s2"], Some("s2"))).await;
    // A short page does not end a list whose reply gives the next marker.
    page_at(&server, "servers", Some("s2"), servers(&["s3"], Some("s3"))).await;
    page_at(&server, "servers", Some("s3"), servers(&["s4", "s5"], None)).await;
    let client = paging_client(&server);
    let items = bounded(client.list_servers().name("web").items().collect()).await;
    let ids: Vec<String> = expect_ok(items, "list_servers")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);
    // The filter goes with every page; the page size is the spec's `page_size`.
    assert_eq!(
        signed_queries(&server).await,
        [
            "limit=50&name=web",
            "limit=50&marker=s2&name=web",
            "limit=50&marker=s3&name=web"
        ]
    );
}

#[tokio::test]
async fn a_reply_marker_list_starts_from_the_callers_marker_and_limit() {
    let server = MockServer::start().await;
    page_at(
        &server,
        "servers",
        Some("s0"),
        servers(&["s1", "s2"], Some("s2")),
    )
    .await;
    // An empty next marker ends the list.
    page_at(
        &server,
        "servers",
        Some("s2"),
        servers(&["s3", "s4"], Some("")),
    )
    .await;
    let client = paging_client(&server);
    let pages = bounded(
        client
            .list_servers()
            .marker("s0")
            .limit(2)
            .pages()
            .collect(),
    )
    .await;
    let pages = expect_ok(pages, "list_servers");
    assert_eq!(pages.len(), 2);
    assert_eq!(
        signed_queries(&server).await,
        ["limit=2&marker=s0", "limit=2&marker=s2"]
    );
}

#[tokio::test]
async fn an_empty_page_ends_a_marker_list_whatever_marker_it_gives() {
    let server = MockServer::start().await;
    page_at(&server, "servers", None, servers(&["s1"], Some("s1"))).await;
    page_at(&server, "servers", Some("s1"), servers(&[], Some("s9"))).await;
    let client = paging_client(&server);
    let items = expect_ok(
        bounded(client.list_servers().items().collect()).await,
        "list_servers",
    );
    assert_eq!(items.len(), 1);
    assert_eq!(
        signed_queries(&server).await,
        ["limit=50", "limit=50&marker=s1"]
    );
}

#[tokio::test]
async fn a_next_marker_equal_to_the_one_sent_is_a_pagination_error_not_an_end() {
    let server = MockServer::start().await;
    page_at(&server, "servers", None, servers(&["s1", "s2"], Some("s2"))).await;
    page_at(&server, "servers", Some("s2"), servers(&["s3"], Some("s2"))).await;
    let client = paging_client(&server);
    let mut items = client.list_servers().items();
    let mut got = Vec::new();
    let error = loop {
        match bounded(items.next()).await {
            Some(Ok(server)) => got.push(server.id),
            Some(Err(e)) => break e,
            None => panic!("the list ended without an error after {got:?}"),
        }
    };
    // The page that gave the marker back is read; asking again would loop.
    assert_eq!(got, ["s1", "s2", "s3"]);
    match &error {
        Error::Pagination(p) => {
            assert_eq!(
                (p.operation, p.marker.as_deref(), p.seen),
                ("list_servers", Some("s2"), 3)
            );
        }
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("list_servers failed: paging stopped at marker \"s2\" after 3 item(s)"),
        "{error}"
    );
    assert!(bounded(items.next()).await.is_none(), "the list has ended");
    assert_eq!(
        signed_queries(&server).await,
        ["limit=50", "limit=50&marker=s2"]
    );
}

#[tokio::test]
async fn a_last_item_marker_list_sends_the_last_id_and_ends_at_a_short_page() {
    let server = MockServer::start().await;
    page_at(&server, "volumes", None, volumes(&[11, 12])).await;
    page_at(&server, "volumes", Some("12"), volumes(&[13, 14])).await;
    page_at(&server, "volumes", Some("14"), volumes(&[15])).await;
    let client = paging_client(&server);
    let items = bounded(client.list_volumes().limit("2").items().collect()).await;
    let ids: Vec<Option<i64>> = expect_ok(items, "list_volumes")
        .into_iter()
        .map(|v| v.id)
        .collect();
    assert_eq!(ids, [Some(11), Some(12), Some(13), Some(14), Some(15)]);
    assert_eq!(
        signed_queries(&server).await,
        ["limit=2", "limit=2&marker=12", "limit=2&marker=14"]
    );
}

#[tokio::test]
async fn a_last_item_marker_list_ends_at_an_empty_page_and_starts_from_the_callers_marker() {
    let server = MockServer::start().await;
    let full: Vec<i64> = (101..=120).collect();
    page_at(&server, "volumes", Some("100"), volumes(&full)).await;
    page_at(&server, "volumes", Some("120"), volumes(&[])).await;
    let client = paging_client(&server);
    let pages = bounded(client.list_volumes().marker(100_i64).pages().collect()).await;
    assert_eq!(expect_ok(pages, "list_volumes").len(), 1);
    // The limit's example is the page size.
    assert_eq!(
        signed_queries(&server).await,
        ["limit=20&marker=100", "limit=20&marker=120"]
    );
}

#[tokio::test]
async fn a_last_item_marker_that_does_not_move_is_a_pagination_error() {
    let server = MockServer::start().await;
    page_at(&server, "volumes", None, volumes(&[1, 2])).await;
    page_at(&server, "volumes", Some("2"), volumes(&[1, 2])).await;
    let client = paging_client(&server);
    let result = bounded(client.list_volumes().limit("2").items().collect()).await;
    match result {
        Err(Error::Pagination(p)) => assert_eq!(p.marker.as_deref(), Some("2")),
        other => panic!("expected Error::Pagination, got {other:?}"),
    }
    assert_eq!(
        signed_queries(&server).await,
        ["limit=2", "limit=2&marker=2"]
    );
}

#[tokio::test]
async fn a_list_without_a_page_size_ends_when_its_next_marker_is_null() {
    let server = MockServer::start().await;
    page_at(
        &server,
        "tags",
        None,
        json!({"tags": ["a", "b"], "next_marker": "b"}),
    )
    .await;
    page_at(
        &server,
        "tags",
        Some("b"),
        json!({"tags": ["c"], "next_marker": null}),
    )
    .await;
    let client = paging_client(&server);
    let tags = expect_ok(
        bounded(client.list_tags().items().collect()).await,
        "list_tags",
    );
    assert_eq!(tags, ["a", "b", "c"]);
    assert_eq!(signed_queries(&server).await, ["", "marker=b"]);
}

#[tokio::test]
async fn a_failing_page_ends_a_marker_list_with_its_error() {
    let server = MockServer::start().await;
    page_at(
        &server,
        "tags",
        None,
        json!({"tags": ["a"], "next_marker": "a"}),
    )
    .await;
    signed_mock("GET", &format!("/v1/{PROJECT_ID}/tags"))
        .and(query_param("marker", "a"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error_code": "TAG.0500", "error_msg": "down"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = paging_client(&server);
    let mut pages = client.list_tags().pages();
    let first = expect_ok(
        bounded(pages.next())
            .await
            .unwrap_or_else(|| panic!("no first page")),
        "list_tags",
    );
    assert_eq!(first.tags, ["a"]);
    match bounded(pages.next()).await {
        Some(Err(Error::Api(api))) => assert_eq!(api.status, 500),
        other => panic!("expected the page's error, got {other:?}"),
    }
    assert!(bounded(pages.next()).await.is_none(), "the list has ended");
    assert_eq!(signed_queries(&server).await, ["", "marker=a"]);
}
