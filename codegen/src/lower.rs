//! Stage 2: lower an OpenAPI document to the IR. Every question about the spec is
//! answered here, once: names, types, optionality, secrets, constraints.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    APIKeyLocation, AdditionalProperties, ArrayType, IntegerFormat, MediaType, NumberFormat,
    ObjectType, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, SecurityScheme, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{Error, ErrorKind, Pointer};
use crate::ir::*;
use crate::load::LoadedSpec;
use crate::naming::{self, Namespace};

const SCHEMA_REF: &str = "#/components/schemas/";
const PARAMETER_REF: &str = "#/components/parameters/";
const RESPONSE_REF: &str = "#/components/responses/";
const REQUEST_BODY_REF: &str = "#/components/requestBodies/";

/// A struct's `new` takes up to this many required fields as positional
/// arguments; more go in a struct with named fields, so that two values of the
/// same type cannot be swapped unnoticed.
pub const POSITIONAL_MAX: usize = 2;

/// Path parameters that may be filled from client configuration, named by
/// `x-client-parameter` on the parameter.
pub const CLIENT_PARAMETERS: &[&str] = &["project_id"];

/// Header parameters that OpenAPI 3.0 says to ignore (§4.7.12.1: "If in is
/// "header" and the name field is "Accept", "Content-Type" or "Authorization",
/// the parameter definition SHALL be ignored").
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

type Result<T, E = Error> = std::result::Result<T, E>;

/// Caller-supplied parameters and the placeholders filled from configuration.
type Params = (Vec<Param>, Vec<(String, String)>);

/// The success status and body type, and the documented error statuses.
type Outcomes = ((u16, Option<TypeRef>), Vec<(String, String)>);

/// Lowers one loaded spec to a service; `module` is the Rust module name and
/// `source` the spec path shown in `@generated` headers.
pub fn lower(spec: &LoadedSpec, module: &str, source: &str) -> Result<Service> {
    let mut lowerer = Lowerer::new(spec)?;
    let operations = lowerer.operations()?;
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
    let examples = lowerer.component_response_examples()?;
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
        models: lowerer.models.into_values().collect(),
        operations,
        rules: Vec::new(),
        patterns: Vec::new(),
        examples,
    };
    crate::checks::assign(&mut service);
    Ok(service)
}

/// What lowering a schema gives: a type plus what the use site needs to know.
struct Lowered {
    ty: TypeRef,
    constraints: Constraints,
    nullable: bool,
    read_only: bool,
    doc: Option<String>,
    example: Option<serde_json::Value>,
}

