//! Schema objects: Swagger 2.0 → OpenAPI 3.0 (`x-nullable`, `discriminator`,
//! `type: file`, `$ref`s), and the repairs of Huawei's schema defects, which
//! apply to OpenAPI 3 sources too.

use serde_json::{Map, Value};

use crate::error::{ErrorKind, Pointer};

use super::context::{Ctx, Dialect, type_name};

/// Converts and repairs one schema found at `at` in the source file.
pub(crate) fn convert_schema(ctx: &mut Ctx, at: &Pointer, schema: &Value) -> Value {
    let Value::Object(src) = schema else {
        if let Value::Bool(_) = schema {
            ctx.error(
                ErrorKind::Invalid,
                at,
                "a boolean schema is not allowed in OpenAPI 3.0; give a schema object",
            );
        } else {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!("a schema must be an object, found {}", type_name(schema)),
            );
        }
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    if let Some(reference) = src.get("$ref") {
        let Some(reference) = reference.as_str() else {
            ctx.error(
                ErrorKind::Invalid,
                &at.join("$ref"),
                "`$ref` must be a string",
            );
            return Value::Object(out);
        };
        if let Some(target) = ctx.rewrite_ref(&at.join("$ref"), reference, "schemas") {
            out.insert("$ref".to_owned(), Value::String(target));
        }
        // OpenAPI 3.0 ignores the siblings of `$ref`; a description or example
        // beside it is kept for readers, anything else is dropped.
        let dropped: Vec<&str> = src
            .keys()
            .map(String::as_str)
            .filter(|k| !matches!(*k, "$ref" | "description" | "example"))
            .collect();
        for key in ["description", "example"] {
            if let Some(v) = src.get(key) {
                out.insert(key.to_owned(), v.clone());
            }
        }
        if !dropped.is_empty() {
            ctx.repair(
                at,
                format!(
                    "dropped `{}` beside `$ref` (OpenAPI 3.0 ignores siblings of `$ref`; the referenced schema decides)",
                    dropped.join("`, `")
                ),
            );
        }
        return Value::Object(out);
    }

    let mut ty: Option<String> = None;
    for (key, value) in src {
        let key_at = at.join(key);
        match key.as_str() {
            "type" => {
                if let Some((t, format, nullable)) = normalize_type(ctx, &key_at, value) {
                    out.insert("type".to_owned(), Value::String(t.clone()));
                    if let Some(format) = format {
                        if !src.contains_key("format") {
                            out.insert("format".to_owned(), Value::String(format.to_owned()));
                        }
                    }
                    if nullable {
                        out.insert("nullable".to_owned(), Value::Bool(true));
                    }
                    ty = Some(t);
                }
            }
            "format" => {
                let format = match value.as_str() {
                    Some(f @ ("dateTime" | "datetime" | "DateTime"))
                        if matches!(src.get("type").and_then(Value::as_str), Some("string")) =>
                    {
                        ctx.repair(&key_at, format!("`format: {f}` → `format: date-time`"));
                        Value::String("date-time".to_owned())
                    }
                    _ => value.clone(),
                };
                // `type: file` set its own format already.
                out.entry("format".to_owned()).or_insert(format);
            }
            "x-nullable" if ctx.dialect == Dialect::Swagger2 => match value {
                Value::Bool(b) => {
                    if *b {
                        out.insert("nullable".to_owned(), Value::Bool(true));
                    }
                }
                _ => ctx.error(
                    ErrorKind::Invalid,
                    &key_at,
                    "`x-nullable` must be a boolean",
                ),
            },
            "discriminator" => match value {
                Value::String(name) if ctx.dialect == Dialect::Swagger2 => {
                    let mut d = Map::new();
                    d.insert("propertyName".to_owned(), Value::String(name.clone()));
                    out.insert("discriminator".to_owned(), Value::Object(d));
                }
                Value::String(name) => {
                    ctx.repair(
                        &key_at,
                        format!("`discriminator: {name}` (Swagger 2 form) → `discriminator: {{propertyName: {name}}}`"),
                    );
                    let mut d = Map::new();
                    d.insert("propertyName".to_owned(), Value::String(name.clone()));
                    out.insert("discriminator".to_owned(), Value::Object(d));
                }
                other => {
                    out.insert("discriminator".to_owned(), other.clone());
                }
            },
            "properties" => {
                let Value::Object(props) = value else {
                    ctx.error(
                        ErrorKind::Invalid,
                        &key_at,
                        format!("`properties` must be an object, found {}", type_name(value)),
                    );
                    continue;
                };
                let mut converted = Map::new();
                for (name, prop) in props {
                    let prop_at = key_at.join(name);
                    let mut prop = prop.clone();
                    // `required: true` on a property: Huawei's way of saying
                    // the property is in the parent's `required` list.
                    if let Value::Object(p) = &mut prop {
                        if let Some(Value::Bool(required)) = p.get("required").cloned() {
                            p.remove("required");
                            let list = out.entry("required".to_owned()).or_insert_with(|| {
                                src.get("required")
                                    .cloned()
                                    .filter(Value::is_array)
                                    .unwrap_or(Value::Array(Vec::new()))
                            });
                            if required {
                                if let Value::Array(list) = list {
                                    if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                                        list.push(Value::String(name.clone()));
                                    }
                                }
                                ctx.repair(
                                    &prop_at.join("required"),
                                    format!("`required: true` on a property → `{name}` added to the parent's `required` list"),
                                );
                            } else {
                                ctx.repair(
                                    &prop_at.join("required"),
                                    "`required: false` on a property dropped (properties are optional unless listed in the parent's `required`)",
                                );
                            }
                        }
                    }
                    converted.insert(name.clone(), convert_schema(ctx, &prop_at, &prop));
                }
                out.insert("properties".to_owned(), Value::Object(converted));
            }
            "required" => match value {
                Value::Array(items) => {
                    if items.iter().all(Value::is_string) {
                        // Merge with names gathered from `required: true` on properties.
                        let list = out
                            .entry("required".to_owned())
                            .or_insert(Value::Array(Vec::new()));
                        if let Value::Array(list) = list {
                            for item in items {
                                if !list.contains(item) {
                                    list.push(item.clone());
                                }
                            }
                        }
                    } else {
                        ctx.error(
                            ErrorKind::Invalid,
                            &key_at,
                            "`required` must be a list of property names",
                        );
                    }
                }
                Value::Bool(b) => ctx.repair(
                    &key_at,
                    format!(
                        "`required: {b}` on a schema that is not a property has no meaning; dropped"
                    ),
                ),
                other => ctx.error(
                    ErrorKind::Invalid,
                    &key_at,
                    format!(
                        "`required` must be a list of property names, found {}",
                        type_name(other)
                    ),
                ),
            },
            "items" => {
                let items = match value {
                    Value::Array(list) if list.len() == 1 => {
                        ctx.repair(
                            &key_at,
                            "`items` given as a one-element list (tuple form) → that element",
                        );
                        convert_schema(ctx, &key_at.join(0), &list[0])
                    }
                    _ => convert_schema(ctx, &key_at, value),
                };
                out.insert("items".to_owned(), items);
            }
            "additionalProperties" => {
                let v = match value {
                    Value::Bool(_) => value.clone(),
                    _ => convert_schema(ctx, &key_at, value),
                };
                out.insert(key.clone(), v);
            }
            "not" => {
                let v = convert_schema(ctx, &key_at, value);
                out.insert(key.clone(), v);
            }
            "allOf" | "oneOf" | "anyOf" => {
                let Value::Array(list) = value else {
                    ctx.error(
                        ErrorKind::Invalid,
                        &key_at,
                        format!("`{key}` must be a list of schemas"),
                    );
                    continue;
                };
                let converted = list
                    .iter()
                    .enumerate()
                    .map(|(i, s)| convert_schema(ctx, &key_at.join(i), s))
                    .collect();
                out.insert(key.clone(), Value::Array(converted));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }

    fix_required_names(ctx, at, &mut out);
    if ty.as_deref() == Some("array") && !out.contains_key("items") {
        ctx.repair(
            at,
            "`type: array` without `items` → `items: {}` (elements of any type)",
        );
        out.insert("items".to_owned(), Value::Object(Map::new()));
    }
    if let Some(t) = ty.as_deref() {
        coerce_values(ctx, at, t, &mut out);
    }
    Value::Object(out)
}

/// Normalizes a `type` value: OpenAPI's names pass, Huawei's Java-ish names
/// (`long`, `double`, `Integer`, `int`, ...) are mapped with a repair, and
/// Swagger 2's `file` becomes a binary string. Returns (type, implied format,
/// nullable).
fn normalize_type(
    ctx: &mut Ctx,
    at: &Pointer,
    value: &Value,
) -> Option<(String, Option<&'static str>, bool)> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(list) => {
            // ["string", "null"]: JSON Schema's nullable.
            let names: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            let non_null: Vec<&str> = names.iter().copied().filter(|n| *n != "null").collect();
            if names.len() == list.len() && non_null.len() == 1 && names.len() == 2 {
                ctx.repair(
                    at,
                    format!(
                        "`type: [{}, null]` → `type: {}` with `nullable: true`",
                        non_null[0], non_null[0]
                    ),
                );
                let (t, f, _) = normalize_type(ctx, at, &Value::String(non_null[0].to_owned()))?;
                return Some((t, f, true));
            }
            ctx.error(
                ErrorKind::Invalid,
                at,
                "`type` must be one type name in OpenAPI 3.0; a list of types has no single meaning here",
            );
            return None;
        }
        other => {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!("`type` must be a string, found {}", type_name(other)),
            );
            return None;
        }
    };
    let mapped: (&str, Option<&'static str>) = match text.as_str() {
        "string" | "integer" | "number" | "boolean" | "array" | "object" => {
            return Some((text, None, false));
        }
        "file" => {
            if ctx.dialect == Dialect::OpenApi3 {
                ctx.repair(
                    at,
                    "`type: file` (Swagger 2) → `type: string`, `format: binary`",
                );
            }
            return Some(("string".to_owned(), Some("binary"), false));
        }
        _ => match text.to_ascii_lowercase().as_str() {
            "int" | "int32" | "integer" | "short" => ("integer", Some("int32")),
            "long" | "int64" | "bigint" => ("integer", Some("int64")),
            "double" => ("number", Some("double")),
            "float" => ("number", Some("float")),
            "number" | "decimal" | "bigdecimal" => ("number", None),
            "string" | "str" => ("string", None),
            "boolean" | "bool" => ("boolean", None),
            "object" | "map" => ("object", None),
            "array" | "list" => ("array", None),
            "date" => ("string", Some("date")),
            "datetime" | "date-time" => ("string", Some("date-time")),
            _ => {
                ctx.error(
                    ErrorKind::Invalid,
                    at,
                    format!("unknown `type: {text}`; OpenAPI 3.0 knows string, integer, number, boolean, array and object"),
                );
                return None;
            }
        },
    };
    let (t, f) = mapped;
    let shown = match f {
        Some(f) => format!("`type: {t}`, `format: {f}`"),
        None => format!("`type: {t}`"),
    };
    ctx.repair(at, format!("`type: {text}` → {shown}"));
    Some((t.to_owned(), f, false))
}

