use swf_signal::{Dispatch, Signal};

#[derive(Debug, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum Bestellung {
    #[signal(name = "bestätigen")]
    Bestätigen,
    Ärger(String),
    #[signal(name = "注文.取消")]
    Cancel,
}

struct H(Vec<String>);

impl BestellungHandler for H {
    type Output = ();
    fn bestätigen(&mut self) {
        self.0.push("ok".into());
    }
    fn ärger(&mut self, value: String) {
        self.0.push(value);
    }
    fn cancel(&mut self) {}
}

fn main() {
    assert_eq!(Bestellung::NAMES, ["bestätigen", "ärger", "注文.取消"]);
    let mut h = H(Vec::new());
    let Ok(s) = Bestellung::decode("ärger", Some("\"laut\"")) else { panic!() };
    s.dispatch(&mut h);
    assert_eq!(h.0, ["laut"]);
    assert_eq!(swf_signal::signal_name!(Bestellung::Cancel), "注文.取消");
}
