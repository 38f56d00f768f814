//! The client probed as an attacker would, by what a raw TCP server on
//! 127.0.0.1 receives: no value a caller passes can make a request reach
//! another resource than its operation's, frame the request or forge a log
//! line; no reply a server sends makes an unbounded or multi-line message; no
//! secret appears in any `Debug`, `Display` or log output.
//!
//! Its own test binary: it installs the one global `tracing` subscriber of
//! `sdk_tests::logs`, which keeps every event of every test, so the tests can
//! look for the plain-http warning and for secrets in what was logged.

use std::cell::Cell;
use std::sync::Arc;

use huaweicloud_sdk_core::error::SHOWN_TEXT_LEN;
use huaweicloud_sdk_gaussdb::{Client, Config, Credentials, Error, Method, RetryPolicy};
use proptest::prelude::*;
use sdk_tests::logs::logged;
use sdk_tests::tcp::{RawRequest, RawServer, write_reply};
use sdk_tests::wire::{AK, PROJECT_ID, SK, bounded, percent_decode, verify_raw_signature};

/// A TaurusDB instance id that satisfies the spec's rule.
const INSTANCE: &str = "61a4ea66210545909d74a05c27a7179ein07";
const TOKEN: &str = "MIIToken-hardening-never-printed";
const SECURITY_TOKEN: &str = "SecurityToken-hardening-never-printed";
const PASSWORD: &str = "hunter2-endpoint-password";

/// The longest message any error may show: each text from a server or a
/// caller is shown cut to [`SHOWN_TEXT_LEN`] bytes, and a message holds at
/// most a handful of them beside its own words.
const MESSAGE_BOUND: usize = 6 * SHOWN_TEXT_LEN + 512;

// ---------------------------------------------------------------------------
// What was logged
// ---------------------------------------------------------------------------

/// No secret of this binary's in `text`.
#[track_caller]
fn assert_no_secret(text: &str, what: &str) {
    for secret in [SK, TOKEN, SECURITY_TOKEN, PASSWORD] {
        assert!(!text.contains(secret), "{what} shows the secret {secret:?}");
    }
}

/// A message on one line, within the bound, without a secret.
#[track_caller]
fn assert_safe_message(e: &Error) -> String {
    let shown = e.to_string();
    assert!(
        shown.len() <= MESSAGE_BOUND,
        "{} bytes, more than {MESSAGE_BOUND}: {}",
        shown.len(),
        &shown[..shown.len().min(2000)]
    );
    assert!(
        !shown.chars().any(char::is_control),
        "a raw control character in {shown:?}"
    );
    assert_no_secret(&shown, "an error message");
    assert_no_secret(&format!("{e:?}"), "Debug of an error");
    shown
}

// ---------------------------------------------------------------------------
// The server and the clients
// ---------------------------------------------------------------------------

/// A server that answers every request with `status` and `body`.
async fn server(status: &'static str, headers: Vec<(String, String)>, body: Vec<u8>) -> RawServer {
    let headers = Arc::new(headers);
    let body = Arc::new(body);
    RawServer::start(move |_, _, mut stream| {
        let headers = Arc::clone(&headers);
        let body = Arc::clone(&body);
        async move {
            let list: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            write_reply(&mut stream, status, &list, &body).await;
        }
    })
    .await
}

/// A server that answers `status` with an empty JSON object to everything.
async fn server_with_status(status: &'static str) -> RawServer {
    server(
        status,
        vec![("Content-Type".into(), "application/json".into())],
        b"{}".to_vec(),
    )
    .await
}

/// A server that answers `200 {}` to everything.
async fn ok_server() -> RawServer {
    server_with_status("200 OK").await
}

fn base(server: &RawServer) -> Config {
    Config::new()
        .with_endpoint(server.uri())
        .with_project_id(PROJECT_ID)
        .with_retry(RetryPolicy::disabled())
}

