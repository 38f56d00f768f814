//! Wire-level tests of the generated GaussDB (openGauss) client against a local
//! mock server.
//!
//! Every request body and success reply comes from `spec/opengauss.yaml`, looked
//! up by `operationId` and example name, so the tests follow the spec. Each test
//! checks what goes over the wire (request line, AK/SK-signed headers, JSON body,
//! the password included) and what the client makes of the reply (decoded fields
//! and enums, `Error` variants).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use huaweicloud_sdk_opengauss::{self as opengauss, Config, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, Spec, aksk_config, assert_api_error, assert_config_hides_sk, assert_hidden,
    assert_json_body, assert_no_body, assert_nothing_sent, assert_region_table,
    assert_request_line, assert_signed_request, assert_unknown_region, assert_validation, bounded,
    endpoint_for, expect_ok, model_from_example, mount_error, only_request, query_pairs, received,
    received_queries, signed_mock,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, query_param};
use wiremock::{MockServer, ResponseTemplate};

static SPEC: LazyLock<Spec> = LazyLock::new(|| Spec::load("opengauss.yaml"));

const CREATE_DB_INSTANCE: &str = "create_db_instance";
/// The password of the spec's request examples.
const EXAMPLE_PASSWORD: &str = "Gauss_234";

fn client(config: &Config) -> opengauss::Client {
    opengauss::Client::new(config)
        .unwrap_or_else(|e| panic!("building the openGauss client failed: {e}"))
}

fn endpoint_of(config: &Config) -> Result<String, Error> {
    opengauss::Client::new(config).map(|c| c.endpoint().to_owned())
}

fn instances_path() -> String {
    SPEC.assert_route(CREATE_DB_INSTANCE, "POST", "/v3.1/{project_id}/instances");
    format!("/v3.1/{PROJECT_ID}/instances")
}

fn request_example(name: &str) -> Value {
    SPEC.request_example(CREATE_DB_INSTANCE, name)
}

fn reply_example(name: &str) -> Value {
    SPEC.success_example(CREATE_DB_INSTANCE, name)
}

/// The typed body of the request example `name` after `edit`.
fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> models::OpenGaussInstanceRequestBody {
    let mut value = request_example(name);
    edit(&mut value);
    serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("the edited example does not decode: {e}"))
}

