//! The slow path of decoding a reply: what runs after `serde_json::from_slice`
//! has refused a body for its model.
//!
//! Huawei Cloud services do not always send the JSON type their API declares
//! (`"port": "8000"` where the model says integer, a number where it says
//! string). The official SDKs then fail the whole reply. Here the body is read
//! into a [`Value`] tree ([`parse`]) and the model is deserialized from that tree
//! through a [`serde::Deserializer`] that knows where it is (the JSON path) and
//! reads a value of the wrong JSON type as the declared type when nothing can
//! be lost ([`from_value`]):
//!
//! | declared | sent | read as |
//! |---|---|---|
//! | string (also open enums, [`Secret`](crate::Secret), unit enum variants) | number: `8000`, `1.5` | `"8000"`, `"1.5"` |
//! | string | `true` / `false` | `"true"` / `"false"` |
//! | integer (`i8` … `u128`) | a string that is exactly how that integer type writes the number: `"8000"`, `"-3"` | `8000`, `-3` |
//! | float (`f32`, `f64`) | a string that is exactly how serde_json writes the number: `"1.5"`, `"1.0"`, `"8000"`, `"1e+20"` | `1.5`, `1.0`, `8000.0`, `1e20` |
//! | `bool` | `"true"` / `"false"` | `true` / `false` |
//!
//! Refused, so the reply fails as before, at the value's path: strings that
//! only look like numbers (`"08000"`, `"+1"`, `" 1"`, `"1e3"`, `"-0"` for an
//! integer, `"5000000000"` for an `i32`, `"1.50"` or `"NaN"` for a float);
//! digits the float type cannot hold (`"3.141592653589793"` for an `f32`,
//! `"9007199254740993"` for an `f64`); an integral JSON float of 2^53 or more
//! where a string is expected (`12345678901234567890123` has lost digits by
//! the time it is a float); `"True"`, `"1"` or `1` for a `bool`; and every
//! other mismatch (an object for a string, `null` for a required value, ...).
//! The messages are serde's (`invalid type: string "08000", expected i32`).
//!
//! Values whose type the model leaves open are passed on as they are:
//! `serde_json::Value` fields and everything read through `deserialize_any`
//! (untagged enums). serde buffers such values before it knows their type, and
//! so does it for the entries a `#[serde(flatten)]` field collects: those are
//! read by serde's own rules, without these conversions (the declared fields of
//! the same struct are converted).
//!
//! Every conversion is returned as a [`Conversion`], for the caller to log.

use std::cell::Cell;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Number, Value};

/// One value read as its declared type instead of its JSON type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Conversion {
    /// Where, in the syntax of [`DecodeError::path`](crate::error::DecodeError::path).
    pub path: String,
    /// The JSON type sent: `number`, `string` or `boolean`. (Not the value: it
    /// may be a secret.)
    pub found: &'static str,
    /// The declared type it was read as: `string`, `bool`, `i32`, `f64`, ...
    pub read_as: &'static str,
}

/// Why a body did not decode, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The JSON path of the value that failed (`.` is the root).
    pub path: String,
    /// What was wrong there.
    pub message: String,
}

/// Reads `body` as a JSON tree. Unlike `serde_json::from_slice::<Value>`, a
/// syntax error says at which path it happened, and an object that repeats a
/// key is refused (a tree keeps only one of them, while the model would have
/// seen both).
pub(crate) fn parse(body: &[u8]) -> Result<Value, Failure> {
    let failed = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(body);
    let tree = Tree {
        path: Path::Root,
        failed: &failed,
    };
    let result = tree
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    result.map_err(|e| Failure {
        path: failed.take().unwrap_or_else(|| Path::Root.to_string()),
        message: e.to_string(),
    })
}

/// Deserializes `T` from `value` with the conversions of this module; returns
/// the conversions made, in the order they were made.
pub(crate) fn from_value<T: DeserializeOwned>(
    value: &Value,
) -> Result<(T, Vec<Conversion>), Failure> {
    let log = Log::default();
    let root = Lenient {
        value,
        path: Path::Root,
        log: &log,
    };
    match T::deserialize(root) {
        Ok(decoded) => Ok((decoded, log.take())),
        Err(e) => Err(Failure {
            path: e.path.unwrap_or_else(|| Path::Root.to_string()),
            message: e.message,
        }),
    }
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

/// Where a value is, as a chain up to the root (built on the stack while
/// descending; written out only for a conversion or an error).
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Index(&'a Path<'a>, usize),
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn write_segments(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Index(parent, index) => {
                parent.write_segments(f)?;
                write!(f, "[{index}]")
            }
            Path::Key(parent, key) => {
                parent.write_segments(f)?;
                if !matches!(parent, Path::Root) {
                    f.write_str(".")?;
                }
                f.write_str(key)
            }
        }
    }
}

