//! Wire-level tests of the generated DRS v5 client against a local mock server.
//!
//! Every request body, success reply and error body comes from `spec/drs.yaml`,
//! looked up by `operationId` and example name, so the tests follow the spec. Each
//! test checks what goes over the wire (request line, AK/SK-signed headers, JSON
//! body) and what the client makes of the reply (decoded fields and enums, `Error`
//! variants).

use std::collections::BTreeSet;
use std::sync::LazyLock;
use std::time::Duration;

use huaweicloud_sdk_drs::{self as drs, Config, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, Spec, aksk_config, assert_api_error, assert_config_hides_sk, assert_hidden,
    assert_json_body, assert_no_body, assert_nothing_sent, assert_region_table,
    assert_request_line, assert_signed_request, assert_unknown_region, assert_validation, bounded,
    endpoint_for, expect_ok, json_media, model_from_example, mount_error, only_request,
    query_pairs, received, received_queries, signed_mock,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, query_param, query_param_is_missing};
use wiremock::{MockServer, ResponseTemplate};

static SPEC: LazyLock<Spec> = LazyLock::new(|| Spec::load("drs.yaml"));

const UPDATE_BATCH_ASYNC_JOBS: &str = "update_batch_async_jobs";
const CREATE_JOB: &str = "create_job";
/// The batch id of the page's example.
const ASYNC_JOB_ID: &str = "bd4193aa-072d-4ce6-beec-adffc7252341";

fn client(config: &Config) -> drs::Client {
    drs::Client::new(config).unwrap_or_else(|e| panic!("building the DRS client failed: {e}"))
}

fn endpoint_of(config: &Config) -> Result<String, Error> {
    drs::Client::new(config).map(|c| c.endpoint().to_owned())
}

/// The typed model of `example` after `edit`, without the round-trip check (an
/// edit may put in values the model keeps as `Unknown`).
fn edited<T: serde::de::DeserializeOwned>(example: &Value, edit: impl FnOnce(&mut Value)) -> T {
    let mut value = example.clone();
    edit(&mut value);
    serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("the edited example does not decode: {e}"))
}

/// The spec's one error reply body of `id` (a 400 `ErrorResp`).
fn bad_request_body(id: &str) -> (u16, Value) {
    let errors = SPEC.error_responses(id);
    let [declared] = errors.as_slice() else {
        panic!("{id} should declare one error response, has {errors:?}");
    };
    assert_eq!(
        (declared.status, declared.schema.as_str()),
        (400, "ErrorResp"),
        "{id}'s error response"
    );
    let body = declared
        .example
        .clone()
        .unwrap_or_else(|| panic!("{id}: the 400 reply has no example"));
    let fields: BTreeSet<String> = body
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(fields, declared.properties, "fields of the 400 example");
    (declared.status, body)
}

// ---------------------------------------------------------------------------
// update_batch_async_jobs: PUT /v5/{project_id}/batch-async-jobs/{async_job_id}
// ---------------------------------------------------------------------------

fn batch_path(async_job_id_encoded: &str) -> String {
    SPEC.assert_route(
        UPDATE_BATCH_ASYNC_JOBS,
        "PUT",
        "/v5/{project_id}/batch-async-jobs/{async_job_id}",
    );
    format!("/v5/{PROJECT_ID}/batch-async-jobs/{async_job_id_encoded}")
}

fn batch_example() -> Value {
    SPEC.request_example(UPDATE_BATCH_ASYNC_JOBS, "update_all_and_endpoint")
}

fn batch_body() -> (Value, models::BatchAsyncUpdateJobReq) {
    let example = batch_example();
    let body = model_from_example(&example, "update_batch_async_jobs request");
    (example, body)
}

fn batch_reply() -> Value {
    SPEC.success_example(UPDATE_BATCH_ASYNC_JOBS, "accepted")
}

