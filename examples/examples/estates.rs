//! One order's signals as each SWF estate writes them: the AWS Flow Framework for Java,
//! simpleflow and botoflow, next to this crate's own JSON. Prints every input and decodes
//! what each peer sends. No network; the proofs against the peers' own code are in
//! `tests/tests/interop_*.rs` and `docs/interop.md`.
//!
//! Run: `cargo run -p swf-signal-examples --example estates`

use serde::{Deserialize, Serialize};
use swf_signal::Signal;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reason {
    code: i32,
    text: String,
}

macro_rules! order_signals {
    ($name:ident, $($attr:tt)*) => {
        /// `approve(String approver, Short level)`, `reroute(int x, long y)`,
        /// `cancel(Reason reason)`, `nudge()` on the other side.
        #[derive(Debug, Clone, PartialEq, Signal)]
        #[signal(rename_all = "camelCase", $($attr)*)]
        enum $name {
            Approve { approver: String, level: Option<u8> },
            Reroute(i32, i64),
            Cancel(Reason),
            Nudge,
        }
    };
}

order_signals!(Json, format = "json");
order_signals!(
    FlowJava,
    format = "flow-java",
    java_package = "com.example.orders"
);
order_signals!(Simpleflow, format = "simpleflow");
order_signals!(Botoflow, format = "botoflow");

macro_rules! show {
    ($e:ident) => {{
        let values = [
            $e::Approve {
                approver: "dana".into(),
                level: Some(2),
            },
            $e::Reroute(4, -2),
            $e::Cancel(Reason {
                code: 7,
                text: "late".into(),
            }),
            $e::Nudge,
        ];
        println!("format = {}", stringify!($e));
        for value in &values {
            let input = value.encode_input()?;
            let back = $e::decode(value.signal_name(), input.as_deref())?;
            if &back != value {
                return Err(format!("{} did not round-trip", value.signal_name()).into());
            }
            println!(
                "  {:<8} {}",
                value.signal_name(),
                input.as_deref().unwrap_or("(no input)")
            );
        }
        println!();
    }};
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    show!(Json);
    show!(FlowJava);
    show!(Simpleflow);
    show!(Botoflow);

    // What the peers send decodes into the same values.
    let java = FlowJava::decode(
        "reroute",
        Some(r#"["[Ljava.lang.Object;",[4,["java.lang.Long",-2]]]"#),
    )?;
    let simpleflow = Simpleflow::decode(
        "approve",
        Some(r#"{"__propagate":true,"args":["dana"],"kwargs":{"level":2}}"#),
    )?;
    let botoflow = Botoflow::decode("reroute", Some("[[4,-2],{}]"))?;
    println!("from Flow-Java:  {java:?}");
    println!("from simpleflow: {simpleflow:?}");
    println!("from botoflow:   {botoflow:?}");

    // A value a format cannot carry is an error that names the signal and the argument.
    match FlowJava::decode("reroute", Some(r#"["[Ljava.lang.Object;",[4,"west"]]"#)) {
        Ok(v) => return Err(format!("a malformed input decoded as {v:?}").into()),
        Err(err) => println!("\nreported, not dropped:\n  {err}"),
    }
    Ok(())
}
