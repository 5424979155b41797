//! History pages parsed straight into compact [`Event`]s.
//!
//! The SDK reads every event of a page into a `HistoryEvent` — 4,744 bytes whatever its
//! kind, built field by field in a builder of the same size, moved into the page's `Vec`,
//! then moved out again by the conversion to [`Event`] and dropped. On a 10,008-event
//! history that was most of a whole-history decision's CPU (perf on
//! `benches/examples/profile_replay.rs`: memmove of those values, their builder, their
//! drop, the conversion). So for `PollForDecisionTask` and `GetWorkflowExecutionHistory`
//! the library installs, per call, its own response deserializer ([`PageEvents`], an
//! interceptor): a success's body is read in one `serde_json` pass ([`json`]) straight
//! into [`Event`]s — the common attribute sets there, the others by the SDK's own reader
//! for their type ([`SdkReader`], the client's protocol and so the SDK's settings).
//! Errors (any non-2xx answer) go to the SDK's deserializer untouched, so `SdkError`s are
//! exactly the SDK's. The page's events travel beside the output in the [`PageEvents`]
//! slot; the output the SDK returns carries none. A reader slower than the SDK's would
//! show in `benches/benches/page.rs` (`page_read_vs_sdk`).

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use aws_sdk_swf::operation::get_workflow_execution_history::{
    GetWorkflowExecutionHistory, GetWorkflowExecutionHistoryOutput,
};
use aws_sdk_swf::operation::poll_for_decision_task::{
    PollForDecisionTask, PollForDecisionTaskOutput,
};
use aws_sdk_swf::types::{HistoryEvent, WorkflowExecution, WorkflowType};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, Error, Output, OutputOrError,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_runtime_api::client::ser_de::{DeserializeResponse, SharedResponseDeserializer};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_schema::protocol::SharedClientProtocol;
use aws_smithy_schema::serde::{SerdeError, ShapeDeserializer};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer};
use serde::de::DeserializeSeed;
use serde_json::value::RawValue;

use super::event::Event;

/// An operation output whose `events` the library reads itself.
pub(crate) trait Page: fmt::Debug + Send + Sync + Sized + 'static {
    /// The output's members besides `events`; any other top-level key is skipped
    /// unread, as the SDK skips a member its output does not have.
    const MEMBERS: &'static [&'static str];

    /// The operation's own configuration layer, which holds the SDK's deserializer for it
    /// (errors are left to that one).
    fn sdk_layer() -> FrozenLayer;

    /// The output from its top-level members, with the SDK's defaults; `events` empty.
    fn build(top: Top) -> Result<Self, String>;
}

/// The top-level members of a page other than `events` (each output reads its own).
#[derive(Debug, Default)]
pub(crate) struct Top {
    task_token: Option<String>,
    started_event_id: Option<i64>,
    previous_started_event_id: Option<i64>,
    next_page_token: Option<String>,
    workflow_execution: Option<WorkflowExecution>,
    workflow_type: Option<WorkflowType>,
}

impl Page for PollForDecisionTaskOutput {
    const MEMBERS: &'static [&'static str] = &[
        "taskToken",
        "startedEventId",
        "previousStartedEventId",
        "nextPageToken",
        "workflowExecution",
        "workflowType",
    ];

    fn sdk_layer() -> FrozenLayer {
        static LAYER: OnceLock<Option<FrozenLayer>> = OnceLock::new();
        operation_layer(&LAYER, PollForDecisionTask::new, "PollForDecisionTask")
    }

    /// The defaults of the SDK's `PollForDecisionTaskOutput::deserialize`: an absent
    /// `taskToken` is the empty one of an empty poll, `startedEventId` 0.
    fn build(top: Top) -> Result<Self, String> {
        PollForDecisionTaskOutput::builder()
            .task_token(top.task_token.unwrap_or_default())
            .started_event_id(top.started_event_id.unwrap_or(0))
            .set_previous_started_event_id(top.previous_started_event_id)
            .set_next_page_token(top.next_page_token)
            .set_workflow_execution(top.workflow_execution)
            .set_workflow_type(top.workflow_type)
            .set_events(Some(Vec::new()))
            .build()
            .map_err(|e| e.to_string())
    }
}

impl Page for GetWorkflowExecutionHistoryOutput {
    const MEMBERS: &'static [&'static str] = &["nextPageToken"];

    fn sdk_layer() -> FrozenLayer {
        static LAYER: OnceLock<Option<FrozenLayer>> = OnceLock::new();
        operation_layer(
            &LAYER,
            GetWorkflowExecutionHistory::new,
            "GetWorkflowExecutionHistory",
        )
    }

    fn build(top: Top) -> Result<Self, String> {
        GetWorkflowExecutionHistoryOutput::builder()
            .set_next_page_token(top.next_page_token)
            .set_events(Some(Vec::new()))
            .build()
            .map_err(|e| e.to_string())
    }
}

/// An operation's configuration layer, built once (its runtime plugin's `config()`).
fn operation_layer<O: RuntimePlugin>(
    cell: &OnceLock<Option<FrozenLayer>>,
    operation: fn() -> O,
    name: &'static str,
) -> FrozenLayer {
    cell.get_or_init(|| operation().config())
        .clone()
        .unwrap_or_else(|| Layer::new(name).freeze())
}