#[tokio::test]
async fn update_batch_async_jobs_sends_spec_example_and_decodes_202() {
    let server = MockServer::start().await;
    let route = batch_path(ASYNC_JOB_ID);
    let (example, body) = batch_body();
    let status = SPEC.success_status(UPDATE_BATCH_ASYNC_JOBS);
    assert_eq!(status, 202, "the spec documents 202 for this operation");
    assert_eq!(
        SPEC.parameter_names(UPDATE_BATCH_ASYNC_JOBS, "header"),
        BTreeSet::from(["Content-Type", "X-Auth-Token", "X-Language"].map(str::to_owned)),
        "the header parameters the spec declares"
    );

    // The typed request holds what the example says.
    let [all, endpoint] = body.jobs.as_slice() else {
        panic!("the example has two jobs: {:?}", body.jobs);
    };
    assert_eq!(all.r#type, models::UpdateJobReqType::All, "jobs[0].type");
    assert_eq!(
        endpoint.r#type,
        models::UpdateJobReqType::Endpoint,
        "jobs[1].type"
    );
    let base = all
        .params
        .base_info
        .as_ref()
        .unwrap_or_else(|| panic!("jobs[0].params.base_info"));
    assert_eq!(
        (base.name.as_deref(), base.job_type.as_ref()),
        (
            Some("DRS-1234"),
            Some(&models::JobBaseInfoJobType::from("sync"))
        ),
        "jobs[0].params.base_info"
    );
    assert_eq!(
        base.charging_mode,
        Some(models::JobBaseInfoChargingMode::OnDemand),
        "jobs[0].params.base_info.charging_mode"
    );
    let source = &all.params.source_endpoint.as_deref().unwrap_or_default()[0];
    assert_eq!(
        source
            .endpoint
            .db_password
            .as_ref()
            .map(huaweicloud_sdk_drs::Secret::expose),
        Some("******"),
        "the password is the example's"
    );
    assert_eq!(
        source.endpoint.endpoint_name,
        models::BaseEndpointEndpointName::Oracle,
        "jobs[0].params.source_endpoint[0].endpoint.endpoint_name"
    );

    let content_type = SPEC.body_content_type(UPDATE_BATCH_ASYNC_JOBS);

    signed_mock("PUT", &route)
        .and(header("Content-Type", content_type.as_str()))
        .and(header("X-Language", "zh-cn"))
        .and(body_json(&example))
        .respond_with(ResponseTemplate::new(status).set_body_json(batch_reply()))
        .expect(1)
        .named("update_batch_async_jobs success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .update_batch_async_jobs(ASYNC_JOB_ID, body)
            .x_language(models::XLanguage::ZhCn),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "PUT", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_json_body(&request, &example);

    let reply = expect_ok(result, UPDATE_BATCH_ASYNC_JOBS);
    let [ok, failed] = reply.jobs.as_slice() else {
        panic!("the reply has two jobs: {:?}", reply.jobs);
    };
    assert_eq!(
        (ok.id.as_str(), ok.name.as_str()),
        ("c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r", "DRS-1234"),
        "jobs[0]"
    );
    assert_eq!(
        ok.status,
        models::AsyncUpdateJobRespStatus::Success,
        "jobs[0].status"
    );
    assert_eq!(
        (ok.error_code.as_deref(), ok.error_msg.as_deref()),
        (None, None),
        "jobs[0] has no error"
    );
    assert_eq!(
        failed.status,
        models::AsyncUpdateJobRespStatus::Failed,
        "jobs[1].status"
    );
    assert_eq!(failed.name, "DRS-2345", "jobs[1].name");
    assert_eq!(
        (failed.error_code.as_deref(), failed.error_msg.as_deref()),
        (
            Some("DRS.10000010"),
            Some("Job does not exist, please check job ID")
        ),
        "jobs[1] error"
    );
}

#[tokio::test]
async fn update_batch_async_jobs_without_x_language_sends_no_such_header() {
    let server = MockServer::start().await;
    let route = batch_path(ASYNC_JOB_ID);
    let (example, body) = batch_body();
    signed_mock("PUT", &route)
        .and(body_json(&example))
        .respond_with(ResponseTemplate::new(202).set_body_json(batch_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result =
        bounded(client(&aksk_config(&server)).update_batch_async_jobs(ASYNC_JOB_ID, body)).await;

    let request = only_request(&server).await;
    let signed = assert_signed_request(&request, &[]);
    assert_eq!(
        request.headers.get("X-Language"),
        None,
        "no X-Language unless set"
    );
    assert!(!signed.iter().any(|n| n == "x-language"), "{signed:?}");
    expect_ok(result, UPDATE_BATCH_ASYNC_JOBS);
}

#[tokio::test]
async fn update_batch_async_jobs_percent_encodes_async_job_id_as_one_segment() {
    let server = MockServer::start().await;
    // No source constrains async_job_id, so any text is legal input.
    let raw_id = "a/b c?#%é";
    let route = batch_path("a%2Fb%20c%3F%23%25%C3%A9");
    let (_, body) = batch_body();
    signed_mock("PUT", &route)
        .respond_with(ResponseTemplate::new(202).set_body_json(batch_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).update_batch_async_jobs(raw_id, body)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "PUT", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(4),
        "the path keeps its 4 segments"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, UPDATE_BATCH_ASYNC_JOBS);
}

#[tokio::test]
async fn update_batch_async_jobs_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = batch_path(ASYNC_JOB_ID);
    let (status, error) = bad_request_body(UPDATE_BATCH_ASYNC_JOBS);
    mount_error(&server, "PUT", &route, status, &error).await;

    let (_, body) = batch_body();
    let result = bounded(
        client(&aksk_config(&server))
            .update_batch_async_jobs(ASYNC_JOB_ID, body)
            .x_language("en-us"),
    )
    .await;

    let raw = assert_api_error(result, &server, UPDATE_BATCH_ASYNC_JOBS, status, &error);
    let typed: models::ErrorResp = serde_json::from_str(&raw)
        .unwrap_or_else(|e| panic!("the error body does not decode as ErrorResp: {e}"));
    assert_eq!(
        (typed.error_code.as_str(), typed.error_msg.as_str()),
        ("DRS.10000001", "Failed."),
        "ErrorResp"
    );
    let request = only_request(&server).await;
    assert_request_line(&request, "PUT", &route, None);
    assert_signed_request(&request, &["X-Language"]);
}

#[tokio::test]
async fn update_batch_async_jobs_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let example = batch_example();
    let op = UPDATE_BATCH_ASYNC_JOBS;
    let cases: Vec<(&str, &str, models::BatchAsyncUpdateJobReq)> = vec![
        (
            "body.jobs[0].params.base_info.name",
            "minLength 4",
            edited(&example, |b| {
                b["jobs"][0]["params"]["base_info"]["name"] = json!("DRS");
            }),
        ),
        (
            "body.jobs[0].params.base_info.name",
            "pattern",
            edited(&example, |b| {
                b["jobs"][0]["params"]["base_info"]["name"] = json!("DRS 1234");
            }),
        ),
        (
            "body.jobs[0].params.speed_limit[0].end",
            "pattern",
            edited(&example, |b| {
                b["jobs"][0]["params"]["speed_limit"][0]["end"] = json!("15:58");
            }),
        ),
        (
            "body.jobs[0].params.alarm_notify.delay_time",
            "maximum 3600",
            edited(&example, |b| {
                b["jobs"][0]["params"]["alarm_notify"]["delay_time"] = json!(3601);
            }),
        ),
        (
            "body.jobs[1].params.target_endpoint[0].endpoint.db_port",
            "pattern",
            edited(&example, |b| {
                b["jobs"][1]["params"]["target_endpoint"][0]["endpoint"]["db_port"] = json!("0");
            }),
        ),
        (
            "body.jobs[1].type",
            "enum",
            edited(&example, |b| b["jobs"][1]["type"] = json!("everything")),
        ),
        (
            r#"body.jobs[0].params.db_object.object_info["source_db1"].tables["source_tb2"].type"#,
            "enum",
            edited(&example, |b| {
                b["jobs"][0]["params"]["db_object"]["object_info"]["source_db1"]["tables"]["source_tb2"]
                    ["type"] = json!("index");
            }),
        ),
    ];
    for (field, rule, body) in cases {
        let result = bounded(drs.update_batch_async_jobs(ASYNC_JOB_ID, body)).await;
        assert_validation(result, op, field, rule);
    }

    let result = bounded(
        drs.update_batch_async_jobs(ASYNC_JOB_ID, batch_body().1)
            .x_language("fr-fr"),
    )
    .await;
    let error = assert_validation(result, op, "X-Language", "enum");
    assert!(
        error.message.contains("en-us") && error.message.contains("zh-cn"),
        "the message lists the allowed languages: {error:?}"
    );

    let result = bounded(drs.update_batch_async_jobs("", batch_body().1)).await;
    assert_validation(result, op, "async_job_id", "non-empty");

    assert_nothing_sent(&server, "invalid update_batch_async_jobs input").await;

    // The boundaries pass: 4-character name, 1 and 65535 as ports, 3600 s.
    let route = batch_path(ASYNC_JOB_ID);
    signed_mock("PUT", &route)
        .respond_with(ResponseTemplate::new(202).set_body_json(batch_reply()))
        .expect(1)
        .mount(&server)
        .await;
    let body: models::BatchAsyncUpdateJobReq = edited(&example, |b| {
        b["jobs"][0]["params"]["base_info"]["name"] = json!("D-_1");
        b["jobs"][0]["params"]["alarm_notify"]["delay_time"] = json!(3600);
        b["jobs"][0]["params"]["source_endpoint"][0]["endpoint"]["db_port"] = json!("65535");
        b["jobs"][1]["params"]["source_endpoint"][0]["endpoint"]["db_port"] = json!("1");
    });
    expect_ok(
        bounded(drs.update_batch_async_jobs(ASYNC_JOB_ID, body)).await,
        op,
    );
}

#[tokio::test]
async fn update_batch_async_jobs_secrets_reach_the_wire_but_not_debug_output() {
    let server = MockServer::start().await;
    let route = batch_path(ASYNC_JOB_ID);
    let secrets = [
        "src-Pa55word-71e2",
        "dst-Pa55word-9c04",
        "cert-Pa55word-33aa",
        "users-Pa55word-5d1f",
        "alice-Pa55word-0b7e",
    ];
    let mut example = batch_example();
    let params = &mut example["jobs"][0]["params"];
    params["source_endpoint"][0]["endpoint"]["db_password"] = json!(secrets[0]);
    params["target_endpoint"][0]["endpoint"]["db_password"] = json!(secrets[1]);
    params["source_endpoint"][0]["ssl"]["ssl_cert_password"] = json!(secrets[2]);
    params["user_migration"] = json!({
        "is_migrate_user": true,
        "is_set_password": true,
        "password": secrets[3],
        "user_list": [{ "id": "u1", "account": "alice", "password": secrets[4] }],
    });
    let body: models::BatchAsyncUpdateJobReq =
        model_from_example(&example, "update_batch_async_jobs request with secrets");
    let builder = client(&aksk_config(&server))
        .update_batch_async_jobs(ASYNC_JOB_ID, body.clone())
        .x_language("en-us");
    let shown_body = format!("{body:?}");
    let shown_builder = format!("{builder:?}");
    for secret in secrets {
        assert_hidden(&shown_body, secret, "ORACLE_USER", "Debug of the body");
        assert_hidden(
            &shown_builder,
            secret,
            "ORACLE_USER",
            "Debug of the builder",
        );
    }

    signed_mock("PUT", &route)
        .and(body_json(&example))
        .respond_with(ResponseTemplate::new(202).set_body_json(batch_reply()))
        .expect(1)
        .mount(&server)
        .await;
    let result = bounded(builder).await;
    let request = only_request(&server).await;
    assert_json_body(&request, &example);
    expect_ok(result, UPDATE_BATCH_ASYNC_JOBS);

    // A secret that breaks its rule is reported without its value.
    let body: models::BatchAsyncUpdateJobReq = edited(&example, |b| {
        b["jobs"][0]["params"]["user_migration"]["password"] = json!("");
    });
    let result =
        bounded(client(&aksk_config(&server)).update_batch_async_jobs(ASYNC_JOB_ID, body)).await;
    let error = assert_validation(
        result,
        UPDATE_BATCH_ASYNC_JOBS,
        "body.jobs[0].params.user_migration.password",
        "minLength 1",
    );
    for secret in secrets {
        assert!(
            !format!("{error:?}").contains(secret),
            "the validation error shows a secret"
        );
    }
}

// ---------------------------------------------------------------------------
// create_job: POST /v5/{project_id}/jobs
// ---------------------------------------------------------------------------

fn jobs_path() -> String {
    SPEC.assert_route(CREATE_JOB, "POST", "/v5/{project_id}/jobs");
    format!("/v5/{PROJECT_ID}/jobs")
}

fn job_example() -> Value {
    SPEC.request_example(CREATE_JOB, "oracle_to_gaussdb_distributed_sync")
}

fn job_body() -> (Value, models::SingleCreateJobReq) {
    let example = job_example();
    let body = model_from_example(&example, "create_job request");
    (example, body)
}

#[tokio::test]
async fn create_job_sends_spec_example_and_decodes_job() {
    let server = MockServer::start().await;
    let route = jobs_path();
    let (example, body) = job_body();
    let status = SPEC.success_status(CREATE_JOB);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    assert_eq!(
        body.job.node_info.spec.node_type,
        models::JobNodeSpecInfoNodeType::from("medium"),
        "job.node_info.spec.node_type"
    );
    assert_eq!(
        body.job.target_endpoint[0].db_type,
        models::JobEndpointInfoDbType::Gaussdbv5,
        "job.target_endpoint[0].db_type"
    );
    assert_eq!(
        body.job.target_endpoint[0]
            .cloud
            .as_ref()
            .map(|c| c.region.as_str()),
        Some("cn-north-4"),
        "job.target_endpoint[0].cloud.region"
    );
    let content_type = SPEC.body_content_type(CREATE_JOB);
    signed_mock("POST", &route)
        .and(header("Content-Type", content_type.as_str()))
        .and(header("X-Language", "en-us"))
        .and(body_json(&example))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(SPEC.success_example(CREATE_JOB, "creating")),
        )
        .expect(1)
        .named("create_job success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let drs = client(&config);
    assert_config_hides_sk(&config, &drs);
    let result = bounded(drs.create_job(body).x_language(models::XLanguage::EnUs)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_json_body(&request, &example);

    let reply = expect_ok(result, CREATE_JOB);
    let job = reply
        .job
        .unwrap_or_else(|| panic!("the reply's `job` was not decoded"));
    assert_eq!(job.id, "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r", "job.id");
    assert_eq!(job.name, "DRS-1234", "job.name");
    assert_eq!(job.status, "CREATING", "job.status");
    assert_eq!(job.create_time, "2022-11-07T16:15:18Z", "job.create_time");
    assert_eq!(job.is_clone_job, None, "job.is_clone_job is absent");
}

#[tokio::test]
async fn create_job_sends_every_spec_request_example_and_decodes_every_reply() {
    let requests = SPEC.request_examples(CREATE_JOB);
    let replies = SPEC.success_examples(CREATE_JOB);
    let names: Vec<&str> = requests.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names.len(),
        2,
        "the spec has two create_job request examples: {names:?}"
    );
    assert_eq!(replies.len(), 2, "and two reply examples");
    for ((name, example), (reply_name, reply)) in requests.iter().zip(&replies) {
        let server = MockServer::start().await;
        let route = jobs_path();
        let body: models::SingleCreateJobReq = model_from_example(example, name);
        signed_mock("POST", &route)
            .and(body_json(example))
            .respond_with(ResponseTemplate::new(200).set_body_json(reply))
            .expect(1)
            .named(name.as_str())
            .mount(&server)
            .await;

        let result = bounded(client(&aksk_config(&server)).create_job(body)).await;

        let request = only_request(&server).await;
        assert_signed_request(&request, &[]);
        assert_json_body(&request, example);
        let job = expect_ok(result, CREATE_JOB)
            .job
            .unwrap_or_else(|| panic!("{reply_name}: no job"));
        assert_eq!(
            Some(job.id.as_str()),
            reply["job"]["id"].as_str(),
            "{reply_name}: job.id"
        );
        assert_eq!(
            job.is_clone_job.as_deref(),
            reply["job"]["is_clone_job"].as_str(),
            "{reply_name}: job.is_clone_job"
        );
    }
    // The second request example binds a public IP, the second reply has the flag.
    let with_ip: models::SingleCreateJobReq = model_from_example(
        &SPEC.request_example(CREATE_JOB, "with_public_ip"),
        "with_public_ip",
    );
    let ips = with_ip.job.public_ip_list.unwrap_or_default();
    assert_eq!(ips.len(), 1, "public_ip_list");
    assert_eq!(
        (ips[0].id.as_str(), &ips[0].r#type),
        (
            "018d9e56-26d5-455a-97dc-e6f5f44a2cbd",
            &models::PublicIpConfigType::Master
        ),
        "public_ip_list[0]"
    );
}

#[tokio::test]
async fn create_job_maps_400_to_api_error() {
    let server = MockServer::start().await;
    let route = jobs_path();
    let (status, error) = bad_request_body(CREATE_JOB);
    mount_error(&server, "POST", &route, status, &error).await;

    let (_, body) = job_body();
    let result = bounded(client(&aksk_config(&server)).create_job(body)).await;

    assert_api_error(result, &server, CREATE_JOB, status, &error);
    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route, None);
    assert_signed_request(&request, &[]);
}

#[tokio::test]
async fn create_job_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let example = job_example();
    let eleven_tags: Vec<Value> = (0..11)
        .map(|i| json!({ "key": format!("k{i}"), "value": "v" }))
        .collect();
    let cases: Vec<(&str, &str, models::SingleCreateJobReq)> = vec![
        (
            "body.job.base_info.expired_days",
            "pattern",
            edited(&example, |b| {
                b["job"]["base_info"]["expired_days"] = json!("13")
            }),
        ),
        (
            "body.job.base_info.expired_days",
            "pattern",
            edited(&example, |b| {
                b["job"]["base_info"]["expired_days"] = json!("101")
            }),
        ),
        (
            "body.job.base_info.description",
            "pattern",
            edited(&example, |b| {
                b["job"]["base_info"]["description"] = json!("a <b> task");
            }),
        ),
        (
            "body.job.base_info.tags",
            "maxItems 10",
            edited(&example, |b| {
                b["job"]["base_info"]["tags"] = json!(eleven_tags)
            }),
        ),
        (
            "body.job.base_info.tags[0].key",
            "maxLength 36",
            edited(&example, |b| {
                b["job"]["base_info"]["tags"][0]["key"] = json!("k".repeat(37));
            }),
        ),
        (
            "body.job.source_endpoint[0].endpoint.db_port",
            "pattern",
            edited(&example, |b| {
                b["job"]["source_endpoint"][0]["endpoint"]["db_port"] = json!("65536");
            }),
        ),
        (
            "body.job.node_info.spec.node_type",
            "enum",
            edited(&example, |b| {
                b["job"]["node_info"]["spec"]["node_type"] = json!("huge")
            }),
        ),
    ];
    for (field, rule, body) in cases {
        assert_validation(bounded(drs.create_job(body)).await, CREATE_JOB, field, rule);
    }
    assert_nothing_sent(&server, "invalid create_job input").await;

    // The boundaries pass: 14 and 100 days, 10 tags, a 36-character key.
    let route = jobs_path();
    signed_mock("POST", &route)
        .respond_with(
            ResponseTemplate::new(200).set_body_json(SPEC.success_example(CREATE_JOB, "creating")),
        )
        .expect(2)
        .mount(&server)
        .await;
    for days in ["14", "100"] {
        let body: models::SingleCreateJobReq = edited(&example, |b| {
            b["job"]["base_info"]["expired_days"] = json!(days);
            b["job"]["base_info"]["tags"] = json!(eleven_tags[..10]);
            b["job"]["base_info"]["tags"][0]["key"] = json!("k".repeat(36));
        });
        expect_ok(bounded(drs.create_job(body)).await, CREATE_JOB);
    }
}

// ---------------------------------------------------------------------------
// Task lifecycle operations: shared helpers
// ---------------------------------------------------------------------------

const SHOW_JOB_DETAIL: &str = "show_job_detail";
const LIST_JOBS: &str = "list_jobs";
const EXECUTE_JOB_ACTION: &str = "execute_job_action";
const DELETE_JOB: &str = "delete_job";
const LIST_ASYNC_JOB_DETAIL: &str = "list_async_job_detail";
/// The task id of the spec's examples.
const JOB_ID: &str = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r";

/// The decoded query parameter names a received request carries.
fn query_names(request: &wiremock::Request) -> BTreeSet<String> {
    query_pairs(request).into_iter().map(|(k, _)| k).collect()
}

/// The value of the example `example` of the query parameter `name` of `id`.
fn parameter_example(id: &str, name: &str, example: &str) -> Value {
    SPEC.parameters(id, "query")
        .into_iter()
        .find(|p| p["name"].as_str() == Some(name))
        .and_then(|p| p["examples"][example].get("value").cloned())
        .unwrap_or_else(|| panic!("{id}: query parameter {name} has no example {example}"))
}

/// Every example of every error response `id` declares, with its status. Each
/// is an `ErrorResp` with exactly the schema's fields.
fn declared_error_examples(id: &str) -> Vec<(u16, String, Value)> {
    let mut out = Vec::new();
    for declared in SPEC.error_responses(id) {
        assert_eq!(
            declared.schema, "ErrorResp",
            "{id}: the {} reply's schema",
            declared.status_key
        );
        assert!(
            !declared.examples.is_empty(),
            "{id}: the {} reply has no example",
            declared.status_key
        );
        for (name, body) in declared.examples {
            let fields: BTreeSet<String> = body
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            assert_eq!(
                fields, declared.properties,
                "{id}: fields of the {} example {name}",
                declared.status_key
            );
            out.push((declared.status, name, body));
        }
    }
    out
}

/// Mounts each declared error example of `id` (see [`declared_error_examples`])
/// for `http_method route` on a fresh server, makes the call, and checks that
/// it is the `Error::Api` of that reply and that the request was signed.
/// Returns the examples' `(status, error_code, error_msg)`.
async fn assert_each_declared_error<B, T>(
    id: &str,
    http_method: &str,
    route: &str,
    call: impl Fn(drs::Client) -> B,
) -> Vec<(u16, String, String)>
where
    B: std::future::IntoFuture<Output = Result<T, Error>>,
    T: std::fmt::Debug,
{
    let mut seen = Vec::new();
    for (status, name, body) in declared_error_examples(id) {
        let server = MockServer::start().await;
        mount_error(&server, http_method, route, status, &body).await;

        let result = bounded(call(client(&aksk_config(&server)))).await;

        let raw = assert_api_error(result, &server, id, status, &body);
        let typed: models::ErrorResp = serde_json::from_str(&raw)
            .unwrap_or_else(|e| panic!("{id} {name}: the body does not decode as ErrorResp: {e}"));
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), http_method, "{id} {name}");
        assert_eq!(request.url.path(), route, "{id} {name}");
        assert_signed_request(&request, &[]);
        seen.push((status, typed.error_code, typed.error_msg));
    }
    seen
}

