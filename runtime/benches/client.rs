// A benchmark binary: failing loudly on a broken setup is what we want here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

//! Benchmarks of the request pipeline.
//!
//! - `sign/create_starrocks_instance`: `SDK-HMAC-SHA256` signing of one realistic
//!   POST (the spec's example body, SDK-like headers, a temporary-credential token).
//! - `call/{sdk,reqwest_by_hand}` (GET `list_htap_instance_info`) and
//!   `call_post/{sdk,reqwest_by_hand}` (POST `create_star_rocks_data_replication`):
//!   a whole call against a keep-alive HTTP/1.1 server on 127.0.0.1 started by this
//!   binary, through the generated client and through the same `reqwest::Client`
//!   driven by hand (same URL and headers, freshly signed, reply decoded with
//!   serde_json into the same generated model). The hand-written call is the
//!   baseline for the SDK's overhead.
//!
//! Before measuring, one call of each kind is made with the server recording the
//! requests, and the two sides are checked to send the same request (same request
//! line, header names and values, body; only the date and signature may differ) and
//! to decode the same value.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use huaweicloud_sdk_core::__private::signer::{self, SignableRequest};
use huaweicloud_sdk_core::{Config, Credentials, RetryPolicy};
use huaweicloud_sdk_gaussdb::{self as gaussdb, models};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const AK: &str = "HPUABENCHMARKAK12345";
const SK: &str = "bEnChMaRkSeCrEtKeY0123456789aBcDeFgHiJkL";
const PROJECT_ID: &str = "23a50154cf494ec9ad6883979a12db0a";
/// A TaurusDB instance id (suffix `in07`), as `list_htap_instance_info` wants.
const TAURUS_INSTANCE_ID: &str = "18c3eeb7b788479eb8b93b209946a83bin07";
/// A StarRocks instance id (suffix `in17`).
const STARROCKS_INSTANCE_ID: &str = "590031445ef845bb912d7fc8243db80cin17";
/// What the SDK sends by default.
const USER_AGENT: &str = concat!("huaweicloud-sdk-rust/", env!("CARGO_PKG_VERSION"));
const CONTENT_TYPE_NO_BODY: &str = "application/json";
const CONTENT_TYPE_JSON_BODY: &str = "application/json;charset=utf-8";
/// A fixed `X-Sdk-Date` for the signing benchmark.
const FIXED_DATE: &str = "20240522T080000Z";

/// The spec's request example of `create_starrocks_instance`.
const CREATE_STARROCKS_INSTANCE_EXAMPLE: &str = r#"{
  "name": "htap-ff64",
  "engine": { "type": "star-rocks", "version": "3.1" },
  "ha": { "mode": "Single" },
  "fe_flavor_id": "afef3bfd-ac7c-32e1-ba44-c388acbb196a",
  "be_flavor_id": "de565db8-0a96-37ea-9388-61167624712c",
  "db_root_pwd": "Test@123!",
  "fe_count": 1,
  "be_count": 1,
  "az_mode": "single",
  "fe_volume": { "io_type": "SSD", "capacity_in_gb": 50 },
  "be_volume": { "io_type": "SSD", "capacity_in_gb": 50 },
  "az_code": "az",
  "time_zone": "UTC+08:00",
  "tags_info": {
    "sys_tags": [{ "key": "_sys_enterprise_project_id", "value": "0" }]
  }
}"#;

/// The spec's request example of `create_star_rocks_data_replication`.
const CREATE_DATA_REPLICATION_EXAMPLE: &str = r#"{
  "source_instance_id": "18c3eeb7b788479eb8b93b209946a83bin07",
  "source_node_id": "0123456789abcdef0123456789abcdefno07",
  "source_database": "source_database",
  "target_database": "target_database",
  "task_name": "task_name"
}"#;

