//! Property: for every variant shape and arbitrary payloads, decoding what was encoded
//! gives the value back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use swf_signal::Signal;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line {
    sku: String,
    qty: u32,
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "kebab-case")]
enum Every {
    Unit,
    Newtype(Line),
    OptionalNewtype(Option<i64>),
    ListNewtype(Vec<String>),
    Tuple(i32, String, bool),
    Struct {
        #[serde(rename = "by")]
        approver: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        amount: u64,
    },
    #[signal(raw)]
    Raw(String),
    #[signal(other)]
    Other {
        name: String,
        input: Option<String>,
    },
}

fn line() -> impl Strategy<Value = Line> {
    (
        any::<String>(),
        any::<u32>(),
        proptest::option::of(any::<String>()),
    )
        .prop_map(|(sku, qty, note)| Line { sku, qty, note })
}

fn every() -> impl Strategy<Value = Every> {
    prop_oneof![
        Just(Every::Unit),
        line().prop_map(Every::Newtype),
        proptest::option::of(any::<i64>()).prop_map(Every::OptionalNewtype),
        proptest::collection::vec(any::<String>(), 0..8).prop_map(Every::ListNewtype),
        (any::<i32>(), any::<String>(), any::<bool>()).prop_map(|(a, b, c)| Every::Tuple(a, b, c)),
        (
            any::<String>(),
            proptest::option::of(any::<String>()),
            any::<u64>()
        )
            .prop_map(|(approver, note, amount)| Every::Struct {
                approver,
                note,
                amount
            }),
        any::<String>().prop_map(Every::Raw),
        // An unknown name comes back as `other`, input untouched.
        (
            "[a-z]{1,12}\\.v[0-9]",
            proptest::option::of(any::<String>())
        )
            .prop_filter("not a known name", |(n, _)| !Every::NAMES
                .contains(&n.as_str()))
            .prop_map(|(name, input)| Every::Other { name, input }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn decode_of_encode_is_the_identity(value in every()) {
        let input = value.encode_input().unwrap();
        let back = Every::decode(value.wire_name(), input.as_deref()).unwrap();
        prop_assert_eq!(back, value);
    }

    #[test]
    fn decode_never_panics_on_any_name_and_input(name in any::<String>(), input in proptest::option::of(any::<String>())) {
        // Any outcome is fine; a panic fails the property.
        let _ = Every::decode(&name, input.as_deref());
    }
}
