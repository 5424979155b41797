// One bad name: the derive reports it once and still emits the handler trait, so the
// impl below and the dispatch call add no errors of their own.
use swf_signal::{Dispatch, Signal};

#[derive(Signal)]
enum OrderSignal {
    #[signal(name = "")]
    Approve,
    Ping,
}

struct Decider;

impl OrderSignalHandler for Decider {
    type Output = ();
    fn approve(&mut self) {}
    fn ping(&mut self) {}
}

fn main() {
    OrderSignal::Ping.dispatch(&mut Decider);
}
