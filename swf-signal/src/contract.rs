//! Signal contracts: what each signal of an enum accepts, as data other languages and tools
//! can read (a [`Catalogue`]), and the changes to it that would break a sender or a running
//! workflow ([`Catalogue::breaking_changes`]).
//!
//! `#[derive(Signal)]` with `#[signal(schema)]` (feature `schema`; payload types implement
//! `schemars::JsonSchema`) implements [`Contract`]; [`Catalogue::of`] collects it. Each
//! signal has its wire name, its aliases (older names that still decode), its wire format,
//! and the JSON Schema (draft 2020-12) of its input: for the `json` format, exactly the
//! inputs the enum decodes; for the frameworks' formats (`flow-java`, `simpleflow`,
//! `botoflow`), the arguments — an array of the positional ones, an object of the keyword
//! ones — which the format wraps as that framework does; a signal without a schema takes
//! no input (absent, blank or `null`), and a `raw` one any text.
//!
//! "Exactly" is checked by a property test (`tests/tests/schema_property.rs`): what the
//! schema admits decodes, and what decodes, as senders encode it, the schema admits. Two
//! inputs serde accepts are left out of the schema on purpose: a nested struct written as
//! an array of its fields (a struct variant's own payload refuses that form outright), and
//! `1.0` for an integer, which JSON Schema counts as an integer and serde refuses.
//!
//! ```
//! # #[cfg(feature = "schema")] {
//! use swf_signal::{Catalogue, Signal};
//!
//! #[derive(Debug, Signal)]
//! #[signal(rename_all = "kebab-case", schema)]
//! enum OrderSignal {
//!     #[signal(alias = "approve-order")]
//!     Approve { approver: String, note: Option<String> },
//!     ChangeQuantity(u32),
//! }
//!
//! let catalogue = Catalogue::of::<OrderSignal>();
//! assert_eq!(catalogue.signals[0].name, "approve");
//! assert_eq!(catalogue.signals[0].aliases, ["approve-order"]);
//! let schema = catalogue.signals[0].schema.as_ref().unwrap();
//! assert_eq!(schema["required"], serde_json::json!(["approver"]));
//!
//! // A rename breaks senders and recorded signals, unless the old name stays an alias.
//! let mut renamed = catalogue.clone();
//! renamed.signals[0].name = "accept".into();
//! assert_eq!(Catalogue::breaking_changes(&catalogue, &renamed).len(), 1);
//! renamed.signals[0].aliases.push("approve".into());
//! assert!(Catalogue::breaking_changes(&catalogue, &renamed).is_empty());
//! # }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Implemented by `#[derive(Signal)]` with `#[signal(schema)]`: each signal's contract.
pub trait Contract {
    /// One entry per signal with a wire name, in declaration order (the `other` variant
    /// has none).
    fn contracts() -> Vec<SignalContract>;
}

/// Every signal of an enum: the catalogue senders in any language are generated from and
/// deployments are compared by. Serializes as `{"signals":[…]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Catalogue {
    /// The signals, in declaration order.
    pub signals: Vec<SignalContract>,
}

/// One signal's contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SignalContract {
    /// The wire name (`signalName`) it is sent under.
    pub name: String,
    /// Older names that still decode into it; never sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The wire format: `json`, `raw`, `flow-java`, `simpleflow`, `botoflow`, or a custom
    /// format's type name.
    pub format: String,
    /// The variant's name in the enum (a type name for generated senders).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub variant: String,
    /// The JSON Schema (2020-12) of the input (see the [module](self) docs); absent for a
    /// signal that takes no input and for `raw` text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
}

impl SignalContract {
    /// A contract (for the derive and for tests).
    pub fn new(
        name: impl Into<String>,
        aliases: Vec<String>,
        format: impl Into<String>,
        variant: impl Into<String>,
        schema: Option<Value>,
    ) -> Self {
        SignalContract {
            name: name.into(),
            aliases,
            format: format.into(),
            variant: variant.into(),
            schema,
        }
    }
}

impl Catalogue {
    /// The catalogue of `S`.
    pub fn of<S: Contract>() -> Self {
        Catalogue {
            signals: S::contracts(),
        }
    }

