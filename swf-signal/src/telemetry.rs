//! The library's metrics, through the [`metrics`](https://docs.rs/metrics) facade when
//! the `metrics` feature is on (install any exporter or recorder; without one they cost
//! an atomic load each), and nothing at all without it.
//!
//! The table of names and labels is in the crate documentation ("Features").

/// The label of a received signal name: one the enum declares, else `(undeclared)`.
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(crate) fn signal_label(declared: &'static [&'static str], name: &str) -> &'static str {
    declared
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("(undeclared)")
}

#[cfg(feature = "metrics")]
mod on {
    use std::time::Duration;

    pub(crate) fn signal(workflow_type: &'static str, signal: &'static str, decoded: bool) {
        ::metrics::counter!("swf_signal_signals_received_total", "workflow_type" => workflow_type, "signal" => signal)
            .increment(1);
        let name = if decoded {
            "swf_signal_signals_decoded_total"
        } else {
            "swf_signal_signals_rejected_total"
        };
        ::metrics::counter!(name, "workflow_type" => workflow_type, "signal" => signal)
            .increment(1);
    }

    pub(crate) fn decision_task(workflow_type: &str, took: Duration, responded: bool) {
        let outcome = if responded { "responded" } else { "failed" };
        ::metrics::counter!("swf_signal_decision_tasks_total", "workflow_type" => workflow_type.to_owned(), "outcome" => outcome)
            .increment(1);
        ::metrics::histogram!("swf_signal_decision_task_seconds", "workflow_type" => workflow_type.to_owned())
            .record(took.as_secs_f64());
    }

    pub(crate) fn sticky(kind: super::Sticky) {
        let name = match kind {
            super::Sticky::Hit => "swf_signal_sticky_hits_total",
            super::Sticky::Miss => "swf_signal_sticky_misses_total",
            super::Sticky::Eviction => "swf_signal_sticky_evictions_total",
        };
        ::metrics::counter!(name).increment(1);
    }

    pub(crate) fn fanout_throttled() {
        ::metrics::counter!("swf_signal_fanout_throttled_total").increment(1);
    }
}

#[cfg(not(feature = "metrics"))]
#[allow(clippy::needless_pass_by_value, dead_code)]
mod on {
    use std::time::Duration;

    pub(crate) fn signal(_: &'static str, _: &'static str, _: bool) {}
    pub(crate) fn decision_task(_: &str, _: Duration, _: bool) {}
    pub(crate) fn sticky(_: super::Sticky) {}
    pub(crate) fn fanout_throttled() {}
}

/// What a sticky cache did.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sticky {
    Hit,
    Miss,
    Eviction,
}

#[cfg_attr(not(feature = "worker"), allow(unused_imports))]
pub(crate) use on::{decision_task, fanout_throttled, signal, sticky};
