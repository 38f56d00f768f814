//! `pattern` keywords: ECMA-262 regular expressions (JSON Schema's dialect)
//! translated into the syntax of the client's engine (`regex-automata`, whose
//! dense DFAs match without locks), and checked to build there with the limits
//! the client uses. A pattern that cannot be translated or built is not an error:
//! the rule is documented and not checked by the client.

use regex_automata::dfa::{StartKind, dense};
use regex_automata::util::syntax;

/// The largest DFA a pattern may compile to, in bytes: the client's limit
/// (`huaweicloud_sdk_core::__private::Pattern`), repeated here because the
/// generator does not depend on the client.
pub const DFA_SIZE_LIMIT: usize = 1 << 20;

/// A pattern the client can check.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Translated {
    /// The pattern in the engine's syntax (equal to the source when nothing
    /// needed translating).
    pub regex: String,
}

/// Translates `source` and checks that it builds; `Err` says why the client
/// cannot check it.
pub fn translate(source: &str) -> Result<Translated, String> {
    let regex = to_engine_syntax(source)?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(DFA_SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .build(&regex)
        .map_err(|e| format!("the client's regex engine cannot use it: {e}"))?;
    Ok(Translated { regex })
}

/// Characters that are literal in ECMA-262 classes but special in the engine's
/// (nested classes and set operations).
const CLASS_SPECIAL: &[char] = &['[', '&', '~'];

/// Characters the engine treats as syntax outside classes.
const META: &[char] = &[
    '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$', '#', '&', '-', '~',
];

fn to_engine_syntax(source: &str) -> Result<String, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len() + 8);
    let mut in_class = false;
    let mut class_start = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let first_in_class = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some(&e) = chars.get(i + 1) else {
                    return Err("it ends with a lone backslash".to_owned());
                };
                i += 2;
                match e {
                    'd' => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                    'D' => out.push_str("[^0-9]"),
                    'w' => out.push_str(if in_class {
                        "0-9A-Za-z_"
                    } else {
                        "[0-9A-Za-z_]"
                    }),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    's' | 'S' | 'n' | 'r' | 't' | 'f' | 'v' => {
                        out.push('\\');
                        out.push(e);
                    }
                    'b' if in_class => out.push_str("\\x08"),
                    // ECMA-262 word boundaries are ASCII ones.
                    'b' => out.push_str("(?-u:\\b)"),
                    'B' => out.push_str("(?-u:\\B)"),
                    '0' if !chars.get(i).is_some_and(char::is_ascii_digit) => {
                        out.push_str("\\x00");
                    }
                    '1'..='9' => {
                        return Err("it uses a back-reference".to_owned());
                    }
                    'u' | 'x' => {
                        let len = if e == 'u' { 4 } else { 2 };
                        if chars.get(i) == Some(&'{') {
                            // \u{...} (Unicode mode): passed through.
                            let close = chars[i..]
                                .iter()
                                .position(|&c| c == '}')
                                .ok_or("it has an unterminated \\u{...} escape")?;
                            out.push('\\');
                            out.push(e);
                            out.extend(&chars[i..=i + close]);
                            i += close + 1;
                        } else {
                            let hex: String = chars[i..].iter().take(len).collect();
                            if hex.len() != len || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                                return Err(format!("it has a malformed \\{e} escape"));
                            }
                            out.push_str(&format!("\\x{{{hex}}}"));
                            i += len;
                        }
                    }
                    'c' => {
                        let Some(letter) = chars.get(i).filter(|c| c.is_ascii_alphabetic()) else {
                            return Err("it has a malformed \\c escape".to_owned());
                        };
                        out.push_str(&format!("\\x{{{:02X}}}", (*letter as u32) % 32));
                        i += 1;
                    }
                    'p' | 'P' => {
                        // Unicode property escapes: the engine's syntax is the same.
                        out.push('\\');
                        out.push(e);
                    }
                    other if other.is_ascii_alphanumeric() => {
                        return Err(format!("it uses the escape \\{other}"));
                    }
                    other => push_literal(&mut out, other, in_class),
                }
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    return Err("it has an empty character class".to_owned());
                }
            }
            ']' if in_class && !first_in_class => {
                in_class = false;
                out.push(']');
            }
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let next = chars.get(i + 2).copied();
                let after = chars.get(i + 3).copied();
                match (next, after) {
                    (Some('=' | '!'), _) | (Some('<'), Some('=' | '!')) => {
                        return Err("it uses look-around".to_owned());
                    }
                    _ => out.push('('),
                }
            }
            // ECMA-262 `.` stops at every line terminator, not only `\n`.
            '.' if !in_class => out.push_str("[^\\n\\r\\x{2028}\\x{2029}]"),
            c if in_class && CLASS_SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        i += 1;
    }
    if in_class {
        return Err("it has an unterminated character class".to_owned());
    }
    Ok(out)
}

fn push_literal(out: &mut String, c: char, in_class: bool) {
    let special = if in_class {
        CLASS_SPECIAL.contains(&c) || matches!(c, '\\' | ']' | '^' | '-')
    } else {
        META.contains(&c)
    };
    if special {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regex(p: &str) -> String {
        match translate(p) {
            Ok(t) => t.regex,
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn common_patterns_translate() {
        assert_eq!(regex("^[A-Za-z0-9]{32}in07$"), "^[A-Za-z0-9]{32}in07$");
        assert_eq!(regex("^\\d+$"), "^[0-9]+$");
        assert_eq!(regex("^[\\w-]{1,64}$"), "^[0-9A-Za-z_-]{1,64}$");
        assert_eq!(
            regex("^[\\u4e00-\\u9fa5a-zA-Z0-9_]+$"),
            "^[\\x{4e00}-\\x{9fa5}a-zA-Z0-9_]+$"
        );
        assert_eq!(regex("^a\\/b$"), "^a/b$");
        assert_eq!(regex("^[a[]$"), "^[a\\[]$");
        assert_eq!(
            regex("^[~!@#$%^*\\-_=+?,()&|.]+$"),
            "^[\\~!@#$%^*\\-_=+?,()\\&|.]+$"
        );
        assert_eq!(regex("a.b"), "a[^\\n\\r\\x{2028}\\x{2029}]b");
        assert_eq!(regex("^(?:ab|cd)$"), "^(?:ab|cd)$");
    }

    #[test]
    fn unsupported_patterns_say_why() {
        assert!(regex("^(?=.*[A-Z]).{8,}$").contains("look-around"));
        assert!(regex("^(?!x)").contains("look-around"));
        assert!(regex("^(a)\\1$").contains("back-reference"));
        assert!(regex("^[a-z").contains("unterminated"));
        assert!(regex("^\\").contains("backslash"));
    }
}
