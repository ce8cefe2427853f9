//! Reading a server-sent event stream from the router.

use super::TestApp;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::time::Duration;

pub struct Stream {
    pub body: Body,
    pub buffer: String,
}

impl Stream {
    /// Opens the stream with a fresh ticket for `token`, optionally resuming after an event id.
    pub async fn open(app: &TestApp, token: &str, last_event_id: Option<i64>) -> Stream {
        let ticket = app.post("/api/v1/events/ticket", token, json!({})).await;
        assert_eq!(ticket.status, 200, "{:?}", ticket.body);
        let ticket = ticket.body["ticket"].as_str().unwrap();
        let mut request = Request::get(format!("/api/v1/events?ticket={ticket}"));
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        Stream::from_request(app, request.body(Body::empty()).unwrap()).await
    }

    /// Opens the stream the way non-browser clients may: with the `Authorization` header.
    pub async fn open_with_header(app: &TestApp, token: &str) -> Stream {
        let request = Request::get("/api/v1/events")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        Stream::from_request(app, request).await
    }

    pub async fn from_request(app: &TestApp, request: Request<Body>) -> Stream {
        let response = app.raw(request).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        Stream {
            body: response.into_body(),
            buffer: String::new(),
        }
    }

    /// Events until `want` arrived or nothing came for `quiet`.
    pub async fn take(&mut self, want: usize, quiet: Duration) -> Vec<Value> {
        let mut events = Vec::new();
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let chunk: String = self.buffer.drain(..end + 2).collect();
                let data: String = chunk
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(str::trim)
                    .collect();
                let id = chunk
                    .lines()
                    .find_map(|l| l.strip_prefix("id:"))
                    .map(|s| s.trim().to_string());
                if !data.is_empty() {
                    let event: Value = serde_json::from_str(&data).unwrap();
                    // The browser reads events with its own decoder: it must agree with the derive.
                    let derived: convoroom_api::Event = serde_json::from_str(&data).unwrap();
                    assert_eq!(
                        convoroom_api::Event::from_json(&data).unwrap(),
                        derived,
                        "Event::from_json reads {data}"
                    );
                    assert_eq!(
                        Some(event["id"].to_string()),
                        id,
                        "SSE id matches the event id"
                    );
                    events.push(event);
                }
            }
            if events.len() >= want {
                return events;
            }
            match tokio::time::timeout(quiet, self.body.frame()).await {
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.buffer.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                _ => return events,
            }
        }
    }

    /// Events until one satisfies `until` (included) or nothing came for `quiet`.
    pub async fn take_until(
        &mut self,
        quiet: Duration,
        until: impl Fn(&Value) -> bool,
    ) -> Vec<Value> {
        let mut events = Vec::new();
        loop {
            let next = self.take(1, quiet).await;
            if next.is_empty() {
                return events;
            }
            let done = next.iter().any(&until);
            events.extend(next);
            if done {
                return events;
            }
        }
    }

    /// True once the server has ended the stream (within `wait`).
    pub async fn ended(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
                Err(_) => return false,
            }
        }
    }
}
