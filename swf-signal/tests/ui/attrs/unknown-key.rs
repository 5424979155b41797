use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(rename = "approve")]
    Approve,
}

fn main() {}
