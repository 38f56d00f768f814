//! Schemas to types: objects (with `allOf` merged in), arrays, maps, string
//! enumerations, `oneOf`/`anyOf` unions, scalars of every format, recursion.

use std::borrow::Borrow;
use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{Hint, Lowered, Lowerer, POSITIONAL_MAX, Result, SCHEMA_REF};
use crate::error::{ErrorKind, Pointer};
use crate::ir::*;
use crate::naming::{self, Namespace};

/// Every keyword of a schema, whatever kind `openapiv3` parsed it as (a schema
/// that mixes keywords of several types is parsed as "any").
pub(crate) struct View<'s> {
    pub data: &'s SchemaData,
    pub typ: Option<&'s str>,
    pub format: Option<String>,
    pub pattern: Option<&'s str>,
    pub enumeration: Vec<serde_json::Value>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub all_of: &'s [ReferenceOr<Schema>],
    pub one_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub not: bool,
}

fn format_name<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => Some(known(i).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'s> View<'s> {
    pub fn of(schema: &'s Schema) -> Self {
        let mut v = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            pattern: None,
            enumeration: Vec::new(),
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            multiple_of: None,
            properties: None,
            required: &[],
            additional: None,
            min_properties: None,
            max_properties: None,
            items: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            all_of: &[],
            one_of: &[],
            any_of: &[],
            not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                v.typ = Some("string");
                v.format = format_name(&s.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                v.pattern = s.pattern.as_deref();
                v.enumeration = s
                    .enumeration
                    .iter()
                    .map(|e| {
                        e.clone()
                            .map_or(serde_json::Value::Null, serde_json::Value::String)
                    })
                    .collect();
                v.min_length = s.min_length;
                v.max_length = s.max_length;
            }
            SchemaKind::Type(Type::Number(n)) => {
                v.typ = Some("number");
                v.format = format_name(&n.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                v.minimum = n.minimum;
                v.maximum = n.maximum;
                v.exclusive_minimum = n.exclusive_minimum;
                v.exclusive_maximum = n.exclusive_maximum;
                v.multiple_of = n.multiple_of;
                v.enumeration = n
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                v.typ = Some("integer");
                v.format = format_name(&i.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                v.minimum = i.minimum.map(|m| m as f64);
                v.maximum = i.maximum.map(|m| m as f64);
                v.exclusive_minimum = i.exclusive_minimum;
                v.exclusive_maximum = i.exclusive_maximum;
                v.multiple_of = i.multiple_of.map(|m| m as f64);
                v.enumeration = i
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                v.typ = Some("boolean");
                v.enumeration = b
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                v.typ = Some("object");
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
                v.min_properties = o.min_properties;
                v.max_properties = o.max_properties;
            }
            SchemaKind::Type(Type::Array(a)) => {
                v.typ = Some("array");
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.unique_items = a.unique_items;
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.pattern = a.pattern.as_deref();
                v.enumeration = a.enumeration.clone();
                v.min_length = a.min_length;
                v.max_length = a.max_length;
                v.minimum = a.minimum;
                v.maximum = a.maximum;
                v.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
                v.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
                v.multiple_of = a.multiple_of;
                v.properties = (!a.properties.is_empty()).then_some(&a.properties);
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.min_properties = a.min_properties;
                v.max_properties = a.max_properties;
                v.items = a.items.as_ref();
                v.min_items = a.min_items;
                v.max_items = a.max_items;
                v.unique_items = a.unique_items.unwrap_or(false);
                v.all_of = &a.all_of;
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.not = a.not.is_some();
            }
        }
        v
    }

    /// The type the value has: the declared `type`, or one the keywords imply.
    pub fn effective_type(&self) -> Option<&'static str> {
        match self.typ {
            Some("string") => Some("string"),
            Some("integer") => Some("integer"),
            Some("number") => Some("number"),
            Some("boolean") => Some("boolean"),
            Some("object") => Some("object"),
            Some("array") => Some("array"),
            Some(_) => None,
            None => {
                if self.properties.is_some() || self.additional.is_some() {
                    Some("object")
                } else if self.items.is_some() {
                    Some("array")
                } else {
                    let values: Vec<&serde_json::Value> =
                        self.enumeration.iter().filter(|v| !v.is_null()).collect();
                    if values.is_empty() {
                        None
                    } else if values.iter().all(|v| v.is_string()) {
                        Some("string")
                    } else if values.iter().all(|v| v.is_i64() || v.is_u64()) {
                        Some("integer")
                    } else if values.iter().all(|v| v.is_number()) {
                        Some("number")
                    } else if values.iter().all(|v| v.is_boolean()) {
                        Some("boolean")
                    } else {
                        None
                    }
                }
            }
        }
    }

    /// `nullable: true`, or `null` among the enumerated values.
    pub fn nullable(&self) -> bool {
        self.data.nullable || self.enumeration.iter().any(serde_json::Value::is_null)
    }

    /// Whether the schema only annotates (description, nullable, example...) and
    /// says nothing about the shape: such `allOf` members are folded away.
    fn annotation_only(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_none()
            && self.additional.is_none()
            && self.items.is_none()
            && self.enumeration.is_empty()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && !self.not
    }
}

impl<'a> Lowerer<'a> {
    // ----- components and references -------------------------------------------

    /// Lowers the component schema `name` (once) and returns its type.
    pub(super) fn component(&mut self, name: &str, used_at: &Pointer) -> Result<TypeRef> {
        if let Some(ty) = self.done.get(name) {
            return Ok(ty.clone());
        }
        let at = Pointer::root()
            .join("components")
            .join("schemas")
            .join(name);
        let spec: &'a crate::load::LoadedSpec = self.spec;
        let schema = spec
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
        if self.in_progress.contains(name) {
            // A reference back to a schema being lowered: a recursive type. A
            // named model can refer to itself (the boxing pass breaks by-value
            // cycles); an alias of a scalar or array that contains itself has no
            // Rust type and is kept as JSON.
            return Ok(match schema {
                ReferenceOr::Item(s) if will_be_named(s) => {
                    TypeRef::Named(self.component_names.get(name).cloned().unwrap_or_default())
                }
                _ => TypeRef::Any,
            });
        }
        self.in_progress.insert(name.to_owned());
        let ty = match schema {
            ReferenceOr::Item(schema) => {
                let rust = self.component_names.get(name).cloned().unwrap_or_default();
                self.schema(schema, &at, Hint::Named(rust)).map(|l| l.ty)
            }
            ReferenceOr::Reference { reference } => match self.schema_ref_name(reference, &at) {
                Ok(target) => {
                    let target = target.to_owned();
                    self.component(&target, &at)
                }
                Err(e) => Err(e),
            },
        };
        self.in_progress.remove(name);
        let ty = ty?;
        self.done.insert(name.to_owned(), ty.clone());
        Ok(ty)
    }

    /// The component name in a `#/components/schemas/Name` reference.
    pub(super) fn schema_ref_name<'r>(&self, reference: &'r str, at: &Pointer) -> Result<&'r str> {
        match reference.strip_prefix(SCHEMA_REF) {
            Some(name) if !name.contains('/') => Ok(name),
            _ if reference.starts_with('#') => Err(self.err(
                ErrorKind::DanglingRef,
                at,
                format!(
                    "`{reference}` does not name a schema; schema references must point into {SCHEMA_REF}"
                ),
            )),
            _ => Err(self.err(
                ErrorKind::Unsupported,
                at,
                format!(
                    "external reference `{reference}`: only references within the document are \
                     supported; bundle the document first (e.g. `redocly bundle`)"
                ),
            )),
        }
    }

    /// The schema a reference points to (following chains of references), with
    /// its pointer and component name.
    pub(super) fn resolve<'s, S: Borrow<Schema>>(
        &self,
        item: &'s ReferenceOr<S>,
        at: &Pointer,
    ) -> Result<(&'s Schema, Pointer, Option<String>)>
    where
        'a: 's,
    {
        let mut reference = match item {
            ReferenceOr::Item(s) => return Ok((s.borrow(), at.clone(), None)),
            ReferenceOr::Reference { reference } => reference.as_str(),
        };
        let spec: &'a crate::load::LoadedSpec = self.spec;
        let mut seen = BTreeSet::new();
        loop {
            let name = self.schema_ref_name(reference, at)?;
            if !seen.insert(name) {
                return Err(self.err(
                    ErrorKind::Invalid,
                    at,
                    format!("`{reference}` is a reference chain that loops back to itself"),
                ));
            }
            match spec
                .doc
                .components
                .as_ref()
                .and_then(|c| c.schemas.get(name))
            {
                Some(ReferenceOr::Item(s)) => {
                    let ptr = Pointer::root()
                        .join("components")
                        .join("schemas")
                        .join(name);
                    return Ok((s, ptr, Some(name.to_owned())));
                }
                Some(ReferenceOr::Reference { reference: next }) => reference = next.as_str(),
                None => {
                    return Err(self.err(
                        ErrorKind::DanglingRef,
                        at,
                        format!("`{reference}` is not defined under components.schemas"),
                    ));
                }
            }
        }
    }

    /// Lowers a schema or reference used at `at`.
    pub(super) fn schema_or_ref<S: Borrow<Schema>>(
        &mut self,
        item: &ReferenceOr<S>,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        match item {
            ReferenceOr::Reference { reference } => {
                let name = self.schema_ref_name(reference, at)?.to_owned();
                let ty = self.component(&name, at)?;
                // A reference carries what its target says of the value: the
                // constraints of a scalar schema, nullability, docs.
                let spec: &'a crate::load::LoadedSpec = self.spec;
                let target = self.resolve(item, at).ok().map(|(s, _, _)| s);
                let mut lowered = Lowered::plain(ty);
                if let Some(s) = target.or_else(|| {
                    match spec
                        .doc
                        .components
                        .as_ref()
                        .and_then(|c| c.schemas.get(&name))
                    {
                        Some(ReferenceOr::Item(s)) => Some(s),
                        _ => None,
                    }
                }) {
                    let view = View::of(s);
                    lowered.constraints = self.constraints(&view, &lowered.ty, at);
                    lowered.nullable = view.nullable();
                    lowered.read_only = view.data.read_only;
                    lowered.write_only = view.data.write_only;
                    lowered.deprecated = view.data.deprecated;
                    lowered.doc = view.data.description.clone();
                    lowered.example = view.data.example.clone();
                    lowered.default = view.data.default.clone();
                }
                Ok(lowered)
            }
            ReferenceOr::Item(schema) => self.schema(schema.borrow(), at, hint),
        }
    }

    /// Lowers an inline schema (or a component's own schema, with a `Named` hint).
    pub(super) fn schema(&mut self, schema: &Schema, at: &Pointer, hint: Hint) -> Result<Lowered> {
        let view = View::of(schema);
        // An inline schema reached twice (a property merged into several `allOf`
        // results) is one type.
        let key = (!matches!(hint, Hint::Named(_)))
            .then(|| format!("{}{}", if self.binary_as_bytes { "b" } else { "" }, at));
        let cached = key.as_ref().and_then(|k| self.by_pointer.get(k)).cloned();
        let ty = match cached {
            Some(ty) => ty,
            None => {
                let ty = self.shape(&view, at, hint)?;
                if let Some(k) = key {
                    self.by_pointer.insert(k, ty.clone());
                }
                ty
            }
        };
        let mut constraints = self.constraints(&view, &ty, at);
        if view.not {
            constraints
                .ignored
                .push("`not` (the value is not restricted by it here)".to_owned());
        }
        Ok(Lowered {
            constraints,
            nullable: view.nullable(),
            read_only: view.data.read_only,
            write_only: view.data.write_only,
            deprecated: view.data.deprecated,
            doc: view
                .data
                .description
                .clone()
                .or_else(|| view.data.title.clone()),
            example: view.data.example.clone(),
            default: view.data.default.clone(),
            ty,
        })
    }

    /// The type of a schema's value.
    fn shape(&mut self, view: &View<'_>, at: &Pointer, hint: Hint) -> Result<TypeRef> {
        if !view.all_of.is_empty() {
            return self.all_of(view, at, hint);
        }
        if !view.one_of.is_empty() {
            return self.union(view.one_of, "oneOf", view, at, hint);
        }
        if !view.any_of.is_empty() {
            return self.union(view.any_of, "anyOf", view, at, hint);
        }
        Ok(match view.effective_type() {
            Some("string") => {
                let values: Vec<String> = view
                    .enumeration
                    .iter()
                    .filter(|v| !v.is_null())
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                if !values.is_empty() {
                    self.string_enum(&values, at, hint, view.data)?
                } else {
                    match view.format.as_deref() {
                        Some("password") => TypeRef::Secret,
                        Some("binary") if self.binary_as_bytes => TypeRef::Bytes,
                        _ => TypeRef::String,
                    }
                }
            }
            Some("integer") => {
                let (bits, signed) = match view.format.as_deref() {
                    Some("int8") => (8, true),
                    Some("int16") => (16, true),
                    Some("int32") => (32, true),
                    Some("uint8") => (8, false),
                    Some("uint16") => (16, false),
                    Some("uint32") => (32, false),
                    Some("uint64" | "uint") => (64, false),
                    _ => (64, true),
                };
                TypeRef::Integer { bits, signed }
            }
            Some("number") => TypeRef::Number {
                bits: if view.format.as_deref() == Some("float") {
                    32
                } else {
                    64
                },
            },
            Some("boolean") => TypeRef::Boolean,
            Some("object") => self.object(view, at, hint)?,
            Some("array") => self.array(view, at, hint)?,
            _ => TypeRef::Any,
        })
    }

    // ----- objects, arrays, maps ------------------------------------------------

    fn array(&mut self, view: &View<'_>, at: &Pointer, hint: Hint) -> Result<TypeRef> {
        match view.items {
            Some(items) => {
                let item = self.schema_or_ref(items, &at.join("items"), hint.item())?;
                Ok(TypeRef::Array(Box::new(item.ty)))
            }
            None => Ok(TypeRef::Array(Box::new(TypeRef::Any))),
        }
    }

    /// The value type of `additionalProperties`, or `None` when no other
    /// properties are allowed (`false`) or none are declared.
    fn additional(
        &mut self,
        view: &View<'_>,
        at: &Pointer,
        hint: &Hint,
    ) -> Result<Option<TypeRef>> {
        Ok(match view.additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) | None => None,
            Some(AdditionalProperties::Schema(values)) => Some(
                self.schema_or_ref(
                    values.as_ref(),
                    &at.join("additionalProperties"),
                    hint.item(),
                )?
                .ty,
            ),
        })
    }

    fn object(&mut self, view: &View<'_>, at: &Pointer, hint: Hint) -> Result<TypeRef> {
        let props = view.properties.filter(|p| !p.is_empty());
        let additional = self.additional(view, at, &hint)?;
        let Some(props) = props else {
            // No declared properties: a map (free-form when nothing is said).
            return Ok(TypeRef::Map(Box::new(additional.unwrap_or(TypeRef::Any))));
        };
        let members: Vec<(String, &ReferenceOr<Box<Schema>>, Pointer)> = props
            .iter()
            .map(|(wire, p)| (wire.clone(), p, at.join("properties").join(wire)))
            .collect();
        let required: BTreeSet<String> = view.required.iter().cloned().collect();
        let mut notes = Vec::new();
        for r in view.required {
            if !props.contains_key(r) {
                notes.push(format!(
                    "`required` names `{r}`, which is not a property of this schema; it is ignored"
                ));
            }
        }
        if matches!(view.additional, Some(AdditionalProperties::Any(false))) {
            notes.push(
                "`additionalProperties: false`: the server accepts no other properties (not checked; \
                 unknown properties in replies are ignored)"
                    .to_owned(),
            );
        }
        if view.min_properties.is_some() || view.max_properties.is_some() {
            notes.push("`minProperties` / `maxProperties` are not checked".to_owned());
        }
        self.struct_model(
            hint,
            at,
            view.data.description.clone(),
            members,
            required,
            additional,
            notes,
        )
    }

    /// Builds (and registers) a struct model from its properties.
    #[allow(clippy::too_many_arguments)]
    fn struct_model(
        &mut self,
        hint: Hint,
        at: &Pointer,
        doc: Option<String>,
        members: Vec<(String, &ReferenceOr<Box<Schema>>, Pointer)>,
        required: BTreeSet<String>,
        additional: Option<TypeRef>,
        notes: Vec<String>,
    ) -> Result<TypeRef> {
        let name = match &hint {
            Hint::Named(name) => name.clone(),
            inline => self.types.claim(&inline.candidate(), ""),
        };
        let mut fields = Vec::new();
        let mut field_names = Namespace::default();
        for (wire, property, field_at) in members {
            let lowered =
                self.schema_or_ref(property, &field_at, Hint::Inline(format!("{name} {wire}")))?;
            fields.push(Field {
                name: field_names.claim(&naming::field_ident(&wire), "_"),
                required: required.contains(&wire),
                write_only: lowered.write_only,
                wire,
                doc: lowered.doc,
                ty: lowered.ty,
                nullable: lowered.nullable,
                read_only: lowered.read_only,
                deprecated: lowered.deprecated,
                boxed: false,
                default: lowered.default,
                constraints: lowered.constraints,
                rule: None,
            });
        }
        let additional = additional.map(|ty| (field_names.claim("additional_properties", "_"), ty));
        let required_count = fields.iter().filter(|f| !f.optional()).count();
        let required_struct = (required_count > POSITIONAL_MAX)
            .then(|| self.types.claim(&format!("{name}Required"), ""));
        self.models.insert(
            name.clone(),
            Model::Struct(StructModel {
                name: name.clone(),
                origin: at.to_string(),
                doc,
                fields,
                additional,
                required_struct,
                checked: false,
                in_requests: false,
                notes,
            }),
        );
        Ok(TypeRef::Named(name))
    }

    // ----- allOf ------------------------------------------------------------------

    /// `allOf`: the members' properties merged into one struct; a member that only
    /// annotates (description, `nullable`) is folded away, so `allOf: [$ref]` is
    /// the referenced type.
    fn all_of(&mut self, view: &View<'_>, at: &Pointer, hint: Hint) -> Result<TypeRef> {
        // The members that say something about the shape.
        let mut shaped: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (i, member) in view.all_of.iter().enumerate() {
            let (schema, _, _) = self.resolve(member, &at.join("allOf").join(i))?;
            if !View::of(schema).annotation_only() {
                shaped.push((i, member));
            }
        }
        let own_props = view.properties.is_some_and(|p| !p.is_empty());
        if shaped.len() == 1 && !own_props && view.additional.is_none() {
            let (i, member) = shaped[0];
            return Ok(self
                .schema_or_ref(member, &at.join("allOf").join(i), hint)?
                .ty);
        }
        if shaped.is_empty() && !own_props {
            return self.shape(&View::of_data(view), at, hint);
        }
        // Merge the object members; anything else has no struct to merge into.
        let mut members: IndexMap<String, (&ReferenceOr<Box<Schema>>, Pointer)> = IndexMap::new();
        let mut required: BTreeSet<String> = BTreeSet::new();
        let mut additional = None;
        let mut notes = Vec::new();
        let mut doc = view.data.description.clone();
        for (i, member) in &shaped {
            let member_at = at.join("allOf").join(i);
            let mut merge = Merge {
                members: &mut members,
                required: &mut required,
                additional: &mut additional,
                doc: &mut doc,
            };
            if !self.merge_member(member, &member_at, &mut merge, 0)? {
                // A union or a scalar among the members: no struct can hold it.
                return Ok(TypeRef::Any);
            }
        }
        if let Some(props) = view.properties {
            for (wire, p) in props {
                members.insert(wire.clone(), (p, at.join("properties").join(wire)));
            }
            required.extend(view.required.iter().cloned());
        }
        if view.additional.is_some() {
            additional = Some((view.additional, at.clone()));
        }
        let additional_ty = match additional {
            Some((Some(AdditionalProperties::Schema(values)), a_at)) => Some(
                self.schema_or_ref(
                    values.as_ref(),
                    &a_at.join("additionalProperties"),
                    hint.item(),
                )?
                .ty,
            ),
            Some((Some(AdditionalProperties::Any(true)), _)) => Some(TypeRef::Any),
            _ => None,
        };
        for r in &required {
            if !members.contains_key(r) {
                notes.push(format!(
                    "`required` names `{r}`, which no member of `allOf` declares; it is ignored"
                ));
            }
        }
        let members = members
            .into_iter()
            .map(|(wire, (p, p_at))| (wire, p, p_at))
            .collect();
        self.struct_model(hint, at, doc, members, required, additional_ty, notes)
    }

    /// Adds one `allOf` member's properties; `false` when it is not an object.
    fn merge_member<'s>(
        &self,
        member: &'s ReferenceOr<Schema>,
        at: &Pointer,
        merge: &mut Merge<'_, 's>,
        depth: usize,
    ) -> Result<bool>
    where
        'a: 's,
    {
        if depth > 32 {
            return Ok(false);
        }
        let (schema, schema_at, _) = self.resolve(member, at)?;
        let v = View::of(schema);
        if v.annotation_only() {
            return Ok(true);
        }
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            return Ok(false);
        }
        for (i, inner) in v.all_of.iter().enumerate() {
            if !self.merge_member(inner, &schema_at.join("allOf").join(i), merge, depth + 1)? {
                return Ok(false);
            }
        }
        match v.effective_type() {
            Some("object") | None => {}
            Some(_) => return Ok(false),
        }
        if merge.doc.is_none() {
            merge.doc.clone_from(&v.data.description);
        }
        if let Some(props) = v.properties {
            for (wire, p) in props {
                // A later member restating a property refines it.
                merge
                    .members
                    .insert(wire.clone(), (p, schema_at.join("properties").join(wire)));
            }
        }
        merge.required.extend(v.required.iter().cloned());
        if v.additional.is_some() {
            *merge.additional = Some((v.additional, schema_at.clone()));
        }
        Ok(true)
    }

    // ----- oneOf / anyOf ----------------------------------------------------------

    fn union(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        keyword: &str,
        view: &View<'_>,
        at: &Pointer,
        hint: Hint,
    ) -> Result<TypeRef> {
        let name = match &hint {
            Hint::Named(name) => name.clone(),
            inline => self.types.claim(&inline.candidate(), ""),
        };
        // Lower every alternative; `type: null` ones only make the value nullable.
        let mut lowered: Vec<(Lowered, Option<String>, Option<String>)> = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            let alt_at = at.join(keyword).join(i);
            let (schema, _, component) = self.resolve(alt, &alt_at)?;
            let v = View::of(schema);
            if v.typ == Some("null") {
                continue;
            }
            let title = v.data.title.clone();
            let alt_hint = Hint::Inline(format!(
                "{name} {}",
                title
                    .clone()
                    .unwrap_or_else(|| format!("Variant {}", i + 1))
            ));
            let l = self.schema_or_ref(alt, &alt_at, alt_hint)?;
            lowered.push((l, component, title));
        }
        match lowered.len() {
            0 => return Ok(TypeRef::Any),
            1 => {
                if let Some((l, _, _)) = lowered.pop() {
                    return Ok(l.ty);
                }
            }
            _ => {}
        }
        // Only strings (some enumerated): one open string enum, or a string.
        let all_strings = lowered.iter().all(|(l, _, _)| {
            matches!(l.ty, TypeRef::String)
                || matches!(&l.ty, TypeRef::Named(n) if matches!(self.models.get(n), Some(Model::Enum(_))))
        });
        if all_strings {
            let mut values: Vec<String> = Vec::new();
            for (l, _, _) in &lowered {
                if let TypeRef::Named(n) = &l.ty {
                    if let Some(Model::Enum(e)) = self.models.get(n) {
                        for v in &e.variants {
                            if !values.contains(&v.wire) {
                                values.push(v.wire.clone());
                            }
                        }
                    }
                }
            }
            // The enums made for inline alternatives are folded into this one.
            // (Only those made here: an inline enum may be shared by equal values.)
            let here = at.to_string();
            for (l, component, _) in &lowered {
                if let (TypeRef::Named(n), None) = (&l.ty, component) {
                    if matches!(self.models.get(n), Some(Model::Enum(e)) if e.origin.starts_with(&here))
                    {
                        self.models.remove(n);
                    }
                }
            }
            if values.is_empty() {
                return Ok(TypeRef::String);
            }
            return self.string_enum_named(&values, at, name, view.data);
        }
        let discriminator = view.data.discriminator.as_ref();
        let mut names = Namespace::with_reserved(&["Other", "Unknown"]);
        let mut variants = Vec::new();
        for (l, component, title) in lowered {
            let candidate = match (&l.ty, &title) {
                (TypeRef::Named(n), _) if component.is_some() => n.clone(),
                (_, Some(t)) => naming::type_ident(t, "Variant"),
                (ty, _) => type_word(ty).to_owned(),
            };
            let mut tags: Vec<String> = Vec::new();
            if let (Some(d), Some(component)) = (discriminator, &component) {
                for (tag, target) in &d.mapping {
                    let target_name = target.strip_prefix(SCHEMA_REF).unwrap_or(target);
                    if target_name == component {
                        tags.push(tag.clone());
                    }
                }
                if tags.is_empty() {
                    tags.push(component.clone());
                }
            }
            variants.push(UnionVariant {
                name: names.claim(&candidate, ""),
                ty: l.ty,
                tags,
                boxed: false,
                doc: l.doc,
            });
        }
        self.models.insert(
            name.clone(),
            Model::Union(UnionModel {
                name: name.clone(),
                origin: at.to_string(),
                doc: view.data.description.clone(),
                variants,
                tag: discriminator.map(|d| d.property_name.clone()),
                checked: false,
            }),
        );
        Ok(TypeRef::Named(name))
    }

    // ----- string enumerations ----------------------------------------------------

    fn string_enum(
        &mut self,
        values: &[String],
        at: &Pointer,
        hint: Hint,
        data: &SchemaData,
    ) -> Result<TypeRef> {
        let variants = self.variants(values, at, data)?;
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
        self.insert_enum(name, at, data, variants)
    }

    fn string_enum_named(
        &mut self,
        values: &[String],
        at: &Pointer,
        name: String,
        data: &SchemaData,
    ) -> Result<TypeRef> {
        let variants = self.variants(values, at, data)?;
        self.insert_enum(name, at, data, variants)
    }

    fn insert_enum(
        &mut self,
        name: String,
        at: &Pointer,
        data: &SchemaData,
        variants: Vec<Variant>,
    ) -> Result<TypeRef> {
        self.models.insert(
            name.clone(),
            Model::Enum(EnumModel {
                name: name.clone(),
                origin: at.to_string(),
                doc: data.description.clone(),
                variants,
                checked: false,
            }),
        );
        Ok(TypeRef::Named(name))
    }

    fn variants(&self, values: &[String], at: &Pointer, data: &SchemaData) -> Result<Vec<Variant>> {
        // `x-enum-varnames` / `x-enum-descriptions` (the convention of OpenAPI
        // Generator): names and meanings where the wire values say nothing.
        let names_given = self.string_list(data, "x-enum-varnames", values.len(), at)?;
        let docs_given = self.string_list(data, "x-enum-descriptions", values.len(), at)?;
        let mut names = Namespace::with_reserved(&["Unknown"]);
        Ok(values
            .iter()
            .enumerate()
            .map(|(i, wire)| {
                let given = names_given.as_ref().map(|n| n[i].as_str());
                Variant {
                    name: names.claim(&naming::type_ident(given.unwrap_or(wire), "Value"), ""),
                    wire: wire.clone(),
                    doc: docs_given.as_ref().map(|d| d[i].clone()),
                }
            })
            .collect())
    }

    /// An extension holding one string per enum value (`x-enum-varnames`, ...).
    fn string_list(
        &self,
        data: &SchemaData,
        key: &str,
        len: usize,
        at: &Pointer,
    ) -> Result<Option<Vec<String>>> {
        let Some(value) = data.extensions.get(key) else {
            return Ok(None);
        };
        let list: Option<Vec<String>> = value
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect());
        match list {
            Some(list) if list.len() == len => Ok(Some(list)),
            _ => Err(self.err(
                ErrorKind::Invalid,
                &at.join(key),
                format!("`{key}` must be a list of {len} strings, one per `enum` value"),
            )),
        }
    }

    // ----- constraints ------------------------------------------------------------

    /// The constraints of a value of type `ty`; keywords of another type are
    /// recorded as ignored.
    pub(super) fn constraints(&self, view: &View<'_>, ty: &TypeRef, at: &Pointer) -> Constraints {
        let _ = at;
        let mut c = Constraints::default();
        let kind = view.effective_type();
        let is_string =
            matches!(ty, TypeRef::String | TypeRef::Secret) || matches!(kind, Some("string"));
        let is_number = matches!(kind, Some("integer" | "number"));
        let is_array = matches!(kind, Some("array"));
        let ignore = |present: bool, keyword: &str, c: &mut Constraints| {
            if present {
                c.ignored.push(format!(
                    "`{keyword}` does not apply to a value of type `{}` and is not checked",
                    kind.unwrap_or("any")
                ));
            }
        };
        if is_string {
            c.min_length = view.min_length.map(|n| n as u64);
            c.max_length = view.max_length.map(|n| n as u64);
            if let Some(p) = view.pattern {
                c.pattern = Some(p.to_owned());
                c.pattern_regex = Some(crate::pattern::translate(p).map(|t| t.regex));
            }
            if let Some(f) = view.format.as_deref() {
                if !matches!(f, "password" | "binary")
                    || !matches!(ty, TypeRef::Secret | TypeRef::Bytes)
                {
                    c.format = Some(f.to_owned());
                }
            }
        } else {
            ignore(view.min_length.is_some(), "minLength", &mut c);
            ignore(view.max_length.is_some(), "maxLength", &mut c);
            ignore(view.pattern.is_some(), "pattern", &mut c);
        }
        if is_number {
            c.minimum = view.minimum.map(|m| (m, view.exclusive_minimum));
            c.maximum = view.maximum.map(|m| (m, view.exclusive_maximum));
            c.multiple_of = view.multiple_of;
            let allowed: Vec<f64> = view.enumeration.iter().filter_map(|v| v.as_f64()).collect();
            c.allowed = (!allowed.is_empty()).then_some(allowed);
            if let Some(f) = view.format.as_deref() {
                if !matches!(
                    f,
                    "int8"
                        | "int16"
                        | "int32"
                        | "int64"
                        | "uint8"
                        | "uint16"
                        | "uint32"
                        | "uint64"
                        | "uint"
                        | "float"
                        | "double"
                ) {
                    c.format = Some(f.to_owned());
                }
            }
        } else {
            ignore(view.minimum.is_some(), "minimum", &mut c);
            ignore(view.maximum.is_some(), "maximum", &mut c);
            ignore(view.multiple_of.is_some(), "multipleOf", &mut c);
        }
        if is_array {
            c.min_items = view.min_items.map(|n| n as u64);
            c.max_items = view.max_items.map(|n| n as u64);
            if view.unique_items {
                c.ignored.push("`uniqueItems` is not checked".to_owned());
            }
            if let Some(items) = view.items {
                if let Ok((schema, _, _)) = self.resolve(items, at) {
                    let item_view = View::of(schema);
                    let item_ty = match ty {
                        TypeRef::Array(inner) => (**inner).clone(),
                        _ => TypeRef::Any,
                    };
                    let inner = self.constraints(&item_view, &item_ty, at);
                    let inner = Constraints {
                        ignored: Vec::new(),
                        ..inner
                    };
                    if !inner.is_empty() {
                        c.items = Some(Box::new(inner));
                    }
                }
            }
        } else {
            ignore(view.min_items.is_some(), "minItems", &mut c);
            ignore(view.max_items.is_some(), "maxItems", &mut c);
        }
        c
    }
}