struct Lowerer<'a> {
    spec: &'a LoadedSpec,
    /// Models by Rust name; BTreeMap gives a stable emission order.
    models: BTreeMap<String, Model>,
    /// Component schema name → Rust type name, claimed before lowering starts.
    component_names: BTreeMap<String, String>,
    /// Component schemas already lowered, with their result type.
    done: BTreeMap<String, TypeRef>,
    /// Component schemas being lowered (to catch recursion that needs a box).
    /// Component schemas being lowered, with the array/map depth at which each
    /// started (to tell recursion through a `Vec` or map, which is fine, from
    /// direct recursion, which would need a box).
    in_progress: BTreeMap<String, usize>,
    /// How many arrays and maps enclose the schema being lowered.
    indirection: usize,
    /// Rust type names in the models module.
    types: Namespace,
    /// Header names that carry credentials (apiKey security schemes in headers).
    auth_headers: BTreeSet<String>,
    /// Examples of the operation being lowered.
    examples: Vec<Example>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a LoadedSpec) -> Result<Self> {
        let mut lowerer = Lowerer {
            spec,
            models: BTreeMap::new(),
            component_names: BTreeMap::new(),
            done: BTreeMap::new(),
            in_progress: BTreeMap::new(),
            indirection: 0,
            types: Namespace::with_reserved(naming::RESERVED_TYPES),
            auth_headers: BTreeSet::new(),
            examples: Vec::new(),
        };
        if let Some(components) = &spec.doc.components {
            for name in components.schemas.keys() {
                let rust = lowerer
                    .types
                    .claim(&naming::type_ident(name, "Schema"), "Model");
                lowerer.component_names.insert(name.clone(), rust);
            }
            let schemes = Pointer::root().join("components").join("securitySchemes");
            for (name, scheme) in &components.security_schemes {
                match scheme {
                    ReferenceOr::Item(SecurityScheme::APIKey {
                        location: APIKeyLocation::Header,
                        name: header,
                        ..
                    }) => {
                        lowerer.auth_headers.insert(header.to_ascii_lowercase());
                    }
                    ReferenceOr::Item(_) => {}
                    ReferenceOr::Reference { .. } => {
                        return Err(spec.error(
                            ErrorKind::Unsupported,
                            &schemes.join(name),
                            "a $ref to a security scheme is not supported; define it inline",
                        ));
                    }
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

    // ----- schemas -------------------------------------------------------------

    /// Lowers the component schema `name` (once) and returns its type.
    fn component(&mut self, name: &str, used_at: &Pointer) -> Result<TypeRef> {
        if let Some(ty) = self.done.get(name) {
            return Ok(ty.clone());
        }
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        if let Some(&depth) = self.in_progress.get(name) {
            let is_object = matches!(
                self.spec.doc.components.as_ref().and_then(|c| c.schemas.get(name)),
                Some(ReferenceOr::Item(Schema {
                    schema_kind: SchemaKind::Type(Type::Object(o)),
                    ..
                })) if !o.properties.is_empty()
            );
            if self.indirection > depth && is_object {
                // Reached again through a Vec or map: the type can refer to itself.
                let rust = self.component_names.get(name).cloned().unwrap_or_default();
                return Ok(TypeRef::Named(rust));
            }
            return Err(self.err(
                ErrorKind::Unsupported,
                used_at,
                format!(
                    "schema `{name}` contains itself without an array or map in between; \
                     such recursive types are not supported"
                ),
            ));
        }
        let schema = self
            .spec
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .ok_or_else(|| {
                self.err(
                    ErrorKind::DanglingRef,
                    used_at,
                    format!("`{SCHEMA_REF}{name}` is not defined under components.schemas"),
                )
            })?;
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => {
                let target = self.schema_ref_name(reference, &at)?.to_owned();
                self.in_progress.insert(name.to_owned(), self.indirection);
                let ty = self.component(&target, &at);
                self.in_progress.remove(name);
                let ty = ty?;
                self.done.insert(name.to_owned(), ty.clone());
                return Ok(ty);
            }
        };
        let rust = self.component_names.get(name).cloned().unwrap_or_default();
        self.in_progress.insert(name.to_owned(), self.indirection);
        let lowered = self.schema(schema, &at, Hint::Named(rust));
        self.in_progress.remove(name);
        let ty = lowered?.ty;
        self.done.insert(name.to_owned(), ty.clone());
        Ok(ty)
    }

    /// The component name in a `#/components/schemas/Name` reference.
    fn schema_ref_name<'r>(&self, reference: &'r str, at: &Pointer) -> Result<&'r str> {
        match reference.strip_prefix(SCHEMA_REF) {
            Some(name) if !name.contains('/') => Ok(name),
            _ if reference.starts_with('#') => Err(self.err(
                ErrorKind::DanglingRef,
                at,
                format!("`{reference}` does not name a schema; schema references must point into {SCHEMA_REF}"),
            )),
            _ => Err(self.err(
                ErrorKind::Unsupported,
                at,
                format!("external reference `{reference}`: only local references are supported"),
            )),
        }
    }

    /// Lowers a schema or reference used at `at`.
    fn schema_or_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        item: &ReferenceOr<S>,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        match item {
            ReferenceOr::Reference { reference } => {
                let name = self.schema_ref_name(reference, at)?.to_owned();
                let ty = self.component(&name, at)?;
                // A reference to a scalar schema carries that schema's constraints.
                let target = self
                    .spec
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name));
                let (constraints, nullable, read_only, doc, example) = match target {
                    Some(ReferenceOr::Item(s)) => (
                        constraints_of(s),
                        s.schema_data.nullable,
                        s.schema_data.read_only,
                        s.schema_data.description.clone(),
                        s.schema_data.example.clone(),
                    ),
                    _ => (Constraints::default(), false, false, None, None),
                };
                Ok(Lowered {
                    ty,
                    constraints,
                    nullable,
                    read_only,
                    doc,
                    example,
                })
            }
            ReferenceOr::Item(schema) => self.schema(std::borrow::Borrow::borrow(schema), at, hint),
        }
    }

    fn schema(&mut self, schema: &Schema, at: &Pointer, hint: Hint) -> Result<Lowered> {
        let data = &schema.schema_data;
        let unsupported = |this: &Self, key: &str| {
            Err(this.err(
                ErrorKind::Unsupported,
                &at.join(key),
                format!(
                    "`{key}` is not supported by this generator; describe the type with \
                     `type` and `properties` (or open an issue with the schema)"
                ),
            ))
        };
        let ty = match &schema.schema_kind {
            SchemaKind::OneOf { .. } => return unsupported(self, "oneOf"),
            SchemaKind::AllOf { .. } => return unsupported(self, "allOf"),
            SchemaKind::AnyOf { .. } => return unsupported(self, "anyOf"),
            SchemaKind::Not { .. } => return unsupported(self, "not"),
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&String> = s.enumeration.iter().flatten().collect();
                if !values.is_empty() {
                    self.string_enum(&values, at, hint, data)?
                } else if matches!(
                    s.format,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password)
                ) {
                    TypeRef::Secret
                } else {
                    TypeRef::String
                }
            }
            SchemaKind::Type(Type::Integer(i)) => TypeRef::Integer {
                bits: match i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => 32,
                    _ => 64,
                },
            },
            SchemaKind::Type(Type::Number(n)) => TypeRef::Number {
                bits: match n.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => 32,
                    _ => 64,
                },
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Object(o)) => {
                self.object(o, at, hint, data.description.clone())?
            }
            SchemaKind::Type(Type::Array(a)) => self.array(a, at, hint)?,
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    return unsupported(self, "allOf");
                }
                if !any.one_of.is_empty() {
                    return unsupported(self, "oneOf");
                }
                if !any.any_of.is_empty() {
                    return unsupported(self, "anyOf");
                }
                if any.not.is_some() {
                    return unsupported(self, "not");
                }
                match any.typ.as_deref() {
                    None if !any.properties.is_empty() => {
                        let object = ObjectType {
                            properties: any.properties.clone(),
                            required: any.required.clone(),
                            additional_properties: any.additional_properties.clone(),
                            min_properties: any.min_properties,
                            max_properties: any.max_properties,
                        };
                        self.object(&object, at, hint, data.description.clone())?
                    }
                    None => TypeRef::Any,
                    Some(other) => {
                        return Err(self.err(
                            ErrorKind::Unsupported,
                            &at.join("type"),
                            format!(
                                "`type: {other}` together with keywords of another type is not supported"
                            ),
                        ));
                    }
                }
            }
        };
        let constraints = constraints_of(schema);
        Ok(Lowered {
            ty,
            constraints,
            nullable: data.nullable,
            read_only: data.read_only,
            doc: data.description.clone(),
            example: data.example.clone(),
        })
    }

    fn array(&mut self, array: &ArrayType, at: &Pointer, hint: Hint) -> Result<TypeRef> {
        match &array.items {
            Some(items) => {
                self.indirection += 1;
                let item = self.schema_or_ref(items, &at.join("items"), hint.item());
                self.indirection -= 1;
                Ok(TypeRef::Array(Box::new(item?.ty)))
            }
            None => Ok(TypeRef::Array(Box::new(TypeRef::Any))),
        }
    }

    fn object(
        &mut self,
        object: &ObjectType,
        at: &Pointer,
        hint: Hint,
        doc: Option<String>,
    ) -> Result<TypeRef> {
        if object.properties.is_empty() {
            return match &object.additional_properties {
                Some(AdditionalProperties::Schema(values)) => {
                    self.indirection += 1;
                    let value =
                        self.schema_or_ref(values, &at.join("additionalProperties"), hint.item());
                    self.indirection -= 1;
                    Ok(TypeRef::Map(Box::new(value?.ty)))
                }
                _ => Ok(TypeRef::Any),
            };
        }
        let name = match &hint {
            Hint::Named(name) => name.clone(),
            inline => self.types.claim(&inline.candidate(), ""),
        };
        let mut fields = Vec::new();
        let mut field_names = Namespace::default();
        for (wire, property) in &object.properties {
            let field_at = at.join("properties").join(wire);
            let lowered =
                self.schema_or_ref(property, &field_at, Hint::Inline(format!("{name} {wire}")))?;
            // Boxed component references that are used directly (not through Vec or a map)
            // are checked for recursion by `component`.
            fields.push(Field {
                name: field_names.claim(&naming::field_ident(wire), "_"),
                wire: wire.clone(),
                doc: lowered.doc,
                ty: lowered.ty,
                required: object.required.contains(wire),
                nullable: lowered.nullable,
                read_only: lowered.read_only,
                constraints: lowered.constraints,
                rule: None,
            });
        }
        for (i, required) in object.required.iter().enumerate() {
            if !object.properties.contains_key(required) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    &at.join("required").join(i),
                    format!("`{required}` is listed as required but is not a property"),
                ));
            }
        }
        let required = fields.iter().filter(|f| !f.optional()).count();
        let required_struct =
            (required > POSITIONAL_MAX).then(|| self.types.claim(&format!("{name}Required"), ""));
        self.models.insert(
            name.clone(),
            Model::Struct(StructModel {
                name: name.clone(),
                origin: at.to_string(),
                doc,
                fields,
                required_struct,
                checked: false,
            }),
        );
        Ok(TypeRef::Named(name))
    }

    fn string_enum(
        &mut self,
        values: &[&String],
        at: &Pointer,
        hint: Hint,
        data: &openapiv3::SchemaData,
    ) -> Result<TypeRef> {
        let doc = data.description.clone();
        // `x-enum-varnames` / `x-enum-descriptions` (the convention of OpenAPI
        // Generator): names and meanings where the wire values say nothing.
        let names_given = self.string_list(data, "x-enum-varnames", values.len(), at)?;
        let docs_given = self.string_list(data, "x-enum-descriptions", values.len(), at)?;
        let mut names = Namespace::with_reserved(&["Unknown"]);
        let variants: Vec<Variant> = values
            .iter()
            .enumerate()
            .map(|(i, wire)| {
                let given = names_given.as_ref().map(|n| n[i].as_str());
                Variant {
                    name: names.claim(&naming::type_ident(given.unwrap_or(wire), "Value"), "Value"),
                    wire: (*wire).clone(),
                    doc: docs_given.as_ref().map(|d| d[i].clone()),
                }
            })
            .collect();
        let name = match &hint {
            Hint::Named(name) => name.clone(),
            inline => {
                // Inline enums with the same values share one type (e.g. one header
                // parameter on many operations); otherwise a longer name is used.
                let short = inline.short_candidate();
                match self.models.get(&short) {
                    Some(Model::Enum(existing)) if existing.variants == variants => {
                        return Ok(TypeRef::Named(short));
                    }
                    None if !self.types.contains(&short) => self.types.claim(&short, ""),
                    _ => self.types.claim(&inline.candidate(), ""),
                }
            }
        };
        self.models.insert(
            name.clone(),
            Model::Enum(EnumModel {
                name: name.clone(),
                origin: at.to_string(),
                doc,
                variants,
                checked: false,
            }),
        );
        Ok(TypeRef::Named(name))
    }

    /// An extension holding one string per enum value (`x-enum-varnames`, ...).
    fn string_list(
        &self,
        data: &openapiv3::SchemaData,
        key: &str,
        len: usize,
        at: &Pointer,
    ) -> Result<Option<Vec<String>>> {
        let Some(value) = data.extensions.get(key) else {
            return Ok(None);
        };
        let list: Option<Vec<String>> = value
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect())
            .and_then(|v: Option<Vec<String>>| v);
        match list {
            Some(list) if list.len() == len => Ok(Some(list)),
            _ => Err(self.err(
                ErrorKind::Invalid,
                &at.join(key),
                format!("`{key}` must be a list of {len} strings, one per `enum` value"),
            )),
        }
    }

    // ----- operations ----------------------------------------------------------

    fn operations(&mut self) -> Result<Vec<Operation>> {
        let mut out = Vec::new();
        let mut ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let mut methods = Namespace::with_reserved(naming::RESERVED_METHODS);
        let doc = &self.spec.doc;
        for (path, item) in &doc.paths.paths {
            let path_at = Pointer::root().join("paths").join(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.err(
                        ErrorKind::Unsupported,
                        &path_at,
                        "a $ref path item is not supported; write the path item inline",
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
                        format!("`{id}` is already the operationId of {first}; operationIds must be unique"),
                    ));
                }
                ids.insert(id.clone(), at.clone());
                let method_name = methods.claim(&naming::field_ident(&id), "_op");
                // Builders share the crate's one type namespace with the models.
                let builder_name = self
                    .types
                    .claim(&format!("{}Builder", naming::type_ident(&id, "Op")), "");
                let hint_base = naming::type_ident(&id, "Op");
                let (params, client_params) =
                    self.parameters(&item.parameters, &op.parameters, path, &at, &hint_base)?;
                let body = match &op.request_body {
                    None => None,
                    Some(body) => {
                        Some(self.request_body(body, &at.join("requestBody"), &hint_base)?)
                    }
                };
                let request_example = op.request_body.as_ref().and_then(|b| match b {
                    ReferenceOr::Item(b) => {
                        json_media(&b.content).and_then(|(_, m)| first_example(m))
                    }
                    ReferenceOr::Reference { .. } => None,
                });
                let (success, errors) =
                    self.responses(&op.responses, &at.join("responses"), &hint_base)?;
                let examples = std::mem::take(&mut self.examples);
                out.push(Operation {
                    id,
                    method_name,
                    builder_name,
                    http_method: method.to_owned(),
                    path: path.clone(),
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    params,
                    client_params,
                    body,
                    success,
                    errors,
                    request_example,
                    examples,
                });
            }
        }
        Ok(out)
    }

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
                let key = |q: &Parameter| {
                    let d = q.parameter_data_ref();
                    (location_name(q), d.name.to_ascii_lowercase())
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
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    return Err(self.err(
                        ErrorKind::Unsupported,
                        &p_at.join("in"),
                        "cookie parameters are not supported",
                    ));
                }
            };
            if location == ParamLocation::Header {
                let lower = data.name.to_ascii_lowercase();
                if IGNORED_HEADERS.contains(&lower.as_str()) || self.auth_headers.contains(&lower) {
                    // Set by the runtime (content negotiation, credentials).
                    continue;
                }
            }
            if location == ParamLocation::Path {
                path_names.insert(data.name.clone());
                if !data.required {
                    return Err(self.err(
                        ErrorKind::Invalid,
                        &p_at.join("required"),
                        format!("path parameter `{}` must be `required: true`", data.name),
                    ));
                }
                if let Some(key) = data.extensions.get("x-client-parameter") {
                    let key = key.as_str().unwrap_or_default();
                    if !CLIENT_PARAMETERS.contains(&key) {
                        return Err(self.err(
                            ErrorKind::Unsupported,
                            &p_at.join("x-client-parameter"),
                            format!(
                                "`x-client-parameter: {key}` is not a client setting; known: {}",
                                CLIENT_PARAMETERS.join(", ")
                            ),
                        ));
                    }
                    client_params.push((data.name.clone(), key.to_owned()));
                    continue;
                }
            }
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => schema,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(self.err(
                        ErrorKind::Unsupported,
                        &p_at.join("content"),
                        "parameters described with `content` are not supported; use `schema`",
                    ));
                }
            };
            let hint = Hint::Param {
                short: data.name.clone(),
                long: format!("{hint_base} {}", data.name),
            };
            let lowered = self.schema_or_ref(schema, &p_at.join("schema"), hint)?;
            let scalar = |t: &TypeRef| {
                !matches!(t, TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any)
                    && !matches!(t, TypeRef::Named(n) if matches!(self.models.get(n), Some(Model::Struct(_))))
            };
            let ok = match (&lowered.ty, location) {
                (TypeRef::Array(inner), ParamLocation::Query) => scalar(inner),
                (t, _) => scalar(t),
            };
            if !ok {
                return Err(self.err(
                    ErrorKind::Unsupported,
                    &p_at.join("schema"),
                    format!(
                        "parameter `{}` has a type that cannot be written into a {}; \
                         only scalars (and arrays of scalars in queries) are supported",
                        data.name,
                        match location {
                            ParamLocation::Path => "path",
                            ParamLocation::Query => "query",
                            ParamLocation::Header => "header",
                        }
                    ),
                ));
            }
            params.push(Param {
                name: names.claim(&naming::field_ident(&data.name), "_param"),
                wire: data.name.clone(),
                location,
                doc: data.description.clone().or(lowered.doc),
                ty: lowered.ty,
                required: data.required,
                constraints: lowered.constraints,
                rule: None,
                example: data.example.clone().or(lowered.example),
            });
        }
        // Every placeholder needs a parameter, and every path parameter a placeholder.
        let placeholders = placeholders(path);
        for name in &placeholders {
            if !path_names.contains(name) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    at,
                    format!("the path has `{{{name}}}` but the operation defines no path parameter `{name}`"),
                ));
            }
        }
        for name in &path_names {
            if !placeholders.contains(name) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    at,
                    format!("path parameter `{name}` has no `{{{name}}}` in the path `{path}`"),
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
        match p {
            ReferenceOr::Item(param) => Ok((param, at.clone())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(PARAMETER_REF).ok_or_else(|| {
                    self.err(
                        ErrorKind::DanglingRef,
                        at,
                        format!("`{reference}` does not point into {PARAMETER_REF}"),
                    )
                })?;
                let spec: &'a LoadedSpec = self.spec;
                match spec.doc.components.as_ref().and_then(|c| c.parameters.get(name)) {
                    Some(ReferenceOr::Item(param)) => Ok((
                        param,
                        Pointer::root().join("components").join("parameters").join(name),
                    )),
                    Some(ReferenceOr::Reference { .. }) => Err(self.err(
                        ErrorKind::Unsupported,
                        at,
                        format!("`{reference}` is itself a reference; chains of parameter references are not supported"),
                    )),
                    None => Err(self.err(
                        ErrorKind::DanglingRef,
                        at,
                        format!("`{reference}` is not defined under components.parameters"),
                    )),
                }
            }
        }
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        at: &Pointer,
        hint_base: &str,
    ) -> Result<Body> {
        let (body, at) = match body {
            ReferenceOr::Item(b) => (b, at.clone()),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(REQUEST_BODY_REF).unwrap_or_default();
                let found = self
                    .spec
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name));
                match found {
                    Some(ReferenceOr::Item(b)) => (
                        b,
                        Pointer::root()
                            .join("components")
                            .join("requestBodies")
                            .join(name),
                    ),
                    _ => {
                        return Err(self.err(
                            ErrorKind::DanglingRef,
                            at,
                            format!("`{reference}` is not defined under components.requestBodies"),
                        ));
                    }
                }
            }
        };
        let Some((media, media_type)) = json_media(&body.content) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(self.err(
                ErrorKind::Unsupported,
                &at.join("content"),
                format!(
                    "request bodies of type {} are not supported; only JSON bodies are",
                    types.join(", ")
                ),
            ));
        };
        let ty = match &media_type.schema {
            Some(schema) => {
                self.schema_or_ref(
                    schema,
                    &at.join("content").join(media).join("schema"),
                    Hint::Inline(format!("{hint_base} Body")),
                )?
                .ty
            }
            None => TypeRef::Any,
        };
        self.examples.extend(
            self.media_examples(media_type)
                .into_iter()
                .map(|(name, value)| Example {
                    label: format!("request {name}"),
                    ty: ty.clone(),
                    value,
                }),
        );
        Ok(Body {
            ty,
            required: body.required,
            doc: body.description.clone(),
        })
    }

    /// The examples of `components/responses`, with their types.
    fn component_response_examples(&mut self) -> Result<Vec<Example>> {
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
    fn media_examples(&self, media: &MediaType) -> Vec<(String, serde_json::Value)> {
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

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        at: &Pointer,
        hint_base: &str,
    ) -> Result<Outcomes> {
        let mut success = None;
        let mut errors = Vec::new();
        for (status, response) in &responses.responses {
            let code_at = at.join(status);
            // Examples of shared responses are collected once, from components.
            let shared = matches!(response, ReferenceOr::Reference { .. });
            let response = self.resolve_response(response, &code_at)?;
            let code = match status {
                StatusCode::Code(c) => *c,
                StatusCode::Range(r) => r * 100,
            };
            let is_success = (200..300).contains(&code);
            // Error bodies are typed too: their models document the error shape,
            // and their examples are checked like the others.
            let hint = if is_success {
                format!("{hint_base} Response")
            } else {
                format!("{hint_base} Error {status}")
            };
            let ty = match json_media(&response.content) {
                Some((media, m)) => match &m.schema {
                    Some(schema) => {
                        let ty = self
                            .schema_or_ref(
                                schema,
                                &code_at.join("content").join(media).join("schema"),
                                Hint::Inline(hint),
                            )?
                            .ty;
                        let examples = if shared {
                            Vec::new()
                        } else {
                            self.media_examples(m)
                        };
                        self.examples
                            .extend(examples.into_iter().map(|(name, value)| Example {
                                label: format!("response {status} {name}"),
                                ty: ty.clone(),
                                value,
                            }));
                        Some(ty)
                    }
                    None => None,
                },
                None => None,
            };
            if is_success {
                if success.is_none() {
                    success = Some((code, ty));
                }
            } else {
                errors.push((status.to_string(), response.description.clone()));
            }
        }
        if let Some(ReferenceOr::Item(default)) = &responses.default {
            errors.push(("default".to_owned(), default.description.clone()));
        }
        Ok((success.unwrap_or((200, None)), errors))
    }

    fn resolve_response<'r>(
        &self,
        r: &'r ReferenceOr<Response>,
        at: &Pointer,
    ) -> Result<&'r Response>
    where
        'a: 'r,
    {
        match r {
            ReferenceOr::Item(r) => Ok(r),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(RESPONSE_REF).unwrap_or_default();
                let spec: &'a LoadedSpec = self.spec;
                match spec
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.responses.get(name))
                {
                    Some(ReferenceOr::Item(r)) => Ok(r),
                    _ => Err(self.err(
                        ErrorKind::DanglingRef,
                        at,
                        format!("`{reference}` is not defined under components.responses"),
                    )),
                }
            }
        }
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
enum Hint {
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
        match self {
            Hint::Named(n) => Hint::Inline(format!("{n} Item")),
            Hint::Inline(w) => Hint::Inline(format!("{w} Item")),
            Hint::Param { short, long } => Hint::Param {
                short: format!("{short} Item"),
                long: format!("{long} Item"),
            },
        }
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

/// The first JSON media type of a content map (`application/json`,
/// `application/json;charset=UTF-8`, `application/problem+json`, ...).
pub fn json_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content.iter().find_map(|(media, m)| {
        let essence = media
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        (essence == "application/json" || essence.ends_with("+json")).then_some((media.as_str(), m))
    })
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

/// The checkable constraints of a schema.
fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length.map(|n| n as u64);
            c.max_length = s.max_length.map(|n| n as u64);
            c.pattern = s.pattern.clone();
            c.pattern_regex = s
                .pattern
                .as_deref()
                .map(|p| crate::pattern::translate(p).map(|t| t.regex));
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
            c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
            c.multiple_of = i.multiple_of.map(|m| m as f64);
            let allowed: Vec<f64> = i.enumeration.iter().flatten().map(|v| *v as f64).collect();
            c.allowed = (!allowed.is_empty()).then_some(allowed);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
            c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            c.multiple_of = n.multiple_of;
            let allowed: Vec<f64> = n.enumeration.iter().flatten().copied().collect();
            c.allowed = (!allowed.is_empty()).then_some(allowed);
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items.map(|n| n as u64);
            c.max_items = a.max_items.map(|n| n as u64);
            if let Some(ReferenceOr::Item(items)) = &a.items {
                let inner = constraints_of(items);
                if !inner.is_empty() {
                    c.items = Some(Box::new(inner));
                }
            }
        }
        _ => {}
    }
    c
}
