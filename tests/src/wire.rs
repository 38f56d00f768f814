//! Shared helpers of the per-service wire tests (`tests/tests/wire_<service>.rs`).
//!
//! - [`Spec`]: one spec file as JSON, with its operations, examples, parameters,
//!   error responses and region table, so the tests follow the spec instead of
//!   copying it.
//! - Client helpers: a configuration pointed at a local [`MockServer`], signed
//!   with a test AK/SK, without retries and with short timeouts; [`bounded`] puts
//!   a hard limit on every call.
//! - Request inspection: the one request a server received, its request line,
//!   its JSON body, and an independent check of its `SDK-HMAC-SHA256` signature
//!   ([`verify_signature`], written from the spec's description of the scheme, not
//!   with the runtime's signer).
//! - Error checks: [`assert_api_error`] and [`assert_validation`].
//!
//! Everything here panics with a message naming what differed; the functions are
//! `#[track_caller]` so a failure points at the test's line.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::IntoFuture;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use huaweicloud_sdk_core::error::ValidationError;
use huaweicloud_sdk_core::{Config, Credentials, Error, RetryPolicy};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wiremock::matchers::{header, header_regex, method, path};
use wiremock::{Mock, MockBuilder, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

/// A project id in the format every spec accepts (32 letters and digits).
pub const PROJECT_ID: &str = "23a50154cf494ec9ad6883979a12db0a";
/// The access key of the signed test clients.
pub const AK: &str = "AKWIRETEST0123456789";
/// The secret key of the signed test clients; it must never appear in what the
/// client prints.
pub const SK: &str = "SKwireTEST-never-printed-0123456789";
/// Content-Type the runtime sends on bodyless requests.
pub const CONTENT_TYPE_NO_BODY: &str = "application/json";
/// The prefix of the runtime's User-Agent.
pub const USER_AGENT_PREFIX: &str = "huaweicloud-sdk-rust/";
/// The `X-Request-Id` every mounted error reply carries.
pub const REQUEST_ID: &str = "wire-req-4f1d2c3b";
/// Hard limit for one call, on top of the client's own timeouts.
pub const CALL_LIMIT: Duration = Duration::from_secs(20);
/// How far `X-Sdk-Date` may be from this machine's clock.
const CLOCK_SLACK_SECS: u64 = 15 * 60;

// ---------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------

/// One spec file of `spec/`, as JSON.
pub struct Spec {
    file: String,
    doc: Value,
}

/// One operation of a spec.
pub struct SpecOperation<'a> {
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, e.g. `/v2/{project_id}/instances`.
    pub path: String,
    /// The operation object.
    pub op: &'a Value,
}

/// One error response an operation declares.
#[derive(Debug, Clone)]
pub struct SpecErrorResponse {
    /// The status key as the spec writes it: `400`, `4XX`, ...
    pub status_key: String,
    /// A concrete status for the key (`4XX` gives 400, `5XX` 500).
    pub status: u16,
    /// Name of the body schema (`ErrorResp`).
    pub schema: String,
    /// The body schema's property names.
    pub properties: BTreeSet<String>,
    /// The first JSON example of the response, if it has one.
    pub example: Option<Value>,
    /// Every JSON example of the response, by name (empty when it has none).
    pub examples: Vec<(String, Value)>,
}

impl Spec {
    /// Loads `spec/<file>`.
    #[track_caller]
    pub fn load(file: &str) -> Spec {
        let path = crate::spec_dir().join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
        let doc = serde_json::to_value(yaml)
            .unwrap_or_else(|e| panic!("{} does not convert to JSON: {e}", path.display()));
        Spec {
            file: file.to_owned(),
            doc,
        }
    }

    /// The whole document.
    pub fn doc(&self) -> &Value {
        &self.doc
    }

