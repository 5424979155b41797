//! Decodes the 25,000-event history N times with one decoder, for profiling
//! (`valgrind --tool=callgrind`, `perf`): `profile_decode <derived|handwritten|value> <N>`.

use swf_signal::Signal;
use swf_signal_benches::{decode_handwritten, decode_via_value, task_all_new, BenchSignal};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let task = task_all_new(25_000);
    let mut decoded = 0usize;
    for _ in 0..rounds {
        for a in task
            .events()
            .iter()
            .filter_map(|e| e.workflow_execution_signaled_event_attributes())
        {
            let ok = match which.as_str() {
                "derived" => BenchSignal::decode(a.signal_name(), a.input()).is_ok(),
                "handwritten" => decode_handwritten(a.signal_name(), a.input()).is_ok(),
                _ => decode_via_value(a.signal_name(), a.input()).is_ok(),
            };
            decoded += usize::from(ok);
        }
    }
    println!("{which}: {decoded} decoded");
}
