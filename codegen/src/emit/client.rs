//! `src/lib.rs` (crate docs and re-exports) and `src/client.rs` (the client and
//! one method per operation).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{inline, raw_doc, raw_inner_doc, rules_text, sanitize};
use super::operations::param_doc_lines;
use super::types::{Scope, arg_type, mentions_model};
use super::{bare, ident};
use crate::ir::{Operation, Param, Service, TypeRef};

/// The core types every service crate re-exports, so that a caller depends on
/// one crate.
const REEXPORTS: &str = "Bytes, Config, Credentials, Done, Download, Error, Items, Method, Pages, Payload, Progress, RawCall, RetryPolicy, Secret, Step, UnknownValue, WaitPolicy, Waiter, error";

pub fn lib_file(service: &Service) -> TokenStream {
    let mut lines = vec![format!("# {}", sanitize(&service.title)), String::new()];
    if let Some(d) = &service.description {
        lines.extend(
            super::docs::doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned()),
        );
        lines.push(String::new());
    }
    lines.push(format!(
        "API version `{}`, generated from `{}`.",
        service.version, service.source
    ));
    lines.push(String::new());
    if service.operations.is_empty() {
        lines.push(
            "The spec defines no callable operation yet, so this crate has models and no client methods; see the spec for why."
                .to_owned(),
        );
    } else {
        lines.push("| Method | HTTP | Summary |".to_owned());
        lines.push("|---|---|---|".to_owned());
        for op in &service.operations {
            lines.push(format!(
                "| [`{0}`](Client::{0}) | `{1} {2}` | {3} |",
                bare(&op.method_name),
                op.http_method,
                op.path,
                inline(op.summary.as_deref().unwrap_or("")).replace('|', "\\|"),
            ));
        }
        lines.push(String::new());
        lines.extend(usage_example(service));
    }
    let doc = raw_inner_doc(&lines);
    let reexports: Vec<proc_macro2::Ident> = REEXPORTS.split(", ").map(ident).collect();
    let operations = (!service.operations.is_empty()).then(|| {
        quote!(
            #[cfg(feature = "mock")]
            pub mod mock;
            pub mod operations;
        )
    });
    let rules = (!service.rules.is_empty()).then(|| {
        quote!(
            mod rules;
        )
    });
    let recursion_limit = service.recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    quote! {
        #recursion_limit
        #doc

        mod client;
        pub mod models;
        #operations
        #rules

        pub use client::Client;
        pub use huaweicloud_sdk_core::{#(#reexports),*};
    }
}

/// A literal for a string-like argument: the spec's example where there is one.
pub(super) fn example_arg(p: &Param) -> String {
    let value = p
        .example
        .as_ref()
        .and_then(|e| e.as_str().map(str::to_owned))
        .unwrap_or_else(|| "...".to_owned());
    format!("{value:?}")
}

