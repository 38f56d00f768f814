//! Wire-level tests of the generated ROMA Connect client against a local mock server.
//!
//! Every success reply and every error body comes from `spec/roma.yaml`, looked up
//! by `operationId`, so the tests follow the spec. Each test checks what goes over
//! the wire (request line, query, AK/SK-signed headers) and what the client makes
//! of the reply (decoded fields and enums, `Error` variants).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use huaweicloud_sdk_roma::{self as roma, Config, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, REQUEST_ID, SK, Spec, aksk_config, assert_api_error, assert_config_hides_sk,
    assert_no_body, assert_nothing_sent, assert_region_table, assert_request_line,
    assert_signed_request, assert_unknown_region, assert_validation, bounded, endpoint_for,
    expect_ok, mount_error, only_request, query_pairs, received_queries, signed_mock,
    verify_signature,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, query_param, query_param_is_missing};
use wiremock::{MockServer, ResponseTemplate};

static SPEC: LazyLock<Spec> = LazyLock::new(|| Spec::load("roma.yaml"));

const LIST_MQS_INSTANCE: &str = "list_mqs_instance";
const CHECK_ROMA_INSTANCE_LIST_V2: &str = "check_roma_instance_list_v2";

fn client(config: &Config) -> roma::Client {
    roma::Client::new(config).unwrap_or_else(|e| panic!("building the ROMA client failed: {e}"))
}

fn endpoint_of(config: &Config) -> Result<String, Error> {
    roma::Client::new(config).map(|c| c.endpoint().to_owned())
}

/// The query parameter names a received request carries.
fn query_names(request: &wiremock::Request) -> BTreeSet<String> {
    query_pairs(request).into_iter().map(|(k, _)| k).collect()
}

// ---------------------------------------------------------------------------
// list_mqs_instance: GET /v2/{project_id}/mqs/instances?include_internal=true
// ---------------------------------------------------------------------------

fn mqs_path() -> String {
    SPEC.assert_route(LIST_MQS_INSTANCE, "GET", "/v2/{project_id}/mqs/instances");
    format!("/v2/{PROJECT_ID}/mqs/instances")
}

#[tokio::test]
async fn list_mqs_instance_sends_include_internal_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = mqs_path();
    let status = SPEC.success_status(LIST_MQS_INSTANCE);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    signed_mock("GET", &route)
        .and(query_param("include_internal", "true"))
        .and(header("Content-Type", "application/json"))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(SPEC.success_example(LIST_MQS_INSTANCE, "two_kafka_instances")),
        )
        .expect(1)
        .named("list_mqs_instance success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let roma = client(&config);
    assert_config_hides_sk(&config, &roma);
    let result = bounded(roma.list_mqs_instance()).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("include_internal=true"));
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(LIST_MQS_INSTANCE, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &[]);
    assert_no_body(&request);

    let reply = expect_ok(result, LIST_MQS_INSTANCE);
    assert_eq!(reply.instance_num, Some(2), "instance_num");
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 2, "instances");
    let first = &instances[0];
    assert_eq!(
        first.instance_id.as_deref(),
        Some("640bb069-151e-4d5e-bd1b-xxxxxxxxxxxx"),
        "instances[0].instance_id"
    );
    assert_eq!(
        first.name.as_deref(),
        Some("romamqs_640bb069-151e-4d5e-bd1b-xxxxxxxxxxxx"),
        "instances[0].name"
    );
    assert_eq!(
        first.engine.as_deref(),
        Some("kafka"),
        "instances[0].engine"
    );
    assert_eq!(first.port, Some(9093), "instances[0].port");
    assert_eq!(
        first.status,
        Some(models::ShowInstanceRespStatus::Running),
        "instances[0].status"
    );
    assert_eq!(
        first.resource_spec_code,
        Some(models::ShowInstanceRespResourceSpecCode::DmsInstanceKafkaClusterC3Mini),
        "instances[0].resource_spec_code"
    );
    assert_eq!(
        first.r#type,
        Some(models::ShowInstanceRespType::Cluster),
        "instances[0].type"
    );
    assert_eq!(first.charging_mode, Some(1), "instances[0].charging_mode");
    assert_eq!(
        first.created_at.as_deref(),
        Some("1601016527494"),
        "instances[0].created_at is the string the server sends"
    );
    assert_eq!(
        first.partition_num.as_deref(),
        Some("300"),
        "instances[0].partition_num"
    );
    assert_eq!(
        first.available_zones.as_deref(),
        Some(&["9f1c5806706d4c1fb0eb72f0a9b18c77".to_owned()][..]),
        "instances[0].available_zones"
    );
    assert_eq!(
        first.ipv6_connect_addresses.as_deref(),
        Some(&[][..]),
        "instances[0].ipv6_connect_addresses is an empty list, not absent"
    );
    assert_eq!(first.ssl_enable, Some(true), "instances[0].ssl_enable");
    assert_eq!(
        first.enable_publicip,
        Some(false),
        "instances[0].enable_publicip"
    );
    assert_eq!(
        first.public_boundwidth,
        Some(0),
        "instances[0].public_boundwidth (sic)"
    );
    assert_eq!(
        first.kafka_public_status.as_deref(),
        Some("false"),
        "instances[0].kafka_public_status is text"
    );
    let cross_vpc: Value = serde_json::from_str(first.cross_vpc_info.as_deref().unwrap_or("null"))
        .unwrap_or_else(|e| panic!("instances[0].cross_vpc_info is not JSON text: {e}"));
    assert!(
        cross_vpc.is_object(),
        "instances[0].cross_vpc_info holds a JSON object: {cross_vpc}"
    );
    assert_eq!(first.order_id, None, "instances[0].order_id is absent");
    let second = &instances[1];
    assert_eq!(
        second.storage_spec_code.as_deref(),
        Some("dms.physical.storage.high"),
        "instances[1].storage_spec_code"
    );
    assert_eq!(
        second.security_group_name.as_deref(),
        Some("default"),
        "instances[1].security_group_name"
    );
}

