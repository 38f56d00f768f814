//! Wire-level tests of the generated GaussDB client against a local mock server.
//!
//! Every request body and every success reply comes from the examples in
//! `spec/gaussdb.yaml`, looked up by `operationId`, so the tests follow the spec.
//! Each test checks what goes over the wire (request line, headers, JSON body) and
//! what the client makes of the reply (decoded fields, `Error` variants).

use std::fmt::Debug;
use std::future::IntoFuture;
use std::sync::LazyLock;
use std::time::Duration;

use huaweicloud_sdk_gaussdb::{self as gaussdb, Config, Credentials, Error, RetryPolicy, models};
use sdk_tests::wire::{
    self as shared, Spec, aksk_config, assert_api_error, assert_no_body, assert_nothing_sent,
    assert_signed_request, assert_validation, mount_error, query_pairs, received, received_queries,
    signed_mock,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, header_regex, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

/// A project id in the spec's format (32 letters and digits).
const PROJECT_ID: &str = "23a50154cf494ec9ad6883979a12db0a";
/// The IAM token used by token-authenticated clients.
const TOKEN: &str = "tok-wire-test";
/// A TaurusDB instance id (suffix `in07`), from the spec's examples.
const TAURUS_ID: &str = "18c3eeb7b788479eb8b93b209946a83bin07";
/// A StarRocks instance id (suffix `in17`), from the spec's examples.
const STARROCKS_ID: &str = "590031445ef845bb912d7fc8243db80cin17";
/// The Content-Type the runtime sends on every request.
/// Content-Type of requests with a JSON body, as the official SDK sends it.
const CONTENT_TYPE: &str = "application/json;charset=utf-8";
/// Content-Type of bodyless requests (the GET page lists `application/json`).
const CONTENT_TYPE_NO_BODY: &str = "application/json";
/// The prefix of the runtime's User-Agent.
const USER_AGENT_PREFIX: &str = "huaweicloud-sdk-rust/";
/// Hard limit for one call, on top of the client's own timeouts.
const CALL_LIMIT: Duration = Duration::from_secs(20);

/// The error reply used by every error test.
const ERROR_CODE: &str = "DBS.200022";
const ERROR_MSG: &str = "Instance not found.";
const REQUEST_ID: &str = "req-123";

// ---------------------------------------------------------------------------
// Spec helpers
// ---------------------------------------------------------------------------

/// `spec/gaussdb.yaml` as JSON.
static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let file = sdk_tests::spec_dir().join("gaussdb.yaml");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", file.display()));
    serde_json::to_value(yaml)
        .unwrap_or_else(|e| panic!("{} does not convert to JSON: {e}", file.display()))
});

/// One operation of the spec.
struct SpecOperation {
    /// Upper-case HTTP method.
    method: String,
    /// Path template, e.g. `/v3/{project_id}/instances/{instance_id}/htap`.
    path: String,
    /// The operation object.
    op: &'static Value,
}

/// Finds an operation of the spec by `operationId`.
fn spec_operation(operation_id: &str) -> SpecOperation {
    let paths = SPEC["paths"]
        .as_object()
        .unwrap_or_else(|| panic!("spec has no `paths` object"));
    for (template, item) in paths {
        for verb in ["get", "put", "post", "delete", "patch", "head", "options"] {
            let op = &item[verb];
            if op["operationId"].as_str() == Some(operation_id) {
                return SpecOperation {
                    method: verb.to_ascii_uppercase(),
                    path: template.clone(),
                    op,
                };
            }
        }
    }
    panic!("spec has no operation with operationId `{operation_id}`")
}

/// The value of the first example of a media type object (`examples`, else `example`).
fn first_example(media: &Value, what: &str) -> Value {
    media["examples"]
        .as_object()
        .and_then(|examples| examples.values().next())
        .map(|example| example["value"].clone())
        .or_else(|| media.get("example").cloned())
        .filter(|value| !value.is_null())
        .unwrap_or_else(|| panic!("spec: {what} has no JSON example"))
}

/// The request body example of an operation.
fn request_example(operation_id: &str) -> Value {
    let op = spec_operation(operation_id).op;
    // The one (JSON) media type of the body, whatever its parameters.
    let media = op["requestBody"]["content"]
        .as_object()
        .and_then(|c| c.values().next())
        .cloned()
        .unwrap_or_default();
    first_example(&media, &format!("request body of {operation_id}"))
}

/// The one 2xx status the spec documents for an operation.
fn success_status(operation_id: &str) -> u16 {
    let op = spec_operation(operation_id).op;
    let statuses: Vec<u16> = op["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("spec: {operation_id} has no responses"))
        .keys()
        .filter(|status| status.starts_with('2'))
        .map(|status| {
            status
                .parse()
                .unwrap_or_else(|e| panic!("spec: {operation_id}: status `{status}`: {e}"))
        })
        .collect();
    match statuses.as_slice() {
        [status] => *status,
        other => panic!("spec: {operation_id} should document one 2xx status, has {other:?}"),
    }
}

/// The success reply example of an operation.
fn success_example(operation_id: &str) -> Value {
    let status = success_status(operation_id);
    let op = spec_operation(operation_id).op;
    first_example(
        &op["responses"][status.to_string()]["content"]["application/json"],
        &format!("{status} reply of {operation_id}"),
    )
}

/// Checks that the spec still routes `operation_id` as `http_method template`, so the
/// literal paths in the tests cannot drift from the spec unnoticed.
fn assert_spec_route(operation_id: &str, http_method: &str, template: &str) {
    let op = spec_operation(operation_id);
    assert_eq!(
        (op.method.as_str(), op.path.as_str()),
        (http_method, template),
        "spec route of {operation_id} changed; update the test's expected path"
    );
}

/// Deserializes a spec example into a generated model, and checks that the model
/// writes it back unchanged (so the body on the wire is the example).
fn model_from_example<T>(example: &Value, what: &str) -> T
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
// Client helpers
// ---------------------------------------------------------------------------

/// A configuration pointed at `server`: no retries, short timeouts, no project id
/// and no credentials yet.
fn base_config(server: &MockServer) -> Config {
    Config::new()
        .with_endpoint(server.uri())
        .with_retry(RetryPolicy::disabled())
        .with_connect_timeout(Duration::from_secs(2))
        .with_attempt_timeout(Duration::from_secs(10))
        .with_deadline(Duration::from_secs(15))
}

/// Builds the GaussDB client for a configuration.
fn client_from(config: &Config) -> gaussdb::Client {
    gaussdb::Client::new(config).unwrap_or_else(|e| panic!("building the client failed: {e}"))
}

/// A token-authenticated client for `server` with [`PROJECT_ID`].
fn token_client(server: &MockServer) -> gaussdb::Client {
    client_from(
        &base_config(server)
            .with_project_id(PROJECT_ID)
            .with_credentials(Credentials::token(TOKEN)),
    )
}

/// Awaits a call, failing the test if it takes longer than [`CALL_LIMIT`].
async fn bounded<F: IntoFuture>(call: F) -> F::Output {
    match tokio::time::timeout(CALL_LIMIT, call.into_future()).await {
        Ok(output) => output,
        Err(_) => panic!("the call did not finish within {CALL_LIMIT:?}"),
    }
}

/// The success value of a call, or a panic that shows the error.
fn expect_ok<T>(result: Result<T, Error>, operation_id: &str) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("{operation_id} failed: {e}\n{e:?}"),
    }
}

/// `host:port` of the mock server, as the client reports it in errors.
fn server_host(server: &MockServer) -> String {
    let address = server.address();
    assert!(
        address.ip().is_loopback(),
        "the mock server should listen on loopback, listens on {address}"
    );
    format!("127.0.0.1:{}", address.port())
}

// ---------------------------------------------------------------------------
// Request inspection helpers
// ---------------------------------------------------------------------------

/// The one request `server` received (fails if it received any other number).
async fn only_request(server: &MockServer) -> Request {
    let received = server
        .received_requests()
        .await
        .unwrap_or_else(|| panic!("the mock server does not record requests"));
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

/// A header of a received request as text.
fn header_text<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|value| {
        value
            .to_str()
            .unwrap_or_else(|e| panic!("header {name} is not visible ASCII: {e}"))
    })
}

/// Checks method and exact (raw, percent-encoded) path, and that there is no query.
fn assert_request_line(request: &Request, http_method: &str, raw_path: &str) {
    assert_eq!(
        request.method.as_str(),
        http_method,
        "wrong HTTP method for {}",
        request.url
    );
    assert_eq!(request.url.path(), raw_path, "wrong request path");
    assert_eq!(request.url.query(), None, "no query string expected");
}

/// Checks the headers every token-authenticated request carries, and that nothing of
/// AK/SK signing leaks into it.
fn assert_token_headers(request: &Request) {
    let content_type = if request.body.is_empty() {
        CONTENT_TYPE_NO_BODY
    } else {
        CONTENT_TYPE
    };
    assert_eq!(
        header_text(request, "X-Auth-Token"),
        Some(TOKEN),
        "X-Auth-Token must carry the configured token"
    );
    assert_eq!(
        header_text(request, "Content-Type"),
        Some(content_type),
        "Content-Type"
    );
    let agent = header_text(request, "User-Agent").unwrap_or_default();
    assert!(
        agent.starts_with(USER_AGENT_PREFIX),
        "User-Agent should start with {USER_AGENT_PREFIX:?}, is {agent:?}"
    );
    for unexpected in ["Authorization", "X-Sdk-Date", "X-Security-Token"] {
        assert_eq!(
            header_text(request, unexpected),
            None,
            "token authentication must not send {unexpected}"
        );
    }
}

/// Checks the X-Language header (`None`: the header must be absent).
fn assert_x_language(request: &Request, expected: Option<&str>) {
    assert_eq!(
        header_text(request, "X-Language"),
        expected,
        "X-Language header"
    );
}

/// Checks that the request body is exactly `expected` as JSON.
fn assert_json_body(request: &Request, expected: &Value) {
    let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "the request body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    });
    assert_eq!(
        &sent, expected,
        "the request body differs from the spec example"
    );
}

// ---------------------------------------------------------------------------
// Error helpers
// ---------------------------------------------------------------------------

/// The documented "instance not found" error body.
fn error_body() -> Value {
    json!({ "error_code": ERROR_CODE, "error_msg": ERROR_MSG })
}

/// Mounts a 400 "instance not found" reply for `http_method raw_path`, expected once.
async fn mount_instance_not_found(server: &MockServer, http_method: &str, raw_path: &str) {
    Mock::given(method(http_method))
        .and(path(raw_path))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Request-Id", REQUEST_ID)
                .set_body_json(error_body()),
        )
        .expect(1)
        .named(format!("400 for {http_method} {raw_path}"))
        .mount(server)
        .await;
}

