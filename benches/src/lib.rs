//! What the benchmarks share: a realistic signal enum of 8 variants, its hand-written
//! decoder (the baseline a careful engineer would write), and a 25,000-event history as
//! the SDK builds it.
#![allow(clippy::cast_precision_loss)] // counts and nanoseconds become f64 only for reporting ratios
#![forbid(unsafe_code)]

mod server;
pub use server::{setup, SwfServer};

/// CPU time of the calling thread so far (Linux), for benches on a current-thread runtime,
/// where that is all of the client's work.
///
/// # Panics
///
/// Off Linux (no `/proc/thread-self/schedstat`).
#[allow(clippy::expect_used)] // a bench cannot measure without it
pub fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .expect("/proc/thread-self/schedstat (Linux)")
}

use aws_sdk_swf::types::{
    ActivityTaskCompletedEventAttributes, ActivityTaskScheduledEventAttributes,
    ActivityTaskStartedEventAttributes, ActivityType, EventType, TimerFiredEventAttributes,
    TimerStartedEventAttributes,
};
use serde::{Deserialize, Serialize};
use swf_signal::testing::TaskBuilder;
use swf_signal::{DecisionTask, Signal};

/// Why an order was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelReason {
    /// Code.
    pub code: String,
    /// Detail.
    pub detail: String,
}

/// One order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stock keeping unit.
    pub sku: String,
    /// How many.
    pub qty: u32,
    /// Unit price.
    pub price_cents: u64,
}

/// The benchmark's signal enum: 8 variants, every shape that carries a payload.
#[derive(Debug, Clone, PartialEq, Eq, Signal)]
#[signal(rename_all = "snake_case")]
pub enum BenchSignal {
    /// Struct variant.
    Approve {
        /// Who.
        approver: String,
        /// Remark.
        note: Option<String>,
    },
    /// Struct variant.
    ChangeQuantity {
        /// Which item.
        sku: String,
        /// New quantity.
        quantity: u32,
        /// Why.
        reason: String,
    },
    /// Newtype of a struct.
    Cancel(CancelReason),
    /// Tuple.
    Reroute(i32, i32, String),
    /// Newtype of a list.
    AddItems(Vec<Item>),
    /// Raw string.
    #[signal(raw)]
    Comment(String),
    /// Struct variant.
    UpdateAddress {
        /// Street.
        street: String,
        /// City.
        city: String,
        /// Postcode.
        zip: String,
        /// Country.
        country: String,
    },
    /// Newtype of strings.
    Tag(Vec<String>),
}

/// The baseline: `match name` and `serde_json::from_str` into the same enum, written by
/// hand the way a careful engineer would.
///
/// # Errors
///
/// The name is unknown or the input does not parse.
pub fn decode_handwritten(name: &str, input: Option<&str>) -> Result<BenchSignal, String> {
    #[derive(Deserialize)]
    struct Approve {
        approver: String,
        note: Option<String>,
    }
    #[derive(Deserialize)]
    struct ChangeQuantity {
        sku: String,
        quantity: u32,
        reason: String,
    }
    #[derive(Deserialize)]
    struct UpdateAddress {
        street: String,
        city: String,
        zip: String,
        country: String,
    }
    let text = input.unwrap_or("");
    let err = |e: serde_json::Error| e.to_string();
    Ok(match name {
        "approve" => {
            let p: Approve = serde_json::from_str(text).map_err(err)?;
            BenchSignal::Approve {
                approver: p.approver,
                note: p.note,
            }
        }
        "change_quantity" => {
            let p: ChangeQuantity = serde_json::from_str(text).map_err(err)?;
            BenchSignal::ChangeQuantity {
                sku: p.sku,
                quantity: p.quantity,
                reason: p.reason,
            }
        }
        "cancel" => BenchSignal::Cancel(serde_json::from_str(text).map_err(err)?),
        "reroute" => {
            let (x, y, why) = serde_json::from_str(text).map_err(err)?;
            BenchSignal::Reroute(x, y, why)
        }
        "add_items" => BenchSignal::AddItems(serde_json::from_str(text).map_err(err)?),
        "comment" => BenchSignal::Comment(text.to_owned()),
        "update_address" => {
            let p: UpdateAddress = serde_json::from_str(text).map_err(err)?;
            BenchSignal::UpdateAddress {
                street: p.street,
                city: p.city,
                zip: p.zip,
                country: p.country,
            }
        }
        "tag" => BenchSignal::Tag(serde_json::from_str(text).map_err(err)?),
        other => return Err(format!("unknown signal {other}")),
    })
}

