use swf_signal::Signal;

#[derive(Signal)]
enum OrderSignal {
    #[signal(raw, format = "simpleflow")]
    Comment(String),
    #[signal(other, format = "botoflow")]
    Unknown { name: String, input: Option<String> },
}

fn main() {}