/// Checks that `result` is the 400 "instance not found" [`Error::Api`] and that its
/// `Display` says everything needed to act on it.
fn assert_instance_not_found<T: Debug>(
    result: Result<T, Error>,
    server: &MockServer,
    operation_id: &str,
) {
    let host = server_host(server);
    let error = match result {
        Ok(value) => panic!("{operation_id}: expected a 400 error, got success {value:?}"),
        Err(error) => error,
    };
    let shown = error.to_string();
    assert_eq!(error.status(), Some(400), "Error::status of {error:?}");
    assert_eq!(
        error.error_code(),
        Some(ERROR_CODE),
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
    assert_eq!(api.status, 400, "ApiError.status");
    assert_eq!(api.error_code, ERROR_CODE, "ApiError.error_code");
    assert_eq!(api.error_msg, ERROR_MSG, "ApiError.error_msg");
    assert_eq!(
        api.request_id.as_deref(),
        Some(REQUEST_ID),
        "ApiError.request_id comes from X-Request-Id"
    );
    assert_eq!(api.operation, operation_id, "ApiError.operation");
    assert_eq!(api.host, host, "ApiError.host");
    let raw: Value = serde_json::from_str(&api.body)
        .unwrap_or_else(|e| panic!("ApiError.body is not the JSON reply ({e}): {:?}", api.body));
    assert_eq!(raw, error_body(), "ApiError.body keeps the raw reply");
    for part in [
        operation_id,
        "400",
        ERROR_CODE,
        ERROR_MSG,
        REQUEST_ID,
        &host,
    ] {
        assert!(
            shown.contains(part),
            "the error's Display should mention {part:?}: {shown:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// create_starrocks_instance: POST /v3/{project_id}/instances/{instance_id}/starrocks
// ---------------------------------------------------------------------------

const CREATE_STARROCKS_INSTANCE: &str = "create_starrocks_instance";

fn create_starrocks_instance_path(instance_id: &str) -> String {
    assert_spec_route(
        CREATE_STARROCKS_INSTANCE,
        "POST",
        "/v3/{project_id}/instances/{instance_id}/starrocks",
    );
    format!("/v3/{PROJECT_ID}/instances/{instance_id}/starrocks")
}

#[tokio::test]
async fn create_starrocks_instance_sends_spec_example_and_decodes_201() {
    let server = MockServer::start().await;
    let route = create_starrocks_instance_path(TAURUS_ID);
    let body_example = request_example(CREATE_STARROCKS_INSTANCE);
    let status = success_status(CREATE_STARROCKS_INSTANCE);
    assert_eq!(status, 201, "the spec documents 201 for this operation");
    Mock::given(method("POST"))
        .and(path(route.as_str()))
        .and(header("X-Auth-Token", TOKEN))
        .and(header("Content-Type", CONTENT_TYPE))
        .and(header("X-Language", "en-us"))
        .and(body_json(&body_example))
        .respond_with(
            ResponseTemplate::new(status).set_body_json(success_example(CREATE_STARROCKS_INSTANCE)),
        )
        .expect(1)
        .named("create_starrocks_instance success")
        .mount(&server)
        .await;

    let body: models::StarRocksCreateRequest =
        model_from_example(&body_example, "create_starrocks_instance request");
    let result = bounded(
        token_client(&server)
            .create_starrocks_instance(TAURUS_ID, body)
            .x_language(models::XLanguage::EnUs),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route);
    assert_token_headers(&request);
    assert_x_language(&request, Some("en-us"));
    assert_json_body(&request, &body_example);

    let reply = expect_ok(result, CREATE_STARROCKS_INSTANCE);
    assert_eq!(
        reply.job_id.as_deref(),
        Some("cf0b7506-1505-450f-9d95-ce9d93b6b5c3"),
        "job_id"
    );
    let instance = reply
        .instance
        .unwrap_or_else(|| panic!("the reply's `instance` was not decoded"));
    assert_eq!(
        instance.id.as_deref(),
        Some("590031445ef845bb912d7fc8243db80cin17"),
        "instance.id"
    );
    assert_eq!(instance.name.as_deref(), Some("htap-ff64"), "instance.name");
    assert_eq!(instance.port, Some(3306), "instance.port");
    assert_eq!(instance.enable_ssl, Some(false), "instance.enable_ssl");
    assert_eq!(
        instance.status.as_deref(),
        Some("creating"),
        "instance.status"
    );
    assert_eq!(
        instance.az_mode,
        Some(models::SrCreateInstanceRspInstanceAzMode::from("single")),
        "instance.az_mode"
    );
    assert_eq!(
        instance.az_mode.as_ref().map(|m| m.as_str()),
        Some("single"),
        "instance.az_mode wire value"
    );
    let engine = instance
        .engine
        .unwrap_or_else(|| panic!("instance.engine was not decoded"));
    assert_eq!(
        (engine.r#type.as_deref(), engine.version.as_deref()),
        (Some("star-rocks"), Some("3.1")),
        "instance.engine"
    );
    let pay_info = instance
        .pay_info
        .unwrap_or_else(|| panic!("instance.pay_info was not decoded"));
    assert!(
        matches!(
            pay_info.pay_model,
            Some(models::SrCreateInstanceRspInstancePayInfoPayModel::PayPerUse)
        ),
        "pay_info.pay_model \"0\" should be the known variant PayPerUse, is {:?}",
        pay_info.pay_model
    );
    assert_eq!(
        pay_info.order_id,
        Some(None),
        "pay_info.order_id is null in the reply (present, unlike an absent field)"
    );
    let sys_tags = instance
        .tags_info
        .and_then(|t| t.sys_tags)
        .unwrap_or_default();
    assert_eq!(
        sys_tags.len(),
        1,
        "instance.tags_info.sys_tags: {sys_tags:?}"
    );
    assert_eq!(
        (sys_tags[0].key.as_deref(), sys_tags[0].value.as_deref()),
        (Some("_sys_enterprise_project_id"), Some("0")),
        "instance.tags_info.sys_tags[0]"
    );
}

#[tokio::test]
async fn create_starrocks_instance_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = create_starrocks_instance_path(TAURUS_ID);
    mount_instance_not_found(&server, "POST", &route).await;

    let body: models::StarRocksCreateRequest = model_from_example(
        &request_example(CREATE_STARROCKS_INSTANCE),
        "create_starrocks_instance request",
    );
    let result = bounded(token_client(&server).create_starrocks_instance(TAURUS_ID, body)).await;

    assert_instance_not_found(result, &server, CREATE_STARROCKS_INSTANCE);
    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route);
    assert_x_language(&request, None);
}

// ---------------------------------------------------------------------------
// create_star_rocks_data_replication:
// POST /v3/{project_id}/instances/{instance_id}/starrocks/databases/replication
// ---------------------------------------------------------------------------

const CREATE_STAR_ROCKS_DATA_REPLICATION: &str = "create_star_rocks_data_replication";

fn replication_path(operation_id: &str, http_method: &str, instance_id: &str) -> String {
    assert_spec_route(
        operation_id,
        http_method,
        "/v3/{project_id}/instances/{instance_id}/starrocks/databases/replication",
    );
    format!("/v3/{PROJECT_ID}/instances/{instance_id}/starrocks/databases/replication")
}

fn replication_body() -> (Value, models::CreateStarRocksDataReplication) {
    let example = request_example(CREATE_STAR_ROCKS_DATA_REPLICATION);
    let body = model_from_example(&example, "create_star_rocks_data_replication request");
    (example, body)
}

#[tokio::test]
async fn create_star_rocks_data_replication_sends_spec_example_and_decodes_job_id() {
    let server = MockServer::start().await;
    let route = replication_path(CREATE_STAR_ROCKS_DATA_REPLICATION, "POST", STARROCKS_ID);
    let (example, body) = replication_body();
    let status = success_status(CREATE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    Mock::given(method("POST"))
        .and(path(route.as_str()))
        .and(header("X-Auth-Token", TOKEN))
        .and(header("Content-Type", CONTENT_TYPE))
        .and(header("X-Language", "zh-cn"))
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(success_example(CREATE_STAR_ROCKS_DATA_REPLICATION)),
        )
        .expect(1)
        .named("create_star_rocks_data_replication success")
        .mount(&server)
        .await;

    // X-Language is a required header of this operation: a positional argument.
    let result = bounded(token_client(&server).create_star_rocks_data_replication(
        STARROCKS_ID,
        "zh-cn",
        body,
    ))
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route);
    assert_token_headers(&request);
    assert_x_language(&request, Some("zh-cn"));
    assert_json_body(&request, &example);

    let reply = expect_ok(result, CREATE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(reply.job_id.as_deref(), Some("123"), "job_id");
}

#[tokio::test]
async fn create_star_rocks_data_replication_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = replication_path(CREATE_STAR_ROCKS_DATA_REPLICATION, "POST", STARROCKS_ID);
    mount_instance_not_found(&server, "POST", &route).await;

    let (_, body) = replication_body();
    let result = bounded(token_client(&server).create_star_rocks_data_replication(
        STARROCKS_ID,
        models::XLanguage::EnUs,
        body,
    ))
    .await;

    assert_instance_not_found(result, &server, CREATE_STAR_ROCKS_DATA_REPLICATION);
    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route);
    assert_x_language(&request, Some("en-us"));
}

// ---------------------------------------------------------------------------
// modify_data_sync:
// PUT /v3/{project_id}/instances/{instance_id}/starrocks/databases/replication
// ---------------------------------------------------------------------------

const MODIFY_DATA_SYNC: &str = "modify_data_sync";

fn modify_data_sync_body() -> (Value, models::ModifyDataSyncConfigRequestV3) {
    let example = request_example(MODIFY_DATA_SYNC);
    let body = model_from_example(&example, "modify_data_sync request");
    (example, body)
}

#[tokio::test]
async fn modify_data_sync_sends_spec_example_and_decodes_check_results() {
    let server = MockServer::start().await;
    let route = replication_path(MODIFY_DATA_SYNC, "PUT", STARROCKS_ID);
    let (example, body) = modify_data_sync_body();
    assert_eq!(
        body.table_repl_config
            .as_ref()
            .and_then(|c| c.repl_type.as_ref())
            .map(|t| t.as_str()),
        Some("include_tables"),
        "the example's table_repl_config.repl_type decodes to a known value"
    );
    let status = success_status(MODIFY_DATA_SYNC);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    Mock::given(method("PUT"))
        .and(path(route.as_str()))
        .and(header("X-Auth-Token", TOKEN))
        .and(header("Content-Type", CONTENT_TYPE))
        .and(header("X-Language", "zh-cn"))
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(status).set_body_json(success_example(MODIFY_DATA_SYNC)),
        )
        .expect(1)
        .named("modify_data_sync success")
        .mount(&server)
        .await;

    let result = bounded(
        token_client(&server)
            .modify_data_sync(STARROCKS_ID, body)
            .x_language("zh-cn"),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "PUT", &route);
    assert_token_headers(&request);
    assert_x_language(&request, Some("zh-cn"));
    assert_json_body(&request, &example);

    let reply = expect_ok(result, MODIFY_DATA_SYNC);
    assert_eq!(reply.job_id.as_deref(), Some("job_id"), "job_id");
    assert_eq!(reply.task_name.as_deref(), Some("task"), "task_name");
    assert_eq!(
        reply.source_database_name.as_deref(),
        Some("source_database_name"),
        "source_database_name"
    );
    let tables = reply.tbl_config_check_results.unwrap_or_default();
    assert_eq!(tables.len(), 1, "tbl_config_check_results: {tables:?}");
    assert_eq!(
        (
            tables[0].table_name.as_deref(),
            tables[0].table_config.as_deref(),
            tables[0].check_result.as_deref()
        ),
        (Some("table"), Some("order by id"), Some("success")),
        "tbl_config_check_results[0]"
    );
    let params = reply.source_db_config_check_results.unwrap_or_default();
    let names: Vec<Option<&str>> = params.iter().map(|p| p.param_name.as_deref()).collect();
    assert_eq!(
        names,
        [Some("enable_chunk_level_dump"), Some("snapshot_with_lock")],
        "source_db_config_check_results names"
    );
    assert_eq!(
        (
            params[1].value.as_deref(),
            params[1]
                .check_result
                .as_ref()
                .map(models::DbConfigCheckResultCheckResult::as_str)
        ),
        (Some("true"), Some("success")),
        "source_db_config_check_results[1]"
    );
}

