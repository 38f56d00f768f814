//! Recursive types: a model that contains itself by value (directly, or through
//! other models, `Option` included) would have infinite size. Every by-value edge
//! inside a cycle of the containment graph is boxed; `Vec` and map values are on
//! the heap already and break cycles by themselves.
//!
//! Large alternatives: an enum is as large as its largest variant, so a union
//! with one large alternative beside small ones (the `Other` JSON value at
//! least) wastes that space in every value (clippy's `large_enum_variant`).
//! Such an alternative is boxed; sizes are estimated from the types. The same
//! goes for the enums of differently typed success replies.

use std::collections::BTreeMap;

use crate::ir::{Model, Operation, Output, ReplyKind, TypeRef};

/// The model a field or variant holds by value, if any.
fn by_value(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// Marks `boxed` on every field and union variant that closes a cycle.
pub fn box_cycles(models: &mut [Model]) {
    let index: BTreeMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name(), i))
        .collect();
    let edges: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            let targets: Vec<&str> = match m {
                Model::Struct(s) => s.fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
                Model::Union(u) => u.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
                Model::Enum(_) => Vec::new(),
            };
            targets
                .iter()
                .filter_map(|t| index.get(t).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    // An edge is in a cycle when both ends are in one component that has a
    // cycle (more than one model, or a model referring to itself).
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for c in &component {
        *size.entry(*c).or_default() += 1;
    }
    let in_cycle = |from: usize, to: usize| {
        component[from] == component[to] && (from == to || size[&component[from]] > 1)
    };
    let index_of = |name: &str| index.get(name).copied();
    let boxes: Vec<(usize, Vec<bool>)> = models
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let flags = match m {
                Model::Struct(s) => s
                    .fields
                    .iter()
                    .map(|f| {
                        by_value(&f.ty)
                            .and_then(index_of)
                            .is_some_and(|t| in_cycle(i, t))
                    })
                    .collect(),
                Model::Union(u) => u
                    .variants
                    .iter()
                    .map(|v| {
                        by_value(&v.ty)
                            .and_then(index_of)
                            .is_some_and(|t| in_cycle(i, t))
                    })
                    .collect(),
                Model::Enum(_) => Vec::new(),
            };
            (i, flags)
        })
        .collect();
    for (i, flags) in boxes {
        match &mut models[i] {
            Model::Struct(s) => {
                for (f, boxed) in s.fields.iter_mut().zip(flags) {
                    f.boxed = boxed;
                }
            }
            Model::Union(u) => {
                for (v, boxed) in u.variants.iter_mut().zip(flags) {
                    v.boxed = boxed;
                }
            }
            Model::Enum(_) => {}
        }
    }
}

/// A union's largest alternative is boxed while it is larger than the next
/// largest by this many bytes (estimated; clippy's threshold is 200 bytes, so
/// there is room for estimates that are off).
const LARGE_VARIANT_EXCESS: u64 = 96;

/// The size of `serde_json::Value`: 32 bytes, 80 with serde_json's
/// `preserve_order` (which another crate of a build may turn on). Sizes are
/// estimated with each, and a variant is boxed if either finds it too large.
const JSON_VALUE_SIZES: [u64; 2] = [32, 80];

/// Boxes the alternatives of unions that are much larger than the others (see
/// the module docs). Runs after [`box_cycles`], whose boxes it relies on.
pub fn box_large_variants(models: &mut [Model]) {
    loop {
        let mut to_box: Vec<(usize, usize)> = Vec::new();
        for json_value in JSON_VALUE_SIZES {
            let sizes = Sizes::new(models, json_value);
            for (i, m) in models.iter().enumerate() {
                let Model::Union(u) = m else { continue };
                // Each alternative, and the JSON value of the fallback variant.
                let mut sizes: Vec<(u64, Option<usize>)> = u
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(v, variant)| {
                        if variant.boxed {
                            (8, None)
                        } else {
                            (sizes.of(&variant.ty).0, Some(v))
                        }
                    })
                    .collect();
                sizes.push((json_value, None));
                sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
                if let [(largest, Some(v)), (second, _), ..] = sizes[..] {
                    if largest >= second + LARGE_VARIANT_EXCESS
                        && matches!(u.variants[v].ty, TypeRef::Named(_))
                        && !to_box.contains(&(i, v))
                    {
                        to_box.push((i, v));
                    }
                }
            }
        }
        if to_box.is_empty() {
            return;
        }
        for (i, v) in to_box {
            if let Model::Union(u) = &mut models[i] {
                u.variants[v].boxed = true;
            }
        }
    }
}

