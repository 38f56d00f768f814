//! `src/operations.rs`: one request builder per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_lines, raw_doc, rules_text};
use super::types::{Scope, arg_type, mentions_checked, mentions_model, rust_type};
use super::{bare, ident};
use crate::ir::{Operation, Param, ParamLocation, Service, TypeRef};

pub fn operations_file(service: &Service) -> TokenStream {
    let builders = service
        .operations
        .iter()
        .map(|op| operation_builder(op, service));
    let uses_models = service.operations.iter().any(|op| {
        op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || op.success.1.as_ref().is_some_and(mentions_model)
    });
    let models = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #![doc = " Request builders, one per operation, returned by the [`Client`](crate::Client) methods."]
        #![doc = ""]
        #![doc = " Set optional inputs with the builder's methods, then `.await` the builder (or call"]
        #![doc = " `.send().await`)."]

        use huaweicloud_sdk_core::__private as rt;
        #models

        #(#builders)*
    }
}

/// Where a parameter goes, in words.
pub fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path segment",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
    }
}

/// The doc lines of one parameter: its description, where it is sent, its rules.
pub fn param_doc_lines(p: &Param) -> Vec<String> {
    let mut lines: Vec<String> = p
        .doc
        .as_deref()
        .map(|d| {
            doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned())
                .collect()
        })
        .unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    let mut sent = format!("Sent as the `{}` {}.", p.wire, location_word(p.location));
    if let Some(rules) = rules_text(&p.constraints) {
        sent.push_str(&format!(" Rules: {rules}."));
    }
    lines.push(sent);
    lines
}

/// The `static` describing an operation to the runtime.
pub fn info_name(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", bare(&op.method_name).to_uppercase())
}

fn operation_builder(op: &Operation, service: &Service) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = bare(&op.method_name);
    let doc = format!(
        " Request builder for [`Client::{method}`](crate::Client::{method}): `{} {}`.",
        op.http_method, op.path
    );
    let output = match &op.success.1 {
        Some(ty) => rust_type(ty, Scope::Crate),
        None => quote!(()),
    };
    let info = info_name(op);
    let id = &op.id;
    let http = format_ident!("{}", capitalize(&op.http_method));
    let path = &op.path;
    let status = proc_macro2::Literal::u16_unsuffixed(op.success.0);
    let client_params = op.client_params.iter().map(|(p, k)| quote!((#p, #k)));

    let mut fields = vec![quote!(client: crate::Client,)];
    let mut new_args = vec![quote!(client: crate::Client)];
    let mut inits = vec![quote!(client)];
    for p in &op.params {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty, Scope::Crate);
        if p.required {
            fields.push(quote!(#name: #ty,));
            new_args.push(quote!(#name: #ty));
            inits.push(quote!(#name));
        } else {
            fields.push(quote!(#name: Option<#ty>,));
            inits.push(quote!(#name: None));
        }
    }
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty, Scope::Crate);
        if body.required {
            fields.push(quote!(body: #ty,));
            new_args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            fields.push(quote!(body: Option<#ty>,));
            inits.push(quote!(body: None));
        }
    }

    let setters = op.optional_params().map(|p| {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty, Scope::Crate);
        let doc = raw_doc(&param_doc_lines(p));
        quote! {
            #doc
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = arg_type(&b.ty, Scope::Crate);
        let doc = super::docs::doc_attrs(b.doc.as_deref().unwrap_or("The request body."));
        quote! {
            #doc
            pub fn body(mut self, value: #ty) -> Self {
                self.body = Some(value.into());
                self
            }
        }
    });

    let puts = op.params.iter().map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        let call = match p.location {
            ParamLocation::Path => quote!(path_param),
            ParamLocation::Query => quote!(query),
            ParamLocation::Header => quote!(header),
        };
        let value = |v: TokenStream, ty: &TypeRef| match ty {
            TypeRef::String => v,
            TypeRef::Secret => quote!(#v.expose()),
            _ => quote!(#v.to_string()),
        };
        match (&p.ty, p.required) {
            (TypeRef::Array(inner), required) => {
                let each = value(quote!(item), inner);
                let list = if required {
                    quote!(self.#name)
                } else {
                    quote!(self.#name.unwrap_or_default())
                };
                quote! {
                    for item in #list {
                        request.#call(#wire, #each);
                    }
                }
            }
            (ty, true) => {
                let v = value(quote!(self.#name), ty);
                quote!(request.#call(#wire, #v);)
            }
            (ty, false) => {
                let v = value(quote!(value), ty);
                quote! {
                    if let Some(value) = self.#name {
                        request.#call(#wire, #v);
                    }
                }
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        if b.required {
            quote!(request.json_body(&self.body)?;)
        } else {
            quote! {
                if let Some(body) = &self.body {
                    request.json_body(body)?;
                }
            }
        }
    });
    let mut checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.rule.is_some() || mentions_checked(&p.ty, service))
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            match &p.rule {
                Some(rule) => {
                    let rule = ident(rule);
                    quote!(v.check(#wire, &self.#name, &crate::rules::#rule);)
                }
                None => quote!(v.check(#wire, &self.#name, &rt::Rules::NONE);),
            }
        })
        .collect();
    if op
        .body
        .as_ref()
        .is_some_and(|b| mentions_checked(&b.ty, service))
    {
        checks.push(quote!(v.check("body", &self.body, &rt::Rules::NONE);));
    }
    let validate = (!checks.is_empty()).then(|| {
        quote! {
            if self.client.inner.validates() {
                let mut v = rt::Validator::new(#info.id);
                #(#checks)*
                v.finish()?;
            }
        }
    });
    let send = if op.success.1.is_some() {
        quote!(self.client.inner.send_json(request).await)
    } else {
        quote!(self.client.inner.send_empty(request).await)
    };
    let send_doc = format!(
        " Sends `{} {}` and decodes the reply.",
        op.http_method, op.path
    );

    quote! {
        static #info: rt::OperationInfo = rt::OperationInfo {
            id: #id,
            method: crate::Method::#http,
            path: #path,
            client_params: &[#(#client_params),*],
            success_status: #status,
        };

        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            pub(crate) fn new(#(#new_args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
            #body_setter

            #[doc = #send_doc]
            ///
            /// # Errors
            /// Any [`Error`](crate::Error): an invalid input (nothing is sent), an error
            /// reply from the service, a transport failure or timeout, or a reply that
            /// does not decode.
            pub async fn send(self) -> Result<#output, crate::Error> {
                #validate
                let mut request = rt::Request::new(&#info);
                #(#puts)*
                #body
                #send
            }
        }

        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, crate::Error>;
            type IntoFuture = rt::BoxFuture<Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn capitalize(method: &str) -> String {
    let lower = method.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