fn aksk(server: &RawServer) -> Client {
    client(base(server).with_credentials(Credentials::aksk(AK, SK)))
}

fn client(config: Config) -> Client {
    Client::new(&config).unwrap_or_else(|e| panic!("client: {e}"))
}

/// The three kinds of credentials, each with validation on and off.
fn every_client(server: &RawServer) -> Vec<(String, Client)> {
    let mut out = Vec::new();
    for validate in [true, false] {
        for (what, credentials) in [
            ("AK/SK", Credentials::aksk(AK, SK)),
            ("token", Credentials::token(TOKEN)),
            ("anonymous", Credentials::anonymous()),
        ] {
            out.push((
                format!("{what}, validation {validate}"),
                client(
                    base(server)
                        .with_credentials(credentials)
                        .with_validation(validate),
                ),
            ));
        }
    }
    out
}

/// The refusal of an input: `Error::Validation` naming `field`, nothing sent.
#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, Error>,
    server: &RawServer,
    field: &str,
    what: &str,
) -> String {
    let e = match result {
        Err(Error::Validation(e)) => e,
        other => panic!("{what}: expected Error::Validation, got {other:?}"),
    };
    assert_eq!(e.field, field, "{what}: {e}");
    assert!(server.requests().is_empty(), "{what}: a request was sent");
    assert_safe_message(&Error::Validation(e))
}

/// The path segments of a received request, percent-decoded one by one.
fn decoded_segments(path: &str) -> Vec<String> {
    path.split('/').map(percent_decode).collect()
}

// ===========================================================================
// 1. Dot segments
// ===========================================================================

