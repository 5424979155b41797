//! botoflow: a `@signal` method's arguments are `[args, kwargs]` written by its
//! `JSONDataConverter`, which marks Python types JSON lacks (`{"__tuple": […]}`, …).

use super::render::{base64_decode, base64_encode, Json, Style};
use super::{Args, Call, Format, FormatError, Value};

/// `#[signal(format = "botoflow")]`: what a botoflow `@signal` method receives.
///
/// The input is `[{"__tuple":[args…]},{kwargs…}]` (`JSONDataConverter.dumps([args, kwargs])`,
/// compact, non-ASCII as `\uXXXX`). Tuple and newtype fields are positional, a struct
/// variant's fields keywords. A Rust tuple is sent as `{"__tuple":[…]}` (Python gets a
/// `tuple`), `serde_bytes` as `{"__bin":"base64"}` (`bytes`); sequences are lists, maps
/// and structs dicts.
///
/// Decoding accepts `[args, kwargs]` with `args` a list or a `__tuple`, and a bare dict of
/// keyword arguments (both as botoflow's own decider does), and removes botoflow's markers:
///
/// | botoflow | Rust receives |
/// |---|---|
/// | `{"__tuple":[…]}`, `{"__set":[…]}`, `{"__frozenset":[…]}` | a JSON array (a tuple, `Vec`, set) |
/// | `{"__datetime":"2024-05-17T13:45:30.123000"}` | the string (naive: botoflow drops the zone) |
/// | `{"__timedelta":[days, seconds, microseconds]}` | the total seconds as `f64` |
/// | `{"__decimal":[sign, [digits], exponent]}` | the decimal as Python's `str(Decimal)` writes it, like `"-12.50"` or `"1.2E+3"` |
/// | `{"__bin":"base64"}` | an array of bytes (`Vec<u8>`) |
/// | `{"__obj":["module:Class", {…}]}` and `__namedtuple`, `__listclass`, `__dictclass`, `__ordereddict` | the object's data |
#[derive(Debug, Clone, Copy, Default)]
pub struct Botoflow;

/// `_FlowObjEncoder(indent=None, separators=(',', ':'))`, Python's `ensure_ascii=True`.
const FLOW_ENCODER: Style = Style {
    ascii: true,
    spaced: false,
    sorted: false,
};

impl Format for Botoflow {
    const NAME: &'static str = "botoflow";

    fn encode(call: &Call<'_>) -> Result<Option<String>, FormatError> {
        let (args, kwargs) = super::simpleflow::python_call(call, flowify)?;
        let message = Json::Arr(vec![marker("__tuple", Json::Arr(args)), Json::Obj(kwargs)]);
        Ok(Some(message.render(FLOW_ENCODER)))
    }

    fn decode(input: Option<&str>) -> Result<Args, FormatError> {
        use serde_json::Value as J;
        let value = super::parse_input(input, || {
            "botoflow sends [{\"__tuple\":[…]},{…}]".to_owned()
        })?;
        match unflow(value) {
            J::Null => Ok(Args::default()),
            J::Array(mut pair) if pair.len() == 2 => {
                let keywords = match pair.pop() {
                    Some(J::Object(kw)) => kw,
                    Some(J::Null) | None => serde_json::Map::new(),
                    Some(_) => {
                        return Err(FormatError::new(
                            "the second element of [args, kwargs] is not a dict",
                        ))
                    }
                };
                let positional = match pair.pop() {
                    Some(J::Array(items)) => items,
                    Some(J::Null) | None => Vec::new(),
                    Some(_) => {
                        return Err(FormatError::new(
                            "the first element of [args, kwargs] is not a list or a tuple",
                        ))
                    }
                };
                Ok(Args {
                    positional,
                    keywords,
                })
            }
            J::Object(kw) => Ok(Args {
                keywords: kw,
                ..Args::default()
            }),
            _ => Err(FormatError::new(
                "expected botoflow's [args, kwargs] (or a dict of keyword arguments)",
            )),
        }
    }
}

fn marker(key: &str, value: Json) -> Json {
    Json::Obj(vec![(key.to_owned(), value)])
}

