use swf_signal::Signal;

#[derive(Signal)]
#[signal(rename_all = "lowercase")]
enum OrderSignal {
    ChangeQuantity(u32),
    Changequantity(u32),
}

fn main() {}
