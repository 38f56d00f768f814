//! `src/mock.rs` (cargo feature `mock`): typed answers for testing code that
//! calls the client, without a network.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::raw_inner_doc;
use super::operations::reply_type;
use super::{bare, ident};
use crate::ir::{Model, Operation, Output, Reply, ReplyKind, Service, TypeRef};

/// The status a reply is answered with (`default` and ranges as 200).
fn status_of(reply: &Reply) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(if reply.status == 0 { 200 } else { reply.status })
}

/// The type a test answers with, and how it becomes a reply.
fn answer(op: &Operation) -> (TokenStream, TokenStream) {
    let one = |r: &Reply, value: TokenStream| -> TokenStream {
        let status = status_of(r);
        match &r.kind {
            ReplyKind::Empty => quote!(rt::MockReply::empty(#status)),
            ReplyKind::Json(_) => quote!(rt::MockReply::json(#status, &#value)),
            ReplyKind::Text => quote!(rt::MockReply::bytes(#status, "text/plain", #value)),
            ReplyKind::Binary => {
                quote!(rt::MockReply::bytes(#status, "application/octet-stream", #value))
            }
        }
    };
    match &op.output {
        Output::Single(r) => {
            let ty = match &r.kind {
                // A download cannot be built by a test: it answers with the bytes.
                ReplyKind::Binary => quote!(crate::Bytes),
                kind => reply_type(kind),
            };
            let reply = one(r, quote!(value));
            let bind = if r.kind == ReplyKind::Empty {
                quote!(())
            } else {
                quote!(value)
            };
            (ty, quote!(Ok(#bind) => #reply,))
        }
        Output::ByStatus { name, replies } => {
            let name = ident(name);
            let arms = replies.iter().map(|r| {
                let variant = ident(&r.variant);
                match &r.kind {
                    ReplyKind::Empty => {
                        let reply = one(r, quote!());
                        quote!(Ok(operations::#name::#variant) => #reply,)
                    }
                    // A download in an answer is read back into bytes by the caller;
                    // here it has none to give.
                    ReplyKind::Binary => {
                        let status = status_of(r);
                        quote!(Ok(operations::#name::#variant(_)) => rt::MockReply::empty(#status),)
                    }
                    _ => {
                        let reply = one(r, quote!(value));
                        quote!(Ok(operations::#name::#variant(value)) => #reply,)
                    }
                }
            });
            (
                quote!(operations::#name),
                quote! {
                    #(#arms)*
                    Ok(operations::#name::Other(status)) => rt::MockReply::empty(status),
                },
            )
        }
    }
}

fn method(op: &Operation) -> TokenStream {
    let name = format_ident!("on_{}", bare(&op.method_name));
    let id = &op.id;
    let (ty, arms) = answer(op);
    let doc = format!(
        " Answers [`Client::{0}`](crate::Client::{0}) with what `answer` returns for each call: \
         `Ok` is sent as the success reply, `Err` as it is (an error reply, a delay-free \
         throttle, anything). Replaces an earlier answer.",
        bare(&op.method_name)
    );
    quote! {
        #[doc = #doc]
        pub fn #name(
            &self,
            answer: impl Fn(&MockCall) -> Result<#ty, MockReply> + Send + Sync + 'static,
        ) -> &Self {
            self.inner.on(#id, move |call| match answer(call) {
                #arms
                Err(reply) => reply,
            });
            self
        }
    }
}

pub fn mock_file(service: &Service) -> TokenStream {
    let crate_name = service.crate_name.replace('-', "_");
    let mut lines = vec![
        "Typed answers for testing code that calls [`Client`](crate::Client), without a network (cargo feature `mock`).".to_owned(),
        String::new(),
        "A [`Mock`] stands in for the service: each `on_<operation>` method sets what an operation answers, typed as the operation's reply; calls are recorded. Everything between the client and the transport runs as in production (validation, serialization, signing, retries, decoding), so the code under test sees real results and errors.".to_owned(),
    ];
    // The example answers an operation whose reply model can be built with
    // `Default` and is called without arguments.
    let shown = service.operations.iter().find_map(|op| {
        let Output::Single(Reply {
            kind: ReplyKind::Json(TypeRef::Named(model)),
            ..
        }) = &op.output
        else {
            return None;
        };
        let defaults = service
            .models
            .iter()
            .any(|m| matches!(m, Model::Struct(s) if &s.name == model && s.all_optional()));
        // Arguments the spec gives examples of (so they pass validation).
        let callable = op
            .required_params()
            .all(|p| p.ty == TypeRef::String && p.example.as_ref().is_some_and(|e| e.is_string()))
            && op.body.as_ref().is_none_or(|b| !b.required);
        (defaults && callable).then_some((op, model))
    });
    if let Some((op, model)) = shown {
        let method = bare(&op.method_name);
        let args: Vec<String> = op
            .required_params()
            .map(super::client::example_arg)
            .collect();
        let call = format!("client.{method}({})", args.join(", "));
        lines.extend([
            String::new(),
            "```".to_owned(),
            "# #[tokio::main(flavor = \"current_thread\")]".to_owned(),
            format!("# async fn main() -> Result<(), {crate_name}::Error> {{"),
            format!("use {crate_name}::mock::{{Mock, MockReply}};"),
            format!("use {crate_name}::models::{model};"),
            String::new(),
            "let mock = Mock::new();".to_owned(),
            format!("mock.on_{method}(|_call| Ok({model}::default()));"),
            "let client = mock.client()?;".to_owned(),
            String::new(),
            format!("let reply = {call}.await?;"),
            format!("assert_eq!(reply, {model}::default());"),
            format!("assert_eq!(mock.calls_of(\"{}\").len(), 1);", op.id),
            String::new(),
            "// An error reply, as the service would send it:".to_owned(),
            format!(
                "mock.on_{method}(|_call| Err(MockReply::error(403, \"APIGW.0301\", \"denied\")));"
            ),
            format!("assert!({call}.await.is_err());"),
            "# Ok(())".to_owned(),
            "# }".to_owned(),
            "```".to_owned(),
        ]);
    }
    let doc = raw_inner_doc(&lines);
    let methods = service.operations.iter().map(method);
    let uses_operations = service
        .operations
        .iter()
        .any(|op| matches!(op.output, Output::ByStatus { .. }));
    let uses_models = service.operations.iter().any(|op| {
        super::operations::replies(&op.output)
            .iter()
            .any(|r| matches!(&r.kind, ReplyKind::Json(t) if super::types::mentions_model(t)))
    });
    let mut uses = Vec::new();
    if uses_models {
        uses.push(quote!(
            use crate::models;
        ));
    }
    if uses_operations {
        uses.push(quote!(
            use crate::operations;
        ));
    }
    quote! {
        #doc

        use huaweicloud_sdk_core::mock as rt;
        #(#uses)*

        pub use huaweicloud_sdk_core::mock::{MockCall, MockReply};

        /// A stand-in for the service: typed answers per operation and a record of
        /// the calls. Cheap to clone; clones share both.
        #[derive(Clone, Debug, Default)]
        pub struct Mock {
            inner: rt::Mock,
        }

        impl Mock {
            /// A mock with no answers: every call gets a 501 error reply naming the
            /// operation.
            pub fn new() -> Self {
                Self::default()
            }

            /// A configuration whose clients talk to this mock (test credentials and
            /// project id; change anything with its `with_*` methods).
            pub fn config(&self) -> crate::Config {
                self.inner.config()
            }

            /// A client that talks to this mock.
            ///
            /// # Errors
            /// As for [`Client::new`](crate::Client::new).
            pub fn client(&self) -> Result<crate::Client, crate::Error> {
                crate::Client::new(&self.config())
            }

            /// The calls made so far, in order.
            pub fn calls(&self) -> Vec<MockCall> {
                self.inner.calls()
            }

            /// The calls of one operation (by its `operationId`).
            pub fn calls_of(&self, operation: &str) -> Vec<MockCall> {
                self.inner.calls_of(operation)
            }

            /// Answers an operation (by its `operationId`) with any reply, untyped.
            pub fn on(
                &self,
                operation: &'static str,
                answer: impl Fn(&MockCall) -> MockReply + Send + Sync + 'static,
            ) -> &Self {
                self.inner.on(operation, answer);
                self
            }

            #(#methods)*
        }
    }
}
