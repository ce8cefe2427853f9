//! `/uploads`: files agents attach to messages. Stored once per content under the uploads
//! directory (named by their SHA-256), recorded per conversation, and served only to callers
//! who can see a conversation the file was uploaded to (404 to anyone else, as for the
//! conversation itself) and to integrations, which deliver the replies that carry them.
//! A file is never served as something a browser would run: its type is one of the allowed
//! ones and matches its first bytes, `nosniff` is set, and anything but an image is a download.

use crate::auth::{AnyCaller, Caller};
use crate::conversations::model;
use crate::db::Conn;
use crate::error::{ApiQuery, AppError, AppResult};
use crate::state::AppState;
use crate::util;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use convoroom_api::upload::{self, MAX_UPLOAD_BYTES};
use convoroom_api::{AttachUpload, Attachment, ErrorBody, ErrorCode, TokenScope, Upload};
use serde::Deserialize;
use sqlx::Row;
use std::path::PathBuf;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/uploads",
            // The room for a whole file; the handler refuses more than the contract's limit
            // with its own message.
            post(create).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES as usize + 64 * 1024)),
        )
        .route("/uploads/{id}", get(download))
}

/// Where the files live: `--uploads`, or beside a SQLite database (`convoroom.db` →
/// `convoroom-uploads/`), or `uploads/` in the working directory with PostgreSQL.
pub fn directory(config: &crate::Config) -> PathBuf {
    if let Some(dir) = &config.uploads {
        return PathBuf::from(dir);
    }
    match crate::db::Location::parse(&config.database) {
        crate::db::Location::Sqlite(path) => {
            let path = PathBuf::from(path);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_else(|| "convoroom".into());
            path.with_file_name(format!("{stem}-uploads"))
        }
        crate::db::Location::Postgres(_) => PathBuf::from("uploads"),
    }
}

fn file_path(state: &AppState, id: &str) -> PathBuf {
    directory(&state.config).join(&id[..2]).join(id)
}

/// An id this server could have made: 64 lower-case hex digits (so it is also a safe path).
fn valid_id(id: &str) -> bool {
    id.len() == 64
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether the first bytes are those of the claimed type, so a page or script cannot be
/// uploaded under an image's name. Plain text and CSV must be UTF-8.
fn content_matches(mime: &str, bytes: &[u8]) -> bool {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    match mime {
        "image/png" => starts(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => starts(b"\xFF\xD8\xFF"),
        "image/gif" => starts(b"GIF87a") || starts(b"GIF89a"),
        "image/webp" => starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"),
        "application/pdf" => starts(b"%PDF-"),
        "application/zip"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            starts(b"PK\x03\x04")
        }
        "audio/mpeg" => {
            starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        }
        "audio/ogg" => starts(b"OggS"),
        "audio/wav" => starts(b"RIFF") && bytes.get(8..12) == Some(b"WAVE"),
        "text/plain" | "text/csv" => std::str::from_utf8(bytes).is_ok(),
        _ => false,
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The conversation the file will be sent in (the caller must see it).
    conversation_id: String,
    /// The file's name, shown with the attachment and used when it is downloaded.
    name: String,
}

fn too_large() -> AppError {
    AppError::new(
        ErrorCode::PayloadTooLarge,
        upload::Refusal::TooLarge.message("The file"),
    )
}

#[utoipa::path(post, path = "/api/v1/uploads", operation_id = "createUpload", tag = "messages", security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, description = "The file's bytes, with its type as Content-Type", content_type = "application/octet-stream"),
    responses((status = 201, body = Upload), (status = 400, description = "Type not allowed, empty, name missing, or content not of the stated type", body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<(StatusCode, axum::Json<Upload>)> {
    let conversation_id = crate::error::body_id(&query.conversation_id, "conversation_id")?;
    {
        let mut conn = state.read().await?;
        model::ensure_visible(&mut conn, &caller, conversation_id).await?;
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::bad_request(rejection.body_text())
        }
    })?;
    let name = query.name.trim().to_string();
    let mime = upload::normalize_type(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let kind =
        upload::check(&name, &mime, bytes.len() as u64).map_err(|refusal| match refusal {
            upload::Refusal::TooLarge => too_large(),
            upload::Refusal::Name => AppError::field("name", refusal.message(&name)),
            other => AppError::field("file", other.message(&name)),
        })?;
    if !content_matches(&mime, &bytes) {
        return Err(AppError::field(
            "file",
            format!("{name} is not the {mime} file its type says it is."),
        ));
    }
    let id = util::sha256_hex(&bytes);
    store(&state, &id, &bytes).await?;
    let mut w = state.write().await?;
    sqlx::query(
        "INSERT INTO uploads (id, conversation_id, uploader_id, name, mime_type, size_bytes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id, conversation_id) DO NOTHING",
    )
    .bind(&id)
    .bind(conversation_id)
    .bind(caller.id)
    .bind(&name)
    .bind(&mime)
    .bind(bytes.len() as i64)
    .bind(util::now())
    .execute(w.conn())
    .await?;
    w.commit().await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Upload {
            id,
            conversation_id: conversation_id.to_string(),
            name,
            kind,
            mime_type: mime,
            size_bytes: bytes.len() as u64,
        }),
    ))
}