#[tokio::test]
async fn create_db_instance_sends_spec_example_and_decodes_202() {
    let server = MockServer::start().await;
    let route = instances_path();
    let example = request_example("distributed_yearly");
    let body: models::OpenGaussInstanceRequestBody =
        model_from_example(&example, "create_db_instance request");
    let status = SPEC.success_status(CREATE_DB_INSTANCE);
    assert_eq!(status, 202, "the spec documents 202 for this operation");
    assert_eq!(
        SPEC.parameter_names(CREATE_DB_INSTANCE, "header"),
        BTreeSet::from(["X-Auth-Token", "X-Language"].map(str::to_owned)),
        "the header parameters the spec declares"
    );

    // The typed request holds what the example says.
    assert_eq!(body.password.expose(), EXAMPLE_PASSWORD, "password");
    assert_eq!(
        body.ha.mode,
        models::OpenGaussHaOptionMode::Enterprise,
        "ha.mode"
    );
    assert_eq!(
        body.datastore.r#type,
        models::OpenGaussDatastoreOptionType::GaussDb,
        "datastore.type"
    );
    assert_eq!(
        (body.volume.r#type.clone(), body.volume.size),
        (models::OpenGaussVolumeType::Ultrahigh, 120),
        "volume"
    );
    assert_eq!(
        body.charge_info
            .as_ref()
            .map(|c| (&c.charge_mode, c.period_num)),
        Some((&models::OpenGaussChargeInfoChargeMode::PrePaid, Some(1))),
        "charge_info"
    );
    assert_eq!(
        (body.sharding_num, body.coordinator_num, body.replica_num),
        (Some(3), Some(3), Some(3)),
        "sharding_num, coordinator_num, replica_num"
    );
    assert_eq!(body.port.as_deref(), Some("8000"), "port is text");

    let content_type = SPEC.body_content_type(CREATE_DB_INSTANCE);

    signed_mock("POST", &route)
        .and(header("Content-Type", content_type.as_str()))
        .and(header("X-Language", "zh-cn"))
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(status).set_body_json(reply_example("distributed_yearly")),
        )
        .expect(1)
        .named("create_db_instance success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let gauss = client(&config);
    assert_config_hides_sk(&config, &gauss);
    // X-Language has no enumeration in this spec: any text is passed through.
    let result = bounded(gauss.create_db_instance(body).x_language("zh-cn")).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_json_body(&request, &example);
    assert_eq!(
        request
            .body_json::<Value>()
            .ok()
            .map(|b| b["password"].clone()),
        Some(json!(EXAMPLE_PASSWORD)),
        "the password reaches the wire in clear"
    );

    let reply = expect_ok(result, CREATE_DB_INSTANCE);
    assert_eq!(
        reply.job_id.as_deref(),
        Some("30f2790a-a5b6-4a13-a5ab-733c746609af"),
        "job_id"
    );
    assert_eq!(reply.order_id, None, "order_id is absent in this example");
    let instance = reply
        .instance
        .unwrap_or_else(|| panic!("the reply's `instance` was not decoded"));
    assert_eq!(
        instance.id.as_deref(),
        Some("ad8cd1440aa94a02ae4580fcbebb3143in14"),
        "instance.id"
    );
    assert_eq!(
        instance.name.as_deref(),
        Some("user1-v3-independent-02"),
        "instance.name"
    );
    assert_eq!(instance.status, None, "a yearly instance has no status");
    assert_eq!(instance.port.as_deref(), Some("8000"), "instance.port");
    assert_eq!(instance.replica_num, Some(3), "instance.replica_num");
    let datastore = instance
        .datastore
        .unwrap_or_else(|| panic!("instance.datastore"));
    assert_eq!(
        (datastore.r#type, datastore.version.as_deref()),
        (
            Some(models::OpenGaussDatastoreResultType::GaussDb),
            Some("2.7")
        ),
        "instance.datastore"
    );
    let ha = instance.ha.unwrap_or_else(|| panic!("instance.ha"));
    assert_eq!(
        ha.mode.as_deref(),
        Some("Enterprise"),
        "instance.ha.mode keeps the server's capitalisation"
    );
    assert_eq!(
        ha.replication_mode,
        Some(models::OpenGaussHaResultReplicationMode::Sync),
        "instance.ha.replication_mode"
    );
    assert_eq!(
        ha.consistency,
        Some(models::OpenGaussHaResultConsistency::Strong),
        "instance.ha.consistency"
    );
    assert_eq!(
        ha.consistency_protocol, None,
        "instance.ha.consistency_protocol"
    );
    let volume = instance.volume.unwrap_or_else(|| panic!("instance.volume"));
    assert_eq!(
        (volume.r#type, volume.size),
        (
            Some(models::OpenGaussVolumeResultType::Ultrahigh),
            Some(120)
        ),
        "instance.volume"
    );
    let backup = instance
        .backup_strategy
        .unwrap_or_else(|| panic!("instance.backup_strategy"));
    assert_eq!(
        (backup.start_time.as_deref(), backup.keep_days),
        (Some("17:00-18:00"), Some(7)),
        "instance.backup_strategy"
    );
    let charge = instance
        .charge_info
        .unwrap_or_else(|| panic!("instance.charge_info"));
    assert_eq!(
        charge.charge_mode,
        Some(models::OpenGaussChargeInfoResponseChargeMode::PrePaid),
        "instance.charge_info.charge_mode"
    );
    assert_eq!(
        charge.period_type,
        Some(models::OpenGaussChargeInfoResponsePeriodType::Year),
        "instance.charge_info.period_type"
    );
    assert_eq!(
        (charge.period_num, charge.is_auto_renew, charge.is_auto_pay),
        (Some(1), Some(false), Some(false)),
        "instance.charge_info period and flags"
    );
    assert_eq!(
        instance.availability_zone.as_deref(),
        Some("bbb,bbb,bbb"),
        "instance.availability_zone"
    );
}

#[tokio::test]
async fn create_db_instance_sends_every_spec_request_example_and_decodes_every_reply() {
    let requests = SPEC.request_examples(CREATE_DB_INSTANCE);
    let replies = SPEC.success_examples(CREATE_DB_INSTANCE);
    assert_eq!(requests.len(), 4, "the spec has four request examples");
    assert_eq!(replies.len(), 5, "and five reply examples");
    for (index, (reply_name, reply)) in replies.iter().enumerate() {
        let (name, example) = &requests[index % requests.len()];
        let server = MockServer::start().await;
        let route = instances_path();
        let body: models::OpenGaussInstanceRequestBody = model_from_example(example, name);
        signed_mock("POST", &route)
            .and(body_json(example))
            .respond_with(ResponseTemplate::new(202).set_body_json(reply))
            .expect(1)
            .named(format!("{name} -> {reply_name}"))
            .mount(&server)
            .await;

        let result = bounded(client(&aksk_config(&server)).create_db_instance(body)).await;

        let request = only_request(&server).await;
        assert_signed_request(&request, &[]);
        assert_json_body(&request, example);
        let decoded = expect_ok(result, CREATE_DB_INSTANCE);
        assert_eq!(
            decoded.job_id.as_deref(),
            reply["job_id"].as_str(),
            "{reply_name}: job_id"
        );
        let instance = decoded
            .instance
            .unwrap_or_else(|| panic!("{reply_name}: no instance"));
        let expected = &reply["instance"];
        assert_eq!(
            (instance.name.as_deref(), instance.status.as_deref()),
            (expected["name"].as_str(), expected["status"].as_str()),
            "{reply_name}: instance.name, instance.status"
        );
        assert_eq!(
            instance
                .charge_info
                .and_then(|c| c.charge_mode)
                .map(|m| m.as_str().to_owned()),
            expected["charge_info"]["charge_mode"]
                .as_str()
                .map(str::to_owned),
            "{reply_name}: instance.charge_info.charge_mode"
        );
        assert_eq!(
            instance.enterprise_project_id.as_deref(),
            expected["enterprise_project_id"].as_str(),
            "{reply_name}: instance.enterprise_project_id"
        );
    }
}

#[tokio::test]
async fn create_db_instance_maps_each_declared_error_range_to_api_error() {
    let errors = SPEC.error_responses(CREATE_DB_INSTANCE);
    let keys: Vec<&str> = errors.iter().map(|e| e.status_key.as_str()).collect();
    assert_eq!(
        keys,
        ["4XX", "5XX"],
        "the error responses the spec declares"
    );
    for declared in errors {
        assert_eq!(
            declared.schema, "ErrorResponseBody",
            "{}",
            declared.status_key
        );
        // No example in the spec; the code is the one its note quotes.
        let body = json!({
            "error_code": "DBS.00114000",
            "error_msg": format!("Internal error ({}).", declared.status_key),
        });
        let fields: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(fields, declared.properties, "fields of {}", declared.schema);

        let server = MockServer::start().await;
        let route = instances_path();
        mount_error(&server, "POST", &route, declared.status, &body).await;

        let body_in = request_example("primary_standby_pay_per_use");
        let request_body: models::OpenGaussInstanceRequestBody =
            model_from_example(&body_in, "create_db_instance request");
        let result = bounded(client(&aksk_config(&server)).create_db_instance(request_body)).await;

        let raw = assert_api_error(result, &server, CREATE_DB_INSTANCE, declared.status, &body);
        let typed: models::ErrorResponseBody = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("the error body does not decode: {e}"));
        assert_eq!(
            typed.error_code, "DBS.00114000",
            "ErrorResponseBody.error_code"
        );
        let request = only_request(&server).await;
        assert_request_line(&request, "POST", &route, None);
    }
}

#[tokio::test]
async fn create_db_instance_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let gauss = client(&aksk_config(&server));
    let base = "distributed_yearly";
    let cases: Vec<(&str, &str, models::OpenGaussInstanceRequestBody)> = vec![
        (
            "body.name",
            "pattern",
            edited(base, |b| b["name"] = json!("1-starts-with-a-digit")),
        ),
        (
            "body.name",
            "maxLength 64",
            edited(base, |b| b["name"] = json!(format!("a{}", "b".repeat(64)))),
        ),
        (
            "body.password",
            "minLength 8",
            edited(base, |b| b["password"] = json!("Gauss_2")),
        ),
        (
            "body.volume.size",
            "multipleOf 40",
            edited(base, |b| b["volume"]["size"] = json!(100)),
        ),
        (
            "body.volume.size",
            "minimum 40",
            edited(base, |b| b["volume"]["size"] = json!(0)),
        ),
        (
            "body.volume.type",
            "enum",
            edited(base, |b| b["volume"]["type"] = json!("ultrahigh")),
        ),
        (
            "body.time_zone",
            "pattern",
            edited(base, |b| b["time_zone"] = json!("UTC+08:30")),
        ),
        (
            "body.replica_num",
            "enum",
            edited(base, |b| b["replica_num"] = json!(2)),
        ),
        (
            "body.sharding_num",
            "maximum 9",
            edited(base, |b| b["sharding_num"] = json!(10)),
        ),
        (
            "body.backup_strategy.start_time",
            "pattern",
            edited(base, |b| {
                b["backup_strategy"]["start_time"] = json!("17:30-18:30")
            }),
        ),
        (
            "body.backup_strategy.keep_days",
            "maximum 732",
            edited(base, |b| b["backup_strategy"]["keep_days"] = json!(733)),
        ),
        (
            "body.charge_info.period_num",
            "minimum 1",
            edited(base, |b| b["charge_info"]["period_num"] = json!(0)),
        ),
        (
            "body.charge_info.period_type",
            "enum",
            edited(base, |b| b["charge_info"]["period_type"] = json!("week")),
        ),
        (
            "body.ha.replication_mode",
            "enum",
            edited(base, |b| b["ha"]["replication_mode"] = json!("async")),
        ),
        (
            "body.region",
            "minLength 1",
            edited(base, |b| b["region"] = json!("")),
        ),
    ];
    for (field, rule, body) in cases {
        let result = bounded(gauss.create_db_instance(body)).await;
        assert_validation(result, CREATE_DB_INSTANCE, field, rule);
    }
    assert_nothing_sent(&server, "invalid create_db_instance input").await;

    // The boundaries pass.
    let route = instances_path();
    signed_mock("POST", &route)
        .respond_with(ResponseTemplate::new(202).set_body_json(reply_example("distributed_yearly")))
        .expect(1)
        .mount(&server)
        .await;
    let body = edited(base, |b| {
        b["name"] = json!(format!("a{}", "b".repeat(63)));
        b["password"] = json!("x".repeat(32));
        b["volume"]["size"] = json!(40);
        b["time_zone"] = json!("UTC-12:00");
        b["backup_strategy"]["start_time"] = json!("23:00-00:00");
        b["backup_strategy"]["keep_days"] = json!(0);
        b["charge_info"]["period_num"] = json!(9);
    });
    expect_ok(
        bounded(gauss.create_db_instance(body)).await,
        CREATE_DB_INSTANCE,
    );
}

#[tokio::test]
async fn create_db_instance_password_reaches_the_wire_but_not_debug_output() {
    let server = MockServer::start().await;
    let route = instances_path();
    let password = "Wire-Pa55word-c41f";
    let mut example = request_example("api_explorer_enterprise");
    example["password"] = json!(password);
    let body: models::OpenGaussInstanceRequestBody =
        model_from_example(&example, "create_db_instance request with a password");
    let builder = client(&aksk_config(&server))
        .create_db_instance(body.clone())
        .x_language("en-us");
    assert_hidden(
        &format!("{body:?}"),
        password,
        "user1-v3-independent",
        "Debug of the body",
    );
    assert_hidden(
        &format!("{builder:?}"),
        password,
        "user1-v3-independent",
        "Debug of the builder",
    );

    signed_mock("POST", &route)
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(202).set_body_json(reply_example("api_explorer_enterprise")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let result = bounded(builder).await;
    let request = only_request(&server).await;
    assert_json_body(&request, &example);
    assert!(
        String::from_utf8_lossy(&request.body).contains(password),
        "the password is sent"
    );
    let reply = expect_ok(result, CREATE_DB_INSTANCE);
    assert_hidden(
        &format!("{reply:?}"),
        password,
        "ad8cd1440aa94a02ae4580fcbebb3143in14",
        "Debug of the reply",
    );

    // A password that breaks its length is reported without its value.
    let too_long = "Too-Long-Pa55word-0123456789abcdef";
    assert_eq!(too_long.chars().count(), 34);
    let mut example = request_example("api_explorer_enterprise");
    example["password"] = json!(too_long);
    let body: models::OpenGaussInstanceRequestBody = serde_json::from_value(example)
        .unwrap_or_else(|e| panic!("the edited example does not decode: {e}"));
    let result = bounded(client(&aksk_config(&server)).create_db_instance(body)).await;
    let error = assert_validation(result, CREATE_DB_INSTANCE, "body.password", "maxLength 32");
    assert_hidden(
        &format!("{error:?} {error}"),
        too_long,
        "body.password",
        "the validation error",
    );
}

// ---------------------------------------------------------------------------
// Lifecycle operations: shared helpers
// ---------------------------------------------------------------------------

const LIST_INSTANCES: &str = "list_instances";
const DELETE_INSTANCE: &str = "delete_instance";
const SHOW_JOB_DETAIL: &str = "show_job_detail";
/// The instance of the spec's one_instance example.
const INSTANCE_ID: &str = "706c65c3dd7d497ab16f5b3a113690abin14";
/// The job of the spec's show_job_detail example.
const JOB_ID: &str = "5cbb8a90-2253-4cff-8a13-49aa8f31dfb5";

/// The decoded query parameter names a received request carries.
fn query_names(request: &wiremock::Request) -> BTreeSet<String> {
    query_pairs(request).into_iter().map(|(k, _)| k).collect()
}

/// The error responses `id` declares: the 4XX and 5XX ranges with
/// `ErrorResponseBody`, which have no example, so each gets a body with exactly
/// the schema's fields (the code is the one the spec's note quotes).
fn declared_error_bodies(id: &str) -> Vec<(u16, Value)> {
    let errors = SPEC.error_responses(id);
    let keys: Vec<&str> = errors.iter().map(|e| e.status_key.as_str()).collect();
    assert_eq!(
        keys,
        ["4XX", "5XX"],
        "{id}: the error responses the spec declares"
    );
    errors
        .into_iter()
        .map(|declared| {
            assert_eq!(
                declared.schema, "ErrorResponseBody",
                "{id} {}",
                declared.status_key
            );
            assert!(
                declared.examples.is_empty(),
                "{id} {}: a new example to use",
                declared.status_key
            );
            let body = json!({
                "error_code": "DBS.00114000",
                "error_msg": format!("{id} failed ({}).", declared.status_key),
            });
            let fields: BTreeSet<String> = body
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            assert_eq!(fields, declared.properties, "fields of {}", declared.schema);
            (declared.status, body)
        })
        .collect()
}

/// Mounts each declared error of `id` for `http_method route` on a fresh server,
/// makes the call and checks that it is the `Error::Api` of that reply, with the
/// request signed. Returns the statuses tried.
async fn assert_each_declared_error<B, T>(
    id: &str,
    http_method: &str,
    route: &str,
    call: impl Fn(opengauss::Client) -> B,
) -> Vec<u16>
where
    B: std::future::IntoFuture<Output = Result<T, Error>>,
    T: std::fmt::Debug,
{
    let mut statuses = Vec::new();
    for (status, body) in declared_error_bodies(id) {
        let server = MockServer::start().await;
        mount_error(&server, http_method, route, status, &body).await;

        let result = bounded(call(client(&aksk_config(&server)))).await;

        let raw = assert_api_error(result, &server, id, status, &body);
        let typed: models::ErrorResponseBody = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{id} {status}: the error body does not decode: {e}"));
        assert_eq!(
            typed.error_code, "DBS.00114000",
            "ErrorResponseBody.error_code"
        );
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), http_method, "{id} {status}");
        assert_eq!(request.url.path(), route, "{id} {status}");
        assert_signed_request(&request, &[]);
        statuses.push(status);
    }
    statuses
}

