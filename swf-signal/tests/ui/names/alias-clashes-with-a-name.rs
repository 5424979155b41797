use swf_signal::Signal;

#[derive(Signal)]
#[signal(rename_all = "kebab-case")]
enum OrderSignal {
    // An old name that is now another signal's: a received "cancel" could mean either.
    #[signal(alias = "cancel")]
    Withdraw,
    Cancel,
    #[signal(alias = "approve")]
    Approve,
}

fn main() {}