    /// The signal a received `name` decodes into: by wire name or alias.
    pub fn find(&self, name: &str) -> Option<&SignalContract> {
        self.signals
            .iter()
            .find(|s| s.name == name || s.aliases.iter().any(|a| a == name))
    }

    /// What would break if `new` replaced `deployed`: senders built against `deployed`
    /// whose signals `new` no longer decodes, or running workflows whose recorded signals
    /// it no longer reads. Reported: a signal removed or renamed without an alias, a
    /// format changed, a required field added (or an optional one made required), a
    /// field's type changed (or, for an input that is not an object, the input's type).
    /// Not reported: an optional field added, an alias added, a field removed (its value
    /// is ignored), a new signal.
    pub fn breaking_changes(deployed: &Catalogue, new: &Catalogue) -> Vec<Breaking> {
        let mut out = Vec::new();
        for old in &deployed.signals {
            let Some(now) = new.find(&old.name) else {
                out.push(Breaking {
                    signal: old.name.clone(),
                    field: None,
                    kind: BreakingKind::SignalRemoved,
                    message: format!(
                        "signal `{}` is gone: senders still send it and running workflows have it recorded; keep a variant that decodes it, e.g. #[signal(alias = \"{}\")] on the one that replaced it",
                        old.name, old.name
                    ),
                });
                continue;
            };
            for alias in &old.aliases {
                if new.find(alias).is_none() {
                    out.push(Breaking {
                        signal: old.name.clone(),
                        field: None,
                        kind: BreakingKind::SignalRemoved,
                        message: format!(
                            "signal `{}`: its alias `{alias}` no longer decodes, and running workflows may have it recorded; keep #[signal(alias = \"{alias}\")]",
                            old.name
                        ),
                    });
                }
            }
            if now.format != old.format {
                out.push(Breaking {
                    signal: old.name.clone(),
                    field: None,
                    kind: BreakingKind::FormatChanged,
                    message: format!(
                        "signal `{}` changed format from `{}` to `{}`: inputs already sent and recorded are in the old format; keep the format, or add a new signal",
                        old.name, old.format, now.format
                    ),
                });
                continue;
            }
            compare_inputs(old, now, &mut out);
        }
        out
    }
}

/// One breaking change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Breaking {
    /// The deployed signal's name.
    pub signal: String,
    /// The field, when the change is a field's.
    pub field: Option<String>,
    /// What kind of change.
    pub kind: BreakingKind,
    /// What breaks and what to do, naming the signal and field.
    pub message: String,
}

impl fmt::Display for Breaking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The kinds of breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BreakingKind {
    /// A signal removed, or renamed without an alias for its old name.
    SignalRemoved,
    /// The wire format changed.
    FormatChanged,
    /// A required field added, or an optional one made required.
    RequiredFieldAdded,
    /// A field's type changed.
    FieldTypeChanged,
    /// The input's type changed (an input that is not an object, or one added or removed).
    InputTypeChanged,
}

/// The integer formats schemars writes, with the bounds of their Rust types.
#[cfg(feature = "schema")]
const INTEGER_BOUNDS: &[(&str, i128, i128)] = &[
    ("int8", i8::MIN as i128, i8::MAX as i128),
    ("int16", i16::MIN as i128, i16::MAX as i128),
    ("int32", i32::MIN as i128, i32::MAX as i128),
    ("int64", i64::MIN as i128, i64::MAX as i128),
    ("int", i64::MIN as i128, i64::MAX as i128),
    ("uint8", 0, u8::MAX as i128),
    ("uint16", 0, u16::MAX as i128),
    ("uint32", 0, u32::MAX as i128),
    ("uint64", 0, u64::MAX as i128),
    ("uint", 0, u64::MAX as i128),
];