/// A compiled (not run) example for the crate docs: configuration, client, and
/// the first operation whose required inputs are all strings (or enums and
/// secrets made from strings).
fn usage_example(service: &Service) -> Vec<String> {
    let crate_name = &service.lib_name;
    let stringy = |t: &TypeRef| match t {
        TypeRef::String | TypeRef::Secret => true,
        TypeRef::Named(n) => service
            .models
            .iter()
            .any(|m| matches!(m, crate::ir::Model::Enum(e) if &e.name == n)),
        _ => false,
    };
    let candidate = service
        .operations
        .iter()
        .filter(|op| {
            op.required_params().all(|p| stringy(&p.ty))
                && op.body.as_ref().is_none_or(|b| !b.required)
                && op.required_struct.is_none()
                && !op.deprecated
        })
        .min_by_key(|op| (op.http_method != "GET", op.required_params().count()));
    let mut lines = vec![
        "```no_run".to_owned(),
        format!("use {crate_name}::{{Client, Config, Credentials}};"),
        String::new(),
        format!("# async fn run() -> Result<(), {crate_name}::Error> {{"),
        "let config = Config::new()".to_owned(),
        "    .with_region(\"cn-north-4\")".to_owned(),
        "    .with_credentials(Credentials::aksk(\"AK...\", \"SK...\"))".to_owned(),
        "    .with_project_id(\"0123456789abcdef0123456789abcdef\");".to_owned(),
        "let client = Client::new(&config)?;".to_owned(),
    ];
    if let Some(op) = candidate {
        let args: Vec<String> = op.required_params().map(example_arg).collect();
        lines.push(format!(
            "let reply = client.{}({}).await?;",
            bare(&op.method_name),
            args.join(", ")
        ));
        lines.push(match &op.output {
            crate::ir::Output::Single(r) if r.kind == crate::ir::ReplyKind::Empty => {
                "let () = reply;".to_owned()
            }
            _ => "println!(\"{reply:?}\");".to_owned(),
        });
    } else {
        lines.push("# let _ = client;".to_owned());
    }
    lines.push("# Ok(())".to_owned());
    lines.push("# }".to_owned());
    lines.push("```".to_owned());
    lines
}

/// More client methods: the operations `range`, in an `impl` block of their own.
pub fn client_piece(service: &Service, range: std::ops::Range<usize>) -> TokenStream {
    let methods = service.operations[range]
        .iter()
        .map(|op| client_method(op, service));
    quote! {
        impl Client {
            #(#methods)*
        }
    }
}

