use swf_signal::Signal;

#[derive(Signal)]
#[signal(rename_all = "kebab-case")]
enum OrderSignal {
    #[signal(alias = "approve-order")]
    Approve,
    #[signal(alias = "approve-order")]
    Accept,
    #[signal(alias = "", alias = "x\ty")]
    Reject,
}

fn main() {}