#[tokio::test]
async fn modify_data_sync_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = replication_path(MODIFY_DATA_SYNC, "PUT", STARROCKS_ID);
    mount_instance_not_found(&server, "PUT", &route).await;

    let (_, body) = modify_data_sync_body();
    let result = bounded(token_client(&server).modify_data_sync(STARROCKS_ID, body)).await;

    assert_instance_not_found(result, &server, MODIFY_DATA_SYNC);
    let request = only_request(&server).await;
    assert_request_line(&request, "PUT", &route);
    assert_x_language(&request, None);
}

// ---------------------------------------------------------------------------
// list_htap_instance_info: GET /v3/{project_id}/instances/{instance_id}/htap
// ---------------------------------------------------------------------------

const LIST_HTAP_INSTANCE_INFO: &str = "list_htap_instance_info";

fn list_htap_path(instance_id: &str) -> String {
    assert_spec_route(
        LIST_HTAP_INSTANCE_INFO,
        "GET",
        "/v3/{project_id}/instances/{instance_id}/htap",
    );
    format!("/v3/{PROJECT_ID}/instances/{instance_id}/htap")
}

/// Mounts `reply` as the 200 reply of list_htap_instance_info, expected once.
async fn mount_list_htap(server: &MockServer, route: &str, reply: Value) {
    let status = success_status(LIST_HTAP_INSTANCE_INFO);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("X-Auth-Token", TOKEN))
        .and(header("Content-Type", CONTENT_TYPE_NO_BODY))
        .respond_with(ResponseTemplate::new(status).set_body_json(reply))
        .expect(1)
        .named("list_htap_instance_info success")
        .mount(server)
        .await;
}

/// The spec's reply example with `edit` applied to its first instance.
fn list_htap_reply_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut reply = success_example(LIST_HTAP_INSTANCE_INFO);
    let first = reply["instances"][0]
        .as_object_mut()
        .unwrap_or_else(|| panic!("the spec's list_htap_instance_info example has no instances"));
    edit(first);
    reply
}

#[tokio::test]
async fn list_htap_instance_info_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = list_htap_path(TAURUS_ID);
    mount_list_htap(&server, &route, success_example(LIST_HTAP_INSTANCE_INFO)).await;

    let result = bounded(
        token_client(&server)
            .list_htap_instance_info(TAURUS_ID)
            .x_language("en-us"),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route);
    assert_token_headers(&request);
    assert_x_language(&request, Some("en-us"));
    assert!(
        request.body.is_empty(),
        "a GET must not carry a body, got {:?}",
        String::from_utf8_lossy(&request.body)
    );

    let reply = expect_ok(result, LIST_HTAP_INSTANCE_INFO);
    assert_eq!(reply.total, Some(2), "total");
    assert_eq!(
        reply.max_htap_instance_num_of_taurus,
        Some(10),
        "max_htap_instance_num_of_taurus"
    );
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 2, "instances");
    let first = &instances[0];
    assert_eq!(
        first.id.as_deref(),
        Some("5fbd54b94f0f4adbb17f728f581d247ein17"),
        "instances[0].id"
    );
    assert_eq!(
        first
            .instance_state
            .as_ref()
            .and_then(|s| s.instance_status.as_deref()),
        Some("normal"),
        "instances[0].instance_state.instance_status"
    );
    assert_eq!(
        first.create_at,
        Some(1_716_364_704_475),
        "instances[0].create_at"
    );
    assert_eq!(first.node_num, Some(6), "instances[0].node_num");
    assert_eq!(
        first.order_id,
        Some(None),
        "instances[0].order_id is null (present, unlike an absent field)"
    );
    assert!(
        matches!(
            first.pay_model,
            Some(models::HtapInstanceListInstancesPayModel::PayPerUse)
        ),
        "instances[0].pay_model \"0\" should be the known variant PayPerUse, is {:?}",
        first.pay_model
    );
    assert_eq!(
        first.readable_node_infos.as_ref().map(Vec::len),
        Some(3),
        "instances[0].readable_node_infos"
    );
    assert_eq!(
        first.network.as_ref().and_then(|n| n.vpc_id.as_deref()),
        Some("f7876b94-3696-419b-a609-161de4b42d59"),
        "instances[0].network.vpc_id"
    );
    assert_eq!(
        instances[1]
            .instance_state
            .as_ref()
            .and_then(|s| s.create_fail_error_code.clone().flatten()),
        Some("500000".to_owned()),
        "instances[1].instance_state.create_fail_error_code"
    );
}

#[tokio::test]
async fn list_htap_instance_info_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = list_htap_path(TAURUS_ID);
    mount_instance_not_found(&server, "GET", &route).await;

    let result = bounded(token_client(&server).list_htap_instance_info(TAURUS_ID)).await;

    assert_instance_not_found(result, &server, LIST_HTAP_INSTANCE_INFO);
    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route);
    assert_x_language(&request, None);
}

#[tokio::test]
async fn list_htap_instance_info_keeps_unknown_enum_value() {
    let server = MockServer::start().await;
    let route = list_htap_path(TAURUS_ID);
    let reply = list_htap_reply_with(|instance| {
        instance.insert("pay_model".to_owned(), json!("7"));
    });
    mount_list_htap(&server, &route, reply).await;

    let result = bounded(token_client(&server).list_htap_instance_info(TAURUS_ID)).await;

    let reply = expect_ok(result, LIST_HTAP_INSTANCE_INFO);
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 2, "instances");
    match &instances[0].pay_model {
        Some(models::HtapInstanceListInstancesPayModel::Unknown(value)) => {
            assert_eq!(value.as_str(), "7", "the unknown value is kept as received");
        }
        other => panic!("pay_model \"7\" should decode to Unknown(\"7\"), got {other:?}"),
    }
    assert_eq!(
        instances[0].pay_model.as_ref().map(|m| m.as_str()),
        Some("7"),
        "as_str() of the unknown pay_model"
    );
    assert!(
        matches!(
            instances[1].pay_model,
            Some(models::HtapInstanceListInstancesPayModel::PayPerUse)
        ),
        "the second instance's pay_model \"0\" is still known, is {:?}",
        instances[1].pay_model
    );
}

#[tokio::test]
async fn list_htap_instance_info_ignores_unknown_fields() {
    let server = MockServer::start().await;
    let route = list_htap_path(TAURUS_ID);
    let mut reply = list_htap_reply_with(|instance| {
        instance.insert("brand_new_field".to_owned(), json!({ "x": 1 }));
    });
    reply["brand_new_field"] = json!({ "x": 1 });
    reply["instances"][0]["instance_state"]["brand_new_field"] = json!([1, 2, 3]);
    mount_list_htap(&server, &route, reply).await;

    let result = bounded(token_client(&server).list_htap_instance_info(TAURUS_ID)).await;

    let reply = expect_ok(result, LIST_HTAP_INSTANCE_INFO);
    assert_eq!(reply.total, Some(2), "total");
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(
        instances.first().and_then(|i| i.id.as_deref()),
        Some("5fbd54b94f0f4adbb17f728f581d247ein17"),
        "instances[0].id"
    );
    assert_eq!(
        instances
            .first()
            .and_then(|i| i.instance_state.as_ref())
            .and_then(|s| s.instance_status.as_deref()),
        Some("normal"),
        "instances[0].instance_state.instance_status"
    );
}

// ---------------------------------------------------------------------------
// Lifecycle operations: shared helpers
// ---------------------------------------------------------------------------
//
// The operations added with the lifecycle (engine versions, flavors, storage
// types, jobs, one StarRocks instance, synchronization task list and deletion,
// instance deletion) are tested with AK/SK-signed clients and the shared helpers
// of `sdk_tests::wire`, whose signature check recomputes the signature over
// what the server received.

static GAUSSDB: LazyLock<Spec> = LazyLock::new(|| Spec::load("gaussdb.yaml"));

const LIST_HTAP_DATA_STORE: &str = "list_htap_data_store";
const LIST_HTAP_FLAVOR: &str = "list_htap_flavor";
const LIST_HTAP_STORAGE_TYPE: &str = "list_htap_storage_type";
const SHOW_GAUSS_MY_SQL_JOB_INFO: &str = "show_gauss_my_sql_job_info";
const LIST_STARROCKS_INSTANCE_INFO: &str = "list_starrocks_instance_info";
const LIST_STAR_ROCKS_DATA_REPLICATIONS: &str = "list_star_rocks_data_replications";
const DELETE_STAR_ROCKS_DATA_REPLICATION: &str = "delete_star_rocks_data_replication";
const DELETE_STARROCKS_INSTANCE: &str = "delete_starrocks_instance";
/// The StarRocks instance of the list_starrocks_instance_info example.
const SR_INSTANCE_ID: &str = "b6280c323ce449f2ad02af74e21f3dc5in17";

/// An AK/SK-signed client for `server`, with [`PROJECT_ID`].
fn signed_client(server: &MockServer) -> gaussdb::Client {
    client_from(&aksk_config(server))
}

/// The decoded query parameter names a received request carries.
fn query_names(request: &Request) -> std::collections::BTreeSet<String> {
    query_pairs(request).into_iter().map(|(k, _)| k).collect()
}

/// The error bodies to try for `id`: every example of each declared error
/// response (all are `ErrorResponse`), or, for a response without one, a body
/// with exactly the schema's fields.
fn declared_error_bodies(id: &str) -> Vec<(u16, Value)> {
    let mut out = Vec::new();
    for declared in GAUSSDB.error_responses(id) {
        assert_eq!(
            declared.schema, "ErrorResponse",
            "{id}: the {} reply's schema",
            declared.status_key
        );
        let bodies: Vec<Value> = if declared.examples.is_empty() {
            vec![json!({
                "error_code": format!("DBS.{}0001", declared.status),
                "error_msg": format!("{id} failed ({}).", declared.status_key),
            })]
        } else {
            declared.examples.into_iter().map(|(_, v)| v).collect()
        };
        for body in bodies {
            let fields: std::collections::BTreeSet<String> = body
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            assert_eq!(
                fields, declared.properties,
                "{id}: fields of the {} body",
                declared.status_key
            );
            out.push((declared.status, body));
        }
    }
    out
}