/// The `summary` of the request example `name` of `id`.
fn request_example_summary(id: &str, name: &str) -> String {
    json_media(&SPEC.operation(id).op["requestBody"]["content"])["examples"][name]["summary"]
        .as_str()
        .unwrap_or_else(|| panic!("{id}: request example {name} has no summary"))
        .to_owned()
}

// ---------------------------------------------------------------------------
// show_job_detail: GET /v5/{project_id}/jobs/{job_id}?type=...
// ---------------------------------------------------------------------------

fn job_path(job_id_encoded: &str) -> String {
    SPEC.assert_route(SHOW_JOB_DETAIL, "GET", "/v5/{project_id}/jobs/{job_id}");
    SPEC.assert_route(DELETE_JOB, "DELETE", "/v5/{project_id}/jobs/{job_id}");
    format!("/v5/{PROJECT_ID}/jobs/{job_id_encoded}")
}

fn detail_reply() -> Value {
    SPEC.success_example(SHOW_JOB_DETAIL, "detail")
}

#[tokio::test]
async fn show_job_detail_sends_type_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = job_path(JOB_ID);
    let status = SPEC.success_status(SHOW_JOB_DETAIL);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    assert_eq!(
        SPEC.parameter_names(SHOW_JOB_DETAIL, "header"),
        BTreeSet::from(["Content-Type", "X-Auth-Token", "X-Language"].map(str::to_owned)),
        "the header parameters the spec declares"
    );
    let expected: models::ShowJobDetailResponse =
        model_from_example(&detail_reply(), "show_job_detail 200 detail");
    signed_mock("GET", &route)
        .and(query_param("type", "detail"))
        .and(header("Content-Type", "application/json"))
        .and(header("X-Language", "en-us"))
        .respond_with(ResponseTemplate::new(status).set_body_json(detail_reply()))
        .expect(1)
        .named("show_job_detail success")
        .mount(&server)
        .await;

    let config = aksk_config(&server);
    let drs = client(&config);
    assert_config_hides_sk(&config, &drs);
    let result = bounded(
        drs.show_job_detail(JOB_ID, models::Type::Detail)
            .x_language(models::XLanguage::EnUs),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("type=detail"));
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);

    let reply = expect_ok(result, SHOW_JOB_DETAIL);
    assert_eq!(reply, expected, "the reply is the spec example's model");
    let job = reply.job;
    assert_eq!(job.id.as_deref(), Some(JOB_ID), "job.id");
    assert_eq!(
        job.status,
        Some(models::JobDetailRespStatus::Configuration),
        "job.status"
    );
    assert_eq!(
        job.create_time.as_deref(),
        Some("2022-11-07T16:15:18Z"),
        "job.create_time"
    );
    let base = job
        .base_info
        .unwrap_or_else(|| panic!("job.base_info was not decoded"));
    assert_eq!(
        (base.name.as_deref(), base.expired_days.as_deref()),
        (Some("DRS-1234"), Some("14")),
        "job.base_info name and expired_days (text, as the note corrects it)"
    );
    assert_eq!(
        base.job_type,
        Some(models::JobBaseInfoJobType::Sync),
        "job.base_info.job_type"
    );
    let sources = job.source_endpoint.unwrap_or_default();
    assert_eq!(sources.len(), 1, "job.source_endpoint");
    assert_eq!(
        sources[0].endpoint.db_port.as_deref(),
        Some("1521"),
        "job.source_endpoint[0].endpoint.db_port"
    );
    assert_eq!(
        sources[0].endpoint.db_password, None,
        "db_password is writeOnly and not returned"
    );
    let targets = job.target_endpoint.unwrap_or_default();
    assert_eq!(
        targets.first().map(|t| (
            &t.db_type,
            t.endpoint.instance_id.as_deref(),
            t.cloud.as_ref().map(|c| c.region.as_str())
        )),
        Some((
            &models::JobEndpointInfoDbType::Gaussdbv5,
            Some("c2c7579bc09c490b9d8009db715aeb0ain14"),
            Some("cn-north-4")
        )),
        "job.target_endpoint[0]"
    );
    let limits = job.speed_limit.unwrap_or_default();
    assert_eq!(
        limits
            .first()
            .map(|l| (l.begin.as_str(), l.end.as_str(), l.speed.as_str())),
        Some(("16:00", "15:59", "10")),
        "job.speed_limit[0]"
    );
}

