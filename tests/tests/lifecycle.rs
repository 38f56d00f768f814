//! Waiting for asynchronous work, paging through lists, and a whole simulated
//! lifecycle, against scripted services on 127.0.0.1 (`sdk_tests::script`).
//!
//! Replies are the spec's own examples with the fields under test changed, so
//! they decode into the generated models as real ones would. Retries are off
//! in the client (each poll is one attempt), so what a test shows is the
//! waiter's or the pager's own handling; waits use intervals of milliseconds.

use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use huaweicloud_sdk_core::error::TimeoutKind;
use huaweicloud_sdk_core::{Config, Credentials, Error, Progress, RetryPolicy, Step, WaitPolicy};
use huaweicloud_sdk_drs as drs;
use huaweicloud_sdk_gaussdb as gaussdb;
use huaweicloud_sdk_opengauss as opengauss;
use sdk_tests::script::{Answer, Script};
use sdk_tests::wire::{AK, PROJECT_ID, SK, Spec, bounded, model_from_example};
use serde_json::{Value, json};

static GAUSSDB: LazyLock<Spec> = LazyLock::new(|| Spec::load("gaussdb.yaml"));
static DRS: LazyLock<Spec> = LazyLock::new(|| Spec::load("drs.yaml"));
static OPENGAUSS: LazyLock<Spec> = LazyLock::new(|| Spec::load("opengauss.yaml"));

/// The TaurusDB instance the StarRocks instance belongs to.
const TAURUS_ID: &str = "0123456789abcdef0123456789abcdefin07";
/// The StarRocks instance of the create example's reply.
const STARROCKS_ID: &str = "590031445ef845bb912d7fc8243db80cin17";
const JOB_ID: &str = "job-0001";

/// Short pauses: the tests count polls, not seconds.
fn quick(waiter: huaweicloud_sdk_core::Waiter) -> huaweicloud_sdk_core::Waiter {
    waiter.with_interval(Duration::from_millis(5), Duration::from_millis(20))
}

fn quick_policy() -> WaitPolicy {
    WaitPolicy {
        first_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        ..WaitPolicy::default()
    }
}

fn config(script: &Script) -> Config {
    Config::new()
        .with_endpoint(script.uri())
        .with_credentials(Credentials::aksk(AK, SK))
        .with_project_id(PROJECT_ID)
        .with_retry(RetryPolicy::disabled())
        .with_attempt_timeout(Duration::from_secs(5))
}

fn htap(script: &Script) -> gaussdb::Client {
    gaussdb::Client::new(&config(script)).unwrap_or_else(|e| panic!("client: {e}"))
}

fn path(rest: &str) -> String {
    format!("/v3/{PROJECT_ID}{rest}")
}

/// The job API's example with this status (and progress / reason).
fn htap_job(status: &str, process: &str, fail_reason: Option<&str>) -> Answer {
    let mut job =
        GAUSSDB.success_example("show_gauss_my_sql_job_info", "completed_instance_creation");
    job["job"]["id"] = json!(JOB_ID);
    job["job"]["status"] = json!(status);
    job["job"]["process"] = json!(process);
    job["job"]["fail_reason"] = json!(fail_reason);
    Answer::ok(job)
}

/// The create reply of the spec, with `job_id`.
fn create_reply(job_id: Option<&str>) -> gaussdb::models::CreateStarrocksInstanceResponse {
    let mut reply = GAUSSDB.success_example("create_starrocks_instance", "success");
    match job_id {
        Some(id) => reply["job_id"] = json!(id),
        None => {
            reply.as_object_mut().map(|o| o.remove("job_id"));
        }
    }
    serde_json::from_value(reply).unwrap_or_else(|e| panic!("create reply: {e}"))
}

/// Every poll the waiter reported, for the tests to look at.
fn observed(
    waiter: huaweicloud_sdk_core::Waiter,
) -> (huaweicloud_sdk_core::Waiter, Arc<Mutex<Vec<Progress>>>) {
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let waiter = waiter.on_progress(move |p| {
        sink.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(p.clone())
    });
    (waiter, seen)
}

fn statuses(seen: &Mutex<Vec<Progress>>) -> Vec<Option<String>> {
    seen.lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|p| p.status.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Waiters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_job_is_polled_through_its_states_to_success() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Pending", "", None),
            htap_job("Running", "30%", None),
            htap_job("Running", "60%", None),
            htap_job("Completed", "100%", None),
        ],
    );
    let client = htap(&script);
    let waiter = client
        .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(waiter.id(), JOB_ID);
    let (waiter, seen) = observed(quick(waiter));
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));

    assert_eq!(done.status.as_deref(), Some("Completed"));
    assert_eq!(done.polls, 4);
    let job: gaussdb::models::ShowGaussMySqlJobInfoResponse = done
        .reply_as()
        .unwrap_or_else(|e| panic!("the last reply: {e}"));
    assert_eq!(job.job.map(|j| j.id), Some(JOB_ID.to_owned()));
    assert_eq!(
        statuses(&seen),
        ["Pending", "Running", "Running", "Completed"].map(|s| Some(s.to_owned()))
    );
    let progress: Vec<Option<String>> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| p.progress.clone())
        .collect();
    assert_eq!(progress[1].as_deref(), Some("30%"));
    assert_eq!(progress[2].as_deref(), Some("60%"));
    // Every poll asked for the job by its id.
    let polls = script.seen_at("GET", &path("/jobs"));
    assert_eq!(polls.len(), 4);
    assert!(
        polls
            .iter()
            .all(|s| s.query("id").as_deref() == Some(JOB_ID))
    );
}

