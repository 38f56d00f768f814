//! `examples/<operation>.rs`: a runnable example per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::raw_inner_doc;
use super::ident;
use super::types::{Scope, mentions_model, rust_type, type_label};
use crate::ir::{BodyKind, Model, Operation, Output, Param, ReplyKind, Service, TypeRef};

/// A runnable example for one operation: path and other required parameters as
/// positional arguments, the JSON body on stdin, configuration from the
/// environment; prints the reply as JSON, or the error on stderr with exit code 1.
pub fn example(service: &Service, op: &Operation, example_name: &str) -> TokenStream {
    let lib = ident(&service.lib_name);
    let method = ident(&op.method_name);
    let required: Vec<&Param> = op.required_params().collect();
    let mut usage = format!(
        "usage: cargo run -p {} --example {example_name} --",
        service.crate_name
    );
    for p in &required {
        usage.push_str(&format!(" <{}>", p.wire));
    }
    let body = op.body.as_ref().filter(|b| b.required);
    if body.is_some() {
        usage.push_str(" < body.json");
    }
    let mut doc = vec![
        format!(
            "`{} {}`: {}",
            op.http_method,
            op.path,
            op.summary.clone().unwrap_or_default()
        ),
        String::new(),
        "```text".to_owned(),
        usage.clone(),
        "```".to_owned(),
        String::new(),
        "Configuration comes from the environment: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`"
            .to_owned(),
        "(and `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary credentials) or the profile file"
            .to_owned(),
        "`~/.huaweicloud/credentials`; `HUAWEICLOUD_SDK_PROJECT_ID`; `HUAWEICLOUD_SDK_REGION`; and an"
            .to_owned(),
        format!(
            "endpoint override in `HUAWEICLOUD_SDK_REGION_{}_<REGION>` or `HUAWEICLOUD_SDK_ENDPOINT`.",
            service.env_key
        ),
        "The reply is printed as JSON; an error goes to stderr (with the request id) and the exit code is 1."
            .to_owned(),
    ];
    if let Some(example) = &op.request_example {
        doc.push(String::new());
        doc.push("Example body (from the spec):".to_owned());
        doc.push(String::new());
        doc.push("```json".to_owned());
        doc.extend(example.lines().map(str::to_owned));
        doc.push("```".to_owned());
    }
    let doc = raw_inner_doc(&doc);

    let is_enum = |ty: &TypeRef| {
        matches!(ty, TypeRef::Named(n) if service
            .models
            .iter()
            .any(|m| matches!(m, Model::Enum(e) if &e.name == n)))
    };
    // Objects and unions (and lists of them) are given as JSON text.
    let json_argument = |ty: &TypeRef| match ty {
        TypeRef::Named(_) => !is_enum(ty),
        TypeRef::Array(inner) => {
            matches!(**inner, TypeRef::Named(_)) && !is_enum(inner)
                || matches!(**inner, TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any)
        }
        TypeRef::Map(_) | TypeRef::Any => true,
        _ => false,
    };
    let args = required.iter().map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        match &p.ty {
            ty if json_argument(ty) => {
                let ty = rust_type(ty, Scope::Crate);
                quote! {
                    let #name = serde_json::from_str::<#ty>(&next(#wire)?)
                        .map_err(|e| format!("<{}> is not valid JSON of its type: {e}", #wire))?;
                }
            }
            // The client method takes `impl Into<T>`: strings, enums and secrets
            // all convert from the `String` argument.
            TypeRef::String | TypeRef::Named(_) | TypeRef::Secret => quote! {
                let #name = next(#wire)?;
            },
            // The item type is named: the method takes `impl Into<Vec<T>>`, which
            // leaves nothing to infer the parsed type from.
            TypeRef::Array(inner) if **inner == TypeRef::String => quote! {
                let #name = next(#wire)?
                    .split(',')
                    .map(str::to_owned)
                    .collect::<Vec<_>>();
            },
            TypeRef::Array(inner) if matches!(**inner, TypeRef::Named(_) | TypeRef::Secret) => {
                let item = match &**inner {
                    TypeRef::Secret => quote!(#lib::Secret),
                    other => rust_type(other, Scope::Crate),
                };
                quote! {
                    let #name = next(#wire)?
                        .split(',')
                        .map(|item| #item::from(item.to_owned()))
                        .collect::<Vec<_>>();
                }
            }
            TypeRef::Array(inner) => {
                let item = rust_type(inner, Scope::Crate);
                quote! {
                    let #name = next(#wire)?
                        .split(',')
                        .map(str::parse::<#item>)
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| format!("<{}>: {e}", #wire))?;
                }
            }
            ty => {
                let ty = rust_type(ty, Scope::Crate);
                quote! {
                    let #name = next(#wire)?
                        .parse::<#ty>()
                        .map_err(|e| format!("<{}>: {e}", #wire))?;
                }
            }
        }
    });
    let usage_const = (!required.is_empty()).then(|| quote!(const USAGE: &str = #usage;));
    let next = (!required.is_empty()).then(|| {
        quote! {
            let mut args = std::env::args().skip(1);
            let mut next = |name: &str| args.next().ok_or(format!("missing <{name}>\n{USAGE}"));
        }
    });
    let mut pass: Vec<TokenStream> = required
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            quote!(#name)
        })
        .collect();
    let read_body = match body {
        Some(b) if matches!(b.kind, BodyKind::Binary | BodyKind::Text) => {
            pass.push(quote!(body));
            let convert = if b.kind == BodyKind::Binary {
                quote!(let body = input;)
            } else {
                quote! {
                    let body = String::from_utf8(input)
                        .map_err(|e| format!("the request body on stdin is not UTF-8 text: {e}"))?;
                }
            };
            quote! {
                let mut input = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut input)
                    .map_err(|e| format!("cannot read the request body from stdin: {e}"))?;
                #convert
            }
        }
        Some(b) => {
            let ty = rust_type(&b.ty, Scope::Crate);
            let bad = format!(
                "the request body on stdin is not a valid {}: {{e}}",
                type_label(&b.ty)
            );
            pass.push(quote!(body));
            quote! {
                let mut input = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut input)
                    .map_err(|e| format!("cannot read the request body from stdin: {e}"))?;
                let body: #ty = serde_json::from_str(&input).map_err(|e| format!(#bad))?;
            }
        }
        None => quote!(),
    };
    // Many required inputs go in the operation's required struct, by name.
    if let Some(name) = &op.required_struct {
        let name = ident(name);
        let mut inits: Vec<TokenStream> = required
            .iter()
            .map(|p| {
                let field = ident(&p.name);
                // Enums and secrets are given as strings.
                if is_enum(&p.ty) || p.ty == TypeRef::Secret {
                    quote!(#field: #field.into())
                } else {
                    quote!(#field)
                }
            })
            .collect();
        match body {
            Some(b) if b.kind == BodyKind::Binary => inits.push(quote!(body: body.into())),
            Some(_) => inits.push(quote!(body)),
            None => {}
        }
        pass = vec![quote!(#lib::operations::#name { #(#inits),* })];
    }
    let print = match &op.output {
        Output::Single(r) => match &r.kind {
            ReplyKind::Empty => quote! {
                println!("null");
            },
            ReplyKind::Json(_) => quote! {
                let json = serde_json::to_string_pretty(&reply).map_err(|e| e.to_string())?;
                println!("{json}");
            },
            ReplyKind::Text => quote! {
                println!("{reply}");
            },
            // Piece by piece: a download may be larger than memory.
            ReplyKind::Binary => quote! {
                let mut reply = reply;
                let mut stdout = std::io::stdout().lock();
                while let Some(piece) = reply.chunk().await.map_err(|e| e.to_string())? {
                    std::io::Write::write_all(&mut stdout, &piece)
                        .map_err(|e| format!("cannot write the reply to stdout: {e}"))?;
                }
            },
        },
        Output::ByStatus { .. } => quote! {
            println!("{reply:?}");
        },
    };
    let empty = matches!(&op.output, Output::Single(r) if r.kind == ReplyKind::Empty);
    let call = if empty {
        quote!(client.#method(#(#pass),*).await.map_err(|e| e.to_string())?;)
    } else {
        quote!(let reply = client.#method(#(#pass),*).await.map_err(|e| e.to_string())?;)
    };
    let named_items = required.iter().any(|p| match &p.ty {
        TypeRef::Named(_) => json_argument(&p.ty),
        other => mentions_model(other),
    });
    let uses = if named_items || body.is_some_and(|b| mentions_model(&b.ty)) {
        quote!(use #lib::{models, Client, Config};)
    } else {
        quote!(use #lib::{Client, Config};)
    };
    let deprecated = op.deprecated.then(|| {
        quote!(#[allow(deprecated, reason = "the spec marks this operation deprecated; the example still shows how to call it")])
    });
    quote! {
        #doc

        #uses

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

        #deprecated
        async fn run() -> Result<(), String> {
            #next
            #(#args)*
            #read_body
            let config = Config::from_env().map_err(|e| e.to_string())?;
            let client = Client::new(&config).map_err(|e| e.to_string())?;
            #call
            #print
            Ok(())
        }
    }
}
