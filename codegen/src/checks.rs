//! The last lowering step: which types the client checks before sending, and one
//! name per distinct rule and pattern, so that the generated crate states each
//! rule once however many fields share it.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;

use crate::ir::{Constraints, Model, NamedPattern, NamedRule, Service, TypeRef};
use crate::naming::Namespace;

/// Sets `checked` on the models that are part of a request and have something to
/// check, and gives every checked field and parameter its named rule.
pub fn assign(service: &mut Service) {
    mark_checked(service);
    let mut namer = RuleNamer::default();
    for op in &mut service.operations {
        for p in &mut op.params {
            p.rule = namer.rule(&p.constraints, &p.wire, &op.id);
        }
        for p in &mut op.client_params {
            p.rule = namer.rule(&p.constraints, &p.wire, &op.id);
        }
    }
    for model in &mut service.models {
        if let Model::Struct(s) = model {
            if !s.checked {
                continue;
            }
            for f in s.fields.iter_mut().filter(|f| !f.read_only) {
                f.rule = namer.rule(&f.constraints, &f.wire, &s.name);
            }
        }
    }
    service.rules = namer.rules;
    service.patterns = namer.patterns;
}

/// Model names a type refers to.
fn named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner, out),
        _ => {}
    }
}

/// The model types a model holds that the client sends (read-only fields are
/// the server's), each with whether a rule applies to the holding field.
fn sent_parts(model: &Model) -> Vec<(&TypeRef, bool)> {
    match model {
        Model::Struct(s) => {
            let mut parts: Vec<(&TypeRef, bool)> = s
                .fields
                .iter()
                .filter(|f| !f.read_only)
                .map(|f| (&f.ty, !f.constraints.checkable().is_empty()))
                .collect();
            if let Some((_, ty)) = &s.additional {
                parts.push((ty, false));
            }
            parts
        }
        Model::Union(u) => u.variants.iter().map(|v| (&v.ty, false)).collect(),
        Model::Enum(_) => Vec::new(),
    }
}

fn mark_checked(service: &mut Service) {
    let index: BTreeMap<&str, &Model> = service.models.iter().map(|m| (m.name(), m)).collect();
    // Models reachable from what a caller sends (parameters and bodies).
    let mut stack: Vec<String> = Vec::new();
    for op in &service.operations {
        for p in &op.params {
            named(&p.ty, &mut stack);
        }
        if let Some(body) = &op.body {
            named(&body.ty, &mut stack);
        }
    }
    let mut input: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !input.insert(name.clone()) {
            continue;
        }
        if let Some(model) = index.get(name.as_str()) {
            for (ty, _) in sent_parts(model) {
                named(ty, &mut stack);
            }
        }
    }
    // Enums in requests are checked (an `Unknown` value is refused); a struct or
    // union is checked when a field has a rule or holds a checked type. Repeat
    // until stable, because types refer to each other (and to themselves).
    // So are tagged unions: each alternative must carry its own tag.
    let mut checked: BTreeSet<String> = input
        .iter()
        .filter(|n| match index.get(n.as_str()) {
            Some(Model::Enum(_)) => true,
            Some(Model::Union(u)) => u.tag.is_some(),
            _ => false,
        })
        .cloned()
        .collect();
    loop {
        let mut changed = false;
        for name in &input {
            let Some(model) = index.get(name.as_str()) else {
                continue;
            };
            for (ty, has_rule) in sent_parts(model) {
                let mut inner = Vec::new();
                named(ty, &mut inner);
                // A rule on a list of models needs the models to be checkable too.
                if has_rule {
                    for n in &inner {
                        changed |= checked.insert(n.clone());
                    }
                }
                if has_rule || inner.iter().any(|n| checked.contains(n)) {
                    changed |= checked.insert(name.clone());
                }
            }
        }
        if !changed {
            break;
        }
    }
    for model in &mut service.models {
        match model {
            Model::Struct(s) => {
                s.checked = checked.contains(&s.name);
                s.in_requests = input.contains(&s.name);
            }
            Model::Enum(e) => e.checked = checked.contains(&e.name),
            Model::Union(u) => u.checked = checked.contains(&u.name),
        }
    }
}

/// Hands out one name per distinct rule and pattern.
#[derive(Default)]
struct RuleNamer {
    rules: Vec<NamedRule>,
    patterns: Vec<NamedPattern>,
    names: Namespace,
}

impl RuleNamer {
    /// The name of the rule for `constraints` (made on first use), or `None` when
    /// nothing is checkable. `wire` and `owner` make the name readable.
    fn rule(&mut self, constraints: &Constraints, wire: &str, owner: &str) -> Option<String> {
        let c = constraints.checkable();
        if c.is_empty() {
            return None;
        }
        if let Some(existing) = self.rules.iter().find(|r| r.constraints == c) {
            return Some(existing.name.clone());
        }
        let short = shout(wire);
        let name = if self.names.contains(&short) {
            self.names.claim(&shout(&format!("{owner} {wire}")), "")
        } else {
            self.names.claim(&short, "")
        };
        let items = c
            .items
            .as_deref()
            .and_then(|items| self.rule(items, &format!("{wire} item"), owner));
        let pattern = match (&c.pattern, &c.pattern_regex) {
            (Some(source), Some(Ok(regex))) => Some(self.pattern(source, regex, &name)),
            _ => None,
        };
        self.rules.push(NamedRule {
            name: name.clone(),
            constraints: c,
            items,
            pattern,
        });
        Some(name)
    }

    fn pattern(&mut self, source: &str, regex: &str, rule: &str) -> String {
        if let Some(p) = self.patterns.iter().find(|p| p.source == source) {
            return p.name.clone();
        }
        let name = self.names.claim(&format!("{rule}_PATTERN"), "");
        self.patterns.push(NamedPattern {
            name: name.clone(),
            source: source.to_owned(),
            regex: regex.to_owned(),
        });
        name
    }
}

/// `SCREAMING_SNAKE_CASE` of the identifier characters of `text`, never
/// starting with a digit.
fn shout(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let s = cleaned.to_shouty_snake_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("R_{s}")
    } else {
        s
    }
}
