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
