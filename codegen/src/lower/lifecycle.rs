//! `x-pagination` and `x-waiters`: how a list pages and how to wait for the
//! work an operation starts, declared in the spec and checked here against the
//! operations and models they name.
//!
//! ```yaml
//! x-pagination:
//!   offset: offset        # query parameter names
//!   limit: limit
//!   items: jobs           # the reply field with the page's items
//!   total: total_count    # the reply field with the count of all items (optional)
//!   counts: items         # `items` (default) or `pages`: what the offset counts
//!   start: 0              # the first offset (default 0)
//!   page_size: 100        # when the caller sets no limit (default: the limit's
//!                         # maximum, else its default, else 100)
//! x-waiters:
//!   - id: job_id          # dot path of the work's id in the reply
//!     name: precheck      # optional: `wait_<operation>_<name>` (the first may be unnamed)
//!     pollers:            # in order; a later one is asked when an earlier one
//!                         # answers a client error (it does not know the id)
//!       - operation: show_job
//!         args: {id: $id, type: detail, instance_id: $request.instance_id,
//!                node_id: $reply.instance.id}
//!         status: job.status          # dot path; `*` for every element of a list
//!         success: [Completed]
//!         failure: [Failed]
//!         reason: [job.fail_reason]   # dot paths, first present wins
//!         progress: job.process
//!         gone: false                 # true: a client error or no status means the
//!                                     # resource is gone, i.e. done (deletions)
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{LifecycleExtensions, Result};
use crate::error::{ErrorKind, Pointer};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaginationExt {
    offset: String,
    limit: String,
    items: String,
    #[serde(default)]
    total: Option<String>,
    #[serde(default)]
    counts: Option<String>,
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    page_size: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiterExt {
    id: String,
    #[serde(default)]
    name: Option<String>,
    pollers: Vec<PollerExt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PollerExt {
    operation: String,
    #[serde(default)]
    args: BTreeMap<String, serde_json::Value>,
    status: String,
    #[serde(default)]
    success: Vec<String>,
    #[serde(default)]
    failure: Vec<String>,
    #[serde(default)]
    reason: Vec<String>,
    #[serde(default)]
    progress: Option<String>,
    #[serde(default)]
    gone: bool,
}

/// Reads the extensions of every operation that has them.
pub(super) fn apply(
    spec: &LoadedSpec,
    operations: &mut [Operation],
    models: &BTreeMap<String, Model>,
    lifecycle: Vec<LifecycleExtensions>,
) -> Result<()> {
    for (index, at, pagination, waiters) in lifecycle {
        if let Some(value) = pagination {
            let at = at.join("x-pagination");
            let ext: PaginationExt = serde_json::from_value(value)
                .map_err(|e| spec.error(ErrorKind::Invalid, &at, format!("`x-pagination`: {e}")))?;
            let p = pagination_of(spec, &operations[index], models, &ext, &at)?;
            operations[index].pagination = Some(p);
        }
        if let Some(value) = waiters {
            let at = at.join("x-waiters");
            let ext: Vec<WaiterExt> = serde_json::from_value(value)
                .map_err(|e| spec.error(ErrorKind::Invalid, &at, format!("`x-waiters`: {e}")))?;
            let mut list = Vec::new();
            for (i, w) in ext.iter().enumerate() {
                list.push(waiter_of(spec, operations, models, index, w, &at.join(i))?);
            }
            operations[index].waiters = list;
        }
    }
    Ok(())
}

/// The struct a reply type names.
fn reply_struct<'m>(
    op: &Operation,
    models: &'m BTreeMap<String, Model>,
) -> Option<&'m StructModel> {
    let Output::Single(Reply {
        kind: ReplyKind::Json(TypeRef::Named(name)),
        ..
    }) = &op.output
    else {
        return None;
    };
    match models.get(name) {
        Some(Model::Struct(s)) => Some(s),
        _ => None,
    }
}

