//! `src/models.rs`: one type per schema, and the checks of the types a request
//! carries.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_lines, raw_doc, rules_text, sanitize};
use super::types::{Scope, mentions_checked, rust_type};
use super::{bare, ident};
use crate::ir::{EnumModel, Field, Model, Service, StructModel, TypeRef, UnionModel};

/// How many models one piece of `models.rs` holds: pieces are formatted in
/// parallel and joined.
pub const MODELS_PER_PIECE: usize = 150;

/// The head of `models.rs` (docs and imports).
pub fn models_head(service: &Service) -> TokenStream {
    let doc = format!(
        " Request and response types of {}, one per schema of `{}`.",
        sanitize(&service.title),
        service.source
    );
    let uses_rt = service.models.iter().any(|m| match m {
        Model::Struct(s) => {
            s.checked
                || s.fields
                    .iter()
                    .any(|f| f.double_option() || holds_bytes(&f.ty))
                || s.additional.as_ref().is_some_and(|(_, t)| holds_bytes(t))
        }
        Model::Enum(_) => true,
        Model::Union(u) => u.checked || u.tag.is_some(),
    });
    let rt = uses_rt.then(|| {
        quote!(
            use huaweicloud_sdk_core::__private as rt;
        )
    });
    quote! {
        #![doc = #doc]

        #rt
    }
}