/// The other baseline: through `serde_json::Value`, then `from_value`.
///
/// # Errors
///
/// The name is unknown or the input does not parse.
pub fn decode_via_value(name: &str, input: Option<&str>) -> Result<BenchSignal, String> {
    use serde_json::Value;
    fn from<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
        serde_json::from_value(v).map_err(|e| e.to_string())
    }
    let text = input.unwrap_or("");
    if name == "comment" {
        return Ok(BenchSignal::Comment(text.to_owned()));
    }
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let field = |k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    Ok(match name {
        "approve" => BenchSignal::Approve {
            approver: from(field("approver"))?,
            note: from(field("note"))?,
        },
        "change_quantity" => BenchSignal::ChangeQuantity {
            sku: from(field("sku"))?,
            quantity: from(field("quantity"))?,
            reason: from(field("reason"))?,
        },
        "cancel" => BenchSignal::Cancel(from(v)?),
        "reroute" => {
            let (x, y, why) = from(v)?;
            BenchSignal::Reroute(x, y, why)
        }
        "add_items" => BenchSignal::AddItems(from(v)?),
        "update_address" => BenchSignal::UpdateAddress {
            street: from(field("street"))?,
            city: from(field("city"))?,
            zip: from(field("zip"))?,
            country: from(field("country"))?,
        },
        "tag" => BenchSignal::Tag(from(v)?),
        other => return Err(format!("unknown signal {other}")),
    })
}

/// A small deterministic generator, so every run benchmarks the same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn text(&mut self, len: usize) -> String {
        const WORDS: [&str; 8] = [
            "parcel ",
            "north ",
            "expedite ",
            "gift ",
            "fragile ",
            "dock-7 ",
            "ok ",
            "ünïcode ",
        ];
        let mut s = String::with_capacity(len + 10);
        while s.len() < len {
            s.push_str(WORDS[usize::try_from(self.below(8)).unwrap_or(0)]);
        }
        s
    }
}

/// A signal of the given variant index with a payload of roughly `size` bytes.
fn make_signal(rng: &mut Rng, variant: u64, size: usize) -> BenchSignal {
    let t = |rng: &mut Rng, n: usize| rng.text(n);
    match variant {
        0 => BenchSignal::Approve {
            approver: t(rng, 12),
            note: Some(t(rng, size.saturating_sub(40))),
        },
        1 => BenchSignal::ChangeQuantity {
            sku: t(rng, 10),
            quantity: 3,
            reason: t(rng, size.saturating_sub(50)),
        },
        2 => BenchSignal::Cancel(CancelReason {
            code: "DUPLICATE".into(),
            detail: t(rng, size.saturating_sub(35)),
        }),
        3 => BenchSignal::Reroute(12, -7, t(rng, size.saturating_sub(15))),
        4 => BenchSignal::AddItems(
            (0..(size / 60).max(1))
                .map(|i| Item {
                    sku: format!("SKU-{i:05}"),
                    qty: 2,
                    price_cents: 1999,
                })
                .collect(),
        ),
        5 => BenchSignal::Comment(t(rng, size)),
        6 => BenchSignal::UpdateAddress {
            street: t(rng, size.saturating_sub(70) / 2),
            city: "Zürich".into(),
            zip: "8001".into(),
            country: t(rng, size.saturating_sub(70) / 2),
        },
        _ => BenchSignal::Tag(
            (0..(size / 20).max(1))
                .map(|i| format!("tag-{i}-{}", rng.below(1000)))
                .collect(),
        ),
    }
}

