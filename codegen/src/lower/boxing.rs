//! Recursive types: a model that contains itself by value (directly, or through
//! other models, `Option` included) would have infinite size. Every by-value edge
//! inside a cycle of the containment graph is boxed; `Vec` and map values are on
//! the heap already and break cycles by themselves.

use std::collections::BTreeMap;

use crate::ir::{Model, TypeRef};

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
    use super::strongly_connected;

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