#[tokio::test]
async fn dot_segments_in_path_parameters_are_refused_with_any_credentials() {
    let server = ok_server().await;
    for (what, c) in every_client(&server) {
        // The parent instance's delete API, and another list.
        let text = assert_refused(
            bounded(c.delete_starrocks_instance(INSTANCE, "..")).await,
            &server,
            "starrocks_instance_id",
            &what,
        );
        assert!(text.contains("dot segment"), "{what}: {text}");
        for value in [".", "..", ""] {
            let result = bounded(c.list_starrocks_instance_info(value, "sr")).await;
            let e = match result {
                Err(Error::Validation(e)) => e,
                other => panic!("{what}, {value:?}: expected Error::Validation, got {other:?}"),
            };
            assert_eq!(e.field, "instance_id", "{what}: {e}");
        }
    }
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

#[tokio::test]
async fn values_that_only_look_like_dot_segments_arrive_as_given() {
    let server = ok_server().await;
    let c = client(
        base(&server)
            .with_credentials(Credentials::aksk(AK, SK))
            .with_validation(false),
    );
    let values = [
        "...", ".a", "a.", "%2e", "%2E%2E", ".%2e", "a/../b", "..\\..",
    ];
    for value in values {
        let _ = bounded(c.delete_starrocks_instance(INSTANCE, value)).await;
    }
    let requests = server.requests();
    assert_eq!(requests.len(), values.len(), "one request per value");
    for (request, value) in requests.iter().zip(values) {
        let segments = decoded_segments(request.path());
        assert_eq!(
            segments,
            [
                "",
                "v3",
                PROJECT_ID,
                "instances",
                INSTANCE,
                "starrocks",
                value
            ],
            "{value:?} sent as {}",
            request.target
        );
        verify_raw_signature(request, AK, SK)
            .unwrap_or_else(|e| panic!("{value:?}: the signature does not verify: {e}"));
    }
}

#[tokio::test]
async fn a_dot_segment_project_id_is_refused_in_generated_and_raw_calls() {
    let server = ok_server().await;
    for project in ["..", "."] {
        let c = client(
            Config::new()
                .with_endpoint(server.uri())
                .with_project_id(project)
                .with_credentials(Credentials::token(TOKEN))
                .with_validation(false),
        );
        assert_refused(
            bounded(c.list_htap_instance_info(INSTANCE)).await,
            &server,
            "project_id",
            "generated",
        );
        assert_refused(
            bounded(c.raw(Method::Get, "/{project_id}/x")).await,
            &server,
            "project_id",
            "raw",
        );
    }
}

#[tokio::test]
async fn raw_paths_with_dot_segments_are_refused() {
    let server = ok_server().await;
    let c = aksk(&server);
    for path in [
        "/v3/{project_id}/instances/../x",
        "/v3/{project_id}/./x",
        "/v3/{project_id}/instances/%2E%2e",
        "/v3/{project_id}/.%2E/x",
        "/v3/{project_id}/%2e./x",
        "/v3/{project_id}/%2E/x",
        "/v3/{project_id}/a\\..\\b",
    ] {
        let text = assert_refused(
            bounded(c.raw(Method::Get, path)).await,
            &server,
            "path",
            path,
        );
        assert!(text.contains("raw path"), "{path}: {text}");
    }
}

// ===========================================================================
// 2. Messages are bounded and on one line
// ===========================================================================

#[tokio::test]
async fn a_huge_text_error_reply_gives_a_bounded_one_line_message() {
    let body = "ERROR 2026-12-07 forged log line\r\n".repeat(18_000);
    assert!(body.len() > 600_000);
    let server = server(
        "500 Internal Server Error",
        vec![("Content-Type".into(), "text/plain".into())],
        body.clone().into_bytes(),
    )
    .await;
    let e = bounded(aksk(&server).list_htap_instance_info(INSTANCE))
        .await
        .expect_err("a 500 reply");
    let shown = assert_safe_message(&e);
    assert!(
        shown.contains("\\r\\n"),
        "the line breaks are shown escaped: {shown}"
    );
    let Error::Api(api) = e else {
        panic!("expected Error::Api, got {e:?}")
    };
    // The whole body stays on the error value.
    assert_eq!(api.body, body);
    assert_eq!(api.error_msg, body);
}

#[tokio::test]
async fn server_text_in_every_field_of_an_error_is_escaped_and_cut() {
    let long = "x".repeat(10_000);
    let forged = "\r\n2026-12-07T00:00:00Z  INFO forged: \u{1b}[31mred\u{202e}";
    let body = serde_json::json!({
        "error_code": format!("DBS.1{forged}{long}"),
        "error_msg": format!("bad{forged}{long}"),
        "error_details": format!("details{forged}{long}"),
        "request_id": format!("req{forged}{long}"),
    })
    .to_string();
    let server = server(
        "400 Bad Request",
        vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-Request-Id".into(), format!("hdr-{long}")),
        ],
        body.into_bytes(),
    )
    .await;
    let e = bounded(aksk(&server).list_htap_instance_info(INSTANCE))
        .await
        .expect_err("a 400 reply");
    let shown = assert_safe_message(&e);
    assert!(shown.contains("\\u{1b}[31m"), "{shown}");
    assert!(shown.contains("\\u{202e}"), "{shown}");
    let Error::Api(api) = e else {
        panic!("expected Error::Api, got {e:?}")
    };
    assert!(
        api.error_msg.ends_with(&long),
        "the field keeps the whole message"
    );
    assert_eq!(
        api.request_id.as_deref(),
        Some(format!("hdr-{long}").as_str())
    );
}