/// Mounts each declared error of `id` for `http_method route` on a fresh server,
/// makes the call and checks that it is the `Error::Api` of that reply (status,
/// code, message, request id) and that the request was signed. Returns the
/// `(status, error_code)` of each.
async fn assert_each_declared_error<B, T>(
    id: &str,
    http_method: &str,
    route: &str,
    call: impl Fn(gaussdb::Client) -> B,
) -> Vec<(u16, String)>
where
    B: IntoFuture<Output = Result<T, Error>>,
    T: Debug,
{
    let mut seen = Vec::new();
    for (status, body) in declared_error_bodies(id) {
        let server = MockServer::start().await;
        mount_error(&server, http_method, route, status, &body).await;

        let result = bounded(call(signed_client(&server))).await;

        let raw = assert_api_error(result, &server, id, status, &body);
        let typed: models::ErrorResponse = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{id} {status}: the body does not decode: {e}"));
        assert_eq!(
            typed.error_msg.as_deref(),
            body["error_msg"].as_str(),
            "ErrorResponse.error_msg"
        );
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), http_method, "{id} {status}");
        assert_eq!(request.url.path(), route, "{id} {status}");
        assert_signed_request(&request, &[]);
        seen.push((status, typed.error_code.unwrap_or_default()));
    }
    seen
}

// ---------------------------------------------------------------------------
// list_htap_data_store: GET /v3/{project_id}/htap/datastores/{engine_name}
// ---------------------------------------------------------------------------

fn data_store_path(engine_name: &str) -> String {
    GAUSSDB.assert_route(
        LIST_HTAP_DATA_STORE,
        "GET",
        "/v3/{project_id}/htap/datastores/{engine_name}",
    );
    format!("/v3/{PROJECT_ID}/htap/datastores/{engine_name}")
}

fn data_store_reply() -> Value {
    GAUSSDB.success_example(LIST_HTAP_DATA_STORE, "starrocks_versions")
}

#[tokio::test]
async fn list_htap_data_store_sends_each_engine_and_decodes_spec_example() {
    let status = GAUSSDB.success_status(LIST_HTAP_DATA_STORE);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListHtapDataStoreResponse =
        model_from_example(&data_store_reply(), "list_htap_data_store 200");
    for (engine, wire) in [
        (models::EngineName::StarRocks, "star-rocks"),
        (models::EngineName::ClickHouse, "click-house"),
    ] {
        let server = MockServer::start().await;
        let route = data_store_path(wire);
        signed_mock("GET", &route)
            .and(header("Content-Type", CONTENT_TYPE_NO_BODY))
            .and(header("X-Language", "zh-cn"))
            .respond_with(ResponseTemplate::new(status).set_body_json(data_store_reply()))
            .expect(1)
            .named(format!("list_htap_data_store {wire}"))
            .mount(&server)
            .await;

        let result = bounded(
            signed_client(&server)
                .list_htap_data_store(engine)
                .x_language(models::XLanguage::ZhCn),
        )
        .await;

        let request = only_request(&server).await;
        shared::assert_request_line(&request, "GET", &route, None);
        assert_signed_request(&request, &["X-Language"]);
        assert_no_body(&request);
        let reply = expect_ok(result, LIST_HTAP_DATA_STORE);
        assert_eq!(reply, expected, "{wire}: the reply is the example's model");
    }
    let datastores = expected.datastores.unwrap_or_default();
    assert_eq!(
        datastores
            .iter()
            .map(|d| (
                d.id.as_deref(),
                d.name.as_deref(),
                d.kernel_version.as_deref()
            ))
            .collect::<Vec<_>>(),
        [(
            Some("38197973-8895-36ed-b853-52daeefb6d3a"),
            Some("3.1"),
            Some("3.1.6.0")
        )],
        "datastores: the major version and the full kernel version"
    );
}

#[tokio::test]
async fn list_htap_data_store_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    // "star-rock" is API Explorer's typo (the note), not an engine.
    for engine in ["star-rock", "StarRocks", ""] {
        assert_validation(
            bounded(client.list_htap_data_store(engine)).await,
            LIST_HTAP_DATA_STORE,
            "engine_name",
            "enum",
        );
    }
    assert_validation(
        bounded(
            client
                .list_htap_data_store("star-rocks")
                .x_language("fr-fr"),
        )
        .await,
        LIST_HTAP_DATA_STORE,
        "X-Language",
        "enum",
    );
    assert_nothing_sent(&server, "invalid list_htap_data_store input").await;
}

#[tokio::test]
async fn list_htap_data_store_maps_each_declared_error_to_api_error() {
    let route = data_store_path("click-house");
    let seen = assert_each_declared_error(LIST_HTAP_DATA_STORE, "GET", &route, |client| {
        client.list_htap_data_store(models::EngineName::ClickHouse)
    })
    .await;
    assert_eq!(
        seen,
        [
            (400, "DBS.280235".to_owned()),
            (500, "DBS.5000001".to_owned())
        ],
        "400 (the spec's invalid database type) and 500"
    );
}

// ---------------------------------------------------------------------------
// list_htap_flavor: GET /v3/{project_id}/htap/flavors/{engine_name}
// ---------------------------------------------------------------------------

fn flavor_path(engine_name: &str) -> String {
    GAUSSDB.assert_route(
        LIST_HTAP_FLAVOR,
        "GET",
        "/v3/{project_id}/htap/flavors/{engine_name}",
    );
    format!("/v3/{PROJECT_ID}/htap/flavors/{engine_name}")
}

fn flavor_reply() -> Value {
    GAUSSDB.success_example(LIST_HTAP_FLAVOR, "starrocks_flavors")
}

#[tokio::test]
async fn list_htap_flavor_sends_every_query_parameter_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = flavor_path("star-rocks");
    let status = GAUSSDB.success_status(LIST_HTAP_FLAVOR);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListHtapFlavorResponse =
        model_from_example(&flavor_reply(), "list_htap_flavor 200");
    signed_mock("GET", &route)
        .and(header("X-Language", "en-us"))
        .respond_with(ResponseTemplate::new(status).set_body_json(flavor_reply()))
        .expect(1)
        .named("list_htap_flavor success")
        .mount(&server)
        .await;

    let result = bounded(
        signed_client(&server)
            .list_htap_flavor("star-rocks")
            .availability_zone_mode(models::AvailabilityZoneMode::Single)
            .spec_code("gaussdb.sr-be.xlarge.x86.4")
            .version_name("3.1.6.0")
            .x_language("en-us"),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(
        &request,
        "GET",
        &route,
        Some(
            "availability_zone_mode=single&spec_code=gaussdb.sr-be.xlarge.x86.4&version_name=3.1.6.0",
        ),
    );
    assert_eq!(
        query_names(&request),
        GAUSSDB.parameter_names(LIST_HTAP_FLAVOR, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);

    let reply = expect_ok(result, LIST_HTAP_FLAVOR);
    assert_eq!(reply, expected, "the reply is the example's model");
    let flavors = reply.flavors.unwrap_or_default();
    assert_eq!(flavors.len(), 10, "flavors");
    let first = &flavors[0];
    assert_eq!(
        (
            first.id.as_deref(),
            first.spec_code.as_deref(),
            first.vcpus.as_deref(),
            first.ram.as_deref(),
            first.version_name.as_deref()
        ),
        (
            Some("de565db8-0a96-37ea-9388-61167624712c"),
            Some("gaussdb.sr-be.xlarge.x86.4"),
            Some("4"),
            Some("16"),
            Some("8.0")
        ),
        "flavors[0]: vcpus, ram and version_name are text"
    );
    assert_eq!(
        (first.r#type.clone(), first.instance_mode.clone()),
        (
            Some(models::HtapFlavorInfoFlavorsType::X86),
            Some(models::HtapFlavorInfoFlavorsInstanceMode::Cluster)
        ),
        "flavors[0] type and instance_mode"
    );
    let zones = first.az_status.clone().unwrap_or_default();
    assert_eq!(
        zones.get("cn-southwest-244a"),
        Some(&models::HtapFlavorInfoFlavorsAzStatusItem::Unsupported),
        "flavors[0].az_status[cn-southwest-244a]"
    );
    assert_eq!(
        zones.get("cn-southwest-244d"),
        Some(&models::HtapFlavorInfoFlavorsAzStatusItem::Normal),
        "flavors[0].az_status[cn-southwest-244d]"
    );
    assert_eq!(zones.len(), 4, "four availability zones");
}

#[tokio::test]
async fn list_htap_flavor_without_options_sends_no_query() {
    // version_name's default 3.1.6.0 is the server's: nothing is sent for it.
    let server = MockServer::start().await;
    let route = flavor_path("click-house");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(flavor_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result =
        bounded(signed_client(&server).list_htap_flavor(models::EngineName::ClickHouse)).await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, None);
    let signed = assert_signed_request(&request, &[]);
    assert_x_language(&request, None);
    assert!(!signed.iter().any(|n| n == "x-language"), "{signed:?}");
    expect_ok(result, LIST_HTAP_FLAVOR);
}

#[tokio::test]
async fn list_htap_flavor_keeps_unknown_sale_states_and_cpu_types() {
    let server = MockServer::start().await;
    let route = flavor_path("star-rocks");
    let mut reply = flavor_reply();
    reply["flavors"][0]["az_status"]["cn-southwest-244b"] = json!("sellout");
    reply["flavors"][0]["az_status"]["cn-southwest-244e"] = json!("offline");
    reply["flavors"][0]["type"] = json!("loongarch");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(&reply))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(signed_client(&server).list_htap_flavor("star-rocks")).await,
        LIST_HTAP_FLAVOR,
    );

    let flavors = reply.flavors.unwrap_or_default();
    let zones = flavors[0].az_status.clone().unwrap_or_default();
    assert_eq!(
        zones.get("cn-southwest-244b"),
        Some(&models::HtapFlavorInfoFlavorsAzStatusItem::Sellout),
        "sellout is documented"
    );
    assert_eq!(
        zones.get("cn-southwest-244e").map(|s| s.as_str()),
        Some("offline"),
        "an undocumented state is kept"
    );
    assert!(
        matches!(
            zones.get("cn-southwest-244e"),
            Some(models::HtapFlavorInfoFlavorsAzStatusItem::Unknown(_))
        ),
        "as Unknown: {zones:?}"
    );
    assert_eq!(
        flavors[0].r#type.as_ref().map(|t| t.as_str()),
        Some("loongarch"),
        "an undocumented CPU type is kept"
    );
}

#[tokio::test]
async fn list_htap_flavor_maps_each_declared_error_to_api_error() {
    let route = flavor_path("star-rocks");
    let seen = assert_each_declared_error(LIST_HTAP_FLAVOR, "GET", &route, |client| {
        client
            .list_htap_flavor("star-rocks")
            .spec_code("gaussdb.sr-xx")
    })
    .await;
    assert_eq!(
        seen,
        [
            (400, "DBS.280434".to_owned()),
            (500, "DBS.5000001".to_owned())
        ],
        "400 (the spec's invalid specification code) and 500"
    );
}

#[tokio::test]
async fn list_htap_flavor_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    let op = LIST_HTAP_FLAVOR;
    let cases = [
        // Only single is supported (the note).
        (
            "availability_zone_mode",
            "enum",
            client
                .list_htap_flavor("star-rocks")
                .availability_zone_mode("multi"),
        ),
        ("engine_name", "enum", client.list_htap_flavor("clickhouse")),
        (
            "X-Language",
            "enum",
            client.list_htap_flavor("star-rocks").x_language("zh-tw"),
        ),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid list_htap_flavor input").await;
}

