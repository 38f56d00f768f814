//! One OpenAPI 3 source (API Explorer's envelope with `components`, or a plain
//! OpenAPI 3.0 document) → a [`Unit`]: the schemas get the same repairs as
//! Swagger 2 ones, `$ref`s are checked, operationIds are the snake_case of the
//! operation name.

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use crate::error::{ErrorKind, Pointer};

use super::context::{Ctx, SECTIONS, str_of, type_name};
use super::schema::convert_schema;
use super::swagger2::{METHODS, template_names};
use super::{Component, Operation, Unit};

/// Converts one OpenAPI 3 source.
pub(crate) fn convert(ctx: &mut Ctx, doc: &Map<String, Value>) -> Unit {
    let root = Pointer::root();
    let info = doc.get("info").and_then(Value::as_object);
    let mut unit = Unit {
        service: str_of(doc, "product_short").map(str::to_owned),
        version: str_of(doc, "info_version")
            .or_else(|| info.and_then(|i| str_of(i, "version")))
            .map(str::to_owned),
        ..Unit::default()
    };
    unit.name = str_of(doc, "name").map(str::to_owned).unwrap_or_else(|| {
        ctx.file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    unit.servers = match doc.get("servers") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|s| s.get("url").and_then(Value::as_str))
            .map(|u| u.trim_end_matches('/').to_owned())
            .collect(),
        _ => match str_of(doc, "host") {
            Some(host) if !host.is_empty() => {
                let base = str_of(doc, "base_path")
                    .or_else(|| str_of(doc, "basePath"))
                    .unwrap_or("/");
                vec![format!("https://{host}{}", base.trim_end_matches('/'))]
            }
            _ => Vec::new(),
        },
    };

    let components = match doc.get("components") {
        Some(Value::Object(c)) => c.clone(),
        None | Some(Value::Null) => Map::new(),
        Some(other) => {
            ctx.error(
                ErrorKind::Invalid,
                &root.join("components"),
                format!("`components` must be an object, found {}", type_name(other)),
            );
            Map::new()
        }
    };
    // Swagger 2 `definitions` beside OpenAPI 3 `components` (seen in API
    // Explorer's envelope) count as schemas.
    let definitions = doc
        .get("definitions")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (section, entries) in &components {
        if let Value::Object(entries) = entries {
            for name in entries.keys() {
                ctx.known.insert((section.clone(), name.clone()));
            }
        }
    }
    for name in definitions.keys() {
        ctx.known.insert(("schemas".to_owned(), name.clone()));
    }

    for (section, entries) in &components {
        let s_at = root.join("components").join(section);
        if !SECTIONS.contains(&section.as_str()) {
            if !section.starts_with("x-") {
                ctx.error(
                    ErrorKind::Invalid,
                    &s_at,
                    format!("unknown components section `{section}`"),
                );
            }
            continue;
        }
        let Value::Object(entries) = entries else {
            ctx.error(
                ErrorKind::Invalid,
                &s_at,
                format!("`{section}` must be an object"),
            );
            continue;
        };
        for (name, value) in entries {
            let at = s_at.join(name);
            let converted = match section.as_str() {
                "schemas" => convert_schema(ctx, &at, value),
                "securitySchemes" => {
                    unit.security_schemes.insert(name.clone(), value.clone());
                    continue;
                }
                _ => walk(ctx, &at, value, section),
            };
            unit.components.push(Component {
                section: section.clone(),
                name: name.clone(),
                value: converted,
                at,
            });
        }
    }
    for (name, schema) in &definitions {
        if components
            .get("schemas")
            .and_then(Value::as_object)
            .is_some_and(|s| s.contains_key(name))
        {
            continue;
        }
        let at = root.join("definitions").join(name);
        let converted = convert_schema(ctx, &at, schema);
        unit.components.push(Component {
            section: "schemas".to_owned(),
            name: name.clone(),
            value: converted,
            at,
        });
    }

    let Some(Value::Object(paths)) = doc.get("paths") else {
        ctx.error(
            ErrorKind::Invalid,
            &root.join("paths"),
            "no `paths` object: the file defines no operation",
        );
        return unit;
    };
    let count: usize = paths
        .values()
        .filter_map(Value::as_object)
        .map(|i| i.keys().filter(|k| METHODS.contains(&k.as_str())).count())
        .sum();
    for (path, item) in paths {
        let item_at = root.join("paths").join(path);
        let Value::Object(item) = item else {
            ctx.error(
                ErrorKind::Invalid,
                &item_at,
                "a path item must be an object",
            );
            continue;
        };
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let op_at = item_at.join(method);
            let Value::Object(op) = op else {
                ctx.error(ErrorKind::Invalid, &op_at, "an operation must be an object");
                continue;
            };
            let mut op = op.clone();
            if !shared.is_empty() {
                // Path-level parameters move into the operation (the merged
                // document may hold other operations on the same path).
                let own = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut all = Vec::new();
                for p in shared.iter() {
                    let key = (p.get("name").cloned(), p.get("in").cloned());
                    if !own
                        .iter()
                        .any(|o| (o.get("name").cloned(), o.get("in").cloned()) == key)
                    {
                        all.push(p.clone());
                    }
                }
                all.extend(own);
                op.insert("parameters".into(), Value::Array(all));
            }
            let name = if count == 1 {
                str_of(doc, "name")
            } else {
                None
            }
            .or_else(|| str_of(&op, "operationId"))
            .map(str::to_owned);
            match name {
                Some(n) => {
                    op.insert("operationId".into(), Value::String(n.to_snake_case()));
                }
                None => {
                    let derived =
                        format!("{method} {}", path.replace(['{', '}'], "")).to_snake_case();
                    ctx.repair(
                        &op_at.join("operationId"),
                        format!("no operationId and no operation name; `{derived}` derived from the method and path"),
                    );
                    op.insert("operationId".into(), Value::String(derived));
                }
            }
            let converted = walk(ctx, &op_at, &Value::Object(op), "operation");
            let mut converted = match converted {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            check_path_parameters(ctx, &op_at, path, &mut converted);
            if let Some(Value::Array(reqs)) = converted.get("security").cloned() {
                let kept: Vec<Value> = reqs
                    .iter()
                    .filter_map(|r| r.as_object())
                    .map(|r| {
                        r.iter()
                            .filter(|(n, _)| unit.security_schemes.contains_key(*n))
                            .map(|(n, v)| (n.clone(), v.clone()))
                            .collect::<Map<String, Value>>()
                    })
                    .filter(|r| !r.is_empty())
                    .map(Value::Object)
                    .collect();
                if kept.len() != reqs.len() {
                    ctx.repair(
                        &op_at.join("security"),
                        "security requirements naming no security scheme the file defines dropped",
                    );
                    if kept.is_empty() {
                        converted.remove("security");
                    } else {
                        converted.insert("security".into(), Value::Array(kept));
                    }
                }
            }
            unit.operations.push(Operation {
                path: path.clone(),
                method: method.clone(),
                op: Value::Object(converted),
                at: op_at,
            });
        }
    }
    if unit.operations.is_empty() && ctx.errors.is_empty() {
        ctx.error(
            ErrorKind::Invalid,
            &root.join("paths"),
            "the file defines no operation",
        );
    }
    unit
}