#[tokio::test]
async fn a_failed_job_is_an_error_with_the_service_reason() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Running", "10%", None),
            htap_job("Failed", "", Some("Insufficient quota for flavor.")),
        ],
    );
    let client = htap(&script);
    let waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    );
    match bounded(waiter).await {
        Err(Error::Job(job)) => {
            assert_eq!(job.operation, "create_starrocks_instance");
            assert_eq!(job.id, JOB_ID);
            assert_eq!(job.status.as_deref(), Some("Failed"));
            assert_eq!(
                job.reason.as_deref(),
                Some("Insufficient quota for flavor.")
            );
            assert_eq!(job.polls, 2);
            let text = Error::Job(job).to_string();
            assert!(text.contains("Insufficient quota"), "{text}");
        }
        other => panic!("expected a job error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_while_polling_is_not_a_failed_job() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Running", "20%", None),
            Answer::Drop,
            Answer::error(502, "APIGW.0502", "bad gateway"),
            Answer::error(429, "APIGW.0308", "throttled"),
            htap_job("Completed", "100%", None),
        ],
    );
    let client = htap(&script);
    let (waiter, seen) = observed(quick(
        client
            .wait_modify_data_sync(&model_from_example(
                &GAUSSDB.success_example("modify_data_sync", "success"),
                "modify_data_sync",
            ))
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.status.as_deref(), Some("Completed"));
    assert_eq!(done.polls, 5);
    let errors: Vec<bool> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|p| p.error.is_some())
        .collect();
    assert_eq!(errors, [false, true, true, true, false]);
}

#[tokio::test]
async fn retry_after_is_honoured_between_polls() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            Answer::JsonWith(
                503,
                vec![("Retry-After".to_owned(), "1".to_owned())],
                json!({"error_code": "SYS.0503", "error_msg": "busy"}),
            ),
            htap_job("Completed", "100%", None),
        ],
    );
    let client = htap(&script);
    let waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.polls, 2);
    let polls = script.seen_at("GET", &path("/jobs"));
    let gap = polls[1].at - polls[0].at;
    // The back-off alone is at most 20 ms; the reply asked for a second.
    assert!(
        gap >= Duration::from_millis(950),
        "polled again after {gap:?}"
    );
}

#[tokio::test]
async fn a_wait_ends_at_its_deadline() {
    let script = Script::start().await;
    script.route("GET", &path("/jobs"), [htap_job("Running", "50%", None)]);
    let client = htap(&script);
    let deadline = Duration::from_millis(300);
    let waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .with_deadline(deadline);
    let started = Instant::now();
    match bounded(waiter).await {
        Err(Error::Timeout(t)) => {
            assert_eq!(t.kind, TimeoutKind::Wait);
            assert_eq!(t.after, deadline);
            assert!(t.attempts >= 2, "{} polls", t.attempts);
        }
        other => panic!("expected a wait timeout, got {other:?}"),
    }
    let took = started.elapsed();
    assert!(
        took >= deadline && took < Duration::from_secs(10),
        "took {took:?}"
    );
}

#[tokio::test]
async fn a_wait_ends_after_its_most_polls() {
    let script = Script::start().await;
    script.route("GET", &path("/jobs"), [htap_job("Running", "50%", None)]);
    let client = htap(&script);
    let waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .with_max_polls(3);
    match bounded(waiter).await {
        Err(Error::Timeout(t)) => assert_eq!((t.kind, t.attempts), (TimeoutKind::Wait, 3)),
        other => panic!("expected a wait timeout, got {other:?}"),
    }
    assert_eq!(script.seen_at("GET", &path("/jobs")).len(), 3);
}

#[tokio::test]
async fn a_status_nobody_documented_is_kept_and_waited_on() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Running", "", None),
            htap_job("Rebalancing", "", None),
            htap_job("Completed", "", None),
        ],
    );
    let client = htap(&script);
    let (waiter, seen) = observed(quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.status.as_deref(), Some("Completed"));
    assert_eq!(statuses(&seen)[1].as_deref(), Some("Rebalancing"));
}

