use swf_signal::Signal;

#[derive(Signal)]
#[signal(format = "simpleflow")]
enum OrderSignal {
    Approve {
        #[signal(java_class = "java.util.Date")]
        at: i64,
    },
}

fn main() {}