/// `instances[0].port`; `.` for the root (the syntax of `serde_path_to_error`,
/// which the crate used before).
impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("."),
            other => other.write_segments(f),
        }
    }
}

/// The conversions made so far (a `Cell`, so recording one cannot fail).
type Log = Cell<Vec<Conversion>>;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// The error of the lenient deserializer: the message, and the path of the
/// innermost value it came out of (set once, by the first level that sees it).
#[derive(Debug)]
struct Error {
    path: Option<String>,
    message: String,
}

impl Error {
    fn at(mut self, path: &Path<'_>) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_string());
        }
        self
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            path: None,
            message: msg.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

// ---------------------------------------------------------------------------
// The conversions
// ---------------------------------------------------------------------------

/// The largest integer up to which every integer is an `f64` (2^53).
const F64_EXACT: f64 = 9_007_199_254_740_992.0;

/// A number as a string, the way JSON writes it (`8000`, `-3`, `1.5`, `1.0`,
/// `1e20`). `None` for an integral float of 2^53 or more: it may have been an
/// integer with more digits than the float kept.
fn number_text(n: &Number) -> Option<String> {
    if let Some(x) = n.as_f64().filter(|_| n.is_f64()) {
        if x.fract() == 0.0 && x.abs() >= F64_EXACT {
            return None;
        }
    }
    Some(n.to_string())
}

/// The integer `text` spells, if it is exactly how `N` writes that integer:
/// no sign but `-`, no leading zeros, no spaces, no exponent, within range.
fn integer_text<N: std::str::FromStr + ToString>(text: &str) -> Option<N> {
    let n: N = text.parse().ok()?;
    (n.to_string() == text).then_some(n)
}

/// The `f64` `text` spells, if it is exactly how serde_json writes that number
/// (shortest round-trip digits) and the `f64` holds it: `"1.5"`, `"1.0"`,
/// `"8000"`, `"1e+20"`; not `"1.50"`, `"1e3"`, `"1e20"`, `"+1"`,
/// `"9007199254740993"`.
fn f64_text(text: &str) -> Option<f64> {
    let n: Number = text.parse().ok()?;
    if n.to_string() != text {
        return None;
    }
    if let Some(i) = n.as_i64() {
        return (i.unsigned_abs() <= F64_EXACT as u64).then_some(i as f64);
    }
    if let Some(u) = n.as_u64() {
        return (u <= F64_EXACT as u64).then_some(u as f64);
    }
    n.as_f64()
}

/// The `f32` `text` spells: as for [`f64_text`], and the `f32` keeps every digit.
fn f32_text(text: &str) -> Option<f32> {
    let wide = f64_text(text)?;
    let narrow = wide as f32;
    (narrow.is_finite() && narrow.to_string() == wide.to_string()).then_some(narrow)
}

/// `true` / `false` from exactly `"true"` / `"false"`.
fn bool_text(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The deserializer
// ---------------------------------------------------------------------------

/// Deserializes from one value of the tree, converting where the module docs say.
struct Lenient<'de, 'a> {
    value: &'de Value,
    path: Path<'a>,
    log: &'a Log,
}

impl<'de> Lenient<'de, '_> {
    /// Records a conversion of this value.
    fn converted(&self, found: &'static str, read_as: &'static str) {
        let mut list = self.log.take();
        list.push(Conversion {
            path: self.path.to_string(),
            found,
            read_as,
        });
        self.log.set(list);
    }

    /// Hands the value to `visitor` as it is, for the visitor to take or refuse.
    fn pass_through<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, self.path, self.log, visitor),
            Value::Object(entries) => visit_object(entries, self.path, self.log, visitor),
        }
    }

    /// An enum is expected and a number or boolean came: its text names a unit variant.
    fn unit_variant_from<V: Visitor<'de>>(
        self,
        text: String,
        found: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let value = visitor.visit_enum(StringDeserializer::new(text))?;
        self.converted(found, "string");
        Ok(value)
    }

    /// A string is expected: numbers and booleans are read as their text.
    fn string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Number(n) => match number_text(n) {
                Some(text) => {
                    let value = visitor.visit_string(text)?;
                    self.converted("number", "string");
                    Ok(value)
                }
                None => self.pass_through(visitor),
            },
            Value::Bool(b) => {
                let value = visitor.visit_borrowed_str(if *b { "true" } else { "false" })?;
                self.converted("boolean", "string");
                Ok(value)
            }
            _ => self.pass_through(visitor),
        }
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else if let Some(x) = n.as_f64() {
        visitor.visit_f64(x)
    } else {
        Err(de::Error::custom(format_args!("unreadable number {n}")))
    }
}