#[tokio::test]
async fn a_job_not_visible_yet_is_polled_again_within_the_grace_period() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            Answer::error(404, "DBS.280226", "The job does not exist."),
            htap_job("Running", "", None),
            htap_job("Completed", "", None),
        ],
    );
    let client = htap(&script);
    let reply = model_from_example(
        &GAUSSDB.success_example("create_star_rocks_data_replication", "success"),
        "create_star_rocks_data_replication",
    );
    let waiter = quick(
        client
            .wait_create_star_rocks_data_replication(&reply)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.polls, 3);

    // After the grace period, an unknown id is an error, not an endless wait.
    script.route(
        "GET",
        &path("/jobs"),
        [Answer::error(404, "DBS.280226", "The job does not exist.")],
    );
    let waiter = quick(
        client
            .wait_create_star_rocks_data_replication(&reply)
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .with_policy(WaitPolicy {
        grace: Duration::from_millis(50),
        ..quick_policy()
    });
    match bounded(waiter).await {
        Err(Error::Api(api)) => assert_eq!(api.status, 404),
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn the_instance_is_read_when_the_job_api_does_not_know_the_job() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [Answer::error(400, "DBS.200823", "The job ID is invalid.")],
    );
    let instance = |status: &str| {
        let mut body = GAUSSDB.success_example("list_starrocks_instance_info", "cluster_instance");
        body["instances"][0]["status"] = json!(status);
        Answer::ok(body)
    };
    let instance_path = path(&format!("/instances/{TAURUS_ID}/starrocks/{STARROCKS_ID}"));
    script.route(
        "GET",
        &instance_path,
        [instance("creating"), instance("normal")],
    );
    let client = htap(&script);
    let (waiter, seen) = observed(quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.status.as_deref(), Some("normal"));
    let pollers: Vec<&str> = seen.lock().unwrap().iter().map(|p| p.poller).collect();
    assert_eq!(
        pollers,
        [
            "show_gauss_my_sql_job_info",
            "list_starrocks_instance_info",
            "list_starrocks_instance_info"
        ]
    );
    assert_eq!(script.seen_at("GET", &instance_path).len(), 2);

    // A creation that failed, seen on the instance.
    script.route("GET", &instance_path, [instance("createfail")]);
    let waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    );
    match bounded(waiter).await {
        Err(Error::Job(job)) => assert_eq!(job.status.as_deref(), Some("createfail")),
        other => panic!("expected a job error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_deletion_is_done_when_the_instance_is_gone() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [Answer::error(400, "DBS.200823", "The job ID is invalid.")],
    );
    let instance_path = path(&format!("/instances/{TAURUS_ID}/starrocks/{STARROCKS_ID}"));
    let mut deleting = GAUSSDB.success_example("list_starrocks_instance_info", "cluster_instance");
    deleting["instances"][0]["status"] = json!("deleting");
    script.route(
        "GET",
        &instance_path,
        [
            Answer::ok(deleting),
            Answer::error(404, "DBS.200823", "The instance does not exist."),
        ],
    );
    let client = htap(&script);
    let reply = model_from_example(
        &GAUSSDB.success_example("delete_starrocks_instance", "success"),
        "delete_starrocks_instance",
    );
    let waiter = quick(
        client
            .wait_delete_starrocks_instance(TAURUS_ID, STARROCKS_ID, &reply)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(waiter.id(), "e1bfd0d1-b8d8-417c-9947-7e2ae0de9745");
    let done = bounded(waiter)
        .await
        .unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(done.status, None);
    assert_eq!(done.reply, Value::Null);
    assert_eq!(done.polls, 3);
}

#[tokio::test]
async fn a_reply_without_the_id_has_nothing_to_wait_for() {
    let script = Script::start().await;
    let client = htap(&script);
    match client.wait_create_starrocks_instance(TAURUS_ID, &create_reply(None)) {
        Err(Error::Config(message)) => {
            assert!(message.contains("job_id"), "{message}");
            assert!(message.contains("create_starrocks_instance"), "{message}");
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
    assert!(script.seen().is_empty());
}

#[tokio::test]
async fn a_wait_can_be_driven_poll_by_poll() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Running", "40%", None),
            htap_job("Completed", "100%", None),
        ],
    );
    let client = htap(&script);
    let mut waiter = quick(
        client
            .wait_create_starrocks_instance(TAURUS_ID, &create_reply(Some(JOB_ID)))
            .unwrap_or_else(|e| panic!("{e}")),
    );
    match bounded(waiter.step()).await {
        Step::Waiting(p) => {
            assert_eq!(
                (p.poll, p.status.as_deref(), p.progress.as_deref()),
                (1, Some("Running"), Some("40%"))
            );
        }
        other => panic!("expected a first status, got {other:?}"),
    }
    match bounded(waiter.step()).await {
        Step::Finished(Ok(done)) => assert_eq!(done.status.as_deref(), Some("Completed")),
        other => panic!("expected the end, got {other:?}"),
    }
}