#[tokio::test]
async fn show_job_detail_sends_each_api_explorer_example_url() {
    // The three example URLs of the spec's parameter examples: type=detail;
    // type=log&offset=0&limit=10; type=is_writable&query_id=...
    let detail = parameter_example(SHOW_JOB_DETAIL, "type", "detail");
    let log = parameter_example(SHOW_JOB_DETAIL, "type", "log");
    let writable = parameter_example(SHOW_JOB_DETAIL, "type", "is_writable");
    let offset = parameter_example(SHOW_JOB_DETAIL, "offset", "first_page");
    let limit = parameter_example(SHOW_JOB_DETAIL, "limit", "ten");
    let query_id = parameter_example(SHOW_JOB_DETAIL, "query_id", "set_writable_result");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let number = |v: &Value| {
        v.as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or_else(|| panic!("not an int32 example: {v}"))
    };
    let route = job_path(JOB_ID);
    let cases = [
        ("type=detail".to_owned(), text(&detail), None, None),
        (
            format!(
                "limit={}&offset={}&type={}",
                number(&limit),
                number(&offset),
                text(&log)
            ),
            text(&log),
            Some((number(&offset), number(&limit))),
            None,
        ),
        (
            format!("query_id={}&type={}", text(&query_id), text(&writable)),
            text(&writable),
            None,
            Some(text(&query_id)),
        ),
    ];
    assert_eq!(
        cases.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        [
            "type=detail",
            "limit=10&offset=0&type=log",
            "query_id=83d14cec-09b7-43bc-96d3-698de4f48c4b&type=is_writable"
        ],
        "the example URLs of the spec"
    );
    for (query, detail_type, paging, query_id) in cases {
        let server = MockServer::start().await;
        signed_mock("GET", &route)
            .and(query_param("type", detail_type.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(detail_reply()))
            .expect(1)
            .named(query.clone())
            .mount(&server)
            .await;
        let mut call = client(&aksk_config(&server)).show_job_detail(JOB_ID, detail_type.as_str());
        if let Some((offset, limit)) = paging {
            call = call.offset(offset).limit(limit);
        }
        if let Some(query_id) = query_id {
            call = call.query_id(query_id);
        }

        let result = bounded(call).await;

        let request = only_request(&server).await;
        assert_request_line(&request, "GET", &route, Some(query.as_str()));
        assert_signed_request(&request, &[]);
        expect_ok(result, SHOW_JOB_DETAIL);
    }
}

#[tokio::test]
async fn show_job_detail_sends_every_optional_query_parameter() {
    let server = MockServer::start().await;
    let route = job_path(JOB_ID);
    signed_mock("GET", &route)
        .and(query_param("type", "compare"))
        .respond_with(ResponseTemplate::new(200).set_body_json(detail_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .show_job_detail(JOB_ID, models::Type::Compare)
            .query_id("q-1")
            .offset(20)
            .limit(5)
            .compare_type(models::CompareType::DataCompare)
            .query_type(models::QueryType::UpgradeJob)
            .object_type(models::ObjectType::Table)
            .compare_task_id("ct-9")
            .source_db_name("src db")
            .target_db_name("dst/db")
            .compare_detail_type(models::CompareDetailType::Uncompare)
            .log_level(models::LogLevel::Warn)
            .x_language(models::XLanguage::ZhCn),
    )
    .await;

    let request = only_request(&server).await;
    // Sorted by name, as signed; values percent-encoded.
    assert_request_line(
        &request,
        "GET",
        &route,
        Some(
            "compare_detail_type=uncompare&compare_task_id=ct-9&compare_type=data_compare\
             &limit=5&log_level=Warn&object_type=TABLE&offset=20&query_id=q-1\
             &query_type=upgradeJob&source_db_name=src%20db&target_db_name=dst%2Fdb&type=compare",
        ),
    );
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(SHOW_JOB_DETAIL, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &["X-Language"]);
    expect_ok(result, SHOW_JOB_DETAIL);
}

#[tokio::test]
async fn show_job_detail_decodes_the_replies_of_other_detail_types() {
    // One reply object for every type: a connection test, the writable state
    // and logs each fill other members of the same model.
    let route = job_path(JOB_ID);
    let replies = [
        (
            models::Type::Network,
            json!({"job": {"id": JOB_ID, "network_results": [
                {"ip": "192.168.0.1", "success": false, "status": "failed",
                 "error_code": "DRS.M00101", "error_msg": "The target port is closed."}
            ]}}),
        ),
        (
            models::Type::IsWritable,
            json!({"job": {"id": JOB_ID, "is_writable": "pending"}}),
        ),
        (
            models::Type::Log,
            json!({"job": {"id": JOB_ID, "total_count": 1, "logs": [
                {"level": "Warn", "message": "slow apply", "create_time": "2022-11-07T16:20:00Z"}
            ]}}),
        ),
    ];
    for (detail_type, body) in replies {
        let server = MockServer::start().await;
        signed_mock("GET", &route)
            .and(query_param("type", detail_type.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .expect(1)
            .mount(&server)
            .await;
        let expected: models::ShowJobDetailResponse =
            model_from_example(&body, detail_type.as_str());

        let job = expect_ok(
            bounded(client(&aksk_config(&server)).show_job_detail(JOB_ID, detail_type.clone()))
                .await,
            SHOW_JOB_DETAIL,
        );
        assert_eq!(job, expected, "type {detail_type}");
        let job = job.job;
        match detail_type {
            models::Type::Network => {
                let results = job.network_results.unwrap_or_default();
                assert_eq!(
                    results
                        .first()
                        .map(|r| (r.success, &r.status, r.error_code.as_deref())),
                    Some((
                        false,
                        &models::QueryNetworkResultStatus::Failed,
                        Some("DRS.M00101")
                    )),
                    "job.network_results[0]"
                );
            }
            models::Type::IsWritable => assert_eq!(
                job.is_writable,
                Some(models::JobDetailRespIsWritable::Pending),
                "job.is_writable"
            ),
            _ => {
                assert_eq!(job.total_count, Some(1), "job.total_count");
                assert_eq!(
                    job.logs
                        .unwrap_or_default()
                        .first()
                        .and_then(|l| l.message.clone()),
                    Some("slow apply".to_owned()),
                    "job.logs[0].message"
                );
            }
        }
        assert_eq!(job.base_info, None, "members of other types are absent");
    }
}

#[tokio::test]
async fn show_job_detail_maps_each_declared_error_to_api_error() {
    let route = job_path(JOB_ID);
    let seen = assert_each_declared_error(SHOW_JOB_DETAIL, "GET", &route, |drs| {
        drs.show_job_detail(JOB_ID, "detail")
    })
    .await;
    assert_eq!(
        seen,
        [
            (
                400,
                "DRS.10000010".to_owned(),
                "Job does not exist, please check job ID.".to_owned()
            ),
            // ExecuteJobAction's spelling (lower case), as API Explorer gives it.
            (
                400,
                "DRS.10000010".to_owned(),
                "Job does not exist, please check job id.".to_owned()
            ),
        ],
        "both 400 examples of BadRequestJobNotFound"
    );
}

#[tokio::test]
async fn show_job_detail_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let op = SHOW_JOB_DETAIL;
    let cases = [
        ("type", "enum", drs.show_job_detail(JOB_ID, "details")),
        (
            "compare_type",
            "enum",
            drs.show_job_detail(JOB_ID, "compare")
                .compare_type("row_compare"),
        ),
        (
            "query_type",
            "enum",
            drs.show_job_detail(JOB_ID, "compare").query_type("summary"),
        ),
        (
            "object_type",
            "enum",
            drs.show_job_detail(JOB_ID, "compare").object_type("table"),
        ),
        (
            "compare_detail_type",
            "enum",
            drs.show_job_detail(JOB_ID, "compare")
                .compare_detail_type("all"),
        ),
        (
            "log_level",
            "enum",
            drs.show_job_detail(JOB_ID, "log").log_level("Debug"),
        ),
        (
            "X-Language",
            "enum",
            drs.show_job_detail(JOB_ID, "detail").x_language("fr-fr"),
        ),
        ("job_id", "non-empty", drs.show_job_detail("", "detail")),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid show_job_detail input").await;

    // The values only the SDK documents are allowed too.
    let route = job_path(JOB_ID);
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(detail_reply()))
        .expect(3)
        .mount(&server)
        .await;
    for call in [
        drs.show_job_detail(JOB_ID, "db_table_details"),
        drs.show_job_detail(JOB_ID, "compare")
            .query_type("upgradeJob"),
        drs.show_job_detail(JOB_ID, "log").log_level("Error"),
    ] {
        expect_ok(bounded(call).await, op);
    }
    let queries = received_queries(&server).await;
    assert_eq!(
        queries,
        [
            "type=db_table_details",
            "query_type=upgradeJob&type=compare",
            "log_level=Error&type=log"
        ],
        "the values are sent as given"
    );
}

// ---------------------------------------------------------------------------
// list_jobs: GET /v5/{project_id}/jobs?job_type=...
// ---------------------------------------------------------------------------

fn list_jobs_reply() -> Value {
    SPEC.success_example(LIST_JOBS, "one_task")
}

#[tokio::test]
async fn list_jobs_sends_only_job_type_and_decodes_spec_example() {
    let server = MockServer::start().await;
    SPEC.assert_route(LIST_JOBS, "GET", "/v5/{project_id}/jobs");
    let route = jobs_path();
    let status = SPEC.success_status(LIST_JOBS);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListJobsResponse =
        model_from_example(&list_jobs_reply(), "list_jobs 200 one_task");
    signed_mock("GET", &route)
        .and(query_param("job_type", "migration"))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status).set_body_json(list_jobs_reply()))
        .expect(1)
        .named("list_jobs success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .list_jobs(models::JobType::Migration)
            .x_language("zh-cn"),
    )
    .await;

    let request = only_request(&server).await;
    // The defaults (offset 0, sort by create_time desc, every enterprise
    // project) are the server's: unused filters are left out, not sent empty.
    assert_request_line(&request, "GET", &route, Some("job_type=migration"));
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);

    let reply = expect_ok(result, LIST_JOBS);
    assert_eq!(reply, expected, "the reply is the spec example's model");
    assert_eq!(reply.total_count, 1, "total_count");
    let [job] = reply.jobs.as_slice() else {
        panic!("the example has one job: {:?}", reply.jobs);
    };
    assert_eq!(
        (job.id.as_str(), job.name.as_str(), job.create_time.as_str()),
        (JOB_ID, "DRS-1234", "2022-11-07T16:15:18Z"),
        "jobs[0]"
    );
    assert_eq!(
        job.status,
        models::JobListRespStatus::Configuration,
        "jobs[0].status"
    );
    assert_eq!(
        (&job.engine_type, &job.job_direction, &job.task_type),
        (
            &models::JobListRespEngineType::OracleToGaussdbv5,
            &models::JobListRespJobDirection::Up,
            &models::JobListRespTaskType::FullIncrTrans
        ),
        "jobs[0] engine, direction, task type"
    );
    // The eleven members the example lacks are optional (the note on JobListResp).
    assert_eq!(
        (
            job.description.as_deref(),
            job.net_type.as_ref(),
            job.job_type.as_ref()
        ),
        (None, None, None),
        "jobs[0] members absent from the example"
    );
    let actions = &job.job_action;
    let example_actions = &list_jobs_reply()["jobs"][0]["job_action"];
    assert_eq!(
        actions.available_actions,
        [
            "FREE_RESOURCE",
            "PRE_CHECK",
            "MODIFY_CONFIGURATION",
            "CHANGE"
        ],
        "jobs[0].job_action.available_actions"
    );
    assert_eq!(
        Some(actions.unavailable_actions.len()),
        example_actions["unavailable_actions"]
            .as_array()
            .map(Vec::len),
        "jobs[0].job_action.unavailable_actions"
    );
    assert_eq!(
        actions.current_action, None,
        "jobs[0].job_action.current_action is null"
    );
}