/// The size of the core crate's `Download` (it holds the reply it reads from):
/// far larger than the other variants of an enum of replies.
const DOWNLOAD_SIZE: u64 = 240;

/// Boxes the bodies of success replies that are much larger than the other
/// variants of their operation's enum of replies (`Other(u16)` among them).
pub fn box_large_replies(models: &[Model], operations: &mut [Operation]) {
    for json_value in JSON_VALUE_SIZES {
        let sizes = Sizes::new(models, json_value);
        for op in operations.iter_mut() {
            let Output::ByStatus { replies, .. } = &mut op.output else {
                continue;
            };
            loop {
                let mut measured: Vec<(u64, Option<usize>)> = replies
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let size = match &r.kind {
                            _ if r.boxed => 8,
                            ReplyKind::Empty => 0,
                            ReplyKind::Text => 24,
                            ReplyKind::Binary => DOWNLOAD_SIZE,
                            ReplyKind::Json(ty) => sizes.of(ty).0,
                        };
                        (size, (!r.boxed && r.kind != ReplyKind::Empty).then_some(i))
                    })
                    .collect();
                measured.push((2, None));
                measured.sort_by_key(|m| std::cmp::Reverse(m.0));
                match measured[..] {
                    [(largest, Some(i)), (second, _), ..]
                        if largest >= second + LARGE_VARIANT_EXCESS =>
                    {
                        replies[i].boxed = true;
                    }
                    _ => break,
                }
            }
        }
    }
}

/// Size estimates of the Rust types (64-bit targets), memoized per model.
struct Sizes<'m> {
    models: BTreeMap<&'m str, &'m Model>,
    memo: std::cell::RefCell<BTreeMap<&'m str, (u64, bool)>>,
    json_value: u64,
}

impl<'m> Sizes<'m> {
    fn new(models: &'m [Model], json_value: u64) -> Self {
        Sizes {
            models: models.iter().map(|m| (m.name(), m)).collect(),
            memo: std::cell::RefCell::new(BTreeMap::new()),
            json_value,
        }
    }

    /// (size in bytes, whether the type has a niche, so that `Option` of it
    /// is no larger).
    fn of(&self, ty: &TypeRef) -> (u64, bool) {
        match ty {
            TypeRef::String | TypeRef::Secret | TypeRef::Array(_) | TypeRef::Map(_) => (24, true),
            TypeRef::Bytes => (32, true),
            TypeRef::Any => (self.json_value, true),
            TypeRef::Boolean => (1, true),
            TypeRef::Integer { bits, .. } | TypeRef::Number { bits } => {
                (u64::from(*bits) / 8, false)
            }
            TypeRef::Named(name) => self.model(name),
        }
    }

    fn model(&self, name: &str) -> (u64, bool) {
        if let Some(&known) = self.memo.borrow().get(name) {
            return known;
        }
        let Some((&key, &model)) = self.models.get_key_value(name) else {
            return (24, true);
        };
        // A model reached again while being measured is behind a box (cycles
        // are boxed): count a pointer.
        self.memo.borrow_mut().insert(key, (8, true));
        let size = match model {
            // Known values and `Unknown(UnknownValue)`, a string.
            Model::Enum(_) => (24, true),
            Model::Struct(s) => {
                let mut total = 0;
                let mut niche = false;
                for f in &s.fields {
                    let (mut size, mut has_niche) =
                        if f.boxed { (8, true) } else { self.of(&f.ty) };
                    if f.optional() && !has_niche {
                        size += size.clamp(1, 8);
                        has_niche = true;
                    }
                    niche |= has_niche;
                    total += size;
                }
                if s.additional.is_some() {
                    total += 24;
                    niche = true;
                }
                (total.div_ceil(8) * 8, niche)
            }
            Model::Union(u) => {
                let largest = u
                    .variants
                    .iter()
                    .map(|v| if v.boxed { 8 } else { self.of(&v.ty).0 })
                    .chain([self.json_value])
                    .max()
                    .unwrap_or(0);
                (largest + 8, true)
            }
        };
        self.memo.borrow_mut().insert(key, size);
        size
    }
}

/// Every model a type mentions, by value or through `Option`, `Box`, `Vec` or
/// a map.
fn mentioned<'t>(ty: &'t TypeRef, out: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(n) => out.push(n),
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentioned(inner, out),
        _ => {}
    }
}

