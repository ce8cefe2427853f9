//! Generated demo media: call recordings (WAV), image placeholders (SVG), file attachments (PDF).

use crate::error::AppError;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

const RATE: u32 = 8_000;

/// A short, pleasant tone sequence derived from the recording's id (deterministic).
pub fn recording_wav(id: u64) -> Vec<u8> {
    let notes = [261.63f32, 293.66, 329.63, 392.0, 440.0, 523.25];
    let seconds = 3 + (id % 4) as u32;
    let samples = RATE * seconds;
    let mut data = Vec::with_capacity(samples as usize * 2);
    let note_len = RATE / 2;
    for n in 0..samples {
        let step = (n / note_len) as u64;
        let freq = notes[((id.wrapping_mul(7) + step * 3) % notes.len() as u64) as usize];
        let within = (n % note_len) as f32 / note_len as f32;
        let envelope = (within * 20.0).min(1.0) * (1.0 - within).powf(0.6);
        let t = n as f32 / RATE as f32;
        let value = (t * freq * std::f32::consts::TAU).sin() * envelope * 0.35;
        data.extend_from_slice(&((value * i16::MAX as f32) as i16).to_le_bytes());
    }
    let mut wav = Vec::with_capacity(44 + data.len());
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(data.len() as u32).to_le_bytes());
    wav.extend_from_slice(&data);
    wav
}

fn stem(file: &str, ext: &str) -> Option<u64> {
    let stem = file.strip_suffix(ext)?;
    let digits = stem.rsplit('-').next()?;
    crate::util::parse_id(digits).map(|n| n as u64)
}

fn cached(content_type: &'static str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

pub async fn recording(Path(file): Path<String>) -> Response {
    match stem(&file, ".wav") {
        Some(id) => cached("audio/wav", recording_wav(id)),
        None => AppError::not_found("Recording").into_response(),
    }
}

pub async fn image(Path(file): Path<String>) -> Response {
    let Some(id) = stem(&file, ".svg") else {
        return AppError::not_found("Image").into_response();
    };
    let hue = (id * 47) % 360;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"200\" viewBox=\"0 0 320 200\">\
<rect width=\"320\" height=\"200\" fill=\"hsl({hue},55%,82%)\"/><circle cx=\"90\" cy=\"80\" r=\"28\" fill=\"hsl({hue},55%,65%)\"/>\
<path d=\"M0 200 L110 110 L170 160 L230 100 L320 200 Z\" fill=\"hsl({hue},45%,55%)\"/>\
<text x=\"16\" y=\"190\" font-family=\"sans-serif\" font-size=\"14\" fill=\"#333\">photo {id}</text></svg>"
    );
    cached("image/svg+xml", svg.into_bytes())
}

pub async fn file(Path(file): Path<String>) -> Response {
    let Some(id) = stem(&file, ".pdf") else {
        return AppError::not_found("File").into_response();
    };
    let text = format!("Invoice {id} (demo)");
    let stream = format!("BT /F1 18 Tf 40 100 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    cached("application/pdf", pdf.into_bytes())
}