#[tokio::test]
async fn list_jobs_sends_each_job_type() {
    // The spec's three examples (API Explorer's URLs) and the SDK's fourth value.
    let mut job_types: Vec<String> = ["migration", "sync", "disaster_recovery"]
        .iter()
        .map(|e| {
            parameter_example(LIST_JOBS, "job_type", e)
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    job_types.push("replay".to_owned());
    assert_eq!(job_types, ["migration", "sync", "cloudDataGuard", "replay"]);
    let server = MockServer::start().await;
    let route = jobs_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(list_jobs_reply()))
        .expect(4)
        .mount(&server)
        .await;
    let drs = client(&aksk_config(&server));
    for job_type in &job_types {
        expect_ok(bounded(drs.list_jobs(job_type.as_str())).await, LIST_JOBS);
    }
    let requests = received(&server).await;
    let queries: Vec<&str> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [
            "job_type=migration",
            "job_type=sync",
            "job_type=cloudDataGuard",
            "job_type=replay"
        ],
        "job_type is always sent, as given"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn list_jobs_sends_every_filter() {
    let server = MockServer::start().await;
    let route = jobs_path();
    signed_mock("GET", &route)
        .and(query_param("job_type", "cloudDataGuard"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_jobs_reply()))
        .expect(1)
        .mount(&server)
        .await;
    let instance_ids: Vec<String> = serde_json::from_value(parameter_example(
        LIST_JOBS,
        "instance_ids",
        "two_instances",
    ))
    .unwrap_or_else(|e| panic!("the instance_ids example is not a list of text: {e}"));
    let instance_ip = parameter_example(LIST_JOBS, "instance_ip", "loopback");

    let result = bounded(
        client(&aksk_config(&server))
            .list_jobs(models::JobType::CloudDataGuard)
            .name("DRS-1234,DRS-2345")
            .status(models::Status::AllAbnormal)
            .engine_type(models::EngineType::RedisToGaussredis)
            .net_type(models::NetType::Vpn)
            .enterprise_project_id("0")
            .offset(20)
            .limit(10)
            .sort_key(models::SortKey::Name)
            .sort_dir(models::SortDir::Asc)
            .instance_ids(instance_ids)
            .instance_ip(instance_ip.as_str().unwrap_or_default()),
    )
    .await;

    let request = only_request(&server).await;
    // instance_ids is one comma-separated value (the SDK's csv, style form
    // without explode), its commas literal; the commas of the AllAbnormal status
    // and of the name are part of one text value and percent-encoded.
    assert_request_line(
        &request,
        "GET",
        &route,
        Some(
            "engine_type=redis-to-gaussredis&enterprise_project_id=0&instance_ids=id1,id2\
             &instance_ip=127.0.0.1&job_type=cloudDataGuard&limit=10&name=DRS-1234%2CDRS-2345\
             &net_type=vpn&offset=20&sort_dir=asc&sort_key=name\
             &status=CREATE_FAILED%2CSTART_JOB_FAILED%2CFULL_TRANSFER_FAILED%2CINCRE_TRANSFER_FAILED\
             %2CRELEASE_RESOURCE_FAILED%2CCHANGE_JOB_FAILED%2CCHILD_TRANSFER_FAILED",
        ),
    );
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(LIST_JOBS, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_eq!(
        query_pairs(&request)
            .iter()
            .filter(|(k, _)| k == "instance_ids")
            .count(),
        1,
        "instance_ids is not repeated (API Explorer's URL 4 repeats it; the SDK does not)"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, LIST_JOBS);
}

#[tokio::test]
async fn list_jobs_pages_keep_the_filters_and_ask_for_ten() {
    let server = MockServer::start().await;
    let route = jobs_path();
    let template = list_jobs_reply()["jobs"][0].clone();
    let ids: Vec<String> = (0..12).map(|i| format!("job-{i:02}")).collect();
    for (page, chunk) in ids.chunks(10).enumerate() {
        let jobs: Vec<Value> = chunk
            .iter()
            .map(|id| {
                let mut job = template.clone();
                job["id"] = json!(id);
                job
            })
            .collect();
        signed_mock("GET", &route)
            .and(query_param("job_type", "sync"))
            .and(query_param("net_type", "eip"))
            .and(query_param("limit", "10"))
            .and(query_param("offset", (page * 10).to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"total_count": ids.len(), "jobs": jobs})),
            )
            .expect(1)
            .named(format!("page {page}"))
            .mount(&server)
            .await;
    }

    let jobs = bounded(
        client(&aksk_config(&server))
            .list_jobs("sync")
            .net_type("eip")
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("paging list_jobs failed: {e}"));

    let seen: Vec<String> = jobs.into_iter().map(|j| j.id).collect();
    assert_eq!(seen, ids, "every task once, in order");
    let requests = received(&server).await;
    let queries: Vec<&str> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        [
            "job_type=sync&limit=10&net_type=eip&offset=0",
            "job_type=sync&limit=10&net_type=eip&offset=10"
        ],
        "pages of 10 from offset 0, the filters on every page"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn list_jobs_maps_each_declared_error_to_api_error() {
    let route = jobs_path();
    let seen =
        assert_each_declared_error(LIST_JOBS, "GET", &route, |drs| drs.list_jobs("sync")).await;
    assert_eq!(
        seen,
        [(400, "DRS.10000001".to_owned(), "Failed.".to_owned())],
        "the 400 example of BadRequest"
    );
}

#[tokio::test]
async fn list_jobs_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let op = LIST_JOBS;
    let eleven: Vec<String> = (0..11).map(|i| format!("id{i}")).collect();
    let cases = [
        ("job_type", "enum", drs.list_jobs("Migration")),
        ("status", "enum", drs.list_jobs("sync").status("RUNNING")),
        // Only the one documented combination of failure states is allowed.
        (
            "status",
            "enum",
            drs.list_jobs("sync")
                .status("CREATE_FAILED,START_JOB_FAILED"),
        ),
        // Not listed for this filter, although task creation allows it.
        (
            "engine_type",
            "enum",
            drs.list_jobs("sync").engine_type("mysql-to-mysql"),
        ),
        ("net_type", "enum", drs.list_jobs("sync").net_type("public")),
        (
            "sort_key",
            "enum",
            drs.list_jobs("sync").sort_key("update_time"),
        ),
        ("sort_dir", "enum", drs.list_jobs("sync").sort_dir("DESC")),
        (
            "instance_ids",
            "maxItems 10",
            drs.list_jobs("sync").instance_ids(eleven.clone()),
        ),
        ("X-Language", "enum", drs.list_jobs("sync").x_language("en")),
    ];
    for (field, rule, call) in cases {
        assert_validation(bounded(call).await, op, field, rule);
    }
    assert_nothing_sent(&server, "invalid list_jobs input").await;

    // Ten instance ids are allowed, sent as one value.
    let route = jobs_path();
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(list_jobs_reply()))
        .expect(1)
        .mount(&server)
        .await;
    expect_ok(
        bounded(drs.list_jobs("sync").instance_ids(eleven[..10].to_vec())).await,
        op,
    );
    let request = only_request(&server).await;
    assert_request_line(
        &request,
        "GET",
        &route,
        Some(&format!(
            "instance_ids={}&job_type=sync",
            eleven[..10].join(",")
        )),
    );
    assert_eq!(
        query_pairs(&request),
        [
            ("instance_ids".to_owned(), eleven[..10].join(",")),
            ("job_type".to_owned(), "sync".to_owned())
        ],
        "ten instance ids in one comma-separated value"
    );
}

// ---------------------------------------------------------------------------
// execute_job_action: POST /v5/{project_id}/jobs/{job_id}/action
// ---------------------------------------------------------------------------

fn action_path(job_id_encoded: &str) -> String {
    SPEC.assert_route(
        EXECUTE_JOB_ACTION,
        "POST",
        "/v5/{project_id}/jobs/{job_id}/action",
    );
    format!("/v5/{PROJECT_ID}/jobs/{job_id_encoded}/action")
}

