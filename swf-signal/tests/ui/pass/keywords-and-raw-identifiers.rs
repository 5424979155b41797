use swf_signal::{Dispatch, Signal};

#[derive(Debug, PartialEq, Signal)]
#[signal(rename_all = "snake_case")]
enum Robot {
    Move(i32, i32),
    r#Type { r#type: String },
    Crate,
}

struct H;

impl RobotHandler for H {
    type Output = String;
    fn r#move(&mut self, x: i32, y: i32) -> String {
        format!("{x},{y}")
    }
    fn r#type(&mut self, r#type: String) -> String {
        r#type
    }
    fn crate_(&mut self) -> String {
        "crate".into()
    }
}

fn main() {
    assert_eq!(Robot::NAMES, ["move", "type", "crate"]);
    let Ok(Some(input)) = (Robot::r#Type { r#type: "x".into() }).encode_input() else { panic!() };
    assert_eq!(input, r#"{"type":"x"}"#);
    assert_eq!(Robot::Move(1, 2).dispatch(&mut H), "1,2");
    assert_eq!(Robot::Crate.dispatch(&mut H), "crate");
}
