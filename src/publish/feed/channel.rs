//! The podcast's own description (the RSS `<channel>`): what a feed config file or the
//! `--feed-*` flags say, remembered in the items store so later builds need not repeat it.
//!
//! Every field is optional here; [`Resolved`] fills the gaps when the feeds are written, so a
//! default is never stored as if someone had chosen it.
//!
//! A feed config file:
//! ```toml
//! base_url = "https://example.com/pod/"   # where the feed folder is served
//! title = "每日一读"
//! author = "某某"
//! description = "每天一篇文章的朗读。"
//! language = "zh-CN"
//! image = "https://example.com/pod/cover.jpg"
//! owner_email = "me@example.com"
//! category = "Society & Culture/Philosophy"
//! explicit = false
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Channel settings as given (config file, flags) or remembered. `None` means "not said".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The podcast's name. Default: the article title while the feed holds one article,
    /// then the feed folder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The name of the subscribers' feed. Default: `<title> (subscribers)`, so an app that
    /// subscribes to both feeds can tell them apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_title: Option<String>,
    /// `itunes:author`. Default: the author every article names (books say who wrote them),
    /// else none (seedaudio is the reader, not the author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// RSS `language`, e.g. `zh` or `zh-CN`. Default: the voice's language of the newest item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Default: the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// URL of the cover art (Apple wants a square JPEG or PNG, 1400–3000 px).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The podcast's web page. Default: the base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// `itunes:explicit`. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
    /// `itunes:owner` name and e-mail (Apple mails the owner to verify a submitted feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_email: Option<String>,
    /// An Apple Podcasts category, e.g. `Society & Culture`; `Parent/Sub` for a subcategory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Where the feed folder is served, e.g. `https://example.com/pod/`. Enclosure and link
    /// URLs are this joined with paths relative to the feed folder. Without it no feed is
    /// written: podcast apps need absolute URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

impl Channel {
    /// Reads a feed config file (TOML; the keys are the field names above).
    pub fn load(path: &Path) -> Result<Channel, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("could not read the feed config {}: {e}", path.display()))?;
        Channel::from_toml(&text).map_err(|e| format!("feed config {}: {e}", path.display()))
    }

    /// Parses and checks a feed config; the error names the line of a TOML mistake.
    pub fn from_toml(text: &str) -> Result<Channel, String> {
        let channel: Channel = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
        channel.check()?;
        Ok(channel)
    }

    /// These settings with every field that `over` sets replaced by its value.
    pub fn overlay(self, over: &Channel) -> Channel {
        let pick = |mine: Option<String>, theirs: &Option<String>| theirs.clone().or(mine);
        Channel {
            title: pick(self.title, &over.title),
            paid_title: pick(self.paid_title, &over.paid_title),
            author: pick(self.author, &over.author),
            language: pick(self.language, &over.language),
            description: pick(self.description, &over.description),
            image: pick(self.image, &over.image),
            link: pick(self.link, &over.link),
            explicit: over.explicit.or(self.explicit),
            owner_name: pick(self.owner_name, &over.owner_name),
            owner_email: pick(self.owner_email, &over.owner_email),
            category: pick(self.category, &over.category),
            base_url: pick(self.base_url, &over.base_url),
        }
    }

    /// Rejects values no podcast app could use, naming the field.
    pub fn check(&self) -> Result<(), String> {
        let fields = [
            ("title", &self.title),
            ("paid_title", &self.paid_title),
            ("author", &self.author),
            ("language", &self.language),
            ("description", &self.description),
            ("image", &self.image),
            ("link", &self.link),
            ("owner_name", &self.owner_name),
            ("owner_email", &self.owner_email),
            ("category", &self.category),
            ("base_url", &self.base_url),
        ];
        for (name, value) in fields {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(format!("`{name}` is empty; leave it out to get the default"));
            }
        }
        for (name, value) in [("image", &self.image), ("link", &self.link), ("base_url", &self.base_url)] {
            if let Some(v) = value {
                super::link::absolute_url(v).map_err(|e| format!("`{name}`: {e}"))?;
            }
        }
        if let Some(lang) = &self.language
            && !lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(format!("`language` = {lang:?} is not a language tag like `zh` or `zh-CN`"));
        }
        if let Some(email) = &self.owner_email
            && !email.contains('@')
        {
            return Err(format!("`owner_email` = {email:?} is not an e-mail address"));
        }
        Ok(())
    }
}

/// The channel as written: every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub title: String,
    pub paid_title: String,
    pub author: Option<String>,
    pub language: Option<String>,
    pub description: String,
    pub image: Option<String>,
    pub link: String,
    pub explicit: bool,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub category: Option<String>,
}