// ---------------------------------------------------------------------------
// list_htap_storage_type: GET /v3/{project_id}/htap/storage-type/{database}
// ---------------------------------------------------------------------------

fn storage_type_path(database: &str) -> String {
    GAUSSDB.assert_route(
        LIST_HTAP_STORAGE_TYPE,
        "GET",
        "/v3/{project_id}/htap/storage-type/{database}",
    );
    format!("/v3/{PROJECT_ID}/htap/storage-type/{database}")
}

fn storage_type_reply() -> Value {
    GAUSSDB.success_example(LIST_HTAP_STORAGE_TYPE, "starrocks_storage_types")
}

#[tokio::test]
async fn list_htap_storage_type_sends_database_and_version_name_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = storage_type_path("star-rocks");
    let status = GAUSSDB.success_status(LIST_HTAP_STORAGE_TYPE);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    assert_eq!(
        GAUSSDB.parameter_names(LIST_HTAP_STORAGE_TYPE, "query"),
        std::collections::BTreeSet::from(["version_name".to_owned()]),
        "the query parameters the spec declares"
    );
    let expected: models::ListHtapStorageTypeResponse =
        model_from_example(&storage_type_reply(), "list_htap_storage_type 200");
    signed_mock("GET", &route)
        .and(wiremock::matchers::query_param("version_name", "3.1.6.0"))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(storage_type_reply()))
        .expect(1)
        .named("list_htap_storage_type success")
        .mount(&server)
        .await;

    // version_name is required: a positional argument, always sent.
    let result = bounded(
        signed_client(&server)
            .list_htap_storage_type(models::Database::StarRocks, "3.1.6.0")
            .x_language("zh-cn"),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, Some("version_name=3.1.6.0"));
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, LIST_HTAP_STORAGE_TYPE);
    assert_eq!(reply, expected, "the reply is the example's model");
    let types = reply.storage_type.unwrap_or_default();
    assert_eq!(
        types
            .iter()
            .map(|t| (t.name.as_deref(), t.min_volume_size))
            .collect::<Vec<_>>(),
        [(Some("ULTRAHIGH"), Some(50)), (Some("ESSD"), Some(40))],
        "storage_type names and smallest sizes"
    );
    assert_eq!(
        types[1]
            .az_status
            .as_ref()
            .and_then(|z| z.get("cn-southwest-244c"))
            .map(String::as_str),
        Some("unsupported"),
        "storage_type[1].az_status (plain text, no enum)"
    );
}

#[tokio::test]
async fn list_htap_storage_type_sends_version_name_as_given() {
    // No source fixes the form of version_name (the note): the major version
    // and any other text are sent percent-encoded as given.
    let server = MockServer::start().await;
    let route = storage_type_path("click-house");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(storage_type_reply()))
        .expect(2)
        .mount(&server)
        .await;
    let client = signed_client(&server);

    for version in ["3.1", "3.1 beta/2"] {
        expect_ok(
            bounded(client.list_htap_storage_type("click-house", version)).await,
            LIST_HTAP_STORAGE_TYPE,
        );
    }

    let requests = received(&server).await;
    assert_eq!(
        requests
            .iter()
            .map(|r| r.url.query().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["version_name=3.1", "version_name=3.1%20beta%2F2"],
        "version_name as sent"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn list_htap_storage_type_maps_each_declared_error_to_api_error() {
    let route = storage_type_path("star-rocks");
    let seen = assert_each_declared_error(LIST_HTAP_STORAGE_TYPE, "GET", &route, |client| {
        client.list_htap_storage_type("star-rocks", "9.9")
    })
    .await;
    assert_eq!(
        seen,
        [
            (400, "DBS.280238".to_owned()),
            (500, "DBS.5000001".to_owned())
        ],
        "400 (the spec's unsupported engine, repaired into JSON) and 500"
    );
}

#[tokio::test]
async fn list_htap_storage_type_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    assert_validation(
        bounded(client.list_htap_storage_type("starrocks", "3.1.6.0")).await,
        LIST_HTAP_STORAGE_TYPE,
        "database",
        "enum",
    );
    assert_validation(
        bounded(
            client
                .list_htap_storage_type("star-rocks", "3.1.6.0")
                .x_language("en"),
        )
        .await,
        LIST_HTAP_STORAGE_TYPE,
        "X-Language",
        "enum",
    );
    assert_nothing_sent(&server, "invalid list_htap_storage_type input").await;
}

// ---------------------------------------------------------------------------
// show_gauss_my_sql_job_info: GET /v3/{project_id}/jobs?id=
// ---------------------------------------------------------------------------

fn job_info_path() -> String {
    GAUSSDB.assert_route(SHOW_GAUSS_MY_SQL_JOB_INFO, "GET", "/v3/{project_id}/jobs");
    format!("/v3/{PROJECT_ID}/jobs")
}

fn job_info_reply() -> Value {
    GAUSSDB.success_example(SHOW_GAUSS_MY_SQL_JOB_INFO, "completed_instance_creation")
}

#[tokio::test]
async fn show_gauss_my_sql_job_info_sends_id_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = job_info_path();
    let status = GAUSSDB.success_status(SHOW_GAUSS_MY_SQL_JOB_INFO);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let job_id = "31b8ae23-c687-4d80-b7b4-42a66c9bb886";
    let expected: models::ShowGaussMySqlJobInfoResponse =
        model_from_example(&job_info_reply(), "show_gauss_my_sql_job_info 200");
    signed_mock("GET", &route)
        .and(wiremock::matchers::query_param("id", job_id))
        .and(header("Content-Type", CONTENT_TYPE_NO_BODY))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(job_info_reply()))
        .expect(1)
        .named("show_gauss_my_sql_job_info success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let client = client_from(&config);
    shared::assert_config_hides_sk(&config, &client);
    let result = bounded(
        client
            .show_gauss_my_sql_job_info(job_id)
            .x_language("zh-cn"),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, Some(&format!("id={job_id}")));
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, SHOW_GAUSS_MY_SQL_JOB_INFO);
    assert_eq!(reply, expected, "the reply is the example's model");
    let job = reply
        .job
        .unwrap_or_else(|| panic!("the reply's job was not decoded"));
    assert_eq!(
        (job.id.as_str(), job.name.as_str(), &job.status),
        (
            job_id,
            "CreateGaussDBforMySQLInstance",
            &models::GetJobInfoDetailStatus::Completed
        ),
        "job"
    );
    assert_eq!(
        (
            job.created.as_str(),
            job.ended.as_deref(),
            job.process.as_deref()
        ),
        (
            "2018-08-06T10:41:14+0800",
            Some("2018-08-06T16:41:14+0000"),
            Some("")
        ),
        "job times (offsets without a colon) and progress"
    );
    assert_eq!(
        (job.instance.id.as_str(), job.instance.name.as_str()),
        (
            "a48e43ff268f4c0e879652d65e63d0fbin07",
            "DO-NOT-TOUCH-mgr2-mysql-single"
        ),
        "job.instance"
    );
    assert_eq!(job.fail_reason, None, "no fail_reason for a completed job");
    // entities is free-form and kept whole (the note), unlike the official SDK.
    let entities = job.entities.unwrap_or_default();
    assert_eq!(
        Some(&Value::Object(entities.clone().into_iter().collect())),
        job_info_reply()["job"].get("entities"),
        "job.entities is kept as sent"
    );
    assert_eq!(
        entities
            .get("instance")
            .and_then(|i| i["endpoint"].as_str()),
        Some("192.168.1.203:3306"),
        "job.entities.instance.endpoint"
    );
}

