//! The `# Example` section of a client method's rustdoc: a `no_run` doctest
//! that calls the method with the spec's example values (or placeholders that
//! name the input), so that `cargo test` compiles every method's example.

use crate::ir::{BodyKind, Model, Operation, Output, Param, ReplyKind, Service, TypeRef};

use super::types::{Scope, mentions_model, rust_type};

/// How a value is handed over: to a method or setter that takes `impl Into<T>`,
/// to a field of the operation's required struct, which takes `T` itself, or as
/// an item of a `vec![..]` given to `impl Into<Vec<T>>` (a `T`, whose number
/// literals need their suffix, as nothing else says their type).
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Into,
    Exact,
    Item,
}

/// The lines of the section, fenced, without the heading.
pub fn method_example(service: &Service, op: &Operation) -> Vec<String> {
    let lib = &service.lib_name;
    let required: Vec<&Param> = op.required_params().collect();
    let body = op.body.as_ref().filter(|b| b.required);
    let mut uses_models = false;
    let mut code: Vec<String> = Vec::new();

    let slot = if op.required_struct.is_some() {
        Slot::Exact
    } else {
        Slot::Into
    };
    let mut values: Vec<(String, String)> = Vec::new();
    for p in &required {
        uses_models |= mentions_model(&p.ty);
        let value = value(service, &p.ty, p.example.as_ref(), &p.wire, slot);
        // The names as written in code (`r#type` where a keyword).
        values.push((p.name.clone(), value));
    }
    if let Some(b) = body {
        uses_models |= mentions_model(&b.ty);
        match b.kind {
            BodyKind::Binary => {
                code.push("let body = std::fs::read(\"body.bin\")?;".to_owned());
            }
            BodyKind::Text => {
                let text = op.request_example.as_deref().unwrap_or("...");
                code.push(format!("let body = String::from({text:?});"));
            }
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                let json = op
                    .request_example
                    .clone()
                    .unwrap_or_else(|| empty_json(&b.ty).to_owned());
                let ty = type_text(&b.ty, lib);
                let hashes = raw_hashes(&json);
                let statement =
                    format!("let body: {ty} = serde_json::from_str(r{hashes}\"{json}\"{hashes})?;");
                code.extend(statement.lines().map(str::to_owned));
            }
        }
        let body_value = match (slot, &b.kind) {
            (Slot::Exact, BodyKind::Binary) => "body.into()",
            _ => "body",
        };
        values.push(("body".to_owned(), body_value.to_owned()));
    }

    let args = match &op.required_struct {
        Some(name) => {
            let mut lines = vec![format!("{lib}::operations::{name} {{")];
            for (field, value) in &values {
                if field == value {
                    lines.push(format!("    {field},"));
                } else {
                    lines.push(format!("    {field}: {value},"));
                }
            }
            lines.push("}".to_owned());
            lines
        }
        None => vec![
            values
                .iter()
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ],
    };
    // An optional input whose example the spec gives, to show the builder.
    let setter = op.optional_params().find_map(|p| {
        let example = p.example.as_ref()?;
        uses_models |= mentions_model(&p.ty);
        let value = value(service, &p.ty, Some(example), &p.wire, Slot::Into);
        Some(format!("    .{}({value})", p.name))
    });
    let method = op.method_name.as_str();
    let empty = matches!(&op.output, Output::Single(r) if r.kind == ReplyKind::Empty);
    let binding = if empty { "" } else { "let reply = " };
    match (args.as_slice(), &setter) {
        ([one], None) if one.len() + method.len() < 60 => {
            code.push(format!("{binding}client.{method}({one}).await?;"));
        }
        _ => {
            code.push(format!("{binding}client"));
            let (first, rest) = args
                .split_first()
                .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
            if rest.is_empty() {
                code.push(format!("    .{method}({first})"));
            } else {
                code.push(format!("    .{method}({first}"));
                let last = rest.len() - 1;
                for (i, line) in rest.iter().enumerate() {
                    let close = if i == last { ")" } else { "" };
                    code.push(format!("    {line}{close}"));
                }
            }
            code.extend(setter);
            code.push("    .await?;".to_owned());
        }
    }
    if !empty {
        code.push("println!(\"{reply:?}\");".to_owned());
    }

    let uses = if uses_models {
        format!("use {lib}::{{models, Client}};")
    } else {
        format!("use {lib}::Client;")
    };
    let mut lines = vec!["```no_run".to_owned(), format!("# {uses}")];
    if op.deprecated {
        lines.push("# #[allow(deprecated)]".to_owned());
    }
    lines.push(
        "# async fn example(client: Client) -> Result<(), Box<dyn std::error::Error>> {".to_owned(),
    );
    lines.extend(code);
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// A Rust expression of the type: the example when it fits, else a
/// placeholder that names the input.
fn value(
    service: &Service,
    ty: &TypeRef,
    example: Option<&serde_json::Value>,
    wire: &str,
    slot: Slot,
) -> String {
    let text = example.map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let placeholder = || format!("<{wire}>");
    match ty {
        TypeRef::String | TypeRef::Secret => {
            let s = text.unwrap_or_else(placeholder);
            match (slot, ty) {
                (Slot::Into, _) => format!("{s:?}"),
                (_, TypeRef::String) => format!("{s:?}.to_owned()"),
                _ => format!("{s:?}.into()"),
            }
        }
        TypeRef::Integer { bits, signed } => {
            let n = text
                .and_then(|t| {
                    let t = t.trim();
                    let ok = if *signed {
                        t.parse::<i64>().is_ok()
                    } else {
                        t.parse::<u64>().is_ok()
                    };
                    ok.then(|| t.to_owned())
                })
                .unwrap_or_else(|| "1".to_owned());
            // `impl Into<i32>` takes a bare literal; other widths need a suffix.
            if slot != Slot::Exact && !(*bits == 32 && *signed) {
                let sign = if *signed { 'i' } else { 'u' };
                format!("{n}_{sign}{bits}")
            } else {
                n
            }
        }
        TypeRef::Number { bits } => {
            let n = text
                .and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|n| n.is_finite())
                .unwrap_or(1.0);
            let mut n = format!("{n:?}");
            if slot != Slot::Exact && *bits == 32 {
                n.push_str("_f32");
            }
            n
        }
        TypeRef::Boolean => match example {
            Some(serde_json::Value::Bool(b)) => b.to_string(),
            Some(serde_json::Value::String(s)) if s == "false" => "false".to_owned(),
            _ => "true".to_owned(),
        },
        TypeRef::Named(name) => match enum_model(service, name) {
            Some(variants) => {
                let wanted = text.as_deref();
                match variants
                    .iter()
                    .find(|v| Some(v.wire.as_str()) == wanted)
                    .or(variants.first())
                {
                    Some(v) => format!("models::{name}::{}", v.name),
                    None => format!("models::{name}::from({:?}.to_owned())", placeholder()),
                }
            }
            None => json_value(ty, example, &service.lib_name),
        },
        TypeRef::Array(inner)
            if !matches!(**inner, TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any)
                && !is_struct(service, inner) =>
        {
            // An array example gives the first item; a scalar example is the item.
            let item_example = match example {
                Some(serde_json::Value::Array(items)) => items.first(),
                other => other,
            };
            format!(
                "vec![{}]",
                value(service, inner, item_example, wire, Slot::Item)
            )
        }
        _ => json_value(ty, example, &service.lib_name),
    }
}

