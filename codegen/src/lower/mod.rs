//! Stage 2: lower an OpenAPI document to the IR. Every question about the spec is
//! answered here, once: names, types, optionality, secrets, constraints, boxing,
//! media types.
//!
//! Policy: valid OpenAPI never stops a whole service. A keyword the client cannot
//! check, or that does not apply to the value's type, is documented and ignored;
//! a construct with no faithful Rust type is kept as JSON (`serde_json::Value`)
//! with a note in its docs. Located errors are for documents that are really
//! broken (dangling references, duplicate operationIds, a path parameter the path
//! does not have), and say what to fix.

mod boxing;
mod lifecycle;
mod operation;
mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use crate::error::{Error, ErrorKind, Pointer};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming::{self, Namespace};

pub use operation::{json_media, placeholders};

const SCHEMA_REF: &str = "#/components/schemas/";

/// A struct's `new` takes up to this many required fields as positional
/// arguments; more go in a struct with named fields, so that two values of the
/// same type cannot be swapped unnoticed.
pub const POSITIONAL_MAX: usize = 2;

/// A client method takes up to this many required inputs (parameters and the
/// body) as arguments; more go in a struct with named fields (clippy's
/// `too_many_arguments` counts `self` as the seventh).
pub const ARGUMENTS_MAX: usize = 6;

/// Path parameters that may be filled from client configuration, named by
/// `x-client-parameter` on the parameter.
pub const CLIENT_PARAMETERS: &[&str] = &["project_id"];

type Result<T, E = Error> = std::result::Result<T, E>;

/// Lowers one loaded spec to a service; `module` is the crate's service name and
/// `source` the spec path shown in `@generated` headers.
pub fn lower(spec: &LoadedSpec, module: &str, source: &str) -> Result<Service> {
    let mut lowerer = Lowerer::new(spec)?;
    let mut operations = lowerer.operations()?;
    let examples = lowerer.component_response_examples()?;
    let lifecycle = std::mem::take(&mut lowerer.lifecycle);
    lifecycle::apply(spec, &mut operations, &lowerer.models, lifecycle)?;
    let doc = &spec.doc;
    let server = doc.servers.first();
    // The region table: `x-endpoints` at the top level or on the first server.
    let on_server = server.and_then(|s| s.extensions.get("x-endpoints"));
    let endpoints = match (doc.extensions.get("x-endpoints"), on_server) {
        (Some(value), _) => lowerer.endpoints(value, &Pointer::root().join("x-endpoints"))?,
        (None, Some(value)) => lowerer.endpoints(
            value,
            &Pointer::root().join("servers").join(0).join("x-endpoints"),
        )?,
        (None, None) => Vec::new(),
    };
    let response_types = std::mem::take(&mut lowerer.response_types);
    let mut models: Vec<Model> = lowerer.models.into_values().collect();
    boxing::box_cycles(&mut models);
    boxing::box_large_variants(&mut models);
    relax_write_only(&mut models, &response_types);
    let recursion_limit = recursion_limit(boxing::nesting_depth(&models));
    let mut service = Service {
        module: module.to_owned(),
        crate_name: format!("huaweicloud-sdk-{}", module.replace('_', "-")),
        lib_name: format!("huaweicloud_sdk_{module}"),
        env_key: module.to_ascii_uppercase(),
        source: source.to_owned(),
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        server_template: server.map(|s| s.url.clone()),
        endpoints,
        models,
        operations,
        rules: Vec::new(),
        patterns: Vec::new(),
        examples,
        recursion_limit,
    };
    boxing::box_large_replies(&service.models, &mut service.operations);
    crate::checks::assign(&mut service);
    drop_blank_docs(&mut service);
    Ok(service)
}

