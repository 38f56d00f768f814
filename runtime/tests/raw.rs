//! The raw-request escape hatch: any path of a service, with the same signing,
//! project id, errors and decoding as the generated operations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use huaweicloud_sdk_core::__private::signer;
use huaweicloud_sdk_core::{Config, Credentials, Error, Method, RetryPolicy};
use huaweicloud_sdk_gaussdb::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn client(server: &MockServer, credentials: Credentials, project: Option<&str>) -> Client {
    let mut config = Config::new()
        .with_endpoint(server.uri())
        .with_credentials(credentials)
        .with_retry(RetryPolicy::disabled());
    if let Some(p) = project {
        config = config.with_project_id(p);
    }
    Client::new(&config).unwrap()
}

#[tokio::test]
async fn raw_get_is_signed_and_fills_the_project_id() {
    let server = MockServer::start().await;
    let route = format!("/v3/{PROJECT}/starrocks/flavors");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(query_param("availability_zone_mode", "single"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"flavors": [{"id": "f1"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let reply = client(&server, Credentials::aksk("AKRAW", "SKRAW"), Some(PROJECT))
        .raw(Method::Get, "/v3/{project_id}/starrocks/flavors")
        .query("availability_zone_mode", "single")
        .await
        .unwrap();
    assert_eq!(reply, json!({"flavors": [{"id": "f1"}]}));

    // The signature on the wire verifies against the received request.
    let received = &server.received_requests().await.unwrap()[0];
    let auth = received
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let signed_names: Vec<String> = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .split(';')
        .map(str::to_owned)
        .collect();
    let headers: Vec<(String, String)> = signed_names
        .iter()
        .filter(|n| n.as_str() != "host")
        .map(|n| {
            (
                n.clone(),
                received
                    .headers
                    .get(n.as_str())
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    let query: Vec<(String, String)> = received
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let authority = server.address().to_string();
    let date = received
        .headers
        .get("x-sdk-date")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let expected = signer::sign(
        &signer::SignableRequest {
            method: "GET",
            authority: &authority,
            path: received.url.path(),
            query: &query,
            headers: &headers,
            body: &received.body,
        },
        "AKRAW",
        "SKRAW",
        &date,
    );
    assert_eq!(auth, expected.authorization);
}

#[tokio::test]
async fn raw_post_sends_the_json_body_and_decodes_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/v3/p/instances/i/starrocks/databases/replication/table-config-check",
        ))
        .and(body_json(json!({"is_create_task": "true"})))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("X-Request-Id", "raw-req")
                .set_body_json(
                    json!({"error_code": "DBS.200022", "error_msg": "Instance not found."}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server, Credentials::token("tok"), Some("p"))
        .raw(
            Method::Post,
            "/v3/{project_id}/instances/i/starrocks/databases/replication/table-config-check",
        )
        .json(json!({"is_create_task": "true"}))
        .await
        .unwrap_err();
    match err {
        Error::Api(e) => {
            assert_eq!((e.status, e.error_code.as_str()), (400, "DBS.200022"));
            assert_eq!(e.request_id.as_deref(), Some("raw-req"));
            assert_eq!(e.operation, "raw_request");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn raw_path_without_project_needs_no_project_id_and_empty_reply_is_null() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v3/things/42"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let reply = client(&server, Credentials::token("tok"), None)
        .raw(Method::Delete, "v3/things/42")
        .await
        .unwrap();
    assert_eq!(reply, serde_json::Value::Null);

    // With a {project_id} placeholder and no project id: a configuration error, nothing sent.
    let err = client(&server, Credentials::token("tok"), None)
        .raw(Method::Get, "/v3/{project_id}/things")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("project id")),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
