//! Wire-level tests of the generated Huawei Cloud Chain client against a local mock
//! server.
//!
//! The success replies come from `spec/chain.yaml` (looked up by `operationId`),
//! so the tests follow the spec; the error bodies have the fields of the seed
//! fragment's tables 6 to 8, which give no example. Each test checks what goes
//! over the wire (request line, query, AK/SK-signed headers, verified
//! independently of the client's signer) and what the client makes of the reply.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use huaweicloud_sdk_chain::mock::{Mock, MockReply};
use huaweicloud_sdk_chain::{self as chain, Config, Credentials, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, SK, Spec, aksk_config, assert_api_error, assert_config_hides_sk, assert_no_body,
    assert_nothing_sent, assert_region_table, assert_request_line, assert_signed_request,
    assert_unknown_region, assert_validation, base_config, bounded, endpoint_for, expect_ok,
    header_text, mount_error, only_request, query_pairs, received, received_queries, signed_mock,
    verify_signature,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{MockServer, ResponseTemplate};

static SPEC: LazyLock<Spec> = LazyLock::new(|| Spec::load("chain.yaml"));

const LIST_INSTANCES: &str = "list_instances";
const SHOW_INSTANCE: &str = "show_instance";
/// The instance of the pages' examples.
const INSTANCE_ID: &str = "e543adf0-c61e-11ec-a1c5-0255ac100408";
const TOKEN: &str = "MIIchain-token-never-printed";

fn client(config: &Config) -> chain::Client {
    chain::Client::new(config).unwrap_or_else(|e| panic!("building the Chain client failed: {e}"))
}

fn endpoint_of(config: &Config) -> Result<String, Error> {
    chain::Client::new(config).map(|c| c.endpoint().to_owned())
}

fn instances_path() -> String {
    SPEC.assert_route(
        LIST_INSTANCES,
        "GET",
        "/v2/{project_id}/huaweicloudchain/instances",
    );
    format!("/v2/{PROJECT_ID}/huaweicloudchain/instances")
}

fn instance_path(id: &str) -> String {
    SPEC.assert_route(
        SHOW_INSTANCE,
        "GET",
        "/v2/{project_id}/huaweicloudchain/instances/{instance_id}",
    );
    format!("/v2/{PROJECT_ID}/huaweicloudchain/instances/{id}")
}

fn detail_example() -> Value {
    SPEC.success_example(SHOW_INSTANCE, "huawei_chain_01")
}

fn list_example() -> Value {
    SPEC.success_example(LIST_INSTANCES, "one_instance")
}

/// The query parameter names a received request carries.
fn query_names(request: &wiremock::Request) -> BTreeSet<String> {
    query_pairs(request).into_iter().map(|(k, _)| k).collect()
}

/// Checks the decoded instance of the pages' examples, field by field; the
/// examples differ only in `chain_engine_version`.
#[track_caller]
fn assert_huawei_chain_01(instance: &models::InstanceDetail, engine_version: Option<&str>) {
    assert_eq!(instance.id.as_deref(), Some(INSTANCE_ID), "id");
    assert_eq!(instance.name.as_deref(), Some("huawei-chain-01"), "name");
    assert_eq!(
        instance.status,
        Some(models::InstanceDetailStatus::Available),
        "status"
    );
    assert_eq!(
        instance.edition,
        Some(models::InstanceDetailEdition::Professional),
        "edition"
    );
    assert_eq!(instance.kind, None, "kind is not in the example");
    assert_eq!(
        instance.data_management,
        Some(models::InstanceDetailDataManagement::Cloud),
        "data_management"
    );
    assert_eq!(
        instance.chain_engine_version.as_deref(),
        engine_version,
        "chain_engine_version"
    );
    let orgs = instance.orgs.as_deref().unwrap_or_default();
    let org_view: Vec<(
        Option<&str>,
        Option<&models::InstanceOrgStatus>,
        Option<bool>,
    )> = orgs
        .iter()
        .map(|o| (o.name.as_deref(), o.status.as_ref(), o.is_consensus))
        .collect();
    assert_eq!(
        org_view,
        [
            (
                Some("org1"),
                Some(&models::InstanceOrgStatus::Available),
                Some(true)
            ),
            (
                Some("org2"),
                Some(&models::InstanceOrgStatus::Available),
                Some(false)
            ),
        ],
        "orgs"
    );
    let chains = instance.chains.as_deref().unwrap_or_default();
    assert_eq!(chains.len(), 1, "chains has exactly one entry");
    let only = &chains[0];
    assert_eq!(
        only.chain_id.as_deref(),
        Some("huawei-chain-01-egger394n"),
        "chains[0].chain_id"
    );
    assert_eq!(
        only.consensus,
        Some(models::InstanceChainConsensus::Raft),
        "chains[0].consensus"
    );
    assert_eq!(
        only.sign_algorithm,
        Some(models::InstanceChainSignAlgorithm::EcdsaWithSha256),
        "chains[0].sign_algorithm"
    );
    assert_eq!(
        (only.contract_num, only.block_num, only.transaction_num),
        (Some(1), Some(5), Some(9)),
        "chains[0] counts"
    );
    assert_eq!(
        (
            instance.create_time.as_deref(),
            instance.update_time.as_deref()
        ),
        (Some("2022-04-16T07:20:05Z"), Some("2022-04-16T07:20:05Z")),
        "create_time, update_time"
    );
    assert_eq!(
        (
            instance.enterprise_project_id.as_deref(),
            instance.enterprise_project_name.as_deref()
        ),
        (Some("0"), Some("default")),
        "enterprise project"
    );
}

// ---------------------------------------------------------------------------
// The spec against the seed fragment
// ---------------------------------------------------------------------------

/// The property names of a schema of the spec.
fn properties(schema: &str) -> BTreeSet<String> {
    SPEC.doc()["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("chain.yaml has no schema {schema} with properties"))
        .keys()
        .cloned()
        .collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn every_field_of_the_fragment_tables_is_in_the_spec() {
    // Seed 002's Huawei Cloud Chain fragment, tables 3 (the reply body), 4
    // (InstanceOrg), 5 (InstanceChain) and 6 to 8 (the error bodies), as listed.
    let tables = [
        (
            "InstanceDetail",
            names(&[
                "id",
                "name",
                "status",
                "edition",
                "kind",
                "data_management",
                "chain_engine_version",
                "orgs",
                "chains",
                "create_time",
                "update_time",
                "enterprise_project_id",
                "enterprise_project_name",
            ]),
        ),
        ("InstanceOrg", names(&["name", "status", "is_consensus"])),
        (
            "InstanceChain",
            names(&[
                "chain_id",
                "consensus",
                "sign_algorithm",
                "contract_num",
                "block_num",
                "transaction_num",
            ]),
        ),
        (
            "ErrorResponse",
            names(&["code", "error_code", "error_msg", "message"]),
        ),
    ];
    for (schema, fields) in tables {
        assert_eq!(properties(schema), fields, "the fields of {schema}");
    }
    // ListInstances table 4; its items are the detail table's object.
    assert_eq!(properties("InstanceList"), names(&["count", "instances"]));
    assert_eq!(
        SPEC.doc()["components"]["schemas"]["InstanceList"]["properties"]["instances"]["items"]["$ref"],
        json!("#/components/schemas/InstanceDetail")
    );
    // The fragment's nine states (its description; its enumeration list omits
    // Exception) are all declared.
    let states =
        SPEC.doc()["components"]["schemas"]["InstanceDetail"]["properties"]["status"]["enum"]
            .as_array()
            .map(Vec::len);
    assert_eq!(states, Some(9), "InstanceDetail.status values");
}

// ---------------------------------------------------------------------------
// show_instance: GET /v2/{project_id}/huaweicloudchain/instances/{instance_id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn show_instance_sends_the_documented_request_and_decodes_the_page_example() {
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    let status = SPEC.success_status(SHOW_INSTANCE);
    assert_eq!(status, 200, "the page documents 200");
    signed_mock("GET", &route)
        .and(header("Content-Type", "application/json"))
        .respond_with(ResponseTemplate::new(status).set_body_json(detail_example()))
        .expect(1)
        .named("show_instance success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let chain = client(&config);
    assert_config_hides_sk(&config, &chain);
    let result = bounded(chain.show_instance(INSTANCE_ID)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, None);
    assert!(
        SPEC.parameter_names(SHOW_INSTANCE, "query").is_empty(),
        "the page documents no query parameter"
    );
    assert_signed_request(&request, &[]);
    assert_no_body(&request);

    let reply = expect_ok(result, SHOW_INSTANCE);
    // The seed's example sends "chain_engine_version": "", which the spec's
    // example leaves out (it breaks the field's 7 to 10 characters).
    assert_huawei_chain_01(&reply, None);
}

#[tokio::test]
async fn show_instance_decodes_the_seed_reply_as_sent_with_an_empty_engine_version() {
    // A reply's lengths are documented, not checked: the page's own example, with
    // its empty chain_engine_version, decodes as sent.
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    let mut as_sent = detail_example();
    as_sent["chain_engine_version"] = json!("");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(as_sent))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(client(&aksk_config(&server)).show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
    );
    assert_huawei_chain_01(&reply, Some(""));
}

#[tokio::test]
async fn show_instance_keeps_values_the_spec_does_not_know() {
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    let mut reply = detail_example();
    reply["status"] = json!("Frozen");
    reply["kind"] = json!("Besu");
    reply["chains"][0]["consensus"] = json!("IBFT2.0");
    reply["chains"][0]["sign_algorithm"] = json!("ed25519");
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(reply))
        .expect(1)
        .mount(&server)
        .await;

    let instance = expect_ok(
        bounded(client(&aksk_config(&server)).show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
    );
    match &instance.status {
        Some(models::InstanceDetailStatus::Unknown(value)) => {
            assert_eq!(value.as_str(), "Frozen", "kept as received");
        }
        other => panic!("status Frozen should be Unknown, got {other:?}"),
    }
    assert_eq!(
        instance.kind,
        Some(models::InstanceDetailKind::Besu),
        "kind"
    );
    let chains = instance.chains.unwrap_or_default();
    assert_eq!(
        chains[0].consensus,
        Some(models::InstanceChainConsensus::Ibft20),
        "IBFT2.0, the value the ListInstances page adds"
    );
    assert_eq!(
        chains[0].sign_algorithm.as_ref().map(|a| a.as_str()),
        Some("ed25519"),
        "an unknown algorithm survives as sent"
    );
}

#[tokio::test]
async fn show_instance_with_a_token_sends_x_auth_token_and_no_signature() {
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    wiremock::Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(header("X-Auth-Token", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(detail_example()))
        .expect(1)
        .mount(&server)
        .await;

    let config = base_config(&server)
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::token(TOKEN));
    let chain = client(&config);
    let shown = format!("{config:?} {chain:?}");
    assert!(!shown.contains(TOKEN), "the token shows in Debug: {shown}");
    let reply = expect_ok(
        bounded(chain.show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
    );
    assert_eq!(reply.id.as_deref(), Some(INSTANCE_ID));

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, None);
    assert_eq!(header_text(&request, "X-Auth-Token"), Some(TOKEN));
    assert_eq!(header_text(&request, "Authorization"), None, "no signature");
    assert_eq!(header_text(&request, "X-Sdk-Date"), None, "no signing date");
}

#[tokio::test]
async fn show_instance_maps_each_declared_error_status_to_api_error() {
    let errors = SPEC.error_responses(SHOW_INSTANCE);
    let statuses: Vec<u16> = errors.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [400, 401, 500], "the statuses the page declares");
    for declared in errors {
        assert_eq!(declared.schema, "ErrorResponse", "{}", declared.status_key);
        assert_eq!(declared.example, None, "the page gives no error example");
        // Tables 6 to 8: code (3 characters), error_code (12), error_msg, message.
        let body = json!({
            "code": declared.status.to_string(),
            "error_code": "BCS.40010001",
            "error_msg": format!("request refused ({})", declared.status),
            "message": "the instance does not belong to the project",
        });
        let fields: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(fields, declared.properties, "fields of ErrorResponse");

        let server = MockServer::start().await;
        let route = instance_path(INSTANCE_ID);
        mount_error(&server, "GET", &route, declared.status, &body).await;

        let result = bounded(client(&aksk_config(&server)).show_instance(INSTANCE_ID)).await;

        let raw = assert_api_error(result, &server, SHOW_INSTANCE, declared.status, &body);
        let typed: models::ErrorResponse = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("the error body does not decode as ErrorResponse: {e}"));
        assert_eq!(
            typed.code.as_deref(),
            Some(declared.status.to_string().as_str()),
            "ErrorResponse.code"
        );
        assert_eq!(
            typed.message.as_deref(),
            Some("the instance does not belong to the project"),
            "ErrorResponse.message"
        );
        let request = only_request(&server).await;
        assert_request_line(&request, "GET", &route, None);
    }
}