    /// `value`, or what its `$ref` (a local `#/...` pointer) points to.
    #[track_caller]
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut value = value;
        for _ in 0..8 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            let pointer = reference
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{}: non-local $ref {reference}", self.file));
            value = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{}: dangling $ref {reference}", self.file));
        }
        panic!("{}: $ref chain too long", self.file)
    }

    /// The operation with `operationId` `id`, in `paths` or `x-paths` (whose
    /// keys' `#label` is not part of the path).
    #[track_caller]
    pub fn operation(&self, id: &str) -> SpecOperation<'_> {
        let paths = self.doc["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no `paths` object", self.file));
        let further = self.doc["x-paths"].as_object().into_iter().flatten();
        for (key, item) in paths.iter().chain(further) {
            let template = key.split_once('#').map_or(key.as_str(), |(path, _)| path);
            for verb in ["get", "put", "post", "delete", "patch", "head", "options"] {
                let op = &item[verb];
                if op["operationId"].as_str() == Some(id) {
                    return SpecOperation {
                        method: verb.to_ascii_uppercase(),
                        path: template.to_owned(),
                        op,
                    };
                }
            }
        }
        panic!("{}: no operation with operationId `{id}`", self.file)
    }

    /// Checks that the spec still routes `id` as `http_method template`, so the
    /// literal paths in the tests cannot drift from the spec unnoticed.
    #[track_caller]
    pub fn assert_route(&self, id: &str, http_method: &str, template: &str) {
        let op = self.operation(id);
        assert_eq!(
            (op.method.as_str(), op.path.as_str()),
            (http_method, template),
            "{}: route of {id} changed; update the test's expected path",
            self.file
        );
    }

    /// The parameters of `id` that are `in: location` (`query`, `header`, `path`),
    /// with their `$ref`s resolved.
    #[track_caller]
    pub fn parameters(&self, id: &str, location: &str) -> Vec<&Value> {
        let op = self.operation(id).op;
        op["parameters"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|p| self.resolve(p))
            .filter(|p| p["in"].as_str() == Some(location))
            .collect()
    }

    /// The names of the parameters of `id` that are `in: location`.
    #[track_caller]
    pub fn parameter_names(&self, id: &str, location: &str) -> BTreeSet<String> {
        self.parameters(id, location)
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect()
    }

    /// The media type a request body of `id` is sent with (lower case, as the
    /// official SDK sends it).
    #[track_caller]
    pub fn body_content_type(&self, id: &str) -> String {
        let op = self.operation(id).op;
        op["requestBody"]["content"]
            .as_object()
            .and_then(|c| c.keys().find(|k| k.starts_with("application/json")))
            .map(|k| k.to_ascii_lowercase())
            .unwrap_or_else(|| panic!("{}: {id} has no JSON request body", self.file))
    }

    /// The named request body example of `id`.
    #[track_caller]
    pub fn request_example(&self, id: &str, name: &str) -> Value {
        let op = self.operation(id).op;
        let media = json_media(&op["requestBody"]["content"]);
        example_named(media, name)
            .unwrap_or_else(|| panic!("{}: {id} has no request example `{name}`", self.file))
    }

    /// Every request body example of `id`, by name.
    #[track_caller]
    pub fn request_examples(&self, id: &str) -> Vec<(String, Value)> {
        let op = self.operation(id).op;
        let examples = all_examples(json_media(&op["requestBody"]["content"]));
        assert!(
            !examples.is_empty(),
            "{}: {id} has no request example",
            self.file
        );
        examples
    }

    /// The one 2xx status `id` documents.
    #[track_caller]
    pub fn success_status(&self, id: &str) -> u16 {
        let statuses: Vec<u16> = self
            .responses(id)
            .keys()
            .filter(|status| status.starts_with('2'))
            .map(|status| {
                status
                    .parse()
                    .unwrap_or_else(|e| panic!("{}: {id}: status `{status}`: {e}", self.file))
            })
            .collect();
        match statuses.as_slice() {
            [status] => *status,
            other => panic!(
                "{}: {id} should document one 2xx status, has {other:?}",
                self.file
            ),
        }
    }

    /// The named example of the success reply of `id`.
    #[track_caller]
    pub fn success_example(&self, id: &str, name: &str) -> Value {
        let status = self.success_status(id).to_string();
        let media = json_media(&self.resolve(&self.responses(id)[&status])["content"]);
        example_named(media, name)
            .unwrap_or_else(|| panic!("{}: {id} has no {status} example `{name}`", self.file))
    }

    /// Every example of the success reply of `id`, by name.
    #[track_caller]
    pub fn success_examples(&self, id: &str) -> Vec<(String, Value)> {
        let status = self.success_status(id).to_string();
        let media = json_media(&self.resolve(&self.responses(id)[&status])["content"]);
        all_examples(media)
    }

    /// Every 2xx status `id` documents, in the spec's order.
    #[track_caller]
    pub fn success_statuses(&self, id: &str) -> Vec<u16> {
        self.responses(id)
            .keys()
            .filter(|status| status.starts_with('2'))
            .map(|status| {
                status
                    .parse()
                    .unwrap_or_else(|e| panic!("{}: {id}: status `{status}`: {e}", self.file))
            })
            .collect()
    }

    /// Every example of the reply of `id` with `status`, by name (for
    /// operations with several success statuses).
    #[track_caller]
    pub fn response_examples(&self, id: &str, status: u16) -> Vec<(String, Value)> {
        let key = status.to_string();
        let response = self
            .responses(id)
            .get(&key)
            .unwrap_or_else(|| panic!("{}: {id} documents no {status} reply", self.file));
        all_examples(json_media(&self.resolve(response)["content"]))
    }

    /// The error responses (4xx and 5xx, single codes and ranges) of `id`.
    #[track_caller]
    pub fn error_responses(&self, id: &str) -> Vec<SpecErrorResponse> {
        let mut out = Vec::new();
        for (key, response) in self.responses(id) {
            let status = match key.as_str() {
                "4XX" => 400,
                "5XX" => 500,
                other => match other.parse::<u16>() {
                    Ok(code) if code >= 400 => code,
                    _ => continue,
                },
            };
            let media = json_media(&self.resolve(response)["content"]);
            let schema_ref = media["schema"]["$ref"].as_str().unwrap_or_else(|| {
                panic!("{}: the {key} reply of {id} has no schema $ref", self.file)
            });
            let schema = schema_ref.rsplit('/').next().unwrap_or_default().to_owned();
            let properties = self.resolve(&media["schema"])["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            let examples = all_examples(media);
            out.push(SpecErrorResponse {
                status_key: key.clone(),
                status,
                schema,
                properties,
                example: examples.first().map(|(_, v)| v.clone()),
                examples,
            });
        }
        out
    }

    /// The region table (`x-endpoints`), region → endpoint.
    #[track_caller]
    pub fn endpoints(&self) -> Vec<(String, String)> {
        let table = self.doc["x-endpoints"]
            .as_object()
            .or_else(|| self.doc["servers"][0]["x-endpoints"].as_object())
            .unwrap_or_else(|| panic!("{}: no x-endpoints", self.file));
        table
            .iter()
            .map(|(region, url)| {
                let url = url
                    .as_str()
                    .unwrap_or_else(|| panic!("{}: x-endpoints.{region} is not text", self.file));
                (region.clone(), url.to_owned())
            })
            .collect()
    }

    #[track_caller]
    fn responses(&self, id: &str) -> &serde_json::Map<String, Value> {
        self.operation(id).op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: {id} has no responses", self.file))
    }
}

