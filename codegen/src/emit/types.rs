//! Rust types for IR type references.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Service, TypeRef};

/// Where a type is written: inside `models.rs` (models unqualified) or elsewhere
/// in the crate (`models::X`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In `models.rs`.
    Models,
    /// Anywhere else in the crate (and in examples, with `models` imported).
    Crate,
}

/// The Rust type for a type reference.
pub fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(crate::Secret),
        TypeRef::Integer { bits, signed } => {
            let name = format!("{}{bits}", if *signed { "i" } else { "u" });
            let ty = proc_macro2::Ident::new(&name, proc_macro2::Span::call_site());
            quote!(#ty)
        }
        TypeRef::Number { bits: 32 } => quote!(f32),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Crate => quote!(models::#name),
            }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Bytes => quote!(crate::Bytes),
    }
}

/// How a caller passes a value of this type: `impl Into<T>`, so `&str` works for
/// strings, secrets and enums.
pub fn arg_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    let t = rust_type(ty, scope);
    quote!(impl Into<#t>)
}

/// Whether the type names a model.
pub fn mentions_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentions_model(inner),
        _ => false,
    }
}

/// Whether the type holds a model the client checks before sending.
pub fn mentions_checked(ty: &TypeRef, service: &Service) -> bool {
    match ty {
        TypeRef::Named(name) => service
            .models
            .binary_search_by(|m| m.name().cmp(name))
            .ok()
            .is_some_and(|i| service.models[i].checked()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentions_checked(inner, service),
        _ => false,
    }
}

/// The name of the type for messages (`StarRocksCreateRequest`, `JSON value`).
pub fn type_label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Array(inner) => format!("list of {}", type_label(inner)),
        TypeRef::Map(inner) => format!("map of {}", type_label(inner)),
        TypeRef::String | TypeRef::Secret => "string".to_owned(),
        TypeRef::Integer { .. } => "integer".to_owned(),
        TypeRef::Number { .. } => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Any => "JSON value".to_owned(),
        TypeRef::Bytes => "bytes".to_owned(),
    }
}
