//! Typed Amazon SWF signals.
//!
//! A workflow declares the signals it accepts as one enum. `#[derive(Signal)]` maps each
//! variant to an SWF `signalName` and a serde-encoded `input`, checks every name at
//! compile time and generates a handler trait, so no signal name is ever spelled twice
//! and a decider that forgets a signal does not compile.
//!
//! # Declare
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use swf_signal::Signal;
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! pub struct CancelReason {
//!     pub code: u16,
//!     pub text: String,
//! }
//!
//! #[derive(Debug, Clone, PartialEq, Signal)]
//! #[signal(rename_all = "snake_case")]
//! pub enum OrderSignal {
//!     Approve { approver: String, note: Option<String> },
//!     #[signal(name = "order.cancel")]
//!     Cancel(CancelReason),
//!     ChangeQuantity(u32),
//!     Move(i32, i32),
//!     Ping,
//!     #[signal(raw)]
//!     Comment(String),
//! }
//!
//! // The wire form: a name and an optional input.
//! let approve = OrderSignal::Approve { approver: "ana".into(), note: None };
//! assert_eq!(approve.signal_name(), "approve");
//! assert_eq!(approve.encode_input()?.as_deref(), Some(r#"{"approver":"ana","note":null}"#));
//! assert_eq!(OrderSignal::Ping.encode_input()?, None);
//! assert_eq!(OrderSignal::Move(1, -2).encode_input()?.as_deref(), Some("[1,-2]"));
//!
//! // Every name, and one name as a constant, checked by the compiler.
//! assert_eq!(OrderSignal::NAMES, ["approve", "order.cancel", "change_quantity", "move", "ping", "comment"]);
//! const CANCEL: &str = swf_signal::signal_name!(OrderSignal::Cancel);
//! assert_eq!(CANCEL, "order.cancel");
//!
//! // And back again.
//! let decoded = OrderSignal::decode("order.cancel", Some(r#"{"code":7,"text":"duplicate"}"#))?;
//! assert_eq!(decoded, OrderSignal::Cancel(CancelReason { code: 7, text: "duplicate".into() }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Attributes
//!
//! | attribute | where | effect |
//! |---|---|---|
//! | `#[signal(rename_all = "…")]` | enum | derive wire names from variant names: `lowercase`, `UPPERCASE`, `PascalCase`, `camelCase`, `snake_case`, `SCREAMING_SNAKE_CASE`, `kebab-case`, `SCREAMING-KEBAB-CASE`; default: the variant name as written (`r#` stripped). One rule for non-ASCII names too: a word starts at each uppercase letter, case changes are Unicode's (`ÄrgerÜber` → `ärger_über`, `ÄRGER_ÜBER`) |
//! | `#[signal(name = "…")]` | variant | this variant's wire name, overriding `rename_all` |
//! | `#[signal(raw)]` | `String` newtype variant | the input is the string itself, not JSON |
//! | `#[signal(other)]` | variant `{ name: String, input: Option<String> }` (names and types checked) | receives every unknown name instead of an error; has no wire name and is not in [`Signal::NAMES`] |
//! | `#[serde(…)]` | fields of struct variants | honoured as serde honours them (`rename`, `default`, `with`, …) |
//!
//! Refused at compile time, with the error on your own tokens: a `#[signal(...)]` key on a
//! field other than `java_class` (the others belong on the variant or the enum); a `#[serde(...)]` the derive cannot
//! honour (on the enum, a variant, or a newtype or tuple field); a wire name that is empty,
//! longer than 256 characters, has a control character or surrounding whitespace; two
//! variants with one wire name (both are pointed at); unknown attributes or `rename_all`
//! values; `raw` on anything but a `String` newtype; payloads that are not
//! `Serialize`/`Deserialize`; the derive on a struct, a union, a generic or an empty enum.
//!
//! ## Wire format
//!
//! | variant | input |
//! |---|---|
//! | unit `Ping` | none; sent as an empty input. Decoding accepts absent, blank or `null` |
//! | newtype `Cancel(T)` | the JSON of `T`; an absent input decodes as `null`, so `Option<T>` works |
//! | tuple `Move(A, B)` | a JSON array `[a, b]` |
//! | struct `Approve { … }` | a JSON object keyed by field names; unknown keys are ignored |
//! | raw `Comment(String)` | the string verbatim; absent decodes as `""` |
//!
//! A user crate depends on `swf-signal` and `serde` only; generated code reaches serde
//! through this crate.
//!
//! ### Other frameworks' formats
//!
//! Workflows written with the AWS Flow Framework for Java, simpleflow or botoflow expect
//! their own encoding. `#[signal(format = "flow-java")]` (or `"simpleflow"`, `"botoflow"`,
//! or the path of your own [`format::Format`]) on the enum or on a variant sends and
//! receives what they do:
//!
//! ```
//! # use swf_signal::Signal;
//! #[derive(Debug, PartialEq, Signal)]
//! #[signal(format = "flow-java", rename_all = "camelCase")]
//! enum OrderSignals {
//!     Move(i32, i64), // void move(int x, long y)
//! }
//!
//! let input = OrderSignals::Move(3, 4).encode_input()?;
//! assert_eq!(input.as_deref(), Some(r#"["[Ljava.lang.Object;",[3,["java.lang.Long",4]]]"#));
//! # Ok::<(), swf_signal::EncodeError>(())
//! ```
//!
//! The [`format`](mod@format) module has each format's mapping; refused at compile time there: an
//! unknown format name, `java_class` / `java_package` without `flow-java`, `propagate`
//! without `simpleflow`, a format on a `raw` or `other` variant, `#[serde(...)]` on fields
//! of a non-JSON variant.
//!
//! # Handle
//!
//! The derive generates `OrderSignalHandler`, one method per variant named in
//! `snake_case` and taking the payload fields. A decider implements it, and a new
//! signal added to the enum is a compile error until it has a handler.
//!
//! ```
//! # use swf_signal::Signal;
//! use swf_signal::Dispatch;
//!
//! #[derive(Debug, Signal)]
//! enum OrderSignal {
//!     Approve { approver: String },
//!     ChangeQuantity(u32),
//!     Ping,
//! }
//!
//! #[derive(Default)]
//! struct Order { approved_by: Option<String>, quantity: u32, pings: usize }
//!
//! impl OrderSignalHandler for Order {
//!     type Output = ();
//!     fn approve(&mut self, approver: String) { self.approved_by = Some(approver); }
//!     fn change_quantity(&mut self, quantity: u32) { self.quantity = quantity; }
//!     fn ping(&mut self) { self.pings += 1; }
//! }
//!
//! let mut order = Order::default();
//! OrderSignal::decode("ChangeQuantity", Some("3"))?.dispatch(&mut order);
//! OrderSignal::decode("Ping", None)?.dispatch(&mut order);
//! assert_eq!((order.quantity, order.pings), (3, 1));
//! # Ok::<(), swf_signal::DecodeError>(())
//! ```
//!
//! # Errors
//!
//! A received signal that does not decode is a [`DecodeError`] that says which of four
//! things happened and keeps the name and raw input, so nothing is dropped silently.
//!
//! # Features
//!
//! The core (trait, derive, codecs, errors) builds without the AWS SDK: a crate that only
//! defines signals shared by several services can use `default-features = false`.
//! `aws` (default) adds the sender, decisions and deciders; `worker` (default) the polling
//! worker; `metrics` counters and a histogram through the `metrics` facade:
//!
//! | name | kind | labels |
//! |---|---|---|
//! | `swf_signal_signals_received_total`, `…_decoded_total`, `…_rejected_total` | counter | `workflow_type`, `signal` |
//! | `swf_signal_decision_tasks_total` | counter | `workflow_type`, `outcome` (`responded`, `failed`) |
//! | `swf_signal_decision_task_seconds` | histogram | `workflow_type` |
//! | `swf_signal_sticky_hits_total`, `…_misses_total`, `…_evictions_total` | counter | — |
//! | `swf_signal_fanout_throttled_total` | counter | — |
//!
//! A signal is counted once, on the task that brings it. Labels are bounded: never a
//! workflow or run id, and a received signal name the enum does not declare is counted as
//! `(undeclared)` (senders choose names; a series per name would grow without bound).

#![cfg_attr(feature = "worker", doc = include_str!("docs/aws.md"))]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "cli")]
pub mod cli;
pub mod contract;
#[cfg(feature = "aws")]
mod decide;
mod error;
#[cfg(feature = "aws")]
mod execution;
pub mod format;
#[cfg(feature = "cli")]
mod generate;
#[cfg(feature = "aws")]
mod registration;
#[cfg(feature = "aws")]
mod retry;
#[cfg(feature = "aws")]
mod send;
mod signal;
#[cfg(feature = "aws")]
mod telemetry;
#[cfg(feature = "aws")]
pub mod testing;
#[cfg(feature = "worker")]
pub mod worker;

#[doc(hidden)]
pub mod __private;

/// The `aws-sdk-swf` this crate was built with, features and all: use it rather than a
/// second `aws-sdk-swf` dependency, whose default features bring a second HTTP stack.
#[cfg(feature = "aws")]
pub use aws_sdk_swf;

pub use contract::{Breaking, BreakingKind, Catalogue, Contract, SignalContract};
pub use error::{DecodeError, EncodeError};
pub use signal::{Dispatch, Signal};

#[cfg(feature = "aws")]
pub use decide::cache::CacheStats;
#[cfg(feature = "aws")]
pub use decide::decider::Decider;
#[cfg(feature = "aws")]
pub use decide::decisions::{
    DecisionError, Decisions, SignalDecisionError, MAX_DETAILS_CHARS, MAX_REASON_CHARS,
    STOPPED_MARKER, UNDECODABLE_SIGNAL_MARKER,
};
#[cfg(feature = "aws")]
pub use decide::event::{Attributes, Event};
#[cfg(feature = "aws")]
pub use decide::fold::{Refusal, WorkflowEvent};
#[cfg(feature = "aws")]
pub use decide::policy::{
    bad_signal_details, Abandon, BadSignalCallback, BadSignalPolicy, Dispatched, Flow,
};
#[cfg(feature = "aws")]
pub use decide::router::{UnroutedTask, Workflows};
#[cfg(feature = "aws")]
pub use decide::task::{
    DecisionTask, ExternalSender, OutgoingSignal, OutgoingState, PollError, ReceiveError, Received,
    RespondError, TaskError,
};
#[cfg(feature = "aws")]
pub use decide::workflow::{
    DecideError, DecisionContext, ReplayError, Workflow, WorkflowDecider, UNDECODABLE_INPUT_REASON,
};
#[cfg(feature = "aws")]
pub use registration::{RegisterError, Registered, Registration, ServedType};
#[cfg(feature = "aws")]
pub use send::{
    Closed, DescribeError, Execution, FanOut, FanOutReport, FanOutSummary, Progress,
    ProgressCallback, RateLimit, SendError, SendTarget, SignalSender, StartError, StartOptions,
    StartOrSignal, StartOrSignalError, StateError, WorkflowClient, WorkflowDescription,
    WorkflowHandle, MAX_INPUT_CHARS, MAX_RUN_ID_CHARS, MAX_SIGNAL_NAME_CHARS,
    MAX_WORKFLOW_ID_CHARS,
};
#[cfg(feature = "worker")]
pub use tokio_util::sync::CancellationToken;
#[cfg(feature = "worker")]
pub use worker::{Worker, WorkerStats};

/// Derives [`Signal`](trait@Signal), the `…Handler` trait and [`Dispatch`] for a signal
/// enum. See the [crate documentation](crate) for attributes and wire format.
pub use swf_signal_derive::Signal;

/// One variant's wire name as a `&'static str` constant, without building a value.
///
/// A variant that does not exist (or the `#[signal(other)]` variant, which has no wire
/// name) is a compile error.
///
/// ```
/// use swf_signal::Signal;
///
/// #[derive(Signal)]
/// #[signal(rename_all = "kebab-case")]
/// enum Build { StartNow, Abort }
///
/// const START: &str = swf_signal::signal_name!(Build::StartNow);
/// assert_eq!(START, "start-now");
/// ```
pub use swf_signal_derive::signal_name;
