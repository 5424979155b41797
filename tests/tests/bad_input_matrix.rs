//! The bad-input matrix: names, inputs and targets that a caller or SWF can send, each
//! with the exact error variant it must give and a message that names the signal or the
//! field. Nothing here may panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed assertion is a failed test

use swf_signal::{Decisions, Execution, Signal, SignalSender};
use swf_signal_tests::dead_client;

#[derive(Debug, Clone, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum OrderSignal {
    Approve {
        approver: String,
    },
    Quantity(u32),
    Data(serde_json::Value),
    Move(i32, i32),
    Ping,
    #[signal(raw)]
    Comment(String),
}

#[derive(Debug, Clone, PartialEq, Signal)]
enum Open {
    Known,
    #[signal(other)]
    Other {
        name: String,
        input: Option<String>,
    },
}

/// One row: what was tried, the variant it must give, text the message must contain.
struct Row {
    what: &'static str,
    variant: &'static str,
    mentions: String,
    outcome: Result<(), String>,
}

/// Builds a row from an outcome: an error of `variant` whose message mentions
/// `mentions`, else a description of what went wrong.
fn row<T, E: std::fmt::Debug + std::fmt::Display>(
    what: &'static str,
    result: Result<T, E>,
    variant: &'static str,
    mentions: &str,
    extra: impl FnOnce(&E) -> Result<(), String>,
) -> Row {
    let outcome = match result {
        Ok(_) => Err("was accepted".to_owned()),
        Err(e) => {
            let got = variant_of(&format!("{e:?}"));
            let msg = e.to_string();
            if got != variant {
                Err(format!("gave {got}: {msg}"))
            } else if !msg.contains(mentions) {
                Err(format!("message does not mention {mentions:?}: {msg}"))
            } else {
                extra(&e)
            }
        }
    };
    Row {
        what,
        variant,
        mentions: mentions.to_owned(),
        outcome,
    }
}

