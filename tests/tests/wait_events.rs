//! Every poll of a wait is a `tracing` event (its own test binary: it installs
//! the one global subscriber of `sdk_tests::logs` before any client exists).

use std::time::Duration;

use huaweicloud_sdk_core::{Config, Credentials, RetryPolicy};
use huaweicloud_sdk_gaussdb as gaussdb;
use sdk_tests::logs::logged;
use sdk_tests::script::{Answer, Script};
use sdk_tests::wire::{AK, PROJECT_ID, SK, Spec, bounded};
use serde_json::json;

#[tokio::test]
async fn every_poll_is_a_tracing_event() {
    logged();

    let spec = Spec::load("gaussdb.yaml");
    let job = |status: &str, process: &str| {
        let mut body =
            spec.success_example("show_gauss_my_sql_job_info", "completed_instance_creation");
        body["job"]["id"] = json!("job-traced");
        body["job"]["status"] = json!(status);
        body["job"]["process"] = json!(process);
        Answer::ok(body)
    };
    let script = Script::start().await;
    script.route(
        "GET",
        &format!("/v3/{PROJECT_ID}/jobs"),
        [job("Running", "70%"), job("Completed", "100%")],
    );
    let config = Config::new()
        .with_endpoint(script.uri())
        .with_credentials(Credentials::aksk(AK, SK))
        .with_project_id(PROJECT_ID)
        .with_retry(RetryPolicy::disabled());
    let client = gaussdb::Client::new(&config).unwrap_or_else(|e| panic!("{e}"));
    let waiter = client
        .wait_create_star_rocks_data_replication(
            &serde_json::from_value(json!({"job_id": "job-traced"}))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .with_interval(Duration::from_millis(5), Duration::from_millis(20));
    bounded(waiter).await.unwrap_or_else(|e| panic!("{e}"));

    let text = logged();
    let waits: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("waiting") && l.contains("job-traced"))
        .collect();
    assert_eq!(waits.len(), 2, "{text}");
    assert!(
        waits[0].contains("Running") && waits[0].contains("70%"),
        "{}",
        waits[0]
    );
    assert!(waits[1].contains("Completed"), "{}", waits[1]);
    assert!(!text.contains(SK), "the secret key was logged");
}
