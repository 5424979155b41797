use swf_signal::Signal;

#[derive(Signal)]
#[signal(schema)]
enum OrderSignal {
    Approve { approver: String },
}

fn main() {}
