//! Client-side validation of the spec's constraints, through the generated
//! client: a broken rule is reported with its field path and nothing is sent;
//! with validation off the request goes out as given.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use huaweicloud_sdk_gaussdb::{Client, Config, Credentials, Error, RetryPolicy, models};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STARROCKS_ID: &str = "0123456789abcdef0123456789abcdefin17";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "1"})))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, validate: bool) -> Client {
    let config = Config::new()
        .with_endpoint(server.uri())
        .with_project_id(PROJECT)
        .with_credentials(Credentials::token("token"))
        .with_retry(RetryPolicy::disabled())
        .with_validation(validate);
    Client::new(&config).unwrap()
}

/// A TaurusDB instance id (suffix `in07`).
const TAURUS_ID: &str = "18c3eeb7b788479eb8b93b209946a83bin07";

fn create_body(capacity: i64) -> models::StarRocksCreateRequest {
    serde_json::from_value(json!({
        "name": "htap-ff64",
        "engine": {"type": "star-rocks", "version": "3.1"},
        "ha": {"mode": "Single"},
        "fe_flavor_id": "f", "be_flavor_id": "b",
        "db_root_pwd": "Test@123!",
        "fe_count": 1, "be_count": 1,
        "az_mode": "single",
        "fe_volume": {"io_type": "SSD", "capacity_in_gb": capacity},
        "be_volume": {"io_type": "SSD", "capacity_in_gb": 50},
        "az_code": "az",
        "tags_info": {"sys_tags": [{"key": "_sys_enterprise_project_id", "value": "0"}]}
    }))
    .unwrap()
}