#[tokio::test]
async fn show_instance_checks_the_instance_id_and_project_id_lengths_before_sending() {
    let server = MockServer::start().await;
    let chain = client(&aksk_config(&server));
    let longer = format!("{INSTANCE_ID}0");
    for (id, rule) in [
        (&INSTANCE_ID[..35], "minLength 36"),
        (longer.as_str(), "maxLength 36"),
        ("", "minLength 36"),
    ] {
        assert_validation(
            bounded(chain.show_instance(id)).await,
            SHOW_INSTANCE,
            "instance_id",
            rule,
        );
    }
    let short_project = client(&aksk_config(&server).with_project_id("0".repeat(31)));
    assert_validation(
        bounded(short_project.show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
        "project_id",
        "minLength 32",
    );
    assert_nothing_sent(&server, "ids of the wrong length").await;
}

// ---------------------------------------------------------------------------
// list_instances: GET /v2/{project_id}/huaweicloudchain/instances?offset=&limit=
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_instances_sends_offset_and_limit_and_decodes_the_page_example() {
    let server = MockServer::start().await;
    let route = instances_path();
    assert_eq!(SPEC.success_status(LIST_INSTANCES), 200);
    signed_mock("GET", &route)
        .and(query_param("offset", "0"))
        .and(query_param("limit", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_example()))
        .expect(1)
        .named("list_instances success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .list_instances()
            .offset(0)
            .limit(100),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("limit=100&offset=0"));
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(LIST_INSTANCES, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &[]);
    assert_no_body(&request);

    let reply = expect_ok(result, LIST_INSTANCES);
    assert_eq!(reply.count, Some(1), "count");
    let instances = reply.instances.unwrap_or_default();
    assert_eq!(instances.len(), 1, "instances");
    assert_huawei_chain_01(&instances[0], Some("1.0.1.2"));
}

#[tokio::test]
async fn list_instances_without_options_sends_no_query() {
    let server = MockServer::start().await;
    let route = instances_path();
    signed_mock("GET", &route)
        .and(query_param_is_missing("offset"))
        .and(query_param_is_missing("limit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_example()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).list_instances()).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, None);
    assert_signed_request(&request, &[]);
    expect_ok(result, LIST_INSTANCES);
}

#[tokio::test]
async fn list_instances_pages_by_offset_until_the_count_is_reached() {
    let server = MockServer::start().await;
    let route = instances_path();
    let template = list_example()["instances"][0].clone();
    let ids: Vec<String> = (0..5)
        .map(|i| format!("e543adf0-c61e-11ec-a1c5-0255ac10040{i}"))
        .collect();
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
        signed_mock("GET", &route)
            .and(query_param("offset", (page * limit).to_string()))
            .and(query_param("limit", limit.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "count": ids.len(), "instances": instances })),
            )
            .expect(1)
            .named(format!("page {page}"))
            .mount(&server)
            .await;
    }

    let items = bounded(
        client(&aksk_config(&server))
            .list_instances()
            .limit(2)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("paging failed: {e}"));
    let seen: Vec<String> = items.into_iter().filter_map(|i| i.id).collect();
    assert_eq!(seen, ids, "every instance once, in order");

    assert_eq!(
        received_queries(&server).await,
        ["limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"],
        "the pages asked for"
    );
    for request in &received(&server).await {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn list_instances_pages_of_100_when_no_limit_is_set() {
    // The page's default page size is not stated; the spec's paging asks for 100,
    // the maximum, and stops at the count.
    let server = MockServer::start().await;
    let route = instances_path();
    signed_mock("GET", &route)
        .and(query_param("offset", "0"))
        .and(query_param("limit", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_example()))
        .expect(1)
        .mount(&server)
        .await;

    let pages = bounded(
        client(&aksk_config(&server))
            .list_instances()
            .pages()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("paging failed: {e}"));
    assert_eq!(pages.len(), 1, "one page holds the one instance");
    assert_eq!(pages[0].count, Some(1));
}

#[tokio::test]
async fn list_instances_maps_each_declared_error_status_to_api_error() {
    let errors = SPEC.error_responses(LIST_INSTANCES);
    let statuses: Vec<u16> = errors.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [400, 401, 500], "the statuses the page declares");
    for declared in errors {
        assert_eq!(declared.schema, "ErrorResponse", "{}", declared.status_key);
        let body = json!({
            "code": declared.status.to_string(),
            "error_code": "BCS.40000002",
            "error_msg": format!("list refused ({})", declared.status),
            "message": "details",
        });
        let server = MockServer::start().await;
        let route = instances_path();
        mount_error(&server, "GET", &route, declared.status, &body).await;

        let result = bounded(client(&aksk_config(&server)).list_instances().limit(10)).await;

        assert_api_error(result, &server, LIST_INSTANCES, declared.status, &body);
        let request = only_request(&server).await;
        assert_request_line(&request, "GET", &route, Some("limit=10"));
    }
}

#[tokio::test]
async fn list_instances_checks_offset_and_limit_before_sending() {
    let server = MockServer::start().await;
    let chain = client(&aksk_config(&server));
    let cases = [
        ("offset", "minimum 0", chain.list_instances().offset(-1)),
        ("limit", "minimum 1", chain.list_instances().limit(0)),
        ("limit", "maximum 100", chain.list_instances().limit(101)),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, LIST_INSTANCES, field, rule);
    }
    assert_nothing_sent(&server, "out-of-range paging").await;

    let route = instances_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(list_example()))
        .expect(2)
        .mount(&server)
        .await;
    for call in [
        chain.list_instances().offset(0).limit(1),
        chain.list_instances().offset(1_000).limit(100),
    ] {
        expect_ok(bounded(call).await, LIST_INSTANCES);
    }
    let queries = received_queries(&server).await;
    assert_eq!(
        queries,
        ["limit=1&offset=0", "limit=100&offset=1000"],
        "the boundary values are sent as given"
    );
}

