use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve { approver: String },
    Ping,
}

struct Decider;

impl OrderSignalHandler for Decider {
    type Output = ();
    fn approve(&mut self, _approver: String) {}
}

fn main() {}