/// The example `name` of a media type object (`examples.<name>.value`).
fn example_named(media: &Value, name: &str) -> Option<Value> {
    media["examples"][name]
        .get("value")
        .filter(|v| !v.is_null())
        .cloned()
}

/// Every example of a media type object (`examples`, else `example`), by name.
fn all_examples(media: &Value) -> Vec<(String, Value)> {
    if let Some(examples) = media["examples"].as_object() {
        return examples
            .iter()
            .filter_map(|(name, e)| e.get("value").map(|v| (name.clone(), v.clone())))
            .collect();
    }
    media
        .get("example")
        .filter(|v| !v.is_null())
        .map(|v| vec![("example".to_owned(), v.clone())])
        .unwrap_or_default()
}

/// Deserializes a spec example into a generated model and checks that the model
/// writes it back unchanged (so the body on the wire is the example).
#[track_caller]
pub fn model_from_example<T>(example: &Value, what: &str) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let model: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| {
        panic!(
            "the spec's {what} example does not deserialize into {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let written = serde_json::to_value(&model)
        .unwrap_or_else(|e| panic!("{what}: the model does not serialize: {e}"));
    assert_eq!(
        &written,
        example,
        "{what}: {} does not round-trip the spec example",
        std::any::type_name::<T>()
    );
    model
}

// ---------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------

/// A configuration pointed at `server`: no retries, short timeouts, no project id
/// and no credentials yet.
pub fn base_config(server: &MockServer) -> Config {
    Config::new()
        .with_endpoint(server.uri())
        .with_retry(RetryPolicy::disabled())
        .with_connect_timeout(Duration::from_secs(2))
        .with_attempt_timeout(Duration::from_secs(10))
        .with_deadline(Duration::from_secs(15))
}

/// [`base_config`] with [`PROJECT_ID`] and the test AK/SK.
pub fn aksk_config(server: &MockServer) -> Config {
    base_config(server)
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::aksk(AK, SK))
}