/// Path parameters must match the template: undeclared ones are added,
/// ones not in the template dropped.
fn check_path_parameters(ctx: &mut Ctx, at: &Pointer, path: &str, op: &mut Map<String, Value>) {
    let template = template_names(path);
    let mut params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let before = params.len();
    params.retain(|p| {
        let is_path = p.get("in").and_then(Value::as_str) == Some("path");
        let name = p.get("name").and_then(Value::as_str).unwrap_or("");
        if is_path && !template.iter().any(|t| t == name) {
            ctx.repair(
                &at.join("parameters"),
                format!("path parameter `{name}` does not occur in the path `{path}`; dropped"),
            );
            return false;
        }
        true
    });
    for name in &template {
        let declared = params.iter().any(|p| {
            p.get("in").and_then(Value::as_str) == Some("path")
                && p.get("name").and_then(Value::as_str) == Some(name)
                || p.get("$ref").is_some()
        });
        if !declared {
            ctx.repair(
                &at.join("parameters"),
                format!("path parameter `{name}` of `{path}` was not declared; added as a required string"),
            );
            let mut p = Map::new();
            p.insert("name".into(), Value::String(name.clone()));
            p.insert("in".into(), "path".into());
            p.insert("required".into(), Value::Bool(true));
            let mut s = Map::new();
            s.insert("type".into(), "string".into());
            p.insert("schema".into(), Value::Object(s));
            params.push(Value::Object(p));
        }
    }
    for p in params.iter_mut() {
        if let Value::Object(p) = p {
            if p.get("in").and_then(Value::as_str) == Some("path")
                && p.get("required") != Some(&Value::Bool(true))
            {
                ctx.repair(
                    &at.join("parameters"),
                    "a path parameter is always required; `required: true` set",
                );
                p.insert("required".into(), Value::Bool(true));
            }
        }
    }
    if !params.is_empty() || before > 0 {
        op.insert("parameters".into(), Value::Array(params));
    }
}

