use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    Approve,
    #[signal(other, alias = "legacy")]
    Unknown { name: String, input: Option<String> },
}

fn main() {}