/// Awaits a call, failing the test if it takes longer than [`CALL_LIMIT`].
pub async fn bounded<F: IntoFuture>(call: F) -> F::Output {
    match tokio::time::timeout(CALL_LIMIT, call.into_future()).await {
        Ok(output) => output,
        Err(_) => panic!("the call did not finish within {CALL_LIMIT:?}"),
    }
}

/// The success value of a call, or a panic that shows the error.
#[track_caller]
pub fn expect_ok<T>(result: Result<T, Error>, operation_id: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{operation_id} failed: {e}\n{e:?}"),
    }
}

/// `host:port` of the mock server, as the client reports it in errors.
#[track_caller]
pub fn server_host(server: &MockServer) -> String {
    let address = server.address();
    assert!(
        address.ip().is_loopback(),
        "the mock server should listen on loopback, listens on {address}"
    );
    format!("127.0.0.1:{}", address.port())
}

/// A mock for `http_method raw_path` that only matches a request signed with the
/// test AK and carrying [`PROJECT_ID`] in `X-Project-Id`. Add matchers and a
/// response, then mount it.
pub fn signed_mock(http_method: &str, raw_path: &str) -> MockBuilder {
    Mock::given(method(http_method))
        .and(path(raw_path))
        .and(header_regex(
            "Authorization",
            &format!(
                "^SDK-HMAC-SHA256 Access={AK}, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{{64}}$"
            ),
        ))
        .and(header_regex("X-Sdk-Date", r"^\d{8}T\d{6}Z$"))
        .and(header("X-Project-Id", PROJECT_ID))
}

/// Checks that `text` (something the client prints: `Debug` of a config, client,
/// builder, model or error) does not contain `secret`, and does contain `visible`
/// (so the check is not passing on an empty string).
#[track_caller]
pub fn assert_hidden(text: &str, secret: &str, visible: &str, what: &str) {
    assert!(
        !secret.is_empty() && !text.contains(secret),
        "{what} shows the secret {secret:?}: {text}"
    );
    assert!(
        text.contains(visible),
        "{what} should still show {visible:?}: {text}"
    );
}

/// Checks that the configuration and the client built from it print neither
/// [`SK`] nor the whole [`AK`], but do show the endpoint.
#[track_caller]
pub fn assert_config_hides_sk(config: &Config, client: &impl Debug) {
    for (what, text) in [
        ("Debug of the Config", format!("{config:?}")),
        ("Debug of the Client", format!("{client:?}")),
    ] {
        assert_hidden(&text, SK, "127.0.0.1", what);
        assert_hidden(&text, AK, "127.0.0.1", what);
    }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// Every request `server` received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_else(|| panic!("the mock server does not record requests"))
}

/// The raw query string of every request `server` received, in order (`""` for
/// a request without one).
pub async fn received_queries(server: &MockServer) -> Vec<String> {
    received(server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect()
}

/// The one request `server` received (fails if it received any other number).
pub async fn only_request(server: &MockServer) -> Request {
    let received = received(server).await;
    let lines: Vec<String> = received
        .iter()
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {lines:#?}"
    );
    received
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no request"))
}

/// Checks that `server` received nothing (the call stopped in the client).
pub async fn assert_nothing_sent(server: &MockServer, what: &str) {
    let received = received(server).await;
    let lines: Vec<String> = received
        .iter()
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert!(
        lines.is_empty(),
        "{what}: nothing may be sent, got {lines:#?}"
    );
}

/// A header of a received request as text.
#[track_caller]
pub fn header_text<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| {
        value
            .to_str()
            .unwrap_or_else(|e| panic!("header {name} is not visible ASCII: {e}"))
    })
}

