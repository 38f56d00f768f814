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
    let lines: Vec<String> = end_lazy_continuations(doc_lines(text));
    quote! { #(#[doc = #lines])* }
}

/// The lines of spec text as doc lines (each with its leading space).
pub fn doc_lines(text: &str) -> Vec<String> {
    text.trim()
        .lines()
        .map(|line| format!(" {}", sanitize(line.trim())).trim_end().to_owned())
        .collect()
}

/// One line of spec text, escaped for rustdoc markdown. URLs (wherever they
/// start: after a quote, a tag, a parenthesis) become autolinks, which rustdoc
/// wants (`rustdoc::bare_urls`) and whose text markdown leaves alone.
pub fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let Some(at) = url_start(rest) else {
            escape_into(&mut out, rest);
            break;
        };
        let url = &rest[at..];
        let len = url_len(url);
        // Already an autolink (`<https://...>`): kept as one.
        let autolink = rest[..at].ends_with('<') && url[len..].starts_with('>');
        escape_into(&mut out, &rest[..if autolink { at - 1 } else { at }]);
        out.push('<');
        out.push_str(&url[..len]);
        out.push('>');
        rest = &url[len + usize::from(autolink)..];
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        // Tabs in docs are refused by clippy (`tabs_in_doc_comments`).
        if c == '\t' {
            out.push(' ');
            continue;
        }
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '`' | '\\' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Where the first `http://` or `https://` URL with a host starts.
fn url_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("http") {
        let at = from + i;
        let after = &text[at..];
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|s| after.starts_with(s));
        let word_start = !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if let Some(scheme) = scheme {
            if word_start && url_len(after) > scheme.len() {
                return Some(at);
            }
        }
        from = at + 4;
    }
    None
}

/// The length of the URL at the start of `text`: up to a space, an angle
/// bracket, a quote or a backtick (which an autolink cannot hold), without the
/// punctuation that ends a sentence and a closing parenthesis the URL did not
/// open.
fn url_len(text: &str) -> usize {
    let mut len = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
        .unwrap_or(text.len());
    loop {
        let url = &text[..len];
        let Some(last) = url.chars().next_back() else {
            break;
        };
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?') || unbalanced {
            len -= last.len_utf8();
        } else {
            break;
        }
    }
    len
}

/// Spec text on one line (for list items and table cells).
pub fn inline(text: &str) -> String {
    let joined: Vec<&str> = text.split_whitespace().collect();
    sanitize(&joined.join(" "))
}

/// Doc attributes for generator-written markdown lines, passed through as
/// written (but for [`end_lazy_continuations`]).
pub fn raw_doc(lines: &[String]) -> TokenStream {
    let lines = end_lazy_continuations(spaced(lines));
    quote! { #(#[doc = #lines])* }
}

/// Inner doc attributes (`//!`) for generator-written markdown lines.
pub fn raw_inner_doc(lines: &[String]) -> TokenStream {
    let lines = end_lazy_continuations(spaced(lines));
    quote! { #(#![doc = #lines])* }
}

/// Doc lines with the space after `///`.
fn spaced(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// Spec text often puts a line right after a list without a blank line
/// (`- a` / `- b` / `Default: a`), which markdown reads as part of the last
/// item ("lazy continuation", which clippy refuses). Such a line is meant as a
/// paragraph of its own, after the list (or after a list inside a list item),
/// and gets the blank line that makes it one. Lines inside fenced code blocks
/// are left alone. Works on doc lines (each with its leading space).
pub fn end_lazy_continuations(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    // The content columns of the open list items, innermost last.
    let mut items: Vec<usize> = Vec::new();
    let mut previous_blank = true;
    let mut fenced = false;
    for line in lines {
        let text = line.strip_prefix(' ').unwrap_or(&line);
        if text.trim_start().starts_with("```") {
            fenced = !fenced;
            items.clear();
            previous_blank = false;
            out.push(line);
            continue;
        }
        if fenced {
            out.push(line);
            continue;
        }
        if text.trim().is_empty() {
            previous_blank = true;
            out.push(line);
            continue;
        }
        let indent = text.len() - text.trim_start().len();
        match list_marker(text.trim_start()) {
            Some(width) => {
                while items.last().is_some_and(|&col| col > indent) {
                    items.pop();
                }
                items.push(indent + width);
            }
            None => {
                if items.last().is_some_and(|&col| indent < col) {
                    if !previous_blank {
                        out.push(String::new());
                    }
                    while items.last().is_some_and(|&col| col > indent) {
                        items.pop();
                    }
                }
            }
        }
        previous_blank = false;
        out.push(line);
    }
    out
}

/// The width of the list marker a line starts with (`- `, `* `, `+ `, `1. `,
/// `1) `), if it starts a list item.
fn list_marker(text: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| text.starts_with(m)) || matches!(text, "-" | "*" | "+") {
        return Some(2);
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &text[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(digits + 2);
        }
    }
    None
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
    fn a_line_after_a_list_is_a_paragraph() {
        let lines = |v: &[&str]| v.iter().map(|s| format!(" {s}")).collect::<Vec<_>>();
        let mut expected = lines(&["Mode:", "- A: one", "- B: two"]);
        expected.push(String::new());
        expected.push(" Default: A".to_owned());
        assert_eq!(
            end_lazy_continuations(lines(&["Mode:", "- A: one", "- B: two", "Default: A"])),
            expected
        );
        // A list inside a list item, then the item's own text.
        assert_eq!(
            end_lazy_continuations(lines(&[
                "- `x`: - a",
                "  - b",
                "  Sent as `x`.",
                "- `y`: y"
            ])),
            vec![
                " - `x`: - a".to_owned(),
                "   - b".to_owned(),
                String::new(),
                "   Sent as `x`.".to_owned(),
                " - `y`: y".to_owned(),
            ]
        );
        // Continuations that are indented, and code blocks, stay as they are.
        let fine = lines(&["- a", "  more", "", "text", "```text", "- a", "b", "```"]);
        assert_eq!(end_lazy_continuations(fine.clone()), fine);
    }

    #[test]
    fn spec_text_is_escaped() {
        assert_eq!(sanitize("a [b] <c> x_y"), "a \\[b\\] \\<c\\> x_y");
        assert_eq!(sanitize("see https://x.y/z now"), "see <https://x.y/z> now");
        // URLs inside quotes, tags and parentheses, before punctuation.
        assert_eq!(
            sanitize("<a href=\"https://x.y/a_b\">x</a> (https://x.y/(c)), http://x.y."),
            "\\<a href=\"<https://x.y/a_b>\"\\>x\\</a\\> (<https://x.y/(c)>), <http://x.y>."
        );
        assert_eq!(
            sanitize("<code>https://x.y</code>"),
            "\\<code\\><https://x.y>\\</code\\>"
        );
        assert_eq!(sanitize("xhttps://x.y https://"), "xhttps://x.y https://");
        assert_eq!(sanitize("(<https://x.y/a>)"), "(<https://x.y/a>)");
    }
}
