//! The JSON text each format writes. `serde_json`'s `Value` sorts object keys and has one
//! spacing; the peers differ (Jackson keeps field order, simpleflow sorts and escapes
//! non-ASCII, botoflow uses Python's `", "` and `": "`), so the formats build this tree.

use std::fmt::Write as _;

/// JSON with object members in the order they were pushed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// A number as JSON text.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// How a peer writes JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// `\uXXXX` for every non-ASCII character (Python's `ensure_ascii=True`).
    pub(crate) ascii: bool,
    /// Python's default separators, `", "` and `": "`.
    pub(crate) spaced: bool,
    /// Object keys sorted (Python's `sort_keys=True`).
    pub(crate) sorted: bool,
}

impl Json {
    pub(crate) fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    pub(crate) fn num(n: impl std::fmt::Display) -> Json {
        Json::Num(n.to_string())
    }

    /// A float as JSON; NaN and infinities have no JSON form.
    pub(crate) fn float(n: f64) -> Result<Json, String> {
        serde_json::Number::from_f64(n)
            .map(|n| Json::Num(n.to_string()))
            .ok_or_else(|| format!("{n} has no JSON representation; send a finite number"))
    }

    /// The JSON of a scalar value (numbers, strings, `bool`, `null`), the same in every
    /// format; the formats write containers, bytes and enum variants their own way and
    /// pass only the rest here.
    pub(crate) fn scalar(v: &super::Value) -> Result<Json, String> {
        use super::Value;
        Ok(match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::I8(n) => Json::num(n),
            Value::I16(n) => Json::num(n),
            Value::I32(n) => Json::num(n),
            Value::I64(n) => Json::num(n),
            Value::U8(n) => Json::num(n),
            Value::U16(n) => Json::num(n),
            Value::U32(n) => Json::num(n),
            Value::U64(n) => Json::num(n),
            Value::F32(n) => Json::float(f64::from(*n))?,
            Value::F64(n) => Json::float(*n)?,
            Value::Char(c) => Json::str(c.to_string()),
            Value::Str(s) => Json::str(s.as_str()),
            other => return Err(format!("{other:?} is not a scalar")),
        })
    }

    pub(crate) fn render(&self, style: Style) -> String {
        let mut out = String::new();
        self.write(&mut out, style);
        out
    }

    fn write(&self, out: &mut String, style: Style) {
        let (comma, colon) = if style.spaced {
            (", ", ": ")
        } else {
            (",", ":")
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => write_str(out, s, style.ascii),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(comma);
                    }
                    item.write(out, style);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                let mut refs: Vec<&(String, Json)> = members.iter().collect();
                if style.sorted {
                    // Python sorts by code point; Rust's `str` order is the same.
                    refs.sort_by(|a, b| a.0.cmp(&b.0));
                }
                out.push('{');
                for (i, (k, v)) in refs.into_iter().enumerate() {
                    if i > 0 {
                        out.push_str(comma);
                    }
                    write_str(out, k, style.ascii);
                    out.push_str(colon);
                    v.write(out, style);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(out: &mut String, s: &str, ascii: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (Python's `base64.b64encode`, Jackson's `byte[]`).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64, padding optional; `None` on any other character.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            break;
        }
        let v = u32::try_from(B64.iter().position(|&b| b == c)?).ok()?;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..10u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37)).collect();
            let text = base64_encode(&bytes);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(base64_decode(&text), Some(bytes));
        }
        assert_eq!(base64_encode(b"hi!"), "aGkh");
        assert_eq!(base64_encode(b"hi"), "aGk=");
        assert_eq!(base64_decode("a*b"), None);
    }

    #[test]
    fn ascii_style_escapes_like_python() {
        let s = Json::str("é😀\"\u{1}");
        let ascii = Style {
            ascii: true,
            spaced: false,
            sorted: false,
        };
        // json.dumps("é😀\"\x01") == '"\\u00e9\\ud83d\\ude00\\"\\u0001"'
        assert_eq!(s.render(ascii), r#""\u00e9\ud83d\ude00\"\u0001""#);
        let raw = Style {
            ascii: false,
            ..ascii
        };
        assert_eq!(s.render(raw), "\"é😀\\\"\\u0001\"");
    }

    #[test]
    fn sorted_and_spaced_objects() {
        let obj = Json::Obj(vec![
            ("b".into(), Json::num(1)),
            ("a".into(), Json::Arr(vec![Json::Null, Json::Bool(true)])),
        ]);
        let py = Style {
            ascii: true,
            spaced: true,
            sorted: true,
        };
        assert_eq!(obj.render(py), r#"{"a": [null, true], "b": 1}"#);
        let jackson = Style {
            ascii: false,
            spaced: false,
            sorted: false,
        };
        assert_eq!(obj.render(jackson), r#"{"b":1,"a":[null,true]}"#);
    }
}
