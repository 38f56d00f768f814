//! Waiting for asynchronous work: poll the operation that reports its progress
//! until a terminal status, bounded in time and in polls, backing off with
//! jitter, riding out transient errors, observable at every poll.
//!
//! What to poll and which statuses mean what is declared in the spec
//! (`x-waiters`); the generated code describes it with a [`WaitSpec`] per
//! poller and hands the runtime a closure that performs one poll.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::time::Duration;

// The clock of the pauses between polls (see `client`).
use tokio::time::Instant;

use serde_json::Value;

use crate::Error;
use crate::client::{BoxFuture, Jitter};
use crate::error::{JobError, TimeoutError, TimeoutKind, shown};

/// How long and how often a wait polls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitPolicy {
    /// The whole wait ends with a timeout after this long (default 30 min).
    pub deadline: Duration,
    /// At most this many polls (default 600).
    pub max_polls: u32,
    /// The pause before the first poll and the first back-off (default 5 s).
    pub first_interval: Duration,
    /// The longest pause between polls (default 60 s).
    pub max_interval: Duration,
    /// How long an "unknown id" reply (a 404 or other client error) is taken as
    /// the work not being visible yet (default 30 s: a new job may take a few
    /// seconds to appear).
    pub grace: Duration,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy {
            deadline: Duration::from_secs(30 * 60),
            max_polls: 600,
            first_interval: Duration::from_secs(5),
            max_interval: Duration::from_secs(60),
            grace: Duration::from_secs(30),
        }
    }
}

/// What one poller reads from a reply (generated from `x-waiters`).
#[derive(Debug)]
pub struct WaitSpec {
    /// The polling operation (its `operationId`).
    pub poll: &'static str,
    /// Dot path of the status in the reply (`job.status`; `instances.0.status`).
    pub status: &'static str,
    /// Statuses that mean the work is done.
    pub success: &'static [&'static str],
    /// Statuses that mean the work failed.
    pub failure: &'static [&'static str],
    /// Dot paths of the failure reason, first present wins.
    pub reason: &'static [&'static str],
    /// Dot path of a progress value (`job.process`), if any.
    pub progress: Option<&'static str>,
    /// A client error from this poller (the resource is gone) means success:
    /// for deletions.
    pub gone_is_success: bool,
}

/// One poll, as seen by an observer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Polls made so far, this one included.
    pub poll: u32,
    /// The polling operation.
    pub poller: &'static str,
    /// The status read (`None` when the reply had none, or the poll failed).
    pub status: Option<String>,
    /// The progress value read, if the spec names one.
    pub progress: Option<String>,
    /// A transient error this poll met (it is retried).
    pub error: Option<String>,
    /// Time since the wait started.
    pub elapsed: Duration,
}

/// How a wait ended well.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Done {
    /// The final status (`None` when the resource is gone, for deletions).
    pub status: Option<String>,
    /// The last reply, as JSON (`null` for a deletion seen as gone).
    pub reply: Value,
    /// Polls made.
    pub polls: u32,
    /// Time the wait took.
    pub elapsed: Duration,
}

impl Done {
    /// The last reply read as `T` (the polling operation's reply model).
    ///
    /// # Errors
    /// When the reply is not a `T` (or there is none: a deletion seen as gone).
    pub fn reply_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.reply)
    }
}

/// One step of a wait, for callers that drive it poll by poll.
#[derive(Debug)]
pub enum Step {
    /// The work is still going; here is what the poll saw.
    Waiting(Progress),
    /// The wait is over.
    Finished(Result<Done, Error>),
}

type Poll = Box<dyn FnMut() -> BoxFuture<Result<Value, Error>> + Send>;
type Observer = Box<dyn FnMut(&Progress) + Send>;

/// A poller: what to read and how to poll.
pub struct Poller {
    spec: &'static WaitSpec,
    poll: Poll,
}