/// The models `range` of `models.rs`.
pub fn models_piece(service: &Service, range: std::ops::Range<usize>) -> TokenStream {
    let models = service.models[range].iter().map(|m| match m {
        Model::Struct(s) => {
            let model = struct_model(s);
            let check = s.checked.then(|| struct_check(s, service));
            quote!(#model #check)
        }
        Model::Enum(e) => enum_model(e),
        Model::Union(u) => {
            let model = union_model(u);
            let check = u.checked.then(|| union_check(u, service));
            quote!(#model #check)
        }
    });
    quote!(#(#models)*)
}

/// The Rust type of a field as declared in its struct (boxed where it must be).
fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty, Scope::Models);
    let inner = if f.boxed { quote!(Box<#ty>) } else { ty };
    if f.double_option() {
        quote!(Option<Option<#inner>>)
    } else if f.optional() {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

/// A field's doc lines: the spec's text escaped, then generator-written lines
/// (rules, default, formats, ignored keywords) with code spans kept.
fn field_doc_lines(f: &Field) -> Vec<String> {
    let mut lines: Vec<String> = f
        .doc
        .as_deref()
        .map(|d| {
            doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut extra = Vec::new();
    if let Some(rules) = rules_text(&f.constraints) {
        extra.push(format!("Rules: {rules}."));
    }
    if let Some(format) = &f.constraints.format {
        extra.push(format!("Format: `{format}` (not checked)."));
    }
    if let Some(default) = &f.default {
        extra.push(format!(
            "Default: {} (the server's, when the field is absent).",
            super::docs::code(&default.to_string())
        ));
    }
    if f.double_option() {
        extra.push("`None`: absent; `Some(None)`: `null`.".to_owned());
    }
    extra.extend(f.constraints.ignored.iter().map(|i| format!("Note: {i}.")));
    if f.read_only {
        extra.push("Set by the server; ignored in requests.".to_owned());
    }
    for e in extra {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(e);
    }
    if lines.is_empty() {
        lines.push(format!("`{}`", f.wire));
    }
    lines
}

/// Whether a field's own value is binary (not through another model, which
/// has its own `Debug`).
fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Array(t) | TypeRef::Map(t) => holds_bytes(t),
        _ => false,
    }
}

/// `Debug` for a model with binary fields: those by size, the rest as derived.
fn debug_impl(model: &StructModel, deprecated_allow: Option<&TokenStream>) -> TokenStream {
    let name = ident(&model.name);
    let text = &model.name;
    let mut fields: Vec<TokenStream> = model
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let label = bare(&f.name);
            if holds_bytes(&f.ty) {
                quote!(.field(#label, &rt::Binary(&self.#fname)))
            } else {
                quote!(.field(#label, &self.#fname))
            }
        })
        .collect();
    if let Some((field, ty)) = &model.additional {
        let fname = ident(field);
        let label = bare(field);
        fields.push(if holds_bytes(ty) {
            quote!(.field(#label, &rt::Binary(&self.#fname)))
        } else {
            quote!(.field(#label, &self.#fname))
        });
    }
    quote! {
        #deprecated_allow
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#text)
                    #(#fields)*
                    .finish()
            }
        }
    }
}

fn struct_model(model: &StructModel) -> TokenStream {
    let name = ident(&model.name);
    let doc = doc_attrs(model.doc.as_deref().unwrap_or(&model.name));
    let notes: Vec<String> = model.notes.iter().map(|n| format!("Note: {n}.")).collect();
    let notes = (!notes.is_empty()).then(|| {
        let mut lines = vec![String::new()];
        lines.extend(notes);
        raw_doc(&lines)
    });
    let default = model.all_optional().then(|| quote!(Default,));
    let mut fields: Vec<TokenStream> = model
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let ty = field_type(f);
            let doc = raw_doc(&field_doc_lines(f));
            let wire = &f.wire;
            let rename = (bare(&f.name) != wire).then(|| quote!(#[serde(rename = #wire)]));
            let serde = if f.double_option() {
                quote!(#[serde(default, skip_serializing_if = "Option::is_none", with = "rt::double_option")])
            } else {
                match (f.required, f.nullable) {
                    (false, _) => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
                    (true, true) => quote!(#[serde(default)]),
                    (true, false) => quote!(),
                }
            };
            let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #doc
                #rename
                #serde
                #deprecated
                pub #fname: #ty,
            }
        })
        .collect();
    if let Some((field, ty)) = &model.additional {
        let fname = ident(field);
        let ty = rust_type(ty, Scope::Models);
        fields.push(quote! {
            /// Properties other than the ones above (`additionalProperties`).
            #[serde(flatten)]
            pub #fname: std::collections::BTreeMap<String, #ty>,
        });
    }
    let deprecated_allow = model
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated, reason = "the spec deprecates some fields; the type still carries them")]));
    // Binary content is shown by size in `Debug` (a file may hold keys).
    let binary = model.fields.iter().any(|f| holds_bytes(&f.ty))
        || model
            .additional
            .as_ref()
            .is_some_and(|(_, t)| holds_bytes(t));
    let debug_derive = (!binary).then(|| quote!(Debug,));
    let debug_impl = binary.then(|| debug_impl(model, deprecated_allow.as_ref()));
    let definition = quote! {
        #doc
        #notes
        #[derive(Clone, #debug_derive #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
    };
    let setters = optional_setters(model);
    let required: Vec<&Field> = model.fields.iter().filter(|f| !f.optional()).collect();
    let additional_init = model.additional.as_ref().map(|(field, _)| {
        let fname = ident(field);
        quote!(#fname: std::collections::BTreeMap::new(),)
    });
    if let Some(required_name) = &model.required_struct {
        return named_constructor(
            model,
            &required,
            required_name,
            definition,
            setters,
            additional_init,
            deprecated_allow,
        );
    }
    let needs_new = !required.is_empty() || (model.additional.is_some() && !model.all_optional());
    let constructor = needs_new.then(|| {
        let args = required.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = rust_type(&f.ty, Scope::Models);
            quote!(#fname: impl Into<#ty>)
        });
        let inits = model.fields.iter().map(|f| {
            let fname = ident(&f.name);
            if f.optional() {
                quote!(#fname: None,)
            } else if f.boxed {
                quote!(#fname: Box::new(#fname.into()),)
            } else {
                quote!(#fname: #fname.into(),)
            }
        });
        quote! {
            /// Creates a value from its required fields; optional fields start empty.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* #additional_init }
            }
        }
    });
    if constructor.is_none() && setters.is_empty() {
        return definition;
    }
    quote! {
        #definition

        #deprecated_allow
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// A struct whose `new` takes its required fields in a companion struct.
fn named_constructor(
    model: &StructModel,
    required: &[&Field],
    required_name: &str,
    definition: TokenStream,
    setters: Vec<TokenStream>,
    additional_init: Option<TokenStream>,
    deprecated_allow: Option<TokenStream>,
) -> TokenStream {
    let name = ident(&model.name);
    let req = ident(required_name);
    let req_doc = format!(
        " The required fields of [`{0}`], for [`{0}::new`]: named, so values of the same type cannot be swapped.",
        model.name
    );
    let req_fields = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty, Scope::Models);
        let doc = if f.name.starts_with("r#") {
            format!(" See `{}::{}`.", model.name, bare(&f.name))
        } else {
            format!(" See [`{}::{}`].", model.name, bare(&f.name))
        };
        quote! {
            #[doc = #doc]
            pub #fname: #ty,
        }
    });
    let inits = model.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.optional() {
            quote!(#fname: None,)
        } else if f.boxed {
            quote!(#fname: Box::new(required.#fname),)
        } else {
            quote!(#fname: required.#fname,)
        }
    });
    quote! {
        #definition

        #deprecated_allow
        impl #name {
            /// Creates a value from its required fields; optional fields start empty.
            pub fn new(required: #req) -> Self {
                Self { #(#inits)* #additional_init }
            }
            #(#setters)*
        }

        impl From<#req> for #name {
            fn from(required: #req) -> Self {
                Self::new(required)
            }
        }

        #[doc = #req_doc]
        #[derive(Clone, Debug, PartialEq)]
        pub struct #req {
            #(#req_fields)*
        }
    }
}

fn optional_setters(model: &StructModel) -> Vec<TokenStream> {
    // Replies are read, not built: only types that requests carry get setters
    // (a reply type is built with `new` or `Default` and field assignment).
    if !model.in_requests {
        return Vec::new();
    }
    model
        .fields
        .iter()
        .filter(|f| f.optional())
        .map(|f| {
            let fname = ident(&f.name);
            let setter = format_ident!("with_{}", bare(&f.name));
            let ty = rust_type(&f.ty, Scope::Models);
            let doc = match f.name.strip_prefix("r#") {
                Some(raw) => format!(" Sets `{raw}`."),
                None => format!(" Sets [`{0}`](Self::{0}).", f.name),
            };
            let mut value = quote!(value.into());
            if f.boxed {
                value = quote!(Box::new(#value));
            }
            if f.double_option() {
                value = quote!(Some(#value));
            }
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: impl Into<#ty>) -> Self {
                    self.#fname = Some(#value);
                    self
                }
            }
        })
        .collect()
}

fn struct_check(model: &StructModel, service: &Service) -> TokenStream {
    let name = ident(&model.name);
    let mut checks: Vec<TokenStream> = model
        .fields
        .iter()
        .filter(|f| !f.read_only && (f.rule.is_some() || mentions_checked(&f.ty, service)))
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            match &f.rule {
                Some(rule) => {
                    let rule = ident(rule);
                    quote!(v.check(#wire, &self.#fname, &crate::rules::#rule);)
                }
                None => quote!(v.check(#wire, &self.#fname, &rt::Rules::NONE);),
            }
        })
        .collect();
    if let Some((field, ty)) = &model.additional {
        if mentions_checked(ty, service) {
            let fname = ident(field);
            checks.push(quote!(v.check_entries(&self.#fname);));
        }
    }
    let allow = model
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated, reason = "deprecated fields are still checked")]));
    // A type can be checked with nothing of its own to check (a list with a
    // size rule holds it): then the validator is not used.
    let validator = if checks.is_empty() {
        quote!(_)
    } else {
        quote!(v)
    };
    quote! {
        #allow
        impl rt::Check for #name {
            fn check(&self, #validator: &mut rt::Validator, _: &rt::Rules) {
                #(#checks)*
            }
        }
    }
}

// ----- unions -----------------------------------------------------------------------

fn union_model(model: &UnionModel) -> TokenStream {
    let name = ident(&model.name);
    let mut doc_lines_: Vec<String> = model
        .doc
        .as_deref()
        .map(|d| {
            doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned())
                .collect()
        })
        .unwrap_or_else(|| vec![model.name.clone()]);
    doc_lines_.push(String::new());
    doc_lines_.push(match &model.tag {
        Some(tag) => format!(
            "One of several types, told apart by the `{tag}` property; a value whose `{tag}` names no known alternative is kept in `Unknown`."
        ),
        None => "One of several types: a reply is matched against the alternatives in order, and a value that matches none is kept in `Other`.".to_owned(),
    });
    let doc = raw_doc(&doc_lines_);
    let fallback = if model.tag.is_some() {
        quote! {
            /// A value whose tag names no alternative this crate knows, kept as received.
            Unknown(serde_json::Value),
        }
    } else {
        quote! {
            /// A value that matches none of the alternatives above, kept as received.
            Other(serde_json::Value),
        }
    };
    let variants = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = rust_type(&v.ty, Scope::Models);
        let ty = if v.boxed { quote!(Box<#ty>) } else { ty };
        let mut lines: Vec<String> = v
            .doc
            .as_deref()
            .map(|d| {
                doc_lines(d)
                    .into_iter()
                    .map(|l| l.trim_start().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        if !v.tags.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            let tags: Vec<String> = v.tags.iter().map(|t| super::docs::code(t)).collect();
            lines.push(format!("Tag: {}.", tags.join(", ")));
        }
        if lines.is_empty() {
            lines.push(match &v.ty {
                TypeRef::Named(n) => format!("A [`{n}`]."),
                other => format!("A {}.", super::types::type_label(other)),
            });
        }
        let doc = raw_doc(&lines);
        quote! {
            #doc
            #vname(#ty),
        }
    });
    let derive = if model.tag.is_some() {
        quote!(#[derive(Clone, Debug, PartialEq, serde::Serialize)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)])
    };
    let tagged = model.tag.as_ref().map(|tag| {
        let arms = model.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
            let vname = ident(&v.name);
            let tags = &v.tags;
            let value = if v.boxed {
                quote!(Box::new(rt::variant(value)?))
            } else {
                quote!(rt::variant(value)?)
            };
            quote!(Some(#(#tags)|*) => Self::#vname(#value),)
        });
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(match rt::tag(&value, #tag) {
                        #(#arms)*
                        _ => Self::Unknown(value),
                    })
                }
            }
        }
    });
    // `From` each alternative's type where that type is unique among them.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in &model.variants {
        *counts.entry(format!("{:?}", v.ty)).or_default() += 1;
    }
    let froms = model
        .variants
        .iter()
        .filter(|v| counts[&format!("{:?}", v.ty)] == 1 && !matches!(v.ty, TypeRef::Any))
        .map(|v| {
            let vname = ident(&v.name);
            let ty = rust_type(&v.ty, Scope::Models);
            let value = if v.boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#vname(#value)
                    }
                }
            }
        });
    quote! {
        #doc
        #derive
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #fallback
        }

        #tagged
        #(#froms)*
    }
}

fn union_check(model: &UnionModel, service: &Service) -> TokenStream {
    let name = ident(&model.name);
    // The alternatives of a tagged union that are objects must carry their tag.
    let tag_checks: Vec<(proc_macro2::Ident, Vec<String>)> = match &model.tag {
        Some(_) => model
            .variants
            .iter()
            .filter(|v| {
                matches!(&v.ty, TypeRef::Named(n)
                    if matches!(service.models.iter().find(|m| m.name() == n), Some(Model::Struct(_))))
            })
            .map(|v| (ident(&v.name), v.tags.clone()))
            .collect(),
        None => Vec::new(),
    };
    if let (Some(tag), false) = (&model.tag, tag_checks.is_empty()) {
        let arms = tag_checks.iter().map(|(variant, tags)| {
            let inner = model
                .variants
                .iter()
                .find(|v| ident(&v.name) == *variant)
                .is_some_and(|v| mentions_checked(&v.ty, service))
                .then(|| quote!(value.check(v, rules);));
            quote! {
                Self::#variant(value) => {
                    v.check_tag(value, #tag, &[#(#tags),*]);
                    #inner
                }
            }
        });
        return quote! {
            impl rt::Check for #name {
                fn check(&self, v: &mut rt::Validator, rules: &rt::Rules) {
                    match self {
                        #(#arms)*
                        // `Unknown` is sent as received.
                        _ => {}
                    }
                }
            }
        };
    }
    let checked: Vec<proc_macro2::Ident> = model
        .variants
        .iter()
        .filter(|v| mentions_checked(&v.ty, service))
        .map(|v| ident(&v.name))
        .collect();
    let body = match checked.as_slice() {
        // Checked with nothing of its own to check (a list with a size rule
        // holds it).
        [] => {
            return quote! {
                impl rt::Check for #name {
                    fn check(&self, _: &mut rt::Validator, _: &rt::Rules) {}
                }
            };
        }
        [one] => quote! {
            if let Self::#one(value) = self {
                value.check(v, rules);
            }
        },
        many => quote! {
            match self {
                #(Self::#many(value) => value.check(v, rules),)*
                _ => {}
            }
        },
    };
    quote! {
        impl rt::Check for #name {
            fn check(&self, v: &mut rt::Validator, rules: &rt::Rules) {
                #body
            }
        }
    }
}

