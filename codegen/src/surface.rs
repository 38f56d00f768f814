//! A compact listing of the generated crate's public API, one item or member per
//! line, so that a breaking change shows up as one line in a snapshot diff.

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, ReturnType, Visibility};

/// Lists the public API of one generated crate (`(path, source)` pairs with
/// paths relative to its `src/`, like `models.rs`).
pub fn api_surface<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<String, String> {
    let mut out = Vec::new();
    for (path, source) in files {
        let Some(module) = module_path(path) else {
            continue;
        };
        let file = syn::parse_file(source).map_err(|e| format!("{path}: {e}"))?;
        for item in &file.items {
            list_item(&module, item, &mut out);
        }
    }
    Ok(out.join("\n") + "\n")
}

/// `models.rs` → `models`; the crate root and the private `client` module (whose
/// `Client` is re-exported) are listed without a prefix; the private `rules`
/// module is not listed.
fn module_path(path: &str) -> Option<String> {
    match path.strip_suffix(".rs")? {
        "lib" | "client" => Some(String::new()),
        "rules" => None,
        other => Some(other.replace('/', "::")),
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn list_item(module: &str, item: &Item, out: &mut Vec<String>) {
    let prefix = |name: &dyn std::fmt::Display| {
        if module.is_empty() {
            name.to_string()
        } else {
            format!("{module}::{name}")
        }
    };
    match item {
        Item::Struct(s) if is_pub(&s.vis) => {
            let attrs = marker_attrs(&s.attrs);
            out.push(format!("struct {}{attrs}", prefix(&s.ident)));
            if let Fields::Named(fields) = &s.fields {
                for f in fields.named.iter().filter(|f| is_pub(&f.vis)) {
                    if let Some(name) = &f.ident {
                        out.push(format!("    {}: {}", name, tidy(&f.ty)));
                    }
                }
            }
        }
        Item::Enum(e) if is_pub(&e.vis) => {
            out.push(format!(
                "enum {}{}",
                prefix(&e.ident),
                marker_attrs(&e.attrs)
            ));
            for v in &e.variants {
                let fields = match &v.fields {
                    Fields::Unnamed(f) => format!(
                        "({})",
                        f.unnamed
                            .iter()
                            .map(|f| tidy(&f.ty))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => String::new(),
                };
                out.push(format!("    {}{}", v.ident, fields));
            }
        }
        Item::Impl(imp) => {
            let self_ty = tidy(&imp.self_ty);
            if let Some((trait_path, _)) = &imp.trait_ {
                let trait_path = tidy(trait_path);
                // Impls of the core crate's hidden traits are not API.
                if !trait_path.starts_with("rt::") {
                    out.push(format!("{module}: impl {trait_path} for {self_ty}"));
                }
                return;
            }
            for it in &imp.items {
                if let ImplItem::Fn(f) = it {
                    if !is_pub(&f.vis) {
                        continue;
                    }
                    let sig = &f.sig;
                    let asyncness = if sig.asyncness.is_some() {
                        "async "
                    } else {
                        ""
                    };
                    let args: Vec<String> = sig
                        .inputs
                        .iter()
                        .map(|a| match a {
                            // `mut` on a binding is not part of the signature.
                            FnArg::Receiver(r) => tidy(r).trim_start_matches("mut ").to_owned(),
                            FnArg::Typed(t) => {
                                format!(
                                    "{}: {}",
                                    tidy(&t.pat).trim_start_matches("mut "),
                                    tidy(&t.ty)
                                )
                            }
                        })
                        .collect();
                    let ret = match &sig.output {
                        ReturnType::Default => String::new(),
                        ReturnType::Type(_, ty) => format!(" -> {}", tidy(ty)),
                    };
                    out.push(format!(
                        "{asyncness}fn {}::{}({}){ret}",
                        prefix(&self_ty),
                        sig.ident,
                        args.join(", ")
                    ));
                }
            }
        }
        Item::Const(c) if is_pub(&c.vis) => {
            out.push(format!("const {}: {}", prefix(&c.ident), tidy(&c.ty)));
        }
        Item::Static(s) if is_pub(&s.vis) => {
            out.push(format!("static {}: {}", prefix(&s.ident), tidy(&s.ty)));
        }
        Item::Mod(m) if is_pub(&m.vis) => out.push(format!("mod {}", prefix(&m.ident))),
        // `open_enum!(X)`: the inherent method it defines (its trait impls are
        // fixed by the core crate).
        Item::Macro(m)
            if m.mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "open_enum") =>
        {
            let tokens = tidy(&m.mac.tokens);
            let name = tokens.split(',').next().unwrap_or_default().trim();
            out.push(format!("fn {}::as_str(&self) -> &str", prefix(&name)));
            for imp in [
                format!("From<&str> for {name}"),
                format!("From<String> for {name}"),
                format!("From<{name}> for String"),
                format!("Display for {name}"),
                format!("Serialize for {name}"),
                format!("Deserialize for {name}"),
            ] {
                out.push(format!("{module}: impl {imp}"));
            }
        }
        Item::Use(u) if is_pub(&u.vis) => out.push(format!("use {}", prefix(&tidy(&u.tree)))),
        _ => {}
    }
}

/// ` #[non_exhaustive]` when present: removing it is a breaking change too.
fn marker_attrs(attrs: &[syn::Attribute]) -> &'static str {
    if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
        " #[non_exhaustive]"
    } else {
        ""
    }
}

/// Token text with the spaces `to_string` puts around punctuation removed.
fn tidy(tokens: &dyn ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut s = text
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("' ", "'");
    if s.starts_with("::") {
        s = s[2..].to_owned();
    }
    s
}
