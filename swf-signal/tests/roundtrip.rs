//! Wire-format round trips for every variant shape, and every `DecodeError` case.
// A failing assertion is how a test reports; helpers outside #[test] fns panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::{Deserialize, Serialize};
use swf_signal::{DecodeError, Dispatch, Signal};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CancelReason {
    code: u16,
    text: String,
}

mod as_string {
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` passes a reference
    pub(crate) fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum OrderSignal {
    Approve {
        approver: String,
        note: Option<String>,
    },
    #[signal(name = "order.cancel")]
    Cancel(CancelReason),
    Move(i32, i32),
    Ping,
    #[signal(raw)]
    Comment(String),
    MaybeQuantity(Option<u32>),
    Quantity(u32),
    Tagged {
        #[serde(rename = "orderId")]
        order_id: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        #[serde(with = "as_string")]
        amount: u64,
        r#type: String,
    },
}

fn roundtrip(signal: &OrderSignal) -> (String, Option<String>) {
    let name = signal.signal_name().to_owned();
    let input = signal.encode_input().expect("payloads in this test encode");
    let back = OrderSignal::decode(&name, input.as_deref()).expect("what we encode decodes");
    assert_eq!(&back, signal);
    (name, input)
}

#[test]
fn struct_variant_is_a_json_object_keyed_by_field_names() {
    let (name, input) = roundtrip(&OrderSignal::Approve {
        approver: "ana".into(),
        note: Some("rush".into()),
    });
    assert_eq!(name, "approve");
    assert_eq!(
        input.as_deref(),
        Some(r#"{"approver":"ana","note":"rush"}"#)
    );
}

#[test]
fn newtype_variant_is_the_json_of_its_payload() {
    let reason = CancelReason {
        code: 7,
        text: "duplicate order".into(),
    };
    let (name, input) = roundtrip(&OrderSignal::Cancel(reason));
    assert_eq!(name, "order.cancel");
    assert_eq!(
        input.as_deref(),
        Some(r#"{"code":7,"text":"duplicate order"}"#)
    );
    let (_, input) = roundtrip(&OrderSignal::Quantity(12));
    assert_eq!(input.as_deref(), Some("12"));
}

#[test]
fn tuple_variant_is_a_json_array() {
    let (name, input) = roundtrip(&OrderSignal::Move(3, -4));
    assert_eq!(name, "move");
    assert_eq!(input.as_deref(), Some("[3,-4]"));
}

#[test]
fn unit_variant_has_no_input_and_accepts_absent_blank_and_null() {
    let (name, input) = roundtrip(&OrderSignal::Ping);
    assert_eq!((name.as_str(), input), ("ping", None));
    for accepted in [None, Some(""), Some("   \n"), Some("null"), Some(" null ")] {
        assert_eq!(
            OrderSignal::decode("ping", accepted).ok(),
            Some(OrderSignal::Ping),
            "{accepted:?}"
        );
    }
}

#[test]
fn raw_variant_is_verbatim_and_absent_is_empty() {
    let text = "not { json, \"quoted\" \u{e9}";
    let (name, input) = roundtrip(&OrderSignal::Comment(text.into()));
    assert_eq!(name, "comment");
    assert_eq!(input.as_deref(), Some(text));
    assert_eq!(
        OrderSignal::decode("comment", None).ok(),
        Some(OrderSignal::Comment(String::new()))
    );
}

#[test]
fn option_newtype_decodes_an_absent_input_as_none() {
    roundtrip(&OrderSignal::MaybeQuantity(Some(2)));
    roundtrip(&OrderSignal::MaybeQuantity(None));
    assert_eq!(
        OrderSignal::decode("maybe_quantity", None).ok(),
        Some(OrderSignal::MaybeQuantity(None))
    );
}

#[test]
fn serde_attributes_on_struct_fields_are_honoured() {
    let tagged = OrderSignal::Tagged {
        order_id: "o-1".into(),
        tags: vec![],
        amount: 18_446_744_073_709_551_615,
        r#type: "gift".into(),
    };
    let (name, input) = roundtrip(&tagged);
    assert_eq!(name, "tagged");
    assert_eq!(
        input.as_deref(),
        Some(r#"{"orderId":"o-1","amount":"18446744073709551615","type":"gift"}"#)
    );
    let with_tags = OrderSignal::Tagged {
        order_id: "o-2".into(),
        tags: vec!["a".into()],
        amount: 1,
        r#type: "t".into(),
    };
    let (_, input) = roundtrip(&with_tags);
    assert!(input.unwrap_or_default().contains(r#""tags":["a"]"#));
}

#[test]
fn unknown_keys_are_ignored() {
    let got = OrderSignal::decode(
        "approve",
        Some(r#"{"approver":"bo","note":null,"added_in_v2":[1,2,3]}"#),
    );
    assert_eq!(
        got.ok(),
        Some(OrderSignal::Approve {
            approver: "bo".into(),
            note: None
        })
    );
}

#[test]
fn names_lists_every_wire_name_in_declaration_order() {
    const CANCEL: &str = swf_signal::signal_name!(OrderSignal::Cancel);
    assert_eq!(
        OrderSignal::NAMES,
        [
            "approve",
            "order.cancel",
            "move",
            "ping",
            "comment",
            "maybe_quantity",
            "quantity",
            "tagged"
        ]
    );
    assert_eq!(CANCEL, "order.cancel");
}

// --- every DecodeError case -------------------------------------------------------

#[test]
fn unknown_name_keeps_name_and_input_and_lists_the_expected_names() {
    let err = OrderSignal::decode("aprove", Some("{}")).unwrap_err();
    assert!(matches!(err, DecodeError::UnknownName { .. }), "{err:?}");
    assert_eq!((err.name(), err.input()), ("aprove", Some("{}")));
    let msg = err.to_string();
    assert!(
        msg.contains("unknown signal `aprove` for OrderSignal"),
        "{msg}"
    );
    assert!(msg.contains("`approve`, `order.cancel`"), "{msg}");
    assert!(msg.contains("#[signal(other)]"), "{msg}");
}

#[test]
fn missing_input_names_the_signal() {
    let err = OrderSignal::decode("order.cancel", None).unwrap_err();
    assert!(matches!(err, DecodeError::MissingInput { .. }), "{err:?}");
    assert_eq!((err.name(), err.input()), ("order.cancel", None));
    assert!(err
        .to_string()
        .contains("signal `order.cancel` needs an input"));
    // Struct and tuple variants need an input too; a blank one counts as absent.
    for name in ["approve", "move"] {
        let err = OrderSignal::decode(name, Some(" ")).unwrap_err();
        assert!(
            matches!(err, DecodeError::MissingInput { .. }),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn unexpected_input_on_a_unit_variant() {
    let err = OrderSignal::decode("ping", Some("{\"secret\":1}")).unwrap_err();
    assert!(
        matches!(err, DecodeError::UnexpectedInput { .. }),
        "{err:?}"
    );
    assert_eq!(err.input(), Some("{\"secret\":1}"));
    let msg = err.to_string();
    assert!(
        msg.contains("signal `ping` takes no input but got 12 characters"),
        "{msg}"
    );
    assert!(
        !msg.contains("secret"),
        "the input never reaches Display: {msg}"
    );
}

#[test]
fn malformed_input_carries_serde_line_column_and_expectation() {
    let input = "{\"approver\": 5}";
    let err = OrderSignal::decode("approve", Some(input)).unwrap_err();
    let DecodeError::MalformedInput { source, .. } = &err else {
        panic!("expected MalformedInput, got {err:?}");
    };
    assert_eq!((source.line(), source.column()), (1, 14));
    assert_eq!((err.line(), err.column()), (Some(1), Some(14)));
    assert_eq!(err.input(), Some(input));
    let msg = err.to_string();
    assert!(
        msg.starts_with("signal `approve` has a malformed input"),
        "{msg}"
    );
    assert!(msg.contains("expected a string"), "{msg}");

    let err = OrderSignal::decode("approve", Some("{\n}")).unwrap_err();
    assert!(
        err.to_string().contains("missing field `approver`"),
        "{err}"
    );
    assert_eq!(err.line(), Some(2));
    let (name, input) = err.into_parts();
    assert_eq!((name.as_str(), input.as_deref()), ("approve", Some("{\n}")));
}

// --- the other variant ---------------------------------------------------------

#[derive(Debug, PartialEq, Signal)]
enum Tolerant {
    Known,
    #[signal(other)]
    Unrecognised {
        name: String,
        input: Option<String>,
    },
}

#[test]
fn other_variant_receives_unknown_names_and_is_not_in_names() {
    assert_eq!(Tolerant::NAMES, ["Known"]);
    let got = Tolerant::decode("NewInV2", Some("{\"x\":1}")).ok();
    assert_eq!(
        got,
        Some(Tolerant::Unrecognised {
            name: "NewInV2".into(),
            input: Some("{\"x\":1}".into())
        })
    );
    let Some(other) = got else { return };
    assert_eq!(other.signal_name(), "");
    assert_eq!(other.wire_name(), "NewInV2");
    assert_eq!(
        other.encode_input().ok(),
        Some(Some("{\"x\":1}".to_owned()))
    );
    assert_eq!(Tolerant::Known.wire_name(), "Known");
}

// --- dispatch -----------------------------------------------------------------

#[derive(Default)]
struct Recorder(Vec<String>);

impl OrderSignalHandler for Recorder {
    type Output = usize;
    fn approve(&mut self, approver: String, note: Option<String>) -> usize {
        self.0.push(format!("approve {approver} {note:?}"));
        1
    }
    fn cancel(&mut self, value: CancelReason) -> usize {
        self.0.push(format!("cancel {}", value.code));
        2
    }
    fn r#move(&mut self, x: i32, y: i32) -> usize {
        self.0.push(format!("move {x} {y}"));
        3
    }
    fn ping(&mut self) -> usize {
        self.0.push("ping".into());
        4
    }
    fn comment(&mut self, text: String) -> usize {
        self.0.push(format!("comment {text}"));
        5
    }
    fn maybe_quantity(&mut self, q: Option<u32>) -> usize {
        self.0.push(format!("maybe {q:?}"));
        6
    }
    fn quantity(&mut self, q: u32) -> usize {
        self.0.push(format!("quantity {q}"));
        7
    }
    fn tagged(
        &mut self,
        order_id: String,
        tags: Vec<String>,
        amount: u64,
        r#type: String,
    ) -> usize {
        let kind = r#type;
        self.0
            .push(format!("tagged {order_id} {tags:?} {amount} {kind}"));
        8
    }
}

#[test]
fn dispatch_calls_the_handler_of_each_variant_with_its_fields() {
    let mut rec = Recorder::default();
    let outputs: Vec<usize> = [
        OrderSignal::Ping,
        OrderSignal::Move(1, 2),
        OrderSignal::Approve {
            approver: "a".into(),
            note: None,
        },
        OrderSignal::Comment("hi".into()),
    ]
    .into_iter()
    .map(|s| s.dispatch(&mut rec))
    .collect();
    assert_eq!(outputs, [4, 3, 1, 5]);
    assert_eq!(rec.0, ["ping", "move 1 2", "approve a None", "comment hi"]);
}

/// Issue 19 (11): an f64 comes back bit for bit. Without `serde_json`'s `float_roundtrip`
/// its fast parser is one ULP off for some shortest representations ryu writes.
#[test]
fn every_f64_comes_back_bit_for_bit() {
    #[derive(Debug, PartialEq, swf_signal::Signal)]
    enum Reading {
        Value(f64),
        Pair { x: f64, y: f64 },
    }
    #[derive(Debug, PartialEq, swf_signal::Signal)]
    #[signal(format = "simpleflow")]
    enum PyReading {
        Value(f64),
    }
    let mut values = vec![
        1.071_566_039_146_582_6e-75,
        -1.819_967_304_027_17e-179,
        -1.603_964_615_428_183e143,
        -9.643_915_712_060_552e-234,
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while values.len() < 20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = f64::from_bits(x);
        if f.is_finite() {
            values.push(f);
        }
    }
    for v in values {
        for signal in [Reading::Value(v), Reading::Pair { x: v, y: -v }] {
            let input = signal.encode_input().unwrap();
            let back = Reading::decode(signal.signal_name(), input.as_deref()).unwrap();
            assert_eq!(back, signal, "{input:?}");
        }
        let py = PyReading::Value(v);
        let input = py.encode_input().unwrap();
        let back = PyReading::decode(py.signal_name(), input.as_deref()).unwrap();
        assert_eq!(back, py, "{input:?}");
    }
}
