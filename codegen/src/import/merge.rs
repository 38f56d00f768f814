//! Merging units into one document: one service, one operation per path and
//! method in `paths` (the further ones, told apart by their content, in
//! `x-paths`), unique operationIds, and components of the same name from
//! different files merged when identical and renamed when not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Location, Pointer};

use super::context::{SECTIONS, component_ref, located, split_ref};
use super::swagger2::METHODS;
use super::{Imported, Options, Repair, Unit};

/// The merged document and what happened on the way.
pub(crate) struct Merged {
    pub document: Value,
    pub repairs: Vec<Repair>,
    pub errors: Vec<Error>,
    /// Units left out whole.
    pub skipped: usize,
    pub operations: usize,
}

/// Renaming stops after this many rounds (each round splits at least one
/// group of same-named components, so real inputs need a handful).
const MAX_ROUNDS: usize = 64;

pub(crate) fn merge(mut units: Vec<Unit>, options: &Options) -> Merged {
    units.sort_by(|a, b| a.file.cmp(&b.file));
    let mut repairs = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = 0;

    // One service.
    let service = options
        .service
        .clone()
        .or_else(|| most_common(units.iter().filter_map(|u| u.service.clone())));
    if let Some(service) = &service {
        units.retain(|u| match &u.service {
            Some(s) if !s.eq_ignore_ascii_case(service) => {
                errors.push(located(
                    &u.file,
                    ErrorKind::Invalid,
                    &Pointer::root().join("product_short"),
                    format!("the file belongs to service `{s}`, not `{service}`; left out"),
                ));
                skipped += 1;
                false
            }
            _ => true,
        });
    }

    // One operation per path and method in `paths`: an identical copy is
    // dropped; one with different content (an action endpoint, told apart by
    // its body or query) goes to `x-paths`.
    type Seen = Vec<(PathBuf, String, String)>;
    let mut seen: BTreeMap<(String, String), Seen> = BTreeMap::new();
    // (file, pointer) of each operation for `x-paths` → the file and
    // operationId of the one in `paths`.
    let mut further: BTreeMap<(PathBuf, String), (PathBuf, String)> = BTreeMap::new();
    for unit in units.iter_mut() {
        let file = unit.file.clone();
        unit.operations.retain(|op| {
            let key = (op.path.clone(), op.method.clone());
            let content = canonical(&without_operation_id(&op.op));
            let id = op
                .op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let earlier = seen.entry(key).or_default();
            if let Some((first, _, first_id)) = earlier.iter().find(|(_, c, _)| *c == content) {
                repairs.push(Repair {
                    file: file.clone(),
                    pointer: op.at.to_string(),
                    message: format!(
                        "`{} {}` is the same operation as `{first_id}` in {}; this copy dropped",
                        op.method.to_uppercase(),
                        op.path,
                        first.display()
                    ),
                });
                return false;
            }
            if let Some((first, _, first_id)) = earlier.first() {
                further.insert(
                    (file.clone(), op.at.to_string()),
                    (first.clone(), first_id.clone()),
                );
            }
            earlier.push((file.clone(), content, id));
            true
        });
    }
    let before = units.len();
    units.retain(|u| !u.operations.is_empty());
    skipped += before - units.len();

    // Component names.
    let finals = resolve_names(&units, &mut repairs, &mut errors);

    // Unique operationIds, in file order.
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for unit in units.iter_mut() {
        for op in unit.operations.iter_mut() {
            let Value::Object(map) = &mut op.op else {
                continue;
            };
            let id = map
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let mut unique = id.clone();
            let mut n = 2;
            while ids.contains(&unique) {
                unique = format!("{id}_{n}");
                n += 1;
            }
            if unique != id {
                repairs.push(Repair {
                    file: unit.file.clone(),
                    pointer: op.at.join("operationId").to_string(),
                    message: format!(
                        "operationId `{id}` is already used by another file; renamed `{unique}`"
                    ),
                });
                map.insert("operationId".into(), Value::String(unique.clone()));
            }
            ids.insert(unique);
        }
    }

    // Servers: the most common list for the document, others per operation.
    let main_servers = most_common(
        units
            .iter()
            .filter(|u| !u.servers.is_empty())
            .map(|u| u.servers.clone()),
    )
    .unwrap_or_default();

    // Paths and components.
    let mut paths: BTreeMap<String, BTreeMap<usize, Value>> = BTreeMap::new();
    let mut x_paths: BTreeMap<String, BTreeMap<usize, Value>> = BTreeMap::new();
    let mut components: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    let mut schemes: BTreeMap<String, (Value, PathBuf)> = BTreeMap::new();
    let mut tags: BTreeSet<String> = BTreeSet::new();
    let mut versions: BTreeSet<String> = BTreeSet::new();
    let mut operations = 0;
    for (u, unit) in units.iter_mut().enumerate() {
        repairs.append(&mut unit.repairs);
        if let Some(v) = &unit.version {
            versions.insert(v.clone());
        }
        let names = &finals[u];
        let rename =
            |section: &str, name: &str| names.get(&(section.to_owned(), name.to_owned())).cloned();
        for c in &unit.components {
            let mut value = c.value.clone();
            rewrite_refs(&mut value, &rename);
            let name = rename(&c.section, &c.name).unwrap_or_else(|| c.name.clone());
            let section = components.entry(c.section.clone()).or_default();
            match section.get(&name) {
                Some(existing) if canonical(existing) != canonical(&value) => errors.push(located(
                    &unit.file,
                    ErrorKind::Internal,
                    &c.at,
                    format!("`{name}` still differs from a component of the same name after renaming; left out"),
                )),
                Some(_) => {}
                None => {
                    section.insert(name, value);
                }
            }
        }
        for (name, scheme) in &unit.security_schemes {
            match schemes.get(name) {
                Some((existing, first)) if canonical(existing) != canonical(scheme) => repairs
                    .push(Repair {
                        file: unit.file.clone(),
                        pointer: Pointer::root()
                            .join("security_definitions")
                            .join(name)
                            .to_string(),
                        message: format!(
                            "security scheme `{name}` differs from the one in {}; that one kept",
                            first.display()
                        ),
                    }),
                Some(_) => {}
                None => {
                    schemes.insert(name.clone(), (scheme.clone(), unit.file.clone()));
                }
            }
        }
        for op in &unit.operations {
            let mut value = op.op.clone();
            rewrite_refs(&mut value, &rename);
            if let Value::Object(map) = &mut value {
                if let Some(Value::Array(list)) = map.get("tags") {
                    tags.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                if !unit.servers.is_empty() && unit.servers != main_servers {
                    map.insert("servers".into(), servers_value(&unit.servers));
                }
            }
            let order = METHODS
                .iter()
                .position(|m| *m == op.method)
                .unwrap_or(METHODS.len());
            let item = match further.get(&(unit.file.clone(), op.at.to_string())) {
                Some((first, first_id)) => {
                    let key = x_paths_key(&op.path, &value, &x_paths);
                    repairs.push(Repair {
                        file: unit.file.clone(),
                        pointer: op.at.to_string(),
                        message: format!(
                            "`{} {}` is also the path and method of `{first_id}` in {}, with different content; OpenAPI allows one operation per path and method, so this one is under `x-paths` as `{key}`",
                            op.method.to_uppercase(),
                            op.path,
                            first.display()
                        ),
                    });
                    x_paths.entry(key).or_default()
                }
                None => paths.entry(op.path.clone()).or_default(),
            };
            item.insert(order, order_operation(value));
            operations += 1;
        }
    }

    let mut doc = Map::new();
    doc.insert("openapi".into(), "3.0.3".into());
    let mut info = Map::new();
    let title = options
        .title
        .clone()
        .or_else(|| service.clone())
        .unwrap_or_else(|| "API".to_owned());
    info.insert("title".into(), Value::String(title));
    let version = if versions.is_empty() {
        "unversioned".to_owned()
    } else {
        versions.into_iter().collect::<Vec<_>>().join(", ")
    };
    info.insert("version".into(), Value::String(version));
    info.insert(
        "description".into(),
        Value::String(format!(
            "Converted by `codegen import` from {} Huawei API Explorer definition file(s); the descriptions are the source's own, untranslated.",
            units.len()
        )),
    );
    doc.insert("info".into(), Value::Object(info));
    if !main_servers.is_empty() {
        doc.insert("servers".into(), servers_value(&main_servers));
    }
    if !tags.is_empty() {
        doc.insert(
            "tags".into(),
            Value::Array(
                tags.into_iter()
                    .map(|t| {
                        let mut m = Map::new();
                        m.insert("name".into(), Value::String(t));
                        Value::Object(m)
                    })
                    .collect(),
            ),
        );
    }
    let path_items = |paths: BTreeMap<String, BTreeMap<usize, Value>>| {
        let mut path_map = Map::new();
        for (path, ops) in paths {
            let mut item = Map::new();
            for (order, op) in ops {
                if let Some(m) = METHODS.get(order) {
                    item.insert((*m).to_owned(), op);
                }
            }
            path_map.insert(path, Value::Object(item));
        }
        Value::Object(path_map)
    };
    doc.insert("paths".into(), path_items(paths));
    if !x_paths.is_empty() {
        doc.insert(crate::load::X_PATHS.into(), path_items(x_paths));
    }
    let mut comps = Map::new();
    for section in SECTIONS {
        if *section == "securitySchemes" {
            if !schemes.is_empty() {
                comps.insert(
                    (*section).to_owned(),
                    Value::Object(
                        schemes
                            .iter()
                            .map(|(k, (v, _))| (k.clone(), v.clone()))
                            .collect(),
                    ),
                );
            }
            continue;
        }
        if let Some(entries) = components.remove(*section) {
            if !entries.is_empty() {
                comps.insert(
                    (*section).to_owned(),
                    Value::Object(entries.into_iter().collect()),
                );
            }
        }
    }
    if !comps.is_empty() {
        doc.insert("components".into(), Value::Object(comps));
    }
    Merged {
        document: Value::Object(doc),
        repairs,
        errors,
        skipped,
        operations,
    }
}

fn servers_value(urls: &[String]) -> Value {
    Value::Array(
        urls.iter()
            .map(|u| {
                let mut m = Map::new();
                m.insert("url".into(), Value::String(u.clone()));
                Value::Object(m)
            })
            .collect(),
    )
}

/// The `x-paths` key of a further operation on `path`: the path, `#` and a
/// label from the operation's (unique) operationId, in the characters a label
/// may have; numbered where two labels of one path would still agree.
fn x_paths_key(path: &str, op: &Value, taken: &BTreeMap<String, BTreeMap<usize, Value>>) -> String {
    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("");
    let mut label: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if label.is_empty() {
        label = "operation".to_owned();
    }
    let mut key = format!("{path}#{label}");
    let mut n = 2;
    while taken.contains_key(&key) {
        key = format!("{path}#{label}_{n}");
        n += 1;
    }
    key
}

/// The value seen most often; ties go to the smallest.
fn most_common<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    counts.into_iter().find(|(_, c)| *c == best).map(|(t, _)| t)
}