/// A description of only white space (`description: ''`) is no description:
/// the emitters then write what they write for an undocumented item (every
/// public item has docs).
fn drop_blank_docs(service: &mut Service) {
    fn clean(doc: &mut Option<String>) {
        if doc.as_deref().is_some_and(|d| d.trim().is_empty()) {
            *doc = None;
        }
    }
    clean(&mut service.description);
    for model in &mut service.models {
        match model {
            Model::Struct(s) => {
                clean(&mut s.doc);
                for f in &mut s.fields {
                    clean(&mut f.doc);
                }
            }
            Model::Enum(e) => {
                clean(&mut e.doc);
                for v in &mut e.variants {
                    clean(&mut v.doc);
                }
            }
            Model::Union(u) => {
                clean(&mut u.doc);
                for v in &mut u.variants {
                    clean(&mut v.doc);
                }
            }
        }
    }
    for op in &mut service.operations {
        clean(&mut op.summary);
        clean(&mut op.description);
        for p in &mut op.params {
            clean(&mut p.doc);
        }
        if let Some(body) = &mut op.body {
            clean(&mut body.doc);
        }
        match &mut op.output {
            Output::Single(reply) => clean(&mut reply.doc),
            Output::ByStatus { replies, .. } => {
                for reply in replies {
                    clean(&mut reply.doc);
                }
            }
        }
    }
}

/// Levels of the compiler's recursion a model adds to a chain of models that
/// contain each other (a field in a `Vec` of `Option`s of a `Box`: about 8).
const RECURSION_PER_MODEL: usize = 8;

/// The compiler's default `recursion_limit`.
const DEFAULT_RECURSION_LIMIT: usize = 128;

/// A `recursion_limit` for models that nest `depth` deep (see
/// [`boxing::nesting_depth`]), when the default is too low: rustdoc's auto-trait
/// pass overflows on deeply nested models (Stripe's) otherwise.
fn recursion_limit(depth: usize) -> Option<u32> {
    let needed = depth.saturating_mul(RECURSION_PER_MODEL);
    (needed > DEFAULT_RECURSION_LIMIT)
        .then(|| u32::try_from(needed.next_power_of_two()).unwrap_or(u32::MAX))
}

/// A required `writeOnly` property is required in requests only (OpenAPI
/// 3.0.3 §4.7.24.1): replies leave it out. In a model that replies carry, such a
/// field is optional, and requests check that it is there.
fn relax_write_only(models: &mut [Model], response_types: &[TypeRef]) {
    fn named(ty: &TypeRef, out: &mut Vec<String>) {
        match ty {
            TypeRef::Named(n) => out.push(n.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner, out),
            _ => {}
        }
    }
    let index: BTreeMap<String, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name().to_owned(), i))
        .collect();
    let mut stack = Vec::new();
    for ty in response_types {
        named(ty, &mut stack);
    }
    let mut in_replies = BTreeSet::new();
    while let Some(name) = stack.pop() {
        let Some(&i) = index.get(&name) else { continue };
        if !in_replies.insert(i) {
            continue;
        }
        match &models[i] {
            Model::Struct(s) => {
                for f in &s.fields {
                    named(&f.ty, &mut stack);
                }
                if let Some((_, ty)) = &s.additional {
                    named(ty, &mut stack);
                }
            }
            Model::Union(u) => {
                for v in &u.variants {
                    named(&v.ty, &mut stack);
                }
            }
            Model::Enum(_) => {}
        }
    }
    for i in in_replies {
        if let Model::Struct(s) = &mut models[i] {
            for f in s.fields.iter_mut().filter(|f| f.required && f.write_only) {
                f.required = false;
                f.constraints.required = true;
            }
        }
    }
}

/// What lowering a schema gives: a type plus what the use site needs to know.
pub(crate) struct Lowered {
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
    pub example: Option<serde_json::Value>,
    pub default: Option<serde_json::Value>,
}

impl Lowered {
    /// A type with nothing else to say.
    fn plain(ty: TypeRef) -> Self {
        Lowered {
            ty,
            constraints: Constraints::default(),
            nullable: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            doc: None,
            example: None,
            default: None,
        }
    }
}

pub(crate) struct Lowerer<'a> {
    spec: &'a LoadedSpec,
    /// Models by Rust name; BTreeMap gives a stable emission order.
    models: BTreeMap<String, Model>,
    /// Component schema name → Rust type name, claimed before lowering starts.
    component_names: BTreeMap<String, String>,
    /// Component schemas already lowered, with their result type.
    done: BTreeMap<String, TypeRef>,
    /// Component schemas being lowered (a reference back to one of them is a
    /// recursive type).
    in_progress: BTreeSet<String>,
    /// Inline schemas already lowered, by JSON pointer: a schema reached twice
    /// (e.g. a property merged into several `allOf` results) is one type.
    by_pointer: HashMap<String, TypeRef>,
    /// Rust type names of the crate (models, builders, reply enums).
    types: Namespace,
    /// Header names that carry credentials (apiKey security schemes in headers).
    auth_headers: BTreeSet<String>,
    /// Examples of the operation being lowered.
    examples: Vec<Example>,
    /// Lowering a multipart body: `format: binary` strings are file contents.
    binary_as_bytes: bool,
    /// The types of success replies (for `writeOnly` fields, which replies leave out).
    response_types: Vec<TypeRef>,
    /// Operations with `x-pagination` / `x-waiters`: (index, pointer, values),
    /// read once every operation is lowered.
    lifecycle: Vec<LifecycleExtensions>,
}

