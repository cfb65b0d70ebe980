//! The `Content-Type` an output file is served with, by its extension.

/// The media type for `name`; `application/octet-stream` for anything unknown.
pub fn of(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/x-m4a",
        "m4b" => "audio/x-m4b",
        "vtt" => "text/vtt; charset=utf-8",
        "srt" => "application/x-subrip",
        "json" => "application/json",
        "html" => "text/html; charset=utf-8",
        "xml" => "application/rss+xml",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn by_extension() {
        assert_eq!(super::of("episode-full.MP3"), "audio/mpeg");
        assert_eq!(super::of("feed-free.xml"), "application/rss+xml");
        assert_eq!(super::of("episode-full.srt"), "application/x-subrip");
        assert_eq!(super::of("README"), "application/octet-stream");
    }
}
