//! The flow-java cases shared by the Jackson proofs (`tests/interop_flow_java.rs`) and the
//! Flow Framework proofs (`tests/flow_framework.rs`): the Rust enum of
//! `interop/flow-java/com/example/OrderSignals.java`'s methods, and each value with what the
//! Java method must report it received.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use swf_signal::Signal;

/// `com.example.Reason`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Its code.
    pub code: i32,
    /// Its text.
    pub text: String,
}

/// `com.other.Why`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Why {
    /// A count.
    pub count: i64,
    /// Reasons.
    pub reasons: Vec<Reason>,
}

/// `com.example.Color`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Color {
    /// `RED`.
    Red,
    /// `GREEN`.
    Green,
}

/// The Rust side of `interop/flow-java/com/example/OrderSignals.java` (and of the Flow
/// workflow `interop/flow-framework/…/OrderWorkflow.java`): Flow-Java's signal name is the
/// method name, hence camelCase. `Done` is the Flow workflow's last signal.
#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(
    format = "flow-java",
    java_package = "com.example",
    rename_all = "camelCase"
)]
#[allow(missing_docs)] // the variants are the Java methods of the same names
pub enum OrderSignals {
    Ping,
    Cancel(String),
    Move(i32, i64),
    Approve {
        approver: String,
        level: Option<u8>,
    },
    Everything(i8, i16, u8, u32, u64, f32, f64, char, bool, Option<String>),
    Nested(
        Vec<i64>,
        BTreeMap<String, i64>,
        (i32, String),
        Reason,
        Color,
    ),
    Dated {
        #[signal(java_class = "java.util.Date")]
        at: i64,
        #[signal(java_class = "com.other.Why")]
        why: Why,
        all: Vec<Reason>,
    },
    Widened(i32, i64, i16),
    Done,
}

/// A `Reason`.
fn reason(code: i32, text: &str) -> Reason {
    Reason {
        code,
        text: text.into(),
    }
}

/// Each Rust value, and what the Java method must report it received (runtime classes
/// included, so an `Integer` where a `Long` belongs is caught).
pub fn cases() -> Vec<(OrderSignals, &'static str)> {
    vec![
        (OrderSignals::Ping, "ok ping"),
        (
            OrderSignals::Cancel("late é 😀".into()),
            "ok cancel String(late é 😀)",
        ),
        (OrderSignals::Move(3, 4), "ok move Integer(3) Long(4)"),
        (
            OrderSignals::Approve {
                approver: "ana".into(),
                level: Some(2),
            },
            "ok approve String(ana) Short(2)",
        ),
        (
            OrderSignals::Approve {
                approver: "bo".into(),
                level: None,
            },
            "ok approve String(bo) null",
        ),
        (
            OrderSignals::Everything(-1, 2, 200, 4, u64::MAX, 1.5, 2.5, 'x', true, Some("j".into())),
            "ok everything Byte(-1) Short(2) Short(200) Long(4) BigInteger(18446744073709551615) Float(1.5) Double(2.5) Character(x) Boolean(true) String(j)",
        ),
        (
            OrderSignals::Nested(
                vec![7, 9],
                BTreeMap::from([("k".to_owned(), 8)]),
                (9, "t".into()),
                reason(7, "late"),
                Color::Green,
            ),
            "ok nested ArrayList[7, 9]<Long;Long;> HashMap{k=8}<Long;> ArrayList[9, t]<Integer;String;> Reason(Reason{code=7, text=late}) Color(GREEN)",
        ),
        (
            OrderSignals::Dated {
                at: 1_715_953_530_123,
                why: Why {
                    count: 3,
                    reasons: vec![reason(2, "b")],
                },
                all: vec![reason(2, "b")],
            },
            "ok dated Date(1715953530123) Why(Why{count=3, reasons=[Reason{code=2, text=b}]}) ArrayList[Reason{code=2, text=b}]<Reason;>",
        ),
        (
            OrderSignals::Widened(1, 2, 3),
            "ok widened Long(1) Double(2.0) Integer(3)",
        ),
    ]
}
