use swf_signal::Signal;

#[derive(Signal)]
#[signal(java_package = "com.example")]
enum OrderSignal {
    Approve(String),
}

fn main() {}