fn without_operation_id(op: &Value) -> Value {
    let mut op = op.clone();
    if let Value::Object(m) = &mut op {
        m.remove("operationId");
    }
    op
}

/// Operation keys in OpenAPI's order, extensions last in source order.
fn order_operation(op: Value) -> Value {
    const ORDER: &[&str] = &[
        "operationId",
        "summary",
        "description",
        "tags",
        "externalDocs",
        "deprecated",
        "servers",
        "security",
        "parameters",
        "requestBody",
        "responses",
        "callbacks",
    ];
    let Value::Object(mut map) = op else {
        return op;
    };
    let mut out = Map::new();
    for key in ORDER {
        if let Some(v) = map.remove(*key) {
            out.insert((*key).to_owned(), v);
        }
    }
    for (k, v) in map {
        out.insert(k, v);
    }
    Value::Object(out)
}

/// A text form of a value with object keys sorted: equal for equal content.
pub(crate) fn canonical(value: &Value) -> String {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for k in keys {
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    if let Some(v) = map.get(k) {
                        write(v, out);
                    }
                    out.push(',');
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for item in items {
                    write(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value, &mut out);
    out
}

/// Rewrites every `$ref: #/components/<section>/<name>` through `rename`.
fn rewrite_refs(value: &mut Value, rename: &dyn Fn(&str, &str) -> Option<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if r.starts_with("#/components/") {
                    if let Some((section, name)) = split_ref(r) {
                        if let Some(new) = rename(&section, &name) {
                            *r = component_ref(&section, &new);
                        }
                    }
                }
            }
            for (k, v) in map.iter_mut() {
                // Example values are data, not references.
                if k == "example"
                    || k == "examples"
                        && v.as_object()
                            .is_some_and(|e| e.values().all(|x| x.get("value").is_some()))
                {
                    continue;
                }
                rewrite_refs(v, rename);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, rename);
            }
        }
        _ => {}
    }
}