/// The spec's reply example of `list_htap_instance_info`.
const LIST_HTAP_REPLY_EXAMPLE: &str = r#"{
  "total": 2,
  "instances": [
    {
      "id": "5fbd54b94f0f4adbb17f728f581d247ein17",
      "name": "htap-1f05",
      "engine_name": "star-rocks",
      "engine_version": "3.1.11",
      "project_id": "23a50154cf494ec9ad6883979a12db0a",
      "instance_state": {
        "instance_status": "normal",
        "create_fail_error_code": null,
        "fail_message": null,
        "wait_restart_for_params": false
      },
      "create_at": 1716364704475,
      "is_frozen": false,
      "ha_mode": "Cluster",
      "pay_model": "0",
      "order_id": null,
      "alter_order_id": "",
      "data_vip": "192.168.8.69,192.168.8.28,192.168.8.91",
      "readable_node_infos": [
        {
          "data_ip": "192.168.8.69",
          "node_id": "48e89b523de54a168bdd5ce0d6c134f0no17",
          "node_name": "htap-1f05_fe_shard01_node01"
        },
        {
          "data_ip": "192.168.8.28",
          "node_id": "70bcbaef85164a299188cc6798de67f6no17",
          "node_name": "htap-1f05_fe_shard01_node02"
        },
        {
          "data_ip": "192.168.8.91",
          "node_id": "f50fdf0c1e7447b3bca7d9eefe9d4a30no17",
          "node_name": "htap-1f05_fe_shard01_node03"
        }
      ],
      "proxy_ips": [],
      "data_vip_v6": null,
      "port": 3306,
      "available_zones": [
        { "code": "cn-southwest-244d", "description": "az4", "az_type": "Center" }
      ],
      "current_actions": [],
      "volume_type": "SSD",
      "server_type": "KVM",
      "enterprise_project_id": "0",
      "dedicated_resource_id": "",
      "network": {
        "vpc_id": "f7876b94-3696-419b-a609-161de4b42d59",
        "sub_net_id": "09249318-4a97-4e48-b314-ffaab86d4295",
        "security_group_id": ""
      },
      "ch_master_node_id": null,
      "node_num": 6
    },
    {
      "id": "914481def3574d5189baee926a26512din17",
      "name": "htap-5d98",
      "engine_name": "star-rocks",
      "engine_version": "3.1.11",
      "project_id": "23a50154cf494ec9ad6883979a12db0a",
      "instance_state": {
        "instance_status": "normal",
        "create_fail_error_code": "500000",
        "fail_message": null,
        "wait_restart_for_params": false
      },
      "create_at": 1716344516418,
      "is_frozen": false,
      "ha_mode": "Single",
      "pay_model": "0",
      "order_id": null,
      "alter_order_id": "",
      "data_vip": "192.168.8.4",
      "readable_node_infos": [
        {
          "data_ip": "192.168.8.4",
          "node_id": "7739bfbc4e244a8bac0662d63683c808no17",
          "node_name": "htap-5d98_fe_shard01_node01"
        }
      ],
      "proxy_ips": [],
      "data_vip_v6": null,
      "port": 3306,
      "available_zones": [
        { "code": "cn-southwest-244d", "description": "az4", "az_type": "Center" }
      ],
      "current_actions": [],
      "volume_type": "SSD",
      "server_type": "KVM",
      "enterprise_project_id": "0",
      "dedicated_resource_id": "",
      "network": {
        "vpc_id": "f7876b94-3696-419b-a609-161de4b42d59",
        "sub_net_id": "09249318-4a97-4e48-b314-ffaab86d4295",
        "security_group_id": ""
      },
      "ch_master_node_id": null,
      "node_num": 2
    }
  ],
  "max_htap_instance_num_of_taurus": 10
}"#;

/// The spec's reply example of `create_star_rocks_data_replication`.
const CREATE_DATA_REPLICATION_REPLY_EXAMPLE: &str = r#"{"job_id":"123"}"#;

// ---------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------

fn bench_sign(c: &mut Criterion) {
    // The body exactly as the SDK would send it: the example read into the
    // generated model and written back with serde_json.
    let model: models::StarRocksCreateRequest =
        serde_json::from_str(CREATE_STARROCKS_INSTANCE_EXAMPLE).expect("example fits the model");
    let body = serde_json::to_vec(&model).expect("model serializes");
    // A stand-in for a temporary credential's security token (a long base64 string).
    let security_token: String = "gQpjbi1ub3J0aC00iJ9Xt7pLm2vQ8wR3sZkYb5+cN/aF0dHe1Uo="
        .chars()
        .cycle()
        .take(1024)
        .collect();
    let headers = vec![
        ("X-Language".to_owned(), "en-us".to_owned()),
        ("User-Agent".to_owned(), USER_AGENT.to_owned()),
        ("Content-Type".to_owned(), CONTENT_TYPE_JSON_BODY.to_owned()),
        ("X-Project-Id".to_owned(), PROJECT_ID.to_owned()),
        ("X-Security-Token".to_owned(), security_token),
    ];
    let path = format!("/v3/{PROJECT_ID}/instances/{TAURUS_INSTANCE_ID}/starrocks");
    let request = SignableRequest {
        method: "POST",
        authority: "gaussdb.cn-north-4.myhuaweicloud.com",
        path: &path,
        query: &[],
        headers: &headers,
        body: &body,
    };
    let signed = signer::sign(&request, AK, SK, FIXED_DATE);
    assert!(signed.authorization.starts_with("SDK-HMAC-SHA256 Access="));
    println!(
        "sign/create_starrocks_instance: body {} bytes, canonical request {} bytes",
        body.len(),
        signed.canonical_request.len()
    );

    let mut group = c.benchmark_group("sign");
    group.bench_function("create_starrocks_instance", |b| {
        b.iter(|| {
            signer::sign(
                black_box(&request),
                black_box(AK),
                black_box(SK),
                black_box(FIXED_DATE),
            )
        });
    });
    group.finish();
}

