//! The AWS Flow Framework for Java: a signal's input is the `Object[]` of the `@Signal`
//! method's arguments, written by `JsonDataConverter` (Jackson with
//! `activateDefaultTyping(…, NON_FINAL)`).

use super::render::{base64_decode, base64_encode, Json, Style};
use super::{Args, Call, Format, FormatError, Value};

/// `#[signal(format = "flow-java")]`: what a Flow-Java `@Signal` method receives.
///
/// The input is `["[Ljava.lang.Object;",[arg, …]]`. Jackson's default typing writes a value
/// whose declared type is `Object` (every argument of the array) bare when it is a
/// `String`, `Integer`, `Double` or `Boolean`, and as `["java.class.Name", value]`
/// otherwise. Inside a POJO the declared field types decide: final types (numbers,
/// strings, enums) are bare, collections and POJOs keep the wrapper. Each Rust type is sent
/// as the Java type it naturally corresponds to, so that reflection can pass it to the
/// parameter types in the right-hand column (boxing and widening, as `Method.invoke` does):
///
/// | Rust | as an argument (declared `Object`) | inside a struct | Java parameter that accepts it |
/// |---|---|---|---|
/// | `String`, `&str` | `"text"` | `"text"` | `String` |
/// | `bool` | `true` | `true` | `boolean`, `Boolean` |
/// | `i32`, `u16` | `3` (`Integer`) | `3` | `int`, `Integer`, `long`, `double` |
/// | `i64`, `u32` | `["java.lang.Long",3]` | `3` | `long`, `Long`, `double` |
/// | `u64` | `Long`, or `["java.math.BigInteger",n]` above `i64::MAX` | `n` | `long`, `Long` / `BigInteger` |
/// | `i16`, `u8` | `["java.lang.Short",3]` | `3` | `short`, `Short`, `int`, `long` |
/// | `i8` | `["java.lang.Byte",3]` | `3` | `byte`, `Byte`, `int` |
/// | `f64` | `2.5` (`Double`) | `2.5` | `double`, `Double` |
/// | `f32` | `["java.lang.Float",2.5]` | `2.5` | `float`, `Float`, `double` |
/// | `char` | `["java.lang.Character","x"]` | `"x"` | `char`, `Character` |
/// | `Option<T>` | `null` or as `T` | same | `T`'s boxed type |
/// | `Vec<T>`, sets, slices | `["java.util.ArrayList",[…]]` | same | `List<T>`, `Collection<T>`, `ArrayList<T>` |
/// | tuples | `["[Ljava.lang.Object;",[…]]` | `["java.util.ArrayList",[…]]` | `Object[]` / `List<Object>` |
/// | maps | `["java.util.HashMap",{…}]` | same | `Map<String, V>`, `HashMap<String, V>` |
/// | structs | `["<java_package>.<Name>",{…}]` | same | the POJO class |
/// | unit-only enums | `["<java_package>.<Enum>","VARIANT"]` | `"VARIANT"` | the Java enum |
/// | `serde_bytes` | `["[B","base64"]` | `"base64"` | `byte[]` |
///
/// Elements of a collection that is an argument are typed like arguments (their declared
/// type is `Object`: Java erases `List<Long>`); elements of a collection inside a struct
/// like struct fields. `#[signal(java_class = "java.util.Date")]` on a field replaces the
/// wrapper's class (an `i64` of epoch milliseconds becomes a `Date`, a `Vec` a
/// `java.util.LinkedList`, a struct any class). A struct's class is
/// `#[signal(java_package = "…")]` of the enum plus the struct's Rust name, unless its
/// field names one. Rust enums with data have no Java counterpart and are refused.
///
/// Decoding takes the array bare or wrapped, and removes every `["java.class.Name", v]`
/// wrapper (a two-element array whose first element is a Java class name, like
/// `java.lang.Long` or `[B`), so `3` and `["java.lang.Long",3]` both reach an `i64`;
/// `["[B","…"]` becomes the bytes. Struct variants take their fields in declaration order.
///
/// Flow-Java names a signal after its method (`approve`) unless `@Signal(name = "…")`
/// says otherwise: `#[signal(rename_all = "camelCase")]` on the enum gives method names.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlowJava;

/// Jackson writes UTF-8 as is, compact, in field order.
const JACKSON: Style = Style {
    ascii: false,
    spaced: false,
    sorted: false,
};

const OBJECT_ARRAY: &str = "[Ljava.lang.Object;";

impl Format for FlowJava {
    const NAME: &'static str = "flow-java";

