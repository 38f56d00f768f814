//! Wire-level tests of the generated DRS v5 client against a local mock server.
//!
//! Every request body, success reply and error body comes from `spec/drs.yaml`,
//! looked up by `operationId` and example name, so the tests follow the spec. Each
//! test checks what goes over the wire (request line, AK/SK-signed headers, JSON
//! body) and what the client makes of the reply (decoded fields and enums, `Error`
//! variants).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use huaweicloud_sdk_drs::{self as drs, Config, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, Spec, aksk_config, assert_api_error, assert_config_hides_sk, assert_hidden,
    assert_json_body, assert_nothing_sent, assert_region_table, assert_request_line,
    assert_signed_request, assert_unknown_region, assert_validation, bounded, endpoint_for,
    expect_ok, model_from_example, mount_error, only_request, signed_mock,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header};
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
