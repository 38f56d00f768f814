//! `x-pagination` and `x-waiters`: how a list pages and how to wait for the
//! work an operation starts, declared in the spec and checked here against the
//! operations and models they name.
//!
//! ```yaml
//! x-pagination:
//!   offset: offset        # query parameter names
//!   limit: limit
//!   items: jobs           # the reply field with the page's items (a dot path)
//!   total: total_count    # the reply field with the count of all items (optional)
//!   counts: items         # `items` (default) or `pages`: what the offset counts
//!   start: 0              # the first offset (default 0)
//!   page_size: 100        # when the caller sets no limit (default: the limit's
//!                         # maximum, else its default, else 100)
//! x-pagination:           # or paged by marker (a cursor), instead of `offset`:
//!   marker: marker        # optional query parameter (string or integer)
//!   limit: limit          # optional: the page size parameter
//!   items: instances      # as above
//!   next_marker: page_info.next_marker  # the reply's next marker (dot path), or
//!   marker_field: id      # the field of the page's last item that is the next marker
//!   page_size: 50         # as above (only with `limit`)
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
    #[serde(default)]
    offset: Option<String>,
    #[serde(default)]
    marker: Option<String>,
    #[serde(default)]
    limit: Option<String>,
    items: String,
    #[serde(default)]
    next_marker: Option<String>,
    #[serde(default)]
    marker_field: Option<String>,
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