// ---------------------------------------------------------------------------
// list_instances: GET /v3/{project_id}/instances
// ---------------------------------------------------------------------------

fn list_path() -> String {
    SPEC.assert_route(LIST_INSTANCES, "GET", "/v3/{project_id}/instances");
    format!("/v3/{PROJECT_ID}/instances")
}

fn list_reply(name: &str) -> Value {
    SPEC.success_example(LIST_INSTANCES, name)
}

#[tokio::test]
async fn list_instances_without_filters_sends_no_query_and_decodes_every_spec_example() {
    let examples = SPEC.success_examples(LIST_INSTANCES);
    let names: Vec<&str> = examples.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["all_instances", "one_instance"],
        "the spec's 200 examples"
    );
    let status = SPEC.success_status(LIST_INSTANCES);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    assert_eq!(
        SPEC.parameter_names(LIST_INSTANCES, "header"),
        BTreeSet::from(["X-Auth-Token", "X-Language"].map(str::to_owned)),
        "the header parameters the spec declares"
    );
    for (name, example) in &examples {
        let server = MockServer::start().await;
        let route = list_path();
        let expected: models::ListInstancesResponse = model_from_example(example, name);
        signed_mock("GET", &route)
            .and(header("Content-Type", "application/json"))
            .respond_with(ResponseTemplate::new(status).set_body_json(example))
            .expect(1)
            .named(name.as_str())
            .mount(&server)
            .await;

        let config = aksk_config(&server);
        let gauss = client(&config);
        assert_config_hides_sk(&config, &gauss);
        let result = bounded(gauss.list_instances()).await;

        let request = only_request(&server).await;
        // offset 0 and limit 100 are the server's defaults: nothing is sent.
        assert_request_line(&request, "GET", &route, None);
        assert_signed_request(&request, &[]);
        assert_no_body(&request);
        assert_eq!(
            request.headers.get("X-Language"),
            None,
            "no X-Language unless set"
        );
        let reply = expect_ok(result, LIST_INSTANCES);
        assert_eq!(
            &reply, &expected,
            "{name}: the reply is the example's model"
        );
        let instances = reply.instances.unwrap_or_default();
        assert_eq!(
            reply.total_count.and_then(|n| usize::try_from(n).ok()),
            Some(instances.len()),
            "{name}: total_count"
        );
    }

    // What the first example says, typed.
    let reply: models::ListInstancesResponse =
        model_from_example(&list_reply("all_instances"), "all_instances");
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 4, "all_instances");
    let first = &instances[0];
    assert_eq!(
        (first.id.as_str(), first.name.as_str(), first.port),
        ("b331ed66cc3249f78bc20737308c01f4in14", "gauss-9e88", 8000),
        "instances[0]"
    );
    assert_eq!(
        first.status,
        models::ListInstanceResponseStatus::Active,
        "instances[0].status"
    );
    assert_eq!(
        first.r#type,
        models::ListInstanceResponseType::Enterprise,
        "instances[0].type is the lower-case enterprise"
    );
    assert_eq!(
        first.ha.consistency,
        Some(models::ListHaConsistency::Strong),
        "instances[0].ha.consistency"
    );
    assert_eq!(first.replica_num, Some(3), "instances[0].replica_num");
    assert_eq!(
        first.private_ips,
        ["192.168.28.81 / 192.168.27.52 / 192.168.16.253"],
        "one private_ips entry holds several addresses"
    );
    assert_eq!(
        first.public_ips,
        Vec::<String>::new(),
        "instances[0].public_ips"
    );
    assert_eq!(
        first.switch_strategy.as_deref(),
        Some("Reliability"),
        "switch_strategy is kept as the server spells it"
    );
    assert_eq!(
        first.charge_info.charge_mode,
        models::OpenGaussChargeInfoListResponseChargeMode::PrePaid,
        "instances[0].charge_info.charge_mode"
    );
    assert_eq!(
        (first.flavor_info.vcpu, first.flavor_info.mem),
        (2, 16),
        "instances[0].flavor_info"
    );
    assert_eq!(first.nodes.len(), 12, "instances[0].nodes");
    assert_eq!(
        (first.nodes[4].role.clone(), first.nodes[4].status.as_str()),
        (models::ListInstanceNodeRole::Slave, "ACTIVE"),
        "instances[0].nodes[4]"
    );
    assert_eq!(
        first.tags, None,
        "no tags are returned for an untagged instance"
    );
    assert_eq!(
        instances[1].disk_encryption_id, None,
        "disk_encryption_id only for encrypted instances"
    );
    assert_eq!(
        instances[1].nodes.last().map(|n| n.status.as_str()),
        Some("FAILED"),
        "a failed node of instances[1]"
    );
    assert_eq!(
        instances
            .iter()
            .map(|i| i.instance_mode.as_str())
            .collect::<Vec<_>>(),
        ["enterprise", "enterprise", "enterprise", "basic"],
        "instance_mode of each instance"
    );
}

