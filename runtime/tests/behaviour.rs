//! Behaviour tests of the HTTP runtime (`huaweicloud_sdk_core`) through the
//! generated GaussDB client: error classes, retries and back-off, `Retry-After`,
//! timeouts and the overall deadline, per-attempt AK/SK signing (verified by
//! recomputing the signature on the server side), and that no secret reaches a
//! `Debug`/`Display` string or the tracing output.
//!
//! Well-behaved servers are wiremock servers with a scripted responder that records
//! every request and its arrival time. Misbehaving servers (slow, silent, dropping the
//! connection, truncating or flooding the body) are tiny raw TCP servers on
//! 127.0.0.1. Every test is bounded by [`TEST_LIMIT`] and uses short timeouts and
//! back-offs, so the file runs in a few seconds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Debug;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use huaweicloud_sdk_core::__private::signer::{self, SignableRequest};
use huaweicloud_sdk_core::__private::{self as runtime, MAX_RETRY_AFTER};
use huaweicloud_sdk_core::error::{
    ApiError, DecodeError, TimeoutError, TimeoutKind, TransportError, TransportKind,
    ValidationError,
};
use huaweicloud_sdk_core::{Config, Credentials, Error, RetryPolicy};
use huaweicloud_sdk_gaussdb::{self as gaussdb, models};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ===========================================================================
// Constants
// ===========================================================================

/// Hard limit for one test's network part.
const TEST_LIMIT: Duration = Duration::from_secs(10);
/// A project id in the spec's format.
const PROJECT_ID: &str = "23a50154cf494ec9ad6883979a12db0a";
/// A TaurusDB instance id from the spec's examples.
const INSTANCE: &str = "18c3eeb7b788479eb8b93b209946a83bin07";
/// A StarRocks instance id from the spec's examples.
const STARROCKS_ID: &str = "590031445ef845bb912d7fc8243db80cin17";
/// AK/SK used by the ordinary tests.
const AK: &str = "AKRUNTIMETEST0001";
const SK: &str = "SKRUNTIMETESTSECRET0001";
/// A success reply of `list_htap_instance_info`.
const LIST_OK: &str = r#"{"total":0,"instances":[]}"#;
/// A success reply of `create_starrocks_instance`.
const CREATE_OK: &str = r#"{"job_id":"cf0b7506-1505-450f-9d95-ce9d93b6b5c3"}"#;
/// Upward slack for timing assertions on a noisy machine (lower bounds get none).
const SLACK: Duration = Duration::from_millis(250);

/// Secrets of the leak tests: none may appear in any output (the AK only masked).
const LEAK_AK: &str = "AKLEAKTEST";
const LEAK_SK: &str = "SKLEAKSECRET123";
const LEAK_TOKEN: &str = "TOKLEAKSECRET456";
const LEAK_STS: &str = "STSLEAKSECRET789";
const LEAK_PWD: &str = "PwdLeakSecret!1";

// ===========================================================================
// Helpers: configuration and calls
// ===========================================================================

/// Runs `fut` with the [`TEST_LIMIT`].
async fn bounded<T>(fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(TEST_LIMIT, fut)
        .await
        .unwrap_or_else(|_| panic!("the test did not finish within {TEST_LIMIT:?}"))
}

/// A configuration for `endpoint`: AK/SK credentials, a project id, no retries and
/// short timeouts.
fn config_for(endpoint: &str) -> Config {
    Config::new()
        .with_endpoint(endpoint)
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::aksk(AK, SK))
        .with_retry(RetryPolicy::disabled())
        .with_connect_timeout(Duration::from_secs(2))
        .with_attempt_timeout(Duration::from_secs(5))
}

/// Builds the GaussDB client (installing the tracing capture first, see
/// [`tracing_capture`]).
fn client(config: &Config) -> gaussdb::Client {
    tracing_capture();
    gaussdb::Client::new(config).unwrap_or_else(|e| panic!("building the client failed: {e}"))
}

/// Retries with a tiny back-off, so retry tests stay fast.
fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// `host:port` of a server, as the runtime reports it in errors.
fn host_of(endpoint: &str) -> String {
    endpoint.trim_start_matches("http://").to_owned()
}

/// GET: `list_htap_instance_info(INSTANCE)`.
async fn list(c: &gaussdb::Client) -> Result<models::ListHtapInstanceInfoResponse, Error> {
    bounded(c.list_htap_instance_info(INSTANCE).send()).await
}

/// POST: `create_starrocks_instance(INSTANCE, example body)`.
async fn create(c: &gaussdb::Client) -> Result<models::CreateStarrocksInstanceResponse, Error> {
    bounded(
        c.create_starrocks_instance(INSTANCE, starrocks_body("Test@123!"))
            .send(),
    )
    .await
}

/// PUT: `modify_data_sync(STARROCKS_ID, empty body)`.
async fn modify(c: &gaussdb::Client) -> Result<models::ModifyDataSyncResponse, Error> {
    bounded(
        c.modify_data_sync(
            STARROCKS_ID,
            models::ModifyDataSyncConfigRequestV3::default(),
        )
        .send(),
    )
    .await
}

/// The request body example of `create_starrocks_instance` in `spec/gaussdb.yaml`.
fn starrocks_example() -> Value {
    static EXAMPLE: LazyLock<Value> = LazyLock::new(|| {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/gaussdb.yaml");
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
        let spec = serde_json::to_value(yaml).expect("the spec converts to JSON");
        let op = &spec["paths"]["/v3/{project_id}/instances/{instance_id}/starrocks"]["post"];
        assert_eq!(op["operationId"], "create_starrocks_instance");
        op["requestBody"]["content"]["application/json;charset=UTF-8"]["examples"]
            .as_object()
            .and_then(|examples| examples.values().next())
            .map(|example| example["value"].clone())
            .expect("the spec has a request example for create_starrocks_instance")
    });
    EXAMPLE.clone()
}

/// The spec's StarRocks creation body with `db_root_pwd` replaced.
fn starrocks_body(password: &str) -> models::StarRocksCreateRequest {
    let mut example = starrocks_example();
    example["db_root_pwd"] = json!(password);
    serde_json::from_value(example).expect("the example deserializes")
}

// ---------------------------------------------------------------------------
// Error extractors
// ---------------------------------------------------------------------------

