//! A minimal OpenAI-compatible chat-completions client (HTTP/1.1 over plain TCP).
//!
//! Kept dependency-free beyond hyper: point `--ai-endpoint` at a local model server
//! (Ollama, llama.cpp, vLLM) or a TLS-terminating proxy for hosted APIs.

use crate::ai::{Analyzer, BoxFuture, Review, Transcript};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::time::Duration;

pub struct OpenAiAnalyzer {
    pub endpoint: String,
    pub model: String,
    pub api_key: Option<String>,
}

const PROMPT: &str = "You review customer-support conversations. Reply with JSON only: \
{\"summary\": \"two or three sentences: what the customer wanted and the outcome\", \
\"quality_score\": 0-100 (response speed, answered questions, resolution, tone)}";

impl OpenAiAnalyzer {
    async fn call(&self, transcript: &Transcript) -> Result<Review, String> {
        let base = self.endpoint.trim_end_matches('/');
        let rest = base.strip_prefix("http://").ok_or(
            "only http:// endpoints are supported; use a local TLS-terminating proxy for https",
        )?;
        let (authority, path) = match rest.split_once('/') {
            Some((a, p)) => (a.to_string(), format!("/{p}/chat/completions")),
            None => (rest.to_string(), "/chat/completions".to_string()),
        };
        let addr = if authority.contains(':') {
            authority.clone()
        } else {
            format!("{authority}:80")
        };
        let text: String = transcript
            .lines
            .iter()
            .map(|l| {
                format!(
                    "{}: {}\n",
                    if l.kind == convoroom_api::MessageKind::Inbound {
                        "Customer"
                    } else {
                        "Agent"
                    },
                    l.body
                )
            })
            .collect();
        let body = serde_json::json!({
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": PROMPT},
                {"role": "user", "content": format!("Resolved: {}\nFirst response after: {:?} s\n\n{text}", transcript.resolved, transcript.first_response_seconds)}
            ]
        });
        let stream = tokio::time::timeout(
            Duration::from_secs(10),
            tokio::net::TcpStream::connect(&addr),
        )
        .await
        .map_err(|_| "connect timeout".to_string())?
        .map_err(|e| format!("connect: {e}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        let mut request = Request::post(path)
            .header("host", authority)
            .header("content-type", "application/json");
        if let Some(key) = &self.api_key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        let request = request
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(Duration::from_secs(60), sender.send_request(request))
            .await
            .map_err(|_| "timeout".to_string())?
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if !status.is_success() {
            return Err(format!("AI endpoint answered {status}"));
        }
        parse_completion(&bytes)
    }
}

/// Reads `choices[0].message.content`, tolerating code fences around the JSON.
pub fn parse_completion(bytes: &[u8]) -> Result<Review, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let content = value["choices"][0]["message"]["content"]
        .as_str()
        .ok_or("no completion content")?;
    let start = content.find('{').ok_or("no JSON in the completion")?;
    let end = content.rfind('}').ok_or("no JSON in the completion")?;
    let review: serde_json::Value =
        serde_json::from_str(&content[start..=end]).map_err(|e| e.to_string())?;
    let summary = review["summary"]
        .as_str()
        .ok_or("no summary")?
        .trim()
        .to_string();
    let score = review["quality_score"].as_f64().ok_or("no quality_score")?;
    Ok(Review {
        summary,
        quality_score: score.clamp(0.0, 100.0).round() as u8,
    })
}

impl Analyzer for OpenAiAnalyzer {
    fn name(&self) -> String {
        self.model.clone()
    }
    fn analyze<'a>(&'a self, transcript: &'a Transcript) -> BoxFuture<'a, Result<Review, String>> {
        Box::pin(self.call(transcript))
    }
}