impl<'s> View<'s> {
    /// The same schema without its composition keywords.
    fn of_data(view: &View<'s>) -> View<'s> {
        View {
            data: view.data,
            typ: view.typ,
            format: view.format.clone(),
            pattern: view.pattern,
            enumeration: view.enumeration.clone(),
            min_length: view.min_length,
            max_length: view.max_length,
            minimum: view.minimum,
            maximum: view.maximum,
            exclusive_minimum: view.exclusive_minimum,
            exclusive_maximum: view.exclusive_maximum,
            multiple_of: view.multiple_of,
            properties: view.properties,
            required: view.required,
            additional: view.additional,
            min_properties: view.min_properties,
            max_properties: view.max_properties,
            items: view.items,
            min_items: view.min_items,
            max_items: view.max_items,
            unique_items: view.unique_items,
            all_of: &[],
            one_of: &[],
            any_of: &[],
            not: false,
        }
    }
}

/// What merging `allOf` members collects.
struct Merge<'m, 's> {
    members: &'m mut IndexMap<String, (&'s ReferenceOr<Box<Schema>>, Pointer)>,
    required: &'m mut BTreeSet<String>,
    additional: &'m mut Option<(Option<&'s AdditionalProperties>, Pointer)>,
    doc: &'m mut Option<String>,
}

/// Whether a component schema becomes a named model (so that references back to
/// it while it is being lowered can use its name).
fn will_be_named(schema: &Schema) -> bool {
    let v = View::of(schema);
    v.properties.is_some_and(|p| !p.is_empty())
        || v.all_of.len() > 1
        || v.one_of.len() > 1
        || v.any_of.len() > 1
        || (matches!(v.effective_type(), Some("string")) && !v.enumeration.is_empty())
}

/// A variant name for an alternative of a union that is not a named type.
fn type_word(ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::String | TypeRef::Secret => "String",
        TypeRef::Integer { .. } => "Integer",
        TypeRef::Number { .. } => "Number",
        TypeRef::Boolean => "Boolean",
        TypeRef::Named(_) => "Object",
        TypeRef::Array(_) => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Any => "Json",
        TypeRef::Bytes => "Bytes",
    }
}
