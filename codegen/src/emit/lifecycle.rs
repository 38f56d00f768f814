//! Paging and waiting: `pages()` / `items()` on the builders of paged lists,
//! `wait_<operation>` on the client and `send_and_wait` on the builders of
//! operations that start asynchronous work.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{Scope, rust_type};
use super::{bare, ident};
use crate::ir::{
    ArgSource, FieldPath, NextMarker, Operation, Output, PageBy, Pagination, ReplyKind, Service,
    TypeRef, WaitPoller, Waiter, Wrapping,
};

/// A `u64` offset or limit as the parameter's type.
fn from_u64(value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.to_string()),
        TypeRef::Integer { .. } => {
            let t = rust_type(ty, Scope::Crate);
            quote!(#t::try_from(#value).unwrap_or(#t::MAX))
        }
        _ => quote!(#value),
    }
}

/// A field reached from a page: a place expression of the field's type, or an
/// `Option` of a reference to it (a field on the way may be absent).
enum Access {
    Place(TokenStream),
    Maybe(TokenStream),
}

/// Reads the fields of `path` from `from`.
fn read_path(from: Access, path: &FieldPath) -> Access {
    path.iter().fold(from, |from, (name, wrapping)| {
        let f = ident(name);
        match (from, wrapping) {
            (Access::Place(e), Wrapping::Plain) => Access::Place(quote!(#e.#f)),
            (Access::Place(e), Wrapping::Option) => Access::Maybe(quote!(#e.#f.as_ref())),
            (Access::Place(e), Wrapping::DoubleOption) => {
                Access::Maybe(quote!(#e.#f.as_ref().and_then(Option::as_ref)))
            }
            (Access::Maybe(e), Wrapping::Plain) => Access::Maybe(quote!(#e.map(|v| &v.#f))),
            (Access::Maybe(e), Wrapping::Option) => {
                Access::Maybe(quote!(#e.and_then(|v| v.#f.as_ref())))
            }
            (Access::Maybe(e), Wrapping::DoubleOption) => {
                Access::Maybe(quote!(#e.and_then(|v| v.#f.as_ref().and_then(Option::as_ref))))
            }
        }
    })
}

/// Takes the list at `path` out of `page` (a `&mut` of the reply).
fn take_path(path: &FieldPath) -> TokenStream {
    let Some(((last, wrapping), parents)) = path.split_last() else {
        return quote!(Vec::new());
    };
    let parent = parents
        .iter()
        .fold(Access::Place(quote!(page)), |from, (name, wrapping)| {
            let f = ident(name);
            match (from, wrapping) {
                (Access::Place(e), Wrapping::Plain) => Access::Place(quote!(#e.#f)),
                (Access::Place(e), Wrapping::Option) => Access::Maybe(quote!(#e.#f.as_mut())),
                (Access::Place(e), Wrapping::DoubleOption) => {
                    Access::Maybe(quote!(#e.#f.as_mut().and_then(Option::as_mut)))
                }
                (Access::Maybe(e), Wrapping::Plain) => Access::Maybe(quote!(#e.map(|v| &mut v.#f))),
                (Access::Maybe(e), Wrapping::Option) => {
                    Access::Maybe(quote!(#e.and_then(|v| v.#f.as_mut())))
                }
                (Access::Maybe(e), Wrapping::DoubleOption) => {
                    Access::Maybe(quote!(#e.and_then(|v| v.#f.as_mut().and_then(Option::as_mut))))
                }
            }
        });
    let f = ident(last);
    match (parent, wrapping) {
        (Access::Place(e), Wrapping::Plain) => quote!(std::mem::take(&mut #e.#f)),
        (Access::Place(e), Wrapping::Option) => quote!(#e.#f.take().unwrap_or_default()),
        (Access::Place(e), Wrapping::DoubleOption) => {
            quote!(#e.#f.take().flatten().unwrap_or_default())
        }
        (Access::Maybe(e), Wrapping::Plain) => {
            quote!(#e.map(|v| std::mem::take(&mut v.#f)).unwrap_or_default())
        }
        (Access::Maybe(e), Wrapping::Option) => {
            quote!(#e.and_then(|v| v.#f.take()).unwrap_or_default())
        }
        (Access::Maybe(e), Wrapping::DoubleOption) => {
            quote!(#e.and_then(|v| v.#f.take().flatten()).unwrap_or_default())
        }
    }
}

/// The marker a field holds (`Option<String>`).
fn cursor_of(field: Access) -> TokenStream {
    match field {
        Access::Place(e) => quote!(rt::Cursor::cursor(&#e)),
        Access::Maybe(e) => quote!(#e.and_then(rt::Cursor::cursor)),
    }
}

/// A field path as the docs name it (`page_info.next_marker`).
fn shown_path(path: &FieldPath) -> String {
    path.iter()
        .map(|(name, _)| bare(name))
        .collect::<Vec<_>>()
        .join(".")
}

/// `pages()` and `items()` for a paged list's builder.
pub fn pagination_methods(op: &Operation, p: &Pagination) -> TokenStream {
    let reply = ident(&p.reply);
    let item = rust_type(&p.items.1, Scope::Crate);
    let read = |field: &proc_macro2::Ident, required: bool| {
        if required {
            quote!(rt::Count::count(&self.#field))
        } else {
            quote!(self.#field.as_ref().and_then(rt::Count::count))
        }
    };
    let set = |field: &proc_macro2::Ident, required: bool, value: TokenStream| {
        if required {
            quote!(page.#field = #value;)
        } else {
            quote!(page.#field = Some(#value);)
        }
    };
    let (read_limit, set_limit) = match &p.limit {
        Some((name, ty, required)) => {
            let field = ident(name);
            (
                read(&field, *required),
                set(&field, *required, from_u64(quote!(limit), ty)),
            )
        }
        None => (quote!(None), quote!()),
    };
    let items = read_path(Access::Place(quote!(page)), &p.items.0);
    let len = match &items {
        Access::Place(e) => quote!(|page: &models::#reply| #e.len()),
        Access::Maybe(e) => quote!(|page: &models::#reply| #e.map_or(0, Vec::len)),
    };
    let take = take_path(&p.items.0);
    let take = quote!(|page: &mut models::#reply| #take);
    let items_shown = shown_path(&p.items.0);
    let limit_shown = p.limit.as_ref().map(|(name, ..)| bare(name));
    let pages = match &p.by {
        PageBy::Offset {
            offset: (offset_name, offset_ty, offset_required),
            total,
            start,
            counts_items,
        } => {
            let id = &op.id;
            let start_lit = proc_macro2::Literal::u64_unsuffixed(*start);
            let limit = proc_macro2::Literal::u64_unsuffixed(p.page_size);
            let offset_field = ident(offset_name);
            let read_offset = read(&offset_field, *offset_required);
            let set_offset = set(
                &offset_field,
                *offset_required,
                from_u64(quote!(offset), offset_ty),
            );
            let total = match total {
                Some(field) => {
                    let field = ident(field);
                    quote!(|page: &models::#reply| rt::Count::count(&page.#field))
                }
                None => quote!(|_: &models::#reply| None),
            };
            let what = if *counts_items { "items" } else { "pages" };
            let pages_doc = format!(
                " Every page of the list, fetched as it is read (the offset counts {what}, from {start}; \
                 a page holds {} items unless `{}` is set). Paging stops at an empty page, at the count \
                 the reply gives, or at a short page; a count that the pages contradict is an \
                 [`Error::Pagination`](crate::Error::Pagination).",
                p.page_size,
                limit_shown.unwrap_or_default()
            );
            quote! {
                #[doc = #pages_doc]
                pub fn pages(self) -> crate::Pages<models::#reply> {
                    static PAGING: rt::PageSpec = rt::PageSpec {
                        operation: #id,
                        start: #start_lit,
                        counts_items: #counts_items,
                        limit: #limit,
                    };
                    let offset = #read_offset;
                    let limit = #read_limit;
                    crate::Pages::new(
                        &PAGING,
                        offset,
                        limit,
                        move |offset, limit| {
                            let mut page = self.clone();
                            #set_offset
                            #set_limit
                            page.send()
                        },
                        #len,
                        #total,
                    )
                }
            }
        }
        PageBy::Marker { marker, next } => marker_pages(
            op,
            p,
            marker,
            next,
            (read_limit, set_limit),
            len,
            limit_shown,
        ),
    };
    let items_doc = format!(
        " Every item of the list, one at a time, pages fetched as needed (see [`pages`](Self::pages)): the `{items_shown}` of each page."
    );
    quote! {
        #pages

        #[doc = #items_doc]
        pub fn items(self) -> crate::Items<models::#reply, #item> {
            self.pages().items(#take)
        }
    }
}

/// `pages()` of a list paged by marker.
fn marker_pages(
    op: &Operation,
    p: &Pagination,
    (marker_name, marker_wire, marker_ty): &(String, String, TypeRef),
    next: &NextMarker,
    (read_limit, set_limit): (TokenStream, TokenStream),
    len: TokenStream,
    limit_shown: Option<&str>,
) -> TokenStream {
    let id = &op.id;
    let reply = ident(&p.reply);
    let marker_field = ident(marker_name);
    let set_marker = match marker_ty {
        TypeRef::Integer { .. } => {
            let t = rust_type(marker_ty, Scope::Crate);
            quote!(page.#marker_field = marker.map(str::parse::<#t>).transpose().ok()?;)
        }
        _ => quote!(page.#marker_field = marker.map(str::to_owned);),
    };
    let items = read_path(Access::Place(quote!(page)), &p.items.0);
    let (last_item, next_fn, from) = match next {
        NextMarker::Reply(path, fields) => {
            let value = cursor_of(read_path(Access::Place(quote!(page)), fields));
            (
                false,
                quote!(|page: &models::#reply| #value),
                format!("the reply's `{path}`"),
            )
        }
        NextMarker::LastItem(path, fields) => {
            let last = match items {
                Access::Place(e) => quote!(#e.last()),
                Access::Maybe(e) => quote!(#e.and_then(|items| items.last())),
            };
            let value = cursor_of(read_path(Access::Maybe(last), fields));
            (
                true,
                quote!(|page: &models::#reply| #value),
                format!("the `{path}` of the page's last item"),
            )
        }
    };
    let limit = match limit_shown {
        Some(_) => {
            let size = proc_macro2::Literal::u64_unsuffixed(p.page_size);
            quote!(Some(#size))
        }
        None => quote!(None),
    };
    let size_doc = match limit_shown {
        Some(limit) => format!(
            "; a page holds {} items unless `{limit}` is set",
            p.page_size
        ),
        None => String::new(),
    };
    let stops = match (next, limit_shown) {
        (NextMarker::LastItem(path, _), Some(_)) => format!(
            "at an empty page, at a page shorter than the limit, or when the last item has no `{path}`"
        ),
        (NextMarker::LastItem(path, _), None) => {
            format!("at an empty page or when the last item has no `{path}`")
        }
        (NextMarker::Reply(..), _) => {
            "at an empty page or when the reply gives no next marker (or an empty one)".to_owned()
        }
    };
    let pages_doc = format!(
        " Every page of the list, fetched as it is read, paged by marker: the first page from the \
         `{marker_wire}` set on this builder, if any, else from the start; each next one with \
         `{marker_wire}` set to {from}{size_doc}. Paging stops {stops}; a next marker equal to the \
         one just sent is an [`Error::Pagination`](crate::Error::Pagination) (asking again would \
         repeat the page forever)."
    );
    let limit_arg = if limit_shown.is_some() {
        quote!(limit)
    } else {
        quote!(_)
    };
    quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> crate::Pages<models::#reply> {
            static PAGING: rt::MarkerSpec = rt::MarkerSpec {
                operation: #id,
                limit: #limit,
                last_item: #last_item,
            };
            let marker = rt::Cursor::cursor(&self.#marker_field);
            let limit = #read_limit;
            crate::Pages::by_marker(
                &PAGING,
                marker,
                limit,
                move |marker, #limit_arg| {
                    let mut page = self.clone();
                    #set_marker
                    #set_limit
                    Some(page.send())
                },
                #len,
                #next_fn,
            )
        }
    }
}

/// A poller with the values it is given left out: waiters that poll the same
/// operation the same way share one helper.
fn shape(p: &WaitPoller) -> WaitPoller {
    let given = |a: &ArgSource| match a {
        ArgSource::Literal(_) => a.clone(),
        _ => ArgSource::Id,
    };
    WaitPoller {
        args: p.args.iter().map(given).collect(),
        setters: p
            .setters
            .iter()
            .map(|(n, a)| (n.clone(), given(a)))
            .collect(),
        ..p.clone()
    }
}

/// The distinct pollers of a service's waiters, in first-use order, each with
/// the name of its helper method.
fn poller_shapes(service: &Service) -> Vec<(WaitPoller, proc_macro2::Ident)> {
    let mut shapes: Vec<WaitPoller> = Vec::new();
    for p in service
        .operations
        .iter()
        .flat_map(|op| &op.waiters)
        .flat_map(|w| &w.pollers)
    {
        let s = shape(p);
        if !shapes.contains(&s) {
            shapes.push(s);
        }
    }
    let named: Vec<(WaitPoller, String)> = shapes
        .iter()
        .map(|s| {
            let same_op: Vec<&WaitPoller> = shapes
                .iter()
                .filter(|t| t.operation == s.operation)
                .collect();
            let name = if same_op.len() == 1 {
                format!("poll_{}", bare(&s.method))
            } else {
                format!("poll_{}_{}", bare(&s.method), suffix(s))
            };
            (s.clone(), name)
        })
        .collect();
    // Names that still collide get a number.
    named
        .iter()
        .enumerate()
        .map(|(i, (s, name))| {
            let clashes = named.iter().filter(|(_, n)| n == name).count() > 1;
            let name = if clashes {
                format_ident!("{name}_{}", i + 1)
            } else {
                format_ident!("{name}")
            };
            (s.clone(), name)
        })
        .collect()
}

/// What tells one poller of an operation from another: its constant
/// arguments (`type: network`), else that it waits for a resource to go, else
/// the status it waits for.
fn suffix(p: &WaitPoller) -> String {
    let literals: Vec<String> = p
        .args
        .iter()
        .chain(p.setters.iter().map(|(_, a)| a))
        .filter_map(|a| match a {
            ArgSource::Literal(text) => Some(crate::naming::snake(text)),
            _ => None,
        })
        .collect();
    if !literals.is_empty() {
        literals.join("_")
    } else if p.gone {
        "gone".to_owned()
    } else {
        let first = p
            .success
            .first()
            .map(|s| crate::naming::snake(s))
            .unwrap_or_default();
        format!("until_{first}")
    }
}

/// The given (non-literal) arguments of a poller, in order, as the names of
/// the polling operation's parameters.
fn given_names(p: &WaitPoller, op: Option<&Operation>) -> Vec<proc_macro2::Ident> {
    let names = op.map(|o| {
        o.required_params()
            .map(|q| bare(&q.name).to_owned())
            .collect::<Vec<_>>()
    });
    let mut out = Vec::new();
    for (i, a) in p.args.iter().enumerate() {
        if !matches!(a, ArgSource::Literal(_)) {
            let name = names
                .as_ref()
                .and_then(|n| n.get(i).cloned())
                .unwrap_or_else(|| format!("arg_{}", i + 1));
            out.push(format_ident!("{}", name));
        }
    }
    for (setter, a) in &p.setters {
        if !matches!(a, ArgSource::Literal(_)) {
            out.push(format_ident!("{}", bare(setter)));
        }
    }
    out
}

/// The private helpers of the client that build each distinct poller.
pub fn poller_helpers(service: &Service) -> TokenStream {
    let helpers = poller_shapes(service).into_iter().map(|(p, name)| {
        let poll_op = service.operations.iter().find(|o| o.id == p.operation);
        let given = given_names(&p, poll_op);
        let poll = &p.operation;
        let status = &p.status;
        let success = &p.success;
        let failure = &p.failure;
        let reason = &p.reason;
        let progress = match &p.progress {
            Some(path) => quote!(Some(#path)),
            None => quote!(None),
        };
        let gone = p.gone;
        let call = ident(&p.method);
        let mut next = given.iter();
        let mut value = |a: &ArgSource| match a {
            ArgSource::Literal(text) => quote!(#text),
            _ => {
                let name = next.next();
                quote!(#name.clone())
            }
        };
        let args: Vec<TokenStream> = p.args.iter().map(&mut value).collect();
        let setters: Vec<TokenStream> = p
            .setters
            .iter()
            .map(|(setter, a)| {
                let setter = ident(setter);
                let v = value(a);
                quote!(.#setter(#v))
            })
            .collect();
        let doc = format!(
            " Polls [`{0}`](Self::{0}) for a wait: reads `{status}`.",
            bare(&p.method)
        );
        quote! {
            #[doc = #doc]
            fn #name(&self, #(#given: String),*) -> rt::Poller {
                static SPEC: rt::WaitSpec = rt::WaitSpec {
                    poll: #poll,
                    status: #status,
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                    reason: &[#(#reason),*],
                    progress: #progress,
                    gone_is_success: #gone,
                };
                let client = self.clone();
                rt::Poller::new(&SPEC, move || {
                    let call = client.#call(#(#args),*) #(#setters)*;
                    async move { rt::to_json(&call.await?) }
                })
            }
        }
    });
    quote!(#(#helpers)*)
}

/// `wait_<operation>` methods for the client.
pub fn waiter_methods(op: &Operation, service: &Service) -> TokenStream {
    let shapes = poller_shapes(service);
    let methods = op.waiters.iter().map(|w| waiter_method(op, w, &shapes));
    quote!(#(#methods)*)
}

/// The value of a given poll argument, computed once when the wait is built.
fn arg_value(source: &ArgSource) -> TokenStream {
    match source {
        ArgSource::Id => quote!(id.clone()),
        ArgSource::Reply(path) => {
            quote!(rt::reply_value(&reply, #path).unwrap_or_default())
        }
        ArgSource::Request(name) => {
            let name = format_ident!("request_{}", bare(name));
            quote!(#name.clone())
        }
        ArgSource::Literal(text) => quote!(#text.to_owned()),
    }
}

fn waiter_method(
    op: &Operation,
    w: &Waiter,
    shapes: &[(WaitPoller, proc_macro2::Ident)],
) -> TokenStream {
    let method = ident(&w.method);
    let id_path = &w.id;
    let op_id = &op.id;
    let (reply_ty, reply_json) = match &op.output {
        Output::Single(r) => (
            super::operations::reply_type(&r.kind),
            quote!(rt::to_json(reply)?),
        ),
        Output::ByStatus { name, replies } => {
            let name = ident(name);
            // The variants that carry JSON; any other reply holds no id.
            let arms = replies
                .iter()
                .filter(|r| matches!(r.kind, ReplyKind::Json(_)))
                .map(|r| {
                    let variant = ident(&r.variant);
                    quote!(operations::#name::#variant(body) => rt::to_json(body)?,)
                });
            (
                quote!(operations::#name),
                quote!(match reply {
                    #(#arms)*
                    _ => serde_json::Value::Null,
                }),
            )
        }
    };
    let request_params: Vec<&crate::ir::Param> = w
        .request_args
        .iter()
        .filter_map(|n| op.params.iter().find(|p| &p.name == n))
        .collect();
    // The caller passes the request's values under the parameters' own names.
    let reply_name = if request_params.iter().any(|p| bare(&p.name) == "reply") {
        format_ident!("started_reply")
    } else {
        format_ident!("reply")
    };
    let args = request_params.iter().map(|p| {
        let name = ident(&p.name);
        quote!(#name: impl Into<String>)
    });
    let converts = request_params.iter().map(|p| {
        let arg = ident(&p.name);
        let name = format_ident!("request_{}", bare(&p.name));
        quote!(let #name: String = #arg.into();)
    });
    let mut pollers = Vec::new();
    let mut lines = vec![format!(
        "Waits for the work [`{0}`](Self::{0}) started, whose id is the reply's `{id_path}`:",
        bare(&op.method_name)
    )];
    lines.push(String::new());
    for (i, p) in w.pollers.iter().enumerate() {
        let status = &p.status;
        let helper = shapes
            .iter()
            .find(|(s, _)| *s == shape(p))
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| format_ident!("poll_{}", bare(&p.method)));
        let given = p
            .args
            .iter()
            .chain(p.setters.iter().map(|(_, a)| a))
            .filter(|a| !matches!(a, ArgSource::Literal(_)))
            .map(arg_value);
        pollers.push(quote!(self.#helper(#(#given),*)));
        let done = if p.gone {
            "done when it no longer finds the resource".to_owned()
        } else {
            let list: Vec<String> = p.success.iter().map(|s| format!("`{s}`")).collect();
            format!("done at {}", list.join(", "))
        };
        let failed = if p.failure.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = p.failure.iter().map(|s| format!("`{s}`")).collect();
            format!(", failed at {}", list.join(", "))
        };
        let method = bare(&p.method).to_owned();
        let lead = if i == 0 {
            "- polls"
        } else {
            "- then, if that does not know the id,"
        };
        lines.push(format!(
            "{lead} [`{method}`](Self::{method}) for `{status}` ({done}{failed})"
        ));
    }
    lines.push(String::new());
    lines.push("The wait backs off with jitter between polls, rides out transient errors and is bounded by its [`WaitPolicy`](crate::WaitPolicy) (configure it on the returned [`Waiter`](crate::Waiter)).".to_owned());
    lines.push(String::new());
    lines.push("# Errors".to_owned());
    lines.push(String::new());
    lines.push(format!(
        "[`Error::Config`](crate::Error::Config) when the reply has no `{id_path}`; awaiting the waiter gives [`Error::Job`](crate::Error::Job) when the work fails."
    ));
    let docs = super::docs::raw_doc(&lines);
    let reply_arg = quote!(#reply_name: &#reply_ty);
    let rename = (reply_name != "reply").then(|| quote!(let reply = #reply_name;));
    quote! {
        #docs
        pub fn #method(&self, #(#args,)* #reply_arg) -> Result<crate::Waiter, crate::Error> {
            #(#converts)*
            #rename
            let reply = #reply_json;
            let id = rt::waited_id(&reply, #id_path, #op_id)?;
            let pollers = [#(#pollers),*];
            Ok(crate::Waiter::new(#op_id, id, pollers))
        }
    }
}

/// `send_and_wait` (for the first waiter) on a builder.
pub fn send_and_wait(op: &Operation) -> Option<TokenStream> {
    // With several waiters (one per kind of work), the caller picks one.
    let [w] = op.waiters.as_slice() else {
        return None;
    };
    let wait = ident(&w.method);
    let reply_ty = match &op.output {
        Output::Single(r) => super::operations::reply_type(&r.kind),
        Output::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    };
    let captured = w.request_args.iter().map(|n| {
        let field = ident(n);
        let name = format_ident!("request_{}", bare(n));
        quote!(let #name = self.#field.clone();)
    });
    let pass = w.request_args.iter().map(|n| {
        let name = format_ident!("request_{}", bare(n));
        quote!(#name,)
    });
    let doc = format!(
        " Sends the request, then waits for the work it starts, as `policy` bounds the wait (`WaitPolicy::default()`: up to 30 minutes); see [`Client::{0}`](crate::Client::{0}).",
        w.method
    );
    Some(quote! {
        #[doc = #doc]
        ///
        /// # Errors
        /// As for [`send`](Self::send), then as for awaiting the [`Waiter`](crate::Waiter).
        pub async fn send_and_wait(self, policy: crate::WaitPolicy) -> Result<(#reply_ty, crate::Done), crate::Error> {
            let client = self.client.clone();
            #(#captured)*
            let reply = self.send().await?;
            let done = client.#wait(#(#pass)* &reply)?.with_policy(policy).await?;
            Ok((reply, done))
        }
    })
}
