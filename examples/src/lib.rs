//! The order workflow's signals, shared by the examples the way a real system shares
//! them: one small crate that only defines the enum (it could depend on `swf-signal`
//! with `default-features = false`), used by the services that send and the decider that
//! handles.
#![forbid(unsafe_code)]

use serde::{Deserialize, Serialize};
use swf_signal::Signal;

/// Why an order was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelReason {
    /// A machine-readable code.
    pub code: String,
    /// What the customer or operator wrote.
    pub detail: String,
}

/// Every signal an order workflow accepts.
#[derive(Debug, Clone, PartialEq, Eq, Signal)]
#[signal(rename_all = "kebab-case")]
pub enum OrderSignal {
    /// A manager approved the order.
    Approve {
        /// Who approved.
        approver: String,
        /// An optional remark.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// The customer changed the quantity.
    ChangeQuantity(u32),
    /// The order is cancelled.
    #[signal(name = "order.cancel")]
    Cancel(CancelReason),
    /// Re-route the shipment to a warehouse grid cell.
    Reroute(i32, i32),
    /// Ask the decider to re-evaluate, with no payload.
    Nudge,
    /// A free-text comment, sent as is.
    #[signal(raw)]
    Comment(String),
}

/// The order workflow README's snippets start, signal and decide (their hidden set-up
/// lines import it), so every snippet compiles as a doctest.
#[doc(hidden)]
pub mod readme {
    use serde::{Deserialize, Serialize};

    use super::{CancelReason, OrderSignal, OrderSignalHandler};

    /// An order's input.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct NewOrder {
        /// How many.
        pub quantity: u32,
    }

    /// An order's state.
    #[derive(Debug, Default)]
    pub struct Order {
        /// Who approved it.
        pub approved_by: Option<String>,
        /// How many.
        pub quantity: u32,
    }

    impl OrderSignalHandler for Order {
        type Output = ();
        fn approve(&mut self, approver: String, _note: Option<String>) {
            self.approved_by = Some(approver);
        }
        fn change_quantity(&mut self, quantity: u32) {
            self.quantity = quantity;
        }
        fn cancel(&mut self, _reason: CancelReason) {}
        fn reroute(&mut self, _x: i32, _y: i32) {}
        fn nudge(&mut self) {}
        fn comment(&mut self, _text: String) {}
    }

    /// A restock's signals.
    #[derive(Debug, Clone, swf_signal::Signal)]
    pub enum RestockSignal {
        /// Units arrived.
        Arrived(u32),
    }

    /// A second workflow type.
    #[derive(Debug, Clone, Default)]
    pub struct Restock {
        /// Units so far.
        pub arrived: u32,
    }

    impl RestockSignalHandler for Restock {
        type Output = ();
        fn arrived(&mut self, units: u32) {
            self.arrived += units;
        }
    }

    impl swf_signal::Workflow for Restock {
        const NAME: &'static str = "restock";
        const VERSION: &'static str = "1";
        type Signal = RestockSignal;
        type Input = ();
        fn start((): ()) -> Self {
            Restock::default()
        }
        fn decide(
            &mut self,
            _ctx: &swf_signal::DecisionContext<'_, Self>,
            _decisions: &mut swf_signal::Decisions,
        ) -> Result<(), swf_signal::DecideError> {
            Ok(())
        }
    }

    impl swf_signal::Workflow for Order {
        const NAME: &'static str = "order-approval";
        const VERSION: &'static str = "1";
        type Signal = OrderSignal;
        type Input = NewOrder;
        fn start(input: NewOrder) -> Self {
            Order {
                quantity: input.quantity,
                ..Order::default()
            }
        }
        fn decide(
            &mut self,
            _ctx: &swf_signal::DecisionContext<'_, Self>,
            decisions: &mut swf_signal::Decisions,
        ) -> Result<(), swf_signal::DecideError> {
            if let Some(approver) = &self.approved_by {
                decisions.complete(Some(&format!("approved by {approver}")))?;
            }
            Ok(())
        }
    }
}

// README's snippets, compiled (and the ones that need no endpoint run) by
// `cargo test --doc`: a snippet that does not compile as written fails the build.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