/// `enum` values and `default` that do not have the declared type but spell a
/// value of it (`enum: [1, 2]` on a string, `default: "10"` on an integer) are
/// converted; `default: null` on a schema that is not nullable is dropped.
fn coerce_values(ctx: &mut Ctx, at: &Pointer, ty: &str, out: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = out.get("enum").cloned() {
        let mut changed = false;
        let converted: Vec<Value> = values
            .iter()
            .map(|v| match coerce(ty, v) {
                Some(c) => {
                    changed = true;
                    c
                }
                None => v.clone(),
            })
            .collect();
        if changed {
            ctx.repair(
                &at.join("enum"),
                format!("`enum` values written as another JSON type converted to `{ty}`"),
            );
            out.insert("enum".to_owned(), Value::Array(converted));
        }
    }
    match out.get("default").cloned() {
        Some(Value::Null) if out.get("nullable") != Some(&Value::Bool(true)) => {
            ctx.repair(
                &at.join("default"),
                "`default: null` on a schema that is not nullable dropped",
            );
            out.remove("default");
        }
        Some(v) => {
            if let Some(c) = coerce(ty, &v) {
                ctx.repair(
                    &at.join("default"),
                    format!("`default: {v}` converted to `{ty}` ({c})"),
                );
                out.insert("default".to_owned(), c);
            }
        }
        None => {}
    }
}

