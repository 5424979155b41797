use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(name = "order\napprove")]
    Approve,
}

fn main() {}
