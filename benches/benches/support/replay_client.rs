//! The SDK client of the benches that keep a server's time out of the measurement
//! (`send`, `page`): its HTTP client (the SDK's own test one) answers every request with
//! `body` at once, so the whole SDK pipeline still runs.

/// An SDK client whose HTTP client answers every request with a 200 and `body` at once.
pub(crate) fn replay_client(body: &'static str) -> aws_sdk_swf::Client {
    let http = aws_smithy_http_client::test_util::infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .body(body)
            .expect("a response")
    });
    let config = aws_sdk_swf::Config::builder()
        .behavior_version(aws_sdk_swf::config::BehaviorVersion::latest())
        .region(aws_sdk_swf::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_swf::config::Credentials::for_tests())
        .http_client(http)
        .build();
    aws_sdk_swf::Client::from_conf(config)
}