fn pagination_of(
    spec: &LoadedSpec,
    op: &Operation,
    models: &BTreeMap<String, Model>,
    ext: &PaginationExt,
    at: &Pointer,
) -> Result<Pagination> {
    let err = |key: &str, message: String| spec.error(ErrorKind::Invalid, &at.join(key), message);
    let param = |key: &str, wire: &str| {
        op.params
            .iter()
            .find(|p| p.wire == wire && p.location == ParamLocation::Query)
            .ok_or_else(|| err(key, format!("`{}` has no query parameter `{wire}`", op.id)))
    };
    if op
        .body
        .as_ref()
        .is_some_and(|b| b.kind == BodyKind::Binary || !b.alternatives.is_empty())
    {
        return Err(err(
            "offset",
            format!(
                "`{}` takes a streamed body, so its requests cannot be repeated page by page",
                op.id
            ),
        ));
    }
    let offset = param("offset", &ext.offset)?;
    let limit = param("limit", &ext.limit)?;
    for p in [offset, limit] {
        if !matches!(p.ty, TypeRef::Integer { .. } | TypeRef::String) {
            return Err(err(
                "offset",
                format!(
                    "paging parameter `{}` must be an integer or a string",
                    p.wire
                ),
            ));
        }
    }
    let reply = reply_struct(op, models).ok_or_else(|| {
        err(
            "items",
            format!("`{}` must reply with a JSON object to be paged", op.id),
        )
    })?;
    let field = |key: &str, wire: &str| {
        reply.fields.iter().find(|f| f.wire == wire).ok_or_else(|| {
            err(
                key,
                format!(
                    "the reply of `{}` ({}) has no field `{wire}`",
                    op.id, reply.name
                ),
            )
        })
    };
    let items = field("items", &ext.items)?;
    let TypeRef::Array(item) = &items.ty else {
        return Err(err("items", format!("`{}` is not a list", ext.items)));
    };
    let wrapping = if items.double_option() {
        Wrapping::DoubleOption
    } else if items.optional() {
        Wrapping::Option
    } else {
        Wrapping::Plain
    };
    let total = match &ext.total {
        Some(t) => Some(field("total", t)?.name.clone()),
        None => None,
    };
    let counts_items = match ext.counts.as_deref() {
        None | Some("items") => true,
        Some("pages") => false,
        Some(other) => {
            return Err(err(
                "counts",
                format!("`counts: {other}`: expected `items` or `pages`"),
            ));
        }
    };
    let page_size = ext
        .page_size
        .or(limit.constraints.maximum.map(|(m, _)| m as u64))
        .or_else(|| {
            limit
                .example
                .as_ref()
                .and_then(|e| e.as_u64().or_else(|| e.as_str()?.parse().ok()))
        })
        .unwrap_or(100)
        .max(1);
    Ok(Pagination {
        offset: (offset.name.clone(), offset.ty.clone(), offset.required),
        limit: (limit.name.clone(), limit.ty.clone(), limit.required),
        items: (items.name.clone(), (**item).clone(), wrapping),
        total,
        start: ext.start.unwrap_or(0),
        counts_items,
        page_size,
        reply: reply.name.clone(),
    })
}