// ----- enums ------------------------------------------------------------------------

fn enum_model(model: &EnumModel) -> TokenStream {
    let name = ident(&model.name);
    let doc = doc_attrs(model.doc.as_deref().unwrap_or(&model.name));
    let variants = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = if v.wire.is_empty() {
            "the empty string".to_owned()
        } else {
            super::docs::code(&v.wire)
        };
        let vdoc = match &v.doc {
            Some(d) => format!(" {wire}: {}", sanitize(d.trim())),
            None => format!(" {wire}"),
        };
        quote! {
            #[doc = #vdoc]
            #vname,
        }
    });
    let known = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!((Self::#vname, #wire))
    });
    // The conversions (`as_str`, `From<&str>`, `Display`, serde) and the check of
    // enums in requests are defined once, in the core crate, from `KNOWN`.
    let conversions = if model.checked {
        quote!(rt::open_enum!(#name, checked);)
    } else {
        quote!(rt::open_enum!(#name);)
    };
    quote! {
        #doc
        ///
        /// An open enumeration: a value the server sends that this crate does not
        /// know yet is kept in `Unknown`, not rejected.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            Unknown(crate::UnknownValue),
        }

        impl rt::OpenEnum for #name {
            const KNOWN: &'static [(Self, &'static str)] = &[#(#known),*];
        }

        #conversions
    }
}
