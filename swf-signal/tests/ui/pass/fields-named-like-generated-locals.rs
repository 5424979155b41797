// A struct variant may use any field names, including the ones generated code uses for
// its own locals and parameters.
use swf_signal::{Dispatch, Signal};

#[derive(Debug, PartialEq, Signal)]
enum Odd {
    Call { handler: String, name: u32, input: bool, value: i8 },
    Pair(u8, u8),
    #[signal(format = "simpleflow")]
    Formatted { input: bool, name: u32, __swf_signal_args: u8 },
}

struct Seen(Vec<String>);

impl OddHandler for Seen {
    type Output = ();
    fn call(&mut self, handler: String, name: u32, input: bool, value: i8) {
        self.0.push(format!("{handler} {name} {input} {value}"));
    }
    fn pair(&mut self, a: u8, b: u8) {
        self.0.push(format!("{a} {b}"));
    }
    fn formatted(&mut self, input: bool, name: u32, args: u8) {
        self.0.push(format!("{input} {name} {args}"));
    }
}

fn main() {
    let call = Odd::Call { handler: "h".into(), name: 1, input: true, value: -1 };
    let wire = call.encode_input().unwrap();
    let back = Odd::decode("Call", wire.as_deref()).unwrap();
    assert_eq!(back, call);
    let mut seen = Seen(Vec::new());
    back.dispatch(&mut seen);
    Odd::Pair(1, 2).dispatch(&mut seen);
    assert_eq!(seen.0, ["h 1 true -1", "1 2"]);
    // A wire format's decoding binds every field after reading them all.
    let formatted = Odd::Formatted { input: true, name: 7, __swf_signal_args: 3 };
    let wire = formatted.encode_input().unwrap();
    assert_eq!(Odd::decode("Formatted", wire.as_deref()).unwrap(), formatted);
}