/// What the defaults are made from, besides the settings.
pub struct Fallbacks<'a> {
    /// The only article's title when the feed holds exactly one, else none.
    pub single_title: Option<&'a str>,
    /// The feed folder's name.
    pub folder_name: &'a str,
    /// The newest item's language.
    pub language: Option<&'a str>,
    /// The author every item names, when they all name the same one.
    pub author: Option<&'a str>,
    pub base_url: &'a str,
}

impl Channel {
    /// The channel with the documented defaults filled in.
    pub fn resolve(&self, fallbacks: &Fallbacks) -> Resolved {
        let title = self
            .title
            .clone()
            .or_else(|| fallbacks.single_title.map(str::to_string))
            .unwrap_or_else(|| fallbacks.folder_name.to_string());
        Resolved {
            paid_title: self.paid_title.clone().unwrap_or_else(|| format!("{title} (subscribers)")),
            author: self.author.clone().or_else(|| fallbacks.author.map(str::to_string)),
            language: self.language.clone().or_else(|| fallbacks.language.map(str::to_string)),
            description: self.description.clone().unwrap_or_else(|| title.clone()),
            image: self.image.clone(),
            link: self.link.clone().unwrap_or_else(|| fallbacks.base_url.to_string()),
            explicit: self.explicit.unwrap_or(false),
            owner_name: self.owner_name.clone(),
            owner_email: self.owner_email.clone(),
            category: self.category.clone(),
            title,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field() {
        let c = Channel::from_toml(
            "title = '觉悟'\nauthor = 'Li'\nlanguage = 'zh-CN'\ndescription = 'd'\nimage = 'https://x.org/c.png'\n\
             link = 'https://x.org/'\nexplicit = true\nowner_name = 'Li'\nowner_email = 'li@x.org'\n\
             category = 'Society & Culture'\nbase_url = 'https://x.org/pod/'\npaid_title = 'p'\n",
        )
        .unwrap();
        assert_eq!(c.title.as_deref(), Some("觉悟"));
        assert_eq!(c.explicit, Some(true));
        assert_eq!(c.base_url.as_deref(), Some("https://x.org/pod/"));
        assert_eq!(c.category.as_deref(), Some("Society & Culture"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let err = Channel::from_toml("title = 'a'\n\nauthr = 'b'\n").unwrap_err();
        assert!(err.contains("authr") && err.contains("line 3"), "{err}");
        let err = Channel::from_toml("base_url = 'example.com/pod'\n").unwrap_err();
        assert!(err.contains("base_url"), "{err}");
        let err = Channel::from_toml("language = 'zh CN'\n").unwrap_err();
        assert!(err.contains("language"), "{err}");
        let err = Channel::from_toml("title = ' '\n").unwrap_err();
        assert!(err.contains("title"), "{err}");
    }

    #[test]
    fn load_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.toml");
        std::fs::write(&path, "titel = 'x'\n").unwrap();
        let err = Channel::load(&path).unwrap_err();
        assert!(err.contains("feed.toml") && err.contains("titel"), "{err}");
        let err = Channel::load(&dir.path().join("missing.toml")).unwrap_err();
        assert!(err.contains("missing.toml"), "{err}");
    }

    #[test]
    fn overlay_keeps_what_is_not_given_again() {
        let stored = Channel { title: Some("old".into()), author: Some("A".into()), ..Channel::default() };
        let given = Channel { title: Some("new".into()), explicit: Some(true), ..Channel::default() };
        let merged = stored.overlay(&given);
        assert_eq!(merged.title.as_deref(), Some("new"));
        assert_eq!(merged.author.as_deref(), Some("A"));
        assert_eq!(merged.explicit, Some(true));
    }

    #[test]
    fn defaults() {
        let fb = |single| Fallbacks {
            single_title: single,
            folder_name: "output",
            language: Some("zh"),
            author: None,
            base_url: "https://x.org/pod/",
        };
        let r = Channel::default().resolve(&fb(Some("五种意识")));
        assert_eq!(r.title, "五种意识");
        assert_eq!(r.paid_title, "五种意识 (subscribers)");
        assert_eq!(r.description, "五种意识");
        assert_eq!(r.language.as_deref(), Some("zh"));
        assert_eq!(r.link, "https://x.org/pod/");
        assert!(!r.explicit && r.author.is_none());
        assert_eq!(Channel::default().resolve(&fb(None)).title, "output");
        let book = Fallbacks { author: Some("Ada Quill"), ..fb(None) };
        assert_eq!(Channel::default().resolve(&book).author.as_deref(), Some("Ada Quill"));
        let told = Channel { author: Some("Me".into()), ..Channel::default() };
        assert_eq!(told.resolve(&book).author.as_deref(), Some("Me"), "the settings win");
    }
}