#[tokio::test]
async fn a_success_reply_that_does_not_decode_gives_a_bounded_one_line_message() {
    let long = "y".repeat(10_000);
    for body in [
        // A string where the model has a list: serde quotes the value.
        format!(r#"{{"instances": "\r\nforged {long}"}}"#),
        // Not JSON at all.
        format!("\r\nforged\u{0}{long}"),
        // A key with a line break, on the path of the failure.
        format!(r#"{{"instances": [{{"bad\r\nkey{long}": 1, "port": {{}}}}]}}"#),
    ] {
        let server = server(
            "200 OK",
            vec![("Content-Type".into(), "application/json".into())],
            body.into_bytes(),
        )
        .await;
        let e = bounded(aksk(&server).list_htap_instance_info(INSTANCE))
            .await
            .expect_err("a reply that does not decode");
        assert!(matches!(e, Error::Decode(_)), "{e:?}");
        assert_safe_message(&e);
    }
}

#[tokio::test]
async fn caller_input_in_validation_and_configuration_messages_is_escaped() {
    let server = ok_server().await;
    let c = aksk(&server);
    // An unknown value of an open enumeration is quoted in the message.
    let forged = format!("zz\r\n2026-12-07 INFO forged {}", "z".repeat(5000));
    let e = bounded(
        c.list_htap_instance_info(INSTANCE)
            .x_language(forged.as_str()),
    )
    .await
    .expect_err("an unknown language");
    assert!(matches!(e, Error::Validation(_)), "{e:?}");
    let shown = assert_safe_message(&e);
    assert!(shown.contains("zz\\r\\n2026"), "{shown}");
    // A header value that HTTP cannot carry, with validation off.
    let lax = client(
        base(&server)
            .with_credentials(Credentials::aksk(AK, SK))
            .with_validation(false),
    );
    assert_refused(
        bounded(
            lax.list_htap_instance_info(INSTANCE)
                .x_language(forged.as_str()),
        )
        .await,
        &server,
        "header X-Language",
        "a header value with CR/LF",
    );
    // A region that is not known.
    let e = Client::new(
        &Config::new()
            .with_region(format!("cn-north-4\r\nforged {}", "r".repeat(5000)))
            .with_credentials(Credentials::aksk(AK, SK)),
    )
    .expect_err("an unknown region");
    let shown = assert_safe_message(&e);
    assert!(shown.contains("cn-north-4\\r\\nforged"), "{shown}");
    assert!(server.requests().is_empty());
}

// ===========================================================================
// 3. An endpoint's password
// ===========================================================================

#[tokio::test]
async fn an_endpoint_password_is_never_shown_and_the_endpoint_is_refused() {
    let server = ok_server().await;
    let endpoint = format!("http://user:{PASSWORD}@{}", server.authority());
    let config = Config::new()
        .with_endpoint(endpoint)
        .with_credentials(Credentials::aksk(AK, SK))
        .with_project_id(PROJECT_ID);
    let debug = format!("{config:?}");
    assert_no_secret(&debug, "Debug of the Config");
    assert!(
        debug.contains(&format!("***@{}", server.authority())),
        "{debug}"
    );
    let e = Client::new(&config).expect_err("an endpoint with userinfo");
    let shown = assert_safe_message(&e);
    assert!(shown.contains("user name or password"), "{shown}");
    // One that does not parse, with its password.
    for endpoint in [
        format!("http://user:{PASSWORD}@[::1"),
        format!("http://user:{PASSWORD}@exa mple.com:99999"),
    ] {
        let config = Config::new()
            .with_endpoint(endpoint.as_str())
            .with_credentials(Credentials::aksk(AK, SK));
        assert_no_secret(&format!("{config:?}"), "Debug of the Config");
        let e = Client::new(&config).expect_err("an endpoint that does not parse");
        assert_safe_message(&e);
    }
    // A proxy's password neither, also when the proxy cannot be reached (port
    // 9, discard, is closed here) or answers with an error.
    let refusing = server_with_status("407 Proxy Authentication Required").await;
    for proxy in [
        format!("http://user:{PASSWORD}@127.0.0.1:9"),
        format!("http://user:{PASSWORD}@{}", refusing.authority()),
    ] {
        let config = Config::new()
            .with_endpoint("http://proxied.invalid")
            .with_proxy(proxy)
            .with_credentials(Credentials::token(TOKEN))
            .with_project_id(PROJECT_ID)
            .with_retry(RetryPolicy::disabled());
        assert_no_secret(&format!("{config:?}"), "Debug of the Config");
        let c = client(config);
        assert_no_secret(&format!("{c:?}"), "Debug of the Client");
        let e = bounded(c.list_htap_instance_info(INSTANCE))
            .await
            .expect_err("no way through the proxy");
        assert_safe_message(&e);
    }
    assert_eq!(refusing.requests().len(), 1);
    assert_no_secret(&logged(), "the log");
    assert!(server.requests().is_empty());
}

// ===========================================================================
// 4. Raw requests: the headers the client owns, queries in the path
// ===========================================================================

#[tokio::test]
async fn raw_calls_cannot_set_the_headers_the_client_owns() {
    let server = ok_server().await;
    for credentials in [
        Credentials::aksk(AK, SK),
        Credentials::temporary(AK, SK, SECURITY_TOKEN),
        Credentials::token(TOKEN),
    ] {
        let c = client(base(&server).with_credentials(credentials));
        for name in [
            "Host",
            "host",
            "Authorization",
            "authorization",
            "Content-Length",
            "Transfer-Encoding",
            "X-Sdk-Date",
            "X-Security-Token",
            "x-security-token",
            "X-Auth-Token",
            "X-Project-Id",
            "User-Agent",
            "content-type",
            "Connection",
        ] {
            let text = assert_refused(
                bounded(c.raw(Method::Post, "/v3/{project_id}/x").header(name, "1")).await,
                &server,
                &format!("header {name}"),
                name,
            );
            assert!(text.contains("a raw call cannot set it"), "{name}: {text}");
        }
    }
}

#[tokio::test]
async fn raw_paths_with_a_query_fragment_or_control_character_are_refused() {
    let server = ok_server().await;
    let c = aksk(&server);
    for (path, says) in [
        ("/v3/{project_id}/x?limit=1", ".query(name, value)"),
        ("/v3/{project_id}/x#part", ".query(name, value)"),
        ("/v3/{project_id}/x\r\nX-Evil: 1", "control character"),
        ("/v3/{project_id}/x\ty", "control character"),
        (
            "/v3/{project_id}/instances/{instance_id}",
            "only {project_id}",
        ),
    ] {
        let text = assert_refused(
            bounded(c.raw(Method::Get, path).query("q", "1")).await,
            &server,
            "path",
            path,
        );
        assert!(text.contains(says), "{path:?}: {text}");
    }
}

#[tokio::test]
async fn a_raw_call_sends_its_own_headers_once_beside_the_clients() {
    let server = ok_server().await;
    let reply = bounded(
        aksk(&server)
            .raw(Method::Post, "/v3/{project_id}/x")
            .header("X-Language", "en-us")
            .header("X-Client-Token", "abc")
            .query("a", "1 2")
            .json(serde_json::json!({"k": "v"})),
    )
    .await
    .unwrap_or_else(|e| panic!("raw call: {e}"));
    assert_eq!(reply, serde_json::json!({}));
    let requests = server.requests();
    let [request] = requests.as_slice() else {
        panic!("expected one request, got {requests:#?}")
    };
    assert_eq!(request.target, format!("/v3/{PROJECT_ID}/x?a=1%202"));
    for name in [
        "Host",
        "Authorization",
        "Content-Type",
        "User-Agent",
        "X-Project-Id",
        "X-Sdk-Date",
        "X-Language",
        "X-Client-Token",
    ] {
        assert_eq!(request.header_values(name).len(), 1, "{name}: {request:#?}");
    }
    verify_raw_signature(request, AK, SK)
        .unwrap_or_else(|e| panic!("the signature does not verify: {e}"));
}

// ===========================================================================
// 5. Plain http with credentials
// ===========================================================================

/// The warnings of `logged()` that name `host`.
fn plain_http_warnings(host: &str) -> usize {
    logged()
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("plain http") && l.contains(host))
        .count()
}

/// Credentials over plain http to a remote host: one warning per client. The
/// remote host is reached through a proxy on 127.0.0.1 (the test server), so
/// nothing leaves this machine.
#[tokio::test]
async fn credentials_over_plain_http_to_a_remote_host_warn_once_per_client() {
    logged();
    let proxy = ok_server().await;
    let host = "plain-http-warning.invalid";
    let remote = |credentials: Credentials| {
        client(
            Config::new()
                .with_endpoint(format!("http://{host}"))
                .with_proxy(proxy.uri())
                .with_project_id(PROJECT_ID)
                .with_credentials(credentials)
                .with_retry(RetryPolicy::disabled()),
        )
    };
    let c = remote(Credentials::token(TOKEN));
    for _ in 0..3 {
        bounded(c.raw(Method::Get, "/v3/{project_id}/x"))
            .await
            .unwrap_or_else(|e| panic!("through the proxy: {e}"));
    }
    let requests = proxy.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests[0].target.starts_with(&format!("http://{host}/")),
        "the proxy got {}",
        requests[0].target
    );
    assert_eq!(plain_http_warnings(host), 1, "{}", logged());
    // A second client warns again; anonymous calls carry nothing to protect.
    let _ = bounded(remote(Credentials::aksk(AK, SK)).raw(Method::Get, "/x")).await;
    assert_eq!(plain_http_warnings(host), 2, "{}", logged());
    let _ = bounded(remote(Credentials::anonymous()).raw(Method::Get, "/x")).await;
    assert_eq!(plain_http_warnings(host), 2, "{}", logged());
    // Loopback over plain http is a local test server: no warning.
    let local = ok_server().await;
    let _ = bounded(aksk(&local).list_htap_instance_info(INSTANCE)).await;
    assert_eq!(plain_http_warnings(&local.authority()), 0, "{}", logged());
    assert_no_secret(&logged(), "the log");
}

