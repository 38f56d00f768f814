//! `src/rules.rs`: the distinct rules the client checks, each stated once.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::ident;
use crate::ir::{NamedRule, Service};

pub fn rules_file(service: &Service) -> TokenStream {
    let patterns = service.patterns.iter().map(|p| {
        let name = ident(&p.name);
        let source = &p.source;
        let init = if p.regex == p.source {
            quote!(rt::Pattern::new(#source))
        } else {
            let regex = &p.regex;
            quote!(rt::Pattern::translated(#source, #regex))
        };
        quote!(pub(crate) static #name: rt::Pattern = #init;)
    });
    let rules = service.rules.iter().map(|r| {
        let name = ident(&r.name);
        let value = rule_value(r);
        quote!(pub(crate) static #name: rt::Rules = #value;)
    });
    quote! {
        #![doc = " The rules the client checks before sending, each stated once and shared by"]
        #![doc = " every field and parameter that has it."]

        use huaweicloud_sdk_core::__private as rt;

        #(#patterns)*
        #(#rules)*
    }
}

fn rule_value(rule: &NamedRule) -> TokenStream {
    let c = &rule.constraints;
    let mut parts = Vec::new();
    let count = |name: &str, v: Option<u64>| {
        v.map(|n| {
            let name = ident(name);
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(#name: Some(#n),)
        })
    };
    let bound = |name: &str, v: Option<(f64, bool)>| {
        v.map(|(n, exclusive)| {
            let name = ident(name);
            let n = proc_macro2::Literal::f64_unsuffixed(n);
            quote!(#name: Some((#n, #exclusive)),)
        })
    };
    parts.extend(count("min_length", c.min_length));
    parts.extend(count("max_length", c.max_length));
    parts.extend(rule.pattern.as_ref().map(|p| {
        let p = ident(p);
        quote!(pattern: Some(&#p),)
    }));
    parts.extend(bound("minimum", c.minimum));
    parts.extend(bound("maximum", c.maximum));
    parts.extend(c.multiple_of.map(|m| {
        let m = proc_macro2::Literal::f64_unsuffixed(m);
        quote!(multiple_of: Some(#m),)
    }));
    parts.extend(count("min_items", c.min_items));
    parts.extend(count("max_items", c.max_items));
    parts.extend(rule.items.as_ref().map(|items| {
        let items = ident(items);
        quote!(items: Some(&#items),)
    }));
    if c.required {
        parts.push(quote!(required: true,));
    }
    parts.extend(c.allowed.as_ref().map(|values| {
        let values = values
            .iter()
            .map(|v| proc_macro2::Literal::f64_unsuffixed(*v).into_token_stream());
        quote!(allowed: Some(&[#(#values),*]),)
    }));
    quote!(rt::Rules { #(#parts)* ..rt::Rules::NONE })
}
