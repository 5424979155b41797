//! What `#[derive(Signal)]` generates code against. Not public API: it may change in any
//! release, which is why the derive crate is pinned with an exact version.

pub use serde;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{DecodeError, EncodeError};

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