/// What `_FlowObjEncoder._flowify_obj` makes of the Python value a Rust value maps to.
fn flowify(v: &Value) -> Result<Json, String> {
    Ok(match v {
        Value::Tuple(items) => marker(
            "__tuple",
            Json::Arr(items.iter().map(flowify).collect::<Result<_, _>>()?),
        ),
        Value::Bytes(b) => marker("__bin", Json::str(base64_encode(b))),
        Value::Seq(items) => Json::Arr(items.iter().map(flowify).collect::<Result<_, _>>()?),
        Value::Map(entries) => Json::Obj(
            entries
                .iter()
                .map(|(k, v)| Ok((k.key_string(), flowify(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Struct { fields, .. } => Json::Obj(
            fields
                .iter()
                .map(|(k, v)| Ok(((*k).to_owned(), flowify(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::DataVariant { variant, value, .. } => {
            Json::Obj(vec![((*variant).to_owned(), flowify(value)?)])
        }
        other => super::simpleflow::plain(other)?,
    })
}

/// `_flow_obj_decoder`, with plain JSON for what it would make Python objects of.
fn unflow(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Array(items) => J::Array(items.into_iter().map(unflow).collect()),
        J::Object(map) if map.len() == 1 || map.contains_key("__exc") => {
            let mut map: serde_json::Map<String, J> =
                map.into_iter().map(|(k, v)| (k, unflow(v))).collect();
            for key in ["__tuple", "__set", "__frozenset", "__datetime"] {
                if let Some(inner) = map.remove(key) {
                    return inner;
                }
            }
            if let Some(b) = map.get("__bin").and_then(J::as_str).and_then(base64_decode) {
                return J::Array(b.into_iter().map(J::from).collect());
            }
            if let Some(J::Array(parts)) = map.get("__timedelta") {
                let n = |i: usize| parts.get(i).and_then(J::as_f64).unwrap_or(0.0);
                let secs = n(0) * 86_400.0 + n(1) + n(2) / 1e6;
                return serde_json::Number::from_f64(secs).map_or(J::Null, J::Number);
            }
            if let Some(J::Array(parts)) = map.get("__decimal") {
                if let Some(text) = decimal_text(parts) {
                    return J::String(text);
                }
            }
            if let Some(J::Array(mut pair)) = map.remove("__obj") {
                return pair.pop().unwrap_or(J::Null);
            }
            if let Some(J::Array(mut pair)) = map.remove("__namedtuple") {
                return pair.pop().unwrap_or(J::Null);
            }
            for key in ["__listclass", "__dictclass"] {
                if let Some(J::Array(mut pair)) = map.remove(key) {
                    return pair.pop().unwrap_or(J::Null);
                }
            }
            if let Some(J::Array(pairs)) = map.remove("__ordereddict") {
                return J::Object(
                    pairs
                        .into_iter()
                        .filter_map(|p| match p {
                            J::Array(mut kv) if kv.len() == 2 => {
                                let v = kv.pop()?;
                                Some((kv.pop()?.as_str()?.to_owned(), v))
                            }
                            _ => None,
                        })
                        .collect(),
                );
            }
            J::Object(map)
        }
        J::Object(map) => J::Object(map.into_iter().map(|(k, v)| (k, unflow(v))).collect()),
        other => other,
    }
}

/// `Decimal.as_tuple()` — `(sign, digits, exponent)` — as Python's `str(Decimal)` writes
/// it (the General Decimal Arithmetic "to-scientific-string"): plain notation while the
/// exponent is at most 0 and the number has at most 6 leading zeros after the point,
/// scientific otherwise (`Decimal((0, (1,), 12))` is `1E+12`). So the text is never
/// longer than the digits plus a few characters: an exponent in the input is a number,
/// and nothing is allocated in proportion to it.
fn decimal_text(parts: &[serde_json::Value]) -> Option<String> {
    let [sign, digits, exp] = parts else {
        return None;
    };
    let sign = if sign.as_i64()? == 1 { "-" } else { "" };
    let digits: String = digits
        .as_array()?
        .iter()
        .map(|d| {
            d.as_u64()
                .and_then(|d| char::from_digit(u32::try_from(d).ok()?, 10))
        })
        .collect::<Option<_>>()?;
    if digits.is_empty() {
        return None;
    }
    let exp = match exp {
        // Python's special exponents: 'F' infinity, 'n' quiet NaN, 'N' signalling NaN.
        serde_json::Value::String(s) => {
            return Some(match s.as_str() {
                "F" => format!("{sign}Infinity"),
                "N" => format!("{sign}sNaN"),
                _ => format!("{sign}NaN"),
            })
        }
        exp => exp.as_i64()?,
    };
    // i128: a JSON exponent near i64::MAX plus the digit count must not overflow.
    let len = i128::try_from(digits.len()).ok()?;
    let left_digits = i128::from(exp) + len;
    let dot_place = if exp <= 0 && left_digits > -6 {
        left_digits
    } else {
        1
    };
    let mut text = String::with_capacity(digits.len() + 32);
    text.push_str(sign);
    if dot_place <= 0 {
        // At most 6 zeros: dot_place > -6 here.
        text.push_str("0.");
        text.extend(std::iter::repeat_n('0', usize::try_from(-dot_place).ok()?));
        text.push_str(&digits);
    } else {
        let dot = usize::try_from(dot_place).ok()?;
        if dot >= digits.len() {
            // Plain notation only when exp <= 0, so dot == len here: no padding.
            text.push_str(&digits);
        } else {
            text.push_str(&digits[..dot]);
            text.push('.');
            text.push_str(&digits[dot..]);
        }
    }
    if left_digits != dot_place {
        let e = left_digits - dot_place;
        text.push('E');
        if e >= 0 {
            text.push('+');
        }
        text.push_str(&e.to_string());
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_come_off() {
        let input = r#"[{"__tuple":[{"__set":[1]},{"__datetime":"2024-05-17T13:45:30.123000"},{"__timedelta":[1,2,500000]},{"__decimal":[1,{"__tuple":[1,2,5,0]},-2]},{"__bin":"AAE="},{"__obj":["m:C",{"a":{"__tuple":[1,2]}}]}]},{"k":{"__frozenset":["x"]}}]"#;
        let args = Botoflow::decode(Some(input)).unwrap_or_default();
        assert_eq!(
            serde_json::Value::Array(args.positional),
            serde_json::json!([[1], "2024-05-17T13:45:30.123000", 86402.5, "-12.50", [0, 1], {"a": [1, 2]}])
        );
        assert_eq!(args.keywords.get("k"), Some(&serde_json::json!(["x"])));
    }

    #[test]
    fn decimals_of_every_exponent() {
        let d = |s: i64, digits: &[u64], e: i64| {
            decimal_text(&[s.into(), serde_json::json!(digits), e.into()])
        };
        // Each as Python's str(Decimal((sign, digits, exp))) prints it.
        assert_eq!(d(0, &[5], -3).as_deref(), Some("0.005"));
        assert_eq!(d(0, &[1, 2], 2).as_deref(), Some("1.2E+3"));
        assert_eq!(d(1, &[1, 2, 3], 0).as_deref(), Some("-123"));
        assert_eq!(d(1, &[1, 2, 5, 0], -2).as_deref(), Some("-12.50"));
        assert_eq!(d(0, &[1], -7).as_deref(), Some("1E-7"));
        assert_eq!(d(0, &[1, 2], -7).as_deref(), Some("0.0000012"));
        assert_eq!(d(0, &[0], 3).as_deref(), Some("0E+3"));
    }

    /// Issue 19 (7): 40 bytes whose exponent is 10^12 used to allocate a terabyte of
    /// zeros and abort the process on every replay of the execution.
    #[test]
    fn a_huge_exponent_costs_nothing() {
        let d = |e: i64| decimal_text(&[0.into(), serde_json::json!([1]), e.into()]);
        assert_eq!(d(1_000_000_000_000).as_deref(), Some("1E+1000000000000"));
        assert_eq!(d(-1_000_000_000_000).as_deref(), Some("1E-1000000000000"));
        assert_eq!(d(i64::MAX).as_deref(), Some("1E+9223372036854775807"));
        assert_eq!(d(i64::MIN).as_deref(), Some("1E-9223372036854775808"));
        let input = r#"[{"__tuple":[{"__decimal":[0,[1],1000000000000]}]},{}]"#;
        let args = Botoflow::decode(Some(input)).unwrap_or_default();
        assert_eq!(args.positional, [serde_json::json!("1E+1000000000000")]);
    }
}