fn action_example(name: &str) -> Value {
    SPEC.request_example(EXECUTE_JOB_ACTION, name)
}

/// The one example of the `status` reply of execute_job_action.
fn action_reply(status: u16) -> Value {
    let examples = SPEC.response_examples(EXECUTE_JOB_ACTION, status);
    let [(_, example)] = examples.as_slice() else {
        panic!("execute_job_action: one {status} example expected, has {examples:?}");
    };
    example.clone()
}

#[tokio::test]
async fn execute_job_action_sends_every_spec_request_example() {
    let examples = SPEC.request_examples(EXECUTE_JOB_ACTION);
    assert_eq!(
        examples.len(),
        12,
        "the spec has API Explorer's twelve request examples"
    );
    let content_type = SPEC.body_content_type(EXECUTE_JOB_ACTION);
    assert_eq!(content_type, "application/json", "the SDK's media type");
    let mut asynchronous = 0;
    for (name, example) in &examples {
        // The examples the spec marks as asynchronous are answered with 202 and
        // a query_id, the others with 200 and a status.
        let accepted = request_example_summary(EXECUTE_JOB_ACTION, name).contains("asynchronous");
        asynchronous += usize::from(accepted);
        let status = if accepted { 202 } else { 200 };
        let server = MockServer::start().await;
        let route = action_path(JOB_ID);
        let body: models::JobActionReq = model_from_example(example, name);
        assert_eq!(
            Some(body.job.action_name.as_str()),
            example["job"]["action_name"].as_str(),
            "{name}: action_name"
        );
        signed_mock("POST", &route)
            .and(header("Content-Type", content_type.as_str()))
            .and(body_json(example))
            .respond_with(ResponseTemplate::new(status).set_body_json(action_reply(status)))
            .expect(1)
            .named(name.as_str())
            .mount(&server)
            .await;

        let result = bounded(client(&aksk_config(&server)).execute_job_action(JOB_ID, body)).await;

        let request = only_request(&server).await;
        assert_request_line(&request, "POST", &route, None);
        assert_signed_request(&request, &[]);
        assert_json_body(&request, example);
        match expect_ok(result, EXECUTE_JOB_ACTION) {
            drs::operations::ExecuteJobActionReply::Accepted(reply) if accepted => assert_eq!(
                reply.query_id, "c5c1ffb3-c902-4b31-a606-dfa1231831f9",
                "{name}: query_id"
            ),
            drs::operations::ExecuteJobActionReply::Ok(reply) if !accepted => assert_eq!(
                reply.status,
                models::ActionBaseRespStatus::Success,
                "{name}: status"
            ),
            other => panic!("{name}: HTTP {status} decoded as {other:?}"),
        }
    }
    assert_eq!(
        asynchronous, 6,
        "precheck, two connection tests, two comparisons and set_writable are asynchronous"
    );
}

#[tokio::test]
async fn execute_job_action_decodes_200_and_202_into_their_variants() {
    assert_eq!(
        SPEC.success_statuses(EXECUTE_JOB_ACTION),
        [200, 202],
        "the spec documents two success statuses"
    );
    let route = action_path(JOB_ID);
    let done_ok: models::ActionBaseResp = model_from_example(&action_reply(200), "200 success");
    let failed = json!({
        "id": JOB_ID,
        "name": "DRS-1234",
        "status": "failed",
        "error_code": "DRS.10000011",
        "error_msg": "The task cannot be started in its current state.",
    });
    let done_failed: models::ActionBaseResp = model_from_example(&failed, "a failed action");
    let accepted: models::AsyncActionBaseResp =
        model_from_example(&action_reply(202), "202 accepted");
    let cases = [
        (
            200,
            action_reply(200),
            drs::operations::ExecuteJobActionReply::Ok(Box::new(done_ok)),
        ),
        (
            200,
            failed,
            drs::operations::ExecuteJobActionReply::Ok(Box::new(done_failed)),
        ),
        (
            202,
            action_reply(202),
            drs::operations::ExecuteJobActionReply::Accepted(accepted),
        ),
    ];
    for (status, reply, expected) in cases {
        let server = MockServer::start().await;
        signed_mock("POST", &route)
            .and(header("X-Language", "en-us"))
            .respond_with(ResponseTemplate::new(status).set_body_json(&reply))
            .expect(1)
            .mount(&server)
            .await;
        let body: models::JobActionReq =
            model_from_example(&action_example("start_repair"), "start_repair");

        let result = bounded(
            client(&aksk_config(&server))
                .execute_job_action(JOB_ID, body)
                .x_language("en-us"),
        )
        .await;

        let request = only_request(&server).await;
        assert_signed_request(&request, &["X-Language"]);
        assert_eq!(
            expect_ok(result, EXECUTE_JOB_ACTION),
            expected,
            "HTTP {status} {reply}"
        );
    }
    // The failed action's details are kept.
    let reply: models::ActionBaseResp = serde_json::from_value(
        json!({"status": "failed", "error_code": "DRS.1", "error_msg": "m"}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (
            reply.status,
            reply.error_code.as_deref(),
            reply.error_msg.as_deref()
        ),
        (
            models::ActionBaseRespStatus::Failed,
            Some("DRS.1"),
            Some("m")
        ),
        "ActionBaseResp keeps the failure"
    );
}

#[tokio::test]
async fn execute_job_action_undocumented_2xx_is_other() {
    let route = action_path(JOB_ID);
    // The body of an undocumented status is not read, whatever it holds.
    for (status, body) in [
        (201, Some(json!({"query_id": "c5c1ffb3"}).to_string())),
        (204, None),
        (206, Some("not JSON at all".to_owned())),
    ] {
        let server = MockServer::start().await;
        let template = match &body {
            Some(text) => ResponseTemplate::new(status).set_body_string(text.clone()),
            None => ResponseTemplate::new(status),
        };
        signed_mock("POST", &route)
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
        let body: models::JobActionReq =
            model_from_example(&action_example("diagnosis"), "diagnosis");

        let result = bounded(client(&aksk_config(&server)).execute_job_action(JOB_ID, body)).await;

        assert_eq!(
            expect_ok(result, EXECUTE_JOB_ACTION),
            drs::operations::ExecuteJobActionReply::Other(status),
            "HTTP {status}"
        );
        only_request(&server).await;
    }
}

#[tokio::test]
async fn execute_job_action_percent_encodes_job_id_as_one_segment() {
    let server = MockServer::start().await;
    // No source constrains job_id, so any text is legal input.
    let route = action_path("master%2Fjob%201");
    signed_mock("POST", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(action_reply(200)))
        .expect(1)
        .mount(&server)
        .await;
    let body: models::JobActionReq =
        model_from_example(&action_example("unbind_eip"), "unbind_eip");

    let result =
        bounded(client(&aksk_config(&server)).execute_job_action("master/job 1", body)).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "POST", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(5),
        "the path keeps its 5 segments"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, EXECUTE_JOB_ACTION);
}

#[tokio::test]
async fn execute_job_action_maps_each_declared_error_to_api_error() {
    let route = action_path(JOB_ID);
    let seen = assert_each_declared_error(EXECUTE_JOB_ACTION, "POST", &route, |drs| {
        let body: models::JobActionReq =
            model_from_example(&action_example("precheck"), "precheck");
        drs.execute_job_action(JOB_ID, body)
    })
    .await;
    assert_eq!(
        seen.iter()
            .map(|(s, c, _)| (*s, c.as_str()))
            .collect::<Vec<_>>(),
        [(400, "DRS.10000010"), (400, "DRS.10000010")],
        "both 400 examples of BadRequestJobNotFound"
    );
    assert!(
        seen.iter()
            .any(|(_, _, m)| m == "Job does not exist, please check job id."),
        "ExecuteJobAction's own spelling is among them: {seen:?}"
    );
}

