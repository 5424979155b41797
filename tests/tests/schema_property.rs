//! Property: a catalogue's JSON Schema accepts exactly the inputs the enum decodes —
//! `schema-valid ⇔ S::decode(name, input).is_ok()` — for every shape of signal (struct,
//! newtype of a primitive, a struct, an enum, an `Option`, a tuple), on values generated
//! well-typed and then mutated into near misses (a wrong type, a missing or extra field,
//! a number out of range, null), 1,000 cases per shape, checked with the `jsonschema`
//! crate.
//!
//! Exactly: what the schema admits decodes; what decodes, re-encoded, the schema admits;
//! and a decodable input the schema refuses differs from its re-encoding only by serde's
//! array form of a nested struct (`["a", 1]` for `{"street":"a","zip":1}`), which the
//! schema leaves out on purpose (a struct variant's own payload refuses it). One
//! difference is inherent and not generated: JSON Schema counts `1.0` as an integer, serde
//! refuses it for an integer field; generated floats always have a fraction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use swf_signal::{Catalogue, Signal};

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(dead_code)] // decoded, never read: the test is about what decodes
struct Address {
    street: String,
    zip: u16,
    lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(dead_code)] // decoded, never read: the test is about what decodes
enum Reason {
    Duplicate,
    Other { text: String },
}

#[derive(Debug, Signal)]
#[allow(dead_code)]
#[signal(rename_all = "kebab-case", schema)]
enum OrderSignal {
    #[signal(alias = "approve-order")]
    Approve {
        approver: String,
        note: Option<String>,
        quantity: u32,
    },
    ChangeQuantity(u32),
    Ship(Address),
    Cancel(Reason),
    Discount(Option<i64>),
    Price(f64),
    Reroute(i32, i32),
    Flag(bool),
    Nudge,
}

/// Leaves: the edges of every type involved.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(1),
            Just(65_535),
            Just(65_536),
            Just(2_147_483_647),
            Just(2_147_483_648),
            Just(-2_147_483_649),
            Just(4_294_967_295),
            Just(4_294_967_296),
            Just(i64::MAX),
            Just(i64::MIN),
        ]
        .prop_map(Value::from),
        Just(json!(u64::MAX)),
        (-1.0e6f64..1.0e6)
            .prop_filter("a fraction", |f| f.fract() != 0.0)
            .prop_map(Value::from),
        "[a-z]{0,6}".prop_map(Value::from),
        Just(json!("Duplicate")),
    ]
}

const KEYS: &[&str] = &[
    "approver",
    "note",
    "quantity",
    "street",
    "zip",
    "lines",
    "Other",
    "Duplicate",
    "text",
    "extra",
];

/// Any JSON made of those leaves and keys, up to three levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(proptest::sample::select(KEYS), inner, 0..4).prop_map(
                |m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            ),
        ]
    })
}

/// A well-typed input for `signal`.
fn valid(signal: &'static str) -> BoxedStrategy<Value> {
    let text = || "[a-z ]{0,8}";
    match signal {
        "approve" => (text(), proptest::option::of(text()), any::<u32>())
            .prop_map(|(a, n, q)| json!({"approver": a, "note": n, "quantity": q}))
            .boxed(),
        "change-quantity" => any::<u32>().prop_map(Value::from).boxed(),
        "ship" => (
            text(),
            any::<u16>(),
            proptest::collection::vec(text(), 0..3),
        )
            .prop_map(|(s, z, l)| json!({"street": s, "zip": z, "lines": l}))
            .boxed(),
        "cancel" => prop_oneof![
            Just(json!("Duplicate")),
            text().prop_map(|t| json!({"Other": {"text": t}}))
        ]
        .boxed(),
        "discount" => proptest::option::of(any::<i64>())
            .prop_map(|d| json!(d))
            .boxed(),
        "price" => any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from)
            .boxed(),
        "reroute" => (any::<i32>(), any::<i32>())
            .prop_map(|(x, y)| json!([x, y]))
            .boxed(),
        "flag" => any::<bool>().prop_map(Value::from).boxed(),
        other => panic!("no generator for {other}"),
    }
}

