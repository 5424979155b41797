//! What a service that signals an order workflow looks like: one typed call, and an
//! error that says what went wrong.
//!
//! Reads endpoint, region and credentials the standard AWS way (so it runs unchanged
//! against Amazon SWF); locally `scripts/demo` points it at `scripts/swf-server`.
//!
//! Run: `cargo run -p swf-signal-examples --example send_signal -- <domain> <workflow-id> [run-id]`

use swf_signal::{Execution, SendError, SignalSender};
use swf_signal_examples::OrderSignal;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(domain), Some(workflow_id)) = (args.next(), args.next()) else {
        return Err("usage: send_signal <domain> <workflow-id> [run-id]".into());
    };
    let target = match args.next() {
        Some(run_id) => Execution::new(workflow_id, run_id),
        None => Execution::current(workflow_id),
    };

    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let sender = SignalSender::new(aws_sdk_swf::Client::new(&config), domain);

    let signal = OrderSignal::Approve {
        approver: "dana".into(),
        note: None,
    };
    match sender.send(&target, &signal).await {
        Ok(()) => println!("sent {} to {target}", signal_name(&signal)),
        // The execution closed or never existed: for most services that is not a failure.
        Err(err @ SendError::NotOpen { .. }) => println!("skipped: {err}"),
        Err(err) => return Err(err.into()),
    }
    Ok(())
}

fn signal_name(signal: &OrderSignal) -> &'static str {
    swf_signal::Signal::signal_name(signal)
}
