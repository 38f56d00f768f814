//! One Swagger 2.0 source (API Explorer's envelope — `method`, `name`,
//! `base_path`, `security_definitions`, `consumes` as a JSON-encoded string —
//! or a plain Swagger 2.0 document) → a [`Unit`] of OpenAPI 3 operations and
//! components.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use serde_json::{Map, Value};

use crate::error::{ErrorKind, Pointer};

use super::context::{Ctx, str_of, type_name};
use super::schema::{coerce, convert_schema};
use super::{Component, Operation, Unit};

/// HTTP methods of a path item, in the order they are written.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys of a Swagger 2 parameter that move into its OpenAPI 3 `schema`.
const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Media types of the document or an operation, before the operation's own.
struct Media {
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// Converts one Swagger 2.0 source.
pub(crate) fn convert(ctx: &mut Ctx, doc: &Map<String, Value>) -> Unit {
    let root = Pointer::root();
    let mut unit = Unit {
        service: str_of(doc, "product_short").map(str::to_owned),
        version: str_of(doc, "info_version")
            .or_else(|| {
                doc.get("info")
                    .and_then(|i| i.get("version"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned),
        ..Unit::default()
    };
    unit.name = str_of(doc, "name")
        .map(str::to_owned)
        .or_else(|| first_operation_id(doc))
        .unwrap_or_else(|| {
            ctx.file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    unit.servers = servers(ctx, doc);

    let media = Media {
        consumes: media_list(ctx, &root.join("consumes"), doc.get("consumes")),
        produces: media_list(ctx, &root.join("produces"), doc.get("produces")),
    };

    // Everything a `$ref` may point at, before converting anything.
    let definitions = object_at(ctx, doc, "definitions");
    let responses = object_at(ctx, doc, "responses");
    let parameters = object_at(ctx, doc, "parameters");
    for name in definitions.keys() {
        ctx.known.insert(("schemas".to_owned(), name.clone()));
    }
    for name in responses.keys() {
        ctx.known.insert(("responses".to_owned(), name.clone()));
    }
    for name in parameters.keys() {
        ctx.known.insert(("parameters".to_owned(), name.clone()));
    }

    for (name, schema) in &definitions {
        let at = root.join("definitions").join(name);
        let converted = convert_schema(ctx, &at, schema);
        unit.components.push(Component {
            section: "schemas".to_owned(),
            name: name.clone(),
            value: converted,
            at,
        });
    }
    for (name, response) in &responses {
        let at = root.join("responses").join(name);
        let converted = convert_response(ctx, &at, response, &media.produces);
        unit.components.push(Component {
            section: "responses".to_owned(),
            name: name.clone(),
            value: converted,
            at,
        });
    }

    let security_key = if doc.contains_key("securityDefinitions") {
        "securityDefinitions"
    } else {
        "security_definitions"
    };
    unit.security_schemes = security_schemes(ctx, &root.join(security_key), doc.get(security_key));

    let Some(paths) = doc.get("paths") else {
        ctx.error(
            ErrorKind::Invalid,
            &root,
            "no `paths`: the file defines no operation",
        );
        return unit;
    };
    let Value::Object(paths) = paths else {
        ctx.error(
            ErrorKind::Invalid,
            &root.join("paths"),
            format!("`paths` must be an object, found {}", type_name(paths)),
        );
        return unit;
    };
    let single = paths.len() == 1
        && paths
            .values()
            .next()
            .and_then(Value::as_object)
            .is_some_and(|item| {
                item.keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .count()
                    == 1
            });
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
        if item.contains_key("$ref") {
            ctx.error(
                ErrorKind::Unsupported,
                &item_at.join("$ref"),
                "path items given by `$ref` are not imported",
            );
            continue;
        }
        let path = normalize_path(ctx, &item_at, path);
        let shared: Vec<Value> = match item.get("parameters") {
            Some(Value::Array(list)) => list.clone(),
            Some(other) => {
                ctx.error(
                    ErrorKind::Invalid,
                    &item_at.join("parameters"),
                    format!("`parameters` must be a list, found {}", type_name(other)),
                );
                Vec::new()
            }
            None => Vec::new(),
        };
        for (method, op) in item {
            let op_at = item_at.join(method);
            let lower = method.to_ascii_lowercase();
            if !METHODS.contains(&lower.as_str()) {
                if method != "parameters" && !method.starts_with("x-") {
                    ctx.error(
                        ErrorKind::Invalid,
                        &op_at,
                        format!("`{method}` is not an HTTP method"),
                    );
                }
                continue;
            }
            if lower != *method {
                ctx.repair(&op_at, format!("method `{method}` → `{lower}`"));
            }
            let Value::Object(op) = op else {
                ctx.error(ErrorKind::Invalid, &op_at, "an operation must be an object");
                continue;
            };
            let envelope_name = if single { str_of(doc, "name") } else { None };
            let converted = convert_operation(
                ctx,
                &OpSource {
                    at: &op_at,
                    path: &path,
                    method: &lower,
                    op,
                    shared: &shared,
                    parameters: &parameters,
                    envelope_name,
                    schemes: &unit.security_schemes,
                },
                &media,
            );
            unit.operations.push(Operation {
                path: path.clone(),
                method: lower,
                op: converted,
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

fn first_operation_id(doc: &Map<String, Value>) -> Option<String> {
    let paths = doc.get("paths")?.as_object()?;
    paths
        .values()
        .filter_map(Value::as_object)
        .find_map(|item| {
            item.values().filter_map(Value::as_object).find_map(|op| {
                op.get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
        })
}

/// An object-valued top-level key; `null` or absent give an empty map.
fn object_at(ctx: &mut Ctx, doc: &Map<String, Value>, key: &str) -> Map<String, Value> {
    match doc.get(key) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        // API Explorer writes some objects as JSON-encoded strings.
        Some(Value::String(s)) if s.trim().is_empty() => Map::new(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => {
                ctx.error(
                    ErrorKind::Invalid,
                    &Pointer::root().join(key),
                    format!("`{key}` must be an object (or a JSON-encoded object)"),
                );
                Map::new()
            }
        },
        Some(other) => {
            ctx.error(
                ErrorKind::Invalid,
                &Pointer::root().join(key),
                format!("`{key}` must be an object, found {}", type_name(other)),
            );
            Map::new()
        }
    }
}

/// `consumes`/`produces`: a list, or (API Explorer) a JSON-encoded list.
pub(crate) fn media_list(ctx: &mut Ctx, at: &Pointer, value: Option<&Value>) -> Vec<String> {
    let list = match value {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(list)) => list.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => return Vec::new(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(list)) => list,
            _ => {
                let parts: Vec<Value> = s
                    .split(',')
                    .map(|p| Value::String(p.trim().to_owned()))
                    .collect();
                ctx.repair(
                    at,
                    format!("media types given as the plain string `{s}` (not a JSON-encoded list) read as a comma-separated list"),
                );
                parts
            }
        },
        Some(other) => {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!(
                    "media types must be a list of strings, found {}",
                    type_name(other)
                ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_str() {
            Some(s) if !s.trim().is_empty() => {
                if !out.iter().any(|o: &String| o == s.trim()) {
                    out.push(s.trim().to_owned());
                }
            }
            _ => ctx.repair(&at.join(i), "empty or non-string media type dropped"),
        }
    }
    out
}

/// `https://host/base_path` for each scheme (API Explorer: `schemes: ["HTTPS"]`).
fn servers(ctx: &mut Ctx, doc: &Map<String, Value>) -> Vec<String> {
    let Some(host) = str_of(doc, "host").map(str::trim).filter(|h| !h.is_empty()) else {
        return Vec::new();
    };
    let base = str_of(doc, "base_path")
        .or_else(|| str_of(doc, "basePath"))
        .unwrap_or("/")
        .trim();
    let base = base.trim_end_matches('/');
    let base = if base.is_empty() || base.starts_with('/') {
        base.to_owned()
    } else {
        format!("/{base}")
    };
    let schemes_at = Pointer::root().join("schemes");
    let schemes = media_list(ctx, &schemes_at, doc.get("schemes"));
    let mut schemes: Vec<String> = schemes.iter().map(|s| s.to_ascii_lowercase()).collect();
    if schemes.is_empty() {
        schemes.push("https".to_owned());
    }
    // HTTPS first.
    schemes.sort_by_key(|s| (s != "https", s.clone()));
    schemes
        .iter()
        .filter(|s| matches!(s.as_str(), "https" | "http" | "ws" | "wss"))
        .map(|s| format!("{s}://{host}{base}"))
        .collect()
}

fn normalize_path(ctx: &mut Ctx, at: &Pointer, path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        ctx.repair(
            at,
            format!("path `{path}` does not start with `/`; `/` added"),
        );
        format!("/{path}")
    }
}

/// Swagger 2 security definitions → OpenAPI 3 security schemes.
fn security_schemes(ctx: &mut Ctx, at: &Pointer, value: Option<&Value>) -> Map<String, Value> {
    let defs = match value {
        None | Some(Value::Null) => return Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(Value::String(s)) if s.trim().is_empty() => return Map::new(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => {
                ctx.error(
                    ErrorKind::Invalid,
                    at,
                    "security definitions must be an object",
                );
                return Map::new();
            }
        },
        Some(other) => {
            ctx.error(
                ErrorKind::Invalid,
                at,
                format!(
                    "security definitions must be an object, found {}",
                    type_name(other)
                ),
            );
            return Map::new();
        }
    };
    let mut out = Map::new();
    for (name, def) in &defs {
        let def_at = at.join(name);
        let Value::Object(def) = def else {
            ctx.error(
                ErrorKind::Invalid,
                &def_at,
                "a security definition must be an object",
            );
            continue;
        };
        let mut scheme = Map::new();
        match str_of(def, "type") {
            Some("basic") => {
                scheme.insert("type".into(), "http".into());
                scheme.insert("scheme".into(), "basic".into());
            }
            Some("apiKey") => {
                scheme.insert("type".into(), "apiKey".into());
                for key in ["name", "in"] {
                    match def.get(key) {
                        Some(v) => {
                            scheme.insert(key.into(), v.clone());
                        }
                        None => ctx.error(
                            ErrorKind::Invalid,
                            &def_at,
                            format!("an apiKey security definition needs `{key}`"),
                        ),
                    }
                }
            }
            Some("oauth2") => {
                scheme.insert("type".into(), "oauth2".into());
                let flow = str_of(def, "flow").unwrap_or("");
                let (name, keys): (&str, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        ctx.error(
                            ErrorKind::Invalid,
                            &def_at.join("flow"),
                            format!("unknown oauth2 flow `{flow}`"),
                        );
                        continue;
                    }
                };
                let mut f = Map::new();
                for key in keys {
                    if let Some(v) = def.get(*key) {
                        f.insert((*key).to_owned(), v.clone());
                    }
                }
                f.insert(
                    "scopes".into(),
                    def.get("scopes")
                        .cloned()
                        .unwrap_or(Value::Object(Map::new())),
                );
                let mut flows = Map::new();
                flows.insert(name.to_owned(), Value::Object(f));
                scheme.insert("flows".into(), Value::Object(flows));
            }
            other => {
                ctx.error(
                    ErrorKind::Invalid,
                    &def_at.join("type"),
                    format!(
                        "unknown security definition type `{}`",
                        other.unwrap_or("(none)")
                    ),
                );
                continue;
            }
        }
        if let Some(d) = def.get("description") {
            scheme.insert("description".into(), d.clone());
        }
        for (k, v) in def {
            if k.starts_with("x-") {
                scheme.insert(k.clone(), v.clone());
            }
        }
        out.insert(name.clone(), Value::Object(scheme));
    }
    out
}

/// What one operation is converted from.
struct OpSource<'s> {
    at: &'s Pointer,
    path: &'s str,
    method: &'s str,
    op: &'s Map<String, Value>,
    /// Path-level parameters.
    shared: &'s [Value],
    /// The file's global parameters, for `$ref: #/parameters/X`.
    parameters: &'s Map<String, Value>,
    /// The envelope's `name`, when the file holds this one operation.
    envelope_name: Option<&'s str>,
    schemes: &'s Map<String, Value>,
}

/// A request example gathered from `x-request-examples-*` keys.
#[derive(Default)]
struct RequestExample {
    value: Option<(Value, Pointer)>,
    text: Option<(Value, Pointer)>,
    url: Option<Value>,
    description: Option<Value>,
}

fn convert_operation(ctx: &mut Ctx, src: &OpSource, doc_media: &Media) -> Value {
    let op = src.op;
    let at = src.at;
    let media = Media {
        consumes: match op.get("consumes") {
            Some(v) => media_list(ctx, &at.join("consumes"), Some(v)),
            None => doc_media.consumes.clone(),
        },
        produces: match op.get("produces") {
            Some(v) => media_list(ctx, &at.join("produces"), Some(v)),
            None => doc_media.produces.clone(),
        },
    };
    let mut out = Map::new();

    // operationId: the operation's name in snake_case, as the official SDKs.
    let source_id = src
        .envelope_name
        .or_else(|| str_of(op, "operationId"))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let id = match source_id {
        Some(name) => name.to_snake_case(),
        None => {
            let derived =
                format!("{} {}", src.method, src.path.replace(['{', '}'], "")).to_snake_case();
            ctx.repair(
                &at.join("operationId"),
                format!("no operationId and no operation name; `{derived}` derived from the method and path"),
            );
            derived
        }
    };
    out.insert("operationId".into(), Value::String(id));
    for key in ["summary", "description"] {
        if let Some(v) = op.get(key) {
            match v {
                Value::String(_) => {
                    out.insert(key.into(), v.clone());
                }
                Value::Null => {}
                other => ctx.repair(
                    &at.join(key),
                    format!("`{key}` was {}, not text; dropped", type_name(other)),
                ),
            }
        }
    }
    match op.get("tags") {
        Some(Value::Array(tags)) => {
            let tags: Vec<Value> = tags.iter().filter(|t| t.is_string()).cloned().collect();
            if !tags.is_empty() {
                out.insert("tags".into(), Value::Array(tags));
            }
        }
        Some(Value::String(tag)) if !tag.is_empty() => {
            ctx.repair(
                &at.join("tags"),
                "`tags` given as a string → a one-element list",
            );
            out.insert(
                "tags".into(),
                Value::Array(vec![Value::String(tag.clone())]),
            );
        }
        _ => {}
    }

    // Parameters: path-level ones first, overridden by the operation's.
    let mut params: Vec<(Value, Pointer)> = Vec::new();
    let item_at = at.parent();
    for (i, p) in src.shared.iter().enumerate() {
        params.push((p.clone(), item_at.join("parameters").join(i)));
    }
    match op.get("parameters") {
        Some(Value::Array(list)) => {
            for (i, p) in list.iter().enumerate() {
                params.push((p.clone(), at.join("parameters").join(i)));
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => ctx.error(
            ErrorKind::Invalid,
            &at.join("parameters"),
            format!("`parameters` must be a list, found {}", type_name(other)),
        ),
    }
    let mut converted: Vec<(String, String, Value, Pointer)> = Vec::new();
    let mut body: Option<(Map<String, Value>, Pointer)> = None;
    let mut form: Vec<(Map<String, Value>, Pointer)> = Vec::new();
    for (p, p_at) in params {
        let (p, p_at) = match resolve_parameter(ctx, &p, &p_at, src.parameters) {
            Some(x) => x,
            None => continue,
        };
        let name = str_of(&p, "name").unwrap_or("").to_owned();
        let location = str_of(&p, "in").unwrap_or("").to_owned();
        if name.is_empty() {
            ctx.error(ErrorKind::Invalid, &p_at, "a parameter needs a `name`");
            continue;
        }
        match location.as_str() {
            "body" => {
                if let Some((_, first)) = &body {
                    ctx.error(
                        ErrorKind::Invalid,
                        &p_at,
                        format!("a second body parameter (the first is at {first}); an operation has one body"),
                    );
                } else {
                    body = Some((p, p_at));
                }
            }
            "formData" => form.push((p, p_at)),
            "path" | "query" | "header" | "cookie" => {
                let value = convert_parameter(ctx, &p_at, &p);
                // A later parameter with the same name and location replaces an
                // earlier one (an operation's parameter overrides the path's).
                if let Some(i) = converted
                    .iter()
                    .position(|(n, l, _, _)| *n == name && *l == location)
                {
                    let same_level = converted[i].3.parent() == p_at.parent();
                    if same_level {
                        ctx.repair(
                            &p_at,
                            format!("parameter `{name}` in {location} declared twice; the later declaration kept"),
                        );
                    }
                    converted[i] = (name, location, value, p_at);
                } else {
                    converted.push((name, location, value, p_at));
                }
            }
            other => ctx.error(
                ErrorKind::Invalid,
                &p_at.join("in"),
                format!("unknown parameter location `in: {other}`"),
            ),
        }
    }

    // Path parameters must match the path template both ways.
    let template: Vec<String> = template_names(src.path);
    converted.retain(|(name, location, _, p_at)| {
        if location == "path" && !template.contains(name) {
            ctx.repair(
                p_at,
                format!("path parameter `{name}` does not occur in the path `{}`; dropped (it cannot be sent)", src.path),
            );
            false
        } else {
            true
        }
    });
    for name in &template {
        if !converted
            .iter()
            .any(|(n, l, _, _)| n == name && l == "path")
        {
            ctx.repair(
                &at.join("parameters"),
                format!(
                    "path parameter `{name}` of `{}` was not declared; added as a required string",
                    src.path
                ),
            );
            let mut p = Map::new();
            p.insert("name".into(), Value::String(name.clone()));
            p.insert("in".into(), "path".into());
            p.insert("required".into(), Value::Bool(true));
            let mut schema = Map::new();
            schema.insert("type".into(), "string".into());
            p.insert("schema".into(), Value::Object(schema));
            converted.push((
                name.clone(),
                "path".into(),
                Value::Object(p),
                at.join("parameters"),
            ));
        }
    }
    if !converted.is_empty() {
        out.insert(
            "parameters".into(),
            Value::Array(converted.into_iter().map(|(_, _, v, _)| v).collect()),
        );
    }

    // Request examples; some files misplace them among the responses.
    let mut examples: BTreeMap<u32, RequestExample> = BTreeMap::new();
    gather_request_examples(ctx, at, op, &mut examples);
    if let Some(Value::Object(responses)) = op.get("responses") {
        let moved: Map<String, Value> = responses
            .iter()
            .filter(|(k, _)| k.starts_with("x-request-examples"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !moved.is_empty() {
            ctx.repair(
                &at.join("responses"),
                format!(
                    "`{}` misplaced among the responses; read as the operation's request examples",
                    moved.keys().cloned().collect::<Vec<_>>().join("`, `")
                ),
            );
            gather_request_examples(ctx, &at.join("responses"), &moved, &mut examples);
        }
    }

    let request_body = match (body, form.is_empty()) {
        (Some((_, b_at)), false) => {
            ctx.error(
                ErrorKind::Invalid,
                &b_at,
                "an operation has either a body parameter or formData parameters, not both",
            );
            None
        }
        (Some((b, b_at)), true) => Some(body_request(ctx, &b_at, &b, &media.consumes)),
        (None, false) => Some(form_request(ctx, at, &form, &media.consumes)),
        (None, true) => None,
    };
    let mut leftover = Vec::new();
    match request_body {
        Some(mut rb) => {
            attach_request_examples(ctx, &mut rb, examples, &mut leftover);
            out.insert("requestBody".into(), Value::Object(rb));
        }
        None => {
            for (n, ex) in examples {
                let mut entry = Map::new();
                if let Some(d) = ex
                    .description
                    .filter(|d| d.as_str().is_some_and(|s| !s.is_empty()))
                {
                    entry.insert("summary".into(), d);
                }
                if let Some(u) = ex.url {
                    entry.insert("url".into(), u);
                }
                if let Some((v, v_at)) = ex.value.or(ex.text) {
                    ctx.repair(
                        &v_at,
                        format!("request example {n} given for an operation without a request body; kept under `x-request-examples`"),
                    );
                    entry.insert("value".into(), v);
                }
                if !entry.is_empty() {
                    leftover.push(Value::Object(entry));
                }
            }
        }
    }
    if !leftover.is_empty() {
        out.insert("x-request-examples".into(), Value::Array(leftover));
    }

    // Responses.
    let mut responses = Map::new();
    match op.get("responses") {
        Some(Value::Object(rs)) => {
            for (code, r) in rs {
                let r_at = at.join("responses").join(code);
                if code.starts_with("x-request-examples") {
                    continue;
                }
                if code.starts_with("x-") {
                    responses.insert(code.clone(), r.clone());
                    continue;
                }
                if !is_status(code) {
                    ctx.error(
                        ErrorKind::Invalid,
                        &r_at,
                        format!(
                            "`{code}` is not an HTTP status code, a range like 4XX, or `default`"
                        ),
                    );
                    continue;
                }
                let converted = convert_response(ctx, &r_at, r, &media.produces);
                responses.insert(code.clone(), converted);
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => ctx.error(
            ErrorKind::Invalid,
            &at.join("responses"),
            format!("`responses` must be an object, found {}", type_name(other)),
        ),
    }
    if !responses.keys().any(|k| !k.starts_with("x-")) {
        ctx.repair(
            &at.join("responses"),
            "the operation declares no response; `default` with an empty description added (OpenAPI requires one)",
        );
        let mut d = Map::new();
        d.insert("description".into(), Value::String(String::new()));
        responses.insert("default".into(), Value::Object(d));
    }
    out.insert("responses".into(), Value::Object(sort_responses(responses)));

    if let Some(security) = op.get("security") {
        if let Some(s) = convert_security(ctx, &at.join("security"), security, src.schemes) {
            out.insert("security".into(), s);
        }
    }
    if let Some(v) = op.get("deprecated") {
        out.insert("deprecated".into(), v.clone());
    }
    if let Some(v) = op.get("externalDocs") {
        out.insert("externalDocs".into(), v.clone());
    }
    for (k, v) in op {
        if k.starts_with("x-") && !is_request_example_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn is_status(code: &str) -> bool {
    if code == "default" {
        return true;
    }
    let b = code.as_bytes();
    b.len() == 3
        && (b'1'..=b'5').contains(&b[0])
        && ((b[1].is_ascii_digit() && b[2].is_ascii_digit()) || (b[1] == b'X' && b[2] == b'X'))
}

/// Responses in status order, `default` last, extensions after.
fn sort_responses(responses: Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = responses.into_iter().collect();
    entries.sort_by_key(|(k, _)| (k.starts_with("x-"), k == "default", k.clone()));
    entries.into_iter().collect()
}

fn is_request_example_key(key: &str) -> bool {
    key.strip_prefix("x-request-examples")
        .is_some_and(|rest| parse_example_key(rest).is_some())
}

/// `-1`, `-text-1`, `-url-1`, `-description-1`, `-description` → (kind, number).
fn parse_example_key(rest: &str) -> Option<(&'static str, u32)> {
    if rest == "-description" {
        return Some(("description", 1));
    }
    let rest = rest.strip_prefix('-')?;
    let (kind, number) = match rest.rsplit_once('-') {
        Some((kind, number)) => (kind, number),
        None => ("", rest),
    };
    let n: u32 = number.parse().ok()?;
    let kind = match kind {
        "" => "value",
        "text" => "text",
        "url" => "url",
        "description" => "description",
        _ => return None,
    };
    Some((kind, n))
}

fn gather_request_examples(
    ctx: &mut Ctx,
    at: &Pointer,
    op: &Map<String, Value>,
    examples: &mut BTreeMap<u32, RequestExample>,
) {
    for (key, value) in op {
        let Some(rest) = key.strip_prefix("x-request-examples") else {
            continue;
        };
        let Some((kind, n)) = parse_example_key(rest) else {
            continue;
        };
        let key_at = at.join(key);
        let entry = examples.entry(n).or_default();
        match kind {
            "value" => entry.value = Some((value.clone(), key_at)),
            "text" => entry.text = Some((value.clone(), key_at)),
            "url" => entry.url = Some(value.clone()),
            _ => {
                if rest == "-description" {
                    if entry.description.is_some() {
                        continue;
                    }
                    ctx.repair(&key_at, "unnumbered `x-request-examples-description` read as the description of example 1");
                }
                entry.description = Some(value.clone());
            }
        }
    }
}

/// Puts request examples on every media type of a request body.
fn attach_request_examples(
    ctx: &mut Ctx,
    rb: &mut Map<String, Value>,
    examples: BTreeMap<u32, RequestExample>,
    leftover: &mut Vec<Value>,
) {
    let Some(Value::Object(content)) = rb.get_mut("content") else {
        return;
    };
    for (n, ex) in examples {
        let value = match (ex.value, ex.text) {
            (Some((v, v_at)), _) => Some((v, v_at)),
            (None, Some((t, t_at))) => Some((t, t_at)),
            (None, None) => None,
        };
        let Some((value, v_at)) = value else {
            // Only a URL and a description: nothing to show as a body.
            let mut entry = Map::new();
            if let Some(d) = ex
                .description
                .filter(|d| d.as_str().is_some_and(|s| !s.is_empty()))
            {
                entry.insert("summary".into(), d);
            }
            if let Some(u) = ex.url {
                entry.insert("url".into(), u);
            }
            if !entry.is_empty() {
                leftover.push(Value::Object(entry));
            }
            continue;
        };
        for (media, m) in content.iter_mut() {
            let Value::Object(m) = m else { continue };
            let mut example = Map::new();
            if let Some(d) = ex
                .description
                .clone()
                .filter(|d| d.as_str().is_some_and(|s| !s.is_empty()))
            {
                example.insert("summary".into(), d);
            }
            if let Some(u) = ex.url.clone() {
                example.insert("x-request-url".into(), u);
            }
            let value = decode_json_example(ctx, &v_at, media, value.clone());
            example.insert("value".into(), value);
            let list = m
                .entry("examples".to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(list) = list {
                list.insert(format!("example_{n}"), Value::Object(example));
            }
        }
    }
}

/// An example for a JSON media type written as a string that holds JSON is
/// that JSON.
fn decode_json_example(ctx: &mut Ctx, at: &Pointer, media: &str, value: Value) -> Value {
    if !is_json_media(media) {
        return value;
    }
    if let Value::String(s) = &value {
        let t = s.trim_start();
        if t.starts_with('{') || t.starts_with('[') {
            if let Ok(parsed) = serde_json::from_str::<Value>(s) {
                ctx.repair(
                    at,
                    format!("example for {media} written as a string of JSON → that JSON"),
                );
                return parsed;
            }
        }
    }
    value
}

pub(crate) fn is_json_media(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The names in a path template, in order.
pub(crate) fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &after[close + 1..];
    }
    names
}

/// Follows `$ref: #/parameters/X` (inlined: parameters are per operation).
fn resolve_parameter(
    ctx: &mut Ctx,
    p: &Value,
    at: &Pointer,
    globals: &Map<String, Value>,
) -> Option<(Map<String, Value>, Pointer)> {
    let Value::Object(map) = p else {
        ctx.error(
            ErrorKind::Invalid,
            at,
            format!("a parameter must be an object, found {}", type_name(p)),
        );
        return None;
    };
    let Some(reference) = map.get("$ref") else {
        return Some((map.clone(), at.clone()));
    };
    let reference = reference.as_str().unwrap_or("");
    let name = reference
        .strip_prefix("#/parameters/")
        .map(|n| n.replace("~1", "/").replace("~0", "~"));
    match name.as_deref().and_then(|n| globals.get(n).map(|v| (n, v))) {
        Some((n, Value::Object(target))) => {
            Some((target.clone(), Pointer::root().join("parameters").join(n)))
        }
        Some((n, _)) => {
            ctx.error(
                ErrorKind::Invalid,
                &Pointer::root().join("parameters").join(n),
                "a parameter must be an object",
            );
            None
        }
        None => {
            ctx.error(
                ErrorKind::DanglingRef,
                &at.join("$ref"),
                format!("`$ref: {reference}` points at nothing: the file's `parameters` have no such entry"),
            );
            None
        }
    }
}

/// A path, query, header or cookie parameter.
fn convert_parameter(ctx: &mut Ctx, at: &Pointer, p: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    let location = str_of(p, "in").unwrap_or("");
    for key in ["name", "in", "description"] {
        if let Some(v) = p.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let required = match p.get("required") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" || s == "false" => {
            ctx.repair(
                &at.join("required"),
                format!("`required: \"{s}\"` (a string) → `{s}`"),
            );
            s == "true"
        }
        None => false,
        Some(other) => {
            ctx.error(
                ErrorKind::Invalid,
                &at.join("required"),
                format!("`required` must be a boolean, found {}", type_name(other)),
            );
            false
        }
    };
    if location == "path" && !required {
        ctx.repair(
            &at.join("required"),
            "a path parameter is always required; `required: true` set",
        );
        out.insert("required".into(), Value::Bool(true));
    } else if required {
        out.insert("required".into(), Value::Bool(true));
    }
    if let Some(v) = p.get("deprecated") {
        out.insert("deprecated".into(), v.clone());
    }
    if location == "query" {
        if let Some(v) = p.get("allowEmptyValue") {
            out.insert("allowEmptyValue".into(), v.clone());
        }
    }

    let (schema, ty) = parameter_schema(ctx, at, p);
    if ty.as_deref() == Some("array") {
        let format = str_of(p, "collectionFormat").unwrap_or("csv");
        let style = match (location, format) {
            ("query" | "cookie", "csv") => Some(("form", false)),
            ("query" | "cookie", "multi") => Some(("form", true)),
            ("query", "ssv") => Some(("spaceDelimited", false)),
            ("query", "pipes") => Some(("pipeDelimited", false)),
            ("path" | "header", "csv") => Some(("simple", false)),
            _ => None,
        };
        match style {
            Some((style, explode)) => {
                out.insert("style".into(), Value::String(style.to_owned()));
                out.insert("explode".into(), Value::Bool(explode));
            }
            None => {
                ctx.repair(
                    &at.join("collectionFormat"),
                    format!("`collectionFormat: {format}` in {location} has no OpenAPI 3 style; kept as `x-collectionFormat`"),
                );
                out.insert(
                    "x-collectionFormat".into(),
                    Value::String(format.to_owned()),
                );
            }
        }
    }
    out.insert("schema".into(), schema);
    if let Some(example) = p.get("x-example") {
        let example = match ty
            .as_deref()
            .and_then(|t| coerce(t, example).map(|c| (t, c)))
        {
            Some((t, c)) => {
                ctx.repair(
                    &at.join("x-example"),
                    format!("`x-example: {example}` converted to `{t}` ({c})"),
                );
                c
            }
            None => example.clone(),
        };
        out.insert("example".into(), example);
    }
    for (k, v) in p {
        if k.starts_with("x-") && k != "x-example" && k != "x-nullable" {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The schema of a non-body parameter (its type keys), converted; and its type.
fn parameter_schema(
    ctx: &mut Ctx,
    at: &Pointer,
    p: &Map<String, Value>,
) -> (Value, Option<String>) {
    if let Some(schema) = p.get("schema") {
        // Not Swagger 2, but seen: a query parameter described by a schema.
        let converted = convert_schema(ctx, &at.join("schema"), schema);
        let ty = converted
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        return (converted, ty);
    }
    let mut raw = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(v) = p.get(*key) {
            raw.insert((*key).to_owned(), v.clone());
        }
    }
    if !raw.contains_key("type") {
        ctx.repair(at, "parameter without `type`; `type: string` assumed");
        raw.insert("type".into(), "string".into());
    }
    if let Some(Value::Object(items)) = raw.get_mut("items") {
        // Items objects may carry a collectionFormat of their own (nested arrays).
        items.remove("collectionFormat");
    }
    let converted = convert_schema(ctx, at, &Value::Object(raw));
    let ty = converted
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    (converted, ty)
}

/// A body parameter → a request body with one entry per `consumes` type.
fn body_request(
    ctx: &mut Ctx,
    at: &Pointer,
    p: &Map<String, Value>,
    consumes: &[String],
) -> Map<String, Value> {
    let mut rb = Map::new();
    if let Some(d) = p.get("description").filter(|d| d.is_string()) {
        rb.insert("description".into(), d.clone());
    }
    let schema = match p.get("schema") {
        Some(s) => convert_schema(ctx, &at.join("schema"), s),
        None => {
            ctx.error(ErrorKind::Invalid, at, "a body parameter needs a `schema`");
            Value::Object(Map::new())
        }
    };
    let types: Vec<String> = if consumes.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        consumes.to_vec()
    };
    let mut content = Map::new();
    for media in types {
        let mut m = Map::new();
        m.insert("schema".into(), schema.clone());
        if let Some(example) = p.get("x-example") {
            m.insert("example".into(), example.clone());
        }
        content.insert(media, Value::Object(m));
    }
    rb.insert("content".into(), Value::Object(content));
    if p.get("required") == Some(&Value::Bool(true)) {
        rb.insert("required".into(), Value::Bool(true));
    }
    if let Some(name) = p.get("name") {
        rb.insert("x-codegen-request-body-name".into(), name.clone());
    }
    rb
}

/// formData parameters → a `multipart/form-data` or
/// `application/x-www-form-urlencoded` request body of one object.
fn form_request(
    ctx: &mut Ctx,
    at: &Pointer,
    form: &[(Map<String, Value>, Pointer)],
    consumes: &[String],
) -> Map<String, Value> {
    let has_file = form.iter().any(|(p, _)| str_of(p, "type") == Some("file"));
    let multipart = consumes
        .iter()
        .any(|c| c.starts_with("multipart/form-data"));
    let urlencoded = consumes
        .iter()
        .any(|c| c.starts_with("application/x-www-form-urlencoded"));
    let media = if has_file {
        if !multipart {
            ctx.repair(
                &at.join("consumes"),
                "a file parameter is sent as multipart/form-data whatever `consumes` says",
            );
        }
        "multipart/form-data"
    } else if multipart {
        "multipart/form-data"
    } else if urlencoded {
        "application/x-www-form-urlencoded"
    } else {
        ctx.repair(
            &at.join("consumes"),
            format!(
                "formData parameters with `consumes: [{}]`; sent as application/x-www-form-urlencoded",
                consumes.join(", ")
            ),
        );
        "application/x-www-form-urlencoded"
    };
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for (p, p_at) in form {
        let name = str_of(p, "name").unwrap_or("").to_owned();
        let (mut schema, ty) = parameter_schema(ctx, p_at, p);
        if let (Some(d), Value::Object(s)) = (p.get("description"), &mut schema) {
            s.insert("description".into(), d.clone());
        }
        if ty.as_deref() == Some("array") {
            let explode = str_of(p, "collectionFormat") == Some("multi");
            let mut e = Map::new();
            e.insert("style".into(), "form".into());
            e.insert("explode".into(), Value::Bool(explode));
            encoding.insert(name.clone(), Value::Object(e));
        }
        if p.get("required") == Some(&Value::Bool(true)) {
            required.push(Value::String(name.clone()));
        }
        properties.insert(name, schema);
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required.clone()));
    }
    let mut m = Map::new();
    m.insert("schema".into(), Value::Object(schema));
    if !encoding.is_empty() {
        m.insert("encoding".into(), Value::Object(encoding));
    }
    let mut content = Map::new();
    content.insert(media.to_owned(), Value::Object(m));
    let mut rb = Map::new();
    rb.insert("content".into(), Value::Object(content));
    if !required.is_empty() {
        rb.insert("required".into(), Value::Bool(true));
    }
    rb
}

/// Splits an `examples` key: `application/json` → (it, None);
/// `application/json-2` (API Explorer's numbering) → (`application/json`, Some(2)).
fn example_media(key: &str) -> Option<(String, Option<u32>)> {
    if !key.contains('/') {
        return None;
    }
    if let Some((base, n)) = key.rsplit_once('-') {
        if let Ok(n) = n.parse::<u32>() {
            if base.contains('/') && !base.contains('=') {
                return Some((base.to_owned(), Some(n)));
            }
        }
    }
    Some((key.to_owned(), None))
}

/// A response example: media type, number, value, where, description.
type FoundExample = (String, Option<u32>, Value, Pointer, Option<Value>);

/// A Swagger 2 response → an OpenAPI 3 response.
fn convert_response(ctx: &mut Ctx, at: &Pointer, r: &Value, produces: &[String]) -> Value {
    let Value::Object(r) = r else {
        ctx.error(
            ErrorKind::Invalid,
            at,
            format!("a response must be an object, found {}", type_name(r)),
        );
        return Value::Object(Map::new());
    };
    if let Some(reference) = r.get("$ref") {
        let mut out = Map::new();
        if let Some(target) = ctx.rewrite_ref(
            &at.join("$ref"),
            reference.as_str().unwrap_or(""),
            "responses",
        ) {
            out.insert("$ref".into(), Value::String(target));
        }
        return Value::Object(out);
    }
    let mut out = Map::new();
    match r.get("description") {
        Some(Value::String(d)) => {
            out.insert("description".into(), Value::String(d.clone()));
        }
        _ => {
            ctx.repair(
                at,
                "response without a `description`; an empty one added (OpenAPI requires it)",
            );
            out.insert("description".into(), Value::String(String::new()));
        }
    }
    if let Some(headers) = r.get("headers") {
        match headers {
            Value::Object(hs) => {
                let mut converted = Map::new();
                for (name, h) in hs {
                    let h_at = at.join("headers").join(name);
                    let Value::Object(h) = h else {
                        ctx.error(ErrorKind::Invalid, &h_at, "a header must be an object");
                        continue;
                    };
                    let mut header = Map::new();
                    if let Some(d) = h.get("description") {
                        header.insert("description".into(), d.clone());
                    }
                    let (schema, _) = parameter_schema(ctx, &h_at, h);
                    header.insert("schema".into(), schema);
                    converted.insert(name.clone(), Value::Object(header));
                }
                out.insert("headers".into(), Value::Object(converted));
            }
            _ => ctx.error(
                ErrorKind::Invalid,
                &at.join("headers"),
                "`headers` must be an object",
            ),
        }
    }

    let schema = r
        .get("schema")
        .map(|s| convert_schema(ctx, &at.join("schema"), s));
    let is_file = r
        .get("schema")
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        == Some("file");
    let mut content: Map<String, Value> = Map::new();
    if let Some(schema) = &schema {
        let types: Vec<String> = if is_file {
            let non_json: Vec<String> = produces
                .iter()
                .filter(|p| !is_json_media(p))
                .cloned()
                .collect();
            if non_json.is_empty() {
                // A file from an operation that "produces" JSON: the example
                // keys name the real type where they are given.
                let from_examples: Vec<String> = r
                    .get("examples")
                    .and_then(Value::as_object)
                    .map(|e| {
                        e.keys()
                            .filter_map(|k| example_media(k).map(|(m, _)| m))
                            .filter(|m| !is_json_media(m))
                            .collect()
                    })
                    .unwrap_or_default();
                if from_examples.is_empty() {
                    vec!["application/octet-stream".to_owned()]
                } else {
                    from_examples
                }
            } else {
                non_json
            }
        } else if produces.is_empty() {
            vec!["application/json".to_owned()]
        } else {
            produces.to_vec()
        };
        for media in types {
            let mut m = Map::new();
            m.insert("schema".into(), schema.clone());
            content.insert(media, Value::Object(m));
        }
    }

    // Examples, by media type; API Explorer numbers extra ones `application/json-2`.
    let mut found: Vec<FoundExample> = Vec::new();
    match r.get("examples") {
        Some(Value::Object(examples)) => {
            if examples.keys().all(|k| example_media(k).is_some()) {
                for (key, value) in examples {
                    if let Some((media, n)) = example_media(key) {
                        found.push((media, n, value.clone(), at.join("examples").join(key), None));
                    }
                }
            } else {
                // `examples: {job_id: ...}`: the media type level is missing.
                let media = content
                    .keys()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| "application/json".to_owned());
                ctx.repair(
                    &at.join("examples"),
                    format!("`examples` is keyed by media type, but holds the example body itself; read as the example for {media}"),
                );
                found.push((
                    media,
                    None,
                    Value::Object(examples.clone()),
                    at.join("examples"),
                    None,
                ));
            }
        }
        None | Some(Value::Null) => {}
        Some(other) => ctx.error(
            ErrorKind::Invalid,
            &at.join("examples"),
            format!("`examples` must be an object, found {}", type_name(other)),
        ),
    }
    for (key, value) in r {
        let Some(n) = key
            .strip_prefix("x-response-examples-")
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let description = r
            .get(&format!("x-response-examples-description-{n}"))
            .cloned();
        // Either the example body itself, or (as in some definitions) the body
        // keyed by its media type: `{"application/json": {...}}`.
        let by_media = value
            .as_object()
            .filter(|m| !m.is_empty() && m.keys().all(|k| example_media(k).is_some()));
        match by_media {
            Some(by_media) => {
                for (k, v) in by_media {
                    if let Some((media, _)) = example_media(k) {
                        found.push((
                            media,
                            Some(n),
                            v.clone(),
                            at.join(key).join(k),
                            description.clone(),
                        ));
                    }
                }
            }
            None => {
                let media = content
                    .keys()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| "application/json".to_owned());
                found.push((media, Some(n), value.clone(), at.join(key), description));
            }
        }
    }
    for (media, n, value, v_at, description) in found {
        let essence = |m: &str| {
            m.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        };
        let same_essence = content
            .keys()
            .find(|k| essence(k) == essence(&media))
            .cloned();
        let target = if content.contains_key(&media) {
            media.clone()
        } else if let Some(same) = same_essence {
            // `application/json` for `application/json;charset=UTF-8`.
            same
        } else if content.len() == 1 {
            let only = content.keys().next().cloned().unwrap_or_default();
            ctx.repair(
                &v_at,
                format!("example given for {media}, which the response does not produce; attached to {only}"),
            );
            only
        } else {
            content.insert(media.clone(), Value::Object(Map::new()));
            media.clone()
        };
        let value = decode_json_example(ctx, &v_at, &target, value);
        let Some(Value::Object(m)) = content.get_mut(&target) else {
            continue;
        };
        let several = n.is_some() || m.contains_key("example") || m.contains_key("examples");
        if !several {
            m.insert("example".into(), value);
            continue;
        }
        let mut list = match m.remove("examples") {
            Some(Value::Object(list)) => list,
            _ => Map::new(),
        };
        if let Some(first) = m.remove("example") {
            let mut e = Map::new();
            e.insert("value".into(), first);
            list.insert("example_1".into(), Value::Object(e));
        }
        let mut e = Map::new();
        if let Some(d) = description.filter(|d| d.as_str().is_some_and(|s| !s.is_empty())) {
            e.insert("summary".into(), d);
        }
        e.insert("value".into(), value);
        let mut k = n.unwrap_or(1).max(1);
        while list.contains_key(&format!("example_{k}")) {
            k += 1;
        }
        list.insert(format!("example_{k}"), Value::Object(e));
        m.insert("examples".into(), Value::Object(list));
    }
    if !content.is_empty() {
        out.insert("content".into(), Value::Object(content));
    }
    for (k, v) in r {
        if k.starts_with("x-") && !k.starts_with("x-response-examples-") {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Security requirements; names the file defines no scheme for are dropped.
fn convert_security(
    ctx: &mut Ctx,
    at: &Pointer,
    security: &Value,
    schemes: &Map<String, Value>,
) -> Option<Value> {
    let Value::Array(list) = security else {
        ctx.error(
            ErrorKind::Invalid,
            at,
            "`security` must be a list of requirements",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut dropped = BTreeSet::new();
    for (i, req) in list.iter().enumerate() {
        let Value::Object(req) = req else {
            ctx.error(
                ErrorKind::Invalid,
                &at.join(i),
                "a security requirement must be an object",
            );
            continue;
        };
        let mut kept = Map::new();
        for (name, scopes) in req {
            if schemes.contains_key(name) {
                kept.insert(name.clone(), scopes.clone());
            } else {
                dropped.insert(name.clone());
            }
        }
        if !kept.is_empty() || req.is_empty() {
            out.push(Value::Object(kept));
        }
    }
    if !dropped.is_empty() {
        ctx.repair(
            at,
            format!(
                "security requirement `{}` names no security scheme the file defines; dropped",
                dropped.into_iter().collect::<Vec<_>>().join("`, `")
            ),
        );
    }
    if out.is_empty() && !list.is_empty() {
        return None;
    }
    Some(Value::Array(out))
}
