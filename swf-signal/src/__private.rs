//! What `#[derive(Signal)]` generates code against. Not public API: it may change in any
//! release, which is why the derive crate is pinned with an exact version.

#[cfg(feature = "schema")]
pub use schemars;
pub use serde;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{DecodeError, EncodeError};

/// The JSON input of a payload.
pub fn encode_json<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<Option<String>, EncodeError> {
    serde_json::to_string(value)
        .map(Some)
        .map_err(|e| EncodeError::new(name, e))
}

/// Decodes a JSON payload straight from the borrowed input. An absent or blank input is
/// JSON `null` when `absent_is_null` (newtype variants, so `Option<T>` works), and a
/// missing-input error otherwise.
#[inline]
pub fn decode_json<T: DeserializeOwned>(
    name: &str,
    input: Option<&str>,
    absent_is_null: bool,
) -> Result<T, DecodeError> {
    match input.filter(|s| !is_blank(s)) {
        Some(text) => serde_json::from_str(text).map_err(|source| malformed(name, text, source)),
        None if absent_is_null => {
            serde_json::from_str("null").map_err(|_| DecodeError::MissingInput {
                name: name.to_owned(),
            })
        }
        None => Err(DecodeError::MissingInput {
            name: name.to_owned(),
        }),
    }
}

/// A struct variant's payload: a JSON object and nothing else. (serde's derived structs
/// also accept an array of the fields in order; the contract, and every sender, uses the
/// object, so the array form is refused here rather than accepted unseen.)
#[inline]
pub fn decode_json_object<T: DeserializeOwned>(
    name: &str,
    input: Option<&str>,
) -> Result<T, DecodeError> {
    if let Some(text) = input.filter(|s| !is_blank(s)) {
        if !text.trim_start().starts_with('{') {
            return Err(not_an_object(name, text));
        }
    }
    decode_json(name, input, false)
}

#[cold]
#[inline(never)]
fn not_an_object(name: &str, text: &str) -> DecodeError {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Err(source) => malformed(name, text, source),
        // Unreachable for text not starting with `{`; decode it the usual way if so.
        Ok(_) => match serde_json::from_str::<serde::de::IgnoredAny>("{") {
            Err(source) => malformed(name, text, source),
            Ok(_) => DecodeError::MissingInput {
                name: name.to_owned(),
            },
        },
    }
}

/// A unit variant accepts an absent input, a blank one and JSON `null`.
pub fn decode_unit(name: &str, input: Option<&str>) -> Result<(), DecodeError> {
    match input {
        None => Ok(()),
        Some(text) if is_blank(text) || text.trim_matches([' ', '\t', '\n', '\r']) == "null" => {
            Ok(())
        }
        Some(text) => Err(DecodeError::UnexpectedInput {
            name: name.to_owned(),
            input: text.to_owned(),
        }),
    }
}

/// A `#[signal(raw)]` input, verbatim; absent is the empty string, which is how SWF
/// endpoints hand back an empty input.
pub fn decode_raw(input: Option<&str>) -> String {
    input.unwrap_or_default().to_owned()
}

/// The error for a name no variant has.
pub fn unknown_name(
    signal_type: &'static str,
    name: &str,
    input: Option<&str>,
    expected: &'static [&'static str],
) -> DecodeError {
    DecodeError::UnknownName {
        signal_type,
        name: name.to_owned(),
        input: input.map(str::to_owned),
        expected,
    }
}

/// Only JSON's own whitespace counts: anything else is not valid JSON either, and is
/// reported as malformed. Stops at the first other byte, so a real payload costs one
/// comparison (`str::trim` walked Unicode tables from both ends: 2 % of decode time).
#[inline]
fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

// Out of line: the error path copies the input, the hot path must not grow with it.
#[cold]
#[inline(never)]
fn malformed(name: &str, text: &str, source: serde_json::Error) -> DecodeError {
    DecodeError::MalformedInput {
        name: name.to_owned(),
        input: text.to_owned(),
        source,
    }
}

pub use crate::format::{Botoflow, FlowJava, Simpleflow};

use crate::format::{Arg, Args, Call, Format, FormatError, Value};

/// One argument of a signal in a wire format, its Rust types kept.
pub fn format_arg<F: Format, T: Serialize + ?Sized>(
    name: &'static str,
    position: usize,
    keyword: Option<&'static str>,
    java_class: Option<&'static str>,
    value: &T,
) -> Result<Arg, EncodeError> {
    Value::from_serialize(value)
        .map(|value| Arg {
            position,
            keyword,
            java_class,
            value,
        })
        .map_err(|message| {
            EncodeError::format(
                name,
                F::NAME,
                FormatError::with_argument(crate::format::describe(position, keyword), message),
            )
        })
}

