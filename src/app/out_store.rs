//! `build --out s3://…` and `feed --out s3://…`: builds into the staging folder, then
//! publishes ([`crate::outstore`]).

use std::path::PathBuf;

use crate::app::cli::{BuildArgs, FeedArgs};
use crate::app::many_report;
use crate::outstore::OutStore;
use crate::outstore::assemble::Assembled;
use crate::outstore::upload::Sent;
use crate::publish::feed::Channel;
use crate::synth::cache::Cache;

/// `seedaudio build … --out URL`.
pub fn build(mut args: BuildArgs) -> Result<(), String> {
    let url = args.out.take().expect("called with --out").to_string_lossy().into_owned();
    if args.publish.feed_dir.is_some() {
        return Err(format!("--feed-dir does not go with --out {url}: the feeds are written to the store itself"));
    }
    let target = OutStore::open(&url, &Cache::default_dir(args.cache_dir.as_deref()))?;
    let (quiet, resend) = (args.quiet, args.force);
    let given = crate::app::config::build_settings(args.clone()).map(|s| s.publish.channel);
    let (built, sharded, verdict) = if crate::app::many::is_many(&args.input) {
        args.out = Some(target.staging.clone());
        let (outcomes, sharded) = crate::app::many::build_each(args)?;
        if !quiet {
            many_report::lines(&outcomes).iter().for_each(|l| eprintln!("{l}"));
        }
        let built = outcomes.iter().filter(|o| o.result.is_ok()).map(|o| o.out_dir.clone()).collect();
        (built, sharded, many_report::verdict(&outcomes))
    } else {
        let mut settings = crate::app::config::build_settings(args).map_err(|e| e.to_string())?;
        let name = settings.out_dir.file_name().expect("an article folder has a name").to_owned();
        settings.out_dir = target.staging.join(name);
        settings.publish.feed_dir = Some(target.staging.clone());
        let summary = crate::build::build(&settings).map_err(|e| e.to_string())?;
        if !quiet {
            crate::app::build_report::lines(&summary).iter().for_each(|l| eprintln!("{l}"));
        }
        (vec![settings.out_dir], false, Ok(()))
    };
    let mut sent = publish(&target, &built, resend)?;
    if sharded {
        if !quiet {
            eprintln!("feeds: run `seedaudio feed --out {url}` once every shard has finished, to list all articles");
        }
    } else {
        let channel = given.unwrap_or_default();
        let assembled = target.assemble_feeds(&channel, &title_fallback(&url), resend)?;
        if let Assembled::Written { sent: feeds, .. } = &assembled {
            sent.add(*feeds);
        }
        if !quiet {
            eprintln!("{}", feed_line(&url, &assembled));
        }
    }
    if !quiet {
        eprintln!(
            "published to {}: {} objects uploaded, {} unchanged",
            target.store.describe(),
            sent.uploaded,
            sent.unchanged
        );
    }
    verdict
}

/// Every built folder's files, then its feed item.
fn publish(target: &OutStore, built: &[PathBuf], resend: bool) -> Result<Sent, String> {
    let mut sent = Sent::default();
    for folder in built {
        let name = folder.file_name().expect("an article folder has a name").to_string_lossy();
        sent.add(target.publish_article(folder, &name, resend)?);
        sent.add(target.publish_item(&name, resend)?);
    }
    Ok(sent)
}

/// `seedaudio feed --out URL`.
pub fn feed(args: FeedArgs) -> Result<(), String> {
    let target = OutStore::open(&args.out, &Cache::default_dir(args.cache_dir.as_deref()))?;
    let given = Channel { base_url: args.base_url, title: args.feed_title, ..Channel::default() };
    let assembled = target.assemble_feeds(&given, &title_fallback(&args.out), args.force)?;
    eprintln!("{}", feed_line(&args.out, &assembled));
    match assembled {
        Assembled::Written { .. } => Ok(()),
        Assembled::NoItems => Err(format!(
            "no article is published in {}: build articles with --out {} --base-url URL first",
            target.store.describe(),
            args.out
        )),
        Assembled::NoBaseUrl => Err("no base URL: give --base-url URL, the address the prefix is served from".into()),
    }
}

/// The last segment of the URL's path (or the bucket): the channel's title when none is given.
fn title_fallback(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_end_matches('/').rsplit('/').next().unwrap_or("podcast").to_string()
}

fn feed_line(url: &str, assembled: &Assembled) -> String {
    match assembled {
        Assembled::Written { free_items, paid_items, .. } => format!(
            "feeds: {url}/feed-free.xml ({free_items} items), {url}/feed-paid.xml ({paid_items} items)",
            url = url.trim_end_matches('/')
        ),
        Assembled::NoItems | Assembled::NoBaseUrl => {
            "podcast feeds not written: give --base-url URL, the address the prefix is served from".into()
        }
    }
}