/// How a list pages, by the parameter `x-pagination` names.
enum Form<'a> {
    Offset(&'a str),
    Marker(&'a str),
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
    let scalar = |key: &str, p: &Param| {
        if matches!(p.ty, TypeRef::Integer { .. } | TypeRef::String) {
            Ok(())
        } else {
            Err(err(
                key,
                format!(
                    "paging parameter `{}` must be an integer or a string",
                    p.wire
                ),
            ))
        }
    };
    let err_here = |message: String| spec.error(ErrorKind::Invalid, at, message);
    // Which form: by offset or by marker, and the keys only the other one takes.
    let form = match (&ext.offset, &ext.marker) {
        (Some(_), Some(_)) => {
            return Err(err(
                "marker",
                "`marker` excludes `offset`: a list pages by one or the other".to_owned(),
            ));
        }
        (None, None) => {
            return Err(err_here(format!(
                "`{}`: `x-pagination` needs `offset` (with `limit`) or `marker`",
                op.id
            )));
        }
        (Some(offset), None) => Form::Offset(offset),
        (None, Some(marker)) => Form::Marker(marker),
    };
    let by_marker = matches!(form, Form::Marker(_));
    let foreign: &[(&str, bool)] = if by_marker {
        &[
            ("total", ext.total.is_some()),
            ("counts", ext.counts.is_some()),
            ("start", ext.start.is_some()),
        ]
    } else {
        &[
            ("next_marker", ext.next_marker.is_some()),
            ("marker_field", ext.marker_field.is_some()),
        ]
    };
    if let Some((key, _)) = foreign.iter().find(|(_, set)| *set) {
        let form = if by_marker { "marker" } else { "offset" };
        return Err(err(
            key,
            format!("`{key}` does not apply to a list paged by {form}"),
        ));
    }
    let first = if by_marker { "marker" } else { "offset" };
    if op
        .body
        .as_ref()
        .is_some_and(|b| b.kind == BodyKind::Binary || !b.alternatives.is_empty())
    {
        return Err(err(
            first,
            format!(
                "`{}` takes a streamed body, so its requests cannot be repeated page by page",
                op.id
            ),
        ));
    }
    let limit = match &ext.limit {
        Some(wire) => {
            let limit = param("limit", wire)?;
            scalar("limit", limit)?;
            Some(limit)
        }
        None if by_marker => None,
        None => {
            return Err(err_here(format!(
                "`{}`: `x-pagination` with `offset` needs `limit`",
                op.id
            )));
        }
    };
    if limit.is_none() && ext.page_size.is_some() {
        return Err(err(
            "page_size",
            "`page_size` needs `limit`: the list takes no page size".to_owned(),
        ));
    }
    let reply = reply_struct(op, models).ok_or_else(|| {
        err(
            "items",
            format!("`{}` must reply with a JSON object to be paged", op.id),
        )
    })?;
    let in_reply = format!("the reply of `{}`", op.id);
    let (items_path, items_ty) =
        field_path(models, reply, &ext.items, &in_reply).map_err(|m| err("items", m))?;
    let TypeRef::Array(item) = items_ty else {
        return Err(err("items", format!("`{}` is not a list", ext.items)));
    };
    let by = match form {
        Form::Offset(offset) => {
            let offset = param("offset", offset)?;
            scalar("offset", offset)?;
            let total = match &ext.total {
                Some(t) => Some(
                    field_path(models, reply, t, &in_reply)
                        .map_err(|m| err("total", m))
                        .and_then(|(path, _)| match path.as_slice() {
                            [(name, _)] => Ok(name.clone()),
                            _ => Err(err("total", format!("`{t}`: a field of the reply itself"))),
                        })?,
                ),
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
            PageBy::Offset {
                offset: (offset.name.clone(), offset.ty.clone(), offset.required),
                total,
                start: ext.start.unwrap_or(0),
                counts_items,
            }
        }
        Form::Marker(marker) => {
            let param = param("marker", marker)?;
            scalar("marker", param)?;
            if param.required {
                return Err(err(
                    "marker",
                    format!(
                        "the marker parameter `{marker}` must be optional: the first page is asked for without one"
                    ),
                ));
            }
            let next = match (&ext.next_marker, &ext.marker_field) {
                (Some(_), Some(_)) | (None, None) => {
                    let at = if ext.next_marker.is_some() {
                        at.join("marker_field")
                    } else {
                        at.clone()
                    };
                    return Err(spec.error(
                        ErrorKind::Invalid,
                        &at,
                        format!(
                            "`{}`: a list paged by marker takes exactly one of `next_marker` (a reply field) \
                             and `marker_field` (a field of the last item)",
                            op.id
                        ),
                    ));
                }
                (Some(path), None) => {
                    let (fields, ty) = field_path(models, reply, path, &in_reply)
                        .map_err(|m| err("next_marker", m))?;
                    marker_type(ty, path).map_err(|m| err("next_marker", m))?;
                    NextMarker::Reply(path.clone(), fields)
                }
                (None, Some(path)) => {
                    let item_struct = match &**item {
                        TypeRef::Named(name) => match models.get(name) {
                            Some(Model::Struct(s)) => Some(s),
                            _ => None,
                        },
                        _ => None,
                    }
                    .ok_or_else(|| {
                        err(
                            "marker_field",
                            format!("the items of `{}` are not objects", ext.items),
                        )
                    })?;
                    let (fields, ty) = field_path(
                        models,
                        item_struct,
                        path,
                        &format!("an item of `{}`", ext.items),
                    )
                    .map_err(|m| err("marker_field", m))?;
                    marker_type(ty, path).map_err(|m| err("marker_field", m))?;
                    NextMarker::LastItem(path.clone(), fields)
                }
            };
            PageBy::Marker {
                marker: (param.name.clone(), param.wire.clone(), param.ty.clone()),
                next,
            }
        }
    };
    let page_size = ext
        .page_size
        .or(limit.and_then(|l| l.constraints.maximum.map(|(m, _)| m as u64)))
        .or_else(|| {
            limit?
                .example
                .as_ref()
                .and_then(|e| e.as_u64().or_else(|| e.as_str()?.parse().ok()))
        })
        .unwrap_or(100)
        .max(1);
    Ok(Pagination {
        by,
        limit: limit.map(|l| (l.name.clone(), l.ty.clone(), l.required)),
        items: (items_path, (**item).clone()),
        page_size,
        reply: reply.name.clone(),
    })
}

/// A marker is a string or an integer.
fn marker_type(ty: &TypeRef, path: &str) -> std::result::Result<(), String> {
    if matches!(ty, TypeRef::Integer { .. } | TypeRef::String) {
        Ok(())
    } else {
        Err(format!(
            "marker field `{path}` must be an integer or a string"
        ))
    }
}

/// The fields a dot path names from `start` (each field but the last an
/// object): their Rust names and how each is held, and the last one's type.
/// `what` names `start` in messages.
fn field_path<'m>(
    models: &'m BTreeMap<String, Model>,
    start: &'m StructModel,
    path: &str,
    what: &str,
) -> std::result::Result<(FieldPath, &'m TypeRef), String> {
    let mut at = start;
    let mut fields = FieldPath::new();
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let field = at
            .fields
            .iter()
            .find(|f| f.wire == segment)
            .ok_or_else(|| {
                if fields.is_empty() {
                    format!("{what} ({}) has no field `{segment}`", at.name)
                } else {
                    format!("`{path}`: {} (in {what}) has no field `{segment}`", at.name)
                }
            })?;
        let wrapping = if field.double_option() {
            Wrapping::DoubleOption
        } else if field.optional() {
            Wrapping::Option
        } else {
            Wrapping::Plain
        };
        fields.push((field.name.clone(), wrapping));
        if segments.peek().is_none() {
            return Ok((fields, &field.ty));
        }
        at = match &field.ty {
            TypeRef::Named(name) => match models.get(name) {
                Some(Model::Struct(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
        .ok_or_else(|| format!("`{path}`: `{segment}` (in {what}) is not an object"))?;
    }
    Err(format!("`{path}`: an empty path"))
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
