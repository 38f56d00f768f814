//! The intermediate representation: every decision about a spec (names, types,
//! optionality, secrets, constraints, boxing, media types) is made once while
//! lowering and recorded here. Emitters only print it.

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
    /// Operations in spec order (`paths`, then `x-paths`; in each, paths, then
    /// methods in the fixed order get, put, post, delete, options, head, patch,
    /// trace).
    pub operations: Vec<Operation>,
    /// The distinct rules the client checks, each named once for the crate.
    pub rules: Vec<NamedRule>,
    /// The distinct patterns those rules use.
    pub patterns: Vec<NamedPattern>,
    /// Examples of shared responses (`components/responses`), with their types.
    pub examples: Vec<Example>,
    /// The crate's `recursion_limit`, when the models nest more deeply than the
    /// compiler's default (128) allows for.
    pub recursion_limit: Option<u32>,
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
    /// An object with known properties (`allOf` members merged in).
    Struct(StructModel),
    /// A string enumeration (open: unknown values are kept).
    Enum(EnumModel),
    /// `oneOf` / `anyOf`: one of several types.
    Union(UnionModel),
}

impl Model {
    /// The Rust type name.
    pub fn name(&self) -> &str {
        match self {
            Model::Struct(s) => &s.name,
            Model::Enum(e) => &e.name,
            Model::Union(u) => &u.name,
        }
    }

