use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve,
    #[signal(other)]
    Unknown { name: &'static str, input: String },
}

fn main() {}
