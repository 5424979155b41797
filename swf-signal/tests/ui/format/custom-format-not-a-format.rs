use swf_signal::Signal;

struct NotAFormat;

#[derive(Signal)]
#[signal(format = NotAFormat)]
enum OrderSignal {
    Approve(String),
}

fn main() {}
