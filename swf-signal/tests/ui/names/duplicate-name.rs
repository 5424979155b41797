use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(name = "approve")]
    Approve,
    #[signal(name = "approve")]
    Confirm,
}

fn main() {}