// ---------------------------------------------------------------------------
// Signature, endpoints, mock
// ---------------------------------------------------------------------------

#[tokio::test]
async fn signature_check_catches_a_wrong_key_and_a_changed_path() {
    let server = MockServer::start().await;
    let route = instance_path(INSTANCE_ID);
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(detail_example()))
        .expect(1)
        .mount(&server)
        .await;
    expect_ok(
        bounded(client(&aksk_config(&server)).show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
    );
    let request = only_request(&server).await;
    verify_signature(&request, sdk_tests::wire::AK, SK)
        .unwrap_or_else(|problem| panic!("the real request should verify: {problem}"));
    assert!(
        verify_signature(&request, sdk_tests::wire::AK, "another-secret-key").is_err(),
        "a wrong SK must not verify"
    );
    let mut tampered = request.clone();
    tampered
        .url
        .set_path(&instance_path("e543adf0-c61e-11ec-a1c5-0255ac100409"));
    assert!(
        verify_signature(&tampered, sdk_tests::wire::AK, SK).is_err(),
        "another instance's path must not verify"
    );
}

#[test]
fn client_endpoint_comes_from_the_region_table() {
    assert_region_table(&SPEC, endpoint_of);
    assert_eq!(
        endpoint_for("cn-north-4", endpoint_of),
        "https://bcs.cn-north-4.myhuaweicloud.com"
    );
    let regions: Vec<String> = SPEC.endpoints().into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        regions,
        ["cn-north-4"],
        "the engine is offered in cn-north-4 only"
    );
    // A region of the Fabric-based BCS API that does not serve Huawei Cloud Chain.
    assert_unknown_region(&SPEC, "cn-south-1", endpoint_of);
}

