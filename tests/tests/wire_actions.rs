//! Wire tests of `x-paths`: operations that share a path and method and differ
//! by their body or query (`codegen/fixtures/fixture_actions.yaml`, generated
//! into `codegen/fixtures/generated/fixture_actions/`), sent through the
//! generated client to a server on 127.0.0.1.
//!
//! Each operation is its own method: the two creates and the three actions go
//! to one path each with their own bodies, the two GETs of one path with their
//! own queries; the `#label` of an `x-paths` key is never sent; every request's
//! AK/SK signature verifies over what the server received
//! (`sdk_tests::wire::assert_signed_request`); the server tells the operations
//! apart by what they send, and each reply decodes as its operation's type. The
//! generated mock answers each operation by its own method.

use huaweicloud_sdk_fixture_actions::mock::Mock as ActionsMock;
use huaweicloud_sdk_fixture_actions::{Client, Error, models};
use sdk_tests::wire::{
    PROJECT_ID, aksk_config, assert_json_body, assert_no_body, assert_nothing_sent,
    assert_request_line, assert_signed_request, bounded, expect_ok, received,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, query_param};
use wiremock::{MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    expect_ok(Client::new(&aksk_config(server)), "fixture_actions client")
}

/// Answers `POST path` with a 202 naming `job_id` when the body is `body`.
async fn mount_action(server: &MockServer, path: &str, body: &Value, job_id: &str) {
    sdk_tests::wire::signed_mock("POST", path)
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"job_id": job_id})))
        .expect(1)
        .mount(server)
        .await;
}

/// Every request went to `path`, signed, with no `#label` and no query.
#[track_caller]
fn assert_same_route(requests: &[wiremock::Request], path: &str) {
    for request in requests {
        assert_request_line(request, "POST", path, None);
        assert!(
            !request.url.as_str().contains('#') && !request.url.as_str().contains("%23"),
            "a label was sent: {}",
            request.url
        );
        assert_signed_request(request, &[]);
    }
}

