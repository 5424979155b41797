use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(name = "")]
    Approve,
}

fn main() {}