fn validation(result: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    match result {
        Err(Error::Validation(e)) => (e.field, e.rule),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn path_parameter_pattern_is_checked_before_sending() {
    let server = server().await;
    let result = client(&server, true)
        .modify_data_sync(
            "not-a-starrocks-id",
            models::ModifyDataSyncConfigRequestV3::default(),
        )
        .await;
    let (field, rule) = validation(result);
    assert_eq!(field, "instance_id");
    assert_eq!(rule, "minLength 36");
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );

    let ok = client(&server, true)
        .modify_data_sync(
            STARROCKS_ID,
            models::ModifyDataSyncConfigRequestV3::default(),
        )
        .await;
    assert!(ok.is_ok(), "{ok:?}");
}

#[tokio::test]
async fn nested_body_field_reports_its_path() {
    let server = server().await;
    let result = client(&server, true)
        .create_starrocks_instance("inst", create_body(55))
        .await;
    assert_eq!(
        validation(result),
        (
            "body.fe_volume.capacity_in_gb".to_owned(),
            "multipleOf 10".to_owned()
        )
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn secret_length_is_checked_without_showing_it() {
    let server = server().await;
    let mut body = create_body(50);
    body.db_root_pwd = "Sh0rt!".into();
    let err = client(&server, true)
        .create_starrocks_instance("inst", body)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("body.db_root_pwd") && text.contains("minLength 8"),
        "{text}"
    );
    assert!(
        !text.contains("Sh0rt!") && !format!("{err:?}").contains("Sh0rt!"),
        "{text}"
    );
}

#[tokio::test]
async fn unknown_enum_value_from_the_caller_is_rejected() {
    let server = server().await;
    let mut body = create_body(50);
    body.az_mode = "multi-region".into();
    let (field, rule) = validation(
        client(&server, true)
            .create_starrocks_instance("inst", body)
            .await,
    );
    assert_eq!((field.as_str(), rule.as_str()), ("body.az_mode", "enum"));
}

#[tokio::test]
async fn array_items_are_checked_with_their_index() {
    let server = server().await;
    let body: models::CreateStarRocksDataReplication = serde_json::from_value(json!({
        "source_instance_id": TAURUS_ID, "source_database": "ab", "target_database": "tgt", "task_name": "task"
    }))
    .unwrap();
    let (field, rule) = validation(
        client(&server, true)
            .create_star_rocks_data_replication(STARROCKS_ID, models::XLanguage::EnUs, body)
            .await,
    );
    assert_eq!(
        (field.as_str(), rule.as_str()),
        ("body.source_database", "minLength 3")
    );
}

/// `fe_count` and `be_count` allow 1 (single node) or 3 to 10 (cluster): 2 is
/// inside the envelope 1..=10 but refused.
#[tokio::test]
async fn node_counts_outside_the_allowed_values_are_refused() {
    let server = server().await;
    for (count, ok) in [(1, true), (2, false), (3, true), (10, true), (11, false)] {
        let mut body = create_body(50);
        body.fe_count = count;
        let result = client(&server, true)
            .create_starrocks_instance("inst", body)
            .await;
        if ok {
            assert!(result.is_ok(), "fe_count {count}: {result:?}");
        } else {
            let (field, _) = validation(result);
            assert_eq!(field, "body.fe_count", "fe_count {count}");
        }
    }
}

/// An empty (or malformed) TaurusDB instance id in a synchronization task is
/// refused before anything is sent.
#[tokio::test]
async fn an_empty_source_instance_id_is_refused() {
    let server = server().await;
    for id in ["", "18c3eeb7b788479eb8b93b209946a83bin17"] {
        let body: models::CreateStarRocksDataReplication = serde_json::from_value(json!({
            "source_instance_id": id, "source_database": "sales", "target_database": "tgt", "task_name": "task"
        }))
        .unwrap();
        let (field, _) = validation(
            client(&server, true)
                .create_star_rocks_data_replication(STARROCKS_ID, models::XLanguage::EnUs, body)
                .await,
        );
        assert_eq!(field, "body.source_instance_id", "{id:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn validation_can_be_switched_off() {
    let server = server().await;
    let result = client(&server, false)
        .modify_data_sync(
            "not-a-starrocks-id",
            models::ModifyDataSyncConfigRequestV3::default(),
        )
        .await;
    assert!(result.is_ok(), "{result:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .url
            .path()
            .ends_with("/instances/not-a-starrocks-id/starrocks/databases/replication")
    );
}

/// Every pattern in the specs, as the generator translates it for the client's
/// engine, matches exactly what an independent ECMA-262 implementation (the
/// `jsonschema` crate's `pattern` keyword) matches, on random strings built from
/// the pattern's own characters and some others.
#[test]
fn translated_patterns_agree_with_an_ecma_engine() {
    use huaweicloud_sdk_core::__private::Pattern;
    use proptest::prelude::*;

    fn patterns(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(p)) = map.get("pattern") {
                    out.push(p.clone());
                }
                map.values().for_each(|v| patterns(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (_, doc) in sdk_tests::spec_documents() {
        patterns(&doc, &mut found);
    }
    found.sort();
    found.dedup();
    assert!(found.len() >= 3, "expected the specs' patterns: {found:?}");

    let mut runner = proptest::test_runner::TestRunner::default();
    for source in found {
        let translated = match codegen::pattern::translate(&source) {
            Ok(t) => t.regex,
            // Documented and not checked by the client; nothing to compare.
            Err(_) => continue,
        };
        let ours = Pattern::translated(
            Box::leak(source.clone().into_boxed_str()),
            Box::leak(translated.into_boxed_str()),
        );
        let schema = serde_json::json!({ "type": "string", "pattern": source });
        let ecma = match jsonschema::validator_for(&schema) {
            Ok(v) => v,
            Err(e) => panic!("jsonschema rejects the pattern {source}: {e}"),
        };
        // Characters of the pattern itself, plus a few others.
        let mut alphabet: Vec<char> = source
            .chars()
            .filter(|c| !"^$[]{}()\\".contains(*c))
            .collect();
        alphabet.extend(['-', ' ', 'é', '销', 'i', 'n', '0', '7', '_', 'a', 'Z', '9']);
        let strategy = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|cs| cs.into_iter().collect::<String>());
        let agree = |s: &str| ours.matches(s) == Some(ecma.is_valid(&serde_json::json!(s)));
        runner
            .run(&strategy, |s| {
                prop_assert!(agree(&s), "pattern {} on {:?}", source, s);
                Ok(())
            })
            .unwrap();
        // Long enough for exact counts: 36-character id shapes.
        for id in [
            "0123456789abcdef0123456789abcdefin07",
            "0123456789abcdef0123456789abcdefin17",
            "0123456789abcdef0123456789abcdefno07",
        ] {
            assert!(agree(id), "pattern {source} on {id:?}");
        }
    }
}
