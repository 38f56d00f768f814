//! `tests/examples.rs`: every example of the spec decodes into its model and
//! encodes back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::types::{Scope, mentions_model, rust_type};
use crate::ir::Service;
use crate::naming::{Namespace, field_ident};

/// The test file, or `None` when the spec has no examples.
pub fn examples_test(service: &Service) -> Option<TokenStream> {
    let mut names = Namespace::default();
    let mut uses_models = false;
    let shared = service.examples.iter().map(|e| ("", e));
    let tests: Vec<TokenStream> = service
        .operations
        .iter()
        .flat_map(|op| op.examples.iter().map(move |e| (op.id.as_str(), e)))
        .chain(shared)
        .map(|(op, example)| {
            let name = names.claim(&field_ident(&format!("{op} {}", example.label)), "_");
            let name = ident(name.trim_start_matches("r#"));
            uses_models |= mentions_model(&example.ty);
            let ty = rust_type(&example.ty, Scope::Crate);
            let json = serde_json::to_string_pretty(&example.value).unwrap_or_default();
            let doc = if op.is_empty() {
                format!(" {}.", example.label)
            } else {
                format!(" `{op}`: {}.", example.label)
            };
            quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    assert_eq!(rt::round_trip::<#ty>(#json), Ok(()));
                }
            }
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    let lib = ident(&service.lib_name);
    let models = uses_models.then(|| quote!(use #lib::models;));
    let doc = format!(
        " Every example of `{}` decodes into its type and encodes back to the same JSON.",
        service.source
    );
    Some(quote! {
        #![doc = #doc]

        use huaweicloud_sdk_core::__private as rt;
        #models

        #(#tests)*
    })
}