/// Checks method, exact (raw, percent-encoded) path and exact raw query string
/// (`None`: no `?` at all).
#[track_caller]
pub fn assert_request_line(
    request: &Request,
    http_method: &str,
    raw_path: &str,
    raw_query: Option<&str>,
) {
    assert_eq!(
        request.method.as_str(),
        http_method,
        "wrong HTTP method for {}",
        request.url
    );
    assert_eq!(request.url.path(), raw_path, "wrong request path");
    assert_eq!(request.url.query(), raw_query, "wrong query string");
}

/// The decoded query pairs of a received request, in the order sent.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    raw_query_pairs(request.url.query().unwrap_or_default())
}

/// The decoded pairs of a raw query string, in order.
pub fn raw_query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Checks that the request body is exactly `expected` as JSON.
#[track_caller]
pub fn assert_json_body(request: &Request, expected: &Value) {
    let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "the request body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    });
    assert_eq!(
        &sent, expected,
        "the request body differs from the expected JSON"
    );
}

/// Checks that the request has no body.
#[track_caller]
pub fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "a {} must not carry a body, got {:?}",
        request.method,
        String::from_utf8_lossy(&request.body)
    );
}

/// Checks everything an AK/SK-signed request must carry, verifies its signature
/// with [`SK`] over what the server received, and checks that each of
/// `operation_headers` is both sent and signed. Returns the signed header names.
#[track_caller]
pub fn assert_signed_request(request: &Request, operation_headers: &[&str]) -> Vec<String> {
    // A JSON body goes out with the spec's media type, lower case, as the
    // official SDK sends it (the operation's own test checks which one).
    let content_type = header_text(request, "Content-Type").unwrap_or_default();
    if request.body.is_empty() {
        assert_eq!(content_type, CONTENT_TYPE_NO_BODY, "Content-Type");
    } else {
        assert!(
            content_type.starts_with("application/json"),
            "Content-Type of a JSON body: {content_type:?}"
        );
    }
    let agent = header_text(request, "User-Agent").unwrap_or_default();
    assert!(
        agent.starts_with(USER_AGENT_PREFIX),
        "User-Agent should start with {USER_AGENT_PREFIX:?}, is {agent:?}"
    );
    assert_eq!(
        header_text(request, "X-Project-Id"),
        Some(PROJECT_ID),
        "X-Project-Id carries the configured project id"
    );
    for unexpected in ["X-Auth-Token", "X-Security-Token"] {
        assert_eq!(
            header_text(request, unexpected),
            None,
            "an AK/SK request must not send {unexpected}"
        );
    }
    let date = header_text(request, "X-Sdk-Date").unwrap_or_default();
    let signed_at = sdk_date_seconds(date)
        .unwrap_or_else(|| panic!("X-Sdk-Date should be YYYYMMDDTHHMMSSZ: {date:?}"));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    assert!(
        signed_at.abs_diff(now) <= CLOCK_SLACK_SECS,
        "X-Sdk-Date {date} is not the current UTC time (now: {now} s since the epoch)"
    );
    let names = match verify_signature(request, AK, SK) {
        Ok(names) => names,
        Err(problem) => panic!("the AK/SK signature does not verify: {problem}"),
    };
    for required in ["content-type", "host", "x-project-id", "x-sdk-date"] {
        assert!(
            names.iter().any(|n| n == required),
            "SignedHeaders should include {required}: {names:?}"
        );
    }
    for name in operation_headers {
        assert!(
            header_text(request, name).is_some(),
            "the operation header {name} was not sent"
        );
        let lower = name.to_ascii_lowercase();
        assert!(
            names.contains(&lower),
            "the operation header {name} is sent but not signed: {names:?}"
        );
    }
    names
}

/// What [`verify_parts`] needs of a received request.
pub struct ReceivedParts<'a> {
    /// The method, upper case.
    pub method: &'a str,
    /// The raw (percent-encoded) path.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    /// The headers as received (first value of each name counts).
    pub headers: Vec<(String, String)>,
    /// The body as received (chunk framing removed).
    pub body: &'a [u8],
}