/// A builder holding a realistic history of `events` events: about 40 % signals over the
/// 8 variants with 50–500-byte payloads, the rest activity, timer and decision events,
/// all built with the SDK's own types.
pub fn history(events: usize) -> TaskBuilder {
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut h = TaskBuilder::new("bench-order");
    let activity = ActivityType::builder()
        .name("ship")
        .version("1")
        .build()
        .ok();
    let mut n = 1; // the started event
    while n < events {
        let roll = rng.below(100);
        // Weights chosen so signals are ~40 % of events: the other kinds add 2-3 events each.
        if roll < 65 {
            let size = 50 + usize::try_from(rng.below(451)).unwrap_or(0);
            let variant = rng.below(8);
            h.signal(&make_signal(&mut rng, variant, size));
            n += 1;
        } else if roll < 83 {
            // scheduled, started, completed
            let id = format!("act-{n}");
            let scheduled = h.event(EventType::ActivityTaskScheduled, |e| {
                e.set_activity_task_scheduled_event_attributes(
                    ActivityTaskScheduledEventAttributes::builder()
                        .set_activity_type(activity.clone())
                        .activity_id(&id)
                        .input("{\"order\":\"bench-order\",\"step\":\"ship\"}")
                        .decision_task_completed_event_id(1)
                        .set_task_list(
                            aws_sdk_swf::types::TaskList::builder()
                                .name("ship")
                                .build()
                                .ok(),
                        )
                        .build()
                        .ok(),
                )
            });
            h.event(EventType::ActivityTaskStarted, |e| {
                e.activity_task_started_event_attributes(
                    ActivityTaskStartedEventAttributes::builder()
                        .identity("worker-1")
                        .scheduled_event_id(scheduled)
                        .build(),
                )
            });
            h.event(EventType::ActivityTaskCompleted, |e| {
                e.activity_task_completed_event_attributes(
                    ActivityTaskCompletedEventAttributes::builder()
                        .result("{\"tracking\":\"1Z999AA10123456784\"}")
                        .scheduled_event_id(scheduled)
                        .started_event_id(scheduled + 1)
                        .build(),
                )
            });
            n += 3;
        } else if roll < 91 {
            let timer = format!("timer-{n}");
            let started = h.event(EventType::TimerStarted, |e| {
                e.set_timer_started_event_attributes(
                    TimerStartedEventAttributes::builder()
                        .timer_id(&timer)
                        .start_to_fire_timeout("60")
                        .decision_task_completed_event_id(1)
                        .build()
                        .ok(),
                )
            });
            h.event(EventType::TimerFired, |e| {
                e.set_timer_fired_event_attributes(
                    TimerFiredEventAttributes::builder()
                        .timer_id(&timer)
                        .started_event_id(started)
                        .build()
                        .ok(),
                )
            });
            n += 2;
        } else {
            h.decision_task_completed();
            n += 3;
        }
    }
    h
}

/// The 25,000-event history as one decision task whose every signal is new.
pub fn task_all_new(events: usize) -> DecisionTask {
    let mut h = history(events);
    // Replay view: previous_started may be anywhere; the decode rows use `events()`.
    h.build()
}

/// The same history, completed by the decider, then exactly one new signal.
pub fn task_one_new(events: usize) -> DecisionTask {
    let mut h = history(events.saturating_sub(4));
    h.decision_task_completed();
    h.signal(&BenchSignal::Tag(vec!["late".into()]));
    h.build()
}

/// Reads a criterion estimate (mean, in ns) written by this run, so a bench can print
/// its ratios. `None` when the file is not there.
pub fn criterion_mean_ns(group: &str, bench: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        std::path::PathBuf::from,
    );
    let path = target
        .join("criterion")
        .join(group)
        .join(bench)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

