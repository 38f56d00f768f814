//! The clients' own requests pass Prism's validation of the specs they were
//! generated from: path, query, headers (a declared `Content-Type` among them)
//! and body, as a validating proxy or mock would check them.
//!
//! Prism (`@stoplight/prism-cli`) is a Node.js program, so these tests are
//! ignored by a plain `cargo test`; `.ci/run` installs Prism, starts one mock
//! server per spec on 127.0.0.1 and runs them with `--ignored`, giving the
//! servers' URLs in `PRISM_GAUSSDB_URL` and `PRISM_DRS_URL`. Prism's mock
//! answers a request that breaks the spec with an error status (and says why in
//! its `sl-violations` header), so each call must succeed.

use huaweicloud_sdk_drs as drs;
use huaweicloud_sdk_gaussdb as gaussdb;
use sdk_tests::wire::{AK, PROJECT_ID, SK, Spec, bounded};

/// A TaurusDB instance id (suffix in07) and a StarRocks one (in17).
const TAURUS: &str = "61a4ea66210545909d74a05c27a7179ein07";
const STARROCKS: &str = "61a4ea66210545909d74a05c27a7179ein17";

fn prism(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| {
        panic!("{variable} is not set: start `prism mock spec/<service>.yaml` and give its URL")
    })
}

/// A configuration for the Prism server named by `variable`: AK/SK signing
/// (Prism checks that the `Authorization` header of the `aksk` scheme is sent).
fn config(variable: &str) -> gaussdb::Config {
    gaussdb::Config::new()
        .with_endpoint(prism(variable))
        .with_credentials(gaussdb::Credentials::aksk(AK, SK))
        .with_project_id(PROJECT_ID)
        .with_retry(gaussdb::RetryPolicy::disabled())
}

/// The first request example of `id`, as its body model.
fn body<T: serde::de::DeserializeOwned + serde::Serialize>(spec: &Spec, id: &str) -> T {
    let (name, example) = spec
        .request_examples(id)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{id} has no request example"));
    sdk_tests::wire::model_from_example(&example, &format!("{id}/{name}"))
}

#[track_caller]
fn accepted<T>(id: &str, result: Result<T, gaussdb::Error>) {
    if let Err(e) = result {
        panic!("Prism refused the client's {id} request: {e}");
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server of spec/gaussdb.yaml (PRISM_GAUSSDB_URL); run by .ci/run"]
async fn gaussdb_requests_pass_prism_validation() {
    let spec = Spec::load("gaussdb.yaml");
    let c = gaussdb::Client::new(&config("PRISM_GAUSSDB_URL"))
        .unwrap_or_else(|e| panic!("client: {e}"));
    // The two operations with a body whose media type is
    // application/json;charset=UTF-8 (the spec once also declared a
    // Content-Type header allowing only application/json).
    accepted(
        "create_starrocks_instance",
        bounded(c.create_starrocks_instance(
            TAURUS,
            body::<gaussdb::models::StarRocksCreateRequest>(&spec, "create_starrocks_instance"),
        ))
        .await,
    );
    accepted(
        "modify_data_sync",
        bounded(c.modify_data_sync(
            STARROCKS,
            body::<gaussdb::models::ModifyDataSyncConfigRequestV3>(&spec, "modify_data_sync"),
        ))
        .await,
    );
    accepted(
        "create_star_rocks_data_replication",
        bounded(c.create_star_rocks_data_replication(
            TAURUS,
            "en-us",
            body::<gaussdb::models::CreateStarRocksDataReplication>(
                &spec,
                "create_star_rocks_data_replication",
            ),
        ))
        .await,
    );
    // Bodyless requests, which declare the header and send application/json.
    accepted(
        "list_htap_instance_info",
        bounded(c.list_htap_instance_info(TAURUS)).await,
    );
    accepted(
        "list_htap_flavor",
        bounded(
            c.list_htap_flavor("star-rocks")
                .availability_zone_mode("single"),
        )
        .await,
    );
}

#[tokio::test]
#[ignore = "needs a Prism mock server of spec/drs.yaml (PRISM_DRS_URL); run by .ci/run"]
async fn drs_requests_pass_prism_validation() {
    let spec = Spec::load("drs.yaml");
    let c = drs::Client::new(&config("PRISM_DRS_URL")).unwrap_or_else(|e| panic!("client: {e}"));
    accepted(
        "create_job",
        bounded(c.create_job(body::<drs::models::SingleCreateJobReq>(&spec, "create_job"))).await,
    );
    accepted(
        "execute_job_action",
        bounded(c.execute_job_action(
            "140b5236-88ad-43c8-811c-1bc2c5b1d8fc",
            body::<drs::models::JobActionReq>(&spec, "execute_job_action"),
        ))
        .await,
    );
    accepted("list_jobs", bounded(c.list_jobs("migration")).await);
    accepted(
        "show_job_detail",
        bounded(c.show_job_detail("140b5236-88ad-43c8-811c-1bc2c5b1d8fc", "overview")).await,
    );
}

/// What Prism checks, without Prism: where an operation declares a
/// `Content-Type` header with an enumeration, that enumeration holds what the
/// client sends: each media type of the body, or `application/json` (the
/// runtime's value for a request without a body).
#[test]
fn declared_content_type_headers_agree_with_what_is_sent() {
    let mut checked = 0;
    for (file, doc) in sdk_tests::spec_documents() {
        let resolve = |value: &serde_json::Value| -> serde_json::Value {
            match value.get("$ref").and_then(|r| r.as_str()) {
                Some(pointer) => doc
                    .pointer(pointer.trim_start_matches('#'))
                    .cloned()
                    .unwrap_or_else(|| panic!("{file}: {pointer} resolves to nothing")),
                None => value.clone(),
            }
        };
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in &paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Some(parameters) = op.get("parameters").and_then(|p| p.as_array()) else {
                    continue;
                };
                let body = op.get("requestBody").map(&resolve);
                let sent: Vec<String> = match body.as_ref().and_then(|b| b["content"].as_object()) {
                    Some(content) => content.keys().map(|m| m.to_ascii_lowercase()).collect(),
                    None => vec!["application/json".to_owned()],
                };
                for parameter in parameters.iter().map(&resolve) {
                    let is_content_type = parameter["in"] == "header"
                        && parameter["name"]
                            .as_str()
                            .is_some_and(|n| n.eq_ignore_ascii_case("content-type"));
                    let Some(allowed) = parameter["schema"]["enum"].as_array() else {
                        continue;
                    };
                    if !is_content_type {
                        continue;
                    }
                    checked += 1;
                    let allowed: Vec<String> = allowed
                        .iter()
                        .filter_map(|v| v.as_str())
                        .map(str::to_ascii_lowercase)
                        .collect();
                    for media in &sent {
                        assert!(
                            allowed.contains(media),
                            "{file}: {method} {path} declares Content-Type {allowed:?} but sends {media}"
                        );
                    }
                }
            }
        }
    }
    assert!(checked > 0, "no declared Content-Type header was checked");
}