#[tokio::test]
async fn execute_job_action_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let op = EXECUTE_JOB_ACTION;
    let params = "body.job.action_params";
    let cases: Vec<(String, &str, models::JobActionReq)> = vec![
        (
            "body.job.action_name".to_owned(),
            "enum",
            edited(&action_example("precheck"), |b| {
                b["job"]["action_name"] = json!("pause");
            }),
        ),
        (
            format!("{params}.endpoints[0].endpoint.db_port"),
            "pattern",
            edited(&action_example("network_source"), |b| {
                b["job"]["action_params"]["endpoints"][0]["endpoint"]["db_port"] = json!("0");
            }),
        ),
        // db_password is a required writeOnly member: it must be sent.
        (
            format!("{params}.endpoints[0].endpoint.db_password"),
            "required",
            edited(&action_example("network_target"), |b| {
                if let Some(endpoint) =
                    b["job"]["action_params"]["endpoints"][0]["endpoint"].as_object_mut()
                {
                    endpoint.remove("db_password");
                }
            }),
        ),
        (
            format!("{params}.endpoints[0].endpoint_role"),
            "enum",
            edited(&action_example("network_target"), |b| {
                b["job"]["action_params"]["endpoints"][0]["endpoint_role"] = json!("target");
            }),
        ),
        (
            format!("{params}.endpoints[0].db_type"),
            "enum",
            edited(&action_example("network_source"), |b| {
                b["job"]["action_params"]["endpoints"][0]["db_type"] = json!("sqlserver");
            }),
        ),
        (
            format!("{params}.endpoints[0].endpoint_type"),
            "enum",
            edited(&action_example("network_source"), |b| {
                b["job"]["action_params"]["endpoints"][0]["endpoint_type"] = json!("local");
            }),
        ),
        (
            format!("{params}.endpoints[0].endpoint.endpoint_name"),
            "enum",
            edited(&action_example("network_target"), |b| {
                b["job"]["action_params"]["endpoints"][0]["endpoint"]["endpoint_name"] =
                    json!("cloud_mysql_x");
            }),
        ),
        (
            format!(
                r#"{params}.compare_task_param.db_object["db001"].schemas["test"].tables["testchar"].type"#
            ),
            "enum",
            edited(&action_example("create_compare_with_filter"), |b| {
                b["job"]["action_params"]["compare_task_param"]["db_object"]["db001"]["schemas"]
                    ["test"]["tables"]["testchar"]["type"] = json!("index");
            }),
        ),
        (
            format!("{params}.compare_task_param.data_process_info[0].db_object.object_scope"),
            "enum",
            edited(&action_example("create_compare_with_filter"), |b| {
                b["job"]["action_params"]["compare_task_param"]["data_process_info"][0]["db_object"]
                    ["object_scope"] = json!("schema");
            }),
        ),
        (
            format!("{params}.compare_task_param.type"),
            "enum",
            edited(&action_example("create_object_compare"), |b| {
                b["job"]["action_params"]["compare_task_param"]["type"] = json!("rows");
            }),
        ),
        (
            format!("{params}.compare_task_param.data_process_info[0].filter_conditions[0].value"),
            "maxLength 512",
            edited(&action_example("create_compare_with_filter"), |b| {
                b["job"]["action_params"]["compare_task_param"]["data_process_info"][0]["filter_conditions"]
                    [0]["value"] = json!(format!("id > {}", "1".repeat(508)));
            }),
        ),
        (
            format!(
                "{params}.compare_task_param.data_process_info[0].filter_conditions[0].filtering_type"
            ),
            "enum",
            edited(&action_example("create_compare_with_filter"), |b| {
                b["job"]["action_params"]["compare_task_param"]["data_process_info"][0]["filter_conditions"]
                    [0]["filtering_type"] = json!("sqlFilter");
            }),
        ),
        (
            format!("{params}.public_ip_config.type"),
            "enum",
            edited(&action_example("bind_eip"), |b| {
                b["job"]["action_params"]["public_ip_config"]["type"] = json!("backup");
            }),
        ),
        (
            format!("{params}.replay_config.cloud_type"),
            "enum",
            edited(&action_example("cloud_connection"), |b| {
                b["job"]["action_params"]["replay_config"]["cloud_type"] = json!("Azure");
            }),
        ),
        (
            format!("{params}.replay_config.db_source"),
            "enum",
            edited(&action_example("cloud_connection"), |b| {
                b["job"]["action_params"]["replay_config"]["db_source"] = json!("aws_rds_mysql");
            }),
        ),
        (
            format!("{params}.replay_config.traffic_source"),
            "enum",
            edited(&action_example("cloud_connection"), |b| {
                b["job"]["action_params"]["replay_config"]["traffic_source"] = json!("file");
            }),
        ),
    ];
    for (field, rule, body) in cases {
        let result = bounded(drs.execute_job_action(JOB_ID, body)).await;
        assert_validation(result, op, &field, rule);
    }
    let precheck = || -> models::JobActionReq { edited(&action_example("precheck"), |_| {}) };
    let result = bounded(
        drs.execute_job_action(JOB_ID, precheck())
            .x_language("ja-jp"),
    )
    .await;
    assert_validation(result, op, "X-Language", "enum");
    let result = bounded(drs.execute_job_action("", precheck())).await;
    assert_validation(result, op, "job_id", "non-empty");
    assert_nothing_sent(&server, "invalid execute_job_action input").await;

    // The boundaries pass: a 512-character condition, port 65535.
    let route = action_path(JOB_ID);
    signed_mock("POST", &route)
        .respond_with(ResponseTemplate::new(202).set_body_json(action_reply(202)))
        .expect(2)
        .mount(&server)
        .await;
    let condition = format!("id > {}", "1".repeat(507));
    assert_eq!(condition.chars().count(), 512);
    let filter: models::JobActionReq = edited(&action_example("create_compare_with_filter"), |b| {
        b["job"]["action_params"]["compare_task_param"]["data_process_info"][0]["filter_conditions"]
            [0]["value"] = json!(condition);
    });
    let port: models::JobActionReq = edited(&action_example("network_source"), |b| {
        b["job"]["action_params"]["endpoints"][0]["endpoint"]["db_port"] = json!("65535");
    });
    for body in [filter, port] {
        expect_ok(bounded(drs.execute_job_action(JOB_ID, body)).await, op);
    }
}

#[tokio::test]
async fn execute_job_action_secrets_reach_the_wire_but_not_debug_output() {
    let server = MockServer::start().await;
    let route = action_path(JOB_ID);
    let db_password = "Oracle-Pa55word-7d21";
    let other_cloud_sk = "aws-secret-key-Pa55-41c9";
    let mut network = action_example("network_source");
    network["job"]["action_params"]["endpoints"][0]["endpoint"]["db_password"] = json!(db_password);
    let mut replay = action_example("cloud_connection");
    replay["job"]["action_params"]["replay_config"]["sk"] = json!(other_cloud_sk);
    signed_mock("POST", &route)
        .respond_with(ResponseTemplate::new(202).set_body_json(action_reply(202)))
        .expect(2)
        .mount(&server)
        .await;
    for (example, secret, visible) in [
        (&network, db_password, "ORACLE_USER"),
        (&replay, other_cloud_sk, "data-anniversary-cluster"),
    ] {
        let body: models::JobActionReq =
            model_from_example(example, "execute_job_action with a secret");
        let builder = client(&aksk_config(&server))
            .execute_job_action(JOB_ID, body.clone())
            .x_language("zh-cn");
        assert_hidden(&format!("{body:?}"), secret, visible, "Debug of the body");
        assert_hidden(
            &format!("{builder:?}"),
            secret,
            visible,
            "Debug of the builder",
        );
        assert_hidden(
            &format!("{builder:?}"),
            sdk_tests::wire::SK,
            visible,
            "Debug of the builder",
        );
        expect_ok(bounded(builder).await, EXECUTE_JOB_ACTION);
    }
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "two actions sent");
    assert_json_body(&requests[0], &network);
    assert_json_body(&requests[1], &replay);
    assert!(
        String::from_utf8_lossy(&requests[0].body).contains(db_password)
            && String::from_utf8_lossy(&requests[1].body).contains(other_cloud_sk),
        "the secrets are sent"
    );
}

#[tokio::test]
async fn execute_job_action_set_writable_is_waited_for_with_is_writable() {
    // x-lifecycle-note: set_writable answers 202 with a query_id, whose outcome
    // show_job_detail reports with type is_writable: pending, then success.
    let server = MockServer::start().await;
    let route = action_path(JOB_ID);
    let query_id = "c5c1ffb3-c902-4b31-a606-dfa1231831f9";
    let example = action_example("set_writable");
    signed_mock("POST", &route)
        .and(body_json(&example))
        .respond_with(ResponseTemplate::new(202).set_body_json(action_reply(202)))
        .expect(1)
        .mount(&server)
        .await;
    let detail = job_path(JOB_ID);
    let state = |value: &str| json!({"job": {"id": JOB_ID, "is_writable": value}});
    signed_mock("GET", &detail)
        .and(query_param("type", "is_writable"))
        .and(query_param("query_id", query_id))
        .respond_with(ResponseTemplate::new(200).set_body_json(state("pending")))
        .up_to_n_times(1)
        .expect(1)
        .named("first poll: pending")
        .mount(&server)
        .await;
    signed_mock("GET", &detail)
        .and(query_param("type", "is_writable"))
        .and(query_param("query_id", query_id))
        .respond_with(ResponseTemplate::new(200).set_body_json(state("success")))
        .expect(1)
        .named("second poll: success")
        .mount(&server)
        .await;
    let drs = client(&aksk_config(&server));
    let body: models::JobActionReq = model_from_example(&example, "set_writable");

    let reply = expect_ok(
        bounded(drs.execute_job_action(JOB_ID, body)).await,
        EXECUTE_JOB_ACTION,
    );
    let waiter = drs
        .wait_execute_job_action_set_writable(JOB_ID, &reply)
        .unwrap_or_else(|e| panic!("no waiter for the 202 reply: {e}"))
        .with_interval(Duration::from_millis(5), Duration::from_millis(20));
    assert_eq!(
        waiter.id(),
        query_id,
        "the waited id is the reply's query_id"
    );
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("waiting for set_writable failed: {e}"));

    assert_eq!(
        (done.status.as_deref(), done.polls),
        (Some("success"), 2),
        "done at success, after pending"
    );
    let requests = received(&server).await;
    let lines: Vec<String> = requests
        .iter()
        .map(|r| {
            format!(
                "{} {}?{}",
                r.method,
                r.url.path(),
                r.url.query().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            format!("POST {route}?"),
            format!("GET {detail}?query_id={query_id}&type=is_writable"),
            format!("GET {detail}?query_id={query_id}&type=is_writable"),
        ],
        "the action, then show_job_detail polls with the query_id"
    );
    for request in &requests {
        assert_signed_request(request, &[]);
    }

    // A 200 reply (the action done at once) has no query_id to wait for.
    let at_once = drs::operations::ExecuteJobActionReply::Ok(model_from_example(
        &action_reply(200),
        "200 success",
    ));
    match drs.wait_execute_job_action_set_writable(JOB_ID, &at_once) {
        Err(Error::Config(message)) => assert!(message.contains("query_id"), "{message}"),
        other => panic!("a 200 reply has nothing to wait for, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// delete_job: DELETE /v5/{project_id}/jobs/{job_id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn delete_job_sends_no_body_and_accepts_an_empty_200() {
    let server = MockServer::start().await;
    let route = job_path(JOB_ID);
    let status = SPEC.success_status(DELETE_JOB);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    assert!(
        SPEC.operation(DELETE_JOB).op["responses"]["200"]
            .get("content")
            .is_none(),
        "the 200 reply has no body"
    );
    signed_mock("DELETE", &route)
        .and(header("Content-Type", "application/json"))
        .and(header("X-Language", "zh-cn"))
        .respond_with(ResponseTemplate::new(status))
        .expect(1)
        .named("delete_job success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .delete_job(JOB_ID)
            .x_language(models::XLanguage::ZhCn),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "DELETE", &route, None);
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);
    let () = expect_ok(result, DELETE_JOB);
}

#[tokio::test]
async fn delete_job_percent_encodes_job_id_as_one_segment() {
    let server = MockServer::start().await;
    let route = job_path("a%2Fb%20c%3F%23%25%C3%A9");
    signed_mock("DELETE", &route)
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).delete_job("a/b c?#%é")).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "DELETE", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(4),
        "the path keeps its 4 segments"
    );
    assert_signed_request(&request, &[]);
    expect_ok(result, DELETE_JOB);
}

