//! The wire formats of other SWF frameworks, in memory: the exact input of every variant
//! shape in every format (the matrix of `docs/interop.md`), decoding of what each peer
//! legitimately sends, and errors that name the signal, the argument and the format. The
//! proofs against the peers' own code are in `tests/tests/interop_*.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use swf_signal::{DecodeError, Signal};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reason {
    code: i32,
    text: String,
}

macro_rules! shapes {
    ($name:ident, $format:literal) => {
        #[derive(Debug, Clone, PartialEq, Signal)]
        #[signal(format = $format)]
        #[allow(dead_code)]
        enum $name {
            Ping,
            Cancel(String),
            Move(i32, i64),
            Approve { approver: String, level: Option<u8> },
        }
    };
}

shapes!(Json, "json");
shapes!(Java, "flow-java");
shapes!(Simple, "simpleflow");
shapes!(Boto, "botoflow");

fn inputs<S: Signal>(values: &[S]) -> Vec<Option<String>> {
    values
        .iter()
        .map(|v| v.encode_input().unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

macro_rules! all_shapes {
    ($e:ident) => {
        [
            $e::Ping,
            $e::Cancel("late é".into()),
            $e::Move(3, 4),
            $e::Approve {
                approver: "ana".into(),
                level: Some(2),
            },
        ]
    };
}

fn assert_matrix<S: Signal + PartialEq + std::fmt::Debug>(values: &[S], want: &[Option<&str>]) {
    let got = inputs(values);
    let got: Vec<Option<&str>> = got.iter().map(Option::as_deref).collect();
    assert_eq!(got, want);
    for (value, input) in values.iter().zip(got) {
        let back = S::decode(value.signal_name(), input).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&back, value, "round trip of {input:?}");
    }
}

#[test]
fn the_matrix_of_docs_interop() {
    assert_matrix(
        &all_shapes!(Json),
        &[
            None,
            Some(r#""late é""#),
            Some("[3,4]"),
            Some(r#"{"approver":"ana","level":2}"#),
        ],
    );
    assert_matrix(
        &all_shapes!(Java),
        &[
            Some(r#"["[Ljava.lang.Object;",[]]"#),
            Some(r#"["[Ljava.lang.Object;",["late é"]]"#),
            Some(r#"["[Ljava.lang.Object;",[3,["java.lang.Long",4]]]"#),
            Some(r#"["[Ljava.lang.Object;",["ana",["java.lang.Short",2]]]"#),
        ],
    );
    assert_matrix(
        &all_shapes!(Simple),
        &[
            Some(r#"{"__propagate":false,"args":[],"kwargs":{}}"#),
            Some(r#"{"__propagate":false,"args":["late \u00e9"],"kwargs":{}}"#),
            Some(r#"{"__propagate":false,"args":[3,4],"kwargs":{}}"#),
            Some(r#"{"__propagate":false,"args":[],"kwargs":{"approver":"ana","level":2}}"#),
        ],
    );
    assert_matrix(
        &all_shapes!(Boto),
        &[
            Some(r#"[{"__tuple":[]},{}]"#),
            Some(r#"[{"__tuple":["late \u00e9"]},{}]"#),
            Some(r#"[{"__tuple":[3,4]},{}]"#),
            Some(r#"[{"__tuple":[]},{"approver":"ana","level":2}]"#),
        ],
    );
}

#[test]
fn what_the_peers_send_decodes() {
    // Flow-Java: a Long wrapper or a bare int reach an i64; a bare array is tolerated.
    let want = Java::Move(3, 4);
    for sent in [
        r#"["[Ljava.lang.Object;",[3,["java.lang.Long",4]]]"#,
        r#"["[Ljava.lang.Object;",[["java.lang.Integer",3],4]]"#,
        "[3,4]",
    ] {
        assert_eq!(
            Java::decode("Move", Some(sent)).ok(),
            Some(want.clone()),
            "{sent}"
        );
    }
    // simpleflow: positional or keyword arguments, or an external sender's plain dict.
    let want = Simple::Approve {
        approver: "ana".into(),
        level: None,
    };
    for sent in [
        r#"{"__propagate":true,"args":["ana"],"kwargs":{}}"#,
        r#"{"args":[],"kwargs":{"approver":"ana"}}"#,
        r#"{"approver":"ana"}"#,
    ] {
        assert_eq!(
            Simple::decode("Approve", Some(sent)).ok(),
            Some(want.clone()),
            "{sent}"
        );
    }
    // botoflow: [args, kwargs] with a tuple or a list, or a bare dict of kwargs.
    let want = Boto::Move(3, 4);
    for sent in [
        r#"[{"__tuple":[3,4]},{}]"#,
        "[[3,4],{}]",
        "[[3],{\"arg\":1}]",
    ] {
        let got = Boto::decode("Move", Some(sent));
        if sent.starts_with("[[3]") {
            // A missing positional argument is an error that names it.
            let err = got.err().map(|e| e.to_string()).unwrap_or_default();
            assert_eq!(
                err,
                "signal `Move` does not decode as botoflow: argument 2: missing; the sender passed fewer arguments than the variant has fields"
            );
        } else {
            assert_eq!(got.ok(), Some(want.clone()), "{sent}");
        }
    }
    assert_eq!(
        Boto::decode("Approve", Some(r#"{"approver":"ana","level":1}"#)).ok(),
        Some(Boto::Approve {
            approver: "ana".into(),
            level: Some(1)
        })
    );
    // Absent input is a call without arguments in every format.
    assert_eq!(Java::decode("Ping", None).ok(), Some(Java::Ping));
    assert_eq!(Simple::decode("Ping", Some("")).ok(), Some(Simple::Ping));
}

#[test]
fn errors_name_the_signal_the_argument_and_the_format() {
    let err = Java::decode("Move", Some(r#"["[Ljava.lang.Object;",[3,"x"]]"#))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        err,
        "signal `Move` does not decode as flow-java: argument 2: invalid type: string \"x\", expected i64"
    );
    let err = Simple::decode("Approve", Some(r#"{"kwargs":{"approver":7}}"#)).err();
    let Some(DecodeError::Format {
        format,
        error,
        input,
        ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*format, "simpleflow");
    assert_eq!(error.argument(), Some("argument `approver` (position 1)"));
    assert_eq!(input.as_deref(), Some(r#"{"kwargs":{"approver":7}}"#));
    // The log-safe summary leaves serde's message (which quotes values) out.
    let summary = err
        .as_ref()
        .map(|e| e.summary().to_string())
        .unwrap_or_default();
    assert_eq!(
        summary,
        "signal `Approve` does not decode as simpleflow (argument `approver` (position 1))"
    );
    let err = Boto::decode("Move", Some("[1,2,3]"))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("signal `Move` does not decode as botoflow: expected botoflow's [args, kwargs] (or a dict of keyword arguments)")
    );
    let err = Java::decode("Cancel", Some(r#"["[Ljava.lang.Object;",["a","b"]]"#))
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("signal `Cancel` does not decode as flow-java: 2 positional arguments where the variant has 1; check that the sender's signature matches the variant's fields")
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Color {
    Red,
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(format = "flow-java", java_package = "com.example")]
enum Typed {
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
        why: Reason,
        all: Vec<Reason>,
    },
}

#[test]
fn flow_java_types_each_rust_type_as_its_java_counterpart() {
    let v = Typed::Everything(1, 2, 3, 4, u64::MAX, 1.5, 2.5, 'x', true, None);
    assert_eq!(
        v.encode_input().ok().flatten().as_deref(),
        Some(
            r#"["[Ljava.lang.Object;",[["java.lang.Byte",1],["java.lang.Short",2],["java.lang.Short",3],["java.lang.Long",4],["java.math.BigInteger",18446744073709551615],["java.lang.Float",1.5],2.5,["java.lang.Character","x"],true,null]]"#
        )
    );
    let v = Typed::Nested(
        vec![7],
        BTreeMap::from([("k".to_owned(), 8)]),
        (9, "t".into()),
        Reason {
            code: 7,
            text: "late".into(),
        },
        Color::Red,
    );
    let input = v.encode_input().ok().flatten();
    assert_eq!(
        input.as_deref(),
        Some(
            r#"["[Ljava.lang.Object;",[["java.util.ArrayList",[["java.lang.Long",7]]],["java.util.HashMap",{"k":["java.lang.Long",8]}],["[Ljava.lang.Object;",[9,"t"]],["com.example.Reason",{"code":7,"text":"late"}],["com.example.Color","Red"]]]"#
        )
    );
    assert_eq!(Typed::decode("Nested", input.as_deref()).ok(), Some(v));
    let v = Typed::Dated {
        at: 1_715_953_530_123,
        why: Reason {
            code: 1,
            text: "a".into(),
        },
        all: vec![Reason {
            code: 2,
            text: "b".into(),
        }],
    };
    let input = v.encode_input().ok().flatten();
    assert_eq!(
        input.as_deref(),
        Some(
            r#"["[Ljava.lang.Object;",[["java.util.Date",1715953530123],["com.other.Why",{"code":1,"text":"a"}],["java.util.ArrayList",[["com.example.Reason",{"code":2,"text":"b"}]]]]]"#
        )
    );
    assert_eq!(Typed::decode("Dated", input.as_deref()).ok(), Some(v));
}

#[derive(Debug, Signal)]
#[signal(format = "flow-java")]
enum NoPackage {
    Why(Reason),
    Data(Shape),
}

#[derive(Debug, Serialize, Deserialize)]
enum Shape {
    Square(u32),
}

#[test]
fn what_flow_java_cannot_carry_is_an_encode_error() {
    let err = NoPackage::Why(Reason {
        code: 1,
        text: String::new(),
    })
    .encode_input()
    .err();
    assert_eq!(
        err.as_ref().map(ToString::to_string).as_deref(),
        Some("cannot encode signal `Why` as flow-java: argument 1: struct `Reason` needs a Java class: set #[signal(java_package = \"com.example\")] on the enum, or #[signal(java_class = \"com.example.Reason\")] on the field")
    );
    assert_eq!(err.as_ref().and_then(|e| e.argument()), Some("argument 1"));
    let err = NoPackage::Data(Shape::Square(1))
        .encode_input()
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("cannot encode signal `Data` as flow-java: argument 1: `Shape::Square` is an enum variant with data, which has no Java counterpart; use a struct (a POJO) or a unit-only enum (a Java enum)")
    );
}

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(format = "flow-java")]
enum Dotted {
    Names(Vec<String>, (String, String)),
}

#[test]
fn flow_java_strings_that_look_like_classes_survive() {
    let v = Dotted::Names(
        vec!["com.example".into(), "x".into()],
        ("java.lang.Long".into(), "y".into()),
    );
    let input = v.encode_input().ok().flatten();
    assert_eq!(
        input.as_deref(),
        Some(
            r#"["[Ljava.lang.Object;",[["java.util.ArrayList",["com.example","x"]],["[Ljava.lang.Object;",["java.lang.Long","y"]]]]"#
        )
    );
    assert_eq!(Dotted::decode("Names", input.as_deref()).ok(), Some(v));
}

#[derive(Debug, Clone, PartialEq, Signal)]
enum Mixed {
    Plain(u8),
    #[signal(format = "simpleflow", propagate)]
    Spread {
        level: u8,
    },
    #[signal(format = "botoflow")]
    Pair((u8, String), #[allow(unused)] Vec<u8>),
}

#[test]
fn a_format_per_variant_and_propagate() {
    assert_eq!(
        Mixed::Plain(1).encode_input().ok().flatten().as_deref(),
        Some("1")
    );
    assert_eq!(
        Mixed::Spread { level: 1 }
            .encode_input()
            .ok()
            .flatten()
            .as_deref(),
        Some(r#"{"__propagate":true,"args":[],"kwargs":{"level":1}}"#)
    );
    let v = Mixed::Pair((1, "a".into()), vec![2]);
    let input = v.encode_input().ok().flatten();
    assert_eq!(
        input.as_deref(),
        Some(r#"[{"__tuple":[{"__tuple":[1,"a"]},[2]]},{}]"#)
    );
    assert_eq!(Mixed::decode("Pair", input.as_deref()).ok(), Some(v));
}

/// Issue 19 (12): what the peer's own receiver would refuse is refused here too: an
/// unexpected keyword argument (Python raises `TypeError`), and a Flow-Java `byte[]`
/// whose value is not base64 (Jackson refuses it).
#[test]
fn unexpected_keywords_and_bad_byte_arrays_are_refused() {
    #[derive(Debug, PartialEq, Signal)]
    #[signal(format = "flow-java")]
    enum Blob {
        Put(String, Vec<u8>),
    }
    #[derive(Debug, PartialEq, Signal)]
    #[signal(format = "flow-java")]
    enum Text {
        Put(String),
    }
    let err = Simple::decode(
        "Approve",
        Some(r#"{"args":[],"kwargs":{"approver":"ana","lvl":2}}"#),
    )
    .unwrap_err();
    let DecodeError::Format { error, format, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*format, "simpleflow");
    assert_eq!(error.argument(), Some("argument `lvl`"));
    assert!(
        error.message().contains("unexpected keyword argument"),
        "{err}"
    );
    assert_eq!(
        err.input(),
        Some(r#"{"args":[],"kwargs":{"approver":"ana","lvl":2}}"#)
    );
    // A bare dict of keyword arguments, and a tuple variant given keywords.
    assert!(Simple::decode("Approve", Some(r#"{"approver":"ana","x":1}"#)).is_err());
    assert!(Simple::decode("Move", Some(r#"{"args":[1],"kwargs":{"y":2}}"#)).is_err());
    assert!(Simple::decode("Ping", Some(r#"{"args":[],"kwargs":{"now":true}}"#)).is_err());
    let err = Boto::decode(
        "Approve",
        Some(r#"[{"__tuple":[]},{"approver":"ana","extra":1}]"#),
    )
    .unwrap_err();
    assert!(err.to_string().contains("argument `extra`"), "{err}");
    // What they legitimately send still decodes.
    assert_eq!(
        Simple::decode(
            "Approve",
            Some(r#"{"args":[],"kwargs":{"approver":"ana"}}"#)
        )
        .unwrap(),
        Simple::Approve {
            approver: "ana".into(),
            level: None
        }
    );
    assert_eq!(
        Boto::decode("Approve", Some(r#"[{"__tuple":["ana"]},{"level":1}]"#)).unwrap(),
        Boto::Approve {
            approver: "ana".into(),
            level: Some(1)
        }
    );

    assert_eq!(
        Blob::decode(
            "Put",
            Some(r#"["[Ljava.lang.Object;",["k",["[B","AAE="]]]"#)
        )
        .unwrap(),
        Blob::Put("k".into(), vec![0, 1])
    );
    for bad in [r#"["[B","not base64!"]"#, r#"["[B",7]"#] {
        let input = format!(r#"["[Ljava.lang.Object;",["k",{bad}]]"#);
        let err = Blob::decode("Put", Some(&input)).unwrap_err();
        let DecodeError::Format { error, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(error.argument(), Some("argument 2"), "{err}");
        assert!(error.message().contains("base64"), "{err}");
    }
    // Before, a String argument took the non-base64 text as if Jackson had sent a string.
    assert!(Text::decode("Put", Some(r#"["[Ljava.lang.Object;",[["[B","hello"]]]"#)).is_err());
}
