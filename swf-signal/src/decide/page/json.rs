//! The one-pass page reader (`serde_json` over the body as it came).
//!
//! It follows the SDK's reader member by member, so both give the same output and the
//! same events (`page/tests.rs` reads generated pages both ways and compares):
//!
//! - a member whose value is `null` is as if absent (the SDK's JSON reader skips it);
//! - the members a type requires get the SDK's defaults when absent (`""`, `0`, the
//!   epoch), a missing `eventType` fails the page, unknown members are skipped;
//! - `eventTimestamp` is epoch seconds: a number with a fraction or an exponent through
//!   `DateTime::from_secs_f64`, an integer through `DateTime::from_secs`;
//! - the four attribute sets a signal-heavy history is made of (signals and the decision
//!   tasks between them) are read here into the SDK's types; every other attribute set is
//!   kept as written (`RawValue`) and read by the SDK's own reader for its type
//!   ([`SdkReader`]), so the rarer kinds cannot drift from the SDK.
//!
//! Where it differs, only on pages SWF does not send: a member given twice is an error
//! inside the four attribute sets (the SDK keeps the last), and a timestamp written as a
//! string is an error (SWF writes numbers).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use aws_sdk_swf::types::{
    DecisionTaskCompletedEventAttributes, DecisionTaskScheduledEventAttributes,
    DecisionTaskStartedEventAttributes, EventType, TaskList, WorkflowExecution,
    WorkflowExecutionSignaledEventAttributes, WorkflowType,
};
use aws_smithy_types::DateTime;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Page, SdkReader, Top};
use crate::decide::event::{is_attribute_member, read_attributes, Attributes, Event};

/// A map key, borrowed from the body unless it has escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// An epoch-seconds timestamp, converted as the SDK's JSON reader converts it.
struct Timestamp(DateTime);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("epoch seconds (a number)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(DateTime::from_secs(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(|v| Timestamp(DateTime::from_secs(v)))
                    .map_err(|_| E::custom(format!("epoch-seconds value {v} overflows i64")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Ok(Timestamp(DateTime::from_secs_f64(v)))
            }
        }
        d.deserialize_any(V)
    }
}

/// `WorkflowExecution` with the SDK's defaults (both ids required: `""` when absent).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Execution {
    workflow_id: Option<String>,
    run_id: Option<String>,
}

impl Execution {
    fn into_sdk<E: de::Error>(self) -> Result<WorkflowExecution, E> {
        WorkflowExecution::builder()
            .workflow_id(self.workflow_id.unwrap_or_default())
            .run_id(self.run_id.unwrap_or_default())
            .build()
            .map_err(E::custom)
    }
}

/// `TaskList` with the SDK's default (`name` required: `""` when absent).
#[derive(Deserialize)]
struct List {
    name: Option<String>,
}