pub fn client_file(service: &Service) -> TokenStream {
    let endpoints = service
        .endpoints
        .iter()
        .map(|(region, url)| quote!((#region, #url)));
    let template = service.server_template.clone().unwrap_or_default();
    let module = &service.module;
    let env_key = &service.env_key;
    let title = &service.title;
    let client_doc = raw_doc(&[
        format!("Client for {}.", sanitize(title)),
        String::new(),
        "Built once from a [`Config`](crate::Config); cheap to clone (it shares one".to_owned(),
        "connection pool) and safe to use from many tasks at once. Each method returns a"
            .to_owned(),
        "request builder: set optional inputs on it, then `.await` it (or call `.send()`)."
            .to_owned(),
    ]);
    let first = service
        .operations
        .len()
        .min(super::operations::OPERATIONS_PER_PIECE);
    let methods = service.operations[..first]
        .iter()
        .map(|op| client_method(op, service));
    let pollers = super::lifecycle::poller_helpers(service);
    let uses_models = service.operations.iter().any(|op| {
        !op.waiters.is_empty()
            || op.required_params().any(|p| mentions_model(&p.ty))
            || op
                .body
                .as_ref()
                .is_some_and(|b| b.required && mentions_model(&b.ty))
    });
    let uses = match (uses_models, service.operations.is_empty()) {
        (true, _) => quote!(
            use crate::{models, operations};
        ),
        (false, false) => quote!(
            use crate::operations;
        ),
        (false, true) => quote!(),
    };
    quote! {
        #![doc = " The service client."]

        use huaweicloud_sdk_core::__private as rt;
        #uses

        /// Where this service is reached, region by region.
        static SERVICE: rt::ServiceInfo = rt::ServiceInfo {
            name: #module,
            env_key: #env_key,
            endpoint_template: #template,
            endpoints: &[#(#endpoints),*],
        };

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) inner: rt::ServiceClient,
        }

        impl Client {
            /// Creates a client for this service from a shared configuration.
            ///
            /// # Errors
            /// [`Error::Config`](crate::Error::Config) when the configuration names no
            /// endpoint and no known region for this service.
            pub fn new(config: &crate::Config) -> Result<Self, crate::Error> {
                Ok(Self {
                    inner: rt::ServiceClient::new(config, &SERVICE)?,
                })
            }

            /// The endpoint this client sends requests to.
            pub fn endpoint(&self) -> &str {
                self.inner.endpoint()
            }

            /// A request to an API of this service that the crate does not cover yet,
            /// with the same authentication, retries, limits and errors as the
            /// generated methods. `path` is sent as given (percent-encode its segments);
            /// `{project_id}` in it is filled from the configuration.
            pub fn raw(&self, method: crate::Method, path: impl Into<String>) -> crate::RawCall {
                self.inner.raw(method, path)
            }

            #(#methods)*

            #pollers
        }
    }
}

/// What a success reply gives, in words.
fn output_doc(op: &Operation) -> Vec<String> {
    use crate::ir::{Output, ReplyKind};
    let what = |kind: &ReplyKind| match kind {
        ReplyKind::Empty => "no body".to_owned(),
        ReplyKind::Json(ty) => match ty {
            TypeRef::Named(n) => format!("a [`{n}`](crate::models::{n})"),
            other => format!("a {}", super::types::type_label(other)),
        },
        ReplyKind::Text => "the body as text".to_owned(),
        ReplyKind::Binary => {
            "a [`Download`](crate::Download) to read the body from (whole or in chunks)".to_owned()
        }
    };
    // `200`, a range, `default`, or nothing documented.
    let statuses = |r: &crate::ir::Reply| match r.label.as_str() {
        "" | "default" => "any 2XX status".to_owned(),
        range if range.ends_with("XX") => format!("any {range} status"),
        _ => format!("HTTP {}", r.status),
    };
    match &op.output {
        Output::Single(r) => vec![format!("Succeeds with {}: {}.", statuses(r), what(&r.kind))],
        Output::ByStatus { name, replies } => {
            let mut lines = vec![format!(
                "Succeeds with one of these, as [`{name}`](crate::operations::{name}):"
            )];
            lines.push(String::new());
            for r in replies {
                lines.push(format!(
                    "- `{}` ({}): {}",
                    r.variant,
                    statuses(r),
                    what(&r.kind)
                ));
            }
            lines
        }
    }
}

fn operation_docs(op: &Operation, service: &Service) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    match &op.summary {
        Some(summary) if !summary.trim().is_empty() => {
            lines.push(format!("{}.", inline(summary).trim_end_matches('.')));
            lines.push(String::new());
            lines.push(format!("`{} {}`", op.http_method, op.path));
        }
        _ => lines.push(format!("`{} {}`", op.http_method, op.path)),
    }
    // Operations of `x-paths` share their path and method with others.
    let siblings: Vec<String> = service
        .operations
        .iter()
        .filter(|o| o.id != op.id && o.http_method == op.http_method && o.path == op.path)
        .map(|o| {
            let m = bare(&o.method_name);
            format!("[`{m}`](Self::{m})")
        })
        .collect();
    if !siblings.is_empty() {
        lines.push(String::new());
        let list = match siblings.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => siblings.concat(),
        };
        lines.push(format!(
            "The same method and path as {list}: the operations differ by their inputs."
        ));
    }
    if let Some(d) = op.description.as_deref().filter(|d| !d.trim().is_empty()) {
        lines.push(String::new());
        lines.extend(
            super::docs::doc_lines(d)
                .into_iter()
                .map(|l| l.trim_start().to_owned()),
        );
    }
    let required: Vec<&Param> = op.required_params().collect();
    let body = op.body.as_ref().filter(|b| b.required);
    if !required.is_empty() || body.is_some() {
        lines.push(String::new());
        lines.push("# Arguments".to_owned());
        lines.push(String::new());
        if let Some(name) = &op.required_struct {
            lines.push(format!(
                "`required`: [`{name}`](operations::{name}), the required inputs by name:"
            ));
            lines.push(String::new());
        }
        for p in &required {
            let mut item = param_doc_lines(p, service)
                .into_iter()
                .filter(|l| !l.is_empty());
            let first = item.next().unwrap_or_default();
            lines.push(format!("- `{}`: {first}", bare(&p.name)));
            lines.extend(item.map(|l| format!("  {l}")));
        }
        if let Some(b) = body {
            let what = b
                .doc
                .as_deref()
                .map(inline)
                .unwrap_or_else(|| "The request body.".to_owned());
            let ty = match (&b.kind, &b.ty) {
                (crate::ir::BodyKind::Binary, _) => {
                    format!(" (`{}` bytes: a [`Payload`](crate::Payload))", b.media)
                }
                (_, TypeRef::Named(n)) => {
                    format!(" ([`{n}`](crate::models::{n}), sent as `{}`)", b.media)
                }
                _ => format!(" (sent as `{}`)", b.media),
            };
            lines.push(format!("- `body`: {what}{ty}"));
        }
    }
    let optional: Vec<&Param> = op.optional_params().collect();
    let body_optional = op.body.as_ref().is_some_and(|b| !b.required);
    if !optional.is_empty() || body_optional {
        lines.push(String::new());
        let mut names: Vec<String> = optional
            .iter()
            .map(|p| {
                format!(
                    "[`{0}`](operations::{1}::{0}) ({2} `{3}`)",
                    bare(&p.name),
                    op.builder_name,
                    super::operations::location_word(p.location),
                    p.wire
                )
            })
            .collect();
        if body_optional {
            names.push(format!("[`body`](operations::{}::body)", op.builder_name));
        }
        lines.push(format!(
            "Optional inputs are set on the returned builder: {}.",
            names.join(", ")
        ));
    }
    if !op.client_params.is_empty() {
        lines.push(String::new());
        let filled: Vec<String> = op
            .client_params
            .iter()
            .map(|c| {
                let rules = rules_text(&c.constraints)
                    .map(|r| format!(" (rules: {r})"))
                    .unwrap_or_default();
                format!("`{{{}}}` from the client's `{}`{rules}", c.wire, c.key)
            })
            .collect();
        lines.push(format!("Filled in by the client: {}.", filled.join(", ")));
    }
    lines.push(String::new());
    lines.extend(output_doc(op));
    lines.push(String::new());
    lines.push("# Errors".to_owned());
    lines.push(String::new());
    lines.push(
        "[`Error::Validation`](crate::Error::Validation) before anything is sent when an input breaks a rule above;"
            .to_owned(),
    );
    lines.push("[`Error::Api`](crate::Error::Api) with the status, request id, `error_code` and `error_msg` of an".to_owned());
    if op.errors.is_empty() {
        lines.push("error reply.".to_owned());
    } else {
        lines.push("error reply; the spec documents:".to_owned());
        lines.push(String::new());
        for (status, description) in &op.errors {
            lines.push(format!("- {status}: {}", inline(description)));
        }
    }
    lines.push(String::new());
    lines.push("# Example".to_owned());
    lines.push(String::new());
    lines.extend(super::doc_example::method_example(service, op));
    raw_doc(&lines)
}

fn client_method(op: &Operation, service: &Service) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let docs = operation_docs(op, service);
    let mut args = Vec::new();
    let mut pass = Vec::new();
    if let Some(name) = &op.required_struct {
        let name = ident(name);
        args.push(quote!(required: operations::#name));
        pass.push(quote!(required));
    }
    for p in op
        .required_params()
        .filter(|_| op.required_struct.is_none())
    {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty, Scope::Crate);
        args.push(quote!(#name: #ty));
        pass.push(quote!(#name.into()));
    }
    if let Some(body) = op
        .body
        .as_ref()
        .filter(|b| b.required && op.required_struct.is_none())
    {
        let ty = super::operations::body_type(&body.kind, &body.ty);
        args.push(quote!(body: impl Into<#ty>));
        pass.push(quote!(body.into()));
    }
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let waiters = super::lifecycle::waiter_methods(op, service);
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> operations::#builder {
            operations::#builder::new(self.clone(), #(#pass),*)
        }

        #waiters
    }
}