#[tokio::test]
async fn list_mqs_instance_maps_each_declared_error_range_to_api_error() {
    let errors = SPEC.error_responses(LIST_MQS_INSTANCE);
    let keys: Vec<&str> = errors.iter().map(|e| e.status_key.as_str()).collect();
    assert_eq!(
        keys,
        ["4XX", "5XX"],
        "the error responses the spec declares"
    );
    for declared in errors {
        assert_eq!(declared.schema, "CommonErrResp", "{}", declared.status_key);
        // The spec gives this shape no example; the body has exactly its fields.
        let body = json!({
            "error_code": "ROMA.00110002",
            "error_msg": format!("MQS failure ({})", declared.status_key),
        });
        let fields: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(fields, declared.properties, "fields of {}", declared.schema);

        let server = MockServer::start().await;
        let route = mqs_path();
        mount_error(&server, "GET", &route, declared.status, &body).await;

        let result = bounded(client(&aksk_config(&server)).list_mqs_instance()).await;

        let raw = assert_api_error(result, &server, LIST_MQS_INSTANCE, declared.status, &body);
        let typed: models::CommonErrResp = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("the error body does not decode as CommonErrResp: {e}"));
        assert_eq!(
            typed.error_code.as_deref(),
            Some("ROMA.00110002"),
            "CommonErrResp.error_code"
        );
        let request = only_request(&server).await;
        assert_request_line(&request, "GET", &route, Some("include_internal=true"));
    }
}

// ---------------------------------------------------------------------------
// check_roma_instance_list_v2: GET /v2/{project_id}/instances?status=&offset=&limit=
// ---------------------------------------------------------------------------

fn instances_path() -> String {
    SPEC.assert_route(
        CHECK_ROMA_INSTANCE_LIST_V2,
        "GET",
        "/v2/{project_id}/instances",
    );
    format!("/v2/{PROJECT_ID}/instances")
}

fn instances_example() -> Value {
    SPEC.success_example(CHECK_ROMA_INSTANCE_LIST_V2, "one_instance")
}