    /// Whether values are checked before sending.
    pub fn checked(&self) -> bool {
        match self {
            Model::Struct(s) => s.checked,
            Model::Enum(e) => e.checked,
            Model::Union(u) => u.checked,
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
    /// `additionalProperties` beside the properties: the Rust field name of the
    /// flattened map and its value type.
    pub additional: Option<(String, TypeRef)>,
    /// With more than a few required fields, `new` takes them in a struct of this
    /// name (named, so they cannot be swapped by position); otherwise positionally.
    pub required_struct: Option<String>,
    /// Whether values are checked before sending: the type is part of a request
    /// and it, or a type inside it, has a rule.
    pub checked: bool,
    /// Whether a request carries the type (then it gets `with_…` setters).
    pub in_requests: bool,
    /// Keywords of the schema that the generated type does not enforce, for the
    /// docs (e.g. `additionalProperties: false`).
    pub notes: Vec<String>,
}

impl StructModel {
    /// Whether every field is optional (then the type derives `Default`).
    pub fn all_optional(&self) -> bool {
        self.fields.iter().all(|f| f.optional())
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
    /// Its type, without the `Option`s for optionality and null.
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true` (sent by the server only).
    pub read_only: bool,
    /// `writeOnly: true` (sent by the client only).
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Held in a `Box`: the type contains itself through this field.
    pub boxed: bool,
    /// `default` as JSON, documented (the server applies it).
    pub default: Option<serde_json::Value>,
    /// Constraints from the schema (documented; the checkable ones are `rule`).
    pub constraints: Constraints,
    /// The named rule the client checks, if any.
    pub rule: Option<String>,
}

impl Field {
    /// Whether the Rust field is an `Option` (absent or `null` possible).
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Optional and nullable: `Option<Option<T>>` keeps absent (`None`) and `null`
    /// (`Some(None)`) apart.
    pub fn double_option(&self) -> bool {
        !self.required && self.nullable
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

/// `oneOf` / `anyOf`.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionModel {
    /// Rust type name.
    pub name: String,
    /// The JSON pointer it came from.
    pub origin: String,
    /// Doc text.
    pub doc: Option<String>,
    /// The alternatives, in spec order.
    pub variants: Vec<UnionVariant>,
    /// The `discriminator.propertyName`, when the alternatives are told apart by
    /// a property; otherwise each alternative is tried in order.
    pub tag: Option<String>,
    /// Whether values are checked before sending.
    pub checked: bool,
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Tag values that select it (`discriminator.mapping`, else the schema name).
    pub tags: Vec<String>,
    /// Held in a `Box` (the union contains itself through this alternative).
    pub boxed: bool,
    /// Doc text.
    pub doc: Option<String>,
}

/// A type as used by a field, parameter, body or response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// A secret string (`format: password`): `Secret`.
    Secret,
    /// An integer.
    Integer {
        /// 8, 16, 32 or 64.
        bits: u8,
        /// `i..` or `u..`.
        signed: bool,
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
    /// Raw bytes (`format: binary` in a body or file part): `Bytes`.
    Bytes,
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
    /// Required in requests although the field is optional in Rust (a required
    /// `writeOnly` property, which replies leave out).
    pub required: bool,
    /// The value's `format`, when it says more than the Rust type (`date-time`,
    /// `uuid`, `byte`, ...): documented, not checked.
    pub format: Option<String>,
    /// Keywords that do not apply to the value's type and are ignored.
    pub ignored: Vec<String>,
}

impl Constraints {
    /// No constraint at all.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }

    /// Only what the client checks: a pattern it cannot evaluate, formats and
    /// ignored keywords are left out.
    pub fn checkable(&self) -> Constraints {
        let mut c = self.clone();
        if !matches!(c.pattern_regex, Some(Ok(_))) {
            c.pattern = None;
            c.pattern_regex = None;
        }
        c.format = None;
        c.ignored = Vec::new();
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
    /// The path template, e.g. `/v3/{project_id}/instances/{instance_id}/htap`
    /// (for an operation of `x-paths`, the key without its `#label`).
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Parameters the caller passes (path, query, header, cookie), in spec order.
    pub params: Vec<Param>,
    /// Path parameters filled from client configuration (`x-client-parameter`).
    pub client_params: Vec<ClientParam>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success reply holds.
    pub output: Output,
    /// Documented error statuses and their descriptions.
    pub errors: Vec<(String, String)>,
    /// The first request example, as JSON text, for docs.
    pub request_example: Option<String>,
    /// Every example of the request body and the responses, with its type.
    pub examples: Vec<Example>,
    /// With more required inputs than [`crate::lower::ARGUMENTS_MAX`], the
    /// client method takes them in one struct of this name (in `operations`),
    /// with named fields; otherwise each is an argument.
    pub required_struct: Option<String>,
    /// How the operation pages (`x-pagination`).
    pub pagination: Option<Pagination>,
    /// Waits for the work the operation starts (`x-waiters`).
    pub waiters: Vec<Waiter>,
}

/// How a list operation pages (`x-pagination`).
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// How the next page is asked for: by offset or by marker.
    pub by: PageBy,
    /// The limit parameter (Rust name), its type, and whether it is required;
    /// `None` for a list paged by marker that takes no page size.
    pub limit: Option<(String, TypeRef, bool)>,
    /// The reply field with the page's items (its path from the reply), the
    /// item type.
    pub items: (FieldPath, TypeRef),
    /// The page size when the caller sets none.
    pub page_size: u64,
    /// The reply type (a model name).
    pub reply: String,
}

/// How a paged list asks for the next page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageBy {
    /// An offset that counts items or pages.
    Offset {
        /// The offset parameter (Rust name), its type, and whether it is required.
        offset: (String, TypeRef, bool),
        /// The reply field with the count of all items (Rust name), if any.
        total: Option<String>,
        /// The first offset.
        start: u64,
        /// Whether the offset counts items (else pages).
        counts_items: bool,
    },
    /// A marker (cursor): the id to start after.
    Marker {
        /// The marker parameter: Rust name, wire name, type (a string or an
        /// integer; the parameter is optional).
        marker: (String, String, TypeRef),
        /// Where the next marker is.
        next: NextMarker,
    },
}

/// Where a list paged by marker finds the next marker.
#[derive(Clone, Debug, PartialEq)]
pub enum NextMarker {
    /// A reply field (`next_marker`): the dot path as the spec writes it, and
    /// the field path from the reply.
    Reply(String, FieldPath),
    /// A field of the page's last item (`marker_field`): the dot path as the
    /// spec writes it, and the field path from the item.
    LastItem(String, FieldPath),
}

/// A path of struct fields, each a Rust field name and how the field is held.
pub type FieldPath = Vec<(String, Wrapping)>;

/// How a reply field is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapping {
    /// `T`.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Option<Option<T>>`.
    DoubleOption,
}

/// A wait for the work an operation starts (`x-waiters`).
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// The client method, e.g. `wait_create_job`.
    pub method: String,
    /// Dot path in the starting operation's reply of the work's id.
    pub id: String,
    /// The starting operation's required parameters the pollers need (Rust
    /// names), in order: arguments of the wait method.
    pub request_args: Vec<String>,
    /// Pollers in order (a later one asked when an earlier one does not know the id).
    pub pollers: Vec<WaitPoller>,
}

/// One poller of a wait.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitPoller {
    /// The polling operation's `operationId` and client method.
    pub operation: String,
    /// Its client method name.
    pub method: String,
    /// Values of its required parameters, in argument order.
    pub args: Vec<ArgSource>,
    /// Its optional parameters to set: (setter name, value).
    pub setters: Vec<(String, ArgSource)>,
    /// Dot path of the status.
    pub status: String,
    /// Statuses of success.
    pub success: Vec<String>,
    /// Statuses of failure.
    pub failure: Vec<String>,
    /// Dot paths of the failure reason.
    pub reason: Vec<String>,
    /// Dot path of a progress value.
    pub progress: Option<String>,
    /// A client error (or a reply without the status) means the work's resource
    /// is gone: success, for deletions.
    pub gone: bool,
}

