//! `src/models.rs`: one type per schema, and the checks of the types a request
//! carries.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, rules_text, sanitize};
use super::types::{Scope, arg_type, mentions_checked, rust_type};
use super::{bare, ident};
use crate::ir::{EnumModel, Field, Model, Service, StructModel};

pub fn models_file(service: &Service) -> TokenStream {
    let models = service.models.iter().map(|m| match m {
        Model::Struct(s) => {
            let model = struct_model(s);
            let check = s.checked.then(|| struct_check(s, service));
            quote!(#model #check)
        }
        Model::Enum(e) => enum_model(e),
    });
    let doc = format!(
        " Request and response types of {}, one per schema of `{}`.",
        sanitize(&service.title),
        service.source
    );
    let uses_rt = service.models.iter().any(|m| match m {
        Model::Struct(s) => s.checked,
        Model::Enum(_) => true,
    });
    let rt = uses_rt.then(|| {
        quote!(
            use huaweicloud_sdk_core::__private as rt;
        )
    });
    quote! {
        #![doc = #doc]

        #rt

        #(#models)*
    }
}

fn struct_model(model: &StructModel) -> TokenStream {
    let name = ident(&model.name);
    let doc = doc_attrs(model.doc.as_deref().unwrap_or(&model.name));
    let default = model.all_optional().then(|| quote!(Default,));
    let fields = model.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty, Scope::Models);
        let ty = if f.optional() {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let doc = super::docs::raw_doc(&field_doc_lines(f));
        let wire = &f.wire;
        let rename = (bare(&f.name) != wire).then(|| quote!(#[serde(rename = #wire)]));
        let serde = match (f.required, f.nullable) {
            (false, _) => quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            (true, true) => quote!(#[serde(default)]),
            (true, false) => quote!(),
        };
        quote! {
            #doc
            #rename
            #serde
            pub #fname: #ty,
        }
    });
    let required: Vec<&Field> = model.fields.iter().filter(|f| !f.optional()).collect();
    let definition = quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    };
    let setters = optional_setters(model);
    if let Some(required_name) = &model.required_struct {
        return named_constructor(model, &required, required_name, definition, setters);
    }
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = arg_type(&f.ty, Scope::Models);
            quote!(#fname: #ty)
        });
        let inits = model.fields.iter().map(|f| {
            let fname = ident(&f.name);
            if f.optional() {
                quote!(#fname: None)
            } else {
                quote!(#fname: #fname.into())
            }
        });
        quote! {
            /// Creates a value from its required fields; optional fields start empty.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
        }
    });
    if constructor.is_none() && setters.is_empty() {
        return definition;
    }
    quote! {
        #definition

        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// A field's doc lines: the spec's text escaped, the rules with code spans kept.
fn field_doc_lines(f: &Field) -> Vec<String> {
    let mut lines: Vec<String> = f
        .doc
        .as_deref()
        .map(|d| {
            super::docs::doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned())
                .collect()
        })
        .unwrap_or_default();
    if let Some(rules) = rules_text(&f.constraints) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(format!("Rules: {rules}."));
    }
    if f.read_only {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push("Set by the server; ignored in requests.".to_owned());
    }
    if lines.is_empty() {
        lines.push(format!("`{}`", f.wire));
    }
    lines
}

/// A struct whose `new` takes its required fields in a companion struct.
fn named_constructor(
    model: &StructModel,
    required: &[&Field],
    required_name: &str,
    definition: TokenStream,
    setters: Vec<TokenStream>,
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
        let doc = format!(" See [`{}::{}`].", model.name, bare(&f.name));
        let doc = if f.name.starts_with("r#") {
            format!(" See `{}::{}`.", model.name, bare(&f.name))
        } else {
            doc
        };
        quote! {
            #[doc = #doc]
            pub #fname: #ty,
        }
    });
    let inits = model.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.optional() {
            quote!(#fname: None)
        } else {
            quote!(#fname: required.#fname)
        }
    });
    quote! {
        #definition

        impl #name {
            /// Creates a value from its required fields; optional fields start empty.
            pub fn new(required: #req) -> Self {
                Self { #(#inits),* }
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
    model
        .fields
        .iter()
        .filter(|f| f.optional())
        .map(|f| {
            let fname = ident(&f.name);
            let setter = format_ident!("with_{}", bare(&f.name));
            let ty = arg_type(&f.ty, Scope::Models);
            let doc = match f.name.strip_prefix("r#") {
                Some(raw) => format!(" Sets `{raw}`."),
                None => format!(" Sets [`{0}`](Self::{0}).", f.name),
            };
            quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#fname = Some(value.into());
                    self
                }
            }
        })
        .collect()
}

fn struct_check(model: &StructModel, service: &Service) -> TokenStream {
    let name = ident(&model.name);
    let checks: Vec<TokenStream> = model
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
    quote! {
        impl rt::Check for #name {
            fn check(&self, v: &mut rt::Validator, _: &rt::Rules) {
                #(#checks)*
            }
        }
    }
}

fn enum_model(model: &EnumModel) -> TokenStream {
    let name = ident(&model.name);
    let doc = doc_attrs(model.doc.as_deref().unwrap_or(&model.name));
    let variants = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdoc = match &v.doc {
            Some(d) => format!(" `{}`: {}", v.wire, sanitize(d.trim())),
            None => format!(" `{}`", v.wire),
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