/// Reads a page body: its output (events aside) and its events into `events`.
///
/// # Errors
///
/// The body is not a page: not JSON, or a member of the wrong type.
pub(crate) fn read_page<P: Page>(
    body: &[u8],
    sdk: &SdkReader<'_>,
    events: &mut Vec<Event>,
) -> Result<P, serde_json::Error> {
    // The SDK's reader takes an empty body for an empty object; so does this one.
    let top = if body.iter().all(u8::is_ascii_whitespace) {
        Top::default()
    } else {
        // Checked once here, the text is then read as `str`: serde_json checks UTF-8 per
        // string when reading bytes, which cost more than one pass over the body (perf).
        let body = std::str::from_utf8(body).map_err(serde::de::Error::custom)?;
        let mut de = serde_json::Deserializer::from_str(body);
        let top = json::PageSeed::<P>::new(sdk, events).deserialize(&mut de)?;
        de.end()?;
        top
    };
    P::build(top).map_err(serde::de::Error::custom)
}

/// The SDK's own reader (the client's protocol, so the SDK's settings), for what the
/// one-pass reader leaves to it: the attribute sets of the rarer event kinds, and the
/// page's `workflowExecution` and `workflowType`.
pub(crate) struct SdkReader<'a> {
    protocol: &'a SharedClientProtocol,
    cfg: &'a ConfigBag,
}

impl<'a> SdkReader<'a> {
    pub(crate) fn new(protocol: &'a SharedClientProtocol, cfg: &'a ConfigBag) -> Self {
        SdkReader { protocol, cfg }
    }

    /// Reads one JSON value, as written, with the SDK's reader positioned on it.
    fn read<T>(
        &self,
        raw: &RawValue,
        f: impl FnOnce(&mut dyn ShapeDeserializer) -> Result<T, SerdeError>,
    ) -> Result<T, SerdeError> {
        let response = HttpResponse::new(
            StatusCode::try_from(200_u16).map_err(|e| SerdeError::custom(e.to_string()))?,
            SdkBody::from(raw.get()),
        );
        let mut d =
            self.protocol
                .deserialize_response(&response, HistoryEvent::SCHEMA, self.cfg)?;
        f(&mut *d)
    }
}

mod json;

/// Where one call's page of events lands. Cloned into the call's interceptor; taken by
/// the caller once the call returned. A retried attempt replaces what an earlier one left.
pub(crate) struct PageEvents<P> {
    slot: Arc<Mutex<Vec<Event>>>,
    page: PhantomData<fn() -> P>,
}

impl<P> Clone for PageEvents<P> {
    fn clone(&self) -> Self {
        PageEvents {
            slot: Arc::clone(&self.slot),
            page: PhantomData,
        }
    }
}

impl<P> fmt::Debug for PageEvents<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageEvents").finish_non_exhaustive()
    }
}

impl<P: Page> PageEvents<P> {
    pub(crate) fn new() -> Self {
        PageEvents {
            slot: Arc::default(),
            page: PhantomData,
        }
    }

    /// The events of the call's page (empty before the call or when it failed).
    pub(crate) fn take(&self) -> Vec<Event> {
        // A poisoned lock only means a panic elsewhere mid-store; the vector is whole.
        std::mem::take(&mut *self.slot.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn store(&self, events: Vec<Event>) {
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = events;
    }
}

impl<P: Page> Intercept for PageEvents<P> {
    fn name(&self) -> &'static str {
        "swf_signal::PageEvents"
    }

    /// Puts the page reader in place of the operation's own deserializer for this call:
    /// the interceptor layer is read before the operation's.
    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_put(SharedResponseDeserializer::new(PageReader {
                sdk: P::sdk_layer(),
                events: self.clone(),
            }));
        Ok(())
    }
}

/// The response deserializer of one call: a success is read here, anything else by the
/// SDK's own deserializer (in `sdk`, the operation's layer: `SharedResponseDeserializer`
/// is not `Clone`, the layer is).
struct PageReader<P> {
    sdk: FrozenLayer,
    events: PageEvents<P>,
}

impl<P> fmt::Debug for PageReader<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageReader").finish_non_exhaustive()
    }
}

impl<P: Page> DeserializeResponse for PageReader<P> {
    fn deserialize_streaming_with_config(
        &self,
        response: &mut HttpResponse,
        cfg: &ConfigBag,
    ) -> Option<OutputOrError> {
        self.sdk
            .load::<SharedResponseDeserializer>()?
            .deserialize_streaming_with_config(response, cfg)
    }

    fn deserialize_nonstreaming_with_config(
        &self,
        response: &HttpResponse,
        cfg: &ConfigBag,
    ) -> OutputOrError {
        let protocol = cfg.load::<SharedClientProtocol>();
        let body = response.body().bytes();
        let (true, Some(protocol), Some(body)) = (response.status().is_success(), protocol, body)
        else {
            return match self.sdk.load::<SharedResponseDeserializer>() {
                Some(sdk) => sdk.deserialize_nonstreaming_with_config(response, cfg),
                None => Err(OrchestratorError::other(
                    "swf-signal: the SDK's deserializer for this operation is missing",
                )),
            };
        };
        let mut events = Vec::new();
        let output = read_page::<P>(body, &SdkReader::new(protocol, cfg), &mut events)
            .map_err(OrchestratorError::<Error>::other)?;
        self.events.store(events);
        Ok(Output::erase(output))
    }
}

#[cfg(test)]
mod tests;