/// Verifies the `SDK-HMAC-SHA256` signature of a received request with `sk`, as
/// the specs' `aksk` security scheme describes it: canonical request from the
/// method, the canonical URI (path decoded, each segment percent-encoded, `/`
/// appended), the sorted canonical query, the signed headers (lower-case, trimmed,
/// sorted) and the hex SHA-256 of the body (or `UNSIGNED-PAYLOAD` for a body the
/// request declares unsigned with a signed `X-Sdk-Content-Sha256` header, as
/// the official SDKs send forms, files and streams); string to sign
/// `SDK-HMAC-SHA256`, `X-Sdk-Date` and the hex SHA-256 of the canonical request;
/// signature the hex HMAC-SHA256 of that, keyed with the SK. Returns the signed
/// header names.
pub fn verify_signature(request: &Request, ak: &str, sk: &str) -> Result<Vec<String>, String> {
    let headers = request
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    verify_parts(
        &ReceivedParts {
            method: request.method.as_str(),
            path: request.url.path(),
            query: request.url.query(),
            headers,
            body: &request.body,
        },
        ak,
        sk,
    )
}

/// [`verify_signature`] of a request the raw TCP server received.
pub fn verify_raw_signature(
    request: &crate::tcp::RawRequest,
    ak: &str,
    sk: &str,
) -> Result<Vec<String>, String> {
    verify_parts(
        &ReceivedParts {
            method: &request.method,
            path: request.path(),
            query: request.query(),
            headers: request.headers.clone(),
            body: &request.body,
        },
        ak,
        sk,
    )
}

/// [`verify_signature`] over the parts of a received request.
pub fn verify_parts(
    request: &ReceivedParts<'_>,
    ak: &str,
    sk: &str,
) -> Result<Vec<String>, String> {
    let text = |name: &str| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    };
    let authorization = text("Authorization").ok_or("no Authorization header")?;
    let rest = authorization
        .strip_prefix("SDK-HMAC-SHA256 Access=")
        .ok_or_else(|| format!("Authorization is not SDK-HMAC-SHA256: {authorization:?}"))?;
    let (access, rest) = rest
        .split_once(", SignedHeaders=")
        .ok_or_else(|| format!("no SignedHeaders in {authorization:?}"))?;
    let (signed_headers, signature) = rest
        .split_once(", Signature=")
        .ok_or_else(|| format!("no Signature in {authorization:?}"))?;
    if access != ak {
        return Err(format!("Access is {access:?}, expected {ak:?}"));
    }
    let names: Vec<String> = signed_headers.split(';').map(str::to_owned).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    if names != sorted {
        return Err(format!(
            "SignedHeaders are not sorted and unique: {signed_headers}"
        ));
    }
    let date = text("X-Sdk-Date").ok_or("no X-Sdk-Date header")?;

    let mut canonical = String::new();
    canonical.push_str(request.method);
    canonical.push('\n');
    let decoded_path = percent_decode(request.path);
    let segments: Vec<String> = decoded_path.split('/').map(percent_encode).collect();
    let mut uri = segments.join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    canonical.push_str(&uri);
    canonical.push('\n');
    let mut pairs: Vec<(String, String)> = raw_query_pairs(request.query.unwrap_or_default());
    pairs.sort();
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    canonical.push_str(&query.join("&"));
    canonical.push('\n');
    for name in &names {
        let value = text(name).ok_or_else(|| format!("signed header {name} was not received"))?;
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(signed_headers);
    canonical.push('\n');
    let unsigned = !request.body.is_empty()
        && names.iter().any(|n| n == "x-sdk-content-sha256")
        && text("X-Sdk-Content-Sha256") == Some("UNSIGNED-PAYLOAD");
    if unsigned {
        canonical.push_str("UNSIGNED-PAYLOAD");
    } else {
        canonical.push_str(&hex(&Sha256::digest(request.body)));
    }

    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let expected = hex(&hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes()));
    if signature == expected {
        Ok(names)
    } else {
        Err(format!(
            "Signature={signature}, expected {expected} for the canonical request\n{canonical}"
        ))
    }
}