/// An upper bound on how deeply the models nest: the longest chain of models
/// each containing the next (in any way), where a group of models that refer
/// to each other counts as many links as it has models. The compiler walks
/// such chains when it works out the auto traits of a type (rustdoc does so
/// for every type), a few levels of its recursion limit per link.
pub fn nesting_depth(models: &[Model]) -> usize {
    let index: BTreeMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name(), i))
        .collect();
    let edges: Vec<Vec<usize>> = models
        .iter()
        .map(|m| {
            let mut names = Vec::new();
            match m {
                Model::Struct(s) => {
                    for f in &s.fields {
                        mentioned(&f.ty, &mut names);
                    }
                    if let Some((_, ty)) = &s.additional {
                        mentioned(ty, &mut names);
                    }
                }
                Model::Union(u) => {
                    for v in &u.variants {
                        mentioned(&v.ty, &mut names);
                    }
                }
                Model::Enum(_) => {}
            }
            names.iter().filter_map(|n| index.get(n).copied()).collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let count = component.iter().max().map_or(0, |c| c + 1);
    let mut size = vec![0usize; count];
    for &c in &component {
        size[c] += 1;
    }
    // Tarjan numbers a component after every component it reaches, so
    // increasing numbers are a topological order from the leaves up.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &c) in component.iter().enumerate() {
        members[c].push(node);
    }
    let mut longest = vec![0usize; count];
    for c in 0..count {
        let below = members[c]
            .iter()
            .flat_map(|&node| &edges[node])
            .map(|&to| component[to])
            .filter(|&d| d != c)
            .map(|d| longest[d])
            .max()
            .unwrap_or(0);
        longest[c] = size[c] + below;
    }
    longest.into_iter().max().unwrap_or(0)
}

/// Tarjan's algorithm (iterative): the strongly connected component of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its edge list)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, StructModel, UnionModel, UnionVariant};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.to_owned(),
            wire: name.to_owned(),
            doc: None,
            ty,
            required: true,
            nullable: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            boxed: false,
            default: None,
            constraints: Default::default(),
            rule: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> Model {
        Model::Struct(StructModel {
            name: name.to_owned(),
            origin: String::new(),
            doc: None,
            fields,
            additional: None,
            required_struct: None,
            checked: false,
            in_requests: false,
            notes: Vec::new(),
        })
    }

    fn variant(name: &str, ty: TypeRef) -> UnionVariant {
        UnionVariant {
            name: name.to_owned(),
            ty,
            tags: Vec::new(),
            boxed: false,
            doc: None,
        }
    }

    #[test]
    fn nesting_counts_chains_and_groups() {
        let named = |n: &str| TypeRef::Array(Box::new(TypeRef::Named(n.to_owned())));
        // A -> B -> C, and B <-> D (a group of two).
        let models = vec![
            strukt("A", vec![field("b", named("B"))]),
            strukt("B", vec![field("c", named("C")), field("d", named("D"))]),
            strukt("C", vec![field("x", TypeRef::String)]),
            strukt("D", vec![field("b", named("B"))]),
        ];
        // A, then the group {B, D}, then C.
        assert_eq!(nesting_depth(&models), 4);
        assert_eq!(nesting_depth(&models[2..3]), 1);
    }

    #[test]
    fn only_a_much_larger_alternative_is_boxed() {
        let big: Vec<Field> = (0..12)
            .map(|i| field(&format!("f{i}"), TypeRef::String))
            .collect();
        let mut models = vec![
            strukt("Big", big),
            strukt("Small", vec![field("a", TypeRef::String)]),
            Model::Union(UnionModel {
                name: "Either".to_owned(),
                origin: String::new(),
                doc: None,
                variants: vec![
                    variant("Big", TypeRef::Named("Big".to_owned())),
                    variant("Small", TypeRef::Named("Small".to_owned())),
                    variant("Text", TypeRef::String),
                ],
                tag: None,
                checked: false,
            }),
        ];
        box_large_variants(&mut models);
        let Model::Union(u) = &models[2] else {
            unreachable!()
        };
        let boxed: Vec<bool> = u.variants.iter().map(|v| v.boxed).collect();
        assert_eq!(boxed, [true, false, false]);
    }

    #[test]
    fn components() {
        // 0 -> 1 -> 2 -> 0 (a cycle), 3 -> 3 (a self loop), 4 -> 0 (outside).
        let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![3], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
    }
}
