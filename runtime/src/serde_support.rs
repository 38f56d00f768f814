//! serde helpers the generated models use: optional nullable fields and tagged
//! unions.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// `Option<Option<T>>` for a field that may be absent (`None`, skipped when
/// serializing) or `null` (`Some(None)`).
pub mod double_option {
    use super::*;

    /// Writes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` is skipped
    /// by the field's `skip_serializing_if`).
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// A present field: `null` is `Some(None)` (an absent one is `None` through
    /// the field's `default`).
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// The discriminator of a tagged union: the string at `tag`.
pub fn tag<'v>(value: &'v Value, tag: &str) -> Option<&'v str> {
    value.get(tag)?.as_str()
}

/// One alternative of a tagged union, from the whole value.
pub fn variant<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Thing {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "double_option"
        )]
        note: Option<Option<String>>,
    }

    #[test]
    fn absent_and_null_stay_apart() {
        let absent: Thing = serde_json::from_str("{}").unwrap();
        let null: Thing = serde_json::from_str(r#"{"note":null}"#).unwrap();
        let set: Thing = serde_json::from_str(r#"{"note":"x"}"#).unwrap();
        assert_eq!(absent.note, None);
        assert_eq!(null.note, Some(None));
        assert_eq!(set.note, Some(Some("x".to_owned())));
        assert_eq!(serde_json::to_string(&absent).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&null).unwrap(), r#"{"note":null}"#);
        assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"note":"x"}"#);
    }
}