impl Poller {
    /// A poller for `spec` that runs `poll` each time.
    pub fn new<F, Fut>(spec: &'static WaitSpec, mut poll: F) -> Self
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<Value, Error>> + Send + 'static,
    {
        Poller {
            spec,
            poll: Box::new(move || Box::pin(poll())),
        }
    }
}

/// A wait for asynchronous work: `.await` it for the outcome, or call
/// [`step`](Self::step) for each poll. Configure it with the `with_*` methods.
#[must_use = "a wait does nothing until it is awaited or stepped"]
pub struct Waiter {
    operation: &'static str,
    id: String,
    policy: WaitPolicy,
    pollers: Vec<Poller>,
    current: usize,
    observer: Option<Observer>,
    started: Option<Instant>,
    polls: u32,
    /// Polls since the last success or switch, for the back-off.
    streak: u32,
    jitter: Jitter,
    next_pause: Option<Duration>,
}

impl fmt::Debug for Waiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("operation", &self.operation)
            .field("id", &self.id)
            .field("policy", &self.policy)
            .field(
                "poller",
                &self.pollers.get(self.current).map(|p| p.spec.poll),
            )
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}

/// The values at a dot path (`a.b.0.c`; `*` for every element of a list) of
/// JSON, as text; nulls and missing values are left out.
fn all_at_path(value: &Value, path: &str) -> Vec<String> {
    let mut current = vec![value];
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        current = current
            .into_iter()
            .flat_map(|v| -> Vec<&Value> {
                match (v, segment) {
                    (Value::Array(items), "*") => items.iter().collect(),
                    (Value::Object(map), "*") => map.values().collect(),
                    (Value::Array(items), index) => index
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i))
                        .into_iter()
                        .collect(),
                    (Value::Object(map), key) => map.get(key).into_iter().collect(),
                    _ => Vec::new(),
                }
            })
            .collect();
    }
    current
        .into_iter()
        .filter_map(|v| match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
        .collect()
}

/// The first value at a dot path of JSON, as text.
fn at_path(value: &Value, path: &str) -> Option<String> {
    all_at_path(value, path).into_iter().next()
}

/// A value of a reply at a dot path, as text (for poll arguments).
pub fn reply_value(reply: &Value, path: &str) -> Option<String> {
    at_path(reply, path)
}

/// The id of the work a reply names, at `path`.
///
/// # Errors
/// [`Error::Config`] when the reply has no such value: there is nothing to wait for.
pub fn waited_id(reply: &Value, path: &str, operation: &str) -> Result<String, Error> {
    at_path(reply, path)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            Error::config(format!(
                "{operation}: the reply has no `{path}`, so there is no work to wait for"
            ))
        })
}

/// What the statuses at a path (one, or one per element with `*`) say together:
/// failed when any failed, done when all are done, else the first still going.
enum Verdict {
    Done(Option<String>),
    Failed(String),
    Going(Option<String>),
}

fn verdict(spec: &WaitSpec, reply: &Value) -> Verdict {
    let statuses = all_at_path(reply, spec.status);
    if let Some(failed) = statuses.iter().find(|s| spec.failure.contains(&s.as_str())) {
        return Verdict::Failed(failed.clone());
    }
    if statuses.is_empty() {
        return if spec.gone_is_success {
            // A deletion's poller that finds nothing any more.
            Verdict::Done(None)
        } else {
            Verdict::Going(None)
        };
    }
    match statuses
        .iter()
        .find(|s| !spec.success.contains(&s.as_str()))
    {
        // Any other status (one nobody documented included) is kept and waited on.
        Some(going) => Verdict::Going(Some(going.clone())),
        None => Verdict::Done(statuses.into_iter().next()),
    }
}

/// Whether an error while polling is worth another poll: the network, a
/// timeout, throttling, a server error, a reply that did not decode.
fn transient(e: &Error) -> bool {
    match e {
        Error::Transport(_) | Error::Timeout(_) | Error::Decode(_) => true,
        Error::Api(api) => api.status == 429 || api.status >= 500,
        _ => false,
    }
}

/// A client error that may mean "this id is unknown (yet)".
fn not_known(e: &Error) -> bool {
    matches!(e, Error::Api(api) if (400..500).contains(&api.status) && !matches!(api.status, 401 | 403 | 429))
}

impl Waiter {
    /// A wait for the work `id` that `operation` started, polling `pollers` in
    /// order (a later one is used when the one before does not know the id).
    pub fn new(
        operation: &'static str,
        id: impl Into<String>,
        pollers: impl IntoIterator<Item = Poller>,
    ) -> Self {
        Waiter {
            operation,
            id: id.into(),
            policy: WaitPolicy::default(),
            pollers: pollers.into_iter().collect(),
            current: 0,
            observer: None,
            started: None,
            polls: 0,
            streak: 0,
            jitter: Jitter::new(),
            next_pause: None,
        }
    }