    fn encode(call: &Call<'_>) -> Result<Option<String>, FormatError> {
        let pkg = call.java_package;
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            let json = match arg.java_class {
                Some(class) => {
                    let children = if matches!(arg.value, Value::Struct { .. }) {
                        Ctx::Field
                    } else {
                        Ctx::Object
                    };
                    bare(&arg.value, children, pkg).map(|inner| wrap(class, inner))
                }
                None => typed(&arg.value, Ctx::Object, pkg),
            }
            .map_err(|e| FormatError::at(arg, e))?;
            args.push(json);
        }
        Ok(Some(wrap(OBJECT_ARRAY, Json::Arr(args)).render(JACKSON)))
    }

    fn decode(input: Option<&str>) -> Result<Args, FormatError> {
        let value = super::parse_input(input, || {
            format!("Flow-Java sends `[\"{OBJECT_ARRAY}\",[…]]`")
        })?;
        let list = match value {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(mut items)
                if items.len() == 2 && items[0].as_str() == Some(OBJECT_ARRAY) =>
            {
                match items.pop() {
                    Some(serde_json::Value::Array(args)) => args,
                    _ => {
                        return Err(FormatError::new(format!(
                            "`{OBJECT_ARRAY}` is not followed by the array of arguments"
                        )))
                    }
                }
            }
            // Tolerated: the arguments without Jackson's array wrapper.
            serde_json::Value::Array(items) => items,
            _ => {
                return Err(FormatError::new(format!(
                    "expected Flow-Java's argument array `[\"{OBJECT_ARRAY}\",[…]]`"
                )))
            }
        };
        let positional = list
            .into_iter()
            .enumerate()
            .map(|(i, arg)| {
                unwrap(arg).map_err(|message| {
                    FormatError::with_argument(super::describe(i, None), message)
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Args {
            positional,
            ..Args::default()
        })
    }
}

/// Whether Jackson sees the value's declared type as `Object` (an argument, an element of
/// an argument's collection) or as a concrete field type of a POJO.
#[derive(Clone, Copy)]
enum Ctx {
    Object,
    Field,
}

fn wrap(class: &str, value: Json) -> Json {
    Json::Arr(vec![Json::str(class), value])
}

fn class_of(pkg: Option<&str>, name: &str, what: &str) -> Result<String, String> {
    match pkg {
        Some(pkg) => Ok(format!("{pkg}.{name}")),
        None => Err(format!(
            "{what} `{name}` needs a Java class: set #[signal(java_package = \"com.example\")] on the enum, or #[signal(java_class = \"com.example.{name}\")] on the field"
        )),
    }
}

/// A value with the wrapper Jackson writes for it in `ctx`.
fn typed(v: &Value, ctx: Ctx, pkg: Option<&str>) -> Result<Json, String> {
    let boxed = |class: &str| -> Result<Json, String> {
        match ctx {
            Ctx::Object => Ok(wrap(class, bare(v, ctx, pkg)?)),
            Ctx::Field => bare(v, ctx, pkg),
        }
    };
    match v {
        // Jackson's "natural" types: never wrapped. Enum data is refused by `bare`.
        Value::Null
        | Value::Bool(_)
        | Value::Str(_)
        | Value::I32(_)
        | Value::U16(_)
        | Value::F64(_)
        | Value::DataVariant { .. } => bare(v, ctx, pkg),
        Value::I8(_) => boxed("java.lang.Byte"),
        Value::I16(_) | Value::U8(_) => boxed("java.lang.Short"),
        Value::I64(_) | Value::U32(_) => boxed("java.lang.Long"),
        Value::U64(n) if i64::try_from(*n).is_ok() => boxed("java.lang.Long"),
        Value::U64(_) => boxed("java.math.BigInteger"),
        Value::F32(_) => boxed("java.lang.Float"),
        Value::Char(_) => boxed("java.lang.Character"),
        Value::Bytes(_) => boxed("[B"),
        Value::Seq(_) => Ok(wrap("java.util.ArrayList", bare(v, ctx, pkg)?)),
        Value::Tuple(_) => match ctx {
            Ctx::Object => Ok(wrap(OBJECT_ARRAY, bare(v, ctx, pkg)?)),
            Ctx::Field => Ok(wrap("java.util.ArrayList", bare(v, ctx, pkg)?)),
        },
        Value::Map(_) => Ok(wrap("java.util.HashMap", bare(v, ctx, pkg)?)),
        Value::Struct { name, .. } => Ok(wrap(
            &class_of(pkg, name, "struct")?,
            bare(v, Ctx::Field, pkg)?,
        )),
        Value::UnitVariant { enum_name, .. } => match ctx {
            Ctx::Object => Ok(wrap(&class_of(pkg, enum_name, "enum")?, bare(v, ctx, pkg)?)),
            Ctx::Field => bare(v, ctx, pkg),
        },
    }
}

/// A value's own JSON, its children typed for `children`.
fn bare(v: &Value, children: Ctx, pkg: Option<&str>) -> Result<Json, String> {
    Ok(match v {
        Value::Bytes(b) => Json::str(base64_encode(b)),
        Value::Seq(items) | Value::Tuple(items) => Json::Arr(
            items
                .iter()
                .map(|i| typed(i, children, pkg))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(entries) => Json::Obj(
            entries
                .iter()
                .map(|(k, v)| Ok((k.key_string(), typed(v, children, pkg)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Struct { fields, .. } => Json::Obj(
            fields
                .iter()
                .map(|(k, v)| Ok(((*k).to_owned(), typed(v, Ctx::Field, pkg)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::UnitVariant { variant, .. } => Json::str(*variant),
        Value::DataVariant {
            enum_name, variant, ..
        } => {
            return Err(format!(
                "`{enum_name}::{variant}` is an enum variant with data, which has no Java counterpart; use a struct (a POJO) or a unit-only enum (a Java enum)"
            ))
        }
        scalar => return Json::scalar(scalar),
    })
}

/// Removes Jackson's type wrappers, recursively. A bare two-element array whose first
/// element is a dotted string is taken for a wrapper: Jackson writes every collection whose
/// declared type is not final with one, so a bare array only comes from a Java array
/// field, like `String[]`, that holds a class-like string first (send a `List` there).
///
/// `["[B", x]` is a `byte[]`, which Jackson writes as base64: an `x` that is not base64
/// is an error, not a string passed on (Jackson itself refuses it).
fn unwrap(v: serde_json::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    match v {
        J::Array(mut items) if items.len() == 2 && items[0].as_str().is_some_and(is_java_class) => {
            let inner = items.pop().unwrap_or(J::Null);
            if items[0].as_str() == Some("[B") {
                return match inner.as_str().and_then(base64_decode) {
                    Some(bytes) => Ok(J::Array(bytes.into_iter().map(J::from).collect())),
                    None => Err(
                        "a byte[] ([\"[B\", …]) whose value is not a base64 string; Jackson writes byte arrays as base64".to_owned(),
                    ),
                };
            }
            // The wrapped value itself is never a wrapper (`["java.util.ArrayList",
            // ["a.b","c"]]` is a list of two strings), only its elements may be.
            unwrap_children(inner)
        }
        other => unwrap_children(other),
    }
}

fn unwrap_children(v: serde_json::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        J::Array(items) => J::Array(items.into_iter().map(unwrap).collect::<Result<_, _>>()?),
        J::Object(map) => J::Object(
            map.into_iter()
                .map(|(k, v)| Ok((k, unwrap(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other,
    })
}

/// `java.lang.Long`, `com.example.Outer$Inner`, `[Ljava.lang.Object;`, `[B`: what Jackson
/// writes as a type id. A string with no dot is not one, so `["a", 3]` stays a list.
fn is_java_class(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix('[') {
        let rest = rest.trim_start_matches('[');
        return matches!(rest, "B" | "C" | "D" | "F" | "I" | "J" | "S" | "Z")
            || rest
                .strip_prefix('L')
                .and_then(|r| r.strip_suffix(';'))
                .is_some_and(is_java_class);
    }
    let mut parts = 0;
    for part in s.split('.') {
        let mut chars = part.chars();
        let ok = chars
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
            && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$');
        if !ok {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_told_from_strings() {
        for yes in [
            "java.lang.Long",
            "[Ljava.lang.Object;",
            "[B",
            "[[I",
            "com.x.Outer$Inner",
        ] {
            assert!(is_java_class(yes), "{yes}");
        }
        for no in ["a", "", "a.", ".a", "a b.c", "[X", "[Lfoo;", "3.5"] {
            assert!(!is_java_class(no), "{no}");
        }
    }

    #[test]
    fn wrappers_come_off_at_every_depth() {
        let input = r#"["[Ljava.lang.Object;",[["java.lang.Long",3],["java.util.ArrayList",[["java.lang.Long",1],"a"]],["com.x.R",{"n":["java.util.HashMap",{"k":["java.lang.Float",1.5]}]}],["[B","AAE="],["a","b"]]]"#;
        let args = FlowJava::decode(Some(input)).unwrap_or_default();
        assert_eq!(
            serde_json::Value::Array(args.positional),
            serde_json::json!([3, [1, "a"], {"n": {"k": 1.5}}, [0, 1], ["a", "b"]])
        );
    }
}
