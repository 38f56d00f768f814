//! Doc comments: free text from the spec made safe for rustdoc, and the
//! human-readable statement of a rule.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Constraints;

/// Doc attributes for free text from the spec, made safe for rustdoc: brackets
/// and angle brackets are escaped (they would be read as links and HTML tags),
/// bare URLs are wrapped, leading spaces are dropped (an indented line would be
/// a code block, and so a doctest).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines: Vec<String> = doc_lines(text);
    quote! { #(#[doc = #lines])* }
}

/// The lines of spec text as doc lines (each with its leading space).
pub fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| format!(" {}", sanitize(line.trim())).trim_end().to_owned())
        .collect()
}

/// One line of spec text, escaped for rustdoc markdown.
pub fn sanitize(line: &str) -> String {
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

/// Spec text on one line (for list items and table cells).
pub fn inline(text: &str) -> String {
    let joined: Vec<&str> = text.split_whitespace().collect();
    sanitize(&joined.join(" "))
}

/// Doc attributes for generator-written markdown lines, passed through as written.
pub fn raw_doc(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #(#[doc = #lines])* }
}

/// Inner doc attributes (`//!`) for generator-written markdown lines.
pub fn raw_inner_doc(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #(#![doc = #lines])* }
}

/// A code span for text that may itself contain backticks.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The rules of a value in words, e.g. `36 characters; matches `^[a-z]+$``, or
/// `None` when there are none. Patterns the client cannot evaluate are named
/// with the reason they are not checked.
pub fn rules_text(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    if c.required {
        parts.push("required in requests".to_owned());
    }
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) if a == b => parts.push(format!("exactly {a} characters")),
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} characters")),
        (Some(a), None) => parts.push(format!("at least {a} characters")),
        (None, Some(b)) => parts.push(format!("at most {b} characters")),
        (None, None) => {}
    }
    if let Some(p) = &c.pattern {
        match &c.pattern_regex {
            Some(Err(why)) => parts.push(format!(
                "should match {} (not checked by the client: {why})",
                code(p)
            )),
            _ => parts.push(format!("matches {}", code(p))),
        }
    }
    let num = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    };
    match (c.minimum, c.maximum) {
        (Some((a, false)), Some((b, false))) => parts.push(format!("{} to {}", num(a), num(b))),
        (min, max) => {
            if let Some((a, ex)) = min {
                parts.push(format!(
                    "{} {}",
                    if ex { "greater than" } else { "at least" },
                    num(a)
                ));
            }
            if let Some((b, ex)) = max {
                parts.push(format!(
                    "{} {}",
                    if ex { "less than" } else { "at most" },
                    num(b)
                ));
            }
        }
    }
    if let Some(m) = c.multiple_of {
        parts.push(format!("a multiple of {}", num(m)));
    }
    if let Some(values) = &c.allowed {
        let list: Vec<String> = values.iter().map(|v| num(*v)).collect();
        parts.push(format!("one of {}", list.join(", ")));
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) if a == b => parts.push(format!("exactly {a} items")),
        (Some(a), Some(b)) => parts.push(format!("{a} to {b} items")),
        (Some(a), None) => parts.push(format!("at least {a} items")),
        (None, Some(b)) => parts.push(format!("at most {b} items")),
        (None, None) => {}
    }
    if let Some(items) = c.items.as_deref().and_then(rules_text) {
        parts.push(format!("each item: {items}"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_in_words() {
        let c = Constraints {
            min_length: Some(36),
            max_length: Some(36),
            pattern: Some("^[A-Za-z0-9]{32}in17$".to_owned()),
            pattern_regex: Some(Ok("^[A-Za-z0-9]{32}in17$".to_owned())),
            ..Constraints::default()
        };
        assert_eq!(
            rules_text(&c).as_deref(),
            Some("exactly 36 characters; matches `^[A-Za-z0-9]{32}in17$`")
        );
        let n = Constraints {
            minimum: Some((50.0, false)),
            maximum: Some((1000.0, false)),
            multiple_of: Some(10.0),
            ..Constraints::default()
        };
        assert_eq!(
            rules_text(&n).as_deref(),
            Some("50 to 1000; a multiple of 10")
        );
        assert_eq!(rules_text(&Constraints::default()), None);
    }

    #[test]
    fn spec_text_is_escaped() {
        assert_eq!(sanitize("a [b] <c> x_y"), "a \\[b\\] \\<c\\> x_y");
        assert_eq!(sanitize("see https://x.y/z now"), "see <https://x.y/z> now");
    }
}
