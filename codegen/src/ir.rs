//! The intermediate representation: every decision about a spec (names, types,
//! optionality, secrets, constraints) is made once while lowering and recorded
//! here. Emitters only print it.

/// One cloud service: one spec file, one generated crate.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Service name, e.g. `gaussdb` (from the spec file's stem): the crate is
    /// `huaweicloud-sdk-<module>` in `generated/<module>/`.
    pub module: String,
    /// The package name, e.g. `huaweicloud-sdk-gaussdb`.
    pub crate_name: String,
    /// Its Rust name, e.g. `huaweicloud_sdk_gaussdb`.
    pub lib_name: String,
    /// The service's key in `HUAWEICLOUD_SDK_REGION_<KEY>_<REGION>`, e.g. `GAUSSDB`.
    pub env_key: String,
    /// The spec file, relative to the workspace, for `@generated` headers.
    pub source: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The first server's URL template, e.g. `https://gaussdb.{region}.myhuaweicloud.com`.
    pub server_template: Option<String>,
    /// Region id → endpoint URL, in spec order (`x-endpoints` on the first server).
    pub endpoints: Vec<(String, String)>,
    /// Models in emission order (sorted by name for stable output).
    pub models: Vec<Model>,
    /// Operations in spec order (paths, then methods in the fixed order
    /// get, put, post, delete, options, head, patch, trace).
    pub operations: Vec<Operation>,
    /// The distinct rules the client checks, each named once for the crate.
    pub rules: Vec<NamedRule>,
    /// The distinct patterns those rules use.
    pub patterns: Vec<NamedPattern>,
    /// Examples of shared responses (`components/responses`), with their types.
    pub examples: Vec<Example>,
}

/// A set of constraints with the name of its `static` in the generated crate.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedRule {
    /// `SCREAMING_SNAKE_CASE` name.
    pub name: String,
    /// The constraints (only the checkable ones).
    pub constraints: Constraints,
    /// The rule for array items, by name.
    pub items: Option<String>,
    /// The pattern, by name.
    pub pattern: Option<String>,
}

/// A pattern with the name of its `static` in the generated crate.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedPattern {
    /// `SCREAMING_SNAKE_CASE` name.
    pub name: String,
    /// As the spec writes it.
    pub source: String,
    /// In the client engine's syntax.
    pub regex: String,
}

/// A named type.
#[derive(Clone, Debug, PartialEq)]
pub enum Model {
    /// An object with known properties.
    Struct(StructModel),
    /// A string enumeration (open: unknown values are kept).
    Enum(EnumModel),
}

impl Model {
    /// The Rust type name.
    pub fn name(&self) -> &str {
        match self {
            Model::Struct(s) => &s.name,
            Model::Enum(e) => &e.name,
        }
    }
}

/// An object schema.
#[derive(Clone, Debug, PartialEq)]
pub struct StructModel {
    /// Rust type name.
    pub name: String,
    /// The JSON pointer it came from.
    pub origin: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// With more than a few required fields, `new` takes them in a struct of this
    /// name (named, so they cannot be swapped by position); otherwise positionally.
    pub required_struct: Option<String>,
    /// Whether values are checked before sending: the type is part of a request
    /// and it, or a type inside it, has a rule.
    pub checked: bool,
}

impl StructModel {
    /// Whether every field is optional (then the type derives `Default`).
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|f| !f.required)
    }
}

/// One property of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Rust field name (may be a raw identifier such as `r#type`).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Its type, without the `Option` for optionality.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true` (sent by the server only).
    pub read_only: bool,
    /// Constraints from the schema (documented; the checkable ones are `rule`).
    pub constraints: Constraints,
    /// The named rule the client checks, if any.
    pub rule: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumModel {
    /// Rust type name.
    pub name: String,
    /// The JSON pointer it came from.
    pub origin: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Known values.
    pub variants: Vec<Variant>,
    /// Whether values are checked before sending (the type is part of a request):
    /// a value the crate does not know is refused.
    pub checked: bool,
}

