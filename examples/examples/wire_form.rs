//! Prints the wire form of the order workflow's signals: the `signalName` and `input`
//! each value is sent as, and shows that the decoder reads them back. No network.
//!
//! Run: `cargo run -p swf-signal-examples --example wire_form`

use swf_signal::Signal;
use swf_signal_examples::{CancelReason, OrderSignal};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let signals = [
        OrderSignal::Approve {
            approver: "dana".into(),
            note: Some("priority customer".into()),
        },
        OrderSignal::ChangeQuantity(3),
        OrderSignal::Cancel(CancelReason {
            code: "DUPLICATE".into(),
            detail: "ordered twice".into(),
        }),
        OrderSignal::Reroute(4, -2),
        OrderSignal::Nudge,
        OrderSignal::Comment("please gift-wrap".into()),
    ];
    println!("OrderSignal accepts: {}", OrderSignal::NAMES.join(", "));
    println!();
    println!("{:<18} {:<58} decodes back", "signalName", "input");
    for signal in &signals {
        let input = signal.encode_input()?;
        let back = OrderSignal::decode(signal.signal_name(), input.as_deref())?;
        let shown = input
            .as_deref()
            .map_or_else(|| "(none: sent as \"\")".to_owned(), str::to_owned);
        println!(
            "{:<18} {:<58} {}",
            signal.signal_name(),
            shown,
            if &back == signal { "yes" } else { "NO" }
        );
        if &back != signal {
            return Err(format!("{} did not round-trip", signal.signal_name()).into());
        }
    }
    println!();
    match OrderSignal::decode("change-quantity", Some("\"three\"")) {
        Ok(s) => return Err(format!("a malformed input decoded as {s:?}").into()),
        Err(err) => println!("a malformed input is reported, not dropped:\n  {err}"),
    }
    Ok(())
}
