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