/// A component name as OpenAPI allows it (`^[a-zA-Z0-9.\-_]+$`).
fn sanitize(name: &str) -> String {
    let out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() { "_".to_owned() } else { out }
}

type Names = BTreeMap<(String, String), String>;

/// (section, name) → canonical content → members (unit index, source name).
type Groups = BTreeMap<(String, String), BTreeMap<String, Vec<(usize, String)>>>;

/// Final component names per unit: the file's names made valid; where files
/// give different content under one name, the content used by the most files
/// keeps the name (ties: the first file) and every other gets the name of the
/// first operation using it in front. Repeated until references agree too (a
/// schema referring to a renamed one differs from its namesakes).
fn resolve_names(units: &[Unit], repairs: &mut Vec<Repair>, errors: &mut Vec<Error>) -> Vec<Names> {
    let mut finals: Vec<Names> = units
        .iter()
        .map(|u| {
            u.components
                .iter()
                .map(|c| ((c.section.clone(), c.name.clone()), sanitize(&c.name)))
                .collect()
        })
        .collect();
    for (u, unit) in units.iter().enumerate() {
        for c in &unit.components {
            let s = sanitize(&c.name);
            if s != c.name {
                repairs.push(Repair {
                    file: unit.file.clone(),
                    pointer: c.at.to_string(),
                    message: format!(
                        "component name `{}` has characters OpenAPI does not allow; renamed `{s}`",
                        c.name
                    ),
                });
            }
        }
        let _ = u;
    }
    let mut kept_by: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
    let mut settled = false;
    for _ in 0..MAX_ROUNDS {
        // (section, final name) → content → members (unit, source name).
        let mut groups: Groups = BTreeMap::new();
        for (u, unit) in units.iter().enumerate() {
            let names = &finals[u];
            let rename = |section: &str, name: &str| {
                names.get(&(section.to_owned(), name.to_owned())).cloned()
            };
            for c in &unit.components {
                let mut value = c.value.clone();
                rewrite_refs(&mut value, &rename);
                let key = (
                    c.section.clone(),
                    rename(&c.section, &c.name).unwrap_or_default(),
                );
                groups
                    .entry(key)
                    .or_default()
                    .entry(canonical(&value))
                    .or_default()
                    .push((u, c.name.clone()));
            }
        }
        let mut taken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (section, name) in groups.keys() {
            taken
                .entry(section.clone())
                .or_default()
                .insert(name.clone());
        }
        let mut changed = false;
        for ((section, name), contents) in &groups {
            if contents.len() < 2 {
                continue;
            }
            let mut classes: Vec<&Vec<(usize, String)>> = contents.values().collect();
            // Most files first; then the class whose first file comes first.
            classes.sort_by_key(|members| {
                (
                    std::cmp::Reverse(members.len()),
                    members.iter().map(|(u, _)| *u).min().unwrap_or(usize::MAX),
                )
            });
            let keeper_file = classes
                .first()
                .and_then(|m| m.iter().map(|(u, _)| *u).min())
                .map(|u| units[u].file.clone())
                .unwrap_or_default();
            kept_by.insert((section.clone(), name.clone()), keeper_file);
            for members in classes.iter().skip(1) {
                let Some(&(first, ref source)) = members.iter().min_by_key(|(u, _)| *u) else {
                    continue;
                };
                let base = format!("{}{}", sanitize(&units[first].name), sanitize(source));
                let set = taken.entry(section.clone()).or_default();
                let mut new = base.clone();
                let mut n = 2;
                while set.contains(&new) {
                    new = format!("{base}{n}");
                    n += 1;
                }
                set.insert(new.clone());
                for (u, source) in members.iter() {
                    finals[*u].insert((section.clone(), source.clone()), new.clone());
                }
                changed = true;
            }
        }
        if !changed {
            settled = true;
            break;
        }
    }
    if !settled {
        errors.push(Error::new(
            ErrorKind::Internal,
            Location::default(),
            format!("component names did not settle after {MAX_ROUNDS} rounds of renaming"),
        ));
    }
    for (u, unit) in units.iter().enumerate() {
        for c in &unit.components {
            let initial = sanitize(&c.name);
            let Some(last) = finals[u].get(&(c.section.clone(), c.name.clone())) else {
                continue;
            };
            if *last != initial {
                let kept = kept_by
                    .get(&(c.section.clone(), initial.clone()))
                    .map(|f| f.display().to_string())
                    .unwrap_or_else(|| "another file".to_owned());
                repairs.push(Repair {
                    file: unit.file.clone(),
                    pointer: c.at.to_string(),
                    message: format!(
                        "{} `{initial}` differs from the one of the same name in {kept} (which keeps the name); renamed `{last}` and its references rewritten",
                        singular(&c.section)
                    ),
                });
            }
        }
    }
    finals
}

fn singular(section: &str) -> &str {
    match section {
        "schemas" => "definition",
        "responses" => "response",
        "parameters" => "parameter",
        "examples" => "example",
        "requestBodies" => "request body",
        "headers" => "header",
        _ => "component",
    }
}

/// The document as YAML with a comment header and `x-import-repairs`.
pub fn to_yaml(imported: &Imported) -> Result<String, Error> {
    let mut doc = imported.document.clone();
    if let Value::Object(map) = &mut doc {
        if !imported.repairs.is_empty() {
            map.insert(
                "x-import-repairs".into(),
                Value::Array(
                    imported
                        .repairs
                        .iter()
                        .map(|r| Value::String(r.to_string()))
                        .collect(),
                ),
            );
        }
    }
    let body = serde_yaml::to_string(&doc).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            Location::default(),
            format!("the document could not be written as YAML: {e}"),
        )
    })?;
    Ok(format!(
        "# Converted by `codegen import` from {} source file(s), {} left out; {} operation(s).\n# {} repair(s), listed under x-import-repairs (source file: JSON pointer: what was done).\n{body}",
        imported.files,
        imported.skipped,
        imported.operations,
        imported.repairs.len()
    ))
}
