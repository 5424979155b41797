//! The Flow-Java, simpleflow and botoflow decoders over arbitrary inputs: they never
//! panic, every error names the signal and keeps the input, and whatever decodes
//! re-encodes to an input that decodes to the same value.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};
use swf_signal::Signal;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line {
    sku: String,
    qty: u32,
    tags: Vec<String>,
}

macro_rules! shapes {
    ($name:ident, $($attr:tt)*) => {
        #[derive(Debug, Clone, PartialEq, Signal)]
        #[signal($($attr)*)]
        enum $name {
            Ping,
            Cancel(Line),
            Move(i32, i64, String),
            Approve { approver: String, level: Option<u8> },
            Lists(Vec<String>, BTreeMap<String, i64>, (bool, char)),
            Small(i8, u16, u64),
        }
    };
}

shapes!(Java, format = "flow-java", java_package = "com.example");
shapes!(Simple, format = "simpleflow");
shapes!(Boto, format = "botoflow");

fn check<S: Signal + PartialEq + std::fmt::Debug>(pick: u8, input: Option<&str>) {
    let name = S::NAMES[usize::from(pick) % S::NAMES.len()];
    match S::decode(name, input) {
        Ok(value) => {
            let again = value.encode_input().expect("a decoded value encodes");
            let back = S::decode(name, again.as_deref()).expect("re-encoded input decodes");
            assert_eq!(back, value);
        }
        Err(err) => {
            assert_eq!(err.name(), name);
            assert_eq!(err.input(), input.filter(|_| !matches!(err, swf_signal::DecodeError::MissingInput { .. })));
            assert!(err.to_string().contains(name));
        }
    }
}

fuzz_target!(|data: (u8, Option<String>)| {
    let (pick, input) = data;
    match pick % 3 {
        0 => check::<Java>(pick / 3, input.as_deref()),
        1 => check::<Simple>(pick / 3, input.as_deref()),
        _ => check::<Boto>(pick / 3, input.as_deref()),
    }
});
