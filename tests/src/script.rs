//! A scripted service on 127.0.0.1 for waiters and paging: each route (method
//! and path) answers from its own queue of replies, one per request, the last
//! one repeating; a reply may also drop the connection without answering.
//! Every request is recorded with the time it arrived.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::Value;

use crate::tcp::{RawRequest, RawServer, write_reply};

/// What a route answers to one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// A JSON reply.
    Json(u16, Value),
    /// A JSON reply with extra headers (`Retry-After`, ...).
    JsonWith(u16, Vec<(String, String)>, Value),
    /// The connection is closed without a reply.
    Drop,
}

impl Answer {
    /// A 200 JSON reply.
    pub fn ok(value: Value) -> Answer {
        Answer::Json(200, value)
    }

    /// A Huawei Cloud error reply.
    pub fn error(status: u16, code: &str, message: &str) -> Answer {
        Answer::Json(
            status,
            serde_json::json!({"error_code": code, "error_msg": message}),
        )
    }
}

/// One request as the script saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// When it arrived.
    pub at: Instant,
    /// The request.
    pub request: RawRequest,
}

impl Seen {
    /// The decoded value of query parameter `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        crate::wire::raw_query_pairs(self.request.query().unwrap_or_default())
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

struct Route {
    method: String,
    path: String,
    answers: VecDeque<Answer>,
}

#[derive(Default)]
struct State {
    routes: Vec<Route>,
    seen: Vec<Seen>,
}

/// A scripted server; dropped with the test.
pub struct Script {
    state: Arc<Mutex<State>>,
    server: RawServer,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Script {
    /// Starts a server with no routes (every request gets a 404 error reply).
    pub async fn start() -> Script {
        let state: Arc<Mutex<State>> = Arc::default();
        let shared = Arc::clone(&state);
        let server = RawServer::start(move |_, request, mut stream| {
            let answer = {
                let mut state = lock(&shared);
                let path = request.path().to_owned();
                state.seen.push(Seen {
                    at: Instant::now(),
                    request: request.clone(),
                });
                let route = state
                    .routes
                    .iter_mut()
                    .find(|r| r.method == request.method && r.path == path);
                match route {
                    Some(route) if route.answers.len() > 1 => route.answers.pop_front(),
                    Some(route) => route.answers.front().cloned(),
                    None => None,
                }
                .unwrap_or_else(|| {
                    Answer::error(
                        404,
                        "SCRIPT.404",
                        &format!("no route {} {path}", request.method),
                    )
                })
            };
            async move {
                let (status, headers, body) = match answer {
                    Answer::Drop => {
                        drop(stream);
                        return;
                    }
                    Answer::Json(status, body) => (status, Vec::new(), body),
                    Answer::JsonWith(status, headers, body) => (status, headers, body),
                };
                let mut all: Vec<(&str, &str)> = vec![("Content-Type", "application/json")];
                all.extend(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
                let body = serde_json::to_vec(&body).unwrap_or_default();
                write_reply(&mut stream, &format!("{status} Scripted"), &all, &body).await;
            }
        })
        .await;
        Script { state, server }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Answers `method path` with `answers`, in order, the last repeating.
    pub fn route(&self, method: &str, path: &str, answers: impl IntoIterator<Item = Answer>) {
        let answers: VecDeque<Answer> = answers.into_iter().collect();
        assert!(!answers.is_empty(), "{method} {path}: no answers");
        let mut state = lock(&self.state);
        state
            .routes
            .retain(|r| !(r.method == method && r.path == path));
        state.routes.push(Route {
            method: method.to_owned(),
            path: path.to_owned(),
            answers,
        });
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        lock(&self.state).seen.clone()
    }

    /// The requests to `method path`.
    pub fn seen_at(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.request.method == method && s.request.path() == path)
            .collect()
    }
}