impl List {
    fn into_sdk<E: de::Error>(self) -> Result<TaskList, E> {
        TaskList::builder()
            .name(self.name.unwrap_or_default())
            .build()
            .map_err(E::custom)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Signaled {
    signal_name: Option<String>,
    input: Option<String>,
    external_workflow_execution: Option<Execution>,
    external_initiated_event_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Scheduled {
    task_list: Option<List>,
    task_priority: Option<String>,
    start_to_close_timeout: Option<String>,
    schedule_to_start_timeout: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Started {
    identity: Option<String>,
    scheduled_event_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Completed {
    execution_context: Option<String>,
    scheduled_event_id: Option<i64>,
    started_event_id: Option<i64>,
    task_list: Option<List>,
    task_list_schedule_to_start_timeout: Option<String>,
}

/// The JSON names of the members each attribute set read here knows, for the test that
/// fails when the SDK's type gains one (it would be dropped here, not there).
#[cfg(test)]
pub(super) const READ_HERE: &[(&str, &[&str])] = &[
    (
        "workflowExecutionSignaledEventAttributes",
        &[
            "signalName",
            "input",
            "externalWorkflowExecution",
            "externalInitiatedEventId",
        ],
    ),
    (
        "decisionTaskScheduledEventAttributes",
        &[
            "taskList",
            "taskPriority",
            "startToCloseTimeout",
            "scheduleToStartTimeout",
        ],
    ),
    (
        "decisionTaskStartedEventAttributes",
        &["identity", "scheduledEventId"],
    ),
    (
        "decisionTaskCompletedEventAttributes",
        &[
            "executionContext",
            "scheduledEventId",
            "startedEventId",
            "taskList",
            "taskListScheduleToStartTimeout",
        ],
    ),
];

/// Reads the value of the current member, `None` for `null`.
fn next<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    map.next_value::<Option<T>>()
}

/// Reads one attribute set by its member name: the four common ones here, any other by
/// the SDK's reader for its type; `None` for `null` or a member that is not one.
fn attributes<'de, A: MapAccess<'de>>(
    member: &str,
    map: &mut A,
    sdk: &SdkReader<'_>,
) -> Result<Option<Attributes>, A::Error> {
    Ok(match member {
        "workflowExecutionSignaledEventAttributes" => match next::<Signaled, _>(map)? {
            None => None,
            Some(a) => Some(Attributes::WorkflowExecutionSignaled(Box::new(
                WorkflowExecutionSignaledEventAttributes::builder()
                    .signal_name(a.signal_name.unwrap_or_default())
                    .set_input(a.input)
                    .set_external_workflow_execution(
                        a.external_workflow_execution
                            .map(Execution::into_sdk)
                            .transpose()?,
                    )
                    .set_external_initiated_event_id(a.external_initiated_event_id)
                    .build()
                    .map_err(de::Error::custom)?,
            ))),
        },
        "decisionTaskScheduledEventAttributes" => match next::<Scheduled, _>(map)? {
            None => None,
            Some(a) => Some(Attributes::DecisionTaskScheduled(Box::new(
                DecisionTaskScheduledEventAttributes::builder()
                    .set_task_list(a.task_list.map(List::into_sdk).transpose()?)
                    .set_task_priority(a.task_priority)
                    .set_start_to_close_timeout(a.start_to_close_timeout)
                    .set_schedule_to_start_timeout(a.schedule_to_start_timeout)
                    .build(),
            ))),
        },
        "decisionTaskStartedEventAttributes" => match next::<Started, _>(map)? {
            None => None,
            Some(a) => Some(Attributes::DecisionTaskStarted(Box::new(
                DecisionTaskStartedEventAttributes::builder()
                    .set_identity(a.identity)
                    .set_scheduled_event_id(a.scheduled_event_id)
                    .build(),
            ))),
        },
        "decisionTaskCompletedEventAttributes" => match next::<Completed, _>(map)? {
            None => None,
            Some(a) => Some(Attributes::DecisionTaskCompleted(Box::new(
                DecisionTaskCompletedEventAttributes::builder()
                    .set_execution_context(a.execution_context)
                    .set_scheduled_event_id(a.scheduled_event_id)
                    .set_started_event_id(a.started_event_id)
                    .set_task_list(a.task_list.map(List::into_sdk).transpose()?)
                    .set_task_list_schedule_to_start_timeout(a.task_list_schedule_to_start_timeout)
                    .build(),
            ))),
        },
        member if is_attribute_member(member) => match next::<&RawValue, _>(map)? {
            None => None,
            Some(raw) => sdk
                .read(raw, |d| read_attributes(member, d))
                .map_err(de::Error::custom)?,
        },
        _ => {
            map.next_value::<IgnoredAny>()?;
            None
        }
    })
}

/// One event of a page.
struct EventSeed<'a, 'b>(&'a SdkReader<'b>);

impl<'de> DeserializeSeed<'de> for EventSeed<'_, '_> {
    type Value = Event;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Event, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EventSeed<'_, '_> {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a history event (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        let mut id = None;
        let mut timestamp = None;
        let mut kind = None;
        let mut attrs = Attributes::None;
        while let Some(Key(key)) = map.next_key()? {
            match &*key {
                "eventId" => id = next::<i64, _>(&mut map)?.or(id),
                "eventTimestamp" => {
                    timestamp = next::<Timestamp, _>(&mut map)?.map(|t| t.0).or(timestamp);
                }
                "eventType" => {
                    if let Some(t) = next::<Key<'de>, _>(&mut map)? {
                        kind = Some(EventType::from(&*t.0));
                    }
                }
                member => {
                    // Should a page ever carry two attribute sets on one event, the
                    // first is kept.
                    if let Some(a) = attributes(member, &mut map, self.0)? {
                        if matches!(attrs, Attributes::None) {
                            attrs = a;
                        }
                    }
                }
            }
        }
        let kind = kind.ok_or_else(|| {
            de::Error::custom("a history event without `eventType` (SWF always sends one)")
        })?;
        Ok(Event::new(
            id.unwrap_or(0),
            timestamp.unwrap_or_else(|| DateTime::from_secs(0)),
            kind,
            attrs,
        ))
    }
}

/// A page's `events` (`null`: none), pushed onto `events` as they are read.
struct EventsSeed<'a, 'b> {
    sdk: &'a SdkReader<'b>,
    events: &'a mut Vec<Event>,
}

impl<'de> DeserializeSeed<'de> for EventsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for EventsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of history events")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(event) = seq.next_element_seed(EventSeed(self.sdk))? {
            self.events.push(event);
        }
        Ok(())
    }
}

/// A whole page: its top-level members for `P`, its events onto `events`.
pub(super) struct PageSeed<'a, 'b, P> {
    sdk: &'a SdkReader<'b>,
    events: &'a mut Vec<Event>,
    page: PhantomData<fn() -> P>,
}

impl<'a, 'b, P: Page> PageSeed<'a, 'b, P> {
    pub(super) fn new(sdk: &'a SdkReader<'b>, events: &'a mut Vec<Event>) -> Self {
        PageSeed {
            sdk,
            events,
            page: PhantomData,
        }
    }
}

impl<'de, P: Page> DeserializeSeed<'de> for PageSeed<'_, '_, P> {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, P: Page> Visitor<'de> for PageSeed<'_, '_, P> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page of history (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top::default();
        while let Some(Key(key)) = map.next_key()? {
            if key == "events" {
                map.next_value_seed(EventsSeed {
                    sdk: self.sdk,
                    events: &mut *self.events,
                })?;
                continue;
            }
            if !P::MEMBERS.contains(&&*key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match &*key {
                "taskToken" => top.task_token = next(&mut map)?.or(top.task_token),
                "startedEventId" => top.started_event_id = next(&mut map)?.or(top.started_event_id),
                "previousStartedEventId" => {
                    top.previous_started_event_id =
                        next(&mut map)?.or(top.previous_started_event_id);
                }
                "nextPageToken" => top.next_page_token = next(&mut map)?.or(top.next_page_token),
                "workflowExecution" => {
                    if let Some(raw) = next::<&RawValue, _>(&mut map)? {
                        top.workflow_execution = Some(
                            self.sdk
                                .read(raw, |d| WorkflowExecution::deserialize(d))
                                .map_err(de::Error::custom)?,
                        );
                    }
                }
                "workflowType" => {
                    if let Some(raw) = next::<&RawValue, _>(&mut map)? {
                        top.workflow_type = Some(
                            self.sdk
                                .read(raw, |d| WorkflowType::deserialize(d))
                                .map_err(de::Error::custom)?,
                        );
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(top)
    }
}
