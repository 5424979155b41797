//! The operators' command line for an order workflow: every subcommand of
//! `swf_signal::cli::Cli`, typed by this program's own enum and workflow.
//!
//! ```text
//! orders_cli signals [--json]                    what each signal accepts (the catalogue)
//! orders_cli start ORDER-ID '{"quantity":2}'     starts a run (input checked first)
//! orders_cli send ORDER-ID approve '{"approver":"dana"}'
//! orders_cli send ORDER-ID approve '{"aprover":"dana"}'   refused, exit 2: missing field `approver`
//! orders_cli history ORDER-ID [--json]           events, signals decoded or their error
//! orders_cli state ORDER-ID                      the run's state, folded by replay
//! orders_cli cancel ORDER-ID
//! orders_cli check-catalogue deployed.json       exit 1 on a breaking change
//! ```
//!
//! Run: `cargo run -p swf-signal-examples --example orders_cli -- signals --json` (SWF
//! endpoint, region and credentials the standard AWS way; `--domain` picks the domain).

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use swf_signal::{DecideError, DecisionContext, Decisions, Signal, Workflow};

/// Why an order was cancelled.
#[derive(Debug, Serialize, Deserialize, schemars::JsonSchema)]
struct CancelReason {
    code: String,
    detail: Option<String>,
}

/// The order workflow's signals; `schema` makes them a catalogue.
#[derive(Debug, Signal)]
#[signal(rename_all = "kebab-case", schema)]
enum OrderSignal {
    /// Approved: the order ships.
    #[signal(alias = "approve-order")] // the name before 2026; running orders may have it
    Approve {
        approver: String,
        note: Option<String>,
    },
    ChangeQuantity(u32),
    Cancel(CancelReason),
    Nudge,
}

#[derive(Debug, Serialize, Deserialize)]
struct NewOrder {
    quantity: u32,
}

#[derive(Debug)]
#[allow(dead_code)] // printed by `state`
struct Order {
    quantity: u32,
    approved_by: Option<String>,
    cancelled: Option<String>,
}

impl OrderSignalHandler for Order {
    type Output = ();
    fn approve(&mut self, approver: String, _note: Option<String>) {
        self.approved_by = Some(approver);
    }
    fn change_quantity(&mut self, quantity: u32) {
        self.quantity = quantity;
    }
    fn cancel(&mut self, reason: CancelReason) {
        self.cancelled = Some(reason.code);
    }
    fn nudge(&mut self) {}
}

impl Workflow for Order {
    const NAME: &'static str = "order-approval";
    const VERSION: &'static str = "1";
    type Signal = OrderSignal;
    type Input = NewOrder;
    fn start(input: NewOrder) -> Self {
        Order {
            quantity: input.quantity,
            approved_by: None,
            cancelled: None,
        }
    }
    fn decide(
        &mut self,
        _ctx: &DecisionContext<'_, Self>,
        decisions: &mut Decisions,
    ) -> Result<(), DecideError> {
        if let Some(by) = &self.approved_by {
            decisions.complete(Some(&format!("approved by {by}")))?;
        }
        Ok(())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    swf_signal::cli::Cli::new("swf-signal-demo")
        .workflow::<Order>()
        .run()
        .await
}