#[tokio::test]
async fn list_instances_sends_every_filter() {
    let server = MockServer::start().await;
    let route = list_path();
    signed_mock("GET", &route)
        .and(header("X-Language", "fr-fr"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_reply("one_instance")))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .list_instances()
            // X-Language has no enumeration in this spec: any text is passed on.
            .x_language("fr-fr")
            .id("*706c65c3")
            .name("UTS-gauss-7362")
            .r#type(models::Type::Enterprise)
            .datastore_type(models::DatastoreType::GaussDbForOpenGauss)
            .vpc_id("5f84a5c4-2f93-41de-8359-d7acedb585cc")
            .subnet_id("300036af-a92f-4e9e-8e9f-7d20e7878b05")
            .offset(0)
            .limit(100)
            .tags(vec!["env=prod".to_owned(), "team".to_owned()])
            .charge_mode(models::ChargeMode::PostPaid),
    )
    .await;

    let request = only_request(&server).await;
    // Sorted by name, percent-encoded; tags is one comma-separated value (the
    // SDK's csv), its commas literal.
    assert_request_line(
        &request,
        "GET",
        &route,
        Some(
            "charge_mode=postPaid&datastore_type=GaussDB%28for%20openGauss%29&id=%2A706c65c3\
             &limit=100&name=UTS-gauss-7362&offset=0&subnet_id=300036af-a92f-4e9e-8e9f-7d20e7878b05\
             &tags=env%3Dprod,team&type=Enterprise&vpc_id=5f84a5c4-2f93-41de-8359-d7acedb585cc",
        ),
    );
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(LIST_INSTANCES, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &["X-Language"]);
    let reply = expect_ok(result, LIST_INSTANCES);
    assert_eq!(
        reply
            .instances
            .unwrap_or_default()
            .first()
            .map(|i| i.id.clone()),
        Some(INSTANCE_ID.to_owned()),
        "instances[0].id"
    );
}