#[tokio::test]
async fn check_roma_instance_list_v2_sends_status_offset_limit_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = instances_path();
    let status = SPEC.success_status(CHECK_ROMA_INSTANCE_LIST_V2);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    signed_mock("GET", &route)
        .and(query_param("status", "RUNNING"))
        .and(query_param("offset", "20"))
        .and(query_param("limit", "50"))
        .respond_with(ResponseTemplate::new(status).set_body_json(instances_example()))
        .expect(1)
        .named("check_roma_instance_list_v2 success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .check_roma_instance_list_v2()
            .status("RUNNING")
            .offset(20)
            .limit(50),
    )
    .await;

    let request = only_request(&server).await;
    // The query is sent sorted by name, as it is signed.
    assert_request_line(
        &request,
        "GET",
        &route,
        Some("limit=50&offset=20&status=RUNNING"),
    );
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(CHECK_ROMA_INSTANCE_LIST_V2, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &[]);
    assert_no_body(&request);

    let reply = expect_ok(result, CHECK_ROMA_INSTANCE_LIST_V2);
    assert_eq!((reply.total, reply.size), (Some(1), Some(1)), "total, size");
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 1, "instances");
    let instance = &instances[0];
    assert_eq!(
        instance.id.as_deref(),
        Some("e34610ca-0a37-4f04-8856-4101b08cc5e2"),
        "instances[0].id"
    );
    assert_eq!(
        instance.name.as_deref(),
        Some("roma-test"),
        "instances[0].name"
    );
    assert_eq!(
        instance.description.as_deref(),
        Some(" "),
        "instances[0].description keeps the blank"
    );
    assert_eq!(
        instance.flavor_type,
        Some(models::RomaInstanceCheckListRespInstancesFlavorType::Basic),
        "instances[0].flavor_type"
    );
    assert_eq!(
        instance.cpu_arch,
        Some(models::RomaInstanceCheckListRespInstancesCpuArch::X8664),
        "instances[0].cpu_arch"
    );
    assert_eq!(
        instance.status,
        Some(models::RomaInstanceCheckListRespInstancesStatus::Running),
        "instances[0].status"
    );
    assert_eq!(
        instance.charge_type,
        Some(models::RomaInstanceCheckListRespInstancesChargeType::PrePaid),
        "instances[0].charge_type"
    );
    assert_eq!(
        instance.publicip_enable,
        Some(true),
        "instances[0].publicip_enable"
    );
    assert_eq!(
        instance.publicip_address.as_deref(),
        Some(""),
        "instances[0].publicip_address is an empty string, not absent"
    );
    assert_eq!(
        instance.available_zone_ids.as_deref(),
        Some(&["9f1c5806706d4c1fb0eb72f0a9b18c77".to_owned()][..]),
        "instances[0].available_zone_ids"
    );
    assert_eq!(
        (
            instance.maintain_begin.as_deref(),
            instance.maintain_end.as_deref()
        ),
        (Some("22:00:00"), Some("02:00:00")),
        "instances[0] maintenance window"
    );
    assert_eq!(
        instance.enterprise_project_id.as_deref(),
        Some("0"),
        "instances[0].enterprise_project_id"
    );
}