#[tokio::test]
async fn mock_answers_show_instance_with_the_page_example() {
    let mock = Mock::new();
    let example: models::InstanceDetail = serde_json::from_value(detail_example())
        .unwrap_or_else(|e| panic!("the example does not decode: {e}"));
    let answer = example.clone();
    mock.on_show_instance(move |_call| Ok(answer.clone()));
    let chain = mock
        .client()
        .unwrap_or_else(|e| panic!("mock client failed: {e}"));

    let reply = expect_ok(
        bounded(chain.show_instance(INSTANCE_ID)).await,
        SHOW_INSTANCE,
    );
    assert_eq!(reply, example, "the typed answer comes back decoded");

    let calls = mock.calls_of(SHOW_INSTANCE);
    assert_eq!(calls.len(), 1, "one call recorded");
    assert!(
        calls[0]
            .path
            .ends_with(&format!("/huaweicloudchain/instances/{INSTANCE_ID}")),
        "the recorded path: {}",
        calls[0].path
    );

    // An error reply, as the service would send it, and validation before it.
    mock.on_show_instance(|_call| Err(MockReply::error(401, "BCS.40100001", "token expired")));
    let error = bounded(chain.show_instance(INSTANCE_ID))
        .await
        .expect_err("the mock answers 401");
    assert_eq!(error.status(), Some(401), "{error}");
    assert_eq!(error.error_code(), Some("BCS.40100001"), "{error}");
    assert!(matches!(
        bounded(chain.show_instance("short")).await,
        Err(Error::Validation(_))
    ));
    assert_eq!(
        mock.calls_of(SHOW_INSTANCE).len(),
        2,
        "the invalid call is not sent"
    );
}