/// HMAC-SHA256 (RFC 2104) of `message` keyed with `key`.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    let mut out = [0u8; 32];
    out.copy_from_slice(&outer);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Keeps `A-Z a-z 0-9 - _ . ~`, writes every other byte as `%XX` (upper-case).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (a `%` not followed by two hex digits stays as is).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Seconds since the epoch of an `X-Sdk-Date` value (`YYYYMMDDTHHMMSSZ`, UTC).
pub fn sdk_date_seconds(value: &str) -> Option<u64> {
    let b = value.as_bytes();
    let shape = b.len() == 16
        && b[..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'T'
        && b[9..15].iter().all(u8::is_ascii_digit)
        && b[15] == b'Z';
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<i64>().ok();
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (proleptic Gregorian).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3_600 + minute * 60 + second).ok()
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Mounts an error reply (`status`, `body`, `X-Request-Id: REQUEST_ID`) for
/// `http_method raw_path`, expected once.
pub async fn mount_error(
    server: &MockServer,
    http_method: &str,
    raw_path: &str,
    status: u16,
    body: &Value,
) {
    Mock::given(method(http_method))
        .and(path(raw_path))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("X-Request-Id", REQUEST_ID)
                .set_body_json(body),
        )
        .expect(1)
        .named(format!("{status} for {http_method} {raw_path}"))
        .mount(server)
        .await;
}

/// Checks that `result` is the [`Error::Api`] for an error reply with `status` and
/// JSON `body` (whose `error_code` and `error_msg` it must carry), the
/// `X-Request-Id` [`REQUEST_ID`], the raw body, and a `Display` that says
/// everything needed to act on it. Returns the raw body it kept.
#[track_caller]
pub fn assert_api_error<T: Debug>(
    result: Result<T, Error>,
    server: &MockServer,
    operation_id: &str,
    status: u16,
    body: &Value,
) -> String {
    let host = server_host(server);
    let code = body["error_code"]
        .as_str()
        .unwrap_or_else(|| panic!("the test's error body has no error_code: {body}"));
    let msg = body["error_msg"]
        .as_str()
        .unwrap_or_else(|| panic!("the test's error body has no error_msg: {body}"));
    let error = match result {
        Ok(value) => panic!("{operation_id}: expected HTTP {status}, got success {value:?}"),
        Err(error) => error,
    };
    let shown = error.to_string();
    assert_eq!(error.status(), Some(status), "Error::status of {error:?}");
    assert_eq!(
        error.error_code(),
        Some(code),
        "Error::error_code of {error:?}"
    );
    assert_eq!(
        error.request_id(),
        Some(REQUEST_ID),
        "Error::request_id of {error:?}"
    );
    let api = match error {
        Error::Api(api) => api,
        other => panic!("{operation_id}: expected Error::Api, got {other:?} ({other})"),
    };
    assert_eq!(api.status, status, "ApiError.status");
    assert_eq!(api.error_code, code, "ApiError.error_code");
    assert_eq!(api.error_msg, msg, "ApiError.error_msg");
    assert_eq!(
        api.request_id.as_deref(),
        Some(REQUEST_ID),
        "ApiError.request_id comes from X-Request-Id"
    );
    assert_eq!(api.operation, operation_id, "ApiError.operation");
    assert_eq!(api.host, host, "ApiError.host");
    assert_eq!(api.attempts, 1, "ApiError.attempts (retries are off)");
    let raw: Value = serde_json::from_str(&api.body)
        .unwrap_or_else(|e| panic!("ApiError.body is not the JSON reply ({e}): {:?}", api.body));
    assert_eq!(&raw, body, "ApiError.body keeps the raw reply");
    let status_text = status.to_string();
    for part in [operation_id, &status_text, code, msg, REQUEST_ID, &host] {
        assert!(
            shown.contains(part),
            "the error's Display should mention {part:?}: {shown:?}"
        );
    }
    api.body
}

