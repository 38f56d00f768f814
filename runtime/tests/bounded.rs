//! Bounded by default: a call to a server that accepts the connection and
//! never answers fails at the default deadline ([`DEFAULT_DEADLINE`], 90 s),
//! all attempts and back-off included, with nothing configured.
//!
//! The test runs on tokio's paused clock, which jumps ahead whenever the
//! runtime has nothing else to do, so the 90 s pass at once and exactly; the
//! silent server is a plain thread outside the runtime.

#![allow(clippy::panic, reason = "a test fails by panicking")]

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use huaweicloud_sdk_core::error::TimeoutKind;
use huaweicloud_sdk_core::{Config, Credentials, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_DEADLINE, Error};
use huaweicloud_sdk_gaussdb as gaussdb;

/// Accepts connections and reads what comes, answering nothing, for up to a
/// minute of real time.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("listen: {e}"));
    let address = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("address: {e}"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            held.push(stream);
        }
    });
    format!("http://{address}")
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_fails_the_call_at_the_default_deadline() {
    let config = Config::new()
        .with_endpoint(silent_server())
        .with_credentials(Credentials::aksk("AKBOUNDED", "SKBOUNDED"))
        .with_project_id("0123456789abcdef0123456789abcdef");
    assert_eq!(config.deadline(), Some(DEFAULT_DEADLINE));
    let client = gaussdb::Client::new(&config).unwrap_or_else(|e| panic!("{e}"));
    let started = tokio::time::Instant::now();
    let result = client
        .list_htap_instance_info("18c3eeb7b788479eb8b93b209946a83bin07")
        .await;
    let took = started.elapsed();
    // Three attempts of 30 s (the last one cut short by the deadline) and the
    // back-off between them: the call ends at the deadline, with the last
    // attempt's timeout or the deadline's.
    match result {
        Err(Error::Timeout(t)) => {
            assert!(
                matches!(t.kind, TimeoutKind::Attempt | TimeoutKind::Deadline),
                "{t}"
            );
            assert_eq!(t.attempts, 3, "{t}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    println!("a silent server failed the call after {took:?} (paused clock)");
    assert!(
        took >= 2 * DEFAULT_ATTEMPT_TIMEOUT && took <= DEFAULT_DEADLINE + Duration::from_millis(10),
        "the call ended after {took:?}"
    );
}