/// One known value of an enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Rust variant name (from `x-enum-varnames` where the spec gives one).
    pub name: String,
    /// The value on the wire.
    pub wire: String,
    /// What the value means (`x-enum-descriptions`).
    pub doc: Option<String>,
}

/// A type as used by a field, parameter, body or response.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A secret string (`format: password`): `Secret`.
    Secret,
    /// `i32` or `i64`.
    Integer {
        /// 32 or 64.
        bits: u8,
    },
    /// `f32` or `f64`.
    Number {
        /// 32 or 64.
        bits: u8,
    },
    /// `bool`.
    Boolean,
    /// A model by Rust name.
    Named(String),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// Any JSON: `serde_json::Value`.
    Any,
}

/// Constraints from the schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `pattern` (ECMA-262 regular expression as written in the spec).
    pub pattern: Option<String>,
    /// The pattern in the client engine's syntax, or why the client cannot check it.
    pub pattern_regex: Option<Result<String, String>>,
    /// `minimum`, with `exclusiveMinimum`.
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, with `exclusiveMaximum`.
    pub maximum: Option<(f64, bool)>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// Constraints on array items.
    pub items: Option<Box<Constraints>>,
    /// `enum` on an integer or number: the only values allowed.
    pub allowed: Option<Vec<f64>>,
}

impl Constraints {
    /// No constraint at all.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }

    /// Only what the client checks: a pattern it cannot evaluate is left out.
    pub fn checkable(&self) -> Constraints {
        let mut c = self.clone();
        if !matches!(c.pattern_regex, Some(Ok(_))) {
            c.pattern = None;
            c.pattern_regex = None;
        }
        c.items = c
            .items
            .map(|items| Box::new(items.checkable()))
            .filter(|items| !items.is_empty());
        c
    }
}

/// The HTTP methods, in the order operations are emitted for one path.
pub const METHODS: [&str; 8] = [
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
];

/// One API operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The `operationId` as written.
    pub id: String,
    /// The client method name.
    pub method_name: String,
    /// The request builder type name.
    pub builder_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template, e.g. `/v3/{project_id}/instances/{instance_id}/htap`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters the caller passes (path, query, header), in spec order.
    pub params: Vec<Param>,
    /// Path parameters filled from client configuration (`x-client-parameter`):
    /// (placeholder name, configuration key).
    pub client_params: Vec<(String, String)>,
    /// The JSON request body.
    pub body: Option<Body>,
    /// The success status and its body type (`None`: no body).
    pub success: (u16, Option<TypeRef>),
    /// Documented error statuses and their descriptions.
    pub errors: Vec<(String, String)>,
    /// The first request example, as JSON text, for docs.
    pub request_example: Option<String>,
    /// Every example of the request body and the responses, with its type.
    pub examples: Vec<Example>,
}

/// An example from the spec, for the generated round-trip tests.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Where it is, in words (`request create_db_instance`, `response 400 example`).
    pub label: String,
    /// The type it must decode into.
    pub ty: TypeRef,
    /// The example.
    pub value: serde_json::Value,
}

impl Operation {
    /// Parameters that are method arguments (required ones), in order.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required)
    }

    /// Parameters set with builder methods (optional ones).
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{placeholder}` in the path.
    Path,
    /// A query pair.
    Query,
    /// A request header.
    Header,
}

/// One operation parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Rust argument / setter name.
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Doc text.
    pub doc: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// Required (a method argument) or optional (a builder setter).
    pub required: bool,
    /// Constraints from the schema (documented; the checkable ones are `rule`).
    pub constraints: Constraints,
    /// The named rule the client checks, if any.
    pub rule: Option<String>,
    /// `example` of the parameter or its schema, as JSON.
    pub example: Option<serde_json::Value>,
}

/// A JSON request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// `requestBody.required`.
    pub required: bool,
    /// `requestBody.description`.
    pub doc: Option<String>,
}
