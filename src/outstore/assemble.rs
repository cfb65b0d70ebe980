//! The feeds assembled from every published item: `feed-free.xml` and `feed-paid.xml` at the
//! top of the store. A pure function of the items listed, so it can run again at any time.

use super::OutStore;
use super::item_doc::{self, ItemDoc};
use super::record::Record;
use super::upload::Sent;
use crate::publish::feed::{self, Channel, ItemStore};

/// What [`OutStore::assemble_feeds`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assembled {
    Written {
        free_items: usize,
        paid_items: usize,
        sent: Sent,
    },
    /// No item is published (no base URL was ever given, or nothing was built).
    NoItems,
    /// Items, but no base URL among them nor given now.
    NoBaseUrl,
}

impl OutStore {
    /// Lists `feed-items/`, merges the items (channel settings overlaid oldest item first,
    /// then `given`), and writes both feeds. `title_fallback` names a channel without a title.
    pub fn assemble_feeds(&self, given: &Channel, title_fallback: &str, resend: bool) -> Result<Assembled, String> {
        given.check().map_err(|e| format!("feed settings: {e}"))?;
        let mut names = self.store.list(item_doc::FOLDER).map_err(|e| self.failed(&e))?;
        names.retain(|n| n.ends_with(".json"));
        names.sort();
        let mut docs = Vec::new();
        for name in &names {
            // Listed, so whole; gone since (removed by hand) is skipped.
            let Some(bytes) = self.store.get(name).map_err(|e| self.failed(&e))? else { continue };
            let doc = item_doc::parse(&bytes).map_err(|e| {
                format!("{name} in {} cannot be read ({e}); remove it or rebuild its article", self.store.describe())
            })?;
            docs.push(doc);
        }
        if docs.is_empty() {
            return Ok(Assembled::NoItems);
        }
        docs.sort_by_key(|d: &ItemDoc| d.item.published);
        let mut list = ItemStore::default();
        for doc in docs {
            list.channel = std::mem::take(&mut list.channel).overlay(&doc.channel);
            list.upsert(doc.item);
        }
        list.channel = std::mem::take(&mut list.channel).overlay(given);
        let Some(base) = list.channel.base_url.as_deref() else { return Ok(Assembled::NoBaseUrl) };
        let base = feed::base_url(base).map_err(|e| e.to_string())?;
        let texts = feed::render(&list.channel, &list.items, title_fallback, &base).map_err(|e| e.to_string())?;
        let mut record = Record::read(&self.record_path("feeds"));
        let mut sent = Sent::default();
        for (name, text) in texts {
            sent.add(self.send(&mut record, name, text.as_bytes(), resend)?);
        }
        Ok(Assembled::Written {
            free_items: list.items.iter().filter(|i| i.free.is_some()).count(),
            paid_items: list.items.len(),
            sent,
        })
    }
}