// ---------------------------------------------------------------------------
// The local HTTP server
// ---------------------------------------------------------------------------

/// What the server answers and, while `capture` is on, the requests it saw.
struct ServerState {
    get_reply: Vec<u8>,
    post_reply: Vec<u8>,
    capture: AtomicBool,
    captured: Mutex<Vec<Vec<u8>>>,
}

/// A fixed `200` reply with a JSON body.
fn http_reply(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Starts the server on its own thread and runtime (so it does not share the
/// benchmark's executor) and returns its address.
fn start_server(state: Arc<ServerState>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("local address");
    std::thread::Builder::new()
        .name("bench-http-server".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    let (stream, _) = listener.accept().await.expect("accept");
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        // A connection error just ends that connection.
                        let _ = serve_connection(stream, &state).await;
                    });
                }
            });
        })
        .expect("server thread");
    addr
}

/// Answers every request of one keep-alive connection, until the peer closes it.
async fn serve_connection(mut stream: TcpStream, state: &ServerState) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        // The head: everything up to the blank line.
        let mut searched = 0;
        let head_len = loop {
            if let Some(pos) = buf[searched..].windows(4).position(|w| w == b"\r\n\r\n") {
                break searched + pos + 4;
            }
            searched = buf.len().saturating_sub(3);
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        // The body: `Content-Length` bytes after the head.
        let total = head_len + content_length(&buf[..head_len]);
        while buf.len() < total {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        if state.capture.load(Ordering::Relaxed) {
            state.captured.lock().unwrap().push(buf[..total].to_vec());
        }
        let reply = if buf.starts_with(b"GET ") {
            &state.get_reply
        } else {
            &state.post_reply
        };
        stream.write_all(reply).await?;
        // Keep whatever the client already sent of the next request.
        buf.drain(..total);
    }
}

