//! `build` and `plan` given several articles (or a folder, `--list`, or a shard): the
//! articles expanded and shared out ([`crate::batch`]), then each built alone into
//! `OUT/<name>/` (`--out`, else `output/`), one failure not stopping the others.
//!
//! Exit status: 0 when every article of this shard was built (or was up to date), 1 when
//! any failed (the others are built, the summary names each failure) or when the command is
//! refused before anything is built (bad arguments, two articles for one folder).

use std::path::PathBuf;

use crate::app::cli::{BuildArgs, Input, ManyArgs, PlanArgs};
use crate::app::many_report::{self, Outcome};
use crate::app::share_report;
use crate::batch::shard::{self, Chosen};
use crate::batch::{Assignment, InputError, Shard, ShardError, folders, inputs, weight};

/// Whether the command names more than one plain article: several, a folder, a list or a
/// shard. One article file (or `-`) is built exactly as it always was.
pub fn is_many(input: &Input) -> bool {
    let m = &input.many;
    let folder = |p: &PathBuf| p.as_os_str() != "-" && p.is_dir();
    input.articles.len() != 1
        || m.list.is_some()
        || m.shard.is_some()
        || m.shards.is_some()
        || folder(&input.articles[0])
}

/// Every article named, its shard, and which shard this worker is.
struct Share {
    assignment: Assignment,
    chosen: Option<Chosen>,
}

impl Share {
    /// Weights are read only when they matter: when sharing out, or for `plan`.
    /// `for_plan`: weigh every article, and take `--shards N` without an index as "show
    /// the N shards".
    fn of(input: &Input, for_plan: bool) -> Result<Share, String> {
        let articles = inputs::expand(&input.articles, input.many.list.as_deref()).map_err(|e| e.to_string())?;
        let env = |name: &str| std::env::var(name).ok();
        let (chosen, count) = match shard::choose(input.many.shard.as_deref(), input.many.shards, &env) {
            Ok(chosen) => {
                let count = chosen.as_ref().map_or(1, |c| c.shard.count);
                (chosen, count)
            }
            Err(ShardError::NoIndex(count)) if for_plan => (None, count),
            Err(e) => return Err(e.to_string()),
        };
        let weigh = for_plan || count > 1;
        let encoding = input.encoding.as_deref();
        let weighted = articles
            .into_iter()
            .map(|p| {
                let w = if weigh { weight::characters(&p, encoding, input.book_options()) } else { 0 };
                (p, w)
            })
            .collect();
        Ok(Share { assignment: Assignment::new(weighted, count), chosen })
    }

    fn shard(&self) -> Shard {
        self.chosen.as_ref().map_or(Shard::ALL, |c| c.shard)
    }
}

/// `seedaudio build` with several articles.
pub fn build(args: BuildArgs) -> Result<(), String> {
    let quiet = args.quiet;
    let (outcomes, _) = build_each(args)?;
    if !quiet {
        for line in many_report::lines(&outcomes) {
            eprintln!("{line}");
        }
    }
    many_report::verdict(&outcomes)
}

/// Builds this shard's articles, one failure not stopping the others: what became of each,
/// and whether other shards build the rest.
pub fn build_each(args: BuildArgs) -> Result<(Vec<Outcome>, bool), String> {
    if args.name.is_some() {
        return Err(InputError::Name.to_string());
    }
    let share = Share::of(&args.input, false)?;
    let parent = args.out.clone().unwrap_or_else(|| PathBuf::from("output"));
    let all: Vec<PathBuf> = share.assignment.articles.iter().map(|a| a.0.clone()).collect();
    // Checked over every shard's articles, so every worker refuses alike.
    let folders = folders::assign(&all, &parent).map_err(|e| e.to_string())?;
    let shard = share.shard();
    let mine: Vec<(PathBuf, PathBuf)> = folders
        .into_iter()
        .zip(&share.assignment.articles)
        .filter(|(_, a)| a.2 == shard.index)
        .map(|(f, _)| f)
        .collect();
    // Every article's settings first: a bad flag is refused before anything is built.
    let settings = mine
        .iter()
        .map(|(article, folder)| {
            let mut one = args.clone();
            one.input.articles = vec![article.clone()];
            one.input.many = ManyArgs { list: None, shard: None, shards: None };
            one.out = Some(folder.clone());
            crate::app::config::build_settings(one).map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !args.quiet
        && let Some(chosen) = &share.chosen
    {
        for line in share_report::this_shard(&share.assignment, chosen) {
            eprintln!("{line}");
        }
    }
    let total = settings.len();
    let mut outcomes = Vec::new();
    for (n, one) in settings.iter().enumerate() {
        let article = mine[n].0.clone();
        if !args.quiet {
            eprintln!("[{}/{total}] {} → {}", n + 1, article.display(), one.out_dir.display());
        }
        let result = crate::build::build(one).map_err(|e| crate::backend::secret::redact_known(&e.to_string()));
        match &result {
            Ok(summary) if !args.quiet => {
                crate::app::build_report::lines(summary).iter().for_each(|l| eprintln!("{l}"))
            }
            Ok(_) => {}
            Err(message) => eprintln!("error: {}", many_report::naming(&article, message)),
        }
        outcomes.push(Outcome { article, out_dir: one.out_dir.clone(), result });
    }
    let sharded = share.chosen.as_ref().is_some_and(|c| c.shard.count > 1);
    Ok((outcomes, sharded))
}

/// `seedaudio plan` with several articles: how they are shared out.
pub fn plan(args: PlanArgs) -> Result<(), String> {
    let share = Share::of(&args.input, true)?;
    let text = if args.json {
        share_report::to_json(&share.assignment, share.chosen.as_ref())
    } else {
        share_report::to_text(&share.assignment, share.chosen.as_ref())
    };
    print!("{text}");
    Ok(())
}