#[tokio::test]
async fn check_roma_instance_list_v2_without_options_sends_no_query() {
    let server = MockServer::start().await;
    let route = instances_path();
    signed_mock("GET", &route)
        .and(query_param_is_missing("status"))
        .and(query_param_is_missing("offset"))
        .and(query_param_is_missing("limit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(instances_example()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).check_roma_instance_list_v2()).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, None);
    assert_signed_request(&request, &[]);
    expect_ok(result, CHECK_ROMA_INSTANCE_LIST_V2);
}

#[tokio::test]
async fn check_roma_instance_list_v2_pages_through_offset_and_limit() {
    let server = MockServer::start().await;
    let route = instances_path();
    let template = instances_example()["instances"][0].clone();
    let ids = ["roma-0", "roma-1", "roma-2", "roma-3", "roma-4"];
    let limit = 2;
    for (page, chunk) in ids.chunks(limit).enumerate() {
        let instances: Vec<Value> = chunk
            .iter()
            .map(|id| {
                let mut instance = template.clone();
                instance["id"] = json!(id);
                instance
            })
            .collect();
        let reply = json!({ "total": ids.len(), "size": instances.len(), "instances": instances });
        signed_mock("GET", &route)
            .and(query_param("offset", (page * limit).to_string()))
            .and(query_param("limit", limit.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(reply))
            .expect(1)
            .named(format!("page {page}"))
            .mount(&server)
            .await;
    }

    // What a caller writes: ask for pages until one comes back short.
    let roma = client(&aksk_config(&server));
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = expect_ok(
            bounded(roma.check_roma_instance_list_v2().offset(offset).limit(2)).await,
            CHECK_ROMA_INSTANCE_LIST_V2,
        );
        assert_eq!(page.total, Some(5), "total on every page");
        let instances = page.instances.unwrap_or_default();
        assert_eq!(
            page.size,
            i32::try_from(instances.len()).ok(),
            "size matches the page"
        );
        let short = instances.len() < 2;
        seen.extend(instances.into_iter().filter_map(|i| i.id));
        if short {
            break;
        }
        offset += 2;
    }
    assert_eq!(seen, ids, "every instance once, in order");

    let offsets = received_queries(&server).await;
    assert_eq!(
        offsets,
        ["limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"],
        "the pages asked for"
    );
}

#[tokio::test]
async fn check_roma_instance_list_v2_maps_each_declared_error_status_to_api_error() {
    let errors = SPEC.error_responses(CHECK_ROMA_INSTANCE_LIST_V2);
    let statuses: Vec<u16> = errors.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [400, 401, 403, 500],
        "the statuses the spec declares"
    );
    for declared in errors {
        assert_eq!(declared.schema, "ErrorResp", "{}", declared.status_key);
        let body = declared
            .example
            .clone()
            .unwrap_or_else(|| panic!("the {} reply has no example", declared.status_key));
        let fields: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(
            fields, declared.properties,
            "fields of the {} example",
            declared.status
        );

        let server = MockServer::start().await;
        let route = instances_path();
        mount_error(&server, "GET", &route, declared.status, &body).await;

        let result = bounded(client(&aksk_config(&server)).check_roma_instance_list_v2()).await;

        let raw = assert_api_error(
            result,
            &server,
            CHECK_ROMA_INSTANCE_LIST_V2,
            declared.status,
            &body,
        );
        // The body's own request_id is not the header's; the error keeps the header's
        // and the body keeps both details.
        assert_ne!(body["request_id"].as_str(), Some(REQUEST_ID));
        let typed: models::ErrorResp = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("the error body does not decode as ErrorResp: {e}"));
        assert_eq!(
            typed.error_details.as_deref(),
            Some("some error details here"),
            "ErrorResp.error_details of {}",
            declared.status
        );
        assert_eq!(
            typed.request_id.as_deref(),
            Some("13760c1fe8655e61209b75665e9bef43"),
            "ErrorResp.request_id of {}",
            declared.status
        );
        only_request(&server).await;
    }
}

#[tokio::test]
async fn check_roma_instance_list_v2_checks_ranges_and_lengths_before_sending() {
    let server = MockServer::start().await;
    let roma = client(&aksk_config(&server));
    let op = CHECK_ROMA_INSTANCE_LIST_V2;

    let cases = [
        (
            "limit",
            "maximum 100",
            roma.check_roma_instance_list_v2().limit(101),
        ),
        (
            "limit",
            "minimum 0",
            roma.check_roma_instance_list_v2().limit(-1),
        ),
        (
            "offset",
            "maximum 100",
            roma.check_roma_instance_list_v2().offset(101),
        ),
        (
            "offset",
            "minimum 0",
            roma.check_roma_instance_list_v2().offset(-1),
        ),
        (
            "status",
            "minLength 3",
            roma.check_roma_instance_list_v2().status("UP"),
        ),
        (
            "status",
            "maxLength 128",
            roma.check_roma_instance_list_v2().status("R".repeat(129)),
        ),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "out-of-range paging").await;

    // The bounds themselves are allowed.
    let route = instances_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(instances_example()))
        .expect(3)
        .mount(&server)
        .await;
    for call in [
        roma.check_roma_instance_list_v2()
            .offset(0)
            .limit(0)
            .status("RUN"),
        roma.check_roma_instance_list_v2()
            .offset(100)
            .limit(100)
            .status("R".repeat(128)),
        roma.check_roma_instance_list_v2().limit(10),
    ] {
        expect_ok(bounded(call).await, op);
    }
    let queries = received_queries(&server).await;
    assert_eq!(
        queries,
        [
            "limit=0&offset=0&status=RUN".to_owned(),
            format!("limit=100&offset=100&status={}", "R".repeat(128)),
            "limit=10".to_owned(),
        ],
        "the boundary values are sent as given"
    );
}