/// `Some(converted)` when `v` is a scalar of another JSON type that spells a
/// value of type `ty`; `None` when it has the type already or cannot be read.
pub(crate) fn coerce(ty: &str, v: &Value) -> Option<Value> {
    match (ty, v) {
        ("string", Value::Number(n)) => Some(Value::String(n.to_string())),
        ("string", Value::Bool(b)) => Some(Value::String(b.to_string())),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("number", Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

/// A `required` name that is not a property but spells exactly one property
/// with a stray space, `-` for `_`, other case, or two letters swapped
/// (`parameter_vaules`) is that property.
fn fix_required_names(ctx: &mut Ctx, at: &Pointer, out: &mut Map<String, Value>) {
    let Some(Value::Object(props)) = out.get("properties") else {
        return;
    };
    let Some(Value::Array(required)) = out.get("required") else {
        return;
    };
    let names: Vec<String> = props.keys().cloned().collect();
    let mut fixed = Vec::new();
    let mut changed = false;
    for (i, item) in required.iter().enumerate() {
        let Some(name) = item.as_str() else {
            fixed.push(item.clone());
            continue;
        };
        if names.iter().any(|n| n == name) {
            if !fixed.contains(item) {
                fixed.push(item.clone());
            }
            continue;
        }
        let normal = |s: &str| s.trim().replace('-', "_").to_ascii_lowercase();
        let candidates: Vec<&String> = names
            .iter()
            .filter(|n| normal(n) == normal(name) || (name.len() >= 5 && one_swap(n, name)))
            .collect();
        match candidates.as_slice() {
            [only] => {
                ctx.repair(
                    &at.join("required").join(i),
                    format!("required name `{name}` is not a property; it spells the property `{only}`, which is now required"),
                );
                let v = Value::String((*only).clone());
                if !fixed.contains(&v) {
                    fixed.push(v);
                }
                changed = true;
            }
            _ => fixed.push(item.clone()),
        }
    }
    if changed {
        out.insert("required".to_owned(), Value::Array(fixed));
    }
}

/// Whether `a` and `b` differ by one swap of adjacent characters.
fn one_swap(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i])
}
