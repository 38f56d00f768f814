//! Stage 3: print the IR as Rust tokens. No decisions about the spec are made
//! here; everything comes from the IR.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::ir::*;

/// The files of one service module, relative to `src/services/<module>/`.
pub struct ServiceFiles {
    /// `mod.rs`: module docs and re-exports.
    pub module: TokenStream,
    /// `models.rs`: one type per schema.
    pub models: TokenStream,
    /// `client.rs`: the client and one method per operation.
    pub client: TokenStream,
    /// `operations.rs`: one request builder per operation.
    pub operations: TokenStream,
}

/// Emits the four files of one service.
pub fn service(service: &Service) -> ServiceFiles {
    ServiceFiles {
        module: module_file(service),
        models: models_file(service),
        client: client_file(service),
        operations: operations_file(service),
    }
}

/// `src/services/mod.rs`: one feature-gated module per service.
pub fn services_index(services: &[Service]) -> TokenStream {
    let mods = services.iter().map(|s| {
        let module = ident(&s.module);
        let feature = &s.module;
        let doc = format!(" {} (cargo feature `{}`).", sanitize(&s.title), s.module);
        quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    quote! {
        #![doc = " One module per cloud service, each behind a cargo feature of the same name."]
        #(#mods)*
    }
}

/// An identifier, raw if the IR says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Doc attributes for free text from the spec, made safe for rustdoc: brackets
/// and angle brackets are escaped (they would be read as links and HTML tags),
/// bare URLs are wrapped, leading spaces are dropped (an indented line would be
/// a code block, and so a doctest).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| format!(" {}", sanitize(line.trim())).trim_end().to_owned())
        .collect()
}

fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_inclusive(' ') {
        let bare = word.trim_end();
        if bare.starts_with("http://") || bare.starts_with("https://") {
            out.push('<');
            out.push_str(bare);
            out.push('>');
            out.push_str(&word[bare.len()..]);
            continue;
        }
        for c in word.chars() {
            if matches!(c, '[' | ']' | '<' | '>' | '*' | '`' | '\\' | '#') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Docs made of paragraphs; empty paragraphs are skipped, a blank doc line
/// separates the rest.
fn doc_paragraphs(paragraphs: &[Option<String>]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs.iter().flatten() {
        if p.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(doc_lines(p));
    }
    quote! { #(#[doc = #lines])* }
}

/// Doc lines passed through as written (generator-authored markdown).
fn raw_doc(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// The Rust type for a type reference, seen from inside the service module
/// (`models` prefix when `qualify` is set).
pub fn rust_type(ty: &TypeRef, qualify: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Secret => quote!(crate::runtime::Secret),
        TypeRef::Integer { bits: 32 } => quote!(i32),
        TypeRef::Integer { .. } => quote!(i64),
        TypeRef::Number { bits: 32 } => quote!(f32),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Named(name) => {
            let name = ident(name);
            if qualify {
                quote!(models::#name)
            } else {
                quote!(#name)
            }
        }
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, qualify);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, qualify);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// Whether the type names a model (and so needs the `models` module in scope).
fn mentions_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentions_model(inner),
        _ => false,
    }
}

/// How a caller passes a value of this type: `impl Into<T>` everywhere, so
/// `&str` works for strings and secrets and arrays work for `Vec`s.
fn arg_type(ty: &TypeRef, qualify: bool) -> TokenStream {
    let t = rust_type(ty, qualify);
    quote!(impl Into<#t>)
}

// ----- models.rs ------------------------------------------------------------------

fn models_file(service: &Service) -> TokenStream {
    let models = service.models.iter().map(|m| match m {
        Model::Struct(s) => {
            let model = struct_model(s);
            let check = struct_check(s);
            quote!(#model #check)
        }
        Model::Enum(e) => {
            let model = enum_model(e);
            let check = enum_check(e);
            quote!(#model #check)
        }
    });
    let doc = format!(
        " Request and response types of {}, one per schema of `{}`.",
        sanitize(&service.title),
        service.source
    );
    quote! {
        #![doc = #doc]
        #(#models)*
    }
}

fn struct_model(model: &StructModel) -> TokenStream {
    let name = ident(&model.name);
    let doc = doc_attrs(model.doc.as_deref().unwrap_or(&model.name));
    let default = model.all_optional().then(|| quote!(Default,));
    let fields = model.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty, false);
        let ty = if f.optional() {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let mut doc = f.doc.clone().unwrap_or_default();
        if f.read_only {
            doc.push_str("\n\nSet by the server; ignored in requests.");
        }
        let doc = doc_attrs(&doc);
        let wire = &f.wire;
        let bare = f.name.trim_start_matches("r#");
        let rename = (bare != wire).then(|| quote!(#[serde(rename = #wire)]));
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
    if let Some(required_name) = &model.required_struct {
        return named_constructor(
            model,
            &required,
            required_name,
            quote! {
                #doc
                #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                }
            },
        );
    }
    let constructor = (!required.is_empty()).then(|| {
        let args = required.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = arg_type(&f.ty, false);
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
    let setters = optional_setters(model);
    quote! {
        #doc
        #[derive(Clone, Debug, #default PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

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
) -> TokenStream {
    let name = ident(&model.name);
    let req = ident(required_name);
    let req_doc = format!(
        " The required fields of [`{0}`], for [`{0}::new`]: named, so values of the same type cannot be swapped.",
        model.name
    );
    let req_fields = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty, false);
        let doc = doc_attrs(f.doc.as_deref().unwrap_or(&f.wire));
        quote! {
            #doc
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
    let setters = optional_setters(model);
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
            let setter = format_ident!("with_{}", f.name.trim_start_matches("r#"));
            let ty = arg_type(&f.ty, false);
            let doc = setter_doc(&f.name);
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

// ----- client-side validation ----------------------------------------------------

/// Whether a value of this type with these constraints has anything to check.
fn needs_check(ty: &TypeRef, constraints: &Constraints) -> bool {
    !constraints.is_empty() || mentions_model(ty)
}

/// A `Rules` value for the constraints (a constant expression, so `&` of it is
/// promoted to a static).
fn rules(c: &Constraints) -> TokenStream {
    if c.is_empty() {
        return quote!(crate::runtime::Rules::NONE);
    }
    let mut parts = Vec::new();
    let opt_u64 = |name: &str, v: Option<u64>| {
        v.map(|n| {
            let name = format_ident!("{name}");
            let n = proc_macro2::Literal::u64_unsuffixed(n);
            quote!(#name: Some(#n),)
        })
    };
    let bound = |name: &str, v: Option<(f64, bool)>| {
        v.map(|(n, exclusive)| {
            let name = format_ident!("{name}");
            let n = float(n);
            quote!(#name: Some((#n, #exclusive)),)
        })
    };
    parts.extend(opt_u64("min_length", c.min_length));
    parts.extend(opt_u64("max_length", c.max_length));
    parts.extend(c.pattern.as_ref().map(|p| {
        let atoms = match &c.pattern_atoms {
            Some(atoms) => {
                let atoms = atoms.iter().map(|a| {
                    let ranges = a.ranges.iter().map(|(lo, hi)| quote!((#lo, #hi)));
                    let min = proc_macro2::Literal::u32_unsuffixed(a.min);
                    let max = if a.max == u32::MAX {
                        quote!(u32::MAX)
                    } else {
                        proc_macro2::Literal::u32_unsuffixed(a.max).into_token_stream()
                    };
                    quote!(crate::runtime::Atom { ranges: &[#(#ranges),*], min: #min, max: #max })
                });
                quote!(Some(&[#(#atoms),*]))
            }
            None => quote!(None),
        };
        quote!(pattern: Some(&crate::runtime::Pattern { source: #p, atoms: #atoms }),)
    }));
    parts.extend(bound("minimum", c.minimum));
    parts.extend(bound("maximum", c.maximum));
    parts.extend(c.multiple_of.map(|m| {
        let m = float(m);
        quote!(multiple_of: Some(#m),)
    }));
    parts.extend(opt_u64("min_items", c.min_items));
    parts.extend(opt_u64("max_items", c.max_items));
    parts.extend(c.items.as_ref().map(|items| {
        let inner = rules(items);
        quote!(items: Some(&#inner),)
    }));
    quote!(crate::runtime::Rules { #(#parts)* ..crate::runtime::Rules::NONE })
}

/// A float literal that always has a decimal point (`10.0`, not `10`).
fn float(x: f64) -> proc_macro2::Literal {
    proc_macro2::Literal::f64_unsuffixed(x)
}

fn struct_check(model: &StructModel) -> TokenStream {
    let name = ident(&model.name);
    let checks: Vec<TokenStream> = model
        .fields
        .iter()
        .filter(|f| !f.read_only && needs_check(&f.ty, &f.constraints))
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            let rules = rules(&f.constraints);
            quote!(v.check(#wire, &self.#fname, &#rules);)
        })
        .collect();
    let v = if checks.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl crate::runtime::Check for #name {
            fn check(&self, #v: &mut crate::runtime::Validator, _rules: &crate::runtime::Rules) {
                #(#checks)*
            }
        }
    }
}

fn enum_check(model: &EnumModel) -> TokenStream {
    let name = ident(&model.name);
    let known: Vec<&str> = model.variants.iter().map(|v| v.wire.as_str()).collect();
    let message = format!("`{{}}` is not one of: {}", known.join(", "));
    quote! {
        impl crate::runtime::Check for #name {
            fn check(&self, v: &mut crate::runtime::Validator, _rules: &crate::runtime::Rules) {
                if let Self::Unknown(value) = self {
                    v.fail("enum", format!(#message, value.as_str()));
                }
            }
        }
    }
}

/// `Sets [`name`](Self::name).`; raw identifiers cannot be link targets, so
/// those are named without a link.
fn setter_doc(field: &str) -> String {
    match field.strip_prefix("r#") {
        Some(bare) => format!(" Sets `{bare}`."),
        None => format!(" Sets [`{field}`](Self::{field})."),
    }
}

fn enum_model(model: &EnumModel) -> TokenStream {
    let name = ident(&model.name);
    let mut doc = model.doc.clone().unwrap_or_else(|| model.name.clone());
    doc.push_str(
        "\n\nAn open enumeration: a value the server sends that this crate does not know yet \
         is kept in `Unknown`, not rejected.",
    );
    let doc = doc_attrs(&doc);
    let variants = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let vdoc = format!(" `{}`", v.wire);
        quote! {
            #[doc = #vdoc]
            #vname,
        }
    });
    let as_str = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(Self::#vname => #wire,)
    });
    let from_str = model.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let wire = &v.wire;
        quote!(#wire => Self::#vname,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as received.
            Unknown(crate::runtime::UnknownValue),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(crate::runtime::UnknownValue::new(other)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

// ----- client.rs --------------------------------------------------------------------

fn client_file(service: &Service) -> TokenStream {
    let endpoints = service
        .endpoints
        .iter()
        .map(|(region, url)| quote!((#region, #url),));
    let template = service.server_template.clone().unwrap_or_default();
    let module = &service.module;
    let env_key = service.module.to_ascii_uppercase();
    let title = &service.title;
    let client_doc = raw_doc(&[
        format!("Client for {title}."),
        String::new(),
        "Built once from a [`Config`](crate::runtime::Config); cheap to clone (it shares one"
            .to_owned(),
        "connection pool) and safe to use from many tasks at once. Each method returns a"
            .to_owned(),
        "request builder: set optional inputs on it, then `.await` it (or call `.send()`)."
            .to_owned(),
    ]);
    let methods = service.operations.iter().map(client_method);
    let uses_models = service.operations.iter().any(|op| {
        op.required_params().any(|p| mentions_model(&p.ty))
            || op
                .body
                .as_ref()
                .is_some_and(|b| b.required && mentions_model(&b.ty))
    });
    let uses = match (uses_models, service.operations.is_empty()) {
        (true, _) => quote!(
            use super::{models, operations};
        ),
        (false, false) => quote!(
            use super::operations;
        ),
        (false, true) => quote!(),
    };
    quote! {
        #![doc = " The service client."]

        #uses

        /// Where this service is reached, region by region.
        pub(crate) static SERVICE: crate::runtime::ServiceInfo = crate::runtime::ServiceInfo {
            name: #module,
            env_key: #env_key,
            endpoint_template: #template,
            endpoints: &[#(#endpoints)*],
        };

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(super) inner: crate::runtime::ServiceClient,
        }

        impl Client {
            /// Creates a client for this service from a shared configuration.
            ///
            /// # Errors
            /// [`Error::Config`](crate::runtime::Error::Config) when the configuration names no
            /// endpoint and no known region for this service.
            pub fn new(config: &crate::runtime::Config) -> Result<Self, crate::runtime::Error> {
                Ok(Self {
                    inner: crate::runtime::ServiceClient::new(config, &SERVICE)?,
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
            pub fn raw(&self, method: crate::runtime::Method, path: impl Into<String>) -> crate::runtime::RawCall {
                crate::runtime::RawCall::new(self.inner.clone(), method, path)
            }

            #(#methods)*
        }
    }
}

fn operation_docs(op: &Operation) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    let line = format!("`{} {}`", op.http_method, op.path);
    lines.push(line);
    let prose = doc_paragraphs(&[op.summary.clone(), op.description.clone()]);
    let mut tail: Vec<String> = Vec::new();
    if !op.client_params.is_empty() {
        let filled: Vec<String> = op
            .client_params
            .iter()
            .map(|(placeholder, key)| {
                format!("`{{{placeholder}}}` comes from the client's `{key}` setting.")
            })
            .collect();
        tail.push(String::new());
        tail.extend(filled);
    }
    let optional: Vec<&Param> = op.optional_params().collect();
    if !optional.is_empty() {
        tail.push(String::new());
        let names: Vec<String> = optional
            .iter()
            .map(|p| {
                format!(
                    "[`{0}`](operations::{1}::{0})",
                    p.name.trim_start_matches("r#"),
                    op.builder_name
                )
            })
            .collect();
        tail.push(format!(
            "Optional inputs are set on the returned builder: {}.",
            names.join(", ")
        ));
    }
    tail.push(String::new());
    tail.push(format!("Succeeds with HTTP {}.", op.success.0));
    if !op.errors.is_empty() {
        tail.push(String::new());
        tail.push("# Errors".to_owned());
        tail.push(String::new());
        tail.push("[`Error::Api`](crate::runtime::Error::Api) carries the status, request id, `error_code` and `error_msg` of".to_owned());
        tail.push("an error reply; the spec documents:".to_owned());
        tail.push(String::new());
        for (status, description) in &op.errors {
            tail.push(format!("- {status}: {}", sanitize(description.trim())));
        }
    }
    if let Some(example) = &op.request_example {
        tail.push(String::new());
        tail.push("# Example request body".to_owned());
        tail.push(String::new());
        tail.push("```json".to_owned());
        tail.extend(example.lines().map(str::to_owned));
        tail.push("```".to_owned());
    }
    let head = raw_doc(&lines);
    let tail = raw_doc(&tail);
    quote! {
        #head
        ///
        #prose
        #tail
    }
}

fn client_method(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let docs = operation_docs(op);
    let mut args = Vec::new();
    let mut pass = Vec::new();
    for p in op.required_params() {
        let name = ident(&p.name);
        let ty = arg_type(&p.ty, true);
        args.push(quote!(#name: #ty));
        pass.push(quote!(#name.into()));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = rust_type(&body.ty, true);
        args.push(quote!(body: #ty));
        pass.push(quote!(body));
    }
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> operations::#builder {
            operations::#builder::new(self.clone(), #(#pass),*)
        }
    }
}

// ----- operations.rs ------------------------------------------------------------------

fn operations_file(service: &Service) -> TokenStream {
    let builders = service.operations.iter().map(operation_builder);
    let uses_models = service.operations.iter().any(|op| {
        op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || op.success.1.as_ref().is_some_and(mentions_model)
    });
    let uses = uses_models.then(|| {
        quote!(
            use super::models;
        )
    });
    quote! {
        #![doc = " Request builders, one per operation, returned by the [`Client`](super::Client) methods."]
        #![doc = ""]
        #![doc = " Set optional inputs with the builder's methods, then `.await` the builder (or call"]
        #![doc = " `.send().await`)."]

        #uses

        #(#builders)*
    }
}

fn operation_builder(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let method = &op.method_name;
    let doc = format!(
        " Request builder for [`Client::{0}`](super::Client::{0}): `{1} {2}`.",
        method.trim_start_matches("r#"),
        op.http_method,
        op.path
    );
    let output = match &op.success.1 {
        Some(ty) => rust_type(ty, true),
        None => quote!(()),
    };
    let info_name = format_ident!("{}", op.method_name.trim_start_matches("r#").to_uppercase());
    let id = &op.id;
    let http = format_ident!("{}", capitalize(&op.http_method));
    let path = &op.path;
    let status = proc_macro2::Literal::u16_unsuffixed(op.success.0);
    let client_params = op.client_params.iter().map(|(p, k)| quote!((#p, #k),));

    let mut fields = vec![quote!(client: super::Client,)];
    let mut new_args = vec![quote!(client: super::Client)];
    let mut inits = vec![quote!(client)];
    for p in &op.params {
        let name = ident(&p.name);
        let ty = rust_type(&p.ty, true);
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
        let ty = rust_type(&body.ty, true);
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
        let ty = arg_type(&p.ty, true);
        let doc = doc_attrs(p.doc.as_deref().unwrap_or(&p.wire));
        let wire = format!(" Sent as the `{}` {}.", p.wire, location_word(p.location));
        quote! {
            #doc
            ///
            #[doc = #wire]
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let ty = arg_type(&b.ty, true);
        let doc = doc_attrs(b.doc.as_deref().unwrap_or("The request body."));
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
            TypeRef::Secret => quote!(#v.expose().to_owned()),
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
    // Parameter rules are named constants beside the operation, so `send` reads
    // as a list of checks.
    let mut rule_consts = Vec::new();
    let mut checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| needs_check(&p.ty, &p.constraints))
        .map(|p| {
            let name = ident(&p.name);
            let wire = &p.wire;
            if p.constraints.is_empty() {
                return quote!(v.check(#wire, &self.#name, &crate::runtime::Rules::NONE););
            }
            let const_name = format_ident!(
                "{}_{}_RULES",
                info_name,
                p.name.trim_start_matches("r#").to_uppercase()
            );
            let rules = rules(&p.constraints);
            let doc = format!(" Constraints on `{wire}` of `{}`.", op.id);
            rule_consts.push(quote! {
                #[doc = #doc]
                const #const_name: crate::runtime::Rules = #rules;
            });
            quote!(v.check(#wire, &self.#name, &#const_name);)
        })
        .collect();
    if op.body.as_ref().is_some_and(|b| mentions_model(&b.ty)) {
        checks.push(quote!(v.check("body", &self.body, &crate::runtime::Rules::NONE);));
    }
    let validate = (!checks.is_empty()).then(|| {
        quote! {
            if self.client.inner.validates() {
                let mut v = crate::runtime::Validator::new(#info_name.id);
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
        const #info_name: crate::runtime::OperationInfo = crate::runtime::OperationInfo {
            id: #id,
            method: crate::runtime::Method::#http,
            path: #path,
            client_params: &[#(#client_params)*],
            success_status: #status,
        };

        #(#rule_consts)*

        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            #(#fields)*
        }

        impl #builder {
            pub(super) fn new(#(#new_args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
            #body_setter

            #[doc = #send_doc]
            ///
            /// # Errors
            /// Any [`Error`](crate::runtime::Error): an error reply from the service, a
            /// transport failure or timeout, or a reply that does not decode.
            pub async fn send(self) -> Result<#output, crate::runtime::Error> {
                #validate
                let mut request = crate::runtime::Request::new(&#info_name);
                #(#puts)*
                #body
                #send
            }
        }

        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, crate::runtime::Error>;
            type IntoFuture = crate::runtime::BoxFuture<Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    }
}

fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path segment",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
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

// ----- mod.rs -------------------------------------------------------------------------

fn module_file(service: &Service) -> TokenStream {
    let mut lines = vec![format!("# {}", sanitize(&service.title)), String::new()];
    if let Some(d) = &service.description {
        lines.extend(doc_lines(d).into_iter().map(|l| l.trim_start().to_owned()));
        lines.push(String::new());
    }
    lines.push(format!(
        "API version `{}`, generated from `{}`.",
        service.version, service.source
    ));
    lines.push(String::new());
    lines.push("| Method | HTTP | Summary |".to_owned());
    lines.push("|---|---|---|".to_owned());
    for op in &service.operations {
        lines.push(format!(
            "| [`{0}`](crate::services::{4}::Client::{0}) | `{1} {2}` | {3} |",
            op.method_name.trim_start_matches("r#"),
            op.http_method,
            op.path,
            sanitize(op.summary.as_deref().unwrap_or("")).replace('|', "\\|"),
            service.module
        ));
    }
    let lines = lines
        .into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") });
    quote! {
        #(#![doc = #lines])*

        mod client;
        pub mod models;
        pub mod operations;

        pub use client::Client;
    }
}

// ----- examples/<operation>.rs ------------------------------------------------------------

/// A runnable example for one operation: path and other required parameters as
/// positional arguments, the JSON body on stdin, configuration from the
/// environment; prints the reply as JSON, or the error on stderr with exit code 1.
pub fn example(service: &Service, op: &Operation, example_name: &str) -> TokenStream {
    let module = ident(&service.module);
    let method = ident(&op.method_name);
    let required: Vec<&Param> = op.required_params().collect();
    let mut usage = format!("usage: cargo run --example {example_name} --");
    for p in &required {
        usage.push_str(&format!(" <{}>", p.wire));
    }
    let body = op.body.as_ref().filter(|b| b.required);
    if body.is_some() {
        usage.push_str(" < body.json");
    }
    let mut doc = vec![
        format!("`{} {}`: {}", op.http_method, op.path, op.summary.clone().unwrap_or_default()),
        String::new(),
        format!("```text\n{usage}\n```"),
        String::new(),
        "Configuration comes from the environment: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`".to_owned(),
        "(and `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary credentials) or the profile file".to_owned(),
        "`~/.huaweicloud/credentials`; `HUAWEICLOUD_SDK_PROJECT_ID`; `HUAWEICLOUD_SDK_REGION`; and an".to_owned(),
        format!(
            "endpoint override in `HUAWEICLOUD_SDK_REGION_{}_<REGION>` or `HUAWEICLOUD_SDK_ENDPOINT`.",
            service.module.to_ascii_uppercase()
        ),
        "The reply is printed as JSON; an error goes to stderr (with the request id) and the exit code is 1.".to_owned(),
    ];
    if let Some(example) = &op.request_example {
        doc.push(String::new());
        doc.push("Example body (from the spec):".to_owned());
        doc.push(String::new());
        doc.push("```json".to_owned());
        doc.extend(example.lines().map(str::to_owned));
        doc.push("```".to_owned());
    }
    let doc = doc.join("\n");
    let doc_lines = doc.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });

    let args = required.iter().map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        match &p.ty {
            // The client method takes `impl Into<T>`: strings, enums and secrets
            // all convert from the `String` argument.
            TypeRef::String | TypeRef::Named(_) | TypeRef::Secret => quote! {
                let #name = next(#wire)?;
            },
            TypeRef::Array(_) => quote! {
                let #name = next(#wire)?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("<{}>: {e}", #wire))?;
            },
            _ => quote! {
                let #name = next(#wire)?.parse().map_err(|e| format!("<{}>: {e}", #wire))?;
            },
        }
    });
    let usage_const = (!required.is_empty()).then(|| quote!(const USAGE: &str = #usage;));
    let next = (!required.is_empty()).then(|| {
        quote! {
            let mut args = std::env::args().skip(1);
            let mut next = |name: &str| args.next().ok_or(format!("missing <{name}>\n{USAGE}"));
        }
    });
    let pass = required.iter().map(|p| {
        let name = ident(&p.name);
        quote!(#name)
    });
    let (read_body, pass_body) = match body {
        Some(b) => {
            let ty = rust_type(&b.ty, true);
            let type_name = match &b.ty {
                TypeRef::Named(n) => n.clone(),
                _ => "JSON value".to_owned(),
            };
            let bad = format!("the request body on stdin is not a valid {type_name}: {{e}}");
            (
                quote! {
                    let mut input = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
                        .map_err(|e| format!("cannot read the request body from stdin: {e}"))?;
                    let body: #ty = serde_json::from_str(&input).map_err(|e| format!(#bad))?;
                },
                quote!(, body),
            )
        }
        None => (quote!(), quote!()),
    };
    let print = if op.success.1.is_some() {
        quote! {
            let json = serde_json::to_string_pretty(&reply).map_err(|e| e.to_string())?;
            println!("{json}");
        }
    } else {
        quote! {
            let () = reply;
            println!("null");
        }
    };
    let uses_models = body.is_some_and(|b| mentions_model(&b.ty));
    let uses = if uses_models {
        quote!(use huaweicloud_sdk::#module::{models, Client};)
    } else {
        quote!(use huaweicloud_sdk::#module::Client;)
    };
    quote! {
        #(#![doc = #doc_lines])*

        #uses
        use huaweicloud_sdk::runtime::Config;

        #usage_const

        #[tokio::main]
        async fn main() -> std::process::ExitCode {
            match run().await {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    std::process::ExitCode::FAILURE
                }
            }
        }

        async fn run() -> Result<(), String> {
            #next
            #(#args)*
            #read_body
            let config = Config::from_env().map_err(|e| e.to_string())?;
            let client = Client::new(&config).map_err(|e| e.to_string())?;
            let reply = client.#method(#(#pass),* #pass_body).await.map_err(|e| e.to_string())?;
            #print
            Ok(())
        }
    }
}