fn waiter_of(
    spec: &LoadedSpec,
    operations: &[Operation],
    models: &BTreeMap<String, Model>,
    index: usize,
    ext: &WaiterExt,
    at: &Pointer,
) -> Result<Waiter> {
    let start = &operations[index];
    let err = |at: &Pointer, message: String| spec.error(ErrorKind::Invalid, at, message);
    let json_reply = match &start.output {
        Output::Single(r) => matches!(r.kind, ReplyKind::Json(_)),
        Output::ByStatus { replies, .. } => {
            replies.iter().any(|r| matches!(r.kind, ReplyKind::Json(_)))
        }
    };
    if !json_reply {
        return Err(err(
            at,
            format!(
                "`{}` must reply with JSON that holds the work's id to be waited on",
                start.id
            ),
        ));
    }
    if ext.pollers.is_empty() {
        return Err(err(
            &at.join("pollers"),
            "a waiter needs at least one poller".to_owned(),
        ));
    }
    let bare = start.method_name.trim_start_matches("r#");
    let method = match &ext.name {
        Some(name) => format!("wait_{bare}_{}", naming::snake(name)),
        None => format!("wait_{bare}"),
    };
    let mut request_args: Vec<String> = Vec::new();
    let mut pollers = Vec::new();
    for (i, p) in ext.pollers.iter().enumerate() {
        let p_at = at.join("pollers").join(i);
        let poll = operations
            .iter()
            .find(|o| o.id == p.operation)
            .ok_or_else(|| {
                err(
                    &p_at.join("operation"),
                    format!("no operation `{}` in this spec", p.operation),
                )
            })?;
        if !matches!(
            &poll.output,
            Output::Single(Reply {
                kind: ReplyKind::Json(_),
                ..
            })
        ) {
            return Err(err(
                &p_at.join("operation"),
                format!("`{}` must reply with JSON to be polled", poll.id),
            ));
        }
        let source = |wire: &str, value: &serde_json::Value| -> Result<ArgSource> {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Ok(if text == "$id" {
                ArgSource::Id
            } else if let Some(path) = text.strip_prefix("$reply.") {
                ArgSource::Reply(path.to_owned())
            } else if let Some(param) = text.strip_prefix("$request.") {
                let p = start
                    .params
                    .iter()
                    .find(|q| q.wire == param && q.required && q.fixed.is_none())
                    .ok_or_else(|| {
                        err(
                            &p_at.join("args").join(wire),
                            format!("`{}` has no required parameter `{param}`", start.id),
                        )
                    })?;
                ArgSource::Request(p.name.clone())
            } else {
                ArgSource::Literal(text)
            })
        };
        let mut args = Vec::new();
        let mut setters = Vec::new();
        for wire in p.args.keys() {
            if !poll.params.iter().any(|q| &q.wire == wire) {
                return Err(err(
                    &p_at.join("args").join(wire),
                    format!("`{}` has no parameter `{wire}`", poll.id),
                ));
            }
        }
        for q in poll.required_params() {
            let value = p.args.get(&q.wire).ok_or_else(|| {
                err(
                    &p_at.join("args"),
                    format!(
                        "the required parameter `{}` of `{}` has no value",
                        q.wire, poll.id
                    ),
                )
            })?;
            check_stringy(spec, models, q, &p_at.join("args").join(&q.wire))?;
            args.push(source(&q.wire, value)?);
        }
        for q in poll.optional_params() {
            if let Some(value) = p.args.get(&q.wire) {
                check_stringy(spec, models, q, &p_at.join("args").join(&q.wire))?;
                setters.push((q.name.clone(), source(&q.wire, value)?));
            }
        }
        for a in args.iter().chain(setters.iter().map(|(_, a)| a)) {
            if let ArgSource::Request(name) = a {
                if !request_args.contains(name) {
                    request_args.push(name.clone());
                }
            }
        }
        pollers.push(WaitPoller {
            operation: poll.id.clone(),
            method: poll.method_name.clone(),
            args,
            setters,
            status: p.status.clone(),
            success: p.success.clone(),
            failure: p.failure.clone(),
            reason: p.reason.clone(),
            progress: p.progress.clone(),
            gone: p.gone,
        });
    }
    // Arguments in the starting operation's parameter order.
    request_args.sort_by_key(|n| start.params.iter().position(|p| &p.name == n));
    Ok(Waiter {
        method,
        id: ext.id.clone(),
        request_args,
        pollers,
    })
}

/// Poll arguments are given as text: the parameter must take text.
fn check_stringy(
    spec: &LoadedSpec,
    models: &BTreeMap<String, Model>,
    p: &Param,
    at: &Pointer,
) -> Result<()> {
    let stringy = match &p.ty {
        TypeRef::String => true,
        TypeRef::Named(n) => matches!(models.get(n), Some(Model::Enum(_))),
        _ => false,
    };
    if stringy {
        Ok(())
    } else {
        Err(spec.error(
            ErrorKind::Unsupported,
            at,
            format!(
                "poll argument `{}` must be a string or string enum parameter",
                p.wire
            ),
        ))
    }
}