/// A value of an object, map or union type, read from its JSON example.
fn json_value(ty: &TypeRef, example: Option<&serde_json::Value>, lib: &str) -> String {
    let json = example.map_or_else(|| empty_json(ty).to_owned(), |v| v.to_string());
    let hashes = raw_hashes(&json);
    format!(
        "serde_json::from_str::<{}>(r{hashes}\"{json}\"{hashes})?",
        type_text(ty, lib)
    )
}

fn empty_json(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Array(_) => "[]",
        TypeRef::Any => "null",
        _ => "{}",
    }
}

fn enum_model<'a>(service: &'a Service, name: &str) -> Option<&'a [crate::ir::Variant]> {
    let i = service
        .models
        .binary_search_by(|m| m.name().cmp(name))
        .ok()?;
    match &service.models[i] {
        Model::Enum(e) => Some(&e.variants),
        _ => None,
    }
}

fn is_struct(service: &Service, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(n) if enum_model(service, n).is_none())
}

/// Enough `#`s for a raw string literal that holds the text.
fn raw_hashes(text: &str) -> String {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    hashes
}

/// The type as a user writes it (`models::Job`, `Vec<models::Job>`).
fn type_text(ty: &TypeRef, lib: &str) -> String {
    let tokens = rust_type(ty, Scope::Crate).to_string();
    tokens
        .replace("crate ::", &format!("{lib} ::"))
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}
