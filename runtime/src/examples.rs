//! Round trips of the spec's examples through the generated models, for the
//! tests codegen writes into each service crate.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `json` into `T` and encodes it again; `Err` says what changed. An
/// absent optional field and a `null` one both decode to `None`, so `null`
/// members are not compared; numbers compare by value (`50` equals `50.0`).
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value =
        serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}"))?;
    let typed: T = serde_json::from_str(json)
        .map_err(|e| format!("does not decode into {}: {e}", std::any::type_name::<T>()))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))?;
    let expected = without_nulls(&original);
    let got = without_nulls(&back);
    if same(&expected, &got) {
        Ok(())
    } else {
        Err(format!(
            "encodes back differently:\n  expected {expected}\n  got      {got}"
        ))
    }
}

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

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::round_trip;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Thing {
        id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<f64>,
    }

    #[test]
    fn differences_are_found() {
        assert_eq!(round_trip::<Thing>(r#"{"id":"a","size":50}"#), Ok(()));
        assert_eq!(round_trip::<Thing>(r#"{"id":"a","size":null}"#), Ok(()));
        let unknown = round_trip::<Thing>(r#"{"id":"a","colour":"red"}"#);
        assert!(unknown.is_err_and(|e| e.contains("encodes back differently")));
        let wrong = round_trip::<Thing>(r#"{"id":5}"#);
        assert!(wrong.is_err_and(|e| e.contains("does not decode")));
    }
}
