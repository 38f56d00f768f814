//! Compiles simple `pattern`s into character-class atoms the client matches
//! without a regex engine: `^`, then classes or literals with quantifiers, then
//! `$`. Anything else (alternation, groups, look-around, unanchored patterns, or
//! a repeated atom that overlaps the next one, where greedy matching would not be
//! exact) is left to the regex engine.

use crate::ir::PatternAtom;

/// The atoms for `pattern`, or `None` when it is not this simple.
pub fn compile(pattern: &str) -> Option<Vec<PatternAtom>> {
    let body = pattern.strip_prefix('^')?;
    let body = body.strip_suffix('$').filter(|b| !b.ends_with('\\'))?;
    let chars: Vec<char> = body.chars().collect();
    let mut atoms = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (ranges, next) = match chars[i] {
            '[' => class(&chars, i + 1)?,
            '\\' => (escape(*chars.get(i + 1)?)?, i + 2),
            c if "().|*+?{}^$".contains(c) => return None,
            c => (vec![(c, c)], i + 1),
        };
        let (min, max, next) = quantifier(&chars, next)?;
        atoms.push(PatternAtom { ranges, min, max });
        i = next;
    }
    deterministic(&atoms).then_some(atoms)
}

/// A `[...]` class starting after the `[`; negated classes are not compiled.
fn class(chars: &[char], mut i: usize) -> Option<(Vec<(char, char)>, usize)> {
    if chars.get(i) == Some(&'^') {
        return None;
    }
    let mut ranges = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !ranges.is_empty() {
            return Some((ranges, i + 1));
        }
        let (lo, after) = match c {
            '\\' => {
                let escaped = escape(*chars.get(i + 1)?)?;
                if escaped.len() != 1 || escaped[0].0 != escaped[0].1 {
                    ranges.extend(escaped);
                    i += 2;
                    continue;
                }
                (escaped[0].0, i + 2)
            }
            '[' => return None,
            c => (c, i + 1),
        };
        if chars.get(after) == Some(&'-') && chars.get(after + 1).is_some_and(|c| *c != ']') {
            let hi = match chars[after + 1] {
                '\\' => {
                    let e = escape(*chars.get(after + 2)?)?;
                    if e.len() != 1 || e[0].0 != e[0].1 {
                        return None;
                    }
                    i = after + 3;
                    e[0].0
                }
                c => {
                    i = after + 2;
                    c
                }
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
            i = after;
        }
    }
}

/// `\d`, `\w` and escaped punctuation; other escapes are not compiled.
fn escape(c: char) -> Option<Vec<(char, char)>> {
    match c {
        'd' => Some(vec![('0', '9')]),
        'w' => Some(vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')]),
        c if c.is_ascii_punctuation() => Some(vec![(c, c)]),
        _ => None,
    }
}

/// A quantifier at `i`: `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, or none (1, 1).
fn quantifier(chars: &[char], i: usize) -> Option<(u32, u32, usize)> {
    match chars.get(i) {
        Some('*') => Some((0, u32::MAX, i + 1)),
        Some('+') => Some((1, u32::MAX, i + 1)),
        Some('?') => Some((0, 1, i + 1)),
        Some('{') => {
            let close = i + chars[i..].iter().position(|c| *c == '}')?;
            let inner: String = chars[i + 1..close].iter().collect();
            let (min, max) = match inner.split_once(',') {
                None => {
                    let n = inner.parse().ok()?;
                    (n, n)
                }
                Some((lo, "")) => (lo.parse().ok()?, u32::MAX),
                Some((lo, hi)) => (lo.parse().ok()?, hi.parse().ok()?),
            };
            // A lazy `?` or possessive suffix changes the meaning: leave it to the regex engine.
            if min > max || matches!(chars.get(close + 1), Some('?' | '+')) {
                return None;
            }
            Some((min, max, close + 1))
        }
        _ => Some((1, 1, i)),
    }
}

/// Greedy matching equals regex matching when no variable-length atom shares a
/// character with any atom that could come right after it.
fn deterministic(atoms: &[PatternAtom]) -> bool {
    let overlap = |a: &PatternAtom, b: &PatternAtom| {
        a.ranges
            .iter()
            .any(|(lo, hi)| b.ranges.iter().any(|(l, h)| lo <= h && l <= hi))
    };
    for (i, atom) in atoms.iter().enumerate() {
        if atom.min == atom.max {
            continue;
        }
        for next in &atoms[i + 1..] {
            if overlap(atom, next) {
                return false;
            }
            if next.min > 0 {
                break;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    type Atoms = Vec<(Vec<(char, char)>, u32, u32)>;

    fn atoms(p: &str) -> Option<Atoms> {
        compile(p).map(|a| a.into_iter().map(|a| (a.ranges, a.min, a.max)).collect())
    }

    #[test]
    fn simple_patterns_compile() {
        assert_eq!(
            atoms("^[A-Za-z0-9]+$"),
            Some(vec![(
                vec![('A', 'Z'), ('a', 'z'), ('0', '9')],
                1,
                u32::MAX
            )])
        );
        let id = atoms("^[A-Za-z0-9]{32}in07$").unwrap_or_default();
        assert_eq!(id.len(), 5);
        assert_eq!((id[0].1, id[0].2), (32, 32));
        assert_eq!(id[1], (vec![('i', 'i')], 1, 1));
        assert_eq!(atoms("^\\d{3,5}-[a-z_\\-]*$").map(|a| a.len()), Some(3));
    }

    #[test]
    fn others_are_left_to_the_regex_engine() {
        for p in [
            "[a-z]+",        // not anchored
            "^(ab)+$",       // group
            "^a|b$",         // alternation
            "^[^a]+$",       // negated class
            "^[a-z]+[a-c]$", // greedy would not be exact
            "^.+$",          // dot
            "^a{2,1}$",      // bad range
            "^\\bword$",     // escape we do not compile
            "^a+?$",         // lazy
        ] {
            assert!(compile(p).is_none(), "{p} should not compile");
        }
    }
}