/// The input of a signal in a wire format.
pub fn encode_format<F: Format>(
    name: &'static str,
    args: Vec<Arg>,
    java_package: Option<&'static str>,
    propagate: bool,
) -> Result<Option<String>, EncodeError> {
    let call = Call {
        signal: name,
        args,
        java_package,
        propagate,
    };
    F::encode(&call).map_err(|e| EncodeError::format(name, F::NAME, e))
}

/// The arguments of a received input in a wire format; `expected` is how many the variant
/// has, and more positional ones than that is an error (a different signature).
pub fn decode_format<F: Format>(
    name: &str,
    input: Option<&str>,
    expected: usize,
) -> Result<Args, DecodeError> {
    let args = F::decode(input).map_err(|error| format_error::<F>(name, input, error))?;
    if args.positional.len() > expected {
        let error = FormatError::new(format!(
            "{} positional arguments where the variant has {expected}; check that the sender's signature matches the variant's fields",
            args.positional.len()
        ));
        return Err(format_error::<F>(name, input, error));
    }
    Ok(args)
}

/// One field's argument: by keyword when the input has it, else by position. A missing
/// argument decodes from JSON `null`, so `Option` fields may be left out.
pub fn take_arg<F: Format, T: DeserializeOwned>(
    name: &str,
    input: Option<&str>,
    args: &mut Args,
    position: usize,
    keyword: Option<&'static str>,
) -> Result<T, DecodeError> {
    let (value, missing) = match args.take(position, keyword) {
        Some(v) => (v, false),
        None => (serde_json::Value::Null, true),
    };
    serde_json::from_value(value).map_err(|e| {
        let message = if missing {
            "missing; the sender passed fewer arguments than the variant has fields".to_owned()
        } else {
            e.to_string()
        };
        format_error::<F>(
            name,
            input,
            FormatError::with_argument(crate::format::describe(position, keyword), message),
        )
    })
}

/// After every field took its argument: a keyword argument no field took is an error, as
/// Python's `TypeError: got an unexpected keyword argument` is for the peer's own
/// receiver; dropping it would lose what the sender meant.
pub fn finish_args<F: Format>(
    name: &str,
    input: Option<&str>,
    args: &Args,
) -> Result<(), DecodeError> {
    match args.keywords.keys().next() {
        None => Ok(()),
        Some(unexpected) => {
            let error = FormatError::with_argument(
                format!("argument `{unexpected}`"),
                format!(
                    "unexpected keyword argument (the variant has no field `{unexpected}`); check that the sender's signature matches the variant's fields"
                ),
            );
            Err(format_error::<F>(name, input, error))
        }
    }
}

#[cold]
#[inline(never)]
fn format_error<F: Format>(name: &str, input: Option<&str>, error: FormatError) -> DecodeError {
    DecodeError::Format {
        name: name.to_owned(),
        input: input.map(str::to_owned),
        format: F::NAME,
        error,
    }
}

/// One signal's contract, as `#[signal(schema)]` generates it.
pub fn contract(
    name: &str,
    aliases: &[&str],
    format: &str,
    variant: &str,
    schema: Option<serde_json::Value>,
) -> crate::contract::SignalContract {
    crate::contract::SignalContract::new(
        name,
        aliases.iter().map(|a| (*a).to_owned()).collect(),
        format,
        variant,
        schema,
    )
}

/// The JSON Schema (2020-12) of `T`, titled `title` (the variant's name: generated types
/// in other languages are named after it).
#[cfg(feature = "schema")]
pub fn schema_of<T: schemars::JsonSchema>(title: &str) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("title".to_owned(), serde_json::Value::from(title));
    let mut value = schema.to_value();
    crate::contract::as_decoded(&mut value);
    value
}

/// `#[signal(schema)]` expands inside this macro: with the `schema` feature it is the
/// contract's code, without it a compile error that names the feature.
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __swf_signal_schema {
    ($($item:tt)*) => { $($item)* };
}

/// `#[signal(schema)]` without the `schema` feature.
#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __swf_signal_schema {
    ($($item:tt)*) => {
        ::core::compile_error!("#[signal(schema)] needs the `schema` feature of swf-signal: swf-signal = { version = \"0.1\", features = [\"schema\"] }");
    };
}