#[tokio::test]
async fn delete_job_maps_each_declared_error_to_api_error() {
    let route = job_path(JOB_ID);
    let seen =
        assert_each_declared_error(DELETE_JOB, "DELETE", &route, |drs| drs.delete_job(JOB_ID))
            .await;
    assert_eq!(seen.len(), 2, "both 400 examples of BadRequestJobNotFound");
    assert!(
        seen.iter()
            .all(|(s, c, _)| *s == 400 && c == "DRS.10000010"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn delete_job_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    assert_validation(
        bounded(drs.delete_job(JOB_ID).x_language("EN-US")).await,
        DELETE_JOB,
        "X-Language",
        "enum",
    );
    assert_validation(
        bounded(drs.delete_job("")).await,
        DELETE_JOB,
        "job_id",
        "non-empty",
    );
    assert_nothing_sent(&server, "invalid delete_job input").await;
}

// ---------------------------------------------------------------------------
// list_async_job_detail: GET /v5/{project_id}/batch-async-jobs/{async_job_id}
// ---------------------------------------------------------------------------

fn async_jobs_reply() -> Value {
    SPEC.success_example(LIST_ASYNC_JOB_DETAIL, "two_tasks")
}

fn async_jobs_path(async_job_id_encoded: &str) -> String {
    SPEC.assert_route(
        LIST_ASYNC_JOB_DETAIL,
        "GET",
        "/v5/{project_id}/batch-async-jobs/{async_job_id}",
    );
    format!("/v5/{PROJECT_ID}/batch-async-jobs/{async_job_id_encoded}")
}

#[tokio::test]
async fn list_async_job_detail_sends_offset_limit_and_decodes_spec_example() {
    let server = MockServer::start().await;
    let route = async_jobs_path(ASYNC_JOB_ID);
    let status = SPEC.success_status(LIST_ASYNC_JOB_DETAIL);
    assert_eq!(status, 200, "the spec documents 200 for this operation");
    let expected: models::ListAsyncJobDetailResponse =
        model_from_example(&async_jobs_reply(), "list_async_job_detail 200 two_tasks");
    signed_mock("GET", &route)
        .and(query_param("offset", "10"))
        .and(query_param("limit", "5"))
        .and(header("X-Language", "en-us"))
        .respond_with(ResponseTemplate::new(status).set_body_json(async_jobs_reply()))
        .expect(1)
        .named("list_async_job_detail success")
        .mount(&server)
        .await;

    let result = bounded(
        client(&aksk_config(&server))
            .list_async_job_detail(ASYNC_JOB_ID)
            .offset(10)
            .limit(5)
            .x_language(models::XLanguage::EnUs),
    )
    .await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("limit=5&offset=10"));
    assert_eq!(
        query_names(&request),
        SPEC.parameter_names(LIST_ASYNC_JOB_DETAIL, "query"),
        "the query carries exactly the spec's query parameters"
    );
    assert_signed_request(&request, &["X-Language"]);
    assert_no_body(&request);

    let reply = expect_ok(result, LIST_ASYNC_JOB_DETAIL);
    assert_eq!(reply, expected, "the reply is the spec example's model");
    assert_eq!(reply.total_count, 2, "total_count");
    let [first, second] = reply.jobs.as_slice() else {
        panic!("the example has two tasks: {:?}", reply.jobs);
    };
    assert_eq!(
        (first.id.as_deref(), first.status.as_ref()),
        (
            Some(JOB_ID),
            Some(&models::JobDetailRespStatus::Configuration)
        ),
        "jobs[0]"
    );
    assert_eq!(
        (second.id.as_deref(), second.status.as_ref()),
        (
            Some("dc6016cf-f3b6-4c2d-b4d7-5084b0fjb20r"),
            Some(&models::JobDetailRespStatus::IncreTransferStarted)
        ),
        "jobs[1]"
    );
    assert_eq!(
        first
            .base_info
            .as_ref()
            .and_then(|b| b.expired_days.as_deref()),
        Some("14"),
        "jobs[0].base_info.expired_days is text"
    );
    assert_eq!(
        second
            .target_endpoint
            .as_deref()
            .and_then(|t| t.first())
            .and_then(|t| t.endpoint.instance_id.as_deref()),
        Some("c2c7579bc09c490b9d8009db715aeb0ain14"),
        "jobs[1].target_endpoint[0].endpoint.instance_id (API Explorer's instId, corrected)"
    );
    assert_eq!(
        first.alarm_notify.as_ref().map(|a| a.delay_time),
        Some(Some(60)),
        "jobs[0].alarm_notify.delay_time"
    );
    assert_eq!(second.alarm_notify, None, "jobs[1] has no alarm_notify");
}

#[tokio::test]
async fn list_async_job_detail_without_options_sends_no_query() {
    let server = MockServer::start().await;
    // No source constrains async_job_id: it is one percent-encoded segment.
    let route = async_jobs_path("batch%201%2F2");
    signed_mock("GET", &route)
        .and(query_param_is_missing("offset"))
        .and(query_param_is_missing("limit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(async_jobs_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let result = bounded(client(&aksk_config(&server)).list_async_job_detail("batch 1/2")).await;

    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, None);
    assert_eq!(
        request.url.path_segments().map(Iterator::count),
        Some(4),
        "the path keeps its 4 segments"
    );
    assert_signed_request(&request, &[]);
    assert_eq!(
        request.headers.get("X-Language"),
        None,
        "no X-Language unless set"
    );
    expect_ok(result, LIST_ASYNC_JOB_DETAIL);
}

#[tokio::test]
async fn list_async_job_detail_reads_api_explorer_original_example() {
    // The note: API Explorer sends expired_days as the number 14 and the second
    // target endpoint's id as "instId". The number is read as the declared
    // text; the unknown member is ignored.
    let server = MockServer::start().await;
    let route = async_jobs_path(ASYNC_JOB_ID);
    let mut original = async_jobs_reply();
    for job in original["jobs"].as_array_mut().into_iter().flatten() {
        job["base_info"]["expired_days"] = json!(14);
    }
    let endpoint = &mut original["jobs"][1]["target_endpoint"][0]["endpoint"];
    let instance = endpoint["instance_id"].take();
    if let Some(o) = endpoint.as_object_mut() {
        o.remove("instance_id");
        o.insert("instId".to_owned(), instance);
    }
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(&original))
        .expect(1)
        .mount(&server)
        .await;

    let reply = expect_ok(
        bounded(client(&aksk_config(&server)).list_async_job_detail(ASYNC_JOB_ID)).await,
        LIST_ASYNC_JOB_DETAIL,
    );

    let days: Vec<Option<&str>> = reply
        .jobs
        .iter()
        .map(|j| j.base_info.as_ref().and_then(|b| b.expired_days.as_deref()))
        .collect();
    assert_eq!(days, [Some("14"), Some("14")], "expired_days read as text");
    assert_eq!(
        reply.jobs[1]
            .target_endpoint
            .as_deref()
            .and_then(|t| t.first())
            .map(|t| t.endpoint.instance_id.clone()),
        Some(None),
        "instId is not instance_id"
    );
}

#[tokio::test]
async fn list_async_job_detail_pages_by_ten_from_zero() {
    let server = MockServer::start().await;
    let route = async_jobs_path(ASYNC_JOB_ID);
    signed_mock("GET", &route)
        .and(query_param("offset", "0"))
        .and(query_param("limit", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(async_jobs_reply()))
        .expect(1)
        .mount(&server)
        .await;

    let jobs = bounded(
        client(&aksk_config(&server))
            .list_async_job_detail(ASYNC_JOB_ID)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("paging list_async_job_detail failed: {e}"));

    assert_eq!(jobs.len(), 2, "both tasks of the batch, total_count 2");
    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("limit=10&offset=0"));
    assert_signed_request(&request, &[]);
}

#[tokio::test]
async fn list_async_job_detail_maps_each_declared_error_to_api_error() {
    let route = async_jobs_path(ASYNC_JOB_ID);
    let seen = assert_each_declared_error(LIST_ASYNC_JOB_DETAIL, "GET", &route, |drs| {
        drs.list_async_job_detail(ASYNC_JOB_ID).limit(10)
    })
    .await;
    assert_eq!(
        seen,
        [(400, "DRS.10000001".to_owned(), "Failed.".to_owned())],
        "the 400 example of BadRequest"
    );
}

#[tokio::test]
async fn list_async_job_detail_checks_rules_before_sending() {
    let server = MockServer::start().await;
    let drs = client(&aksk_config(&server));
    let op = LIST_ASYNC_JOB_DETAIL;
    assert_validation(
        bounded(drs.list_async_job_detail(ASYNC_JOB_ID).x_language("de-de")).await,
        op,
        "X-Language",
        "enum",
    );
    assert_validation(
        bounded(drs.list_async_job_detail("")).await,
        op,
        "async_job_id",
        "non-empty",
    );
    assert_nothing_sent(&server, "invalid list_async_job_detail input").await;

    // offset and limit have no documented range: the client adds none.
    let route = async_jobs_path(ASYNC_JOB_ID);
    signed_mock("GET", &route)
        .respond_with(ResponseTemplate::new(200).set_body_json(async_jobs_reply()))
        .expect(1)
        .mount(&server)
        .await;
    expect_ok(
        bounded(
            drs.list_async_job_detail(ASYNC_JOB_ID)
                .offset(-5)
                .limit(1000),
        )
        .await,
        op,
    );
    let request = only_request(&server).await;
    assert_request_line(&request, "GET", &route, Some("limit=1000&offset=-5"));
}

// ---------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------

#[test]
fn client_endpoint_comes_from_the_region_table() {
    assert_region_table(&SPEC, endpoint_of);
    assert_eq!(
        endpoint_for("cn-north-4", endpoint_of),
        "https://drs.cn-north-4.myhuaweicloud.com"
    );
    assert_eq!(
        endpoint_for("eu-west-101", endpoint_of),
        "https://drs.eu-west-101.myhuaweicloud.eu",
        "the one region outside myhuaweicloud.com"
    );
    assert_eq!(
        endpoint_for("me-east-1", endpoint_of),
        "https://drs.me-east-1.myhuaweicloud.com"
    );
    assert_eq!(
        SPEC.endpoints().len(),
        34,
        "DRS's region table has 34 regions"
    );
    assert_unknown_region(&SPEC, "xx-nowhere-1", endpoint_of);
}
