//! Every example in the specs is valid against its schema (checked with the
//! `jsonschema` crate). That each one also decodes into its generated type and
//! encodes back to the same JSON is checked by the tests codegen writes into
//! every service crate (`generated/<service>/tests/examples.rs`).

use serde_json::{Value, json};

/// One example found in a spec: where it is, its schema, its value.
struct Example {
    at: String,
    schema: Value,
    value: Value,
}

/// Every `example` / `examples` of every media type object (request bodies and
/// responses, inline or in components).
fn examples(doc: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let mut media_types = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let at = format!("paths.{path}.{method}");
                media_types.push((format!("{at}.requestBody"), &op["requestBody"]["content"]));
                for (status, response) in op["responses"].as_object().into_iter().flatten() {
                    media_types.push((format!("{at}.responses.{status}"), &response["content"]));
                }
            }
        }
    }
    for (name, response) in doc["components"]["responses"]
        .as_object()
        .into_iter()
        .flatten()
    {
        media_types.push((format!("components.responses.{name}"), &response["content"]));
    }
    for (at, content) in media_types {
        for (media, m) in content.as_object().into_iter().flatten() {
            let schema = m["schema"].clone();
            if let Some(v) = m.get("example") {
                out.push(Example {
                    at: format!("{at}.{media}.example"),
                    schema: schema.clone(),
                    value: v.clone(),
                });
            }
            for (name, e) in m["examples"].as_object().into_iter().flatten() {
                out.push(Example {
                    at: format!("{at}.{media}.examples.{name}"),
                    schema: schema.clone(),
                    value: e["value"].clone(),
                });
            }
        }
    }
    out
}

/// Which way an example travels: OpenAPI 3.0.3 §4.7.24.1 says a required
/// `readOnly` property is required in replies only, a required `writeOnly` one
/// in requests only.
#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Reply,
}

/// Turns OpenAPI 3.0 schema dialect into JSON Schema: `nullable: true` admits
/// `null`; objects with properties admit no others (so an example cannot carry a
/// field its table does not define); `required` leaves out the properties that
/// do not travel in this direction.
fn to_json_schema(schema: &mut Value, direction: Direction) {
    match schema {
        Value::Object(map) => {
            let skip = match direction {
                Direction::Request => "readOnly",
                Direction::Reply => "writeOnly",
            };
            let one_way: Vec<String> = map
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .filter(|(_, p)| p.get(skip) == Some(&Value::Bool(true)))
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Array(required)) = map.get_mut("required") {
                required.retain(|r| !r.as_str().is_some_and(|r| one_way.iter().any(|o| o == r)));
                if required.is_empty() {
                    map.remove("required");
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), json!([t, "null"]));
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for v in map.values_mut() {
                to_json_schema(v, direction);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| to_json_schema(v, direction)),
        _ => {}
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, doc) in sdk_tests::spec_documents() {
        for example in examples(&doc) {
            checked += 1;
            let at = format!("{file}: {}", example.at);
            let direction = if example.at.contains(".requestBody") {
                Direction::Request
            } else {
                Direction::Reply
            };
            let mut components = doc["components"].clone();
            to_json_schema(&mut components, direction);
            let mut schema = example.schema.clone();
            to_json_schema(&mut schema, direction);
            let root = json!({ "allOf": [schema], "components": components });
            match jsonschema::draft4::new(&root) {
                Ok(validator) => {
                    for error in validator.iter_errors(&example.value) {
                        failures.push(format!(
                            "{at}: invalid at {}: {error}",
                            error.instance_path()
                        ));
                    }
                }
                Err(e) => failures.push(format!("{at}: schema does not compile: {e}")),
            }
        }
    }
    // gaussdb 8, drs 7, opengauss 9, roma 6, chain 2 (shared responses counted once).
    assert!(
        checked >= 32,
        "expected the 32 distinct examples of the specs, found {checked}"
    );
    assert!(
        failures.is_empty(),
        "{} example problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The check has teeth: an example with a wrong type or an unknown field fails.
#[test]
fn validation_catches_bad_examples() {
    let (_, doc) = sdk_tests::spec_documents()
        .into_iter()
        .find(|(file, _)| file == "gaussdb.yaml")
        .unwrap_or_default();
    let mut components = doc["components"].clone();
    to_json_schema(&mut components, Direction::Reply);
    let root = json!({ "allOf": [{"$ref": "#/components/schemas/CreateStarRocksDataReplicationResponse"}], "components": components });
    let validator = match jsonschema::draft4::new(&root) {
        Ok(v) => v,
        Err(e) => panic!("schema does not compile: {e}"),
    };
    assert!(validator.is_valid(&json!({"job_id": "123"})));
    assert!(
        !validator.is_valid(&json!({"job_id": 1})),
        "a number where a string belongs must fail"
    );
    assert!(
        !validator.is_valid(&json!({"job_id": "123", "surprise": true})),
        "an undeclared field must fail"
    );
}
