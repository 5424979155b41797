use swf_signal::Signal;

#[derive(Signal)]
#[signal(rename_all = "Snake_Case")]
enum OrderSignal {
    #[signal(name = "")]
    Approve,
    #[signal(colour = "red")]
    Cancel,
}

fn main() {}