/// Writes the file unless the same content is stored already; a temporary name and a rename,
/// so a crash never leaves half a file under a content's name.
async fn store(state: &AppState, id: &str, bytes: &[u8]) -> AppResult<()> {
    let path = file_path(state, id);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    let failed = |err: std::io::Error| {
        tracing::error!(error = %err, "storing an upload failed");
        AppError::new(
            ErrorCode::Internal,
            "The file could not be stored; try again",
        )
    };
    let dir = path.parent().map(PathBuf::from).unwrap_or_default();
    tokio::fs::create_dir_all(&dir).await.map_err(failed)?;
    // Unique per write, so two uploads of the same file at once do not share a temporary name.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let write = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = dir.join(format!(".{id}.{}.{write}", std::process::id()));
    tokio::fs::write(&temporary, bytes).await.map_err(failed)?;
    tokio::fs::rename(&temporary, &path).await.map_err(failed)
}

/// The attachments of a message being sent: each an upload made for this conversation.
pub async fn attachments_for(
    conn: &mut Conn,
    conversation_id: i64,
    wanted: &[AttachUpload],
) -> AppResult<Vec<Attachment>> {
    if wanted.len() > upload::MAX_ATTACHMENTS {
        return Err(AppError::field(
            "attachments",
            format!(
                "At most {} files go with one message",
                upload::MAX_ATTACHMENTS
            ),
        ));
    }
    let mut attachments = Vec::with_capacity(wanted.len());
    for file in wanted {
        let name = file.name.trim();
        if name.is_empty() || name.chars().count() > upload::MAX_FILE_NAME_CHARS {
            return Err(AppError::field(
                "attachments",
                upload::Refusal::Name.message(name),
            ));
        }
        let row = sqlx::query(
            "SELECT mime_type, size_bytes FROM uploads WHERE id = $1 AND conversation_id = $2",
        )
        .bind(&file.upload_id)
        .bind(conversation_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "attachments",
                "An attached file was not uploaded for this conversation; attach it again",
            )
        })?;
        let mime: String = row.get("mime_type");
        // Stored uploads passed `upload::check`: their type is on the list.
        let kind = upload::kind_of(&mime).ok_or_else(AppError::internal)?;
        attachments.push(Attachment {
            kind,
            url: format!("{}/uploads/{}", convoroom_api::API_PREFIX, file.upload_id),
            name: name.to_string(),
            mime_type: Some(mime),
            size_bytes: Some(row.get::<i64, _>("size_bytes") as u64),
            upload_id: Some(file.upload_id.clone()),
        });
    }
    Ok(attachments)
}

#[utoipa::path(get, path = "/api/v1/uploads/{id}", operation_id = "getUpload", tag = "messages", security(("bearer" = [])),
    params(("id" = String, Path, description = "The upload's id (SHA-256 of the content)")),
    responses((status = 200, description = "The file, with its type, `Content-Disposition` and `X-Content-Type-Options: nosniff`", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    AnyCaller(caller): AnyCaller,
    Path(id): Path<String>,
) -> AppResult<Response> {
    if matches!(caller.scope, Some(TokenScope::Embed)) {
        return Err(AppError::forbidden(
            "An embed token may only exchange itself for an agent's session (POST /auth/exchange)",
        ));
    }
    if !valid_id(&id) {
        return Err(AppError::not_found("File"));
    }
    let row = {
        let mut conn = state.read().await?;
        // Integrations deliver every reply, so they read every file; agents those of the
        // conversations they can see.
        let visible = if matches!(caller.scope, Some(TokenScope::Inbound)) {
            "1=1".to_string()
        } else {
            caller.visibility_sql()
        };
        sqlx::query(&format!(
            "SELECT u.name, u.mime_type FROM uploads u JOIN conversations c ON c.id = u.conversation_id
             WHERE u.id = $1 AND {visible} ORDER BY u.created_at LIMIT 1"
        ))
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::not_found("File"))?
    };
    let bytes = tokio::fs::read(file_path(&state, &id))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, upload = %id, "an uploaded file is missing");
            AppError::not_found("File")
        })?;
    let mime: String = row.get("mime_type");
    let name: String = row.get("name");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(&mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition(&mime, &name))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    // `nosniff` comes with every response (assets::security_headers), and this policy keeps
    // the middleware's page policy off the file.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    // The content never changes under its id; only this agent's browser may keep it.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}

/// Images show inline; everything else downloads. The name as RFC 6266 `filename*` (UTF-8,
/// percent-encoded) with a plain ASCII `filename` for old clients.
pub fn disposition(mime: &str, name: &str) -> String {
    let how = if mime.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_the_header() {
        assert_eq!(
            disposition("application/pdf", "a\"b\r\n.pdf"),
            "attachment; filename=\"a_b__.pdf\"; filename*=UTF-8''a%22b%0D%0A.pdf"
        );
        assert!(disposition("image/png", "é.png").starts_with("inline; filename=\"_.png\""));
    }

    #[test]
    fn content_must_match_its_type() {
        assert!(content_matches("image/png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!content_matches("image/png", b"<html><script>"));
        assert!(!content_matches("text/plain", b"\xFF\xFE\x00"));
        assert!(content_matches("audio/wav", b"RIFF\0\0\0\0WAVEfmt "));
        assert!(!valid_id("../../etc/passwd"));
    }
}
