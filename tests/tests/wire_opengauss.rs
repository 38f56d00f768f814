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
    assert_json_body, assert_nothing_sent, assert_region_table, assert_request_line,
    assert_signed_request, assert_unknown_region, assert_validation, bounded, endpoint_for,
    expect_ok, model_from_example, mount_error, only_request, signed_mock,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header};
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