#[tokio::test]
async fn list_instances_reads_what_api_explorer_sends() {
    // The notes: API Explorer's example misspells replica_num as replice_num and
    // carries order_id, which no model has; both are ignored. Statuses with a
    // space and the Ha type decode to their variants.
    let server = MockServer::start().await;
    let route = list_path();
    let mut reply = list_reply("one_instance");
    let instance = &mut reply["instances"][0];
    instance["replice_num"] = json!(3);
    instance["order_id"] = json!("CS2101151046NZ2D0");
    instance["status"] = json!("BACKING UP");
    instance["type"] = json!("Ha");
    instance["switch_strategy"] = json!("availability");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(&reply))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(client(&aksk_config(&server)).list_instances()).await,
        LIST_INSTANCES,
    );

    let instances = reply.instances.unwrap_or_default();
    let instance = instances
        .first()
        .unwrap_or_else(|| panic!("no instance decoded"));
    assert_eq!(instance.replica_num, None, "replice_num is not replica_num");
    assert_eq!(
        instance.status,
        models::ListInstanceResponseStatus::BackingUp,
        "BACKING UP"
    );
    assert_eq!(
        instance.r#type,
        models::ListInstanceResponseType::Ha,
        "type Ha"
    );
    assert_eq!(
        instance.switch_strategy.as_deref(),
        Some("availability"),
        "switch_strategy has no enum"
    );
}