/// Walks an OpenAPI 3 object of kind `kind` (an operation or a components
/// section name), converting the schemas in it and checking its `$ref`s.
fn walk(ctx: &mut Ctx, at: &Pointer, value: &Value, kind: &str) -> Value {
    let Value::Object(map) = value else {
        return value.clone();
    };
    if let Some(reference) = map.get("$ref") {
        let expected = kind;
        let mut out = Map::new();
        if let Some(t) =
            ctx.rewrite_ref(&at.join("$ref"), reference.as_str().unwrap_or(""), expected)
        {
            out.insert("$ref".into(), Value::String(t));
        }
        return Value::Object(out);
    }
    let mut out = Map::new();
    for (key, v) in map {
        // API Explorer writes absent fields as `null`.
        if v.is_null() {
            continue;
        }
        let k_at = at.join(key);
        let converted = match (kind, key.as_str()) {
            (_, k) if k.starts_with("x-") => v.clone(),
            ("operation", "parameters") => list(ctx, &k_at, v, "parameters"),
            ("operation", "requestBody") => walk(ctx, &k_at, v, "requestBodies"),
            ("operation", "responses") => map_of(ctx, &k_at, v, "responses"),
            ("parameters" | "headers", "schema") => convert_schema(ctx, &k_at, v),
            ("parameters" | "headers" | "requestBodies" | "responses", "content") => {
                map_of(ctx, &k_at, v, "media")
            }
            ("parameters" | "headers" | "media", "examples") => map_of(ctx, &k_at, v, "examples"),
            ("responses", "headers") => map_of(ctx, &k_at, v, "headers"),
            ("media", "schema") => convert_schema(ctx, &k_at, v),
            _ => v.clone(),
        };
        out.insert(key.clone(), converted);
    }
    Value::Object(out)
}

fn list(ctx: &mut Ctx, at: &Pointer, v: &Value, kind: &str) -> Value {
    match v {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| walk(ctx, &at.join(i), item, kind))
                .collect(),
        ),
        other => {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!("expected a list, found {}", type_name(other)),
            );
            other.clone()
        }
    }
}

fn map_of(ctx: &mut Ctx, at: &Pointer, v: &Value, kind: &str) -> Value {
    match v {
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, item)| {
                    let item = if k.starts_with("x-") {
                        item.clone()
                    } else {
                        walk(ctx, &at.join(k), item, kind)
                    };
                    (k.clone(), item)
                })
                .collect(),
        ),
        other => {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!("expected an object, found {}", type_name(other)),
            );
            other.clone()
        }
    }
}