/// Sums of paired timings: each iteration times `a` and `b` back to back, alternating
/// which goes first, so both see the same machine (a shared VM's noisy minutes hit both
/// sides alike) and the same allocator state.
#[derive(Debug, Default, Clone, Copy)]
pub struct Paired {
    /// Total time of `a`.
    pub a: std::time::Duration,
    /// Total time of `b`.
    pub b: std::time::Duration,
    /// Pairs timed.
    pub pairs: u64,
}

impl Paired {
    /// Times `iters` pairs, adds them to the sums, and returns the total of `a` (or of
    /// `b` when `report_a` is false) for criterion's `iter_custom`.
    pub fn run(
        &mut self,
        iters: u64,
        report_a: bool,
        mut a: impl FnMut(),
        mut b: impl FnMut(),
    ) -> std::time::Duration {
        use std::time::Instant;
        let mut reported = std::time::Duration::ZERO;
        for i in 0..iters {
            let (ta, tb);
            if i % 2 == 0 {
                let t = Instant::now();
                a();
                ta = t.elapsed();
                let t = Instant::now();
                b();
                tb = t.elapsed();
            } else {
                let t = Instant::now();
                b();
                tb = t.elapsed();
                let t = Instant::now();
                a();
                ta = t.elapsed();
            }
            self.a += ta;
            self.b += tb;
            self.pairs += 1;
            reported += if report_a { ta } else { tb };
        }
        reported
    }

    /// Mean time of `a` per pair, in ns.
    pub fn mean_a_ns(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.a.as_nanos() as f64 / self.pairs as f64)
    }

    /// Mean time of `b` per pair, in ns.
    pub fn mean_b_ns(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.b.as_nanos() as f64 / self.pairs as f64)
    }
}

/// Prints one ratio row as `BENCHMARKS.md` shows it, with its goal and whether it is met.
pub fn print_ratio(
    row: &str,
    numerator: Option<f64>,
    denominator: Option<f64>,
    goal: &str,
    met: impl Fn(f64) -> bool,
) {
    match (numerator, denominator) {
        (Some(n), Some(d)) if d > 0.0 => {
            let r = n / d;
            let verdict = if met(r) { "met" } else { "NOT MET" };
            println!("RATIO | `{row}` | {r:.3} | {goal} | {verdict} | {n:.0} ns / {d:.0} ns |");
        }
        _ => println!("RATIO | `{row}` | missing estimate | {goal} | NOT MEASURED | |"),
    }
}

/// Every (name, input) of the signals in a task, in order.
pub fn signal_inputs(task: &DecisionTask) -> Vec<(&str, Option<&str>)> {
    task.events()
        .iter()
        .filter_map(|e| e.workflow_execution_signaled_event_attributes())
        .map(|a| (a.signal_name(), a.input()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_realistic_and_every_decoder_agrees() {
        let task = task_all_new(25_000);
        let n = task.events().len();
        assert!((25_000..25_010).contains(&n), "{n}");
        let signals = signal_inputs(&task);
        let share = signals.len() as f64 / n as f64;
        assert!((0.3..0.5).contains(&share), "{share}");
        let sizes: Vec<usize> = signals.iter().map(|(_, i)| i.map_or(0, str::len)).collect();
        assert!(
            sizes.iter().all(|s| (20..=700).contains(s)),
            "payload sizes {:?}",
            (sizes.iter().min(), sizes.iter().max())
        );
        let mut names: Vec<&str> = signals.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 8);
        for (name, input) in signals {
            let derived = BenchSignal::decode(name, input).map_err(|e| e.to_string());
            assert_eq!(derived, decode_handwritten(name, input), "{name}");
            assert_eq!(derived, decode_via_value(name, input), "{name}");
        }
        assert_eq!(task_one_new(25_000).new_signals::<BenchSignal>().count(), 1);
    }
}
