use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "flow-java")]
enum OrderSignal {
    Approve(#[signal(java_type = "java.util.Date")] i64),
}

fn main() {}