#[tokio::test]
async fn send_and_wait_sends_then_waits() {
    let script = Script::start().await;
    let replication = path(&format!(
        "/instances/{STARROCKS_ID}/starrocks/databases/replication"
    ));
    script.route(
        "POST",
        &replication,
        [Answer::ok(json!({"job_id": JOB_ID}))],
    );
    script.route(
        "GET",
        &path("/jobs"),
        [
            htap_job("Running", "", None),
            htap_job("Completed", "", None),
        ],
    );
    let client = htap(&script);
    let body: gaussdb::models::CreateStarRocksDataReplication = model_from_example(
        &GAUSSDB.request_example(
            "create_star_rocks_data_replication",
            "create_data_sync_task",
        ),
        "create_star_rocks_data_replication request",
    );
    let (reply, done) = bounded(
        client
            .create_star_rocks_data_replication(
                STARROCKS_ID,
                gaussdb::models::XLanguage::EnUs,
                body,
            )
            .send_and_wait(quick_policy()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply.job_id.as_deref(), Some(JOB_ID));
    assert_eq!((done.status.as_deref(), done.polls), (Some("Completed"), 2));
}

// openGauss and DRS waiters

fn opengauss_client(script: &Script) -> opengauss::Client {
    opengauss::Client::new(&config(script)).unwrap_or_else(|e| panic!("client: {e}"))
}

fn opengauss_job(status: &str) -> Answer {
    let mut job = OPENGAUSS.success_example("show_job_detail", "completed_instance_creation");
    job["job"]["status"] = json!(status);
    Answer::ok(job)
}

#[tokio::test]
async fn opengauss_creation_and_deletion_are_waited_for() {
    let script = Script::start().await;
    script.route(
        "GET",
        &path("/jobs"),
        [opengauss_job("Running"), opengauss_job("Completed")],
    );
    let client = opengauss_client(&script);
    let created: opengauss::models::CreateDbInstanceResponse = serde_json::from_value(
        OPENGAUSS.success_example("create_db_instance", "distributed_pay_per_use"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let done = bounded(quick(
        client
            .wait_create_db_instance(&created)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.status.as_deref(), Some("Completed"));

    // Deleting: the job API does not know the job; the filtered list empties.
    script.route(
        "GET",
        &path("/jobs"),
        [Answer::error(404, "DBS.200001", "The job does not exist.")],
    );
    let mut listed = OPENGAUSS.success_example("list_instances", "one_instance");
    let instance_id = listed["instances"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    listed["instances"][0]["status"] = json!("DELETING");
    script.route(
        "GET",
        &path("/instances"),
        [
            Answer::ok(listed),
            Answer::ok(json!({"instances": [], "total_count": 0})),
        ],
    );
    let deleted = model_from_example(
        &OPENGAUSS.success_example("delete_instance", "pay_per_use"),
        "delete_instance",
    );
    let done = bounded(quick(
        client
            .wait_delete_instance(instance_id.clone(), &deleted)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.status, None);
    let lists = script.seen_at("GET", &path("/instances"));
    assert_eq!(lists.len(), 2);
    assert!(
        lists
            .iter()
            .all(|s| s.query("id") == Some(instance_id.clone()))
    );
}

fn drs_client(script: &Script) -> drs::Client {
    drs::Client::new(&config(script)).unwrap_or_else(|e| panic!("client: {e}"))
}

fn drs_path(rest: &str) -> String {
    format!("/v5/{PROJECT_ID}{rest}")
}

#[tokio::test]
async fn drs_task_creation_waits_for_configuration() {
    let script = Script::start().await;
    let created: drs::models::CreateJobResponse =
        model_from_example(&DRS.success_example("create_job", "creating"), "create_job");
    let job_id = created
        .job
        .as_ref()
        .map(|j| j.id.clone())
        .unwrap_or_default();
    let detail = |status: &str| {
        let mut body = DRS.success_example("show_job_detail", "detail");
        body["job"]["status"] = json!(status);
        Answer::ok(body)
    };
    let detail_path = drs_path(&format!("/jobs/{job_id}"));
    script.route(
        "GET",
        &detail_path,
        [detail("CREATING"), detail("CONFIGURATION")],
    );
    let client = drs_client(&script);
    let done = bounded(quick(
        client
            .wait_create_job(&created)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.status.as_deref(), Some("CONFIGURATION"));
    let polls = script.seen_at("GET", &detail_path);
    assert!(
        polls
            .iter()
            .all(|s| s.query("type").as_deref() == Some("detail"))
    );

    script.route("GET", &detail_path, [detail("CREATE_FAILED")]);
    match bounded(quick(
        client
            .wait_create_job(&created)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    {
        Err(Error::Job(job)) => assert_eq!(job.status.as_deref(), Some("CREATE_FAILED")),
        other => panic!("expected a job error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_drs_connection_test_is_waited_for_by_its_query_id() {
    let script = Script::start().await;
    let job_id = "c7debc9c-8e09-4a5d-8dd6-cc44f78jb20r";
    let action_path = drs_path(&format!("/jobs/{job_id}/action"));
    let query_id = "c5c1ffb3-c902-4b31-a606-dfa1231831f9";
    script.route(
        "POST",
        &action_path,
        [Answer::Json(202, json!({"query_id": query_id}))],
    );
    let results = |list: Value| {
        Answer::ok(
            json!({"job": {"id": job_id, "status": "CONFIGURATION", "network_results": list}}),
        )
    };
    let detail_path = drs_path(&format!("/jobs/{job_id}"));
    script.route(
        "GET",
        &detail_path,
        [
            results(json!([])),
            results(json!([
                {"success": true, "status": "success"},
                {"success": false, "status": "failed", "error_code": "DRS.M00101", "error_msg": "The target port is closed."}
            ])),
        ],
    );
    let client = drs_client(&script);
    let body: drs::models::JobActionReq = model_from_example(
        &DRS.request_example("execute_job_action", "network_target"),
        "execute_job_action request",
    );
    let reply = bounded(client.execute_job_action(job_id, body))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(reply, drs::operations::ExecuteJobActionReply::Accepted(_)),
        "{reply:?}"
    );
    let waiter = quick(
        client
            .wait_execute_job_action_network(job_id, &reply)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(waiter.id(), query_id);
    match bounded(waiter).await {
        Err(Error::Job(job)) => {
            assert_eq!(job.status.as_deref(), Some("failed"));
            assert_eq!(job.reason.as_deref(), Some("The target port is closed."));
            assert_eq!(job.polls, 2);
        }
        other => panic!("expected the failed connection test, got {other:?}"),
    }
    let polls = script.seen_at("GET", &detail_path);
    assert!(
        polls
            .iter()
            .all(|s| s.query("type").as_deref() == Some("network")
                && s.query("query_id").as_deref() == Some(query_id))
    );

    // Every endpoint reachable.
    script.route(
        "GET",
        &detail_path,
        [results(json!([
            {"success": true, "status": "success"},
            {"success": true, "status": "success"}
        ]))],
    );
    let done = bounded(quick(
        client
            .wait_execute_job_action_network(job_id, &reply)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((done.status.as_deref(), done.polls), (Some("success"), 1));

    // An action done at once (200) has no query id to wait for.
    // (The spec's 200 example of this operation.)
    let done_at_once = drs::operations::ExecuteJobActionReply::Ok(
        serde_json::from_value(json!({"status": "success"})).unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(matches!(
        client.wait_execute_job_action_network(job_id, &done_at_once),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn a_drs_batch_is_done_when_every_task_is() {
    let script = Script::start().await;
    let async_job_id = "bd4193aa-072d-4ce6-beec-adffc7252341";
    let tasks = |statuses: &[&str]| {
        let jobs: Vec<Value> = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| json!({"id": format!("task-{i}"), "status": s}))
            .collect();
        Answer::ok(json!({"total_count": jobs.len(), "jobs": jobs}))
    };
    let detail_path = drs_path(&format!("/batch-async-jobs/{async_job_id}"));
    script.route(
        "GET",
        &detail_path,
        [
            tasks(&["CREATING", "CREATING"]),
            tasks(&["CONFIGURATION", "CREATING"]),
            tasks(&["CONFIGURATION", "CONFIGURATION"]),
        ],
    );
    let client = drs_client(&script);
    let reply = model_from_example(
        &DRS.success_example("update_batch_async_jobs", "accepted"),
        "update_batch_async_jobs",
    );
    let (waiter, seen) = observed(quick(
        client
            .wait_update_batch_async_jobs(async_job_id, &reply)
            .unwrap_or_else(|e| panic!("{e}")),
    ));
    let done = bounded(waiter).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (done.status.as_deref(), done.polls),
        (Some("CONFIGURATION"), 3)
    );
    assert_eq!(statuses(&seen)[1].as_deref(), Some("CREATING"));

    script.route(
        "GET",
        &detail_path,
        [tasks(&["CONFIGURATION", "CREATE_FAILED"])],
    );
    match bounded(quick(
        client
            .wait_update_batch_async_jobs(async_job_id, &reply)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .await
    {
        Err(Error::Job(job)) => assert_eq!(job.status.as_deref(), Some("CREATE_FAILED")),
        other => panic!("expected a job error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------

/// A DRS task list page: `count` tasks from number `first`, and the total
/// (the spec's example task, renumbered).
fn jobs_page(first: usize, count: usize, total: usize) -> Answer {
    let example = DRS.success_example("list_jobs", "one_task");
    let jobs: Vec<Value> = (first..first + count)
        .map(|i| {
            let mut job = example["jobs"][0].clone();
            job["id"] = json!(format!("job-{i}"));
            job["name"] = json!(format!("DRS-{i}"));
            job
        })
        .collect();
    Answer::ok(json!({"total_count": total, "jobs": jobs}))
}

fn ids(items: &[drs::models::JobListResp]) -> Vec<String> {
    items.iter().map(|j| j.id.clone()).collect()
}

fn offsets(script: &Script, route: &str) -> Vec<(Option<String>, Option<String>)> {
    script
        .seen_at("GET", route)
        .iter()
        .map(|s| (s.query("offset"), s.query("limit")))
        .collect()
}

fn pair(offset: &str, limit: &str) -> (Option<String>, Option<String>) {
    (Some(offset.to_owned()), Some(limit.to_owned()))
}

#[tokio::test]
async fn paging_reads_nothing_from_an_empty_list() {
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route("GET", &route, [jobs_page(0, 0, 0)]);
    let client = drs_client(&script);
    let items = bounded(
        client
            .list_jobs(drs::models::JobType::Sync)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(items.is_empty());
    assert_eq!(offsets(&script, &route), [pair("0", "10")]);
}

#[tokio::test]
async fn paging_stops_after_exactly_one_full_page() {
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route("GET", &route, [jobs_page(0, 3, 3)]);
    let client = drs_client(&script);
    let items = bounded(
        client
            .list_jobs(drs::models::JobType::Sync)
            .limit(3)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids(&items), ["job-0", "job-1", "job-2"]);
    assert_eq!(offsets(&script, &route), [pair("0", "3")]);
}

#[tokio::test]
async fn paging_reads_many_pages_in_order() {
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route(
        "GET",
        &route,
        [jobs_page(0, 3, 7), jobs_page(3, 3, 7), jobs_page(6, 1, 7)],
    );
    let client = drs_client(&script);
    let pages = bounded(
        client
            .list_jobs(drs::models::JobType::Sync)
            .limit(3)
            .pages()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pages.len(), 3);
    let items: Vec<String> = pages.iter().flat_map(|p| ids(&p.jobs)).collect();
    assert_eq!(
        items,
        (0..7).map(|i| format!("job-{i}")).collect::<Vec<_>>()
    );
    assert_eq!(
        offsets(&script, &route),
        [pair("0", "3"), pair("3", "3"), pair("6", "3")]
    );
}

#[tokio::test]
async fn paging_follows_the_count_when_pages_are_shorter_than_asked() {
    // The server caps pages at 4 whatever the limit: the count says to go on.
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route(
        "GET",
        &route,
        [jobs_page(0, 4, 9), jobs_page(4, 4, 9), jobs_page(8, 1, 9)],
    );
    let client = drs_client(&script);
    let mut stream = client.list_jobs(drs::models::JobType::Sync).items();
    let mut seen = Vec::new();
    // Through the `Stream` implementation.
    while let Some(item) = bounded(StreamExt::next(&mut stream)).await {
        seen.push(item.unwrap_or_else(|e| panic!("{e}")).id);
    }
    assert_eq!(seen.len(), 9);
    assert_eq!(
        offsets(&script, &route),
        [pair("0", "10"), pair("4", "10"), pair("8", "10")]
    );
}

#[tokio::test]
async fn a_failing_page_ends_the_list_with_its_error() {
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route(
        "GET",
        &route,
        [
            jobs_page(0, 2, 6),
            Answer::error(500, "DRS.00000001", "Internal error."),
        ],
    );
    let client = drs_client(&script);
    let mut items = client
        .list_jobs(drs::models::JobType::Sync)
        .limit(2)
        .items();
    let mut got = Vec::new();
    let error = loop {
        match bounded(items.next()).await {
            Some(Ok(job)) => got.push(job.id),
            Some(Err(e)) => break e,
            None => panic!("the list ended without the page's error after {got:?}"),
        }
    };
    assert_eq!(got, ["job-0", "job-1"]);
    assert!(
        matches!(&error, Error::Api(api) if api.status == 500),
        "{error:?}"
    );
    assert!(
        bounded(items.next()).await.is_none(),
        "the list goes on after its error"
    );
}

#[tokio::test]
async fn a_count_the_pages_contradict_is_an_error() {
    let script = Script::start().await;
    let route = drs_path("/jobs");
    script.route("GET", &route, [jobs_page(0, 3, 10), jobs_page(3, 0, 10)]);
    let client = drs_client(&script);
    match bounded(
        client
            .list_jobs(drs::models::JobType::Sync)
            .limit(3)
            .items()
            .collect(),
    )
    .await
    {
        Err(Error::Pagination(p)) => {
            assert_eq!(p.operation, "list_jobs");
            assert_eq!((p.seen, p.total, p.offset), (3, Some(10), 3));
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

#[tokio::test]
async fn paging_starts_where_the_caller_says() {
    let script = Script::start().await;
    let route = drs_path(&format!(
        "/batch-async-jobs/{}",
        "bd4193aa-072d-4ce6-beec-adffc7252341"
    ));
    let page = |first: usize, count: usize| {
        let jobs: Vec<Value> = (first..first + count)
            .map(|i| json!({"id": format!("t{i}"), "status": "CONFIGURATION"}))
            .collect();
        Answer::ok(json!({"total_count": 5, "jobs": jobs}))
    };
    script.route("GET", &route, [page(2, 2), page(4, 1)]);
    let client = drs_client(&script);
    let items = bounded(
        client
            .list_async_job_detail("bd4193aa-072d-4ce6-beec-adffc7252341")
            .offset(2)
            .limit(2)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = items.iter().filter_map(|j| j.id.clone()).collect();
    assert_eq!(ids, ["t2", "t3", "t4"]);
    assert_eq!(offsets(&script, &route), [pair("2", "2"), pair("4", "2")]);
}

#[tokio::test]
async fn string_offsets_and_counts_page_like_numbers() {
    let script = Script::start().await;
    let route = path(&format!(
        "/instances/{STARROCKS_ID}/starrocks/databases/replication"
    ));
    let page = |first: usize, count: usize| {
        let tasks: Vec<Value> = (first..first + count)
            .map(|i| json!({"task_name": format!("task-{i}"), "status": "Yes", "stage": "incremental"}))
            .collect();
        Answer::ok(json!({"total_count": "60", "replications": tasks}))
    };
    script.route("GET", &route, [page(0, 50), page(50, 10)]);
    let client = htap(&script);
    let tasks = bounded(
        client
            .list_star_rocks_data_replications(STARROCKS_ID)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tasks.len(), 60);
    assert_eq!(tasks[59].task_name.as_deref(), Some("task-59"));
    assert_eq!(
        offsets(&script, &route),
        [pair("0", "50"), pair("50", "50")]
    );
}

#[tokio::test]
async fn opengauss_instances_page_by_hundreds() {
    let script = Script::start().await;
    let route = path("/instances");
    let mut one = OPENGAUSS.success_example("list_instances", "one_instance");
    let instance = one["instances"][0].clone();
    let page = |first: usize, count: usize| {
        let list: Vec<Value> = (first..first + count)
            .map(|i| {
                let mut item = instance.clone();
                item["id"] = json!(format!("{i:032}in14"));
                item
            })
            .collect();
        json!({"instances": list, "total_count": 150})
    };
    one = page(0, 100);
    script.route("GET", &route, [Answer::ok(one), Answer::ok(page(100, 50))]);
    let client = opengauss_client(&script);
    let items = bounded(client.list_instances().items().collect())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(items.len(), 150);
    assert_eq!(
        offsets(&script, &route),
        [pair("0", "100"), pair("100", "100")]
    );
}

// ---------------------------------------------------------------------------
// A whole lifecycle
// ---------------------------------------------------------------------------

/// `call`, failed after `limit` (of the runtime's clock, paused or not).
async fn within<F: std::future::IntoFuture>(limit: Duration, call: F) -> F::Output {
    tokio::time::timeout(limit, call.into_future())
        .await
        .unwrap_or_else(|_| panic!("the call did not finish within {limit:?}"))
}

/// One run through the lifecycle against a scripted TaurusDB HTAP service:
/// flavors, create, wait, a synchronization task, its list, its deletion, the
/// instance's deletion and the wait for it to be gone. Returns the requests
/// made and the time taken.
async fn lifecycle(policy: &WaitPolicy, limit: Duration) -> (usize, Duration) {
    let script = Script::start().await;
    let create_job = "job-create";
    let sync_job = "job-sync";
    let delete_sync_job = "job-sync-delete";
    script.route(
        "GET",
        &path("/htap/flavors/star-rocks"),
        [Answer::ok(GAUSSDB.success_example(
            "list_htap_flavor",
            "starrocks_flavors",
        ))],
    );
    let mut created = GAUSSDB.success_example("create_starrocks_instance", "success");
    created["job_id"] = json!(create_job);
    script.route(
        "POST",
        &path(&format!("/instances/{TAURUS_ID}/starrocks")),
        [Answer::Json(201, created)],
    );
    let replication = path(&format!(
        "/instances/{STARROCKS_ID}/starrocks/databases/replication"
    ));
    script.route(
        "POST",
        &replication,
        [Answer::ok(json!({"job_id": sync_job}))],
    );
    script.route(
        "DELETE",
        &replication,
        [Answer::ok(json!({"job_id": delete_sync_job}))],
    );
    script.route(
        "GET",
        &replication,
        [Answer::ok(GAUSSDB.success_example(
            "list_star_rocks_data_replications",
            "success",
        ))],
    );
    let instance_path = path(&format!("/instances/{TAURUS_ID}/starrocks/{STARROCKS_ID}"));
    script.route(
        "DELETE",
        &instance_path,
        [Answer::ok(
            GAUSSDB.success_example("delete_starrocks_instance", "success"),
        )],
    );
    script.route(
        "GET",
        &instance_path,
        [Answer::error(
            404,
            "DBS.200823",
            "The instance does not exist.",
        )],
    );
    // The job API walks each job through its states, one per poll; it does not
    // know the deletion's workflow id.
    let steps = [
        htap_job("Pending", "", None),
        htap_job("Running", "35%", None),
        htap_job("Running", "80%", None),
        htap_job("Completed", "100%", None),
        // sync task
        htap_job("Running", "", None),
        htap_job("Completed", "", None),
        // its deletion
        htap_job("Running", "", None),
        htap_job("Completed", "", None),
        // the instance deletion's workflow id
        Answer::error(400, "DBS.200823", "The job ID is invalid."),
    ];
    script.route("GET", &path("/jobs"), steps);
    let client = htap(&script);
    let started = tokio::time::Instant::now();

    let flavors = within(
        limit,
        client.list_htap_flavor(gaussdb::models::EngineName::StarRocks),
    )
    .await
    .unwrap_or_else(|e| panic!("flavors: {e}"));
    let flavor = flavors
        .flavors
        .iter()
        .flatten()
        .find(|f| {
            f.instance_mode == Some(gaussdb::models::HtapFlavorInfoFlavorsInstanceMode::Cluster)
        })
        .and_then(|f| f.id.clone())
        .unwrap_or_else(|| panic!("no cluster flavor"));
    let mut request = GAUSSDB.request_example("create_starrocks_instance", "create_db_instance");
    request["fe_flavor_id"] = json!(flavor);
    request["be_flavor_id"] = json!(flavor);
    let body: gaussdb::models::StarRocksCreateRequest =
        serde_json::from_value(request).unwrap_or_else(|e| panic!("{e}"));
    let (created, done) = within(
        limit,
        client
            .create_starrocks_instance(TAURUS_ID, body)
            .send_and_wait(policy.clone()),
    )
    .await
    .unwrap_or_else(|e| panic!("create: {e}"));
    assert_eq!(
        created.instance.as_ref().and_then(|i| i.id.as_deref()),
        Some(STARROCKS_ID)
    );
    assert_eq!(done.status.as_deref(), Some("Completed"));
    assert_eq!(done.polls, 4);

    let sync: gaussdb::models::CreateStarRocksDataReplication = model_from_example(
        &GAUSSDB.request_example(
            "create_star_rocks_data_replication",
            "create_data_sync_task",
        ),
        "create_star_rocks_data_replication request",
    );
    let (_, done) = within(
        limit,
        client
            .create_star_rocks_data_replication(
                STARROCKS_ID,
                gaussdb::models::XLanguage::EnUs,
                sync,
            )
            .send_and_wait(policy.clone()),
    )
    .await
    .unwrap_or_else(|e| panic!("sync task: {e}"));
    assert_eq!(done.polls, 2);

    let tasks = within(
        limit,
        client
            .list_star_rocks_data_replications(STARROCKS_ID)
            .items()
            .collect(),
    )
    .await
    .unwrap_or_else(|e| panic!("list: {e}"));
    assert_eq!(tasks.len(), 1);
    let task_name = tasks[0].task_name.clone().unwrap_or_default();

    let (_, done) = within(
        limit,
        client
            .delete_star_rocks_data_replication(
                STARROCKS_ID,
                gaussdb::models::DeleteStarRocksDataReplication::default()
                    .with_task_name(task_name),
            )
            .send_and_wait(policy.clone()),
    )
    .await
    .unwrap_or_else(|e| panic!("delete task: {e}"));
    assert_eq!(done.polls, 2);

    let (_, done) = within(
        limit,
        client
            .delete_starrocks_instance(TAURUS_ID, STARROCKS_ID)
            .send_and_wait(policy.clone()),
    )
    .await
    .unwrap_or_else(|e| panic!("delete instance: {e}"));
    assert_eq!(done.status, None);
    let took = started.elapsed();

    let requests = script.seen();
    let routes: Vec<String> = requests
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.request.method,
                s.request.path().trim_start_matches(&path(""))
            )
        })
        .collect();
    assert_eq!(
        routes.len(),
        1 + 1 + 4 + 1 + 2 + 1 + 1 + 2 + 1 + 2,
        "requests: {routes:#?}"
    );
    (requests.len(), took)
}

#[tokio::test]
async fn a_simulated_lifecycle_runs_end_to_end() {
    let (requests, took) = lifecycle(&quick_policy(), Duration::from_secs(20)).await;
    println!("simulated lifecycle: {requests} requests in {took:?} (polls 5 to 20 ms apart)");
}

/// The same lifecycle with the default wait policy, on tokio's paused clock:
/// how long the waits would take against a service that answers at once.
#[tokio::test(start_paused = true)]
async fn the_lifecycle_waits_as_the_default_policy_says() {
    let (requests, took) = lifecycle(&WaitPolicy::default(), Duration::from_secs(3600)).await;
    // 10 polls in 4 waits, each wait's first poll 5 s in, later ones backing
    // off from 5 s with jitter.
    assert!(
        took >= Duration::from_secs(4 * 5) && took <= Duration::from_secs(10 * 60),
        "{took:?}"
    );
    println!(
        "simulated lifecycle, default wait policy: {requests} requests in {took:?} of waiting (paused clock)"
    );
}
