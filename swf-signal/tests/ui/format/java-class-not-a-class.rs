use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "flow-java")]
enum OrderSignal {
    Approve(#[signal(java_class = "Date")] i64),
}

fn main() {}
