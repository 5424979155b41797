use swf_signal::Signal;

struct Reason {
    code: u16,
}

#[derive(Signal)]
enum OrderSignal {
    Approve,
    Cancel(Reason),
}

fn main() {}
