//! simpleflow (botify-labs): `Workflow.signal(name, *args, **kwargs)` sends
//! `{"__propagate": …, "args": […], "kwargs": {…}}`, written by its `json_dumps`.

use super::render::{Json, Style};
use super::{Args, Call, Format, FormatError, Value};

/// `#[signal(format = "simpleflow")]`: what simpleflow's `Workflow.signal` sends and
/// `wait_signal` hands a workflow.
///
/// The input is `{"__propagate":false,"args":[…],"kwargs":{…}}`, written the way
/// simpleflow's `json_dumps` writes it (keys sorted, compact separators, non-ASCII as
/// `\uXXXX`). Tuple and newtype fields are `args`, a struct variant's fields `kwargs`.
/// `"__propagate"` is `false` unless the variant has `#[signal(propagate)]`: a simpleflow
/// decider re-sends a propagating signal to the workflow's parent and children, which a
/// signal from outside the estate rarely means.
///
/// Values are plain JSON (`serde_json`'s encoding of each field). Python has no types JSON
/// loses, except datetimes, which simpleflow writes as ISO 8601 strings (milliseconds,
/// `Z`): receive them as `String`, or any type that deserializes from such a string.
///
/// Decoding takes `args` and `kwargs` (either may be absent); a JSON object with neither is
/// taken whole as keyword arguments, which is what an external sender's
/// `WorkflowExecution.signal(name, input={…})` sends. `__propagate` is ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct Simpleflow;

/// `json_dumps(..., compact=True)`: `sort_keys=True, separators=(",", ":")`, and Python's
/// default `ensure_ascii=True`.
const JSON_DUMPS: Style = Style {
    ascii: true,
    spaced: false,
    sorted: true,
};

impl Format for Simpleflow {
    const NAME: &'static str = "simpleflow";

    fn encode(call: &Call<'_>) -> Result<Option<String>, FormatError> {
        let (args, kwargs) = python_call(call, plain)?;
        let message = Json::Obj(vec![
            ("__propagate".to_owned(), Json::Bool(call.propagate)),
            ("args".to_owned(), Json::Arr(args)),
            ("kwargs".to_owned(), Json::Obj(kwargs)),
        ]);
        Ok(Some(message.render(JSON_DUMPS)))
    }

    fn decode(input: Option<&str>) -> Result<Args, FormatError> {
        let value = super::parse_input(input, || {
            "simpleflow sends {\"args\":[…],\"kwargs\":{…}}".to_owned()
        })?;
        match value {
            serde_json::Value::Null => Ok(Args::default()),
            serde_json::Value::Object(mut map) => {
                if map.contains_key("args") || map.contains_key("kwargs") {
                    let positional = match map.remove("args") {
                        None | Some(serde_json::Value::Null) => Vec::new(),
                        Some(serde_json::Value::Array(items)) => items,
                        Some(_) => return Err(FormatError::new("`args` is not a list")),
                    };
                    let keywords = match map.remove("kwargs") {
                        None | Some(serde_json::Value::Null) => serde_json::Map::new(),
                        Some(serde_json::Value::Object(kw)) => kw,
                        Some(_) => return Err(FormatError::new("`kwargs` is not a dict")),
                    };
                    Ok(Args {
                        positional,
                        keywords,
                    })
                } else {
                    map.remove("__propagate");
                    Ok(Args {
                        keywords: map,
                        ..Args::default()
                    })
                }
            }
            _ => Err(FormatError::new(
                "expected simpleflow's {\"args\":[…],\"kwargs\":{…}} (or a dict of keyword arguments)",
            )),
        }
    }
}

/// Keyword arguments in declaration order.
pub(super) type Keywords = Vec<(String, Json)>;

/// A call's arguments as Python's `*args` and `**kwargs`: keyword arguments are a struct
/// variant's fields, each value written by `write`.
pub(super) fn python_call(
    call: &Call<'_>,
    write: fn(&Value) -> Result<Json, String>,
) -> Result<(Vec<Json>, Keywords), FormatError> {
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    for arg in &call.args {
        let json = write(&arg.value).map_err(|e| FormatError::at(arg, e))?;
        match arg.keyword {
            Some(k) => kwargs.push((k.to_owned(), json)),
            None => args.push(json),
        }
    }
    Ok((args, kwargs))
}

/// A value as plain JSON, object members in serde's order.
pub(super) fn plain(v: &Value) -> Result<Json, String> {
    Ok(match v {
        Value::Bytes(b) => Json::Arr(b.iter().map(Json::num).collect()),
        Value::Seq(items) | Value::Tuple(items) => {
            Json::Arr(items.iter().map(plain).collect::<Result<_, _>>()?)
        }
        Value::Map(entries) => Json::Obj(
            entries
                .iter()
                .map(|(k, v)| Ok((k.key_string(), plain(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::Struct { fields, .. } => Json::Obj(
            fields
                .iter()
                .map(|(k, v)| Ok(((*k).to_owned(), plain(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Value::UnitVariant { variant, .. } => Json::str(*variant),
        Value::DataVariant { variant, value, .. } => {
            Json::Obj(vec![((*variant).to_owned(), plain(value)?)])
        }
        scalar => return Json::scalar(scalar),
    })
}