/// Makes a schemars schema accept exactly what serde decodes (the property test in
/// `tests/tests/schema_property.rs` is the judge):
/// - an integer's range is its Rust type's (schemars writes only the `format`, which
///   validators do not check): `minimum`/`maximum` added;
/// - an enum's unit variant is also accepted as `{"Variant": null}`, as `serde_json` does.
#[cfg(feature = "schema")]
pub(crate) fn as_decoded(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for v in map.values_mut() {
                as_decoded(v);
            }
            let is_integer = match map.get("type") {
                Some(Value::String(t)) => t == "integer",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
                _ => false,
            };
            if is_integer {
                let format = map
                    .get("format")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Some((_, min, max)) = INTEGER_BOUNDS.iter().find(|(f, _, _)| *f == format) {
                    for (key, bound) in [("minimum", *min), ("maximum", *max)] {
                        if !map.contains_key(key) {
                            let n = serde_json::Number::from_i128(bound)
                                .unwrap_or_else(|| serde_json::Number::from(0));
                            map.insert(key.to_owned(), Value::Number(n));
                        }
                    }
                }
            }
            let names: Option<Vec<String>> = (map.get("type") == Some(&Value::from("string")))
                .then(|| {
                    map.get("enum")
                        .and_then(Value::as_array)
                        .map(|e| {
                            e.iter()
                                .filter_map(Value::as_str)
                                .map(ToOwned::to_owned)
                                .collect()
                        })
                        .or_else(|| {
                            map.get("const")
                                .and_then(Value::as_str)
                                .map(|c| vec![c.to_owned()])
                        })
                })
                .flatten();
            if let Some(names) = names {
                let plain = Value::Object(std::mem::take(map));
                let mut alternatives = vec![plain];
                for name in names {
                    alternatives.push(serde_json::json!({
                        "type": "object",
                        "properties": { name.clone(): { "type": "null" } },
                        "required": [name],
                        "additionalProperties": false,
                    }));
                }
                map.insert("oneOf".to_owned(), Value::Array(alternatives));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(as_decoded),
        _ => {}
    }
}

/// `schema` with its `$ref`s to `#/$defs/…` inlined (cycles left as the bare reference),
/// and the annotations that do not constrain (`title`, `description`, `$schema`, `$defs`)
/// dropped, so two schemas compare by what they accept.
fn normalized(schema: &Value, defs: &serde_json::Map<String, Value>, depth: usize) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(def) = r.strip_prefix("#/$defs/").and_then(|n| defs.get(n)) {
                    if depth < 32 {
                        return normalized(def, defs, depth + 1);
                    }
                }
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "title" | "description" | "$schema" | "$defs")
                    })
                    .map(|(k, v)| (k.clone(), normalized(v, defs, depth)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| normalized(v, defs, depth)).collect())
        }
        other => other.clone(),
    }
}

