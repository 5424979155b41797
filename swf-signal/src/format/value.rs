//! An argument's value with its Rust types kept, built by a serde `Serializer`.
//!
//! JSON forgets what the formats need: Flow-Java writes an `i64` as `["java.lang.Long",3]`
//! but an `i32` bare, botoflow a tuple as `{"__tuple":[…]}` but a `Vec` as a list. So the
//! arguments are first serialized into this tree, which keeps those distinctions.

use serde::ser::{self, Serialize};

/// A serialized argument, with what serde told about its Rust type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// `None`, `()` or a unit struct.
    Null,
    /// `bool`.
    Bool(bool),
    /// `i8`.
    I8(i8),
    /// `i16`.
    I16(i16),
    /// `i32`.
    I32(i32),
    /// `i64`.
    I64(i64),
    /// `u8`.
    U8(u8),
    /// `u16`.
    U16(u16),
    /// `u32`.
    U32(u32),
    /// `u64`.
    U64(u64),
    /// `f32`.
    F32(f32),
    /// `f64`.
    F64(f64),
    /// `char`.
    Char(char),
    /// A string.
    Str(String),
    /// Bytes serialized as bytes (`serde_bytes`); a plain `Vec<u8>` is a [`Value::Seq`].
    Bytes(Vec<u8>),
    /// A sequence: `Vec`, slices, sets.
    Seq(Vec<Value>),
    /// A tuple or a tuple struct.
    Tuple(Vec<Value>),
    /// A map, keys in iteration order.
    Map(Vec<(Value, Value)>),
    /// A struct with named fields, in declaration order.
    Struct {
        /// The Rust type's name (serde's `name`).
        name: &'static str,
        /// The fields serde wrote, in order.
        fields: Vec<(&'static str, Value)>,
    },
    /// A unit variant of a Rust enum (`Color::Red`).
    UnitVariant {
        /// The enum's name.
        enum_name: &'static str,
        /// The variant's (serde) name.
        variant: &'static str,
    },
    /// A variant with data: `{"Variant": value}` in JSON.
    DataVariant {
        /// The enum's name.
        enum_name: &'static str,
        /// The variant's (serde) name.
        variant: &'static str,
        /// Its data: a newtype's value, a tuple or a struct.
        value: Box<Value>,
    },
}

impl Value {
    /// Serializes any value into the tree.
    ///
    /// # Errors
    /// What the value's `Serialize` impl reports, and 128-bit integers (no format here has them).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Value, String> {
        value.serialize(ValueSerializer).map_err(|e| e.0)
    }

    /// The plain JSON of the value (`serde_json`'s own encoding of the same type).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::I8(n) => (*n).into(),
            Value::I16(n) => (*n).into(),
            Value::I32(n) => (*n).into(),
            Value::I64(n) => (*n).into(),
            Value::U8(n) => (*n).into(),
            Value::U16(n) => (*n).into(),
            Value::U32(n) => (*n).into(),
            Value::U64(n) => (*n).into(),
            Value::F32(n) => serde_json::Number::from_f64(f64::from(*n)).map_or(J::Null, J::Number),
            Value::F64(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
            Value::Char(c) => J::String(c.to_string()),
            Value::Str(s) => J::String(s.clone()),
            Value::Bytes(b) => J::Array(b.iter().map(|n| (*n).into()).collect()),
            Value::Seq(items) | Value::Tuple(items) => {
                J::Array(items.iter().map(Value::to_json).collect())
            }
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.key_string(), v.to_json()))
                    .collect(),
            ),
            Value::Struct { fields, .. } => J::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_json()))
                    .collect(),
            ),
            Value::UnitVariant { variant, .. } => J::String((*variant).to_owned()),
            Value::DataVariant { variant, value, .. } => J::Object(
                [((*variant).to_owned(), value.to_json())]
                    .into_iter()
                    .collect(),
            ),
        }
    }

    /// A map key as JSON writes it: strings as they are, numbers and the rest as text.
    pub(crate) fn key_string(&self) -> String {
        match self.to_json() {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }
    }
}

#[derive(Debug)]
struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

struct ValueSerializer;

// Each scalar keeps its own Rust type: that is what this tree is for.
macro_rules! scalars {
    ($($method:ident($ty:ty) => $variant:ident,)*) => {
        $(fn $method(self, v: $ty) -> R {
            Ok(Value::$variant(v))
        })*
    };
}