#[tokio::test]
async fn list_instances_maps_each_declared_error_range_to_api_error() {
    let route = list_path();
    let statuses = assert_each_declared_error(LIST_INSTANCES, "GET", &route, |gauss| {
        gauss.list_instances().limit(10)
    })
    .await;
    assert_eq!(statuses, [400, 500], "4XX and 5XX");
}

#[tokio::test]
async fn list_instances_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let gauss = client(&aksk_config(&server));
    let op = LIST_INSTANCES;
    let eleven: Vec<String> = (0..11).map(|i| format!("k{i}=v")).collect();
    let cases = [
        // "*" alone is reserved.
        ("id", "pattern", gauss.list_instances().id("*")),
        ("id", "pattern", gauss.list_instances().id("")),
        ("name", "pattern", gauss.list_instances().name("*")),
        // The reply's lower-case spelling is not a value of the query parameter.
        ("type", "enum", gauss.list_instances().r#type("enterprise")),
        (
            "datastore_type",
            "enum",
            gauss.list_instances().datastore_type("openGauss"),
        ),
        ("offset", "minimum 0", gauss.list_instances().offset(-1)),
        ("limit", "minimum 1", gauss.list_instances().limit(0)),
        ("limit", "maximum 100", gauss.list_instances().limit(101)),
        (
            "tags",
            "maxItems 10",
            gauss.list_instances().tags(eleven.clone()),
        ),
        (
            "charge_mode",
            "enum",
            gauss.list_instances().charge_mode("PostPaid"),
        ),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid list_instances input").await;

    // The boundaries pass.
    let route = list_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(list_reply("one_instance")))
        .expect(3)
        .mount(&server)
        .await;
    for call in [
        gauss.list_instances().id("**").name("x").limit(1).offset(0),
        gauss
            .list_instances()
            .limit(100)
            .tags(eleven[..10].to_vec())
            .datastore_type("GaussDB"),
        gauss.list_instances().r#type("Ha").charge_mode("prePaid"),
    ] {
        expect_ok(bounded(call).await, op);
    }
    let queries = received_queries(&server).await;
    assert_eq!(
        queries,
        [
            "id=%2A%2A&limit=1&name=x&offset=0".to_owned(),
            format!(
                "datastore_type=GaussDB&limit=100&tags={}",
                eleven[..10]
                    .iter()
                    .map(|t| t.replace('=', "%3D"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "charge_mode=prePaid&type=Ha".to_owned(),
        ],
        "the boundary values are sent as given"
    );
}

// ---------------------------------------------------------------------------
// delete_instance: DELETE /v3/{project_id}/instances/{instance_id}
// ---------------------------------------------------------------------------

fn instance_path(instance_id: &str) -> String {
    SPEC.assert_route(
        DELETE_INSTANCE,
        "DELETE",
        "/v3/{project_id}/instances/{instance_id}",
    );
    format!("/v3/{PROJECT_ID}/instances/{instance_id}")
}

#[tokio::test]
async fn delete_instance_sends_no_body_and_decodes_202() {
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    let status = SPEC.success_status(DELETE_INSTANCE);
    assert_eq!(status, 202, "the deletion is accepted asynchronously");
    let example = SPEC.success_example(DELETE_INSTANCE, "pay_per_use");
    let expected: models::DeleteInstanceResponse =
        model_from_example(&example, "delete_instance 202");
    signed_mock("DELETE", &route)
        .and(header("Content-Type", "application/json"))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(&example))
        .expect(1)
        .named("delete_instance success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .delete_instance(INSTANCE_ID)
            .x_language("zh-cn"),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "DELETE", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let reply = expect_ok(result, DELETE_INSTANCE);
    assert_eq!(reply, expected, "the reply is the example's model");
    assert_eq!(
        (reply.job_id.as_deref(), reply.order_id.as_deref()),
        (Some("04efe8e2-9255-44ae-a98b-d87cae411890"), None),
        "a pay-per-use deletion has a job_id and no order_id"
    );
}

#[tokio::test]
async fn delete_instance_of_a_yearly_instance_decodes_its_order_id() {
    // Both reply fields are optional (the note): a yearly/monthly instance's
    // reply carries only order_id.
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    signed_mock("DELETE", &route)
        .respond_with(
            ResponseTemplate::new(202).set_body_json(json!({"order_id": "CS2101151046NZ2D0"})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(client(&aksk_config(&server)).delete_instance(INSTANCE_ID)).await,
        DELETE_INSTANCE,
    );

    assert_eq!(
        (reply.job_id.as_deref(), reply.order_id.as_deref()),
        (None, Some("CS2101151046NZ2D0")),
        "order_id only"
    );
    // ...and then there is no job to wait for.
    match client(&aksk_config(&server)).wait_delete_instance(INSTANCE_ID, &reply) {
        Err(Error::Config(message)) => assert!(message.contains("job_id"), "{message}"),
        other => panic!("a reply without job_id has nothing to wait for, got {other:?}"),
    }
}

#[tokio::test]
async fn delete_instance_maps_each_declared_error_range_to_api_error() {
    let route = instance_path(INSTANCE_ID);
    let statuses = assert_each_declared_error(DELETE_INSTANCE, "DELETE", &route, |gauss| {
        gauss.delete_instance(INSTANCE_ID)
    })
    .await;
    assert_eq!(statuses, [400, 500], "4XX and 5XX");
}

#[tokio::test]
async fn delete_instance_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let gauss = client(&aksk_config(&server));
    let op = DELETE_INSTANCE;
    for (id, rule) in [
        (&INSTANCE_ID[..35], "minLength 36"),
        (&format!("{INSTANCE_ID}0")[..], "maxLength 36"),
        ("706c65c3-dd7d-497a-b16f-5b3a113690ab", "pattern"),
        ("", "minLength 36"),
    ] {
        assert_validation(
            bounded(gauss.delete_instance(id)).await,
            op,
            "instance_id",
            rule,
        );
    }
    assert_nothing_sent(&server, "invalid delete_instance input").await;

    // 36 letters and digits pass, whatever the suffix.
    let other = "0123456789abcdef0123456789abcdefin07";
    let route = instance_path(other);
    signed_mock("DELETE", &route)
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(SPEC.success_example(DELETE_INSTANCE, "pay_per_use")),
        )
        .expect(1)
        .mount(&server)
        .await;
    expect_ok(bounded(gauss.delete_instance(other)).await, op);
}

// ---------------------------------------------------------------------------
// show_job_detail: GET /v3/{project_id}/jobs?id=
// ---------------------------------------------------------------------------

fn jobs_path() -> String {
    SPEC.assert_route(SHOW_JOB_DETAIL, "GET", "/v3/{project_id}/jobs");
    format!("/v3/{PROJECT_ID}/jobs")
}

fn job_reply() -> Value {
    SPEC.success_example(SHOW_JOB_DETAIL, "completed_instance_creation")
}

#[tokio::test]
async fn show_job_detail_sends_id_without_x_language_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = jobs_path();
    let status = SPEC.success_status(SHOW_JOB_DETAIL);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    // Neither source has X-Language for this operation (the note), so the
    // builder has no x_language and the request carries none.
    assert_eq!(
        SPEC.parameter_names(SHOW_JOB_DETAIL, "header"),
        BTreeSet::from(["X-Auth-Token".to_owned()]),
        "the header parameters the spec declares"
    );
    let expected: models::ShowJobDetailResponse =
        model_from_example(&job_reply(), "show_job_detail 200");
    signed_mock("GET", &route)
        .and(query_param("id", JOB_ID))
        .and(header("Content-Type", "application/json"))
        .respond_with(ResponseTemplate::new(status).set_body_json(job_reply()))
        .expect(1)
        .named("show_job_detail success")
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).show_job_detail(JOB_ID)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some(&format!("id={JOB_ID}")));
    let signed = assert_signed_request(&request, &[]);
    assert_eq!(
        request.headers.get("X-Language"),
        None,
        "no X-Language header"
    );
    assert!(!signed.iter().any(|n| n == "x-language"), "{signed:?}");
    assert_no_body(&request);

    let reply = expect_ok(result, SHOW_JOB_DETAIL);
    assert_eq!(reply, expected, "the reply is the example's model");
    let job = reply
        .job
        .unwrap_or_else(|| panic!("the reply's job was not decoded"));
    assert_eq!(
        (job.id.as_str(), job.name.as_str(), job.status.as_str()),
        (JOB_ID, "CreateGaussDBV5Instance", "Completed"),
        "job"
    );
    assert_eq!(
        (
            job.created.as_str(),
            job.ended.as_str(),
            job.progress.as_str()
        ),
        ("2021-07-12T09:22:04+0000", "2021-07-12T10:10:13+0000", ""),
        "job times and progress"
    );
    assert_eq!(job.fail_reason, None, "fail_reason is null");
    assert_eq!(
        (job.instance.id.as_str(), job.instance.name.as_str()),
        ("b34f8c791f2643578510c093aa2351a8in14", "gauss-c1a3"),
        "job.instance"
    );
}