/// `value` with one place changed: a member replaced by any JSON, removed, or added; or
/// the whole value replaced.
fn mutate(value: Value) -> impl Strategy<Value = Value> {
    (
        0usize..4,
        any_json(),
        any::<prop::sample::Index>(),
        proptest::sample::select(KEYS),
    )
        .prop_map(move |(how, other, at, key)| {
            let mut v = value.clone();
            match (&mut v, how) {
                (Value::Object(m), 1) if !m.is_empty() => {
                    let k = m.keys().nth(at.index(m.len())).cloned().unwrap();
                    m.insert(k, other);
                    v
                }
                (Value::Object(m), 2) if !m.is_empty() => {
                    let k = m.keys().nth(at.index(m.len())).cloned().unwrap();
                    m.remove(&k);
                    v
                }
                (Value::Object(m), 3) => {
                    m.insert(key.to_owned(), other);
                    v
                }
                (Value::Array(a), 1) if !a.is_empty() => {
                    let i = at.index(a.len());
                    a[i] = other;
                    v
                }
                (Value::Array(a), 2) if !a.is_empty() => {
                    a.remove(at.index(a.len()));
                    v
                }
                (Value::Array(a), 3) => {
                    a.push(other);
                    v
                }
                _ => other,
            }
        })
}

fn input_for(signal: &'static str) -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => valid(signal),
        3 => valid(signal).prop_flat_map(mutate),
        1 => any_json(),
    ]
}

/// Whether `input` differs from `canonical` (the same value as the enum encodes it) only
/// by serde's array form of a struct: an array where the canonical JSON has an object.
fn array_form_of_a_struct(input: &Value, canonical: &Value) -> bool {
    match (input, canonical) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(i), Value::Object(c)) => i
            .iter()
            .any(|(k, v)| c.get(k).is_some_and(|cv| array_form_of_a_struct(v, cv))),
        (Value::Array(i), Value::Array(c)) => {
            i.iter().zip(c).any(|(v, cv)| array_form_of_a_struct(v, cv))
        }
        _ => false,
    }
}

fn check(signal: &'static str, input: &Value) -> Result<(), TestCaseError> {
    let catalogue = Catalogue::of::<OrderSignal>();
    let schema = catalogue.find(signal).unwrap().schema.as_ref().unwrap();
    let validator = jsonschema::validator_for(schema).unwrap();
    let valid = validator.is_valid(input);
    let decoded = OrderSignal::decode(signal, Some(&input.to_string()));
    match decoded {
        // What the schema admits always decodes.
        Err(e) => prop_assert!(
            !valid,
            "{signal} with {input}: the schema admits it, decode says {e}"
        ),
        Ok(value) => {
            // What decodes, re-encoded as senders send it, is always schema-valid …
            let canonical: Value =
                serde_json::from_str(&value.encode_input().unwrap().unwrap()).unwrap();
            prop_assert!(
                validator.is_valid(&canonical),
                "{signal}: {canonical} decodes but the schema refuses it"
            );
            // … and the input itself is, unless it used serde's array form of a struct
            // (which the schema leaves out: every sender uses the object).
            prop_assert!(
                valid || array_form_of_a_struct(input, &canonical),
                "{signal} with {input}: decodes, but the schema refuses it"
            );
        }
    }
    Ok(())
}

macro_rules! shape {
    ($test:ident, $signal:literal) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1_000))]
            #[test]
            fn $test(input in input_for($signal)) {
                check($signal, &input)?;
            }
        }
    };
}

shape!(struct_variant, "approve");
shape!(newtype_u32, "change-quantity");
shape!(newtype_struct, "ship");
shape!(newtype_enum, "cancel");
shape!(newtype_option, "discount");
shape!(newtype_f64, "price");
shape!(tuple_variant, "reroute");
shape!(newtype_bool, "flag");

#[test]
fn the_catalogue_lists_names_aliases_formats_and_no_schema_for_a_unit_signal() {
    let catalogue = Catalogue::of::<OrderSignal>();
    let names: Vec<&str> = catalogue.signals.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, OrderSignal::NAMES);
    let approve = catalogue.find("approve-order").unwrap();
    assert_eq!(
        (
            approve.name.as_str(),
            approve.variant.as_str(),
            approve.format.as_str()
        ),
        ("approve", "Approve", "json")
    );
    assert_eq!(
        approve.schema.as_ref().unwrap()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(catalogue.find("nudge").unwrap().schema.is_none());
    // The alias decodes; the name is what is sent.
    let old =
        OrderSignal::decode("approve-order", Some(r#"{"approver":"a","quantity":1}"#)).unwrap();
    assert_eq!(old.signal_name(), "approve");
    // And the catalogue round-trips as JSON.
    let text = serde_json::to_string(&catalogue).unwrap();
    assert_eq!(serde_json::from_str::<Catalogue>(&text).unwrap(), catalogue);
}