type R = Result<Value, Error>;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SeqBuilder;
    type SerializeTuple = SeqBuilder;
    type SerializeTupleStruct = SeqBuilder;
    type SerializeTupleVariant = SeqBuilder;
    type SerializeMap = MapBuilder;
    type SerializeStruct = StructBuilder;
    type SerializeStructVariant = StructBuilder;

    scalars! {
        serialize_bool(bool) => Bool,
        serialize_i8(i8) => I8,
        serialize_i16(i16) => I16,
        serialize_i32(i32) => I32,
        serialize_i64(i64) => I64,
        serialize_u8(u8) => U8,
        serialize_u16(u16) => U16,
        serialize_u32(u32) => U32,
        serialize_u64(u64) => U64,
        serialize_f32(f32) => F32,
        serialize_f64(f64) => F64,
        serialize_char(char) => Char,
    }

    fn serialize_i128(self, _: i128) -> R {
        Err(Error(
            "128-bit integers have no representation in this format; use i64 or a string".into(),
        ))
    }
    fn serialize_u128(self, _: u128) -> R {
        Err(Error(
            "128-bit integers have no representation in this format; use u64 or a string".into(),
        ))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(Value::Str(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(Value::Bytes(v.to_vec()))
    }
    fn serialize_none(self) -> R {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, enum_name: &'static str, _: u32, variant: &'static str) -> R {
        Ok(Value::UnitVariant { enum_name, variant })
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        enum_name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        Ok(Value::DataVariant {
            enum_name,
            variant,
            value: Box::new(value.serialize(self)?),
        })
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(len, SeqKind::Seq))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(Some(len), SeqKind::Tuple))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(Some(len), SeqKind::Tuple))
    }
    fn serialize_tuple_variant(
        self,
        enum_name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqBuilder, Error> {
        Ok(SeqBuilder::new(
            Some(len),
            SeqKind::Variant { enum_name, variant },
        ))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapBuilder, Error> {
        Ok(MapBuilder {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<StructBuilder, Error> {
        Ok(StructBuilder {
            name,
            variant: None,
            fields: Vec::with_capacity(len),
        })
    }
    fn serialize_struct_variant(
        self,
        enum_name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<StructBuilder, Error> {
        Ok(StructBuilder {
            name: enum_name,
            variant: Some(variant),
            fields: Vec::with_capacity(len),
        })
    }
}

enum SeqKind {
    Seq,
    Tuple,
    Variant {
        enum_name: &'static str,
        variant: &'static str,
    },
}

struct SeqBuilder {
    items: Vec<Value>,
    kind: SeqKind,
}

impl SeqBuilder {
    fn new(len: Option<usize>, kind: SeqKind) -> Self {
        // A length hint from a `Serialize` impl is not trusted with an allocation.
        SeqBuilder {
            items: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            kind,
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(ValueSerializer)?);
        Ok(())
    }

    fn finish(self) -> Value {
        match self.kind {
            SeqKind::Seq => Value::Seq(self.items),
            SeqKind::Tuple => Value::Tuple(self.items),
            SeqKind::Variant { enum_name, variant } => Value::DataVariant {
                enum_name,
                variant,
                value: Box::new(Value::Tuple(self.items)),
            },
        }
    }
}

// The four sequence traits differ only in their method's name.
macro_rules! seq_impl {
    ($trait:ident, $method:ident) => {
        impl ser::$trait for SeqBuilder {
            type Ok = Value;
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> R {
                Ok(self.finish())
            }
        }
    };
}

seq_impl!(SerializeSeq, serialize_element);
seq_impl!(SerializeTuple, serialize_element);
seq_impl!(SerializeTupleStruct, serialize_field);
seq_impl!(SerializeTupleVariant, serialize_field);

struct MapBuilder {
    entries: Vec<(Value, Value)>,
    key: Option<Value>,
}

impl ser::SerializeMap for MapBuilder {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(ValueSerializer)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value came without its key".into()))?;
        self.entries.push((key, value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Map(self.entries))
    }
}

struct StructBuilder {
    name: &'static str,
    variant: Option<&'static str>,
    fields: Vec<(&'static str, Value)>,
}

impl StructBuilder {
    /// A struct, or for a struct variant the variant holding it.
    fn finish(self) -> Value {
        let inner = Value::Struct {
            name: self.name,
            fields: self.fields,
        };
        match self.variant {
            Some(variant) => Value::DataVariant {
                enum_name: self.name,
                variant,
                value: Box::new(inner),
            },
            None => inner,
        }
    }
}

// A struct and a struct variant are built alike; `variant` tells them apart.
macro_rules! struct_impl {
    ($trait:ident) => {
        impl ser::$trait for StructBuilder {
            type Ok = Value;
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.fields.push((key, value.serialize(ValueSerializer)?));
                Ok(())
            }
            fn end(self) -> R {
                Ok(self.finish())
            }
        }
    };
}

struct_impl!(SerializeStruct);
struct_impl!(SerializeStructVariant);