/// The `Content-Length` of a request head (0 when absent).
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// The hand-written baseline
// ---------------------------------------------------------------------------

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a hand-written client holds: the shared HTTP client and where to send.
struct ByHand {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>`
    endpoint: String,
    /// `127.0.0.1:<port>`, the signed `Host`.
    authority: String,
}

impl ByHand {
    /// Signs and sends one request, checks the status, decodes the JSON reply.
    async fn send<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(String, String)],
        body: Vec<u8>,
    ) -> Result<T, BoxError> {
        let date = signer::sdk_date(SystemTime::now());
        let signed = signer::sign(
            &SignableRequest {
                method: method.as_str(),
                authority: &self.authority,
                path,
                query: &[],
                headers,
                body: &body,
            },
            AK,
            SK,
            &date,
        );
        let url = format!("{}{}", self.endpoint, signed.path_and_query);
        let mut request = self.http.request(method, url);
        for (name, value) in &signed.headers {
            // reqwest writes `Host` from the URL; it is the signed value.
            if !name.eq_ignore_ascii_case("host") {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        if !body.is_empty() {
            request = request.body(body);
        }
        let response = request.send().await?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        let reply = response.bytes().await?;
        Ok(serde_json::from_slice(&reply)?)
    }

    /// `GET /v3/{project_id}/instances/{instance_id}/htap`.
    async fn list_htap_instance_info(
        &self,
        instance_id: &str,
    ) -> Result<models::ListHtapInstanceInfoResponse, BoxError> {
        let path = format!("/v3/{PROJECT_ID}/instances/{instance_id}/htap");
        let headers = [
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            ("Content-Type".to_owned(), CONTENT_TYPE_NO_BODY.to_owned()),
            ("X-Project-Id".to_owned(), PROJECT_ID.to_owned()),
        ];
        self.send(reqwest::Method::GET, &path, &headers, Vec::new())
            .await
    }

    /// `POST /v3/{project_id}/instances/{instance_id}/starrocks/databases/replication`.
    async fn create_star_rocks_data_replication(
        &self,
        instance_id: &str,
        x_language: models::XLanguage,
        body: models::CreateStarRocksDataReplication,
    ) -> Result<models::CreateStarRocksDataReplicationResponse, BoxError> {
        let path =
            format!("/v3/{PROJECT_ID}/instances/{instance_id}/starrocks/databases/replication");
        let headers = [
            ("X-Language".to_owned(), x_language.to_string()),
            ("User-Agent".to_owned(), USER_AGENT.to_owned()),
            ("Content-Type".to_owned(), CONTENT_TYPE_JSON_BODY.to_owned()),
            ("X-Project-Id".to_owned(), PROJECT_ID.to_owned()),
        ];
        let body = serde_json::to_vec(&body)?;
        self.send(reqwest::Method::POST, &path, &headers, body)
            .await
    }
}

// ---------------------------------------------------------------------------
// Checking that both sides send the same request
// ---------------------------------------------------------------------------

/// A captured request: request line, headers (lower-case names, sorted), body.
#[derive(Debug, PartialEq)]
struct Seen {
    request_line: String,
    headers: BTreeMap<String, Vec<String>>,
    body: Vec<u8>,
}

fn parse_seen(raw: &[u8]) -> Seen {
    let head_len = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete head")
        + 4;
    let head = std::str::from_utf8(&raw[..head_len]).expect("ASCII head");
    let mut lines = head.split("\r\n").filter(|l| !l.is_empty());
    let request_line = lines.next().expect("request line").to_owned();
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        let (name, value) = line.split_once(':').expect("header line");
        let name = name.trim().to_ascii_lowercase();
        let mut value = value.trim().to_owned();
        match name.as_str() {
            // Differ with the second the request was signed in.
            "x-sdk-date" => value = "<date>".to_owned(),
            "authorization" => {
                if let Some((kept, _)) = value.split_once("Signature=") {
                    value = format!("{kept}Signature=<signature>");
                }
            }
            _ => {}
        }
        headers.entry(name).or_default().push(value);
    }
    Seen {
        request_line,
        headers,
        body: raw[head_len..].to_vec(),
    }
}

/// Runs `sdk` then `by_hand` with the server recording, and checks that the two
/// requests match and the two decoded replies are equal.
fn check_same<T: PartialEq + std::fmt::Debug>(
    runtime: &tokio::runtime::Runtime,
    state: &ServerState,
    what: &str,
    sdk: impl std::future::Future<Output = T>,
    by_hand: impl std::future::Future<Output = T>,
) {
    state.captured.lock().unwrap().clear();
    state.capture.store(true, Ordering::Relaxed);
    let from_sdk = runtime.block_on(sdk);
    let from_hand = runtime.block_on(by_hand);
    state.capture.store(false, Ordering::Relaxed);
    let captured = std::mem::take(&mut *state.captured.lock().unwrap());
    assert_eq!(captured.len(), 2, "{what}: expected two requests");
    let (a, b) = (parse_seen(&captured[0]), parse_seen(&captured[1]));
    assert_eq!(a, b, "{what}: the SDK and the hand-written call differ");
    assert_eq!(from_sdk, from_hand, "{what}: decoded replies differ");
    println!(
        "{what}: same request from both sides ({} headers, {}-byte body)",
        a.headers.len(),
        a.body.len()
    );
}

// ---------------------------------------------------------------------------
// Whole calls
// ---------------------------------------------------------------------------

fn bench_calls(c: &mut Criterion) {
    let list_reply: serde_json::Value =
        serde_json::from_str(LIST_HTAP_REPLY_EXAMPLE).expect("reply example is JSON");
    let state = Arc::new(ServerState {
        get_reply: http_reply(&list_reply.to_string()),
        post_reply: http_reply(CREATE_DATA_REPLICATION_REPLY_EXAMPLE),
        capture: AtomicBool::new(false),
        captured: Mutex::new(Vec::new()),
    });
    let addr = start_server(Arc::clone(&state));

    // One executor for both sides: current-thread, so the client's connection
    // tasks and the benchmark future share one thread (the server has its own).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("benchmark runtime");
    let http = reqwest::Client::builder().build().expect("reqwest client");

    let endpoint = format!("http://{addr}");
    let config = Config::new()
        .with_endpoint(endpoint.clone())
        .with_project_id(PROJECT_ID)
        .with_credentials(Credentials::aksk(AK, SK))
        .with_retry(RetryPolicy::disabled())
        .with_http_client(http.clone());
    let sdk = gaussdb::Client::new(&config).expect("gaussdb client");
    // The same client without the spec's checks, to tell their cost from the
    // rest (the hand-written call checks nothing).
    let unchecked =
        gaussdb::Client::new(&config.clone().with_validation(false)).expect("gaussdb client");
    let by_hand = ByHand {
        http,
        endpoint,
        authority: addr.to_string(),
    };
    let replication: models::CreateStarRocksDataReplication =
        serde_json::from_str(CREATE_DATA_REPLICATION_EXAMPLE).expect("example fits the model");

    check_same(
        &runtime,
        &state,
        "GET list_htap_instance_info",
        async {
            sdk.list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap()
        },
        async {
            by_hand
                .list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap()
        },
    );
    check_same(
        &runtime,
        &state,
        "POST create_star_rocks_data_replication",
        async {
            sdk.create_star_rocks_data_replication(
                STARROCKS_INSTANCE_ID,
                models::XLanguage::EnUs,
                replication.clone(),
            )
            .await
            .unwrap()
        },
        async {
            by_hand
                .create_star_rocks_data_replication(
                    STARROCKS_INSTANCE_ID,
                    models::XLanguage::EnUs,
                    replication.clone(),
                )
                .await
                .unwrap()
        },
    );

    // Instruction-count mode, for a measure the machine's load cannot move: run
    // under `valgrind --tool=callgrind` with HWC_BENCH_CALLS=N and compare the
    // inclusive counts of the four `calls_*` functions (see README).
    if let Some(n) = std::env::var("HWC_BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        calls_sdk_get(&runtime, &sdk, n);
        calls_by_hand_get(&runtime, &by_hand, n);
        calls_sdk_post(&runtime, &sdk, &replication, n);
        calls_by_hand_post(&runtime, &by_hand, &replication, n);
        calls_unchecked_post(&runtime, &unchecked, &replication, n);
        return;
    }

    let (sdk, by_hand, replication) = (&sdk, &by_hand, &replication);

    let mut group = c.benchmark_group("call");
    group.bench_function("sdk", |b| {
        b.to_async(&runtime).iter(|| async move {
            sdk.list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap()
        });
    });
    group.bench_function("reqwest_by_hand", |b| {
        b.to_async(&runtime).iter(|| async move {
            by_hand
                .list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap()
        });
    });
    group.finish();

    // Both sides get an owned body per call, as the SDK's builder takes one.
    let mut group = c.benchmark_group("call_post");
    group.bench_function("sdk", |b| {
        b.to_async(&runtime).iter(|| async move {
            sdk.create_star_rocks_data_replication(
                STARROCKS_INSTANCE_ID,
                models::XLanguage::EnUs,
                replication.clone(),
            )
            .await
            .unwrap()
        });
    });
    group.bench_function("reqwest_by_hand", |b| {
        b.to_async(&runtime).iter(|| async move {
            by_hand
                .create_star_rocks_data_replication(
                    STARROCKS_INSTANCE_ID,
                    models::XLanguage::EnUs,
                    replication.clone(),
                )
                .await
                .unwrap()
        });
    });
    group.finish();
}

#[inline(never)]
fn calls_sdk_get(runtime: &tokio::runtime::Runtime, sdk: &gaussdb::Client, n: usize) {
    runtime.block_on(async {
        for _ in 0..n {
            sdk.list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap();
        }
    });
}

#[inline(never)]
fn calls_by_hand_get(runtime: &tokio::runtime::Runtime, by_hand: &ByHand, n: usize) {
    runtime.block_on(async {
        for _ in 0..n {
            by_hand
                .list_htap_instance_info(TAURUS_INSTANCE_ID)
                .await
                .unwrap();
        }
    });
}

#[inline(never)]
fn calls_sdk_post(
    runtime: &tokio::runtime::Runtime,
    sdk: &gaussdb::Client,
    body: &models::CreateStarRocksDataReplication,
    n: usize,
) {
    runtime.block_on(async {
        for _ in 0..n {
            sdk.create_star_rocks_data_replication(
                STARROCKS_INSTANCE_ID,
                models::XLanguage::EnUs,
                body.clone(),
            )
            .await
            .unwrap();
        }
    });
}

#[inline(never)]
fn calls_unchecked_post(
    runtime: &tokio::runtime::Runtime,
    sdk: &gaussdb::Client,
    body: &models::CreateStarRocksDataReplication,
    n: usize,
) {
    calls_sdk_post(runtime, sdk, body, n);
}

#[inline(never)]
fn calls_by_hand_post(
    runtime: &tokio::runtime::Runtime,
    by_hand: &ByHand,
    body: &models::CreateStarRocksDataReplication,
    n: usize,
) {
    runtime.block_on(async {
        for _ in 0..n {
            by_hand
                .create_star_rocks_data_replication(
                    STARROCKS_INSTANCE_ID,
                    models::XLanguage::EnUs,
                    body.clone(),
                )
                .await
                .unwrap();
        }
    });
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_sign, bench_calls
}
criterion_main!(benches);