    /// The id of the work waited for.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Replaces the whole policy.
    pub fn with_policy(mut self, policy: WaitPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The overall deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.policy.deadline = deadline;
        self
    }

    /// The most polls.
    pub fn with_max_polls(mut self, polls: u32) -> Self {
        self.policy.max_polls = polls.max(1);
        self
    }

    /// The first pause and the longest one between polls.
    pub fn with_interval(mut self, first: Duration, max: Duration) -> Self {
        self.policy.first_interval = first;
        self.policy.max_interval = max.max(first);
        self
    }

    /// Calls `observe` after every poll, with what it saw.
    pub fn on_progress(mut self, observe: impl FnMut(&Progress) + Send + 'static) -> Self {
        self.observer = Some(Box::new(observe));
        self
    }

    fn timeout(&self, after: Duration) -> Error {
        Error::Timeout(Box::new(TimeoutError {
            operation: self.operation,
            host: format!("waiting for `{}`", self.id),
            kind: TimeoutKind::Wait,
            after,
            attempts: self.polls,
        }))
    }

    fn report(&mut self, progress: Progress) -> Step {
        tracing::debug!(
            operation = self.operation,
            id = %shown(&self.id),
            poll = progress.poll,
            poller = progress.poller,
            status = %shown(progress.status.as_deref().unwrap_or("")),
            progress = %shown(progress.progress.as_deref().unwrap_or("")),
            error = %shown(progress.error.as_deref().unwrap_or("")),
            "waiting"
        );
        if let Some(observe) = &mut self.observer {
            observe(&progress);
        }
        Step::Waiting(progress)
    }

    /// Pauses as the policy says, polls once, and says what it saw.
    pub async fn step(&mut self) -> Step {
        let started = *self.started.get_or_insert_with(Instant::now);
        let pause = self.next_pause.take().unwrap_or(self.policy.first_interval);
        let remaining = self.policy.deadline.saturating_sub(started.elapsed());
        if self.polls >= self.policy.max_polls {
            return Step::Finished(Err(self.timeout(started.elapsed())));
        }
        if pause >= remaining {
            tokio::time::sleep(remaining).await;
            return Step::Finished(Err(self.timeout(self.policy.deadline)));
        }
        tokio::time::sleep(pause).await;
        let Some(poller) = self.pollers.get_mut(self.current) else {
            return Step::Finished(Err(Error::config(format!(
                "{}: nothing to poll for `{}`",
                self.operation,
                crate::error::shown(&self.id)
            ))));
        };
        let spec = poller.spec;
        self.polls += 1;
        self.streak += 1;
        let result = (poller.poll)().await;
        let elapsed = started.elapsed();
        let backoff = self.jitter.between(
            self.policy.first_interval,
            self.policy.max_interval,
            self.streak + 1,
        );
        let mut progress = Progress {
            poll: self.polls,
            poller: spec.poll,
            status: None,
            progress: None,
            error: None,
            elapsed,
        };
        match result {
            Ok(reply) => {
                progress.progress = spec.progress.and_then(|p| at_path(&reply, p));
                match verdict(spec, &reply) {
                    Verdict::Done(status) => {
                        progress.status = status.clone();
                        self.report(progress);
                        Step::Finished(Ok(Done {
                            status,
                            reply,
                            polls: self.polls,
                            elapsed,
                        }))
                    }
                    Verdict::Failed(status) => {
                        progress.status = Some(status.clone());
                        self.report(progress);
                        let reason = spec.reason.iter().find_map(|p| at_path(&reply, p));
                        Step::Finished(Err(Error::Job(Box::new(JobError {
                            operation: self.operation,
                            id: self.id.clone(),
                            status: Some(status),
                            reason,
                            polls: self.polls,
                        }))))
                    }
                    Verdict::Going(status) => {
                        progress.status = status;
                        self.next_pause = Some(backoff);
                        self.report(progress)
                    }
                }
            }
            Err(e) if not_known(&e) && spec.gone_is_success => {
                // Deleted: the poller no longer finds it.
                self.report(progress);
                Step::Finished(Ok(Done {
                    status: None,
                    reply: Value::Null,
                    polls: self.polls,
                    elapsed,
                }))
            }
            Err(e) if not_known(&e) && self.current + 1 < self.pollers.len() => {
                // This poller does not know the id: the next one is asked.
                progress.error = Some(e.to_string());
                tracing::debug!(operation = self.operation, id = %shown(&self.id), error = %e, "poller does not know the id; trying the next");
                self.current += 1;
                self.streak = 0;
                self.next_pause = Some(Duration::ZERO);
                self.report(progress)
            }
            Err(e) if transient(&e) || (not_known(&e) && elapsed < self.policy.grace) => {
                // A dropped connection, throttling or a server error is not the
                // work failing: poll again, after Retry-After when one is given.
                let retry_after = match &e {
                    Error::Api(api) => api.retry_after,
                    _ => None,
                };
                progress.error = Some(e.to_string());
                tracing::warn!(operation = self.operation, id = %shown(&self.id), error = %e, "poll failed; polling again");
                self.next_pause = Some(backoff.max(retry_after.unwrap_or_default()));
                self.report(progress)
            }
            Err(e) => {
                self.report(progress);
                Step::Finished(Err(e))
            }
        }
    }

