use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "flow-java", java_package = "com.example-orders")]
enum OrderSignal {
    Approve(String),
}

fn main() {}