#[tokio::test]
async fn check_roma_instance_list_v2_keeps_unknown_enum_values() {
    let server = MockServer::start().await;
    let route = instances_path();
    let mut reply = instances_example();
    // The spec keeps API Explorer's spelling DELETE_FALIED; the corrected spelling
    // is not a known value and must survive as sent.
    reply["instances"][0]["status"] = json!("DELETE_FAILED");
    reply["instances"][0]["flavor_type"] = json!("diamond");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(reply))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(client(&aksk_config(&server)).check_roma_instance_list_v2()).await,
        CHECK_ROMA_INSTANCE_LIST_V2,
    );
    let instances = reply.instances.unwrap_or_default();
    let instance = instances
        .first()
        .unwrap_or_else(|| panic!("no instance decoded"));
    match &instance.status {
        Some(models::RomaInstanceCheckListRespInstancesStatus::Unknown(value)) => {
            assert_eq!(value.as_str(), "DELETE_FAILED", "kept as received");
        }
        other => panic!("status DELETE_FAILED should be Unknown, got {other:?}"),
    }
    assert_ne!(
        instance.status,
        Some(models::RomaInstanceCheckListRespInstancesStatus::DeleteFalied),
        "DELETE_FAILED is not the spec's DELETE_FALIED"
    );
    assert_eq!(
        instance.flavor_type.as_ref().map(|f| f.as_str()),
        Some("diamond"),
        "flavor_type keeps the unknown value"
    );
    assert_eq!(
        instance.cpu_arch,
        Some(models::RomaInstanceCheckListRespInstancesCpuArch::X8664),
        "the other enums still decode"
    );
}

// ---------------------------------------------------------------------------
// Signature, endpoints
// ---------------------------------------------------------------------------

#[tokio::test]
async fn signature_check_catches_a_wrong_key_and_a_changed_query() {
    let server = MockServer::start().await;
    let route = instances_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(instances_example()))
        .expect(1)
        .mount(&server)
        .await;
    expect_ok(
        bounded(
            client(&aksk_config(&server))
                .check_roma_instance_list_v2()
                .status("RUNNING")
                .limit(5),
        )
        .await,
        CHECK_ROMA_INSTANCE_LIST_V2,
    );
    let request = only_request(&server).await;
    let names = verify_signature(&request, sdk_tests::wire::AK, SK)
        .unwrap_or_else(|problem| panic!("the real request should verify: {problem}"));
    assert!(names.iter().any(|n| n == "host"), "{names:?}");

    assert!(
        verify_signature(&request, sdk_tests::wire::AK, "another-secret-key").is_err(),
        "a wrong SK must not verify"
    );
    let mut tampered = request.clone();
    tampered.url.set_query(Some("limit=6&status=RUNNING"));
    assert!(
        verify_signature(&tampered, sdk_tests::wire::AK, SK).is_err(),
        "a changed query must not verify"
    );
    let mut tampered = request.clone();
    tampered.headers.insert(
        "x-project-id",
        "0".repeat(32).parse().unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(
        verify_signature(&tampered, sdk_tests::wire::AK, SK).is_err(),
        "a changed signed header must not verify"
    );
}

#[test]
fn client_endpoint_comes_from_the_region_table() {
    assert_region_table(&SPEC, endpoint_of);
    assert_eq!(
        endpoint_for("cn-north-4", endpoint_of),
        "https://roma.cn-north-4.myhuaweicloud.com"
    );
    assert_eq!(
        endpoint_for("ap-southeast-1", endpoint_of),
        "https://roma.ap-southeast-1.myhuaweicloud.com"
    );
    assert_eq!(
        endpoint_for("ru-northwest-2", endpoint_of),
        "https://roma.ru-northwest-2.myhuaweicloud.com"
    );
    let regions: BTreeSet<String> = SPEC.endpoints().into_iter().map(|(r, _)| r).collect();
    assert_eq!(regions.len(), 8, "ROMA's region table has 8 regions");
    // A region DRS knows but ROMA does not.
    assert_unknown_region(&SPEC, "eu-west-101", endpoint_of);
}