fn defs_of(schema: &Value) -> serde_json::Map<String, Value> {
    schema
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn required_of(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(ToOwned::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn properties_of(schema: &Value) -> Option<BTreeMap<String, Value>> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn compare_inputs(old: &SignalContract, now: &SignalContract, out: &mut Vec<Breaking>) {
    let name = &old.name;
    let (old_schema, new_schema) = match (&old.schema, &now.schema) {
        (None, None) => return,
        (Some(o), Some(n)) => (o, n),
        (o, n) => {
            out.push(Breaking {
                signal: name.clone(),
                field: None,
                kind: BreakingKind::InputTypeChanged,
                message: format!(
                    "signal `{name}` {}: senders send {}; keep the input as it was, or add a new signal",
                    if n.is_some() { "now takes an input it did not" } else { "no longer takes an input" },
                    if o.is_some() { "one" } else { "none" },
                ),
            });
            return;
        }
    };
    let (old_defs, new_defs) = (defs_of(old_schema), defs_of(new_schema));
    let old_norm = normalized(old_schema, &old_defs, 0);
    let new_norm = normalized(new_schema, &new_defs, 0);
    match (properties_of(&old_norm), properties_of(&new_norm)) {
        (Some(old_props), Some(new_props)) => {
            let old_required = required_of(&old_norm);
            for field in required_of(&new_norm).difference(&old_required) {
                out.push(Breaking {
                    signal: name.clone(),
                    field: Some(field.clone()),
                    kind: BreakingKind::RequiredFieldAdded,
                    message: format!(
                        "signal `{name}`: field `{field}` is now required; inputs already sent and recorded lack it, so they would no longer decode; make it an Option (or give it #[serde(default)])"
                    ),
                });
            }
            for (field, old_field) in &old_props {
                if let Some(new_field) = new_props.get(field) {
                    if old_field != new_field {
                        out.push(Breaking {
                            signal: name.clone(),
                            field: Some(field.clone()),
                            kind: BreakingKind::FieldTypeChanged,
                            message: format!(
                                "signal `{name}`: field `{field}` changed type (was {old_field}, now {new_field}); inputs already sent may not decode; add a new field instead and keep the old one"
                            ),
                        });
                    }
                }
            }
        }
        _ if old_norm != new_norm => out.push(Breaking {
            signal: name.clone(),
            field: None,
            kind: BreakingKind::InputTypeChanged,
            message: format!(
                "signal `{name}`: the input changed type (was {old_norm}, now {new_norm}); inputs already sent may not decode; add a new signal instead"
            ),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sig(name: &str, aliases: &[&str], format: &str, schema: Option<Value>) -> SignalContract {
        SignalContract::new(
            name,
            aliases.iter().map(|a| (*a).to_owned()).collect(),
            format,
            "",
            schema,
        )
    }

    fn approve(props: &Value, required: &[&str]) -> Value {
        json!({"type": "object", "properties": props, "required": required})
    }

    fn base() -> Catalogue {
        Catalogue {
            signals: vec![
                sig(
                    "approve",
                    &[],
                    "json",
                    Some(approve(
                        &json!({"approver": {"type": "string"}, "note": {"type": ["string", "null"]}}),
                        &["approver"],
                    )),
                ),
                sig(
                    "change-quantity",
                    &[],
                    "json",
                    Some(json!({"type": "integer", "minimum": 0})),
                ),
                sig("nudge", &[], "json", None),
            ],
        }
    }

    fn kinds(new: &Catalogue) -> Vec<(BreakingKind, Option<String>)> {
        Catalogue::breaking_changes(&base(), new)
            .into_iter()
            .map(|b| {
                assert!(
                    b.message.contains(&format!("`{}`", b.signal)),
                    "{}",
                    b.message
                );
                if let Some(f) = &b.field {
                    assert!(b.message.contains(&format!("`{f}`")), "{}", b.message);
                }
                (b.kind, b.field)
            })
            .collect()
    }

    #[test]
    fn each_kind_of_breaking_change_is_reported_with_the_signal_and_field() {
        let mut removed = base();
        removed.signals.remove(2);
        assert_eq!(kinds(&removed), [(BreakingKind::SignalRemoved, None)]);

        let mut renamed = base();
        renamed.signals[0].name = "accept".into();
        assert_eq!(kinds(&renamed), [(BreakingKind::SignalRemoved, None)]);

        let mut format = base();
        format.signals[1].format = "flow-java".into();
        assert_eq!(kinds(&format), [(BreakingKind::FormatChanged, None)]);

        let mut required = base();
        required.signals[0].schema = Some(approve(
            &json!({"approver": {"type": "string"}, "note": {"type": ["string", "null"]}, "reason": {"type": "string"}}),
            &["approver", "reason"],
        ));
        assert_eq!(
            kinds(&required),
            [(BreakingKind::RequiredFieldAdded, Some("reason".into()))]
        );

        let mut retyped = base();
        retyped.signals[0].schema = Some(approve(
            &json!({"approver": {"type": "integer"}, "note": {"type": ["string", "null"]}}),
            &["approver"],
        ));
        assert_eq!(
            kinds(&retyped),
            [(BreakingKind::FieldTypeChanged, Some("approver".into()))]
        );

        let mut input = base();
        input.signals[1].schema = Some(json!({"type": "string"}));
        assert_eq!(kinds(&input), [(BreakingKind::InputTypeChanged, None)]);
    }

    #[test]
    fn compatible_changes_are_not_reported() {
        let mut new = base();
        // A rename with the old name kept as an alias, an optional field, a new signal,
        // a title and a $ref that inlines to the same thing.
        new.signals[0].name = "accept".into();
        new.signals[0].aliases = vec!["approve".into()];
        new.signals[0].schema = Some(json!({
            "title": "Approve",
            "type": "object",
            "properties": {"approver": {"$ref": "#/$defs/Name"}, "note": {"type": ["string", "null"]}, "channel": {"type": ["string", "null"]}},
            "required": ["approver"],
            "$defs": {"Name": {"type": "string", "description": "who"}},
        }));
        new.signals.push(sig("escalate", &[], "json", None));
        assert_eq!(kinds(&new), []);
    }
}
