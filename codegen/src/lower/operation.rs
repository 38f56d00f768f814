//! Operations: parameters (every location and style), request bodies (JSON,
//! forms, multipart, binary, text), replies (one type, or one per status), and
//! the examples of each.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle, ReferenceOr,
    RequestBody, Response, StatusCode,
};

use super::{CLIENT_PARAMETERS, Hint, Lowerer, Result};
use crate::error::{ErrorKind, Pointer};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming::{self, Namespace};

const PARAMETER_REF: &str = "#/components/parameters/";
const RESPONSE_REF: &str = "#/components/responses/";
const REQUEST_BODY_REF: &str = "#/components/requestBodies/";

/// Header parameters that OpenAPI 3.0 says to ignore (§4.7.12.1: "If in is
/// "header" and the name field is "Accept", "Content-Type" or "Authorization",
/// the parameter definition SHALL be ignored").
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// Caller-supplied parameters and the placeholders filled from configuration.
type Params = (Vec<Param>, Vec<ClientParam>);

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Result<Vec<Operation>> {
        let mut out = Vec::new();
        let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let mut methods = Namespace::with_reserved(naming::RESERVED_METHODS);
        let spec: &'a LoadedSpec = self.spec;
        // `paths`, then `x-paths` (the further operations of a path and method,
        // their keys' labels stripped: the same path is sent and signed).
        for (path, path_at, item) in spec.path_items() {
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.err(
                        ErrorKind::Unsupported,
                        &path_at,
                        "a `$ref` path item is not supported; bundle the document first \
                         (e.g. `redocly bundle`) so the path item is inline",
                    ));
                }
            };
            let by_method = [
                ("GET", &item.get),
                ("PUT", &item.put),
                ("POST", &item.post),
                ("DELETE", &item.delete),
                ("OPTIONS", &item.options),
                ("HEAD", &item.head),
                ("PATCH", &item.patch),
                ("TRACE", &item.trace),
            ];
            for (method, op) in by_method {
                let Some(op) = op else { continue };
                let at = path_at.join(method.to_ascii_lowercase());
                let id = match &op.operation_id {
                    Some(id) => id.clone(),
                    None => format!("{} {}", method.to_ascii_lowercase(), path),
                };
                if let Some(first) = ids.get(&id) {
                    return Err(self.err(
                        ErrorKind::DuplicateOperationId,
                        &at.join("operationId"),
                        format!(
                            "`{id}` is already the operationId of {first}; operationIds must be unique"
                        ),
                    ));
                }
                ids.insert(id.clone(), at.clone());
                let method_name = methods.claim(&naming::field_ident(&id), "_op");
                let hint_base = naming::type_ident(&id, "Op");
                // Builders share the crate's one type namespace with the models.
                let builder_name = self.types.claim(&format!("{hint_base}Builder"), "");
                let (params, client_params) =
                    self.parameters(&item.parameters, &op.parameters, path, &at, &hint_base)?;
                let body = match &op.request_body {
                    None => None,
                    Some(body) => self.request_body(body, &at.join("requestBody"), &hint_base)?,
                };
                let request_example = op.request_body.as_ref().and_then(|b| match b {
                    ReferenceOr::Item(b) => {
                        json_media(&b.content).and_then(|(_, m)| first_example(m))
                    }
                    ReferenceOr::Reference { .. } => None,
                });
                let (output, errors) =
                    self.responses(&op.responses, &at.join("responses"), &hint_base)?;
                let examples = std::mem::take(&mut self.examples);
                let required_inputs = params
                    .iter()
                    .filter(|p| p.required && p.fixed.is_none())
                    .count()
                    + usize::from(body.as_ref().is_some_and(|b| b.required));
                let required_struct = (required_inputs > super::ARGUMENTS_MAX)
                    .then(|| self.types.claim(&format!("{hint_base}Required"), ""));
                out.push(Operation {
                    id,
                    method_name,
                    builder_name,
                    http_method: method.to_owned(),
                    path: path.to_owned(),
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    params,
                    client_params,
                    body,
                    output,
                    errors,
                    request_example,
                    examples,
                    required_struct,
                    pagination: None,
                    waiters: Vec::new(),
                });
                let pagination = op.extensions.get("x-pagination").cloned();
                let waiters = op.extensions.get("x-waiters").cloned();
                if pagination.is_some() || waiters.is_some() {
                    self.lifecycle
                        .push((out.len() - 1, at.clone(), pagination, waiters));
                }
            }
        }
        Ok(out)
    }

    // ----- parameters -------------------------------------------------------------

    fn parameters(
        &mut self,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        path: &str,
        at: &Pointer,
        hint_base: &str,
    ) -> Result<Params> {
        // Resolve both lists; operation-level parameters override path-level ones
        // with the same name and location.
        let mut resolved: Vec<(Pointer, &Parameter)> = Vec::new();
        let path_at = at.parent();
        for (list, list_at) in [
            (path_level, path_at.join("parameters")),
            (op_level, at.join("parameters")),
        ] {
            for (i, p) in list.iter().enumerate() {
                let p_at = list_at.join(i);
                let (param, p_at) = self.resolve_parameter(p, &p_at)?;
                // Header names are case-insensitive; other names are not.
                let key = |q: &Parameter| {
                    let d = q.parameter_data_ref();
                    let name = match q {
                        Parameter::Header { .. } => d.name.to_ascii_lowercase(),
                        _ => d.name.clone(),
                    };
                    (location_name(q), name)
                };
                resolved.retain(|(_, q)| key(q) != key(param));
                resolved.push((p_at, param));
            }
        }

        let mut names = Namespace::with_reserved(naming::RESERVED_METHODS);
        names.claim("body", "");
        names.claim("client", "");
        let mut params = Vec::new();
        let mut client_params = Vec::new();
        let mut path_names = BTreeSet::new();
        for (p_at, param) in resolved {
            let data = param.parameter_data_ref();
            let (location, style) = match param {
                Parameter::Path { style, .. } => (
                    ParamLocation::Path,
                    // Matrix and label styles are written as simple ones (documented).
                    match style {
                        PathStyle::Simple | PathStyle::Matrix | PathStyle::Label => {
                            ParamStyle::Simple
                        }
                    },
                ),
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match (style, data.explode.unwrap_or(true)) {
                        (QueryStyle::Form, true) => ParamStyle::FormExploded,
                        (QueryStyle::Form, false) => ParamStyle::Form,
                        (QueryStyle::SpaceDelimited, _) => ParamStyle::SpaceDelimited,
                        (QueryStyle::PipeDelimited, _) => ParamStyle::PipeDelimited,
                        (QueryStyle::DeepObject, _) => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { .. } => (ParamLocation::Header, ParamStyle::Simple),
                Parameter::Cookie { .. } => (
                    ParamLocation::Cookie,
                    if data.explode.unwrap_or(true) {
                        ParamStyle::FormExploded
                    } else {
                        ParamStyle::Form
                    },
                ),
            };
            if location == ParamLocation::Header {
                let lower = data.name.to_ascii_lowercase();
                if IGNORED_HEADERS.contains(&lower.as_str()) || self.auth_headers.contains(&lower) {
                    // Set by the runtime (content negotiation, credentials).
                    continue;
                }
            }
            let mut client_key = None;
            if location == ParamLocation::Path {
                path_names.insert(data.name.clone());
                if let Some(key) = data.extensions.get("x-client-parameter") {
                    let key = key.as_str().unwrap_or_default();
                    if !CLIENT_PARAMETERS.contains(&key) {
                        return Err(self.err(
                            ErrorKind::Invalid,
                            &p_at.join("x-client-parameter"),
                            format!(
                                "`x-client-parameter: {key}` is not a client setting; known: {}",
                                CLIENT_PARAMETERS.join(", ")
                            ),
                        ));
                    }
                    client_key = Some(key.to_owned());
                }
            }
            let hint = Hint::Param {
                short: data.name.clone(),
                long: format!("{hint_base} {}", data.name),
            };
            let (lowered, style) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (
                    self.schema_or_ref(schema, &p_at.join("schema"), hint)?,
                    style,
                ),
                // `content`: the value is written in that media type (JSON here).
                ParameterSchemaOrContent::Content(content) => {
                    match content
                        .iter()
                        .next()
                        .and_then(|(media, m)| Some((media, m.schema.as_ref()?)))
                    {
                        Some((media, schema)) => (
                            self.schema_or_ref(
                                schema,
                                &p_at.join("content").join(media).join("schema"),
                                hint,
                            )?,
                            ParamStyle::Json,
                        ),
                        None => (super::Lowered::plain(TypeRef::String), style),
                    }
                }
            };
            if let Some(key) = client_key {
                // Filled from the configuration; its rules are checked on that value.
                client_params.push(ClientParam {
                    wire: data.name.clone(),
                    key,
                    constraints: lowered.constraints,
                    rule: None,
                });
                continue;
            }
            // Path parameters are always required (OpenAPI says so); treat one that
            // says otherwise as required rather than refuse the document.
            let required = data.required || location == ParamLocation::Path;
            // A required enumeration of one value: nothing for the caller to choose.
            let fixed = match &lowered.ty {
                TypeRef::Named(n) if required => match self.models.get(n) {
                    Some(Model::Enum(e)) if e.variants.len() == 1 => {
                        Some(e.variants[0].wire.clone())
                    }
                    _ => None,
                },
                _ => None,
            };
            params.push(Param {
                name: names.claim(&naming::field_ident(&data.name), "_param"),
                wire: data.name.clone(),
                location,
                style,
                doc: data.description.clone().or(lowered.doc),
                ty: lowered.ty,
                required,
                deprecated: data.deprecated.unwrap_or(false),
                constraints: lowered.constraints,
                rule: None,
                example: data.example.clone().or(lowered.example),
                fixed,
            });
        }
        // Every placeholder needs a parameter, and every path parameter a placeholder.
        let placeholders = placeholders(path);
        for name in &placeholders {
            if !path_names.contains(name) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    at,
                    format!(
                        "the path has `{{{name}}}` but the operation defines no path parameter \
                         `{name}`; declare it (in: path, required: true)"
                    ),
                ));
            }
        }
        for name in &path_names {
            if !placeholders.contains(name) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    at,
                    format!(
                        "path parameter `{name}` has no `{{{name}}}` in the path `{path}`; \
                         add the placeholder or remove the parameter"
                    ),
                ));
            }
        }
        Ok((params, client_params))
    }

    fn resolve_parameter<'p>(
        &self,
        p: &'p ReferenceOr<Parameter>,
        at: &Pointer,
    ) -> Result<(&'p Parameter, Pointer)>
    where
        'a: 'p,
    {
        let spec: &'a LoadedSpec = self.spec;
        let mut current = p;
        let mut current_at = at.clone();
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(param) => return Ok((param, current_at)),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(PARAMETER_REF).ok_or_else(|| {
                        self.err(
                            ErrorKind::DanglingRef,
                            at,
                            format!("`{reference}` does not point into {PARAMETER_REF}"),
                        )
                    })?;
                    current = spec
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.parameters.get(name))
                        .ok_or_else(|| {
                            self.err(
                                ErrorKind::DanglingRef,
                                at,
                                format!("`{reference}` is not defined under components.parameters"),
                            )
                        })?;
                    current_at = Pointer::root()
                        .join("components")
                        .join("parameters")
                        .join(name);
                }
            }
        }
        Err(self.err(
            ErrorKind::Invalid,
            at,
            "a chain of parameter references loops back to itself",
        ))
    }

    // ----- request bodies ---------------------------------------------------------

    fn request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        at: &Pointer,
        hint_base: &str,
    ) -> Result<Option<Body>> {
        let spec: &'a LoadedSpec = self.spec;
        let mut current = body;
        let mut body_at = at.clone();
        let body = loop {
            match current {
                ReferenceOr::Item(b) => break b,
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(REQUEST_BODY_REF).unwrap_or_default();
                    match spec
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.request_bodies.get(name))
                    {
                        Some(next) if next != current => {
                            current = next;
                            body_at = Pointer::root()
                                .join("components")
                                .join("requestBodies")
                                .join(name);
                        }
                        _ => {
                            return Err(self.err(
                                ErrorKind::DanglingRef,
                                at,
                                format!(
                                    "`{reference}` is not defined under components.requestBodies"
                                ),
                            ));
                        }
                    }
                }
            }
        };
        let Some((media, media_type, kind)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let schema_at = body_at.join("content").join(media).join("schema");
        let hint = Hint::Inline(format!("{hint_base} Body"));
        let ty = match (&kind, &media_type.schema) {
            (BodyKind::Binary, _) => TypeRef::Bytes,
            (BodyKind::Text, _) => TypeRef::String,
            (_, None) => match kind {
                BodyKind::Json => TypeRef::Any,
                _ => TypeRef::Map(Box::new(TypeRef::String)),
            },
            (BodyKind::Multipart, Some(schema)) => {
                self.binary_as_bytes = true;
                let ty = self.schema_or_ref(schema, &schema_at, hint);
                self.binary_as_bytes = false;
                ty?.ty
            }
            (_, Some(schema)) => self.schema_or_ref(schema, &schema_at, hint)?.ty,
        };
        if kind == BodyKind::Json {
            self.examples
                .extend(
                    self.media_examples(media_type)
                        .into_iter()
                        .map(|(name, value)| Example {
                            label: format!("request {name}"),
                            ty: ty.clone(),
                            value,
                        }),
                );
        }
        Ok(Some(Body {
            ty,
            kind,
            media: media.to_owned(),
            alternatives: body
                .content
                .keys()
                .filter(|m| m.as_str() != media)
                .cloned()
                .collect(),
            required: body.required,
            doc: body.description.clone(),
        }))
    }

    // ----- replies ----------------------------------------------------------------

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        at: &Pointer,
        hint_base: &str,
    ) -> Result<(Output, Vec<(String, String)>)> {
        let mut replies: Vec<Reply> = Vec::new();
        let mut errors = Vec::new();
        let mut entries: Vec<(String, u16, &ReferenceOr<Response>)> = responses
            .responses
            .iter()
            .map(|(status, r)| {
                let code = match status {
                    StatusCode::Code(c) => *c,
                    StatusCode::Range(r) => r * 100,
                };
                (status.to_string(), code, r)
            })
            .collect();
        let has_success = entries.iter().any(|(_, c, _)| (200..300).contains(c));
        if let Some(default) = &responses.default {
            // With no success status documented, `default` is what a success holds.
            entries.push((
                "default".to_owned(),
                if has_success { 0 } else { 200 },
                default,
            ));
        }
        for (status, code, response) in entries {
            let code_at = if status == "default" {
                at.parent().join("responses").join("default")
            } else {
                at.join(&status)
            };
            // Examples of shared responses are collected once, from components.
            let shared = matches!(response, ReferenceOr::Reference { .. });
            let response = self.resolve_response(response, &code_at)?;
            let is_success = (200..300).contains(&code);
            let hint = if is_success {
                format!("{hint_base} Response")
            } else {
                format!("{hint_base} Error {status}")
            };
            let kind = match pick_media(&response.content) {
                None => ReplyKind::Empty,
                Some((_, _, BodyKind::Text)) => ReplyKind::Text,
                Some((media, m, BodyKind::Json)) => match &m.schema {
                    // Error bodies are typed too: their models document the error shape.
                    Some(schema) => {
                        let ty = self
                            .schema_or_ref(
                                schema,
                                &code_at.join("content").join(media).join("schema"),
                                Hint::Inline(hint),
                            )?
                            .ty;
                        if is_success {
                            self.response_types.push(ty.clone());
                        }
                        if !shared {
                            let examples = self.media_examples(m);
                            self.examples
                                .extend(examples.into_iter().map(|(name, value)| Example {
                                    label: format!("response {status} {name}"),
                                    ty: ty.clone(),
                                    value,
                                }));
                        }
                        ReplyKind::Json(ty)
                    }
                    None => ReplyKind::Json(TypeRef::Any),
                },
                Some(_) => ReplyKind::Binary,
            };
            if is_success {
                replies.push(Reply {
                    status: code,
                    label: status.clone(),
                    variant: status_variant(code),
                    kind,
                    doc: Some(response.description.clone()).filter(|d| !d.trim().is_empty()),
                    boxed: false,
                });
            } else {
                errors.push((status, response.description.clone()));
            }
        }
        let output = if replies.is_empty() {
            Output::Single(Reply {
                status: 200,
                label: String::new(),
                kind: ReplyKind::Empty,
                variant: status_variant(200),
                doc: None,
                boxed: false,
            })
        } else if replies.iter().all(|r| r.kind == replies[0].kind) {
            Output::Single(replies.swap_remove(0))
        } else {
            // Differently typed replies: one enum, a variant per status.
            let mut names = Namespace::with_reserved(&["Other"]);
            for r in &mut replies {
                r.variant = names.claim(&r.variant, "");
            }
            Output::ByStatus {
                name: self.types.claim(&format!("{hint_base}Reply"), ""),
                replies,
            }
        };
        Ok((output, errors))
    }

    fn resolve_response<'r>(
        &self,
        r: &'r ReferenceOr<Response>,
        at: &Pointer,
    ) -> Result<&'r Response>
    where
        'a: 'r,
    {
        let spec: &'a LoadedSpec = self.spec;
        let mut current = r;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(r) => return Ok(r),
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(RESPONSE_REF).unwrap_or_default();
                    current = spec
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.responses.get(name))
                        .ok_or_else(|| {
                            self.err(
                                ErrorKind::DanglingRef,
                                at,
                                format!("`{reference}` is not defined under components.responses"),
                            )
                        })?;
                }
            }
        }
        Err(self.err(
            ErrorKind::Invalid,
            at,
            "a chain of response references loops back to itself",
        ))
    }

    // ----- examples ---------------------------------------------------------------

    /// The examples of `components/responses`, with their types.
    pub(super) fn component_response_examples(&mut self) -> Result<Vec<Example>> {
        let spec: &'a LoadedSpec = self.spec;
        let Some(components) = &spec.doc.components else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (name, response) in &components.responses {
            let ReferenceOr::Item(response) = response else {
                continue;
            };
            let Some((media, m)) = json_media(&response.content) else {
                continue;
            };
            let Some(schema) = &m.schema else { continue };
            let at = Pointer::root()
                .join("components")
                .join("responses")
                .join(name)
                .join("content")
                .join(media)
                .join("schema");
            let ty = self
                .schema_or_ref(schema, &at, Hint::Inline(format!("{name} Response")))?
                .ty;
            for (example, value) in self.media_examples(m) {
                out.push(Example {
                    label: format!("response {name} {example}"),
                    ty: ty.clone(),
                    value,
                });
            }
        }
        Ok(out)
    }

    /// The examples of a media type, by name (`example` is named `example`), with
    /// references into `components/examples` resolved.
    pub(super) fn media_examples(&self, media: &MediaType) -> Vec<(String, serde_json::Value)> {
        let mut out = Vec::new();
        if let Some(value) = &media.example {
            out.push(("example".to_owned(), value.clone()));
        }
        for (name, example) in &media.examples {
            let example = match example {
                ReferenceOr::Item(e) => Some(e),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/examples/")
                    .and_then(|n| self.spec.doc.components.as_ref()?.examples.get(n))
                    .and_then(|e| match e {
                        ReferenceOr::Item(e) => Some(e),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            if let Some(value) = example.and_then(|e| e.value.clone()) {
                out.push((name.clone(), value));
            }
        }
        out
    }
}

/// A reply enum's variant name for a status.
fn status_variant(code: u16) -> String {
    match code {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritative".to_owned(),
        204 => "NoContent".to_owned(),
        205 => "ResetContent".to_owned(),
        206 => "PartialContent".to_owned(),
        0 => "Default".to_owned(),
        other => format!("Status{other}"),
    }
}

fn location_name(p: &Parameter) -> &'static str {
    match p {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// The `{name}` placeholders of a path template, in order.
pub fn placeholders(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// The essence of a media type: lower case, without parameters.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How a body of this media type is encoded.
fn body_kind(media: &str) -> BodyKind {
    let e = essence(media);
    if e == "application/json" || e.ends_with("+json") {
        BodyKind::Json
    } else if e == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if e == "multipart/form-data" || e.starts_with("multipart/") {
        BodyKind::Multipart
    } else if e.starts_with("text/") {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// The media type a body or reply is read as, with the preference JSON, form,
/// multipart, text, binary (the first of the spec's order within each).
fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType, BodyKind)> {
    let rank = |k: &BodyKind| match k {
        BodyKind::Json => 0,
        BodyKind::Form => 1,
        BodyKind::Multipart => 2,
        BodyKind::Text => 3,
        BodyKind::Binary => 4,
    };
    content
        .iter()
        .map(|(media, m)| (media.as_str(), m, body_kind(media)))
        .min_by_key(|(_, _, k)| rank(k))
}

/// The first JSON media type of a content map (`application/json`,
/// `application/json;charset=UTF-8`, `application/problem+json`, ...).
pub fn json_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find_map(|(media, m)| (body_kind(media) == BodyKind::Json).then_some((media.as_str(), m)))
}

/// The first example of a media type, pretty-printed.
fn first_example(media: &MediaType) -> Option<String> {
    let value = media.example.clone().or_else(|| {
        media.examples.values().find_map(|e| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })?;
    serde_json::to_string_pretty(&value).ok()
}