/// The variant name of an error, from its `Debug` form (`UnknownName { … }`).
fn variant_of(debug: &str) -> String {
    debug
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn decode_row(
    what: &'static str,
    name: &str,
    input: Option<&str>,
    variant: &'static str,
    mentions: &str,
) -> Row {
    let expected_input = if variant == "MissingInput" {
        None
    } else {
        input
    };
    row(
        what,
        OrderSignal::decode(name, input),
        variant,
        mentions,
        |e| {
            if e.name() != name {
                Err(format!("error lost the name: {:?}", e.name()))
            } else if e.input() != expected_input {
                Err(format!("error lost the raw input: {:?}", e.input()))
            } else {
                Ok(())
            }
        },
    )
}

async fn send_row<S: Signal>(
    what: &'static str,
    sender: &SignalSender,
    target: Execution,
    signal: &S,
    variant: &'static str,
    mentions: &str,
) -> Row {
    row(
        what,
        sender.send(target, signal).await,
        variant,
        mentions,
        |_| Ok(()),
    )
}

fn decision_row<S: Signal>(
    what: &'static str,
    target: Execution,
    signal: &S,
    variant: &'static str,
    mentions: &str,
) -> Row {
    row(
        what,
        Decisions::new()
            .signal_external(target, signal, None)
            .map(|_| ()),
        variant,
        mentions,
        |_| Ok(()),
    )
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // a table: one line a row
async fn every_bad_input_gives_its_error_variant_and_names_the_signal_or_field() {
    let long_name = "n".repeat(257);
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let big = "x".repeat(32_769);
    let mut rows = vec![
        // names
        decode_row(
            "unknown name",
            "refund",
            Some("{}"),
            "UnknownName",
            "unknown signal `refund`",
        ),
        decode_row("empty name", "", None, "UnknownName", "unknown signal ``"),
        decode_row(
            "257-character name",
            &long_name,
            None,
            "UnknownName",
            &long_name,
        ),
        decode_row(
            "non-ASCII name",
            "注文.取消",
            None,
            "UnknownName",
            "`注文.取消`",
        ),
        decode_row(
            "control character in name",
            "app\nrove",
            None,
            "UnknownName",
            "`app\nrove`",
        ),
        decode_row(
            "name in another case",
            "Approve",
            None,
            "UnknownName",
            "expected one of `approve`",
        ),
        decode_row(
            "name with surrounding space",
            " approve",
            None,
            "UnknownName",
            "` approve`",
        ),
        // inputs
        decode_row(
            "malformed JSON",
            "approve",
            Some("{\"approver\":"),
            "MalformedInput",
            "signal `approve`",
        ),
        decode_row(
            "wrong field type",
            "approve",
            Some("{\"approver\":5}"),
            "MalformedInput",
            "invalid type: integer `5`, expected a string",
        ),
        decode_row(
            "missing field",
            "approve",
            Some("{}"),
            "MalformedInput",
            "missing field `approver`",
        ),
        decode_row(
            "null for a struct",
            "approve",
            Some("null"),
            "MalformedInput",
            "invalid type: null",
        ),
        decode_row(
            "tuple of the wrong length",
            "move",
            Some("[1]"),
            "MalformedInput",
            "signal `move`",
        ),
        decode_row(
            "string for a number",
            "quantity",
            Some("\"3\""),
            "MalformedInput",
            "expected u32",
        ),
        decode_row(
            "number out of range",
            "quantity",
            Some("4294967296"),
            "MalformedInput",
            "signal `quantity`",
        ),
        decode_row(
            "trailing characters",
            "quantity",
            Some("3 4"),
            "MalformedInput",
            "trailing characters",
        ),
        decode_row(
            "nesting past serde_json's limit",
            "data",
            Some(&deep),
            "MalformedInput",
            "recursion limit exceeded",
        ),
        decode_row(
            "32,769-character malformed input",
            "quantity",
            Some(&big),
            "MalformedInput",
            "signal `quantity`",
        ),
        decode_row(
            "absent input for a payload",
            "quantity",
            None,
            "MissingInput",
            "signal `quantity` needs an input",
        ),
        decode_row(
            "blank input for a struct",
            "approve",
            Some("  "),
            "MissingInput",
            "signal `approve` needs an input",
        ),
        decode_row(
            "input for a unit variant",
            "ping",
            Some("5"),
            "UnexpectedInput",
            "signal `ping` takes no input",
        ),
    ];

    // targets and sizes, refused before the network (nothing listens behind this client)
    let sender = SignalSender::new(dead_client().await, "orders");
    rows.push(
        send_row(
            "32,769-character input",
            &sender,
            "order-1".into(),
            &OrderSignal::Comment(big.clone()),
            "InputTooLarge",
            "signal `comment`",
        )
        .await,
    );
    rows.push(
        send_row(
            "empty workflow id",
            &sender,
            "".into(),
            &OrderSignal::Ping,
            "InvalidTarget",
            "the workflow id is empty",
        )
        .await,
    );
    rows.push(
        send_row(
            "257-character workflow id",
            &sender,
            "w".repeat(257).into(),
            &OrderSignal::Ping,
            "InvalidTarget",
            "workflow id is 257 characters",
        )
        .await,
    );
    rows.push(
        send_row(
            "65-character run id",
            &sender,
            Execution::new("order-1", "r".repeat(65)),
            &OrderSignal::Ping,
            "InvalidTarget",
            "run id is 65 characters",
        )
        .await,
    );
    rows.push(
        send_row(
            "empty run id",
            &sender,
            Execution::new("order-1", ""),
            &OrderSignal::Ping,
            "InvalidTarget",
            "run id is empty",
        )
        .await,
    );
    let empty_other = Open::Other {
        name: String::new(),
        input: None,
    };
    rows.push(
        send_row(
            "empty signal name (other variant)",
            &sender,
            "order-1".into(),
            &empty_other,
            "InvalidTarget",
            "signal name is 0 characters",
        )
        .await,
    );
    let long_other = Open::Other {
        name: long_name.clone(),
        input: None,
    };
    rows.push(
        send_row(
            "257-character signal name (other variant)",
            &sender,
            "order-1".into(),
            &long_other,
            "InvalidTarget",
            "signal name is 257 characters",
        )
        .await,
    );
    rows.push(decision_row(
        "signal-external to a 257-character workflow id",
        "w".repeat(257).into(),
        &OrderSignal::Ping,
        "InvalidTarget",
        "`ping`",
    ));
    rows.push(decision_row(
        "signal-external with a 32,769-character input",
        "order-1".into(),
        &OrderSignal::Comment(big),
        "InputTooLarge",
        "`comment`",
    ));
    rows.push(decision_row(
        "signal-external with a 65-character run id",
        Execution::new("order-1", "r".repeat(65)),
        &Open::Known,
        "InvalidTarget",
        "run id is 65 characters",
    ));

    assert!(rows.len() >= 25, "{} rows", rows.len());
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.outcome.as_ref().err().map(|e| {
                format!(
                    "{} (want {} mentioning {:?}): {e}",
                    r.what, r.variant, r.mentions
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    println!("bad-input matrix: {} rows, all as expected", rows.len());
}