    /// Polls until the work ends (or the wait runs out).
    ///
    /// # Errors
    /// [`Error::Job`] with the service's status and reason when the work failed;
    /// [`Error::Timeout`] (kind `Wait`) when the deadline or the polls ran out; any
    /// other error of a poll that is not transient.
    pub async fn wait(mut self) -> Result<Done, Error> {
        loop {
            if let Step::Finished(result) = self.step().await {
                return result;
            }
        }
    }
}

impl IntoFuture for Waiter {
    type Output = Result<Done, Error>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// A reply as JSON, for a poll closure.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value)
        .map_err(|e| Error::config(format!("a poll reply cannot be read as JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_read_nested_values() {
        let v = json!({"job": {"status": "Running", "process": "60%"}, "instances": [{"status": "normal"}], "n": 3});
        assert_eq!(at_path(&v, "job.status").as_deref(), Some("Running"));
        assert_eq!(at_path(&v, "instances.0.status").as_deref(), Some("normal"));
        assert_eq!(at_path(&v, "n").as_deref(), Some("3"));
        assert_eq!(at_path(&v, "job.missing"), None);
        assert_eq!(at_path(&v, "instances.5.status"), None);
    }

    #[test]
    fn stars_read_every_element() {
        let v = json!({"jobs": [{"status": "a"}, {"status": null}, {"status": "b"}]});
        assert_eq!(all_at_path(&v, "jobs.*.status"), ["a", "b"]);
        assert!(all_at_path(&v, "jobs.*.missing").is_empty());
    }

    static BATCH: WaitSpec = WaitSpec {
        poll: "list",
        status: "jobs.*.status",
        success: &["ok"],
        failure: &["bad"],
        reason: &[],
        progress: None,
        gone_is_success: false,
    };

    #[test]
    fn statuses_of_many_elements_agree_or_fail() {
        let all = |s: &[&str]| json!({"jobs": s.iter().map(|s| json!({"status": s})).collect::<Vec<_>>()});
        assert!(
            matches!(verdict(&BATCH, &all(&["ok", "ok"])), Verdict::Done(Some(s)) if s == "ok")
        );
        assert!(
            matches!(verdict(&BATCH, &all(&["ok", "running"])), Verdict::Going(Some(s)) if s == "running")
        );
        assert!(
            matches!(verdict(&BATCH, &all(&["running", "bad"])), Verdict::Failed(s) if s == "bad")
        );
        assert!(matches!(verdict(&BATCH, &all(&[])), Verdict::Going(None)));
    }

    #[test]
    fn ids_must_be_present() {
        let v = json!({"job_id": "j1", "empty": ""});
        assert_eq!(waited_id(&v, "job_id", "op").unwrap(), "j1");
        for path in ["empty", "missing"] {
            let e = waited_id(&v, path, "op").unwrap_err();
            assert!(e.to_string().contains(path), "{e}");
        }
    }
}
