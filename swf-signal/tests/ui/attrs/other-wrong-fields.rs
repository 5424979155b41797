use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve,
    #[signal(other)]
    Unknown(String),
}

fn main() {}
