//! Every example in the specs is valid against its schema (checked with the
//! `jsonschema` crate), and deserializes into its generated model and
//! serializes back to the same JSON.

use huaweicloud_sdk_gaussdb::models;
use serde::{Serialize, de::DeserializeOwned};
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

/// Turns OpenAPI 3.0 schema dialect into JSON Schema: `nullable: true` admits
/// `null`; objects with properties admit no others (so an example cannot carry a
/// field its table does not define).
fn to_json_schema(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
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
                to_json_schema(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_json_schema),
        _ => {}
    }
}

/// `null` members dropped: an absent optional field and a `null` one decode to
/// the same `None`.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn roundtrip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    let expected = without_nulls(value);
    if back == expected {
        Ok(())
    } else {
        Err(format!(
            "serializes back differently:\n  expected {expected}\n  got      {back}"
        ))
    }
}

/// The generated model for a component schema. An example whose schema is not
/// listed here fails the test, so new schemas get a round-trip check too.
fn roundtrip_as(schema_name: &str, value: &Value) -> Result<(), String> {
    match schema_name {
        "StarRocksCreateRequest" => roundtrip::<models::StarRocksCreateRequest>(value),
        "CreateStarrocksInstanceResponse" => {
            roundtrip::<models::CreateStarrocksInstanceResponse>(value)
        }
        "CreateStarRocksDataReplication" => {
            roundtrip::<models::CreateStarRocksDataReplication>(value)
        }
        "CreateStarRocksDataReplicationResponse" => {
            roundtrip::<models::CreateStarRocksDataReplicationResponse>(value)
        }
        "ListHtapInstanceInfoResponse" => roundtrip::<models::ListHtapInstanceInfoResponse>(value),
        "ModifyDataSyncConfigRequestV3" => {
            roundtrip::<models::ModifyDataSyncConfigRequestV3>(value)
        }
        "ModifyDataSyncResponse" => roundtrip::<models::ModifyDataSyncResponse>(value),
        "ErrorResponse" => roundtrip::<models::ErrorResponse>(value),
        other => Err(format!(
            "no generated model is mapped for schema `{other}` in this test"
        )),
    }
}

#[test]
fn every_example_validates_and_round_trips() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for (file, doc) in sdk_tests::spec_documents() {
        let mut components = doc["components"].clone();
        to_json_schema(&mut components);
        for example in examples(&doc) {
            checked += 1;
            let at = format!("{file}: {}", example.at);
            let mut schema = example.schema.clone();
            to_json_schema(&mut schema);
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
            let Some(name) = example.schema["$ref"]
                .as_str()
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                failures.push(format!(
                    "{at}: the media type schema is not a $ref to a named schema"
                ));
                continue;
            };
            if let Err(e) = roundtrip_as(name, &example.value) {
                failures.push(format!("{at} ({name}): {e}"));
            }
        }
    }
    // The four gaussdb pages show 9 examples; the two identical 400 examples share one
    // component response.
    assert!(
        checked >= 8,
        "expected the 8 distinct examples of the gaussdb pages, found {checked}"
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
        .next()
        .unwrap_or_default();
    let mut components = doc["components"].clone();
    to_json_schema(&mut components);
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
    assert!(
        roundtrip_as(
            "CreateStarRocksDataReplicationResponse",
            &json!({"job_id": 5})
        )
        .is_err()
    );
}
