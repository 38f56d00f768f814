//! Testing code that calls the service clients without a network (cargo
//! feature `mock`): a [`Mock`] answers each operation with what a test gives
//! it, in place of the HTTP transport. Everything else runs as in production —
//! validation, serialization, signing, retries, decoding — so a test sees the
//! same results and errors a real call would give.
//!
//! Each generated service crate has a typed `mock` module over this one (one
//! method per operation, taking the operation's reply type).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Config, Credentials, Method};

type Handler = Box<dyn Fn(&MockCall) -> MockReply + Send + Sync>;

#[derive(Default)]
struct State {
    answers: HashMap<&'static str, Handler>,
    calls: Vec<MockCall>,
}

/// Answers calls by operation; cheap to clone (clones share the answers and the
/// record of calls).
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (answers, calls) = match self.state.lock() {
            Ok(s) => (s.answers.len(), s.calls.len()),
            Err(_) => (0, 0),
        };
        f.debug_struct("Mock")
            .field("answers", &answers)
            .field("calls", &calls)
            .finish()
    }
}

/// One request a client made, as the mock received it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct MockCall {
    /// The operation (its `operationId`; `raw_request` for raw calls).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The request's headers other than the signature and credentials.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: Bytes,
}

impl MockCall {
    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body, decoded.
    ///
    /// # Errors
    /// The decoding error, as text.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_slice(&self.body).map_err(|e| e.to_string())
    }
}

/// What the mock answers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockReply {
    /// HTTP status.
    pub status: u16,
    /// Reply headers.
    pub headers: Vec<(String, String)>,
    /// Reply body.
    pub body: Bytes,
}

impl MockReply {
    /// A reply with `value` as its JSON body.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => MockReply {
                status,
                headers: vec![("content-type".to_owned(), "application/json".to_owned())],
                body: body.into(),
            },
            Err(e) => MockReply::error(500, "MOCK.0001", &format!("the answer is not JSON: {e}")),
        }
    }

    /// A reply with no body.
    pub fn empty(status: u16) -> Self {
        MockReply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A reply with this body and `Content-Type`.
    pub fn bytes(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        MockReply {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    /// An error reply as Huawei Cloud services send them.
    pub fn error(status: u16, error_code: &str, error_msg: &str) -> Self {
        MockReply::json(
            status,
            &serde_json::json!({ "error_code": error_code, "error_msg": error_msg }),
        )
    }

    /// Adds a reply header (e.g. `X-Request-Id`, `Retry-After`).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

impl Mock {
    /// A mock with no answers: every call gets a 501 naming the operation.
    pub fn new() -> Self {
        Mock::default()
    }

    /// A configuration whose clients talk to this mock (test credentials and
    /// project id; change anything with the `with_*` methods).
    pub fn config(&self) -> Config {
        Config::new()
            .with_endpoint("https://mock.invalid")
            .with_credentials(Credentials::aksk("MOCKAK", "MOCKSK"))
            .with_project_id("0123456789abcdef0123456789abcdef")
            .with_mock(self.clone())
    }

    /// Answers calls of `operation` with `answer` (replacing an earlier one).
    pub fn on(
        &self,
        operation: &'static str,
        answer: impl Fn(&MockCall) -> MockReply + Send + Sync + 'static,
    ) -> &Self {
        if let Ok(mut state) = self.state.lock() {
            state.answers.insert(operation, Box::new(answer));
        }
        self
    }

    /// The calls made so far, in order.
    pub fn calls(&self) -> Vec<MockCall> {
        self.state
            .lock()
            .map(|s| s.calls.clone())
            .unwrap_or_default()
    }

    /// The calls of one operation.
    pub fn calls_of(&self, operation: &str) -> Vec<MockCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.operation == operation)
            .collect()
    }

    /// Records `call` and answers it.
    pub(crate) fn answer(&self, call: MockCall) -> MockReply {
        let Ok(mut state) = self.state.lock() else {
            return MockReply::error(500, "MOCK.0002", "the mock's state is poisoned");
        };
        let reply = match state.answers.get(call.operation) {
            Some(answer) => answer(&call),
            None => MockReply::error(
                501,
                "MOCK.0000",
                &format!("the mock has no answer for `{}`", call.operation),
            ),
        };
        state.calls.push(call);
        reply
    }
}
