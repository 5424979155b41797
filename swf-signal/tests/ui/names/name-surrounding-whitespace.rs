use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(name = " approve")]
    Approve,
}

fn main() {}