#[tokio::test]
async fn show_job_detail_sends_any_id_and_keeps_any_status() {
    // No rule on id, no enumeration of status (the notes): the id is sent
    // percent-encoded as given, and a running or failed job decodes.
    let server = MockServer::start().await;
    let route = jobs_path();
    let mut running = job_reply();
    running["job"]["status"] = json!("Running");
    running["job"]["progress"] = json!("60%");
    running["job"]["ended"] = json!("");
    let mut failed = job_reply();
    failed["job"]["status"] = json!("Failed");
    failed["job"]["fail_reason"] = json!("DBS.200011: insufficient quota");
    for reply in [&running, &failed] {
        signed_mock("GET", &route)
            .respond_with(ResponseTemplate::new(200).set_body_json(reply))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
    }
    let gauss = client(&aksk_config(&server));

    let first = expect_ok(
        bounded(gauss.show_job_detail("job 1/&=")).await,
        SHOW_JOB_DETAIL,
    );
    let second = expect_ok(
        bounded(gauss.show_job_detail(JOB_ID)).await,
        SHOW_JOB_DETAIL,
    );

    let job = first.job.unwrap_or_else(|| panic!("no job"));
    assert_eq!(
        (job.status.as_str(), job.progress.as_str()),
        ("Running", "60%"),
        "a running job"
    );
    let job = second.job.unwrap_or_else(|| panic!("no job"));
    assert_eq!(
        (job.status.as_str(), job.fail_reason.as_deref()),
        ("Failed", Some("DBS.200011: insufficient quota")),
        "a failed job with its reason"
    );
    let requests = received(&server).await;
    assert_eq!(
        requests
            .iter()
            .map(|r| r.url.query().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["id=job%201%2F%26%3D".to_owned(), format!("id={JOB_ID}")],
        "the ids as sent"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn show_job_detail_maps_each_declared_error_range_to_api_error() {
    let route = jobs_path();
    let statuses = assert_each_declared_error(SHOW_JOB_DETAIL, "GET", &route, |gauss| {
        gauss.show_job_detail(JOB_ID)
    })
    .await;
    assert_eq!(statuses, [400, 500], "4XX and 5XX");
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

#[test]
fn client_endpoint_comes_from_the_region_table() {
    assert_region_table(&SPEC, endpoint_of);
    assert_eq!(
        endpoint_for("cn-north-4", endpoint_of),
        "https://gaussdb-opengauss.cn-north-4.myhuaweicloud.com"
    );
    // Eight regions use the gaussdb.<region> host instead.
    for region in [
        "cn-east-4",
        "cn-east-5",
        "ap-southeast-5",
        "tr-west-1",
        "me-east-1",
        "af-north-1",
        "cn-east-2",
        "cn-north-12",
    ] {
        assert_eq!(
            endpoint_for(region, endpoint_of),
            format!("https://gaussdb.{region}.myhuaweicloud.com"),
            "region {region}"
        );
    }
    assert_eq!(
        endpoint_for("ap-southeast-4", endpoint_of),
        "https://gaussdb-opengauss.ap-southeast-4.myhuaweicloud.com"
    );
    assert_eq!(
        SPEC.endpoints().len(),
        25,
        "openGauss's region table has 25 regions"
    );
    assert_unknown_region(&SPEC, "eu-west-101", endpoint_of);
}