// ===========================================================================
// 6. Property: refused, or exactly the template filled with the values
// ===========================================================================

/// Pieces that break encoders: dots, slashes, percent signs, line breaks, NUL,
/// query and fragment marks, Unicode (a combining mark, a direction override,
/// an astral character), and a long run.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("/".to_owned()),
        Just("\\".to_owned()),
        Just("%".to_owned()),
        Just("%2e".to_owned()),
        Just("%2F".to_owned()),
        Just("%zz".to_owned()),
        Just("\r\n".to_owned()),
        Just("\0".to_owned()),
        Just("?".to_owned()),
        Just("#".to_owned()),
        Just("&=+;".to_owned()),
        Just(" ".to_owned()),
        Just("é\u{301}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("𝄞".to_owned()),
        Just("x".repeat(3000)),
        "[a-zA-Z0-9_~-]{1,8}",
        any::<char>().prop_map(String::from),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..4).prop_map(|parts| parts.concat())
}

/// One property test's server, runtime and tally: each call is either refused
/// before sending or sends exactly one request.
struct Probe {
    runtime: tokio::runtime::Runtime,
    server: RawServer,
    sent: Cell<u32>,
    refused: Cell<u32>,
}

impl Probe {
    fn start() -> Probe {
        logged();
        let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("runtime: {e}"));
        let server = runtime.block_on(ok_server());
        Probe {
            runtime,
            server,
            sent: Cell::new(0),
            refused: Cell::new(0),
        }
    }

    /// Makes the call; the request it sent, or `None` when it was refused
    /// (with `Error::Validation` and a safe message) and sent nothing.
    fn call<F, T>(&self, call: F) -> Option<RawRequest>
    where
        F: std::future::IntoFuture<Output = Result<T, Error>>,
        T: std::fmt::Debug,
    {
        let before = self.server.requests().len();
        let result = self.runtime.block_on(bounded(call));
        let requests = self.server.requests();
        assert!(
            requests.len() <= before + 1,
            "one call sent {} requests",
            requests.len() - before
        );
        let Some(request) = requests.get(before).cloned() else {
            match &result {
                Err(e @ Error::Validation(_)) => assert_safe_message(e),
                other => panic!("nothing was sent, yet the call gave {other:?}"),
            };
            self.refused.set(self.refused.get() + 1);
            return None;
        };
        self.sent.set(self.sent.get() + 1);
        Some(request)
    }

    /// Reports the tally; both outcomes must have been seen often.
    fn finish(&self, what: &str) {
        let (sent, refused) = (self.sent.get(), self.refused.get());
        eprintln!("{what}: {sent} sent, {refused} refused before sending");
        assert!(
            sent > CASES / 4 && refused > CASES / 20,
            "{what}: {sent} sent, {refused} refused"
        );
    }
}

