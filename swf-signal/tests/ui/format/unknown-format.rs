use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "flow_java")]
enum OrderSignal {
    Approve(String),
}

fn main() {}