/// An operation's index, pointer, `x-pagination` and `x-waiters`.
pub(crate) type LifecycleExtensions = (
    usize,
    Pointer,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

impl<'a> Lowerer<'a> {
    fn new(spec: &'a LoadedSpec) -> Result<Self> {
        let mut lowerer = Lowerer {
            spec,
            models: BTreeMap::new(),
            component_names: BTreeMap::new(),
            done: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            by_pointer: HashMap::new(),
            types: Namespace::with_reserved(naming::RESERVED_TYPES),
            auth_headers: BTreeSet::new(),
            examples: Vec::new(),
            binary_as_bytes: false,
            response_types: Vec::new(),
            lifecycle: Vec::new(),
        };
        if let Some(components) = &spec.doc.components {
            for name in components.schemas.keys() {
                let rust = lowerer
                    .types
                    .claim(&naming::type_ident(name, "Schema"), "Model");
                lowerer.component_names.insert(name.clone(), rust);
            }
            for scheme in components.security_schemes.values() {
                // A scheme given by reference names no header we could see here;
                // its header, if any, is then sent as an ordinary parameter.
                if let ReferenceOr::Item(SecurityScheme::APIKey {
                    location: APIKeyLocation::Header,
                    name: header,
                    ..
                }) = scheme
                {
                    lowerer.auth_headers.insert(header.to_ascii_lowercase());
                }
            }
            // Lower every component schema, so unused ones are still checked and emitted.
            let names: Vec<String> = components.schemas.keys().cloned().collect();
            for name in names {
                lowerer.component(&name, &Pointer::root())?;
            }
        }
        Ok(lowerer)
    }

    fn err(&self, kind: ErrorKind, at: &Pointer, message: impl Into<String>) -> Error {
        self.spec.error(kind, at, message)
    }

    fn endpoints(&self, value: &serde_json::Value, at: &Pointer) -> Result<Vec<(String, String)>> {
        let map = value.as_object().ok_or_else(|| {
            self.err(
                ErrorKind::Invalid,
                at,
                "`x-endpoints` must map region ids to endpoint URLs",
            )
        })?;
        map.iter()
            .map(|(region, url)| match url.as_str() {
                Some(url) => Ok((region.clone(), url.to_owned())),
                None => Err(self.err(
                    ErrorKind::Invalid,
                    &at.join(region),
                    "an endpoint must be a URL string",
                )),
            })
            .collect()
    }
}

/// How to name an inline type.
#[derive(Clone)]
pub(crate) enum Hint {
    /// A component schema: its name is fixed.
    Named(String),
    /// An inline schema: words to build a name from.
    Inline(String),
    /// A parameter's schema: the parameter name alone if free, else prefixed
    /// with the operation.
    Param { short: String, long: String },
}

impl Hint {
    fn candidate(&self) -> String {
        match self {
            Hint::Named(n) => n.clone(),
            Hint::Inline(words) | Hint::Param { long: words, .. } => naming::type_ident(words, "T"),
        }
    }

    fn short_candidate(&self) -> String {
        match self {
            Hint::Param { short, .. } => naming::type_ident(short, "T"),
            other => other.candidate(),
        }
    }

    /// The hint for an array's items or a map's values.
    fn item(&self) -> Hint {
        self.suffixed("Item")
    }

    /// This hint with a word added (`Pet` → `Pet Variant`).
    fn suffixed(&self, word: &str) -> Hint {
        match self {
            Hint::Named(n) => Hint::Inline(format!("{n} {word}")),
            Hint::Inline(w) => Hint::Inline(format!("{w} {word}")),
            Hint::Param { short, long } => Hint::Param {
                short: format!("{short} {word}"),
                long: format!("{long} {word}"),
            },
        }
    }
}
