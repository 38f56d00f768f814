//! Open enumerations: what every generated string `enum` can do, defined once,
//! so that generated code only lists the variants and their wire values.

/// A generated string enumeration: its known variants with their wire values.
/// The enum itself has one more variant, `Unknown(UnknownValue)`, for values
/// this version does not know (kept as received, never an error).
pub trait OpenEnum: Sized + Clone + PartialEq + 'static {
    /// Every known variant with its value on the wire.
    const KNOWN: &'static [(Self, &'static str)];
}

/// The wire value of a known variant (`""` for none, which cannot happen for
/// a variant listed in `KNOWN`).
pub fn known_wire<T: OpenEnum>(value: &T) -> &'static str {
    T::KNOWN
        .iter()
        .find(|(known, _)| known == value)
        .map_or("", |(_, wire)| wire)
}

/// The known variant for a wire value.
pub fn known_variant<T: OpenEnum>(wire: &str) -> Option<T> {
    T::KNOWN
        .iter()
        .find(|(_, w)| *w == wire)
        .map(|(known, _)| known.clone())
}

/// Gives a generated [`OpenEnum`] its conversions: `as_str`, `From<&str>`,
/// `From<String>`, `Into<String>`, `Display` and serde as a JSON string. The enum
/// must have the variant `Unknown(UnknownValue)`. With `checked`, it also gets a
/// `Check` impl that refuses `Unknown` values in requests.
///
/// For generated code (through `huaweicloud_sdk_core::__private::open_enum`).
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    ($name:ident, checked) => {
        $crate::__open_enum!($name);

        impl $crate::__private::Check for $name {
            fn check(&self, v: &mut $crate::__private::Validator, _: &$crate::__private::Rules) {
                if let Self::Unknown(value) = self {
                    v.unknown_value::<Self>(value.as_str());
                }
            }
        }
    };
    ($name:ident) => {
        impl $name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(value) => value.as_str(),
                    known => $crate::__private::known_wire(known),
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::__private::known_variant(value)
                    .unwrap_or_else(|| Self::Unknown($crate::__private::unknown(value)))
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::core::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_str(deserializer).map(|s| Self::from(s.as_ref()))
            }
        }
    };
}

/// Reads a JSON string, borrowed when the input allows it.
pub fn deserialize_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    struct Text;
    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = std::borrow::Cow<'de, str>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Borrowed(v))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v.to_owned()))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(std::borrow::Cow::Owned(v))
        }
    }
    deserializer.deserialize_str(Text)
}

#[cfg(test)]
mod tests {
    use super::OpenEnum;
    use crate::UnknownValue;

    /// Test enum.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Mode {
        Single,
        Cluster,
        Unknown(UnknownValue),
    }

    impl OpenEnum for Mode {
        const KNOWN: &'static [(Self, &'static str)] =
            &[(Self::Single, "Single"), (Self::Cluster, "Cluster")];
    }

    crate::__open_enum!(Mode);

    #[test]
    fn known_and_unknown_values_round_trip() {
        let modes: Vec<Mode> = serde_json::from_str(r#"["Single","Cluster","Ring"]"#).unwrap();
        assert_eq!(modes[0], Mode::Single);
        assert_eq!(modes[1], Mode::Cluster);
        assert!(matches!(&modes[2], Mode::Unknown(v) if v.as_str() == "Ring"));
        assert_eq!(
            serde_json::to_string(&modes).unwrap(),
            r#"["Single","Cluster","Ring"]"#
        );
        assert_eq!(Mode::from("Cluster").to_string(), "Cluster");
        assert_eq!(String::from(Mode::Single), "Single");
        assert!(serde_json::from_str::<Mode>("1").is_err());
    }
}
