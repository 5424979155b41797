use swf_signal::Signal;

#[derive(Signal)]
struct Approve {
    approver: String,
}

fn main() {}