/// The values of `name` in a received query, decoded.
fn query_values(request: &RawRequest, name: &str) -> Vec<String> {
    sdk_tests::wire::raw_query_pairs(request.query().unwrap_or_default())
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

/// What HTTP carries of a header value: without the surrounding whitespace
/// (RFC 9110 §5.5), as the signer signs it.
fn carried(value: &str) -> &str {
    value.trim_matches([' ', '\t'])
}

const CASES: u32 = 400;

fn property_config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

#[test]
fn generated_calls_reach_exactly_their_template() {
    let probe = Probe::start();
    let c = client(
        base(&probe.server)
            .with_credentials(Credentials::aksk(AK, SK))
            .with_validation(false),
    );
    proptest!(property_config(), |(instance in value(), limit in value(), offset in value(), language in value())| {
        let call = c
            .list_star_rocks_data_replications(instance.as_str())
            .limit(limit.as_str())
            .offset(offset.as_str())
            .x_language(language.as_str());
        let Some(request) = probe.call(call) else {
            return Ok(());
        };
        prop_assert_eq!(&request.method, "GET");
        prop_assert_eq!(
            decoded_segments(request.path()),
            ["", "v3", PROJECT_ID, "instances", instance.as_str(), "starrocks", "databases", "replication"]
        );
        prop_assert_eq!(query_values(&request, "limit"), [limit.as_str()]);
        prop_assert_eq!(query_values(&request, "offset"), [offset.as_str()]);
        prop_assert_eq!(request.header_values("X-Language"), [carried(&language)]);
        let signed = verify_raw_signature(&request, AK, SK);
        prop_assert!(signed.is_ok(), "the signature does not verify: {:?}", signed);
    });
    probe.finish("generated calls");
}

#[test]
fn raw_calls_reach_exactly_the_path_they_name() {
    let probe = Probe::start();
    let c = aksk(&probe.server);
    proptest!(property_config(), |(segment in value(), key in value(), query in value(), header in value())| {
        let path = format!("/v3/{{project_id}}/raw/{segment}/end");
        let call = c
            .raw(Method::Get, path.as_str())
            .query(key.as_str(), query.as_str())
            .header("X-Probe", header.as_str());
        let Some(request) = probe.call(call) else {
            return Ok(());
        };
        // The resource the caller's (percent-encoded) path names, segment by
        // segment, is the one the server decodes.
        let named = path.replace("{project_id}", PROJECT_ID);
        prop_assert_eq!(decoded_segments(request.path()), decoded_segments(&named));
        prop_assert_eq!(query_values(&request, &key), [query.as_str()]);
        prop_assert_eq!(request.header_values("X-Probe"), [carried(&header)]);
        let signed = verify_raw_signature(&request, AK, SK);
        prop_assert!(signed.is_ok(), "the signature does not verify: {:?}", signed);
    });
    probe.finish("raw calls");
}

#[test]
fn nothing_logged_holds_a_secret() {
    // Runs beside the others; whatever they logged by now holds no secret.
    assert_no_secret(&logged(), "the log");
}