fn api_err<T: Debug>(result: Result<T, Error>) -> ApiError {
    match result {
        Err(Error::Api(e)) => *e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn transport_err<T: Debug>(result: Result<T, Error>) -> TransportError {
    match result {
        Err(Error::Transport(e)) => *e,
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

fn timeout_err<T: Debug>(result: Result<T, Error>) -> TimeoutError {
    match result {
        Err(Error::Timeout(e)) => *e,
        other => panic!("expected Error::Timeout, got {other:?}"),
    }
}

fn decode_err<T: Debug>(result: Result<T, Error>) -> DecodeError {
    match result {
        Err(Error::Decode(e)) => *e,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

fn validation_err<T: Debug>(result: Result<T, Error>) -> ValidationError {
    match result {
        Err(Error::Validation(e)) => *e,
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

// ===========================================================================
// Helpers: a scripted wiremock server
// ===========================================================================

/// Every request a scripted server received, with its arrival time.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<(Instant, Request)>>>);

impl Log {
    fn hits(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    fn requests(&self) -> Vec<Request> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// Time between consecutive arrivals.
    fn gaps(&self) -> Vec<Duration> {
        let log = self.0.lock().unwrap();
        log.windows(2).map(|w| w[1].0 - w[0].0).collect()
    }
}

/// Answers the n-th request with the n-th reply (the last one repeats).
struct Script {
    replies: Vec<ResponseTemplate>,
    log: Log,
}

impl Respond for Script {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut log = self.log.0.lock().unwrap();
        let n = log.len();
        log.push((Instant::now(), request.clone()));
        self.replies[n.min(self.replies.len() - 1)].clone()
    }
}

/// A wiremock server answering every request from `replies`, in order.
async fn scripted(replies: Vec<ResponseTemplate>) -> (MockServer, Log) {
    assert!(!replies.is_empty());
    let server = MockServer::start().await;
    let log = Log::default();
    Mock::given(any())
        .respond_with(Script {
            replies,
            log: log.clone(),
        })
        .mount(&server)
        .await;
    (server, log)
}

/// A JSON reply.
fn json_reply(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A bodyless reply.
fn status(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
}

// ===========================================================================
// Helpers: raw TCP servers that misbehave
// ===========================================================================

/// What a raw server does with one request (one request per connection).
#[derive(Clone)]
enum Action {
    /// Read the request, then close the connection without a reply.
    Close,
    /// Write these bytes, then close.
    Reply(Vec<u8>),
    /// Wait, then write these bytes and close.
    After(Duration, Vec<u8>),
    /// Write a `200` head announcing `total` JSON bytes, then stream them.
    Flood { total: usize },
    /// Write these bytes (a reply cut short), then hold the connection for a while.
    Stall(Vec<u8>, Duration),
}

/// A raw HTTP/1.1 server on 127.0.0.1 that runs a script of [`Action`]s.
struct RawServer {
    addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<Instant>>>,
    /// Bytes of body a [`Action::Flood`] managed to write.
    flooded: Arc<AtomicUsize>,
    /// Set when a [`Action::Flood`] stopped (finished or failed).
    flood_done: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    /// Starts a server; the n-th request (0-based) gets `script(n)`.
    async fn start(script: impl Fn(usize) -> Action + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let flooded = Arc::new(AtomicUsize::new(0));
        let flood_done = Arc::new(AtomicBool::new(false));
        let script = Arc::new(script);
        let task = {
            let (arrivals, flooded, flood_done) =
                (arrivals.clone(), flooded.clone(), flood_done.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((mut stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (arrivals, flooded, flood_done, script) = (
                        arrivals.clone(),
                        flooded.clone(),
                        flood_done.clone(),
                        script.clone(),
                    );
                    tokio::spawn(async move {
                        if read_request(&mut stream).await.is_none() {
                            return;
                        }
                        let n = {
                            let mut a = arrivals.lock().unwrap();
                            a.push(Instant::now());
                            a.len() - 1
                        };
                        match script(n) {
                            Action::Close => drop(stream),
                            Action::Reply(bytes) => write_and_close(stream, &bytes).await,
                            Action::After(wait, bytes) => {
                                tokio::time::sleep(wait).await;
                                write_and_close(stream, &bytes).await;
                            }
                            Action::Stall(bytes, wait) => {
                                let _ = stream.write_all(&bytes).await;
                                let _ = stream.flush().await;
                                tokio::time::sleep(wait).await;
                            }
                            Action::Flood { total } => {
                                flood(&mut stream, total, &flooded).await;
                                flood_done.store(true, Ordering::SeqCst);
                            }
                        }
                    });
                }
            })
        };
        RawServer {
            addr,
            arrivals,
            flooded,
            flood_done,
            task,
        }
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests read in full.
    fn hits(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads one request (head and `Content-Length` body); `None` on EOF or error.
async fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Some(buf);
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn write_and_close(mut stream: TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}

/// Streams a `200` JSON reply of `total` bytes (a JSON string), counting what it wrote.
async fn flood(stream: &mut TcpStream, total: usize, written: &AtomicUsize) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {total}\r\n\
         Connection: close\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut sent = 0;
    let chunk = vec![b' '; 64 * 1024];
    while sent < total {
        let n = chunk.len().min(total - sent);
        if stream.write_all(&chunk[..n]).await.is_err() {
            return;
        }
        sent += n;
        written.store(sent, Ordering::SeqCst);
    }
}

/// A complete HTTP/1.1 reply that closes the connection.
fn http_reply(status_line: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status_line}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// An endpoint where nothing listens: a port that was just bound and released.
fn closed_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

// ===========================================================================
// Helpers: signature verification
// ===========================================================================

/// One header of a received request as text.
fn received_header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("header value is text").to_owned())
}

/// Recomputes the `SDK-HMAC-SHA256` signature of a received request with `ak`/`sk`
/// and the received `X-Sdk-Date`, from exactly the headers its `SignedHeaders` lists,
/// and checks it equals the received `Authorization`. Returns the signed header list.
fn verify_signature(request: &Request, ak: &str, sk: &str) -> Result<String, String> {
    let authorization =
        received_header(request, "authorization").ok_or("no Authorization header")?;
    let rest = authorization
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or_else(|| format!("unexpected algorithm in `{authorization}`"))?;
    let mut parts = rest.split(", ");
    let access = parts.next().and_then(|p| p.strip_prefix("Access="));
    let signed = parts.next().and_then(|p| p.strip_prefix("SignedHeaders="));
    let signature = parts.next().and_then(|p| p.strip_prefix("Signature="));
    let (Some(access), Some(signed), Some(signature)) = (access, signed, signature) else {
        return Err(format!("malformed Authorization `{authorization}`"));
    };
    if access != ak {
        return Err(format!("Access={access}, expected {ak}"));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("signature `{signature}` is not 64 hex digits"));
    }
    let mut headers = Vec::new();
    for name in signed.split(';') {
        let values: Vec<_> = request.headers.get_all(name).iter().collect();
        if values.is_empty() {
            return Err(format!("signed header `{name}` was not received"));
        }
        for value in values {
            let value = value.to_str().map_err(|e| e.to_string())?;
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    let date = received_header(request, "x-sdk-date").ok_or("no X-Sdk-Date header")?;
    let host = received_header(request, "host").ok_or("no Host header")?;
    let query: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let recomputed = signer::sign(
        &SignableRequest {
            method: request.method.as_str(),
            authority: &host,
            path: request.url.path(),
            query: &query,
            headers: &headers,
            body: &request.body,
        },
        ak,
        sk,
        &date,
    );
    if recomputed.signed_headers != signed {
        return Err(format!(
            "signed headers differ: recomputed {}, received {signed}",
            recomputed.signed_headers
        ));
    }
    if recomputed.authorization != authorization {
        return Err(format!(
            "signature mismatch:\nreceived   {authorization}\nrecomputed {}\ncanonical request:\n{}",
            recomputed.authorization, recomputed.canonical_request
        ));
    }
    Ok(signed.to_owned())
}

// ===========================================================================
// 1. Error classes
// ===========================================================================

#[tokio::test]
async fn api_error_carries_status_code_message_and_request_id() {
    let body = r#"{"error_code":"DBS.200022","error_msg":"Instance not found."}"#;
    let (server, log) = scripted(vec![
        json_reply(400, body).insert_header("X-Request-Id", "req-42"),
    ])
    .await;
    let result = list(&client(&config_for(&server.uri()))).await;
    let display = result.as_ref().err().map(ToString::to_string);
    let e = api_err(result);
    assert_eq!(e.operation, "list_htap_instance_info");
    assert_eq!(e.host, host_of(&server.uri()));
    assert_eq!(e.status, 400);
    assert_eq!(e.request_id.as_deref(), Some("req-42"));
    assert_eq!(e.error_code, "DBS.200022");
    assert_eq!(e.error_msg, "Instance not found.");
    assert_eq!(e.encoded_authorization_message, None);
    assert_eq!(e.body, body);
    let display = display.unwrap();
    for part in ["HTTP 400", "DBS.200022", "Instance not found.", "req-42"] {
        assert!(display.contains(part), "`{display}` lacks `{part}`");
    }
    assert_eq!(log.hits(), 1);
}

#[tokio::test]
async fn api_error_accessors_on_error() {
    let (server, _) = scripted(vec![
        json_reply(404, r#"{"error_code":"DBS.1","error_msg":"m"}"#)
            .insert_header("X-Request-Id", "rid"),
    ])
    .await;
    let err = list(&client(&config_for(&server.uri()))).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("rid"));
    assert_eq!(err.error_code(), Some("DBS.1"));
}

#[tokio::test]
async fn api_error_reads_camel_case_fields() {
    let (server, _) = scripted(vec![json_reply(
        403,
        r#"{"errorCode":"IAM.0001","errorMsg":"camel message"}"#,
    )])
    .await;
    let e = api_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(
        (e.status, e.error_code.as_str(), e.error_msg.as_str()),
        (403, "IAM.0001", "camel message")
    );
    assert_eq!(e.request_id, None);
}

#[tokio::test]
async fn api_error_reads_nested_error_object() {
    let (server, _) = scripted(vec![json_reply(
        401,
        r#"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}"#,
    )])
    .await;
    let e = api_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.status, 401);
    assert_eq!(e.error_code, "APIGW.0301");
    assert_eq!(e.error_msg, "Incorrect IAM authentication information");
}

#[tokio::test]
async fn api_error_keeps_encoded_authorization_message() {
    let (server, _) = scripted(vec![json_reply(
        403,
        r#"{"error_code":"IAM.0002","error_msg":"denied","encoded_authorization_message":"enc-xyz"}"#,
    )])
    .await;
    let e = api_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.error_code, "IAM.0002");
    assert_eq!(e.encoded_authorization_message.as_deref(), Some("enc-xyz"));
}

/// ROMA Connect's error body: `error_details`, and the request id in the body
/// when the header is missing (the header wins when both are there).
#[tokio::test]
async fn api_error_reads_error_details_and_the_body_request_id() {
    let body = r#"{"error_code":"APIC.7211","error_msg":"Parameter error","error_details":"name: must not be empty","request_id":"body-req-7"}"#;
    let (server, log) = scripted(vec![
        json_reply(400, body),
        json_reply(400, body).insert_header("X-Request-Id", "hdr-req-7"),
    ])
    .await;
    let c = client(&config_for(&server.uri()));
    let result = list(&c).await;
    let display = result.as_ref().err().map(ToString::to_string).unwrap();
    let e = api_err(result);
    assert_eq!(
        (e.error_code.as_str(), e.error_msg.as_str()),
        ("APIC.7211", "Parameter error")
    );
    assert_eq!(e.error_details.as_deref(), Some("name: must not be empty"));
    assert_eq!(e.request_id.as_deref(), Some("body-req-7"));
    for part in ["name: must not be empty", "request id body-req-7"] {
        assert!(display.contains(part), "`{display}` lacks `{part}`");
    }
    let err = list(&c).await.unwrap_err();
    assert_eq!(err.request_id(), Some("hdr-req-7"));
    assert_eq!(log.hits(), 2);
}

/// `code`/`message` beside `error_code`/`error_msg`: the SDK's order decides;
/// `details` stands in for `error_details`; long details are cut in the message.
#[tokio::test]
async fn api_error_prefers_error_code_and_bounds_the_details_it_shows() {
    let long = "d".repeat(5000);
    let body = format!(
        r#"{{"code":"APIG.1","message":"gateway","error_code":"DBS.2","error_msg":"db","details":"{long}"}}"#
    );
    let (server, _) = scripted(vec![json_reply(409, &body)]).await;
    let result = list(&client(&config_for(&server.uri()))).await;
    let display = result.as_ref().err().map(ToString::to_string).unwrap();
    let e = api_err(result);
    assert_eq!(
        (e.error_code.as_str(), e.error_msg.as_str()),
        ("DBS.2", "db")
    );
    assert_eq!(e.error_details.as_deref(), Some(long.as_str()));
    assert_eq!(e.request_id, None);
    assert!(
        display.len() < ApiError::DETAILS_DISPLAY_LEN + 200,
        "{} bytes: {display}",
        display.len()
    );
    // The details as shown, the cut mark included, fill the bound exactly.
    let shown = format!("{}…", "d".repeat(ApiError::DETAILS_DISPLAY_LEN - "…".len()));
    assert_eq!(shown.len(), ApiError::DETAILS_DISPLAY_LEN);
    assert!(display.contains(&format!("\"{shown}\"")), "{display}");
    assert!(display.contains("(no request id)"), "{display}");
}

#[tokio::test]
async fn api_error_from_non_json_body_uses_status_and_raw_body() {
    let (server, _) = scripted(vec![
        ResponseTemplate::new(502)
            .set_body_raw(b"Bad Gateway".to_vec(), "text/plain")
            .insert_header("X-Request-Id", "gw-1"),
    ])
    .await;
    let e = api_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.status, 502);
    assert_eq!(e.error_code, "502");
    assert_eq!(e.error_msg, "Bad Gateway");
    assert_eq!(e.body, "Bad Gateway");
    assert_eq!(e.request_id.as_deref(), Some("gw-1"));
}

#[tokio::test]
async fn transport_connect_error_when_nothing_listens() {
    let endpoint = closed_endpoint();
    let config = config_for(&endpoint).with_retry(fast_retry(2));
    let result = list(&client(&config)).await;
    let display = result.as_ref().err().map(ToString::to_string).unwrap();
    let e = transport_err(result);
    assert_eq!(e.kind, TransportKind::Connect);
    assert_eq!(e.operation, "list_htap_instance_info");
    assert_eq!(e.host, host_of(&endpoint));
    // Nothing reached a server, so the attempt is repeated.
    assert_eq!(e.attempts, 2);
    assert!(e.source.is_some(), "the cause is kept");
    assert!(display.contains("could not connect"), "{display}");
}

#[tokio::test]
async fn transport_connect_error_is_retried_even_for_post() {
    // A POST that never reached a server cannot have had an effect: retry it.
    let config = config_for(&closed_endpoint()).with_retry(fast_retry(3));
    let e = transport_err(create(&client(&config)).await);
    assert_eq!(e.kind, TransportKind::Connect);
    assert_eq!(e.attempts, 3);
}

#[tokio::test]
async fn attempt_timeout_when_server_is_slow() {
    let server = RawServer::start(|_| {
        Action::After(
            Duration::from_secs(3),
            http_reply("200 OK", "application/json", LIST_OK),
        )
    })
    .await;
    let config = config_for(&server.endpoint()).with_attempt_timeout(Duration::from_millis(200));
    let c = client(&config);
    let started = Instant::now();
    let e = timeout_err(list(&c).await);
    let elapsed = started.elapsed();
    assert_eq!(e.kind, TimeoutKind::Attempt);
    assert_eq!(e.after, Duration::from_millis(200));
    assert_eq!(e.attempts, 1);
    assert_eq!(e.operation, "list_htap_instance_info");
    assert_eq!(e.host, host_of(&server.endpoint()));
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_millis(200) + SLACK * 2,
        "returned after {elapsed:?}"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn attempt_timeout_covers_a_stalled_body() {
    // The head arrives at once; the body stops half-way and the server goes quiet.
    let server = RawServer::start(|_| {
        Action::Stall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"total\":"
                .to_vec(),
            Duration::from_secs(3),
        )
    })
    .await;
    let config = config_for(&server.endpoint()).with_attempt_timeout(Duration::from_millis(200));
    let c = client(&config);
    let started = Instant::now();
    let e = timeout_err(list(&c).await);
    assert_eq!((e.kind, e.attempts), (TimeoutKind::Attempt, 1));
    assert!(
        started.elapsed() < Duration::from_millis(200) + SLACK * 2,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn decode_error_for_malformed_json() {
    let body = r#"{"total": 1, "instances": ["#;
    let (server, _) = scripted(vec![
        json_reply(200, body).insert_header("X-Request-Id", "r-mal"),
    ])
    .await;
    let e = decode_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.status, 200);
    assert_eq!(e.operation, "list_htap_instance_info");
    assert_eq!(e.request_id.as_deref(), Some("r-mal"));
    assert_eq!(e.content_type.as_deref(), Some("application/json"));
    assert_eq!(e.excerpt, body);
    assert!(e.message.contains("EOF"), "message: {}", e.message);
}

#[tokio::test]
async fn decode_error_for_trailing_garbage() {
    let (server, _) = scripted(vec![json_reply(200, r#"{"total":0} {"total":1}"#)]).await;
    let e = decode_err(list(&client(&config_for(&server.uri()))).await);
    assert!(e.message.contains("trailing"), "message: {}", e.message);
}

#[tokio::test]
async fn decode_error_for_non_json_content_type() {
    let html = "<html><body>maintenance</body></html>";
    let (server, _) = scripted(vec![
        ResponseTemplate::new(200).set_body_raw(html.as_bytes().to_vec(), "text/html"),
    ])
    .await;
    let e = decode_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.status, 200);
    assert_eq!(e.content_type.as_deref(), Some("text/html"));
    assert_eq!(e.path, ".");
    assert!(
        e.message.contains("Content-Type") && e.message.contains("text/html"),
        "message: {}",
        e.message
    );
    assert_eq!(e.excerpt, html);
}

#[tokio::test]
async fn json_content_type_with_parameters_and_suffix_is_accepted() {
    let (server, _) = scripted(vec![
        ResponseTemplate::new(200).set_body_raw(
            br#"{"total":3}"#.to_vec(),
            "Application/JSON; charset=UTF-8",
        ),
        ResponseTemplate::new(200)
            .set_body_raw(br#"{"total":4}"#.to_vec(), "application/problem+json"),
    ])
    .await;
    let c = client(&config_for(&server.uri()));
    assert_eq!(list(&c).await.unwrap().total, Some(3));
    assert_eq!(list(&c).await.unwrap().total, Some(4));
}

#[tokio::test]
async fn decode_error_for_empty_success_body() {
    let (server, _) = scripted(vec![
        status(200),
        ResponseTemplate::new(200).set_body_raw(b"  \n".to_vec(), "application/json"),
    ])
    .await;
    let c = client(&config_for(&server.uri()));
    for _ in 0..2 {
        let e = decode_err(list(&c).await);
        assert_eq!(e.status, 200);
        assert!(e.message.contains("empty"), "message: {}", e.message);
    }
}

/// A body cut short (Content-Length promises more than is sent before the close)
/// surfaces as a transport error of kind `Connection`, not as a decode error: the
/// reply never arrived in full.
#[tokio::test]
async fn truncated_body_is_a_transport_connection_error() {
    let server = RawServer::start(|_| {
        Action::Reply(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\
              Connection: close\r\n\r\n{\"total\":1,"
                .to_vec(),
        )
    })
    .await;
    let result = list(&client(&config_for(&server.endpoint()))).await;
    let display = result.as_ref().err().map(ToString::to_string).unwrap();
    let e = transport_err(result);
    assert_eq!(e.kind, TransportKind::Connection);
    assert_eq!(e.attempts, 1);
    assert!(display.contains("connection failed"), "{display}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn reply_larger_than_max_response_bytes_is_a_decode_error() {
    const TOTAL: usize = 64 * 1024 * 1024;
    let server = RawServer::start(|_| Action::Flood { total: TOTAL }).await;
    let config = config_for(&server.endpoint()).with_max_response_bytes(1024);
    let c = client(&config);
    let started = Instant::now();
    let e = decode_err(list(&c).await);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(e.status, 200);
    assert!(
        e.message.contains("1024") && e.message.contains("limit"),
        "message: {}",
        e.message
    );
    assert!(e.excerpt.len() <= DecodeError::EXCERPT_LEN + '…'.len_utf8());
    // The client stopped reading: the server could not write the whole reply.
    bounded(async {
        while !server.flood_done.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let written = server.flooded.load(Ordering::SeqCst);
    assert!(written < TOTAL, "the server wrote all {written} bytes");
}

#[tokio::test]
async fn reply_within_max_response_bytes_decodes() {
    // The limit is inclusive: a reply of exactly the limit decodes.
    let body = format!(
        r#"{{"total":7,"instances":[{{"name":"{}"}}]}}"#,
        "n".repeat(200)
    );
    let (server, _) = scripted(vec![json_reply(200, &body)]).await;
    let config = config_for(&server.uri()).with_max_response_bytes(body.len());
    let reply = list(&client(&config)).await.unwrap();
    assert_eq!(reply.total, Some(7));
    // One byte less is over the limit.
    let config = config_for(&server.uri()).with_max_response_bytes(body.len() - 1);
    let e = decode_err(list(&client(&config)).await);
    assert!(e.message.contains("limit"), "message: {}", e.message);
}

#[tokio::test]
async fn decode_error_names_the_path_of_a_deep_type_mismatch() {
    // A long first instance, so the body is far longer than the excerpt.
    let body = format!(
        r#"{{"total":2,"instances":[{{"id":"a","name":"{}","port":"33o6"}}]}}"#,
        "x".repeat(3000)
    );
    let (server, _) = scripted(vec![json_reply(200, &body)]).await;
    let e = decode_err(list(&client(&config_for(&server.uri()))).await);
    assert_eq!(e.path, "instances[0].port");
    assert!(
        e.message.contains("invalid type") && e.message.contains("33o6"),
        "message: {}",
        e.message
    );
    assert!(
        e.excerpt.len() <= DecodeError::EXCERPT_LEN + '…'.len_utf8(),
        "excerpt of {} bytes",
        e.excerpt.len()
    );
    assert!(e.excerpt.ends_with('…'), "excerpt: {}", e.excerpt);
    assert!(body.starts_with(e.excerpt.trim_end_matches('…')));
    let display = Error::Decode(Box::new(e)).to_string();
    assert!(display.contains("instances[0].port"), "{display}");
}

/// Runs `fut` with a thread-local subscriber at WARN (the call runs on this
/// thread, see [`each_attempt_is_logged_once`]); returns what it logged too.
async fn with_warnings<T>(fut: impl Future<Output = T>) -> (T, String) {
    tracing_capture();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let out = {
        let _guard = tracing::subscriber::set_default(subscriber);
        fut.await
    };
    (out, captured.text())
}

/// The message of a conversion warning.
const CONVERTED: &str = "read it as the declared type";

/// A number where the model says string and the reverse, as Huawei's services
/// send them, decode into the declared types; each conversion is one warning
/// naming the operation, the path and both types (never the value).
#[tokio::test]
async fn schema_drift_is_read_as_the_declared_types_with_one_warning_each() {
    let body = r#"{"total": "2", "max_htap_instance_num_of_taurus": 4, "instances": [
        {"id": "a", "port": "3306", "is_frozen": "false", "pay_model": 0, "name": 7001,
         "instance_state": {"wait_restart_for_params": "true"}, "create_at": "1700000000000"},
        {"id": "b", "port": 3307, "is_frozen": true, "pay_model": "1", "proxy_ips": ["10.0.0.1", 8]}
    ]}"#;
    let (server, _) = scripted(vec![
        json_reply(200, body).insert_header("X-Request-Id", "req-drift"),
    ])
    .await;
    let c = client(&config_for(&server.uri()));
    let (reply, logged) = with_warnings(list(&c)).await;
    let reply = reply.unwrap();
    assert_eq!(reply.total, Some(2));
    assert_eq!(reply.max_htap_instance_num_of_taurus, Some(4));
    let instances = reply.instances.unwrap();
    let (a, b) = (&instances[0], &instances[1]);
    assert_eq!(a.port, Some(3306));
    assert_eq!(a.is_frozen, Some(false));
    assert_eq!(
        a.pay_model,
        Some(models::HtapInstanceListInstancesPayModel::PayPerUse)
    );
    assert_eq!(a.name.as_deref(), Some("7001"));
    assert_eq!(
        a.instance_state
            .as_ref()
            .and_then(|s| s.wait_restart_for_params),
        Some(true)
    );
    assert_eq!(a.create_at, Some(1_700_000_000_000));
    assert_eq!((b.port, b.is_frozen), (Some(3307), Some(true)));
    assert_eq!(
        b.pay_model,
        Some(models::HtapInstanceListInstancesPayModel::YearlyMonthly)
    );
    assert_eq!(
        b.proxy_ips.as_deref(),
        Some(&["10.0.0.1".to_owned(), "8".to_owned()][..])
    );

    let warnings: Vec<&str> = logged.lines().filter(|l| l.contains(CONVERTED)).collect();
    let expected = [
        ("total", "string", "i32"),
        ("instances[0].port", "string", "i32"),
        ("instances[0].is_frozen", "string", "bool"),
        ("instances[0].pay_model", "number", "string"),
        ("instances[0].name", "number", "string"),
        (
            "instances[0].instance_state.wait_restart_for_params",
            "string",
            "bool",
        ),
        ("instances[0].create_at", "string", "i64"),
        ("instances[1].proxy_ips[1]", "number", "string"),
    ];
    assert_eq!(warnings.len(), expected.len(), "{logged}");
    for (path, found, read_as) in expected {
        let fields = [
            format!("path={path} "),
            format!("found=\"{found}\""),
            format!("read_as=\"{read_as}\""),
        ];
        let matching: Vec<&&str> = warnings
            .iter()
            .filter(|w| fields.iter().all(|f| w.contains(f.as_str())))
            .collect();
        assert_eq!(matching.len(), 1, "one warning for {path}:\n{logged}");
    }
    for warning in &warnings {
        assert!(warning.contains(" WARN "), "{warning}");
        for field in [
            "operation=\"list_htap_instance_info\"",
            "request_id=\"req-drift\"",
        ] {
            assert!(warning.contains(field), "lacks {field}: {warning}");
        }
        // Types, not values: a value might be a secret.
        for value in ["3306", "7001", "1700000000000"] {
            assert!(!warning.contains(value), "shows {value}: {warning}");
        }
    }
}

/// A reply that matches its model takes the fast path and logs no warning.
#[tokio::test]
async fn a_well_formed_reply_logs_no_warning() {
    let body = r#"{"total": 1, "instances": [{"id": "a", "port": 3306, "is_frozen": false, "pay_model": "0"}]}"#;
    let (server, _) = scripted(vec![json_reply(200, body)]).await;
    let c = client(&config_for(&server.uri()));
    let (reply, logged) = with_warnings(list(&c)).await;
    assert_eq!(reply.unwrap().instances.unwrap()[0].port, Some(3306));
    assert!(!logged.contains(CONVERTED), "{logged}");
}

/// A mismatch that would lose something still fails the reply, at its path,
/// and the conversions made before it are not logged.
#[tokio::test]
async fn a_lossy_mismatch_is_still_a_decode_error_at_its_path() {
    let cases = [
        (
            r#"{"total": 2, "instances": [{"port": "33o6"}]}"#,
            "instances[0].port",
            "33o6",
        ),
        (
            r#"{"total": "2", "instances": [{"port": "3306"}, {"port": "03306"}]}"#,
            "instances[1].port",
            "03306",
        ),
        (r#"{"total": 1.5, "instances": []}"#, "total", "1.5"),
        (r#"{"total": "5000000000"}"#, "total", "5000000000"),
        (
            r#"{"instances": [{"is_frozen": "False"}]}"#,
            "instances[0].is_frozen",
            "False",
        ),
        (
            r#"{"instances": [{"is_frozen": 0}]}"#,
            "instances[0].is_frozen",
            "0",
        ),
        (
            r#"{"instances": [{"name": {"first": "a"}}]}"#,
            "instances[0].name",
            "map",
        ),
        (r#"{"instances": {"port": 1}}"#, "instances", "map"),
    ];
    for (body, path, shown) in cases {
        let (server, _) = scripted(vec![
            json_reply(200, body).insert_header("X-Request-Id", "req-lossy"),
        ])
        .await;
        let c = client(&config_for(&server.uri()));
        let (result, logged) = with_warnings(list(&c)).await;
        let e = decode_err(result);
        assert_eq!(e.path, path, "{body}");
        assert!(
            e.message.contains("invalid") && e.message.contains(shown),
            "{body}: {}",
            e.message
        );
        assert_eq!(e.excerpt, body);
        assert_eq!(e.request_id.as_deref(), Some("req-lossy"));
        assert!(!logged.contains(CONVERTED), "{body}: {logged}");
    }
}

/// The slow path still reports malformed JSON with where it broke, and refuses
/// a repeated key the fast path would have refused.
#[tokio::test]
async fn malformed_json_on_the_slow_path_names_its_path() {
    let (server, _) = scripted(vec![
        json_reply(
            200,
            r#"{"total": 1, "instances": [{"id": "a"}, {"id": nul}]}"#,
        ),
        json_reply(200, r#"{"total": "1", "total": 2}"#),
    ])
    .await;
    let c = client(&config_for(&server.uri()));
    let e = decode_err(list(&c).await);
    assert_eq!(e.path, "instances[1].id");
    assert!(e.message.contains("line 1"), "{}", e.message);
    let e = decode_err(list(&c).await);
    assert_eq!(e.path, "total");
    assert!(
        e.message.contains("duplicate field `total`"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn config_error_without_project_id_sends_nothing() {
    let server = MockServer::start().await;
    let config = Config::new()
        .with_endpoint(server.uri())
        .with_credentials(Credentials::aksk(AK, SK));
    let result = list(&client(&config)).await;
    match result {
        Err(Error::Config(message)) => {
            assert!(message.contains("project id"), "message: {message}")
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn config_error_without_credentials_sends_nothing() {
    let server = MockServer::start().await;
    let config = Config::new()
        .with_endpoint(server.uri())
        .with_project_id(PROJECT_ID);
    match list(&client(&config)).await {
        Err(Error::Config(message)) => {
            assert!(message.contains("no credentials"), "message: {message}");
            assert!(
                message.contains("Credentials::anonymous"),
                "message: {message}"
            );
        }
        other => panic!("expected Error::Config, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn anonymous_requests_go_out_unsigned_when_asked_for() {
    let (server, log) = scripted(vec![json_reply(200, LIST_OK)]).await;
    let config = Config::new()
        .with_endpoint(server.uri())
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::anonymous());
    list(&client(&config)).await.unwrap();
    let request = &log.requests()[0];
    for header in [
        "authorization",
        "x-project-id",
        "x-auth-token",
        "x-sdk-date",
    ] {
        assert!(
            !request.headers.contains_key(header),
            "an anonymous request carries `{header}`"
        );
    }
    assert!(
        request.url.path().contains(PROJECT_ID),
        "the project id still fills the path"
    );
}

#[tokio::test]
async fn an_error_after_retries_says_how_many_attempts_were_made() {
    let (server, log) = scripted(vec![status(503), status(503), status(503)]).await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let e = list(&client(&config)).await.unwrap_err();
    assert_eq!(log.hits(), 3);
    match &e {
        Error::Api(api) => assert_eq!(api.attempts, 3),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(e.to_string().contains("after 3 attempts"), "{e}");

    // One attempt says nothing about attempts.
    let (server, _) = scripted(vec![status(503)]).await;
    let e = list(&client(&config_for(&server.uri()))).await.unwrap_err();
    assert!(!e.to_string().contains("attempt"), "{e}");

    // Transport failures count their attempts the same way.
    let config = config_for(&closed_endpoint()).with_retry(fast_retry(2));
    let e = list(&client(&config)).await.unwrap_err();
    assert!(e.to_string().contains("after 2 attempts"), "{e}");
}

/// One event per attempt, and the call's span records its outcome once.
#[tokio::test]
async fn each_attempt_is_logged_once() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .without_time()
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let (server, _) = scripted(vec![
        status(503),
        status(502),
        json_reply(200, LIST_OK).insert_header("X-Request-Id", "req-once"),
    ])
    .await;
    let c = client(&config_for(&server.uri()).with_retry(fast_retry(3)));
    {
        // This test's calls run on this thread, so a thread-local subscriber sees
        // them and nothing from the other tests.
        let _guard = tracing::subscriber::set_default(subscriber);
        list(&c).await.unwrap();
    }
    let text = String::from_utf8_lossy(&buffer.0.lock().unwrap()).into_owned();
    let count = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(count("attempt failed; retrying"), 2, "{text}");
    assert_eq!(count("attempt succeeded"), 1, "{text}");
    assert_eq!(
        count("attempt"),
        3 + 1,
        "three attempt events and one span close:\n{text}"
    );
    let close: Vec<&str> = text.lines().filter(|l| l.contains("close")).collect();
    assert_eq!(close.len(), 1, "{text}");
    for field in ["status=200", "request_id=\"req-once\"", "attempts=3"] {
        assert!(
            close[0].contains(field),
            "span close lacks {field}: {}",
            close[0]
        );
    }
}

#[tokio::test]
async fn config_error_without_endpoint_or_region() {
    match gaussdb::Client::new(&Config::new()) {
        Err(Error::Config(message)) => assert!(message.contains("region"), "{message}"),
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_error_for_empty_path_parameter_sends_nothing() {
    let server = MockServer::start().await;
    // Caught by the generated checks, or with them off by the runtime itself: an
    // empty segment would change which resource the path names.
    for validate in [true, false] {
        let c = client(&config_for(&server.uri()).with_validation(validate));
        let e = validation_err(bounded(c.list_htap_instance_info("").send()).await);
        assert_eq!(e.operation, "list_htap_instance_info");
        assert_eq!(e.field, "instance_id");
        if !validate {
            assert_eq!(e.rule, "non-empty path segment");
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ===========================================================================
// 2. The server drops the connection
// ===========================================================================

#[tokio::test]
async fn dropped_connection_on_post_is_not_retried() {
    let server = RawServer::start(|_| Action::Close).await;
    let config = config_for(&server.endpoint()).with_retry(fast_retry(3));
    let e = transport_err(create(&client(&config)).await);
    assert_eq!(e.kind, TransportKind::Connection);
    assert_eq!(e.attempts, 1);
    // Give a wrongly scheduled retry time to show up before counting.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.hits(), 1, "the POST may have been acted on");
}

#[tokio::test]
async fn dropped_connection_on_get_is_retried() {
    let server = RawServer::start(|_| Action::Close).await;
    let config = config_for(&server.endpoint()).with_retry(fast_retry(3));
    let e = transport_err(list(&client(&config)).await);
    assert_eq!(e.kind, TransportKind::Connection);
    assert_eq!(e.attempts, 3);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn get_recovers_after_a_dropped_connection() {
    let server = RawServer::start(|n| match n {
        0 => Action::Close,
        _ => Action::Reply(http_reply("200 OK", "application/json", r#"{"total":5}"#)),
    })
    .await;
    let config = config_for(&server.endpoint()).with_retry(fast_retry(3));
    let reply = list(&client(&config)).await.unwrap();
    assert_eq!(reply.total, Some(5));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn attempt_timeout_is_retried_for_get_but_not_for_post() {
    let slow = |_| {
        Action::After(
            Duration::from_secs(3),
            http_reply("200 OK", "application/json", LIST_OK),
        )
    };
    let get_server = RawServer::start(slow).await;
    let config = config_for(&get_server.endpoint())
        .with_retry(fast_retry(2))
        .with_attempt_timeout(Duration::from_millis(150));
    let e = timeout_err(list(&client(&config)).await);
    assert_eq!((e.kind, e.attempts), (TimeoutKind::Attempt, 2));
    assert_eq!(get_server.hits(), 2);

    let post_server = RawServer::start(slow).await;
    let config = config_for(&post_server.endpoint())
        .with_retry(fast_retry(2))
        .with_attempt_timeout(Duration::from_millis(150));
    let e = timeout_err(create(&client(&config)).await);
    assert_eq!((e.kind, e.attempts), (TimeoutKind::Attempt, 1));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(post_server.hits(), 1);
}

// ===========================================================================
// 3. Retries
// ===========================================================================

#[tokio::test]
async fn get_retries_503_until_success() {
    let (server, log) = scripted(vec![
        status(503),
        status(503),
        json_reply(200, r#"{"total":9}"#),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let reply = list(&client(&config)).await.unwrap();
    assert_eq!(reply.total, Some(9));
    assert_eq!(log.hits(), 3);
}

#[tokio::test]
async fn get_retries_each_retryable_5xx() {
    for code in [500, 502, 504] {
        let (server, log) = scripted(vec![status(code), json_reply(200, LIST_OK)]).await;
        let config = config_for(&server.uri()).with_retry(fast_retry(3));
        list(&client(&config))
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(log.hits(), 2, "status {code}");
    }
}

#[tokio::test]
async fn get_does_not_retry_a_client_error() {
    let (server, log) = scripted(vec![
        json_reply(404, r#"{"error_code":"DBS.1","error_msg":"no"}"#),
        json_reply(200, LIST_OK),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    assert_eq!(api_err(list(&client(&config)).await).status, 404);
    assert_eq!(log.hits(), 1);
}

#[tokio::test]
async fn backoff_gaps_follow_equal_jitter_exponential_steps() {
    let (server, log) = scripted(vec![status(503)]).await;
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_backoff(Duration::from_millis(100), Duration::from_secs(1));
    let config = config_for(&server.uri()).with_retry(policy);
    assert_eq!(api_err(list(&client(&config)).await).status, 503);
    let gaps = log.gaps();
    assert_eq!(gaps.len(), 3, "4 attempts expected, gaps {gaps:?}");
    for (k, gap) in gaps.iter().enumerate() {
        let step = Duration::from_millis(100 * (1 << k));
        assert!(
            *gap >= step / 2 && *gap <= step + SLACK,
            "gap {} is {gap:?}, expected within [{:?}, {:?}] (all gaps {gaps:?})",
            k + 1,
            step / 2,
            step + SLACK
        );
    }
}

#[tokio::test]
async fn backoff_is_capped_by_max_backoff() {
    let (server, log) = scripted(vec![status(503)]).await;
    let policy = RetryPolicy::default()
        .with_max_attempts(5)
        .with_backoff(Duration::from_millis(40), Duration::from_millis(80));
    let config = config_for(&server.uri()).with_retry(policy);
    api_err(list(&client(&config)).await);
    let gaps = log.gaps();
    assert_eq!(gaps.len(), 4);
    // Steps 40, 80, 80 (capped), 80 (capped).
    for gap in &gaps[1..] {
        assert!(
            *gap >= Duration::from_millis(40) && *gap <= Duration::from_millis(80) + SLACK,
            "gaps {gaps:?}"
        );
    }
}

#[tokio::test]
async fn post_is_not_retried_after_503() {
    let (server, log) = scripted(vec![status(503), json_reply(201, CREATE_OK)]).await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let e = api_err(create(&client(&config)).await);
    assert_eq!(e.status, 503);
    assert_eq!(e.operation, "create_starrocks_instance");
    assert_eq!(log.hits(), 1);
}

#[tokio::test]
async fn post_is_retried_after_429() {
    let (server, log) = scripted(vec![
        json_reply(429, r#"{"error_code":"APIG.0308","error_msg":"throttled"}"#),
        json_reply(201, CREATE_OK),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let reply = create(&client(&config)).await.unwrap();
    assert_eq!(
        reply.job_id.as_deref(),
        Some("cf0b7506-1505-450f-9d95-ce9d93b6b5c3")
    );
    assert_eq!(log.hits(), 2);
    // Both attempts carried the same body.
    let requests = log.requests();
    assert_eq!(requests[0].body, requests[1].body);
    assert!(!requests[0].body.is_empty());
}

#[tokio::test]
async fn post_is_retried_on_a_throttling_error_code() {
    let (server, log) = scripted(vec![
        json_reply(400, r#"{"error_code":"APIG.0308","error_msg":"throttled"}"#),
        json_reply(201, CREATE_OK),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    create(&client(&config)).await.unwrap();
    assert_eq!(log.hits(), 2);
}

#[tokio::test]
async fn put_is_retried_after_503() {
    let (server, log) = scripted(vec![
        status(503),
        json_reply(200, r#"{"source_database_name":"db1"}"#),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let reply = modify(&client(&config)).await.unwrap();
    assert_eq!(reply.source_database_name.as_deref(), Some("db1"));
    assert_eq!(log.hits(), 2);
}

#[tokio::test]
async fn max_attempts_is_respected() {
    let (server, log) = scripted(vec![status(503)]).await;
    let config = config_for(&server.uri()).with_retry(fast_retry(4));
    assert_eq!(api_err(list(&client(&config)).await).status, 503);
    assert_eq!(log.hits(), 4);
}

#[tokio::test]
async fn disabled_retry_policy_sends_one_request() {
    let (server, log) = scripted(vec![status(503), json_reply(200, LIST_OK)]).await;
    let config = config_for(&server.uri()).with_retry(RetryPolicy::disabled());
    assert_eq!(api_err(list(&client(&config)).await).status, 503);
    assert_eq!(log.hits(), 1);
}

#[tokio::test]
async fn classifier_retries_a_post_with_a_matching_error_code() {
    let replies = || {
        vec![
            json_reply(
                400,
                r#"{"error_code":"DBS.280343","error_msg":"busy, try again"}"#,
            ),
            json_reply(201, CREATE_OK),
        ]
    };
    // With the classifier: retried, succeeds on the second attempt.
    let (server, log) = scripted(replies()).await;
    let policy = fast_retry(3).with_classifier(|e: &ApiError| e.error_code == "DBS.280343");
    let config = config_for(&server.uri()).with_retry(policy);
    create(&client(&config)).await.unwrap();
    assert_eq!(log.hits(), 2);

    // Without it, or with one that does not match: one attempt, the 400 is returned.
    for policy in [
        fast_retry(3),
        fast_retry(3).with_classifier(|e: &ApiError| e.error_code == "DBS.999999"),
    ] {
        let (server, log) = scripted(replies()).await;
        let config = config_for(&server.uri()).with_retry(policy);
        let e = api_err(create(&client(&config)).await);
        assert_eq!((e.status, e.error_code.as_str()), (400, "DBS.280343"));
        assert_eq!(log.hits(), 1);
    }
}

// ===========================================================================
// 4 and 7. Signing: every attempt signed anew, signatures verify on the server
// ===========================================================================

#[tokio::test]
async fn post_signature_verifies() {
    let (server, log) = scripted(vec![json_reply(201, CREATE_OK)]).await;
    create(&client(&config_for(&server.uri()))).await.unwrap();
    let requests = log.requests();
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        format!("/v3/{PROJECT_ID}/instances/{INSTANCE}/starrocks")
    );
    assert!(!request.body.is_empty());
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    let mut expected = starrocks_example();
    expected["db_root_pwd"] = json!("Test@123!");
    assert_eq!(body, expected);
    let signed = verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        signed,
        "content-type;host;user-agent;x-project-id;x-sdk-date"
    );
    assert_eq!(
        received_header(request, "x-project-id").as_deref(),
        Some(PROJECT_ID)
    );
    // X-Sdk-Date is the current UTC time.
    let date = received_header(request, "x-sdk-date").unwrap();
    let now = SystemTime::now();
    let recent: Vec<String> = (0..10)
        .map(|s| signer::sdk_date(now - Duration::from_secs(s)))
        .collect();
    assert!(
        recent.contains(&date),
        "X-Sdk-Date {date} is not now ({})",
        recent[0]
    );
    // A wrong SK does not verify, so the check is real.
    assert!(verify_signature(request, AK, "another-sk").is_err());
}

#[tokio::test]
async fn get_signature_verifies_with_an_encoded_path_parameter() {
    let (server, log) = scripted(vec![json_reply(200, LIST_OK)]).await;
    // Client-side validation would reject this id; the runtime must still encode it.
    let c = client(&config_for(&server.uri()).with_validation(false));
    bounded(c.list_htap_instance_info("a b/c").send())
        .await
        .unwrap();
    let requests = log.requests();
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        format!("/v3/{PROJECT_ID}/instances/a%20b%2Fc/htap")
    );
    assert!(request.body.is_empty());
    verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn signature_covers_optional_headers() {
    let (server, log) = scripted(vec![json_reply(200, LIST_OK)]).await;
    let c = client(&config_for(&server.uri()));
    bounded(
        c.list_htap_instance_info(INSTANCE)
            .x_language("zh-cn")
            .send(),
    )
    .await
    .unwrap();
    let request = &log.requests()[0];
    assert_eq!(
        received_header(request, "x-language").as_deref(),
        Some("zh-cn")
    );
    let signed = verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
    assert!(signed.split(';').any(|h| h == "x-language"), "{signed}");
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_security_token() {
    let (server, log) = scripted(vec![json_reply(201, CREATE_OK)]).await;
    let config = config_for(&server.uri()).with_credentials(Credentials::temporary(
        AK,
        SK,
        "sts-token-value",
    ));
    create(&client(&config)).await.unwrap();
    let request = &log.requests()[0];
    assert_eq!(
        received_header(request, "x-security-token").as_deref(),
        Some("sts-token-value")
    );
    let signed = verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        signed.split(';').any(|h| h == "x-security-token"),
        "SignedHeaders={signed}"
    );
}

#[tokio::test]
async fn token_credentials_send_x_auth_token_and_no_signature() {
    let (server, log) = scripted(vec![json_reply(200, LIST_OK)]).await;
    let config = config_for(&server.uri()).with_credentials(Credentials::token("iam-token"));
    list(&client(&config)).await.unwrap();
    let request = &log.requests()[0];
    assert_eq!(
        received_header(request, "x-auth-token").as_deref(),
        Some("iam-token")
    );
    assert_eq!(received_header(request, "authorization"), None);
    assert_eq!(received_header(request, "x-sdk-date"), None);
}

#[tokio::test]
async fn every_attempt_is_signed_anew() {
    // `Retry-After: 1` puts the attempts in different seconds, so X-Sdk-Date differs.
    let (server, log) = scripted(vec![
        status(503).insert_header("Retry-After", "1"),
        json_reply(200, LIST_OK),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    list(&client(&config)).await.unwrap();
    let requests = log.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
    }
    let dates: Vec<_> = requests
        .iter()
        .map(|r| received_header(r, "x-sdk-date").unwrap())
        .collect();
    let auths: Vec<_> = requests
        .iter()
        .map(|r| received_header(r, "authorization").unwrap())
        .collect();
    assert_ne!(dates[0], dates[1], "the retry reused the first X-Sdk-Date");
    assert_ne!(auths[0], auths[1], "the retry reused the first signature");
    assert!(dates[0] < dates[1], "{dates:?}");
}

#[tokio::test]
async fn endpoint_path_prefix_is_sent_and_signed() {
    let (server, log) = scripted(vec![json_reply(200, LIST_OK)]).await;
    let config = config_for(&format!("{}/gateway/", server.uri()));
    list(&client(&config)).await.unwrap();
    let request = &log.requests()[0];
    assert_eq!(
        request.url.path(),
        format!("/gateway/v3/{PROJECT_ID}/instances/{INSTANCE}/htap")
    );
    verify_signature(request, AK, SK).unwrap_or_else(|e| panic!("{e}"));
}

// ===========================================================================
// Other wire behaviour: unsendable requests, redirects, connection pool
// ===========================================================================

/// A header value that cannot be sent fails before anything goes on the wire; the
/// same request would fail the same way again, so it should not be retried.
#[tokio::test]
async fn unsendable_header_value_is_refused_before_sending() {
    let server = MockServer::start().await;
    let config = config_for(&server.uri())
        .with_validation(false)
        .with_retry(fast_retry(3));
    let result = bounded(
        client(&config)
            .list_htap_instance_info(INSTANCE)
            .x_language("en-us\r\nX-Injected: 1")
            .send(),
    )
    .await;
    let e = validation_err(result);
    assert_eq!(
        (e.field.as_str(), e.rule.as_str()),
        ("header X-Language", "header value")
    );
    let shown = e.to_string();
    assert!(shown.contains("\\r at byte 5"), "{shown}");
    assert!(!shown.contains(['\r', '\n']), "{shown}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A redirect to another host must not carry the credentials (or the body) there.
/// reqwest follows redirects by default and strips only `Authorization`, `Cookie`
/// and `Proxy-Authorization` on a cross-host hop; `X-Auth-Token`,
/// `X-Security-Token` and a 307/308 body (with `db_root_pwd`) go along.
#[tokio::test]
async fn redirect_to_another_host_does_not_forward_credentials() {
    let (elsewhere, elsewhere_log) =
        scripted(vec![json_reply(200, LIST_OK), json_reply(201, CREATE_OK)]).await;
    // The same server under another host name, so the hop is cross-host.
    let target = elsewhere.uri().replace("127.0.0.1", "localhost");
    let (origin, _) =
        scripted(vec![status(307).insert_header(
            "Location",
            format!("{target}/v3/moved").as_str(),
        )])
        .await;

    let config = config_for(&origin.uri()).with_credentials(Credentials::token("redirect-token"));
    let _ = list(&client(&config)).await;
    let config =
        config_for(&origin.uri()).with_credentials(Credentials::temporary(AK, SK, "redirect-sts"));
    let _ = bounded(
        client(&config)
            .create_starrocks_instance(INSTANCE, starrocks_body("Redirect@Pwd1"))
            .send(),
    )
    .await;

    for request in elsewhere_log.requests() {
        for name in ["x-auth-token", "x-security-token", "authorization"] {
            assert_eq!(
                received_header(&request, name),
                None,
                "`{name}` was forwarded to {target}"
            );
        }
        let body = String::from_utf8_lossy(&request.body);
        assert!(
            !body.contains("Redirect@Pwd1"),
            "the password was forwarded to {target}"
        );
    }
}

/// `Config`'s documentation: "Build it once and create every service client from it;
/// they share one connection pool."
#[tokio::test]
async fn clients_from_one_config_share_a_connection_pool() {
    // A keep-alive server that counts connections.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepts = Arc::new(AtomicUsize::new(0));
    let server = {
        let accepts = accepts.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                accepts.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    while read_request(&mut stream).await.is_some() {
                        let reply = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\n\r\n{LIST_OK}",
                            LIST_OK.len()
                        );
                        if stream.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        })
    };
    let config = config_for(&format!("http://{addr}"));
    let first = client(&config);
    let second = client(&config);
    list(&first).await.unwrap();
    list(&first).await.unwrap();
    // Control: one client reuses its connection.
    assert_eq!(accepts.load(Ordering::SeqCst), 1);
    list(&second).await.unwrap();
    let connections = accepts.load(Ordering::SeqCst);
    server.abort();
    assert_eq!(
        connections, 1,
        "the second client from the same Config opened a connection of its own"
    );
}

// ===========================================================================
// 5. Retry-After
// ===========================================================================

#[tokio::test]
async fn retry_after_is_honoured_over_a_shorter_backoff() {
    let (server, log) = scripted(vec![
        json_reply(429, r#"{"error_code":"APIG.0308","error_msg":"slow down"}"#)
            .insert_header("Retry-After", "1"),
        json_reply(200, LIST_OK),
    ])
    .await;
    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(10), Duration::from_millis(10));
    let config = config_for(&server.uri()).with_retry(policy);
    list(&client(&config)).await.unwrap();
    let gaps = log.gaps();
    assert_eq!(gaps.len(), 1);
    assert!(
        gaps[0] >= Duration::from_secs(1) && gaps[0] <= Duration::from_secs(1) + SLACK,
        "gap {:?}",
        gaps[0]
    );
}

#[tokio::test]
async fn retry_after_longer_than_the_maximum_ends_the_retries() {
    let too_long = (MAX_RETRY_AFTER + Duration::from_secs(1))
        .as_secs()
        .to_string();
    let (server, log) = scripted(vec![
        json_reply(429, r#"{"error_code":"APIG.0308","error_msg":"slow down"}"#)
            .insert_header("Retry-After", too_long.as_str()),
        json_reply(200, LIST_OK),
    ])
    .await;
    let config = config_for(&server.uri()).with_retry(fast_retry(3));
    let c = client(&config);
    let started = Instant::now();
    let e = api_err(list(&c).await);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.status, 429);
    assert_eq!(log.hits(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_deadline_returns_promptly() {
    let (server, log) = scripted(vec![
        status(503).insert_header("Retry-After", "5"),
        json_reply(200, LIST_OK),
    ])
    .await;
    let config = config_for(&server.uri())
        .with_retry(fast_retry(3))
        .with_deadline(Duration::from_secs(2));
    let c = client(&config);
    let started = Instant::now();
    let e = api_err(list(&c).await);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(e.status, 503);
    assert_eq!(log.hits(), 1);
}

// ===========================================================================
// 6. Overall deadline
// ===========================================================================

#[tokio::test]
async fn deadline_bounds_the_retries_of_a_failing_server() {
    let (server, log) = scripted(vec![status(503)]).await;
    let deadline = Duration::from_millis(500);
    let policy = RetryPolicy::default()
        .with_max_attempts(10)
        .with_backoff(Duration::from_millis(200), Duration::from_secs(1));
    let config = config_for(&server.uri())
        .with_retry(policy)
        .with_deadline(deadline);
    let c = client(&config);
    let started = Instant::now();
    let result = list(&c).await;
    let elapsed = started.elapsed();
    // The runtime gives up when the next back-off would cross the deadline and
    // returns the last error (here the 503); a deadline timeout would do as well.
    match &result {
        Err(Error::Api(e)) => assert_eq!(e.status, 503),
        Err(Error::Timeout(t)) => assert_eq!(t.kind, TimeoutKind::Deadline),
        other => panic!("expected the 503 or a deadline timeout, got {other:?}"),
    }
    assert!(elapsed <= deadline + SLACK, "returned after {elapsed:?}");
    let hits = log.hits();
    assert!((2..10).contains(&hits), "{hits} attempts");
}

#[tokio::test]
async fn deadline_cuts_a_slow_attempt() {
    let server = RawServer::start(|_| {
        Action::After(
            Duration::from_secs(2),
            http_reply("200 OK", "application/json", LIST_OK),
        )
    })
    .await;
    let deadline = Duration::from_millis(300);
    let config = config_for(&server.endpoint())
        .with_retry(fast_retry(3))
        .with_attempt_timeout(Duration::from_secs(10))
        .with_deadline(deadline);
    let c = client(&config);
    let started = Instant::now();
    let e = timeout_err(list(&c).await);
    let elapsed = started.elapsed();
    assert_eq!(e.kind, TimeoutKind::Deadline);
    assert_eq!(e.after, deadline);
    assert_eq!(e.attempts, 1);
    assert!(
        elapsed >= deadline && elapsed <= deadline + SLACK,
        "returned after {elapsed:?}"
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn deadline_spans_several_attempts() {
    // Each attempt times out after 150 ms; the 420 ms deadline leaves room for two
    // whole attempts and cuts the third short.
    let server = RawServer::start(|_| {
        Action::After(
            Duration::from_secs(3),
            http_reply("200 OK", "application/json", LIST_OK),
        )
    })
    .await;
    let deadline = Duration::from_millis(420);
    let config = config_for(&server.endpoint())
        .with_retry(fast_retry(10))
        .with_attempt_timeout(Duration::from_millis(150))
        .with_deadline(deadline);
    let c = client(&config);
    let started = Instant::now();
    let result = list(&c).await;
    let elapsed = started.elapsed();
    let e = timeout_err(result);
    // Normally the third attempt runs into the deadline. On a slow machine the
    // runtime may instead find no room for the next back-off and return the last
    // attempt's own timeout; either way it stops near the deadline.
    match e.kind {
        TimeoutKind::Deadline => assert_eq!(e.after, deadline),
        TimeoutKind::Attempt => assert!(e.attempts >= 2, "{e:?}"),
        other => panic!("unexpected timeout kind {other:?}"),
    }
    assert!(elapsed <= deadline + SLACK, "{elapsed:?}");
    assert!(
        (2..10).contains(&server.hits()),
        "{} attempts",
        server.hits()
    );
}

// ===========================================================================
// 8. Secrets never leak
// ===========================================================================

/// Fails when `text` holds a secret, the unmasked AK or a signature.
fn assert_no_secret(what: &str, text: &str) {
    for secret in [LEAK_AK, LEAK_SK, LEAK_TOKEN, LEAK_STS, LEAK_PWD] {
        assert!(
            !text.contains(secret),
            "{what} contains the secret `{secret}`:\n{text}"
        );
    }
    for marker in ["Signature=", "SDK-HMAC-SHA256 Access"] {
        assert!(
            !text.contains(marker),
            "{what} contains an Authorization value (`{marker}`):\n{text}"
        );
    }
}

/// Debug and Display of an error, checked for secrets; returns both.
fn check_error(what: &str, error: &Error) -> String {
    let text = format!("{error}\n{error:?}");
    assert_no_secret(what, &text);
    text
}

fn leak_temporary() -> Credentials {
    Credentials::temporary(LEAK_AK, LEAK_SK, LEAK_STS)
}

fn leak_config(endpoint: &str, credentials: Credentials) -> Config {
    config_for(endpoint).with_credentials(credentials)
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let credentials = [
        Credentials::aksk(LEAK_AK, LEAK_SK),
        leak_temporary(),
        Credentials::token(LEAK_TOKEN),
    ];
    for c in &credentials {
        assert_no_secret("Debug of Credentials", &format!("{c:?}"));
    }
    // The AK is shown masked, so the output is about the credentials at all.
    assert!(format!("{:?}", credentials[1]).contains("AKLE"));

    for c in credentials {
        let config = leak_config("http://127.0.0.1:9", c);
        let debug = format!("{config:?}");
        assert_no_secret("Debug of Config", &debug);
        assert!(debug.contains(PROJECT_ID), "{debug}");
        let client = client(&config);
        assert_no_secret("Debug of Client", &format!("{client:?}"));
        let builder = client.create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD));
        let debug = format!("{builder:?}");
        assert_no_secret("Debug of the request builder", &debug);
        // The builder does print its body, with the password masked.
        assert!(debug.contains("htap-ff64"), "{debug}");
        let body = starrocks_body(LEAK_PWD);
        assert_no_secret("Debug of the request body", &format!("{body:?}"));
    }
}

/// `runtime::Request` is public (generated builders and raw calls assemble it); its
/// `Debug` must not print the serialized JSON body (as bytes, the password would be
/// readable by anyone who decodes the numbers).
#[test]
fn debug_of_a_runtime_request_hides_the_serialized_body() {
    static OP: runtime::OperationInfo = runtime::OperationInfo {
        id: "create_starrocks_instance",
        method: huaweicloud_sdk_core::Method::Post,
        path: "/v3/{project_id}/instances/{instance_id}/starrocks",
        client_params: &[("project_id", "project_id")],
        success_status: 201,
    };
    let mut request = runtime::Request::new(&OP);
    request.path_param("instance_id", INSTANCE);
    request
        .json_body("application/json", &starrocks_body(LEAK_PWD))
        .unwrap();
    let debug = format!("{request:?}");
    assert_no_secret("Debug of runtime::Request", &debug);
    let as_bytes = format!("{:?}", LEAK_PWD.as_bytes());
    let as_bytes = as_bytes.trim_start_matches('[').trim_end_matches(']');
    assert!(
        !debug.contains(as_bytes),
        "Debug of runtime::Request holds the password as bytes ({as_bytes}):\n{debug}"
    );
}

#[tokio::test]
async fn errors_hide_secrets() {
    let mut seen = Vec::new();

    // Api: an error reply to a POST carrying the password.
    let (server, _) = scripted(vec![json_reply(
        400,
        r#"{"error_code":"DBS.280001","error_msg":"bad request"}"#,
    )])
    .await;
    let c = client(&leak_config(&server.uri(), leak_temporary()));
    let result = bounded(
        c.create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
            .send(),
    )
    .await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Api(_)));
    seen.push(check_error("Api error", &e));

    // Decode: a malformed success reply.
    let (server, _) = scripted(vec![json_reply(201, r#"{"job_id": 12"#)]).await;
    let c = client(&leak_config(&server.uri(), leak_temporary()));
    let e = bounded(
        c.create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Decode(_)));
    seen.push(check_error("Decode error", &e));

    // Timeout: a silent server.
    let slow = RawServer::start(|_| {
        Action::After(
            Duration::from_secs(3),
            http_reply("201 Created", "application/json", CREATE_OK),
        )
    })
    .await;
    for credentials in [leak_temporary(), Credentials::token(LEAK_TOKEN)] {
        let config = leak_config(&slow.endpoint(), credentials)
            .with_attempt_timeout(Duration::from_millis(150));
        let e = bounded(
            client(&config)
                .create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
                .send(),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, Error::Timeout(_)));
        seen.push(check_error("Timeout error", &e));
    }

    // Transport: nothing listens, and a dropped connection.
    let dropper = RawServer::start(|_| Action::Close).await;
    for endpoint in [closed_endpoint(), dropper.endpoint()] {
        for credentials in [leak_temporary(), Credentials::token(LEAK_TOKEN)] {
            let c = client(&leak_config(&endpoint, credentials));
            let e = bounded(
                c.create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
                    .send(),
            )
            .await
            .unwrap_err();
            assert!(matches!(e, Error::Transport(_)), "{e:?}");
            seen.push(check_error("Transport error", &e));
        }
    }

    // Validation: an empty path parameter.
    let c = client(&leak_config(&closed_endpoint(), leak_temporary()));
    let e = bounded(
        c.create_starrocks_instance("", starrocks_body(LEAK_PWD))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Validation(_)));
    seen.push(check_error("Validation error", &e));

    // Config: no project id.
    let config = Config::new()
        .with_endpoint(closed_endpoint())
        .with_credentials(leak_temporary());
    let e = bounded(
        client(&config)
            .create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
            .send(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Config(_)));
    seen.push(check_error("Config error", &e));

    // Every error names its operation, so the texts were really produced.
    for text in &seen {
        assert!(text.contains("create_starrocks_instance"), "{text}");
    }
}

/// A `Write` into a shared buffer, for the tracing subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Everything logged through `tracing` at TRACE level by any test of this file.
///
/// Installed once as the global default, by [`client`] before the first client
/// exists, so no runtime callsite is registered before it: a thread-local
/// `set_default` races with callsites other test threads register at the same time
/// (their interest gets cached as "never") and then loses events.
fn tracing_capture() -> &'static Captured {
    static CAPTURE: OnceLock<Captured> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global tracing subscriber");
        captured
    })
}

/// Everything the runtime logs at TRACE level, over signed calls with retries, a token
/// call and failing calls with the leak-test secrets (plus whatever the other tests
/// of this file logged meanwhile), holds no secret.
#[tokio::test]
async fn tracing_output_hides_secrets() {
    let captured = tracing_capture();

    // Signed (temporary credentials) POST with the password, throttled once.
    let (server, log) = scripted(vec![
        json_reply(429, r#"{"error_code":"APIG.0308","error_msg":"slow down"}"#)
            .insert_header("X-Request-Id", "trace-req-1"),
        json_reply(201, CREATE_OK).insert_header("X-Request-Id", "trace-req-2"),
    ])
    .await;
    let config = leak_config(&server.uri(), leak_temporary()).with_retry(fast_retry(3));
    bounded(
        client(&config)
            .create_starrocks_instance(INSTANCE, starrocks_body(LEAK_PWD))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(log.hits(), 2);

    // Token GET, retried after a 503.
    let (server, _) = scripted(vec![status(503), json_reply(200, LIST_OK)]).await;
    let config =
        leak_config(&server.uri(), Credentials::token(LEAK_TOKEN)).with_retry(fast_retry(3));
    list(&client(&config)).await.unwrap();

    // Failing calls: nothing listens; a decode error.
    let config = leak_config(&closed_endpoint(), Credentials::aksk(LEAK_AK, LEAK_SK))
        .with_retry(fast_retry(2));
    list(&client(&config)).await.unwrap_err();
    let (server, _) = scripted(vec![json_reply(200, "{")]).await;
    let config = leak_config(&server.uri(), leak_temporary());
    list(&client(&config)).await.unwrap_err();

    let text = captured.text();
    // The capture works and saw these calls, their retries and outcomes.
    for expected in [
        "huaweicloud.call",
        "create_starrocks_instance",
        "list_htap_instance_info",
        "attempt failed; retrying",
        "attempt failed; giving up",
        "trace-req-2",
    ] {
        assert!(
            text.contains(expected),
            "tracing output lacks `{expected}`:\n{text}"
        );
    }
    assert_no_secret("tracing output", &text);
}

#[tokio::test]
async fn config_debug_hides_the_proxy_password() {
    let config = Config::new().with_proxy("http://proxyuser:ProxyPwLeak42@127.0.0.1:3128");
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("ProxyPwLeak42"),
        "Debug of Config shows the proxy password: {debug}"
    );
}

#[tokio::test]
async fn transport_error_through_a_proxy_hides_the_proxy_password() {
    let proxy = closed_endpoint().replace("http://", "http://proxyuser:ProxyPwLeak42@");
    let config = config_for("http://127.0.0.1:9").with_proxy(proxy);
    let e = list(&client(&config)).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    let text = format!("{e}\n{e:?}");
    assert!(!text.contains("ProxyPwLeak42"), "{text}");
}