fn visit_array<'de, 'a, V: Visitor<'de>>(
    items: &'de [Value],
    path: Path<'a>,
    log: &'a Log,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut seq = Items {
        items: items.iter(),
        next: 0,
        path,
        log,
    };
    let value = visitor.visit_seq(&mut seq)?;
    match seq.items.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        )),
    }
}

fn visit_object<'de, 'a, V: Visitor<'de>>(
    entries: &'de Map<String, Value>,
    path: Path<'a>,
    log: &'a Log,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut map = Entries {
        entries: entries.iter(),
        pending: None,
        path,
        log,
    };
    let value = visitor.visit_map(&mut map)?;
    match map.entries.len() {
        0 => Ok(value),
        _ => Err(de::Error::invalid_length(
            entries.len(),
            &"fewer elements in map",
        )),
    }
}

/// `deserialize_<integer|float|bool>`: a value of the JSON type as it is, or a
/// string that spells one exactly (read by `$parse`); anything else goes to the
/// visitor as it is (to be refused).
macro_rules! from_text {
    ($($method:ident => $parse:expr, $visit:ident, $ty:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if let Value::String(s) = self.value {
                if let Some(n) = $parse(s) {
                    let value = visitor.$visit(n)?;
                    self.converted("string", $ty);
                    return Ok(value);
                }
            }
            self.pass_through(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Lenient<'de, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.pass_through(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.string(visitor)
    }

    from_text! {
        deserialize_i8 => integer_text::<i8>, visit_i8, "i8";
        deserialize_i16 => integer_text::<i16>, visit_i16, "i16";
        deserialize_i32 => integer_text::<i32>, visit_i32, "i32";
        deserialize_i64 => integer_text::<i64>, visit_i64, "i64";
        deserialize_i128 => integer_text::<i128>, visit_i128, "i128";
        deserialize_u8 => integer_text::<u8>, visit_u8, "u8";
        deserialize_u16 => integer_text::<u16>, visit_u16, "u16";
        deserialize_u32 => integer_text::<u32>, visit_u32, "u32";
        deserialize_u64 => integer_text::<u64>, visit_u64, "u64";
        deserialize_u128 => integer_text::<u128>, visit_u128, "u128";
        deserialize_f32 => f32_text, visit_f32, "f32";
        deserialize_f64 => f64_text, visit_f64, "f64";
        deserialize_bool => bool_text, visit_bool, "bool";
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// As serde_json writes enums: a unit variant is its name, any other
    /// variant an object with the name as its only key. A number or boolean
    /// names a unit variant by its text.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Value::Object(entries) => {
                let mut iter = entries.iter();
                match (iter.next(), iter.next()) {
                    (Some((name, value)), None) => visitor.visit_enum(Variant {
                        name,
                        value,
                        path: self.path,
                        log: self.log,
                    }),
                    _ => Err(de::Error::invalid_value(
                        Unexpected::Map,
                        &"map with a single key",
                    )),
                }
            }
            Value::Number(n) => match number_text(n) {
                Some(text) => self.unit_variant_from(text, "number", visitor),
                None => Err(de::Error::invalid_type(
                    unexpected(self.value),
                    &"string or map",
                )),
            },
            Value::Bool(b) => self.unit_variant_from(b.to_string(), "boolean", visitor),
            other => Err(de::Error::invalid_type(unexpected(other), &"string or map")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        unit unit_struct seq tuple tuple_struct map struct bytes byte_buf identifier
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, Some(x)) => Unexpected::Float(x),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The elements of an array, each at its index.
struct Items<'de, 'a> {
    items: std::slice::Iter<'de, Value>,
    next: usize,
    path: Path<'a>,
    log: &'a Log,
}

impl<'de> SeqAccess<'de> for Items<'de, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let index = self.next;
        self.next += 1;
        let path = Path::Index(&self.path, index);
        let element = Lenient {
            value,
            path,
            log: self.log,
        };
        seed.deserialize(element).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of an object, each value at its key.
struct Entries<'de, 'a> {
    entries: serde_json::map::Iter<'de>,
    /// The entry whose key was read and whose value comes next.
    pending: Option<(&'de str, &'de Value)>,
    path: Path<'a>,
    log: &'a Log,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.pending = Some((key, value));
        seed.deserialize(Key(key))
            .map(Some)
            .map_err(|e| e.at(&Path::Key(&self.path, key)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, value)) = self.pending.take() else {
            return Err(de::Error::custom(
                "a map value was asked for before its key",
            ));
        };
        let path = Path::Key(&self.path, key);
        let entry = Lenient {
            value,
            path,
            log: self.log,
        };
        seed.deserialize(entry).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum variant written as `{"Name": content}`; the content is at `.Name`.
struct Variant<'de, 'a> {
    name: &'de str,
    value: &'de Value,
    path: Path<'a>,
    log: &'a Log,
}

impl<'de, 'a> EnumAccess<'de> for Variant<'de, 'a> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name = seed.deserialize(BorrowedStrDeserializer::<Error>::new(self.name))?;
        Ok((name, self))
    }
}

impl<'de> Variant<'de, '_> {
    /// Deserializes the content with `f`, at the variant's path.
    fn content<T>(self, f: impl FnOnce(Lenient<'de, '_>) -> Result<T, Error>) -> Result<T, Error> {
        let path = Path::Key(&self.path, self.name);
        let content = Lenient {
            value: self.value,
            path,
            log: self.log,
        };
        f(content).map_err(|e| e.at(&path))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        self.content(|content| match content.value {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        })
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.content(|content| seed.deserialize(content))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.content(|content| content.pass_through(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.content(|content| content.pass_through(visitor))
    }
}

/// An object key. Keys are strings in JSON; like serde_json, a key read as a
/// number or `bool` (`BTreeMap<u32, _>`) is parsed, which is no conversion.
struct Key<'de>(&'de str);

/// `deserialize_<number>` of a key: the key must be a JSON number, read as
/// serde_json reads numeric keys.
macro_rules! numeric_keys {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if !self.0.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                return Err(de::Error::invalid_type(Unexpected::Str(self.0), &visitor));
            }
            let mut de = serde_json::Deserializer::from_str(self.0);
            let value = de.$method(visitor).map_err(de::Error::custom)?;
            de.end().map_err(de::Error::custom)?;
            Ok(value)
        }
    )*};
}

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    numeric_keys! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match bool_text(self.0) {
            Some(b) => visitor.visit_bool(b),
            None => Err(de::Error::invalid_type(Unexpected::Str(self.0), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(BorrowedStrDeserializer::new(self.0))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

// ---------------------------------------------------------------------------
// Reading the tree
// ---------------------------------------------------------------------------

/// Builds a [`Value`] from the body, noting the path of the first failure in
/// `failed` and refusing repeated keys.
struct Tree<'a> {
    path: Path<'a>,
    failed: &'a Cell<Option<String>>,
}

impl Tree<'_> {
    /// Notes `path` as where reading failed, unless a deeper level already did.
    fn fail_at(&self, path: &Path<'_>) {
        let first = self.failed.take();
        self.failed
            .set(Some(first.unwrap_or_else(|| path.to_string())));
    }
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // The parser yields finite floats only; `null` is serde_json's own choice otherwise.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            let path = Path::Index(&self.path, items.len());
            let element = Tree {
                path,
                failed: self.failed,
            };
            match seq.next_element_seed(element) {
                Ok(Some(value)) => items.push(value),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => {
                    self.fail_at(&path);
                    return Err(e);
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        loop {
            let key = match access.next_key::<String>() {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(Value::Object(entries)),
                Err(e) => {
                    self.fail_at(&self.path);
                    return Err(e);
                }
            };
            let path = Path::Key(&self.path, &key);
            if entries.contains_key(&key) {
                self.fail_at(&path);
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let entry = Tree {
                path,
                failed: self.failed,
            };
            match access.next_value_seed(entry) {
                Ok(value) => {
                    entries.insert(key, value);
                }
                Err(e) => {
                    self.fail_at(&path);
                    return Err(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};

    use super::{Failure, from_value, parse};
    use crate::{Secret, UnknownValue};

    /// A conversion as (path, found, read as).
    type Seen = (String, &'static str, &'static str);

    /// Decodes `json` as the slow path does.
    fn lenient<T: DeserializeOwned>(json: &str) -> Result<(T, Vec<Seen>), Failure> {
        let tree = parse(json.as_bytes())?;
        let (value, conversions) = from_value::<T>(&tree)?;
        let seen = conversions
            .into_iter()
            .map(|c| (c.path, c.found, c.read_as))
            .collect();
        Ok((value, seen))
    }

    /// The value of `{"v": <json>}` read as `T`, with the conversions made.
    fn field<T: DeserializeOwned>(json: &str) -> Result<(T, Vec<Seen>), Failure> {
        #[derive(Deserialize)]
        struct One<T> {
            v: T,
        }
        lenient::<One<T>>(&format!(r#"{{"v": {json}}}"#)).map(|(one, seen)| (one.v, seen))
    }

    fn one(path: &str, found: &'static str, read_as: &'static str) -> Vec<Seen> {
        vec![(path.to_owned(), found, read_as)]
    }

    /// `json` read as `T` fails at `v`, with a message that names the value.
    fn refused<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> Failure {
        match field::<T>(json) {
            Ok((value, seen)) => panic!("{json} was read as {value:?} ({seen:?})"),
            Err(failure) => {
                assert_eq!(failure.path, "v", "{json}: {failure:?}");
                failure
            }
        }
    }

    #[test]
    fn numbers_are_read_as_strings() {
        for (json, text) in [
            ("8000", "8000"),
            ("-3", "-3"),
            ("1.5", "1.5"),
            ("1.0", "1.0"),
            ("0.1", "0.1"),
            ("18446744073709551615", "18446744073709551615"),
        ] {
            assert_eq!(
                field::<String>(json).unwrap(),
                (text.to_owned(), one("v", "number", "string")),
                "{json}"
            );
        }
        // A float this large may stand for an integer with more digits.
        let f = refused::<String>("12345678901234567890123");
        assert!(f.message.contains("invalid type"), "{f:?}");
    }

    #[test]
    fn strings_are_read_as_integers_only_in_canonical_form() {
        assert_eq!(
            field::<i32>(r#""8000""#).unwrap(),
            (8000, one("v", "string", "i32"))
        );
        assert_eq!(field::<i64>(r#""-3""#).unwrap().0, -3);
        assert_eq!(field::<u8>(r#""255""#).unwrap().0, 255);
        assert_eq!(
            field::<u64>(r#""18446744073709551615""#).unwrap().0,
            u64::MAX
        );
        assert_eq!(
            field::<i128>(r#""-170141183460469231731687303715884105728""#)
                .unwrap()
                .0,
            i128::MIN
        );
        assert_eq!(
            field::<u128>(r#""0""#).unwrap(),
            (0, one("v", "string", "u128"))
        );
        // Numbers stay numbers, without a conversion.
        assert_eq!(field::<i32>("8000").unwrap(), (8000, vec![]));
        for json in [
            r#""08000""#,
            r#""+1""#,
            r#"" 1""#,
            r#""1 ""#,
            r#""1e3""#,
            r#""1.0""#,
            r#""-0""#,
            r#""""#,
            r#""0x10""#,
            r#""5000000000""#,
            r#""33o6""#,
        ] {
            let f = refused::<i32>(json);
            assert!(
                f.message.contains("invalid type: string") && f.message.contains("expected i32"),
                "{json}: {f:?}"
            );
        }
        refused::<u32>(r#""-1""#);
        refused::<u8>(r#""256""#);
        refused::<i8>(r#""-129""#);
        // Booleans and floats are no integers, as strings or not.
        refused::<i32>(r#""true""#);
        refused::<i32>("true");
        refused::<i32>("1.5");
    }

    #[test]
    fn strings_are_read_as_floats_only_in_canonical_form() {
        assert_eq!(
            field::<f64>(r#""1.5""#).unwrap(),
            (1.5, one("v", "string", "f64"))
        );
        assert_eq!(field::<f64>(r#""1.0""#).unwrap().0, 1.0);
        assert_eq!(field::<f64>(r#""8000""#).unwrap().0, 8000.0);
        assert_eq!(field::<f64>(r#""-0.25""#).unwrap().0, -0.25);
        assert_eq!(field::<f64>(r#""1e+20""#).unwrap().0, 1e20);
        assert_eq!(field::<f64>(r#""1e-7""#).unwrap().0, 1e-7);
        assert_eq!(
            field::<f64>(r#""3.141592653589793""#).unwrap().0,
            std::f64::consts::PI
        );
        assert_eq!(
            field::<f32>(r#""0.1""#).unwrap(),
            (0.1, one("v", "string", "f32"))
        );
        assert_eq!(field::<f32>("0.5").unwrap(), (0.5, vec![]));
        for json in [
            r#""1.50""#,
            r#""1.""#,
            r#"".5""#,
            r#""1e3""#,
            r#""1e20""#,
            r#""+1""#,
            r#"" 1.5""#,
            r#""NaN""#,
            r#""inf""#,
            r#""1e400""#,
            r#""9007199254740993""#,
        ] {
            let f = refused::<f64>(json);
            assert!(f.message.contains("expected f64"), "{json}: {f:?}");
        }
        // Digits an f32 cannot hold.
        refused::<f32>(r#""3.141592653589793""#);
        refused::<f32>(r#""16777217""#);
        refused::<f32>(r#""1e39""#);
    }

    #[test]
    fn booleans_and_their_text_convert_both_ways() {
        assert_eq!(
            field::<bool>(r#""true""#).unwrap(),
            (true, one("v", "string", "bool"))
        );
        assert_eq!(
            field::<bool>(r#""false""#).unwrap(),
            (false, one("v", "string", "bool"))
        );
        assert_eq!(
            field::<String>("false").unwrap(),
            ("false".to_owned(), one("v", "boolean", "string"))
        );
        for json in [
            r#""True""#,
            r#""FALSE""#,
            r#""1""#,
            "1",
            "0",
            r#""yes""#,
            "null",
        ] {
            refused::<bool>(json);
        }
    }

    #[test]
    fn other_mismatches_are_refused_at_their_path() {
        let f = refused::<String>(r#"{"a": 1}"#);
        assert_eq!(f.message, "invalid type: map, expected a string");
        let f = refused::<String>("[1]");
        assert!(f.message.contains("sequence"), "{f:?}");
        let f = refused::<String>("null");
        assert_eq!(f.message, "invalid type: unit value, expected a string");
        let f = refused::<Vec<i32>>(r#""1""#);
        assert!(f.message.contains("expected a sequence"), "{f:?}");
        refused::<(i32, i32)>("[1, 2, 3]");
        // A missing field is reported at its struct.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Needs {
            id: String,
        }
        let f = lenient::<Vec<Needs>>(r#"[{"id": 1}, {}]"#).unwrap_err();
        assert_eq!(f.path, "[1]");
        assert_eq!(f.message, "missing field `id`");
        // An unknown field, where refused, at its key.
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Strict {
            id: Option<String>,
        }
        let f = lenient::<Strict>(r#"{"id": 5, "extra": 1}"#).unwrap_err();
        assert_eq!(f.path, "extra");
        assert!(f.message.contains("unknown field `extra`"), "{f:?}");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Outer {
        list: Vec<Middle>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Middle {
        map: BTreeMap<String, Inner>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Inner {
        #[serde(default)]
        opt: Option<i32>,
        #[serde(default)]
        ports: Option<Vec<u16>>,
        #[serde(default)]
        name: Option<String>,
    }

    #[test]
    fn paths_cross_arrays_maps_and_options() {
        let json = r#"{"list": [
            {"map": {}},
            {"map": {"a": {"opt": "7", "ports": [80, "443"]}, "b.c": {"name": 5, "opt": null}}}
        ]}"#;
        let (outer, seen) = lenient::<Outer>(json).unwrap();
        assert_eq!(
            seen,
            vec![
                ("list[1].map.a.opt".to_owned(), "string", "i32"),
                ("list[1].map.a.ports[1]".to_owned(), "string", "u16"),
                ("list[1].map.b.c.name".to_owned(), "number", "string"),
            ]
        );
        let a = &outer.list[1].map["a"];
        assert_eq!((a.opt, a.ports.as_deref()), (Some(7), Some(&[80, 443][..])));
        let b = &outer.list[1].map["b.c"];
        assert_eq!((b.opt, b.name.as_deref()), (None, Some("5")));

        let f =
            lenient::<Outer>(r#"{"list": [{"map": {"k": {"ports": [1, "7x"]}}}]}"#).unwrap_err();
        assert_eq!(f.path, "list[0].map.k.ports[1]");
        assert_eq!(f.message, r#"invalid type: string "7x", expected u16"#);
        let f =
            lenient::<Outer>(r#"{"list": [{"map": {"k": {"opt": "99999999999"}}}]}"#).unwrap_err();
        assert_eq!(f.path, "list[0].map.k.opt");
        // The root and arrays at the root.
        let f = lenient::<Vec<i32>>(r#"[1, "2", "x"]"#).unwrap_err();
        assert_eq!(f.path, "[2]");
        let f = lenient::<i32>(r#""x""#).unwrap_err();
        assert_eq!(f.path, ".");
        assert_eq!(
            lenient::<Vec<Vec<i32>>>(r#"[[1], ["2"]]"#).unwrap(),
            (vec![vec![1], vec![2]], one("[1][0]", "string", "i32"))
        );
    }

    #[test]
    fn maps_convert_their_values_and_read_numeric_keys() {
        assert_eq!(
            lenient::<BTreeMap<String, String>>(r#"{"a": 1, "b": "x", "c": true}"#).unwrap(),
            (
                BTreeMap::from([
                    ("a".to_owned(), "1".to_owned()),
                    ("b".to_owned(), "x".to_owned()),
                    ("c".to_owned(), "true".to_owned())
                ]),
                vec![
                    ("a".to_owned(), "number", "string"),
                    ("c".to_owned(), "boolean", "string")
                ]
            )
        );
        // Keys are strings in JSON: reading one as a number is no conversion.
        assert_eq!(
            lenient::<BTreeMap<u32, i64>>(r#"{"1": "2"}"#).unwrap(),
            (BTreeMap::from([(1, 2)]), one("1", "string", "i64"))
        );
        let f = lenient::<BTreeMap<u32, i64>>(r#"{"x": 2}"#).unwrap_err();
        assert_eq!(f.path, "x");
    }

    #[test]
    fn a_struct_with_a_flattened_map() {
        #[derive(Debug, Deserialize)]
        struct Open {
            port: i32,
            #[serde(default)]
            name: Option<String>,
            #[serde(flatten)]
            rest: BTreeMap<String, Value>,
        }
        let (open, mut seen) =
            lenient::<Open>(r#"{"port": "80", "extra": "7", "name": 1, "deep": {"n": 1}}"#)
                .unwrap();
        // (Sorted: with serde_json's `preserve_order`, entries come in document order.)
        seen.sort();
        assert_eq!((open.port, open.name.as_deref()), (80, Some("1")));
        assert_eq!(
            open.rest,
            BTreeMap::from([
                ("deep".to_owned(), json!({"n": 1})),
                ("extra".to_owned(), json!("7"))
            ])
        );
        assert_eq!(
            seen,
            vec![
                ("name".to_owned(), "number", "string"),
                ("port".to_owned(), "string", "i32")
            ]
        );
        let f = lenient::<Open>(r#"{"port": "8o"}"#).unwrap_err();
        assert_eq!(f.path, "port");

        // serde buffers what a flattened field collects before it knows the type,
        // so those entries are read by serde's own rules, without conversions.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Labels {
            id: String,
            #[serde(flatten)]
            labels: BTreeMap<String, String>,
        }
        let (labels, seen) = lenient::<Labels>(r#"{"id": 1, "env": "prod"}"#).unwrap();
        assert_eq!(labels.labels["env"], "prod");
        assert_eq!(seen, one("id", "number", "string"));
        let f = lenient::<Labels>(r#"{"id": "a", "size": 3}"#).unwrap_err();
        assert_eq!(f.path, ".");
        assert!(f.message.contains("invalid type: integer `3`"), "{f:?}");
    }

    /// An open enum as the generator writes them.
    #[derive(Clone, Debug, PartialEq)]
    enum PayModel {
        PayPerUse,
        Yearly,
        Unknown(UnknownValue),
    }

    impl crate::open_enum::OpenEnum for PayModel {
        const KNOWN: &'static [(Self, &'static str)] =
            &[(Self::PayPerUse, "0"), (Self::Yearly, "1")];
    }

    crate::__open_enum!(PayModel);

    #[test]
    fn open_enums_read_numbers_as_their_text() {
        assert_eq!(
            field::<PayModel>("1").unwrap(),
            (PayModel::Yearly, one("v", "number", "string"))
        );
        assert_eq!(
            field::<PayModel>(r#""0""#).unwrap(),
            (PayModel::PayPerUse, vec![])
        );
        let (unknown, seen) = field::<Vec<PayModel>>("[7, 1.5]").unwrap();
        assert!(
            matches!(&unknown[..], [PayModel::Unknown(a), PayModel::Unknown(b)] if a.as_str() == "7" && b.as_str() == "1.5"),
            "{unknown:?}"
        );
        assert_eq!(seen.len(), 2);
        refused::<PayModel>(r#"{"a": 1}"#);
    }

    #[test]
    fn derived_enums() {
        #[derive(Debug, PartialEq, Deserialize)]
        enum Shape {
            #[serde(rename = "1")]
            One,
            Dot,
            Pair {
                x: i32,
                y: String,
            },
            Wrap(u16),
            Both(i32, bool),
        }
        assert_eq!(field::<Shape>(r#""Dot""#).unwrap(), (Shape::Dot, vec![]));
        assert_eq!(
            field::<Shape>("1").unwrap(),
            (Shape::One, one("v", "number", "string"))
        );
        assert_eq!(
            field::<Shape>(r#"{"Pair": {"x": "5", "y": 6}}"#).unwrap(),
            (
                Shape::Pair {
                    x: 5,
                    y: "6".to_owned()
                },
                vec![
                    ("v.Pair.x".to_owned(), "string", "i32"),
                    ("v.Pair.y".to_owned(), "number", "string")
                ]
            )
        );
        assert_eq!(
            field::<Shape>(r#"{"Wrap": "8"}"#).unwrap(),
            (Shape::Wrap(8), one("v.Wrap", "string", "u16"))
        );
        assert_eq!(
            field::<Shape>(r#"{"Both": ["1", "true"]}"#).unwrap().0,
            Shape::Both(1, true)
        );
        let f = lenient::<Shape>(r#"{"Pair": {"x": "5x", "y": ""}}"#).unwrap_err();
        assert_eq!(f.path, "Pair.x");
        let f = refused::<Shape>(r#""Ring""#);
        assert!(f.message.contains("unknown variant `Ring`"), "{f:?}");
        refused::<Shape>(r#"{"Dot": null, "Wrap": 1}"#);
        refused::<Shape>("2");
    }

    #[test]
    fn untagged_enums_and_json_values_take_values_as_they_are() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(untagged)]
        enum Either {
            Int(i64),
            Text(String),
        }
        assert_eq!(field::<Either>("5").unwrap(), (Either::Int(5), vec![]));
        assert_eq!(
            field::<Either>(r#""5""#).unwrap(),
            (Either::Text("5".to_owned()), vec![])
        );
        refused::<Either>("true");

        let value = json!({"n": "5", "list": [1, "2", null, {"b": true}]});
        assert_eq!(field::<Value>(&value.to_string()).unwrap(), (value, vec![]));
    }

    #[test]
    fn options_newtypes_and_secrets() {
        assert_eq!(field::<Option<i32>>("null").unwrap(), (None, vec![]));
        assert_eq!(
            field::<Option<i32>>(r#""5""#).unwrap(),
            (Some(5), one("v", "string", "i32"))
        );
        assert_eq!(
            field::<Option<Option<String>>>("5").unwrap().0,
            Some(Some("5".to_owned()))
        );
        #[derive(Debug, PartialEq, Deserialize)]
        struct Port(u16);
        assert_eq!(
            field::<Port>(r#""22""#).unwrap(),
            (Port(22), one("v", "string", "u16"))
        );
        // A secret's conversion names the types only.
        let (secret, seen) = field::<Secret>("123456").unwrap();
        assert_eq!(secret.expose(), "123456");
        assert_eq!(seen, one("v", "number", "string"));
        // Ignored fields are skipped whatever they hold.
        #[derive(Debug, Deserialize)]
        struct Few {
            a: i32,
        }
        let (few, seen) = lenient::<Few>(r#"{"z": [1, {"q": "x"}], "a": "1"}"#).unwrap();
        assert_eq!((few.a, seen), (1, one("a", "string", "i32")));
    }

    #[test]
    fn parse_says_where_the_json_breaks() {
        let f = parse(br#"{"total": 1, "instances": [{"id": "a"}, {"id": tru}]}"#).unwrap_err();
        assert_eq!(f.path, "instances[1].id");
        assert!(f.message.contains("line 1"), "{f:?}");
        let f = parse(br#"{"total": 1, "instances": ["#).unwrap_err();
        assert_eq!(f.path, "instances[0]");
        assert!(f.message.contains("EOF"), "{f:?}");
        let f = parse(br#"{"total": 0} {"total": 1}"#).unwrap_err();
        assert_eq!(f.path, ".");
        assert!(f.message.contains("trailing"), "{f:?}");
        let f = parse(br#"{"a": {"b": 1, "b": 2}}"#).unwrap_err();
        assert_eq!(f.path, "a.b");
        assert!(f.message.contains("duplicate field `b`"), "{f:?}");
        let tree = parse(br#"{"a": [1, -2, 1.5, "s", true, null, {}]}"#).unwrap();
        assert_eq!(tree, json!({"a": [1, -2, 1.5, "s", true, null, {}]}));
    }
}