#[tokio::test]
async fn show_gauss_my_sql_job_info_has_no_rules_and_keeps_unknown_statuses() {
    // No source constrains id or enumerates X-Language here (the notes): any
    // text is sent, percent-encoded. The current reference page also lists
    // Unauthorized and Canceled, which the open enum keeps.
    let server = MockServer::start().await;
    let route = job_info_path();
    for status in ["Unauthorized", "Canceled"] {
        let mut reply = job_info_reply();
        reply["job"]["status"] = json!(status);
        signed_mock("GET", &route)
            .respond_with(ResponseTemplate::new(200).set_body_json(reply))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = signed_client(&server);

    let first = expect_ok(
        bounded(
            client
                .show_gauss_my_sql_job_info("job 1/&=")
                .x_language("fr-fr"),
        )
        .await,
        SHOW_GAUSS_MY_SQL_JOB_INFO,
    );
    let second = expect_ok(
        bounded(client.show_gauss_my_sql_job_info("")).await,
        SHOW_GAUSS_MY_SQL_JOB_INFO,
    );

    for (reply, status) in [(first, "Unauthorized"), (second, "Canceled")] {
        let job = reply.job.unwrap_or_else(|| panic!("no job"));
        assert!(
            matches!(&job.status, models::GetJobInfoDetailStatus::Unknown(v) if v.as_str() == status),
            "{status} is kept as an unknown value: {:?}",
            job.status
        );
    }
    let requests = received(&server).await;
    assert_eq!(
        requests
            .iter()
            .map(|r| r.url.query().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["id=job%201%2F%26%3D", "id="],
        "the ids as sent"
    );
    assert_signed_request(&requests[0], &["X-Language"]);
    assert_x_language(&requests[0], Some("fr-fr"));
    assert_signed_request(&requests[1], &[]);
}

#[tokio::test]
async fn show_gauss_my_sql_job_info_maps_each_declared_error_to_api_error() {
    let route = job_info_path();
    let seen = assert_each_declared_error(SHOW_GAUSS_MY_SQL_JOB_INFO, "GET", &route, |client| {
        client.show_gauss_my_sql_job_info("missing-job")
    })
    .await;
    assert_eq!(
        seen.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [400, 500],
        "400 and 500"
    );
}

// ---------------------------------------------------------------------------
// list_starrocks_instance_info:
// GET /v3/{project_id}/instances/{instance_id}/starrocks/{starrocks_instance_id}
// ---------------------------------------------------------------------------

fn starrocks_instance_path(
    operation_id: &str,
    http_method: &str,
    instance_id: &str,
    starrocks_instance_id: &str,
) -> String {
    GAUSSDB.assert_route(
        operation_id,
        http_method,
        "/v3/{project_id}/instances/{instance_id}/starrocks/{starrocks_instance_id}",
    );
    format!("/v3/{PROJECT_ID}/instances/{instance_id}/starrocks/{starrocks_instance_id}")
}

fn starrocks_instance_reply() -> Value {
    GAUSSDB.success_example(LIST_STARROCKS_INSTANCE_INFO, "cluster_instance")
}

#[tokio::test]
async fn list_starrocks_instance_info_sends_both_ids_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = starrocks_instance_path(
        LIST_STARROCKS_INSTANCE_INFO,
        "GET",
        TAURUS_ID,
        SR_INSTANCE_ID,
    );
    let status = GAUSSDB.success_status(LIST_STARROCKS_INSTANCE_INFO);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListStarrocksInstanceInfoResponse = model_from_example(
        &starrocks_instance_reply(),
        "list_starrocks_instance_info 200",
    );
    signed_mock("GET", &route)
        .and(header("Content-Type", CONTENT_TYPE_NO_BODY))
        .and(header("X-Language", "en-us"))
        .respond_with(ResponseTemplate::new(status).set_body_json(starrocks_instance_reply()))
        .expect(1)
        .named("list_starrocks_instance_info success")
        .mount(&server)
        .await;

    let result = bounded(
        signed_client(&server)
            .list_starrocks_instance_info(TAURUS_ID, SR_INSTANCE_ID)
            .x_language(models::XLanguage::EnUs),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, LIST_STARROCKS_INSTANCE_INFO);
    assert_eq!(reply, expected, "the reply is the example's model");
    let instances = reply.instances.unwrap_or_default();
    let [instance] = instances.as_slice() else {
        panic!("the reply holds the one instance of the path: {instances:?}");
    };
    assert_eq!(
        (
            instance.id.as_deref(),
            instance.name.as_deref(),
            instance.status.as_deref()
        ),
        (Some(SR_INSTANCE_ID), Some("htap-7ef5"), Some("abnormal")),
        "instances[0]"
    );
    assert_eq!(
        (
            instance.is_frozen,
            instance.db_port.as_deref(),
            instance.fe_node_volume_size.as_deref()
        ),
        (Some(0), Some("3306"), Some("50000000000")),
        "is_frozen is a number, db_port and the volume size text"
    );
    assert_eq!(
        (instance.backup_used_space.clone(), instance.delete_at),
        (Some(None), Some(None)),
        "null fields are present and null"
    );
    assert_eq!(
        instance.az_mode,
        Some(models::StarRocksInstanceInfoInstancesAzMode::Single),
        "instances[0].az_mode"
    );
    assert_eq!(
        instance.port_info.as_ref().and_then(|p| p.mysql_port),
        Some(3306),
        "instances[0].port_info.mysql_port"
    );
    assert_eq!(
        instance.ops_window.as_ref().map(|w| (
            w.period.clone(),
            w.start_time.as_deref(),
            w.end_time.as_deref()
        )),
        Some((Some(None), Some("18:00"), Some("22:00"))),
        "instances[0].ops_window"
    );
    let groups = instance.groups.clone().unwrap_or_default();
    let sizes: Vec<(Option<&str>, usize)> = groups
        .iter()
        .map(|g| {
            (
                g.group_node_type.as_deref(),
                g.nodes.as_ref().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        sizes,
        [(Some("fe"), 4), (Some("be"), 3)],
        "groups and their nodes"
    );
    let leader = groups[0]
        .nodes
        .as_ref()
        .and_then(|n| n.last())
        .unwrap_or_else(|| panic!("no FE nodes"));
    assert_eq!(
        (
            leader.r#type.as_deref(),
            leader.status.clone(),
            leader.db_port
        ),
        (
            Some("fe-leader"),
            Some(models::StarRocksInstanceInfoNodesStatus::Abnormal),
            Some(3306)
        ),
        "the FE leader: abnormal, db_port a number"
    );
    assert_eq!(
        (
            leader.period.as_deref(),
            leader.order_id.clone(),
            leader.param_group.clone()
        ),
        (Some("null"), Some(None), Some(None)),
        "period is the text \"null\", order_id and param_group real nulls"
    );
    assert_eq!(
        leader
            .volume
            .as_ref()
            .map(|v| (v.r#type.as_deref(), v.size.as_deref())),
        Some((Some("SSD"), Some("50000000000"))),
        "the FE leader's volume"
    );
    assert_eq!(
        instance
            .tags_info
            .as_ref()
            .and_then(|t| t.sys_tags.as_ref())
            .and_then(|t| t.first())
            .map(|t| (t.key.as_deref(), t.value.as_deref())),
        Some((Some("_sys_enterprise_project_id"), Some("0"))),
        "instances[0].tags_info.sys_tags[0]"
    );
}

#[tokio::test]
async fn list_starrocks_instance_info_tolerates_the_fields_api_explorer_adds() {
    // The note: API Explorer's example also has traffic_vip and traffic_vipv6 on
    // the nodes and iops and used in their volumes, which no model defines.
    let server = MockServer::start().await;
    let route = starrocks_instance_path(
        LIST_STARROCKS_INSTANCE_INFO,
        "GET",
        TAURUS_ID,
        SR_INSTANCE_ID,
    );
    let mut original = starrocks_instance_reply();
    for group in original["instances"][0]["groups"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        for node in group["nodes"].as_array_mut().into_iter().flatten() {
            node["traffic_vip"] = json!("");
            node["traffic_vipv6"] = json!("");
            node["volume"]["iops"] = Value::Null;
            node["volume"]["used"] = Value::Null;
        }
    }
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(&original))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(signed_client(&server).list_starrocks_instance_info(TAURUS_ID, SR_INSTANCE_ID))
            .await,
        LIST_STARROCKS_INSTANCE_INFO,
    );

    let expected: models::ListStarrocksInstanceInfoResponse = model_from_example(
        &starrocks_instance_reply(),
        "list_starrocks_instance_info 200",
    );
    assert_eq!(reply, expected, "the extra fields change nothing");
}

#[tokio::test]
async fn list_starrocks_instance_info_percent_encodes_both_ids() {
    // No source constrains either id: each is one percent-encoded segment.
    let server = MockServer::start().await;
    let route = starrocks_instance_path(
        LIST_STARROCKS_INSTANCE_INFO,
        "GET",
        "taurus%2F1",
        "sr%201%3Fx",
    );
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(starrocks_instance_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result =
        bounded(signed_client(&server).list_starrocks_instance_info("taurus/1", "sr 1?x")).await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(6),
        "the path keeps its 6 segments"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, LIST_STARROCKS_INSTANCE_INFO);
}

#[tokio::test]
async fn list_starrocks_instance_info_maps_each_declared_error_to_api_error() {
    let route = starrocks_instance_path(
        LIST_STARROCKS_INSTANCE_INFO,
        "GET",
        TAURUS_ID,
        SR_INSTANCE_ID,
    );
    let seen = assert_each_declared_error(LIST_STARROCKS_INSTANCE_INFO, "GET", &route, |client| {
        client.list_starrocks_instance_info(TAURUS_ID, SR_INSTANCE_ID)
    })
    .await;
    assert_eq!(
        seen.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [400, 500],
        "400 and 500"
    );
}

#[tokio::test]
async fn list_starrocks_instance_info_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    let op = LIST_STARROCKS_INSTANCE_INFO;
    let cases = [
        (
            "X-Language",
            "enum",
            client
                .list_starrocks_instance_info(TAURUS_ID, SR_INSTANCE_ID)
                .x_language("EN-US"),
        ),
        (
            "instance_id",
            "non-empty",
            client.list_starrocks_instance_info("", SR_INSTANCE_ID),
        ),
        (
            "starrocks_instance_id",
            "non-empty",
            client.list_starrocks_instance_info(TAURUS_ID, ""),
        ),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid list_starrocks_instance_info input").await;
}

// ---------------------------------------------------------------------------
// list_star_rocks_data_replications:
// GET /v3/{project_id}/instances/{instance_id}/starrocks/databases/replication
// ---------------------------------------------------------------------------

fn replications_reply() -> Value {
    GAUSSDB.success_example(LIST_STAR_ROCKS_DATA_REPLICATIONS, "success")
}

#[tokio::test]
async fn list_star_rocks_data_replications_sends_limit_and_offset_as_text_and_decodes_spec_example()
{
    let server = MockServer::start().await;
    let route = replication_path(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", STARROCKS_ID);
    let status = GAUSSDB.success_status(LIST_STAR_ROCKS_DATA_REPLICATIONS);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListStarRocksDataReplicationsResponse = model_from_example(
        &replications_reply(),
        "list_star_rocks_data_replications 200",
    );
    signed_mock("GET", &route)
        .and(wiremock::matchers::query_param("limit", "10"))
        .and(wiremock::matchers::query_param("offset", "0"))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(replications_reply()))
        .expect(1)
        .named("list_star_rocks_data_replications success")
        .mount(&server)
        .await;

    let result = bounded(
        signed_client(&server)
            .list_star_rocks_data_replications(STARROCKS_ID)
            .limit("10")
            .offset("0")
            .x_language(models::XLanguage::ZhCn),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, Some("limit=10&offset=0"));
    assert_eq!(
        query_names(&request),
        GAUSSDB.parameter_names(LIST_STAR_ROCKS_DATA_REPLICATIONS, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, LIST_STAR_ROCKS_DATA_REPLICATIONS);
    assert_eq!(reply, expected, "the reply is the example's model");
    assert_eq!(
        reply.total_count.as_deref(),
        Some("1"),
        "total_count is text"
    );
    assert_eq!(reply.ext_text, Some(None), "ext_text is null");
    let tasks = reply.replications.unwrap_or_default();
    let [task] = tasks.as_slice() else {
        panic!("the example has one task: {tasks:?}");
    };
    assert_eq!(
        (
            task.task_name.as_deref(),
            task.source_database.as_deref(),
            task.target_database.as_deref()
        ),
        (
            Some("task_name"),
            Some("source_database"),
            Some("target_database")
        ),
        "replications[0]"
    );
    assert_eq!(
        (task.status.clone(), task.stage.clone()),
        (
            Some(models::StarRocksReplicationInfoStatus::Yes),
            Some(models::StarRocksReplicationInfoStage::Incremental)
        ),
        "replications[0] status and stage"
    );
    assert_eq!(
        (
            task.percentage.as_deref(),
            task.catchup_percentage.as_deref(),
            task.catchup_stage.clone()
        ),
        (Some("100"), Some("0"), Some(None)),
        "replications[0] progress (text) and catchup_stage (null)"
    );
}

#[tokio::test]
async fn list_star_rocks_data_replications_without_options_sends_no_query() {
    // offset's default "0" is the server's: nothing is sent for it.
    let server = MockServer::start().await;
    let route = replication_path(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", STARROCKS_ID);
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(replications_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result =
        bounded(signed_client(&server).list_star_rocks_data_replications(STARROCKS_ID)).await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, None);
    assert_signed_request(&request, &[]);
    assert_x_language(&request, None);
    expect_ok(result, LIST_STAR_ROCKS_DATA_REPLICATIONS);
}

#[tokio::test]
async fn list_star_rocks_data_replications_reads_api_explorer_original_example() {
    // The note on the example: API Explorer sends total_count, percentage and
    // catchup_percentage as numbers and stage "Incremental" capitalized. The
    // numbers are read as the declared text; the capitalized stage is kept as
    // an unknown value rather than failing.
    let server = MockServer::start().await;
    let route = replication_path(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", STARROCKS_ID);
    let mut original = replications_reply();
    original["total_count"] = json!(1);
    original["replications"][0]["percentage"] = json!(100);
    original["replications"][0]["catchup_percentage"] = json!(0);
    original["replications"][0]["stage"] = json!("Incremental");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(&original))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(signed_client(&server).list_star_rocks_data_replications(STARROCKS_ID)).await,
        LIST_STAR_ROCKS_DATA_REPLICATIONS,
    );

    assert_eq!(
        reply.total_count.as_deref(),
        Some("1"),
        "total_count read as text"
    );
    let tasks = reply.replications.unwrap_or_default();
    let task = tasks.first().unwrap_or_else(|| panic!("no task decoded"));
    assert_eq!(
        (
            task.percentage.as_deref(),
            task.catchup_percentage.as_deref()
        ),
        (Some("100"), Some("0")),
        "percentages read as text"
    );
    assert!(
        matches!(&task.stage, Some(models::StarRocksReplicationInfoStage::Unknown(v)) if v.as_str() == "Incremental"),
        "stage Incremental is kept as an unknown value: {:?}",
        task.stage
    );
}

#[tokio::test]
async fn list_star_rocks_data_replications_pages_by_fifty_from_zero() {
    // x-lifecycle-note: offset counts tasks from 0, both sent as text, pages of
    // 50 when the caller sets no limit.
    let server = MockServer::start().await;
    let route = replication_path(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", STARROCKS_ID);
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(replications_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let tasks = bounded(
        signed_client(&server)
            .list_star_rocks_data_replications(STARROCKS_ID)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("paging list_star_rocks_data_replications failed: {e}"));

    assert_eq!(tasks.len(), 1, "the one task, total_count \"1\"");
    let request = only_request(&server).await;
    shared::assert_request_line(&request, "GET", &route, Some("limit=50&offset=0"));
    assert_signed_request(&request, &[]);
}

#[tokio::test]
async fn list_star_rocks_data_replications_maps_each_declared_error_to_api_error() {
    let route = replication_path(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", STARROCKS_ID);
    let seen =
        assert_each_declared_error(LIST_STAR_ROCKS_DATA_REPLICATIONS, "GET", &route, |client| {
            client
                .list_star_rocks_data_replications(STARROCKS_ID)
                .limit("5")
        })
        .await;
    assert_eq!(
        seen,
        [
            (400, "DBS.200022".to_owned()),
            (500, "DBS.5000001".to_owned())
        ],
        "400 (instance not found) and 500"
    );
}

#[tokio::test]
async fn list_star_rocks_data_replications_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    let op = LIST_STAR_ROCKS_DATA_REPLICATIONS;
    let list = || client.list_star_rocks_data_replications(STARROCKS_ID);
    let cases = [
        (
            "instance_id",
            "minLength 36",
            client.list_star_rocks_data_replications(&STARROCKS_ID[..35]),
        ),
        (
            "instance_id",
            "pattern",
            client.list_star_rocks_data_replications(
                "590031445ef845bb-912d7fc8243db80cin17"[1..].to_owned(),
            ),
        ),
        ("limit", "minLength 1", list().limit("")),
        ("limit", "maxLength 3", list().limit("1000")),
        ("offset", "pattern", list().offset("-1")),
        ("offset", "pattern", list().offset("1e3")),
        ("offset", "maxLength 100", list().offset("1".repeat(101))),
        ("X-Language", "enum", list().x_language("zh")),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid list_star_rocks_data_replications input").await;

    // The boundaries pass; limit has no digits-only rule (the note), and the
    // suffix of the instance id is not checked.
    let other = "0123456789abcdef0123456789abcdefin07";
    for id in [STARROCKS_ID, other] {
        signed_mock("GET", &replication_path(op, "GET", id))
            .respond_with(ResponseTemplate::new(200).set_body_json(replications_reply()))
            .mount(&server)
            .await;
    }
    for call in [
        list().limit("1").offset("0"),
        list().limit("abc").offset("9".repeat(100)),
        client.list_star_rocks_data_replications(other),
    ] {
        expect_ok(bounded(call).await, op);
    }
    let queries = received_queries(&server).await;
    assert_eq!(
        queries,
        [
            "limit=1&offset=0".to_owned(),
            format!("limit=abc&offset={}", "9".repeat(100)),
            String::new(),
        ],
        "the boundary values are sent as given"
    );
}

// ---------------------------------------------------------------------------
// delete_star_rocks_data_replication:
// DELETE /v3/{project_id}/instances/{instance_id}/starrocks/databases/replication
// (with a JSON body)
// ---------------------------------------------------------------------------

fn delete_replication_example() -> Value {
    GAUSSDB.request_example(DELETE_STAR_ROCKS_DATA_REPLICATION, "delete_data_sync_task")
}

fn delete_replication_reply() -> Value {
    GAUSSDB.success_example(DELETE_STAR_ROCKS_DATA_REPLICATION, "success")
}

#[tokio::test]
async fn delete_star_rocks_data_replication_sends_json_body_on_delete_and_decodes_job_id() {
    let server = MockServer::start().await;
    let route = replication_path(DELETE_STAR_ROCKS_DATA_REPLICATION, "DELETE", STARROCKS_ID);
    let example = delete_replication_example();
    let body: models::DeleteStarRocksDataReplication =
        model_from_example(&example, "delete_star_rocks_data_replication request");
    assert_eq!(body.task_name.as_deref(), Some("task_name"), "task_name");
    let status = GAUSSDB.success_status(DELETE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    // The SDK sends this body as application/json;charset=UTF-8 (lower case on
    // the wire).
    let content_type = GAUSSDB.body_content_type(DELETE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(content_type, CONTENT_TYPE, "the body's media type");
    let expected: models::DeleteStarRocksDataReplicationResponse = model_from_example(
        &delete_replication_reply(),
        "delete_star_rocks_data_replication 200",
    );
    signed_mock("DELETE", &route)
        .and(header("Content-Type", content_type.as_str()))
        .and(header("X-Language", "en-us"))
        .and(body_json(&example))
        .respond_with(ResponseTemplate::new(status).set_body_json(delete_replication_reply()))
        .expect(1)
        .named("delete_star_rocks_data_replication success")
        .mount(&server)
        .await;

    let result = bounded(
        signed_client(&server)
            .delete_star_rocks_data_replication(STARROCKS_ID, body)
            .x_language("en-us"),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "DELETE", &route, None);
    // The signature covers the body's SHA-256.
    assert_signed_request(&request, &["X-Language"]);
    assert_json_body(&request, &example);
    let reply = expect_ok(result, DELETE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(reply, expected, "the reply is the example's model");
    assert_eq!(reply.job_id.as_deref(), Some("123"), "job_id");
}

#[tokio::test]
async fn delete_star_rocks_data_replication_sends_an_empty_object_without_task_name() {
    // task_name is optional in both sources (the note): the body is still sent,
    // as an empty object.
    let server = MockServer::start().await;
    let route = replication_path(DELETE_STAR_ROCKS_DATA_REPLICATION, "DELETE", STARROCKS_ID);
    signed_mock("DELETE", &route)
        .and(header("Content-Type", CONTENT_TYPE))
        .respond_with(ResponseTemplate::new(200).set_body_json(delete_replication_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(signed_client(&server).delete_star_rocks_data_replication(
        STARROCKS_ID,
        models::DeleteStarRocksDataReplication::default(),
    ))
    .await;

    let request = only_request(&server).await;
    assert_eq!(request.body, b"{}", "an empty JSON object");
    assert_signed_request(&request, &[]);
    expect_ok(result, DELETE_STAR_ROCKS_DATA_REPLICATION);
}

#[tokio::test]
async fn delete_star_rocks_data_replication_is_waited_for_with_the_job_api() {
    // x-lifecycle-note: the reply's job_id is polled with the job API.
    let server = MockServer::start().await;
    let jobs = job_info_path();
    let job = |status: &str| {
        let mut reply = job_info_reply();
        reply["job"]["id"] = json!("123");
        reply["job"]["status"] = json!(status);
        reply
    };
    signed_mock("GET", &jobs)
        .and(wiremock::matchers::query_param("id", "123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("Running")))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    signed_mock("GET", &jobs)
        .and(wiremock::matchers::query_param("id", "123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("Completed")))
        .expect(1)
        .mount(&server)
        .await;
    let client = signed_client(&server);
    let reply: models::DeleteStarRocksDataReplicationResponse = model_from_example(
        &delete_replication_reply(),
        "delete_star_rocks_data_replication 200",
    );

    let waiter = client
        .wait_delete_star_rocks_data_replication(&reply)
        .unwrap_or_else(|e| panic!("no waiter for the reply: {e}"))
        .with_interval(Duration::from_millis(5), Duration::from_millis(20));
    assert_eq!(waiter.id(), "123", "the waited id is the reply's job_id");
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("waiting for the deletion failed: {e}"));

    assert_eq!(
        (done.status.as_deref(), done.polls),
        (Some("Completed"), 2),
        "done at Completed"
    );
    let requests = received(&server).await;
    assert_eq!(
        requests
            .iter()
            .map(|r| format!(
                "{} {}?{}",
                r.method,
                r.url.path(),
                r.url.query().unwrap_or_default()
            ))
            .collect::<Vec<_>>(),
        [format!("GET {jobs}?id=123"), format!("GET {jobs}?id=123")],
        "two polls of the job API"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn delete_star_rocks_data_replication_maps_each_declared_error_to_api_error() {
    let route = replication_path(DELETE_STAR_ROCKS_DATA_REPLICATION, "DELETE", STARROCKS_ID);
    let seen = assert_each_declared_error(
        DELETE_STAR_ROCKS_DATA_REPLICATION,
        "DELETE",
        &route,
        |client| {
            let body: models::DeleteStarRocksDataReplication =
                model_from_example(&delete_replication_example(), "delete request");
            client.delete_star_rocks_data_replication(STARROCKS_ID, body)
        },
    )
    .await;
    assert_eq!(
        seen,
        [
            (400, "DBS.200022".to_owned()),
            (500, "DBS.5000001".to_owned())
        ],
        "400 (instance not found) and 500"
    );
}

#[tokio::test]
async fn delete_star_rocks_data_replication_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    let op = DELETE_STAR_ROCKS_DATA_REPLICATION;
    let named = |name: &str| -> models::DeleteStarRocksDataReplication {
        serde_json::from_value(json!({ "task_name": name }))
            .unwrap_or_else(|e| panic!("the body does not decode: {e}"))
    };
    let cases = [
        ("body.task_name", "minLength 3", STARROCKS_ID, named("ab")),
        (
            "body.task_name",
            "maxLength 128",
            STARROCKS_ID,
            named(&"t".repeat(129)),
        ),
        (
            "body.task_name",
            "pattern",
            STARROCKS_ID,
            named("task-name"),
        ),
        (
            "body.task_name",
            "pattern",
            STARROCKS_ID,
            named("task name"),
        ),
        (
            "instance_id",
            "maxLength 36",
            "590031445ef845bb912d7fc8243db80cin170",
            named("task_name"),
        ),
        (
            "instance_id",
            "pattern",
            "590031445ef845bb912d7fc8243db80c-n17",
            named("task_name"),
        ),
    ];
    for (field, rule, instance, body) in cases {
        let result = bounded(client.delete_star_rocks_data_replication(instance, body)).await;
        assert_validation(result, op, field, rule);
    }
    let result = bounded(
        client
            .delete_star_rocks_data_replication(STARROCKS_ID, named("task_name"))
            .x_language("fr-fr"),
    )
    .await;
    assert_validation(result, op, "X-Language", "enum");
    assert_nothing_sent(&server, "invalid delete_star_rocks_data_replication input").await;

    // The boundaries pass: 3 and 128 characters.
    let route = replication_path(op, "DELETE", STARROCKS_ID);
    signed_mock("DELETE", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(delete_replication_reply()))
        .expect(2)
        .mount(&server)
        .await;
    for name in ["t_1".to_owned(), "T".repeat(128)] {
        expect_ok(
            bounded(client.delete_star_rocks_data_replication(STARROCKS_ID, named(&name))).await,
            op,
        );
    }
    let bodies: Vec<Value> = received(&server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap_or_default())
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"task_name": "t_1"}),
            json!({"task_name": "T".repeat(128)})
        ],
        "the names are sent as given"
    );
}

// ---------------------------------------------------------------------------
// delete_starrocks_instance:
// DELETE /v3/{project_id}/instances/{instance_id}/starrocks/{starrocks_instance_id}
// ---------------------------------------------------------------------------

fn delete_instance_reply() -> Value {
    GAUSSDB.success_example(DELETE_STARROCKS_INSTANCE, "success")
}

#[tokio::test]
async fn delete_starrocks_instance_sends_no_body_and_decodes_200() {
    let server = MockServer::start().await;
    let route = starrocks_instance_path(
        DELETE_STARROCKS_INSTANCE,
        "DELETE",
        TAURUS_ID,
        SR_INSTANCE_ID,
    );
    // Both sources give 200, not 202, for the accepted deletion (the note).
    let status = GAUSSDB.success_status(DELETE_STARROCKS_INSTANCE);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::DeleteStarrocksInstanceResponse =
        model_from_example(&delete_instance_reply(), "delete_starrocks_instance 200");
    signed_mock("DELETE", &route)
        .and(header("Content-Type", CONTENT_TYPE_NO_BODY))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(delete_instance_reply()))
        .expect(1)
        .named("delete_starrocks_instance success")
        .mount(&server)
        .await;

    let result = bounded(
        signed_client(&server)
            .delete_starrocks_instance(TAURUS_ID, SR_INSTANCE_ID)
            .x_language(models::XLanguage::ZhCn),
    )
    .await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "DELETE", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, DELETE_STARROCKS_INSTANCE);
    assert_eq!(reply, expected, "the reply is the example's model");
    assert_eq!(
        reply.workflow_id.as_deref(),
        Some("e1bfd0d1-b8d8-417c-9947-7e2ae0de9745"),
        "workflow_id (not job_id)"
    );
}

#[tokio::test]
async fn delete_starrocks_instance_percent_encodes_both_ids() {
    let server = MockServer::start().await;
    let route = starrocks_instance_path(DELETE_STARROCKS_INSTANCE, "DELETE", "a%2Fb", "c%20d%25");
    signed_mock("DELETE", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(delete_instance_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(signed_client(&server).delete_starrocks_instance("a/b", "c d%")).await;

    let request = only_request(&server).await;
    shared::assert_request_line(&request, "DELETE", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(6),
        "the path keeps its 6 segments"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, DELETE_STARROCKS_INSTANCE);
}

#[tokio::test]
async fn delete_starrocks_instance_maps_each_declared_error_to_api_error() {
    let route = starrocks_instance_path(
        DELETE_STARROCKS_INSTANCE,
        "DELETE",
        TAURUS_ID,
        SR_INSTANCE_ID,
    );
    let seen = assert_each_declared_error(DELETE_STARROCKS_INSTANCE, "DELETE", &route, |client| {
        client.delete_starrocks_instance(TAURUS_ID, SR_INSTANCE_ID)
    })
    .await;
    assert_eq!(
        seen.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        [400, 500],
        "400 and 500"
    );
}

#[tokio::test]
async fn delete_starrocks_instance_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let client = signed_client(&server);
    let op = DELETE_STARROCKS_INSTANCE;
    let cases = [
        (
            "X-Language",
            "enum",
            client
                .delete_starrocks_instance(TAURUS_ID, SR_INSTANCE_ID)
                .x_language("de-de"),
        ),
        (
            "instance_id",
            "non-empty",
            client.delete_starrocks_instance("", SR_INSTANCE_ID),
        ),
        (
            "starrocks_instance_id",
            "non-empty",
            client.delete_starrocks_instance(TAURUS_ID, ""),
        ),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid delete_starrocks_instance input").await;
}

// ---------------------------------------------------------------------------
// Cross-cutting: path encoding, configuration, AK/SK
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_is_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    // create_starrocks_instance puts no constraint on instance_id, so any value is
    // legal input and must reach the server as one path segment.
    let route = create_starrocks_instance_path("a%2Fb%20c");
    Mock::given(method("POST"))
        .and(path(route.as_str()))
        .respond_with(
            ResponseTemplate::new(success_status(CREATE_STARROCKS_INSTANCE))
                .set_body_json(success_example(CREATE_STARROCKS_INSTANCE)),
        )
        .expect(1)
        .named("percent-encoded instance id")
        .mount(&server)
        .await;

    let body: models::StarRocksCreateRequest = model_from_example(
        &request_example(CREATE_STARROCKS_INSTANCE),
        "create_starrocks_instance request",
    );
    let result = bounded(token_client(&server).create_starrocks_instance("a/b c", body)).await;

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/v3/{PROJECT_ID}/instances/a%2Fb%20c/starrocks"),
        "`a/b c` must be sent as the single segment `a%2Fb%20c`"
    );
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(5),
        "the path must keep 5 segments"
    );
    expect_ok(result, CREATE_STARROCKS_INSTANCE);
}

#[tokio::test]
async fn empty_path_parameter_is_rejected_before_sending() {
    let server = MockServer::start().await;

    let result = bounded(token_client(&server).list_htap_instance_info("")).await;

    match result {
        Err(Error::Validation(v)) => {
            assert_eq!(v.operation, LIST_HTAP_INSTANCE_INFO, "operation");
            assert_eq!(v.field, "instance_id", "field");
        }
        other => panic!("an empty instance id should be Error::Validation, got {other:?}"),
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(received.is_empty(), "nothing may be sent, got {received:?}");
}

#[tokio::test]
async fn missing_project_id_is_a_config_error_and_sends_nothing() {
    let server = MockServer::start().await;
    let without = client_from(&base_config(&server).with_credentials(Credentials::token(TOKEN)));
    let empty = client_from(
        &base_config(&server)
            .with_project_id("")
            .with_credentials(Credentials::token(TOKEN)),
    );

    for (what, client) in [("no project id", without), ("an empty project id", empty)] {
        let result = bounded(client.list_htap_instance_info(TAURUS_ID)).await;
        match result {
            Err(Error::Config(message)) => assert!(
                message.contains("project id"),
                "with {what}, the message should mention the project id: {message:?}"
            ),
            other => panic!("with {what}, expected Error::Config, got {other:?}"),
        }
    }
    let received = server.received_requests().await.unwrap_or_default();
    assert!(
        received.is_empty(),
        "nothing may be sent without a project id, got {} request(s)",
        received.len()
    );
}

/// Whether `value` is `YYYYMMDDTHHMMSSZ` (`^\d{8}T\d{6}Z$`).
fn is_sdk_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() == 16
        && bytes[..8].iter().all(u8::is_ascii_digit)
        && bytes[8] == b'T'
        && bytes[9..15].iter().all(u8::is_ascii_digit)
        && bytes[15] == b'Z'
}

#[tokio::test]
async fn aksk_credentials_sign_the_request() {
    let server = MockServer::start().await;
    let route = replication_path(CREATE_STAR_ROCKS_DATA_REPLICATION, "POST", STARROCKS_ID);
    let (example, body) = replication_body();
    Mock::given(method("POST"))
        .and(path(route.as_str()))
        .and(header_regex(
            "Authorization",
            r"^SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$",
        ))
        .and(header_regex("X-Sdk-Date", r"^\d{8}T\d{6}Z$"))
        .and(header("X-Project-Id", PROJECT_ID))
        .and(header("Content-Type", CONTENT_TYPE))
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(success_status(CREATE_STAR_ROCKS_DATA_REPLICATION))
                .set_body_json(success_example(CREATE_STAR_ROCKS_DATA_REPLICATION)),
        )
        .expect(1)
        .named("AK/SK signed request")
        .mount(&server)
        .await;
    let client = client_from(
        &base_config(&server)
            .with_project_id(PROJECT_ID)
            .with_credentials(Credentials::aksk("AKTEST", "SKTEST")),
    );

    let result =
        bounded(client.create_star_rocks_data_replication(STARROCKS_ID, "en-us", body)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route);
    let authorization = header_text(&request, "Authorization").unwrap_or_default();
    let prefix = "SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=";
    assert!(
        authorization.starts_with(prefix),
        "Authorization should start with {prefix:?}: {authorization:?}"
    );
    let (signed_headers, signature) = authorization[prefix.len().min(authorization.len())..]
        .split_once(", Signature=")
        .unwrap_or_else(|| panic!("Authorization has no Signature: {authorization:?}"));
    assert!(
        signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()),
        "the signature should be 64 hex digits: {signature:?}"
    );
    let names: Vec<&str> = signed_headers.split(';').collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "SignedHeaders must be sorted");
    for required in [
        "content-type",
        "host",
        "x-language",
        "x-project-id",
        "x-sdk-date",
    ] {
        assert!(
            names.contains(&required),
            "SignedHeaders should include {required}: {signed_headers:?}"
        );
    }
    let date = header_text(&request, "X-Sdk-Date").unwrap_or_default();
    assert!(
        is_sdk_date(date),
        "X-Sdk-Date should be YYYYMMDDTHHMMSSZ: {date:?}"
    );
    assert_eq!(
        header_text(&request, "X-Project-Id"),
        Some(PROJECT_ID),
        "X-Project-Id"
    );
    assert_eq!(
        header_text(&request, "X-Auth-Token"),
        None,
        "AK/SK requests must not send X-Auth-Token"
    );
    assert_x_language(&request, Some("en-us"));
    assert_json_body(&request, &example);

    let reply = expect_ok(result, CREATE_STAR_ROCKS_DATA_REPLICATION);
    assert_eq!(reply.job_id.as_deref(), Some("123"), "job_id");
}

// ---------------------------------------------------------------------------
// The configured project id, by the spec's rule
// ---------------------------------------------------------------------------

/// `{project_id}` comes from the configuration; the spec's rule for it (32
/// letters and digits) is checked on that value before anything is sent.
#[tokio::test]
async fn a_configured_project_id_that_breaks_the_rule_is_refused_before_sending() {
    let server = MockServer::start().await;
    for bad in [
        "abc",
        "0123456789abcdef0123456789abcde/",
        "0123456789abcdef0123456789abcdef0",
    ] {
        let client = client_from(&aksk_config(&server).with_project_id(bad));
        let error = assert_validation(
            bounded(client.list_htap_data_store(models::EngineName::StarRocks)).await,
            LIST_HTAP_DATA_STORE,
            "project_id",
            "",
        );
        assert!(error.to_string().contains("project_id"), "{error}");
    }
    assert_nothing_sent(&server, "list_htap_data_store with a bad project id").await;
    // With validation off, the value is sent (percent-encoded) as configured.
    let client = client_from(
        &aksk_config(&server)
            .with_project_id("abc")
            .with_validation(false),
    );
    let _ = bounded(client.list_htap_data_store(models::EngineName::StarRocks)).await;
    let request = only_request(&server).await;
    assert!(
        request.url.path().starts_with("/v3/abc/"),
        "{}",
        request.url
    );
}
