//! Files agents attach to a message: what may be uploaded (checked by the app before the upload
//! and by the server after it), and how a message refers to an upload.

use crate::{AttachmentKind, Id};
use serde::{Deserialize, Serialize};

/// The largest file `POST /uploads` accepts.
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

/// At most this many files go with one message.
pub const MAX_ATTACHMENTS: usize = 5;

/// The longest file name kept (longer names are refused, not cut, so a name is never changed).
pub const MAX_FILE_NAME_CHARS: usize = 200;

/// The types that may be uploaded, with the kind of attachment each becomes. Nothing that a
/// browser would run or render as a page (HTML, SVG, scripts) is on the list.
pub const ALLOWED_TYPES: &[(&str, AttachmentKind)] = &[
    ("image/png", AttachmentKind::Image),
    ("image/jpeg", AttachmentKind::Image),
    ("image/gif", AttachmentKind::Image),
    ("image/webp", AttachmentKind::Image),
    ("application/pdf", AttachmentKind::File),
    ("text/plain", AttachmentKind::File),
    ("text/csv", AttachmentKind::File),
    ("application/zip", AttachmentKind::File),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        AttachmentKind::File,
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        AttachmentKind::File,
    ),
    ("audio/mpeg", AttachmentKind::Audio),
    ("audio/ogg", AttachmentKind::Audio),
    ("audio/wav", AttachmentKind::Audio),
];

/// The limits in words, as the composer states them before anything is uploaded.
pub const LIMITS_TEXT: &str =
    "Up to 5 files, 10 MB each: images, PDF, text, CSV, ZIP, Word, Excel or audio";

/// The `accept` attribute of a file picker: the allowed types.
pub fn accept_attribute() -> String {
    ALLOWED_TYPES
        .iter()
        .map(|(mime, _)| *mime)
        .collect::<Vec<_>>()
        .join(",")
}

/// Why a file may not be uploaded, in words for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    Type,
    Name,
}

impl Refusal {
    pub fn message(&self, name: &str) -> String {
        match self {
            Refusal::Empty => format!("{name} is empty."),
            Refusal::TooLarge => format!("{name} is larger than 10 MB."),
            Refusal::Type => format!(
                "{name} can't be attached: only images, PDF, text, CSV, ZIP, Word, Excel and audio files can."
            ),
            Refusal::Name => {
                format!("The file name is empty or longer than {MAX_FILE_NAME_CHARS} characters.")
            }
        }
    }
}

/// The media type without parameters, lower case (`Text/Plain; charset=utf-8` → `text/plain`);
/// the aliases browsers report for the same formats mapped to one name.
pub fn normalize_type(mime: &str) -> String {
    let bare = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match bare.as_str() {
        "image/jpg" | "image/pjpeg" => "image/jpeg".into(),
        "audio/mp3" => "audio/mpeg".into(),
        "audio/x-wav" | "audio/wave" => "audio/wav".into(),
        "application/x-zip-compressed" => "application/zip".into(),
        _ => bare,
    }
}

/// Whether a file of this name, type and size may be uploaded, and the kind it becomes.
pub fn check(name: &str, mime: &str, size: u64) -> Result<AttachmentKind, Refusal> {
    if name.trim().is_empty() || name.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(Refusal::Name);
    }
    if size == 0 {
        return Err(Refusal::Empty);
    }
    if size > MAX_UPLOAD_BYTES {
        return Err(Refusal::TooLarge);
    }
    kind_of(mime).ok_or(Refusal::Type)
}

/// The kind of attachment an allowed type becomes; `None` for a type not on the list.
pub fn kind_of(mime: &str) -> Option<AttachmentKind> {
    let mime = normalize_type(mime);
    ALLOWED_TYPES
        .iter()
        .find(|(allowed, _)| *allowed == mime)
        .map(|(_, kind)| *kind)
}

/// A stored file, as `POST /uploads` answers. The id is the SHA-256 of the content (hex), so
/// the same file uploaded twice is stored once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Upload {
    pub id: String,
    pub conversation_id: Id,
    pub name: String,
    pub kind: AttachmentKind,
    pub mime_type: String,
    pub size_bytes: u64,
}

/// One file of a message being sent: an upload made for the same conversation, and the name to
/// show (the file's own name unless the agent changes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachUpload {
    pub upload_id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
}

/// A human size: `820 B`, `14 KB`, `2.4 MB`.
pub fn format_size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).max(1.0))
    } else {
        format!("{:.1} MB", b / KB / KB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_sizes_and_names_are_checked() {
        assert_eq!(check("a.png", "image/png", 10), Ok(AttachmentKind::Image));
        assert_eq!(check("a.jpg", "image/JPG", 10), Ok(AttachmentKind::Image));
        assert_eq!(
            check("a.txt", "text/plain; charset=utf-8", 1),
            Ok(AttachmentKind::File)
        );
        assert_eq!(check("a.mp3", "audio/mp3", 1), Ok(AttachmentKind::Audio));
        assert_eq!(check("a.svg", "image/svg+xml", 10), Err(Refusal::Type));
        assert_eq!(check("a.html", "text/html", 10), Err(Refusal::Type));
        assert_eq!(check("a", "", 10), Err(Refusal::Type));
        assert_eq!(check("a.png", "image/png", 0), Err(Refusal::Empty));
        assert_eq!(
            check("a.png", "image/png", MAX_UPLOAD_BYTES + 1),
            Err(Refusal::TooLarge)
        );
        assert_eq!(
            check("a.png", "image/png", MAX_UPLOAD_BYTES),
            Ok(AttachmentKind::Image)
        );
        assert_eq!(check(" ", "image/png", 1), Err(Refusal::Name));
        assert!(accept_attribute().contains("application/pdf"));
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(format_size(820), "820 B");
        assert_eq!(format_size(14 * 1024 + 100), "14 KB");
        assert_eq!(format_size(2_516_582), "2.4 MB");
    }
}