/// Where a poll argument's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgSource {
    /// The work's id.
    Id,
    /// A value of the starting reply, by dot path.
    Reply(String),
    /// A parameter of the starting request (Rust name).
    Request(String),
    /// A constant.
    Literal(String),
}

/// A path parameter the client fills from its configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientParam {
    /// The placeholder's name (`project_id`).
    pub wire: String,
    /// The configuration key (`project_id`).
    pub key: String,
    /// The schema's rules, checked on the configured value before sending.
    pub constraints: Constraints,
    /// Named rule for the constraints (assigned after lowering).
    pub rule: Option<String>,
}

impl Operation {
    /// Parameters that are method arguments (required ones), in order.
    pub fn required_params(&self) -> impl Iterator<Item = &Param> {
        self.params
            .iter()
            .filter(|p| p.required && p.fixed.is_none())
    }

    /// Parameters set with builder methods (optional ones).
    pub fn optional_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| !p.required)
    }
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

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{placeholder}` in the path.
    Path,
    /// A query pair.
    Query,
    /// A request header.
    Header,
    /// A cookie (sent in the `Cookie` header).
    Cookie,
}

/// How a parameter's value is written (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`, `explode: true`: arrays repeat the name, objects write each
    /// property as its own pair.
    FormExploded,
    /// `form`, `explode: false`: `name=a,b,c`; objects `name=k1,v1,k2,v2`.
    Form,
    /// `spaceDelimited`: `a b c`.
    SpaceDelimited,
    /// `pipeDelimited`: `a|b|c`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value`.
    DeepObject,
    /// `simple` (paths and headers): `a,b,c`.
    Simple,
    /// `content: application/json`: the value as JSON text.
    Json,
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
    /// How it is written.
    pub style: ParamStyle,
    /// Doc text.
    pub doc: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// Required (a method argument) or optional (a builder setter).
    pub required: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Constraints from the schema (documented; the checkable ones are `rule`).
    pub constraints: Constraints,
    /// The named rule the client checks, if any.
    pub rule: Option<String>,
    /// `example` of the parameter or its schema, as JSON.
    pub example: Option<serde_json::Value>,
    /// A required parameter whose schema allows one value only: it is always sent
    /// with that value and is not an argument.
    pub fixed: Option<String>,
}

/// How a request body is encoded.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: the model's fields as form pairs.
    Form,
    /// `multipart/form-data`: the model's fields as parts; `Bytes` fields are
    /// file parts.
    Multipart,
    /// Raw bytes of the given media type (`application/octet-stream`, images, ...).
    Binary,
    /// Text (`text/plain`, ...).
    Text,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// Its type (`Bytes` for binary bodies, `String` for text).
    pub ty: TypeRef,
    /// How it is encoded.
    pub kind: BodyKind,
    /// The media type sent in `Content-Type`.
    pub media: String,
    /// Other media types the spec allows for this body (sent as given with the
    /// builder's raw-body method).
    pub alternatives: Vec<String>,
    /// `requestBody.required`.
    pub required: bool,
    /// `requestBody.description`.
    pub doc: Option<String>,
}

/// How a reply body is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyKind {
    /// No body (or one that is ignored): `()`.
    Empty,
    /// JSON decoded into the type.
    Json(TypeRef),
    /// Text: `String`.
    Text,
    /// Bytes, read up to the size limit or streamed: `Download`.
    Binary,
}

/// One documented success status and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The status (`2XX` ranges as their first code, `default` as 0).
    pub status: u16,
    /// The status as the spec writes it: `200`, `2XX`, `default` (empty when the
    /// spec documents no success reply).
    pub label: String,
    /// Its body.
    pub kind: ReplyKind,
    /// The variant name when an operation has several differently typed replies.
    pub variant: String,
    /// The response description.
    pub doc: Option<String>,
    /// In an enum of replies: the body is held in a `Box` (it is much larger
    /// than the other variants).
    pub boxed: bool,
}

/// What a success reply holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// One body type for every success status.
    Single(Reply),
    /// Several success statuses with different bodies: an enum with one variant
    /// per status, named by the enum `name`.
    ByStatus {
        /// The Rust name of the reply enum.
        name: String,
        /// The statuses, in spec order.
        replies: Vec<Reply>,
    },
}

impl Output {
    /// The documented success statuses.
    pub fn statuses(&self) -> Vec<u16> {
        match self {
            Output::Single(r) => vec![r.status],
            Output::ByStatus { replies, .. } => replies.iter().map(|r| r.status).collect(),
        }
    }
}
