//! `feed-items/<id>.json`: one article's feed item and the channel settings of the build that
//! made it. Only the worker that builds the article writes it, so no two workers ever write
//! the same object; [`super::assemble`] reads them all.

use serde::{Deserialize, Serialize};

use super::OutStore;
use super::record::Record;
use super::upload::Sent;
use crate::publish::feed::{Channel, FeedItem, ItemStore};

pub const FOLDER: &str = "feed-items/";
const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDoc {
    pub version: u32,
    pub channel: Channel,
    pub item: FeedItem,
}

impl ItemDoc {
    pub fn object(id: &str) -> String {
        format!("{FOLDER}{id}.json")
    }
}

impl OutStore {
    /// Publishes the feed item of the article folder `name`, taken from the staging feed
    /// list. No item (no base URL given, or the article failed) publishes nothing.
    pub fn publish_item(&self, name: &str, resend: bool) -> Result<Sent, String> {
        let list = ItemStore::read(&self.staging).map_err(|e| e.to_string())?;
        let folder = format!("{name}/");
        let Some(item) = list.items.iter().find(|i| i.full.path.starts_with(&folder)) else {
            return Ok(Sent::default());
        };
        let doc = ItemDoc { version: VERSION, channel: list.channel.clone(), item: item.clone() };
        let mut json = serde_json::to_vec_pretty(&doc).expect("an item serializes");
        json.push(b'\n');
        let mut record = Record::read(&self.record_path(&format!("article-{name}")));
        self.send(&mut record, &ItemDoc::object(&item.id), &json, resend)
    }
}

/// Reads a published item; `None` (with the reason) for one this seedaudio cannot read.
pub fn parse(bytes: &[u8]) -> Result<ItemDoc, String> {
    let doc: ItemDoc = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if doc.version != VERSION {
        return Err(format!("format version {}, this seedaudio reads version {VERSION}", doc.version));
    }
    Ok(doc)
}
