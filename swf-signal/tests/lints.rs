//! Generated code is clean under the strictest lints a user might set: this file
//! compiles under `deny(warnings)`, and `cargo clippy --all-targets -- -D warnings`
//! (scripts/test) holds it to `clippy::pedantic` as well.
#![deny(warnings, missing_docs, unreachable_pub)]
#![deny(clippy::pedantic, clippy::nursery)]

use serde::{Deserialize, Serialize};
use swf_signal::{Dispatch, Signal};

/// A payload.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Reason {
    /// Why.
    pub text: String,
}

/// Every shape, public so `missing_docs` looks at the generated handler trait.
#[derive(Debug, PartialEq, Eq, Signal)]
#[signal(rename_all = "kebab-case")]
pub enum Everything {
    /// Unit.
    Ping,
    /// Newtype.
    Cancel(Reason),
    /// Tuple.
    Move(i64, i64),
    /// Struct.
    Approve {
        /// Who.
        approver: String,
        /// Optional.
        #[serde(default)]
        note: Option<String>,
    },
    /// Raw.
    #[signal(raw)]
    Comment(String),
    /// Catch-all.
    #[signal(other)]
    Other {
        /// Name.
        name: String,
        /// Input.
        input: Option<String>,
    },
}

/// Every wire format, every key they take.
#[derive(Debug, PartialEq, Eq, Signal)]
#[signal(format = "flow-java", java_package = "com.example")]
pub enum Formats {
    /// Unit.
    Ping,
    /// Newtype with a class.
    Cancel(#[signal(java_class = "com.example.Why")] Reason),
    /// Tuple.
    Move(i64, i64),
    /// Struct, simpleflow, propagating.
    #[signal(format = "simpleflow", propagate)]
    Approve {
        /// Who.
        approver: String,
    },
    /// botoflow.
    #[signal(format = "botoflow")]
    Pair(u8, String),
}

/// A private enum: nothing generated for it may warn as unused.
#[derive(Signal)]
enum Private {
    One,
}

struct Count(u32);

impl EverythingHandler for Count {
    type Output = ();
    fn ping(&mut self) {
        self.0 += 1;
    }
    fn cancel(&mut self, _value: Reason) {}
    fn r#move(&mut self, _x: i64, _y: i64) {}
    fn approve(&mut self, _approver: String, _note: Option<String>) {}
    fn comment(&mut self, _text: String) {}
    fn other(&mut self, _name: String, _input: Option<String>) {}
}

#[test]
fn generated_code_compiles_under_deny_warnings() {
    let mut count = Count(0);
    Everything::Ping.dispatch(&mut count);
    assert_eq!(count.0, 1);
    assert_eq!(
        Everything::NAMES,
        ["ping", "cancel", "move", "approve", "comment"]
    );
    assert_eq!(Private::NAMES, ["One"]);
    let back = Formats::decode(
        "Pair",
        Formats::Pair(1, "a".into())
            .encode_input()
            .ok()
            .flatten()
            .as_deref(),
    );
    assert_eq!(back.ok(), Some(Formats::Pair(1, "a".into())));
}
