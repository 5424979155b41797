//! Flow-Java, proven against Jackson itself (Debian's `libjackson2-databind-java` on the
//! JDK), configured exactly as the AWS Flow Framework for Java's `JsonDataConverter`:
//! every Rust encoding is decoded by `fromData(input, Object[].class)` and passed to a
//! `@Signal`-style method with declared Java parameter types by reflection, as Flow-Java's
//! `POJOWorkflowDefinition.signalRecieved` does; and what Java's external clients send
//! (`toData(new Object[] {…})`) decodes into the Rust enum.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use swf_signal::Signal;
use swf_signal_tests::interop::{current_fixture, flow_java};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reason {
    code: i32,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Why {
    count: i64,
    reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
enum Color {
    Red,
    Green,
}

/// The Rust side of `interop/flow-java/com/example/OrderSignals.java`: Flow-Java's signal
/// name is the method name, hence camelCase.
#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(
    format = "flow-java",
    java_package = "com.example",
    rename_all = "camelCase"
)]
enum OrderSignals {
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
}

fn reason(code: i32, text: &str) -> Reason {
    Reason {
        code,
        text: text.into(),
    }
}

/// Each Rust value, and what the Java method must report it received (runtime classes
/// included, so an `Integer` where a `Long` belongs is caught).
fn cases() -> Vec<(OrderSignals, &'static str)> {
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

#[test]
fn every_rust_encoding_reaches_the_java_method_with_its_declared_types() {
    let cases = cases();
    let mut stdin = String::new();
    for (value, _) in &cases {
        let input = value.encode_input().unwrap().unwrap();
        writeln!(stdin, "{}\t{input}", value.signal_name()).unwrap();
    }
    // The default JSON format, for contrast: Flow-Java cannot read it.
    let plain = serde_json::to_string(&(3, 4)).unwrap();
    writeln!(stdin, "move\t{plain}").unwrap();

    let out = flow_java().run("decode", &stdin);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len() + 1, "{out}");
    for ((value, want), got) in cases.iter().zip(&lines) {
        assert_eq!(got, want, "Java's view of {value:?}");
    }
    assert!(
        lines[cases.len()].starts_with("error ")
            && lines[cases.len()].contains("need JSON String that contains type id"),
        "plain JSON must not reach Flow-Java: {}",
        lines[cases.len()]
    );
}

const FIXTURE: &str = "tests/fixtures/flow-java-signals.tsv";

#[test]
fn what_java_clients_send_decodes_into_the_enum() {
    // The committed fixture is what Jackson writes today (regenerated by
    // scripts/regen-interop-fixtures).
    let fixture = current_fixture(FIXTURE, &flow_java().run("encode", ""));
    // Java encodes the values of `cases()` but the last (widening is Java→Java only).
    let mut want: Vec<OrderSignals> = cases().into_iter().map(|(v, _)| v).collect();
    want.pop();
    let lines: Vec<&str> = fixture.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (line, want) in lines.iter().zip(want) {
        let (name, input) = line.split_once('\t').unwrap();
        let got = OrderSignals::decode(name, Some(input)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, want, "{line}");
        // And what Rust sends for the same value is what Java sent.
        assert_eq!(
            got.encode_input().unwrap().as_deref(),
            Some(input),
            "{name}"
        );
    }
}