/// Checks that `result` is an [`Error::Validation`] of `operation_id` for `field`
/// whose rule starts with `rule` (`maximum`, `pattern`, `enum`, ...), and that its
/// `Display` names the field and says nothing was sent.
#[track_caller]
pub fn assert_validation<T: Debug>(
    result: Result<T, Error>,
    operation_id: &str,
    field: &str,
    rule: &str,
) -> ValidationError {
    let error = match result {
        Err(Error::Validation(v)) => *v,
        other => panic!(
            "{operation_id}: expected Error::Validation for `{field}` ({rule}), got {other:?}"
        ),
    };
    assert_eq!(error.operation, operation_id, "ValidationError.operation");
    assert_eq!(error.field, field, "ValidationError.field of {error:?}");
    assert!(
        error.rule.starts_with(rule),
        "ValidationError.rule should start with {rule:?}: {error:?}"
    );
    let shown = error.to_string();
    for part in [operation_id, field, "nothing was sent"] {
        assert!(
            shown.contains(part),
            "the validation error's Display should mention {part:?}: {shown:?}"
        );
    }
    error
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

/// Checks that a client built with `Config::new().with_region(region)` has the
/// endpoint the spec's `x-endpoints` gives, for every region of the table, using
/// `endpoint_of` to build the service's client.
#[track_caller]
pub fn assert_region_table(spec: &Spec, endpoint_of: impl Fn(&Config) -> Result<String, Error>) {
    let table = spec.endpoints();
    assert!(!table.is_empty(), "x-endpoints is empty");
    for (region, expected) in &table {
        let endpoint = endpoint_of(&Config::new().with_region(region.as_str()))
            .unwrap_or_else(|e| panic!("region {region}: building the client failed: {e}"));
        assert_eq!(&endpoint, expected, "endpoint of region {region}");
    }
}

/// The endpoint for `region`, or a panic.
#[track_caller]
pub fn endpoint_for(
    region: &str,
    endpoint_of: impl Fn(&Config) -> Result<String, Error>,
) -> String {
    endpoint_of(&Config::new().with_region(region))
        .unwrap_or_else(|e| panic!("region {region}: building the client failed: {e}"))
}

/// Checks that an unknown region is an [`Error::Config`] that names the region
/// and lists the known ones.
#[track_caller]
pub fn assert_unknown_region(
    spec: &Spec,
    region: &str,
    endpoint_of: impl Fn(&Config) -> Result<String, Error>,
) {
    match endpoint_of(&Config::new().with_region(region)) {
        Err(Error::Config(message)) => {
            assert!(
                message.contains(region),
                "the message should name the region {region}: {message}"
            );
            for (known, _) in spec.endpoints().iter().take(3) {
                assert!(
                    message.contains(known.as_str()),
                    "the message should list the known region {known}: {message}"
                );
            }
        }
        other => panic!("region {region} should be Error::Config, got {other:?}"),
    }
}

/// The JSON media type object of a content map, whatever its parameters
/// (`application/json`, `application/json;charset=UTF-8`), or `null`.
pub fn json_media(content: &Value) -> &Value {
    content
        .as_object()
        .and_then(|c| {
            c.iter()
                .find(|(k, _)| k.starts_with("application/json"))
                .map(|(_, v)| v)
        })
        .unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_date_is_parsed_as_utc_seconds() {
        assert_eq!(sdk_date_seconds("19700101T000000Z"), Some(0));
        assert_eq!(sdk_date_seconds("20240229T120000Z"), Some(1_709_208_000));
        assert_eq!(sdk_date_seconds("20000301T000001Z"), Some(951_868_801));
        for bad in [
            "2024-02-29T12:00:00Z",
            "20240229T120000",
            "20241329T120000Z",
            "",
        ] {
            assert_eq!(sdk_date_seconds(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231 test cases 1 and 6 (the second has a key longer than a block).
        let key = [0x0bu8; 20];
        assert_eq!(
            hex(&hmac_sha256(&key, b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        let long = [0xaau8; 131];
        assert_eq!(
            hex(&hmac_sha256(
                &long,
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn percent_encoding_round_trips() {
        let text = "a/b c?#%é~_.-";
        assert_eq!(percent_encode(text), "a%2Fb%20c%3F%23%25%C3%A9~_.-");
        assert_eq!(percent_decode(&percent_encode(text)), text);
        assert_eq!(percent_decode("100%"), "100%");
    }
}
