//! `src/operations.rs`: one request builder per operation, and the reply enums of
//! operations whose success statuses carry different bodies.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_lines, raw_doc, rules_text};
use super::types::{Scope, mentions_checked, mentions_model, rust_type};
use super::{bare, ident};
use crate::ir::{
    BodyKind, Model, Operation, Output, Param, ParamLocation, ParamStyle, Reply, ReplyKind,
    Service, TypeRef,
};

/// How many operations one piece of `operations.rs` and `client.rs` holds.
pub const OPERATIONS_PER_PIECE: usize = 100;

/// The builders of the operations `range` of `operations.rs`.
pub fn operations_piece(service: &Service, range: std::ops::Range<usize>) -> TokenStream {
    let builders = service.operations[range]
        .iter()
        .map(|op| operation_builder(op, service));
    quote!(#(#builders)*)
}

/// The head of `operations.rs` (docs and imports).
pub fn operations_head(service: &Service) -> TokenStream {
    let uses_models = service.operations.iter().any(|op| {
        op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || replies(&op.output)
                .iter()
                .any(|r| matches!(&r.kind, ReplyKind::Json(t) if mentions_model(t)))
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
    }
}

/// The replies of an output.
pub fn replies(output: &Output) -> Vec<&Reply> {
    match output {
        Output::Single(r) => vec![r],
        Output::ByStatus { replies, .. } => replies.iter().collect(),
    }
}

/// The Rust type a reply body is read into.
pub fn reply_type(kind: &ReplyKind) -> TokenStream {
    match kind {
        ReplyKind::Empty => quote!(()),
        ReplyKind::Json(ty) => rust_type(ty, Scope::Crate),
        ReplyKind::Text => quote!(String),
        ReplyKind::Binary => quote!(crate::Download),
    }
}

/// The Rust type an operation's `send` returns on success.
pub fn output_type(output: &Output) -> TokenStream {
    match output {
        Output::Single(r) => reply_type(&r.kind),
        Output::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// Where a parameter goes, in words.
pub fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path segment",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The doc lines of one parameter: its description, where it is sent, its rules.
pub fn param_doc_lines(p: &Param, service: &Service) -> Vec<String> {
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
    let mut sent = format!("Sent as the `{}` {}", p.wire, location_word(p.location));
    // How the style writes this parameter's value: a list, an object, or one
    // value (where styles do not differ).
    let object = match &p.ty {
        TypeRef::Map(_) => Some(true),
        TypeRef::Array(_) => Some(false),
        TypeRef::Named(n) => match service.models.iter().find(|m| m.name() == n) {
            Some(Model::Struct(_)) => Some(true),
            _ => None,
        },
        _ => None,
    };
    sent.push_str(match (p.style, object) {
        (ParamStyle::Json, _) => " (as JSON text).",
        (_, None) | (ParamStyle::Simple, _) => ".",
        (ParamStyle::FormExploded, Some(false)) => " (a list repeats the name).",
        (ParamStyle::FormExploded, Some(true)) => " (an object as `key=value` pairs).",
        (ParamStyle::Form, Some(false)) => " (a list as `a,b,c`).",
        (ParamStyle::Form, Some(true)) => " (an object as `name=key,value,...`).",
        (ParamStyle::SpaceDelimited, _) => " (a list as `a b c`).",
        (ParamStyle::PipeDelimited, _) => " (a list as `a|b|c`).",
        (ParamStyle::DeepObject, _) => " (an object as `name[key]=value`).",
    });
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

/// Whether values of this type are written as one string (`Display`).
fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String
            | TypeRef::Secret
            | TypeRef::Integer { .. }
            | TypeRef::Number { .. }
            | TypeRef::Boolean
    )
}

/// The runtime's name for a parameter style.
fn style_tokens(style: ParamStyle) -> TokenStream {
    let name = match style {
        ParamStyle::FormExploded => "FormExploded",
        ParamStyle::Form => "Form",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
        ParamStyle::Simple => "Simple",
        ParamStyle::Json => "Json",
    };
    let name = ident(name);
    quote!(rt::Style::#name)
}

/// The statements that put one parameter's value (an expression of the
/// parameter's type, by value) into `request`.
fn put_param(p: &Param, value: TokenStream, service: &Service) -> TokenStream {
    let wire = &p.wire;
    let scalar_call = match p.location {
        ParamLocation::Path => quote!(path_param),
        ParamLocation::Query => quote!(query),
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
    };
    let enum_like = matches!(&p.ty, TypeRef::Named(n) if service
        .models
        .iter()
        .any(|m| matches!(m, crate::ir::Model::Enum(e) if &e.name == n)));
    if p.style == ParamStyle::Json || !(is_scalar(&p.ty) || enum_like) {
        let location = ident(match p.location {
            ParamLocation::Path => "Path",
            ParamLocation::Query => "Query",
            ParamLocation::Header => "Header",
            ParamLocation::Cookie => "Cookie",
        });
        let style = style_tokens(p.style);
        return quote!(request.param(rt::In::#location, #wire, &#value, #style)?;);
    }
    let text = match &p.ty {
        TypeRef::String => value,
        TypeRef::Secret => quote!(#value.expose()),
        _ => quote!(#value.to_string()),
    };
    quote!(request.#scalar_call(#wire, #text);)
}

fn operation_builder(op: &Operation, service: &Service) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = bare(&op.method_name);
    let doc = format!(
        " Request builder for [`Client::{method}`](crate::Client::{method}): `{} {}`.",
        op.http_method, op.path
    );
    let output = output_type(&op.output);
    let info = info_name(op);
    let id = &op.id;
    let http = format_ident!("{}", capitalize(&op.http_method));
    let path = &op.path;
    let status = proc_macro2::Literal::u16_unsuffixed(op.output.statuses()[0]);
    let client_params = op.client_params.iter().map(|c| {
        let (p, k) = (&c.wire, &c.key);
        quote!((#p, #k))
    });

    let mut fields = vec![quote!(client: crate::Client,)];
    let mut new_args = vec![quote!(client: crate::Client)];
    let mut inits = vec![quote!(client)];
    // The required inputs: arguments of `new`, or the fields of the
    // operation's required struct.
    let mut required_fields = Vec::new();
    let mut required_names = Vec::new();
    for p in op.params.iter().filter(|p| p.fixed.is_none()) {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty, Scope::Crate);
        if p.required {
            fields.push(quote!(#name: #ty,));
            let doc = raw_doc(&param_doc_lines(p, service));
            required_fields.push(quote!(#doc pub #name: #ty,));
            required_names.push(quote!(#name));
            new_args.push(quote!(#name: #ty));
            inits.push(quote!(#name));
        } else {
            fields.push(quote!(#name: Option<#ty>,));
            inits.push(quote!(#name: None));
        }
    }
    if let Some(body) = &op.body {
        let ty = body_type(&body.kind, &body.ty);
        if body.required {
            fields.push(quote!(body: #ty,));
            let doc = doc_attrs(body.doc.as_deref().unwrap_or("The request body."));
            required_fields.push(quote!(#doc pub body: #ty,));
            required_names.push(quote!(body));
            new_args.push(quote!(body: #ty));
            inits.push(quote!(body));
        } else {
            fields.push(quote!(body: Option<#ty>,));
            inits.push(quote!(body: None));
        }
        if !body.alternatives.is_empty() {
            fields.push(quote!(raw_body: Option<(String, crate::Payload)>,));
            inits.push(quote!(raw_body: None));
        }
    }

    let setters = op.optional_params().map(|p| {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty, Scope::Crate);
        let doc = raw_doc(&param_doc_lines(p, service));
        let deprecated = p.deprecated.then(|| quote!(#[deprecated]));
        quote! {
            #doc
            #deprecated
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = body_type(&b.kind, &b.ty);
        let doc = doc_attrs(b.doc.as_deref().unwrap_or("The request body."));
        quote! {
            #doc
            pub fn body(mut self, value: impl Into<#ty>) -> Self {
                self.body = Some(value.into());
                self
            }
        }
    });
    let raw_body_setter = op.body.as_ref().filter(|b| !b.alternatives.is_empty()).map(|b| {
        let list: Vec<String> = b.alternatives.iter().map(|m| format!("`{m}`")).collect();
        let doc = format!(
            " Sends `body` as given with this `Content-Type` instead of the typed body ({}); the spec also allows {}.",
            b.media,
            list.join(", ")
        );
        quote! {
            #[doc = #doc]
            pub fn raw_body(mut self, content_type: impl Into<String>, body: impl Into<crate::Payload>) -> Self {
                self.raw_body = Some((content_type.into(), body.into()));
                self
            }
        }
    });

    let puts = op.params.iter().map(|p| {
        let name = ident(&p.name);
        if let Some(fixed) = &p.fixed {
            let wire = &p.wire;
            let call = match p.location {
                ParamLocation::Path => quote!(path_param),
                ParamLocation::Query => quote!(query),
                ParamLocation::Header => quote!(header),
                ParamLocation::Cookie => quote!(cookie),
            };
            return quote!(request.#call(#wire, #fixed););
        }
        if p.required {
            return put_param(p, quote!(self.#name), service);
        }
        let put = put_param(p, quote!(value), service);
        quote! {
            if let Some(value) = self.#name {
                #put
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let media = b.media.to_ascii_lowercase();
        let set = |value: TokenStream| match b.kind {
            BodyKind::Json => quote!(request.json_body(#media, &#value)?;),
            BodyKind::Form => quote!(request.form_body(#media, &#value)?;),
            BodyKind::Multipart => multipart(&b.ty, value, &info, service),
            BodyKind::Binary => quote!(request.payload_body(#media, #value);),
            BodyKind::Text => quote!(request.text_body(#media, #value);),
        };
        let typed = if b.required {
            set(quote!(self.body))
        } else {
            let s = set(quote!(body));
            quote! {
                if let Some(body) = self.body {
                    #s
                }
            }
        };
        if b.alternatives.is_empty() {
            typed
        } else {
            quote! {
                match self.raw_body {
                    Some((content_type, payload)) => request.payload_body(&content_type, payload),
                    None => { #typed }
                }
            }
        }
    });
    let mut checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.fixed.is_none() && (p.rule.is_some() || mentions_checked(&p.ty, service)))
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
    // The configured values the path takes (the project id), by the spec's rules.
    checks.extend(op.client_params.iter().filter_map(|c| {
        let rule = ident(c.rule.as_ref()?);
        let (wire, key) = (&c.wire, &c.key);
        Some(quote! {
            if let Some(value) = self.client.inner.client_param(#key) {
                v.check(#wire, value, &crate::rules::#rule);
            }
        })
    }));
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
    let send = match &op.output {
        Output::Single(r) => match &r.kind {
            ReplyKind::Empty => quote!(self.client.inner.send_empty(request).await),
            ReplyKind::Json(_) => quote!(self.client.inner.send_json(request).await),
            ReplyKind::Text => quote!(self.client.inner.send_text(request).await),
            ReplyKind::Binary => quote!(self.client.inner.send_download(request).await),
        },
        Output::ByStatus { name, replies } => {
            let name = ident(name);
            let arms = replies.iter().filter(|r| r.status != 0).map(|r| {
                let status = proc_macro2::Literal::u16_unsuffixed(r.status);
                let variant = ident(&r.variant);
                let value = match &r.kind {
                    ReplyKind::Empty => return quote!(#status => #name::#variant,),
                    ReplyKind::Json(_) => quote!(reply.json()?),
                    ReplyKind::Text => quote!(reply.text()?),
                    ReplyKind::Binary => quote!(reply.into_download()),
                };
                if r.boxed {
                    quote!(#status => #name::#variant(Box::new(#value)),)
                } else {
                    quote!(#status => #name::#variant(#value),)
                }
            });
            quote! {
                let reply = self.client.inner.send_reply(request).await?;
                Ok(match reply.status() {
                    #(#arms)*
                    other => #name::Other(other),
                })
            }
        }
    };
    let send_doc = format!(
        " Sends `{} {}` and reads the reply.",
        op.http_method, op.path
    );
    let reply_enum = match &op.output {
        Output::ByStatus { name, replies } => Some(reply_enum(op, name, replies)),
        Output::Single(_) => None,
    };
    let deprecated_allow = op.params.iter().any(|p| p.deprecated).then(
        || quote!(#[allow(deprecated, reason = "deprecated parameters are still sent when set")]),
    );
    // A payload may be a stream, which cannot be cloned.
    let derive = if op
        .body
        .as_ref()
        .is_some_and(|b| b.kind == BodyKind::Binary || !b.alternatives.is_empty())
    {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Clone, Debug)])
    };
    let paging = op
        .pagination
        .as_ref()
        .map(|p| super::lifecycle::pagination_methods(op, p));
    let send_and_wait = super::lifecycle::send_and_wait(op);
    let mutable = if op.params.is_empty() && op.body.is_none() && op.client_params.is_empty() {
        quote!(let request)
    } else {
        quote!(let mut request)
    };

    // With many required inputs, `new` takes the operation's required struct.
    let (new_args, unpack, required_struct) = match &op.required_struct {
        Some(name) => {
            let name = ident(name);
            let doc = format!(
                " The required inputs of [`Client::{method}`](crate::Client::{method}), by name \
                 (so that values of the same type cannot be swapped)."
            );
            let derive = if op
                .body
                .as_ref()
                .is_some_and(|b| b.required && b.kind == BodyKind::Binary)
            {
                quote!(#[derive(Debug)])
            } else {
                quote!(#[derive(Clone, Debug)])
            };
            (
                vec![quote!(client: crate::Client), quote!(required: #name)],
                Some(quote!(let #name { #(#required_names),* } = required;)),
                Some(quote! {
                    #[doc = #doc]
                    #derive
                    pub struct #name {
                        #(#required_fields)*
                    }
                }),
            )
        }
        None => (new_args, None, None),
    };

    quote! {
        #required_struct

        static #info: rt::OperationInfo = rt::OperationInfo {
            id: #id,
            method: crate::Method::#http,
            path: #path,
            client_params: &[#(#client_params),*],
            success_status: #status,
        };

        #reply_enum

        #[doc = #doc]
        #derive
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            #(#fields)*
        }

        #deprecated_allow
        impl #builder {
            pub(crate) fn new(#(#new_args),*) -> Self {
                #unpack
                Self { #(#inits),* }
            }

            #(#setters)*
            #body_setter
            #raw_body_setter

            #[doc = #send_doc]
            ///
            /// # Errors
            /// Any [`Error`](crate::Error): an invalid input (nothing is sent), an error
            /// reply from the service, a transport failure or timeout, or a reply that
            /// does not decode.
            pub async fn send(self) -> Result<#output, crate::Error> {
                #validate
                #mutable = rt::Request::new(&#info);
                #(#puts)*
                #body
                #send
            }

            #send_and_wait
            #paging
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

/// Builds a multipart body part by part: `Bytes` fields are file parts, every
/// other field a text part (lists and objects as JSON text).
fn multipart(
    ty: &TypeRef,
    value: TokenStream,
    info: &proc_macro2::Ident,
    service: &Service,
) -> TokenStream {
    let fields = match ty {
        TypeRef::Named(n) => service.models.iter().find_map(|m| match m {
            crate::ir::Model::Struct(s) if &s.name == n => Some(s),
            _ => None,
        }),
        _ => None,
    };
    let parts: Vec<TokenStream> = match fields {
        Some(model) => model
            .fields
            .iter()
            .map(|f| {
                let name = ident(&f.name);
                let wire = &f.wire;
                match (&f.ty, f.optional()) {
                    (TypeRef::Bytes, false) => quote!(form.file(#wire, body.#name);),
                    (TypeRef::Bytes, true) if !f.double_option() => quote! {
                        if let Some(file) = body.#name {
                            form.file(#wire, file);
                        }
                    },
                    _ => quote!(form.value(#info.id, #wire, &body.#name)?;),
                }
            })
            .collect(),
        None => vec![quote!(form.fields(#info.id, &body)?;)],
    };
    quote! {
        let body = #value;
        let mut form = rt::Multipart::new();
        #(#parts)*
        request.multipart_body(form);
    }
}

/// The type a body of this kind is given as.
pub fn body_type(kind: &BodyKind, ty: &TypeRef) -> TokenStream {
    match kind {
        BodyKind::Binary => quote!(crate::Payload),
        BodyKind::Text => quote!(String),
        _ => rust_type(ty, Scope::Crate),
    }
}

/// The enum of an operation's differently typed success replies.
fn reply_enum(op: &Operation, name: &str, replies: &[Reply]) -> TokenStream {
    let name = ident(name);
    let doc = format!(
        " The success replies of [`Client::{0}`](crate::Client::{0}), one per status.",
        bare(&op.method_name)
    );
    let variants = replies.iter().map(|r| {
        let variant = ident(&r.variant);
        let mut lines = vec![if r.status == 0 {
            "Any other success status (`default`).".to_owned()
        } else {
            format!("HTTP {}.", r.status)
        }];
        if let Some(d) = &r.doc {
            lines.push(String::new());
            lines.extend(doc_lines(d).into_iter().map(|l| l.trim_start().to_owned()));
        }
        let doc = raw_doc(&lines);
        match &r.kind {
            ReplyKind::Empty => quote!(#doc #variant,),
            kind => {
                let ty = reply_type(kind);
                if r.boxed {
                    quote!(#doc #variant(Box<#ty>),)
                } else {
                    quote!(#doc #variant(#ty),)
                }
            }
        }
    });
    let derive = if replies.iter().any(|r| r.kind == ReplyKind::Binary) {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derive
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A success status the spec does not document (its body is not read).
            Other(u16),
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