#[tokio::test]
async fn create_and_restore_send_their_own_bodies_to_one_path() {
    let server = MockServer::start().await;
    let path = format!("/v1/{PROJECT_ID}/instances");
    let create = json!({"name": "db-1", "flavor": "s.large"});
    let restore =
        json!({"name": "db-2", "restore_point": {"instance_id": "i-1", "backup_id": "b-1"}});
    mount_action(&server, &path, &create, "j-create").await;
    mount_action(&server, &path, &restore, "j-restore").await;

    let client = client(&server);
    let created =
        bounded(client.create_instance(models::CreateInstanceRequest::new("db-1", "s.large")))
            .await;
    let restored = bounded(
        client.create_restore_instance(models::RestoreInstanceRequest::new(
            "db-2",
            models::RestoreInstanceRequestRestorePoint::new("i-1", "b-1"),
        )),
    )
    .await;
    assert_eq!(
        expect_ok(created, "create_instance").job_id.as_deref(),
        Some("j-create")
    );
    assert_eq!(
        expect_ok(restored, "create_restore_instance")
            .job_id
            .as_deref(),
        Some("j-restore")
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_same_route(&requests, &path);
    assert_json_body(&requests[0], &create);
    assert_json_body(&requests[1], &restore);
}

#[tokio::test]
async fn three_actions_send_their_own_bodies_to_one_action_path() {
    let server = MockServer::start().await;
    let path = format!("/v1/{PROJECT_ID}/instances/i-7/action");
    let start = json!({"start": {"wait": true}});
    let stop = json!({"stop": {"force": false}});
    let restart = json!({"restart": {"delay": 5}});
    mount_action(&server, &path, &start, "j-start").await;
    mount_action(&server, &path, &stop, "j-stop").await;
    mount_action(&server, &path, &restart, "j-restart").await;

    let client = client(&server);
    let started = bounded(client.start_instance(
        "i-7",
        models::StartInstanceBody::new(models::StartInstanceBodyStart::default().with_wait(true)),
    ))
    .await;
    let stopped = bounded(client.stop_instance(
        "i-7",
        models::StopInstanceBody::new(models::StopInstanceBodyStop::default().with_force(false)),
    ))
    .await;
    let restarted = bounded(client.restart_instance(
        "i-7",
        models::RestartInstanceBody::new(
            models::RestartInstanceBodyRestart::default().with_delay(5),
        ),
    ))
    .await;
    let jobs = [
        expect_ok(started, "start_instance").job_id,
        expect_ok(stopped, "stop_instance").job_id,
        expect_ok(restarted, "restart_instance").job_id,
    ];
    assert_eq!(
        jobs.iter().map(Option::as_deref).collect::<Vec<_>>(),
        [Some("j-start"), Some("j-stop"), Some("j-restart")]
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_same_route(&requests, &path);
    for (request, body) in requests.iter().zip([&start, &stop, &restart]) {
        assert_json_body(request, body);
    }
}

#[tokio::test]
async fn two_gets_of_one_path_send_their_own_queries() {
    let server = MockServer::start().await;
    let path = format!("/v1/{PROJECT_ID}/jobs");
    sdk_tests::wire::signed_mock("GET", &path)
        .and(query_param("id", "j-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"job": {"id": "j-1", "status": "Running"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    sdk_tests::wire::signed_mock("GET", &path)
        .and(query_param("limit", "10"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"jobs": [{"id": "j-1"}, {"id": "j-2"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let one = expect_ok(bounded(client.show_job("j-1")).await, "show_job");
    let all = expect_ok(bounded(client.list_jobs().limit(10)).await, "list_jobs");
    let job = one.job.unwrap_or_else(|| panic!("show_job: no job"));
    assert_eq!(
        (job.id.as_deref(), job.status.as_deref()),
        (Some("j-1"), Some("Running"))
    );
    assert_eq!(all.jobs.map(|j| j.len()), Some(2));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_request_line(&requests[0], "GET", &path, Some("id=j-1"));
    assert_request_line(&requests[1], "GET", &path, Some("limit=10"));
    for request in &requests {
        assert_no_body(request);
        assert_signed_request(request, &[]);
    }
}

/// Each operation checks its own rules: the restart's delay, not the stop's.
#[tokio::test]
async fn each_operation_checks_its_own_body() {
    let server = MockServer::start().await;
    let client = client(&server);
    let result = bounded(client.restart_instance(
        "i-7",
        models::RestartInstanceBody::new(
            models::RestartInstanceBodyRestart::default().with_delay(61),
        ),
    ))
    .await;
    match result {
        Err(Error::Validation(e)) => assert!(e.to_string().contains("body.restart.delay"), "{e}"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_nothing_sent(&server, "restart_instance with delay 61").await;
}

#[tokio::test]
async fn the_mock_answers_each_operation_by_its_own_method() {
    let mock = ActionsMock::new();
    mock.on_create_instance(|_| {
        let mut reply = models::JobStarted::default();
        reply.job_id = Some("j-create".to_owned());
        Ok(reply)
    });
    mock.on_create_restore_instance(|call| {
        assert!(call.path.ends_with("/instances"), "{}", call.path);
        let mut reply = models::JobStarted::default();
        reply.job_id = Some("j-restore".to_owned());
        Ok(reply)
    });
    let client = expect_ok(mock.client(), "mock client");
    let restored = bounded(
        client.create_restore_instance(models::RestoreInstanceRequest::new(
            "db-2",
            models::RestoreInstanceRequestRestorePoint::new("i-1", "b-1"),
        )),
    )
    .await;
    assert_eq!(
        expect_ok(restored, "create_restore_instance")
            .job_id
            .as_deref(),
        Some("j-restore")
    );
    assert_eq!(mock.calls_of("create_restore_instance").len(), 1);
    assert!(mock.calls_of("create_instance").is_empty());
}
